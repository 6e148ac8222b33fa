package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/spf13/cobra"

	"github.com/upsynth/upsynth/analyze/store"
	"github.com/upsynth/upsynth/class"
	"github.com/upsynth/upsynth/kernel"
	"github.com/upsynth/upsynth/report"
	"github.com/upsynth/upsynth/runtime"
	"github.com/upsynth/upsynth/runtime/plan"
	"github.com/upsynth/upsynth/synth"
	"github.com/upsynth/upsynth/targets"
)

type emitOptions struct {
	repo, db, out, mode, runtimeSrc, target string
	force                                   bool
	patch                                   patchOptions // emit_patch.go
}

func newEmitCmd(io streams) *cobra.Command {
	o := &emitOptions{}
	cmd := &cobra.Command{
		Use:   "emit REV|A..B|PATCH... [--repo PATH] [--db FILE] [-o DIR] [--mode eager|lazy] [--target PORT]",
		Short: "Emit the dynamic-update package of a commit, a range or a patch",
		Long: `emit plans the dynamic update that takes a running kernel from REV's parent to
REV (or from A to B) and writes it as a Go package: update.go (the
runtime.Update), transfer.go (state transfer per changed object type),
adapt.go (interface adapters), helpers.go, hooks.go (generated once, kept on
re-emit: where a person writes what no tool can infer), the new C sources,
PLAN.md and plan.json, and a test that verifies the package on the emulated
target. The class and reasons come from the analysis database (run
'upsynth analyze' first); layouts and signatures from cc/v4 on both trees.

The directory is a Go module of its own whose go.mod replaces
github.com/upsynth/upsynth with the source this binary was built from (found
from the compiled-in source path, or --runtime-src), so go build, go vet and
go test work in it offline. A commit classified unsupported is refused with
the reasons, unless --force. A directory that holds the package of another
commit is refused, naming that commit (its hooks.go was written for that
commit's types), unless --force, which moves its hooks.go to ` + oldHooks + `.

A kernel written for real hardware boots on the emulated target with a
port: --target names one bundled with upsynth (freertos) or a port
directory (its upsynth.yaml and files, laid over the kernel's tree under
upsynth/). The package then carries the port, and verify boots the kernel
with it.

Patch files instead of a revision (an argument that is a file; "-" reads
the standard input): unified diffs or git format-patch mails, one or a
series, applied in memory to --base (HEAD by default) without touching the
repository or its work tree, each patch classified as the analysis
classifies the commit it makes (as 'upsynth check' does; the database is
not needed, and lends its memoized summaries when it exists), then planned
and written exactly as a commit is. A series is one update, or with --each
one package per patch (under -o DIR, one directory per patch). A patch that
does not apply is refused naming the file and the hunk.`,
		Example: `  upsynth emit 3f2a1c9 --repo ~/src/kernel -o update-3f2a1c9
  upsynth emit v1.0..v1.1 --mode lazy -o update-1.1
  upsynth emit fix.patch --repo ~/src/kernel --base v6.1 -o update-fix
  upsynth emit 1f6e4c2 --repo ~/src/FreeRTOS-Kernel --target freertos`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if isPatchArg(args[0]) {
				return runEmitPatch(cmd.Context(), io, o, args)
			}
			if len(args) > 1 {
				return fmt.Errorf("one REV or A..B, or patch files: %q is not a file", args[0])
			}
			if cmd.Flags().Changed("base") || o.patch.each {
				return fmt.Errorf("--base and --each are for patch files; %q is not a file", args[0])
			}
			return runEmit(cmd.Context(), io, o, args[0])
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.repo, "repo", ".", "git repository of the kernel")
	f.StringVar(&o.db, "db", "upsynth.db", "analysis database: a SQLite file or a postgres:// URL")
	f.StringVarP(&o.out, "output", "o", "", "package directory (default update-<rev>)")
	f.StringVar(&o.mode, "mode", "eager", "default conversion mode: "+updateModes.String())
	updateModes.complete(cmd, "mode")
	f.StringVar(&o.runtimeSrc, "runtime-src", "", "upsynth source tree the package builds against (default: the one this binary was built from)")
	f.StringVar(&o.target, "target", "", "port the kernel runs with on the emulated target: "+strings.Join(targets.Names(), ", ")+" or a port directory")
	completeTarget(cmd)
	f.BoolVar(&o.force, "force", false, "emit even a commit classified unsupported (the plan says what cannot work),\nor over the package of another commit (its hooks.go kept as "+oldHooks+")")
	o.patch.register(f)
	return cmd
}

// emitRequest is everything emit needs, resolved. The kernels' files are
// read from repo as the plan needs them: Close it when done.
type emitRequest struct {
	repo    *kernel.Repo
	in      synth.Input
	srcRoot string
	out     string
}

func runEmit(ctx context.Context, io streams, o *emitOptions, rev string) error {
	req, err := resolveEmit(ctx, o, rev)
	if err != nil {
		return err
	}
	defer req.repo.Close()
	return writePackage(io, req, o.force)
}

// writePackage plans, generates and writes one update package and says
// what it holds. It refuses a directory holding another update's package
// unless force.
func writePackage(io streams, req *emitRequest, force bool) error {
	replaced, err := heldUpdate(req.out, req.in.OldRev, req.in.NewRev, force)
	if err != nil {
		return err
	}
	plan, err := synth.MakePlan(req.in)
	if err != nil {
		return err
	}
	files, err := synth.Generate(plan)
	if err != nil {
		return err
	}
	if replaced != "" {
		if err := moveHooksAside(req.out); err != nil {
			return err
		}
	}
	res, err := synth.Write(synth.Output{Dir: req.out, Plan: plan, Files: files, Old: req.in.Old, New: req.in.New, SrcRoot: req.srcRoot})
	if err != nil {
		return err
	}
	fmt.Fprintf(io.Out, "emitted %s: %s\n", req.out, plan.Name)
	if replaced != "" {
		fmt.Fprintf(io.Out, "  replaced the update of %s; its hooks.go is now %s\n", replaced, oldHooks)
	}
	fmt.Fprintf(io.Out, "  class %s; %s, %s, %s, %s\n", plan.Class, report.Counted(len(plan.Modules), "module"), report.Counted(len(plan.Functions), "function"),
		report.Counted(len(plan.Types), "type"), report.Counted(len(plan.Adapters), "adapter"))
	if len(plan.Needs) > 0 {
		needs := report.Counted(len(plan.Needs), "place") + " need"
		if len(plan.Needs) == 1 {
			needs = "1 place needs"
		}
		fmt.Fprintf(io.Out, "  %s a person (PLAN.md, hooks.go)\n", needs)
	}
	if len(plan.Imprecise) > 0 {
		fmt.Fprintf(io.Out, "  %d sources planned without the C front end (PLAN.md)\n", len(plan.Imprecise))
	}
	if len(plan.Cannot) > 0 {
		fmt.Fprintf(io.Out, "  %d parts cannot work (PLAN.md)\n", len(plan.Cannot))
	}
	if plan.Unverifiable != "" {
		fmt.Fprintf(io.Out, "  cannot be verified on the emulated target: %s\n", plan.Unverifiable)
	}
	if res.KeptHooks {
		fmt.Fprintf(io.Out, "  kept the existing hooks.go\n")
	}
	if res.HooksStale {
		fmt.Fprintf(io.Out, "  the hooks changed: merge hooks.go.new into hooks.go\n")
	}
	return nil
}

func resolveEmit(ctx context.Context, o *emitOptions, rev string) (*emitRequest, error) {
	mode, err := emitMode(o.mode)
	if err != nil {
		return nil, err
	}
	r, err := kernel.Open(o.repo)
	if err != nil {
		return nil, err
	}
	req := &emitRequest{repo: r}
	if err := req.resolve(ctx, o, rev, mode); err != nil {
		r.Close()
		return nil, err
	}
	return req, nil
}

// emitMode reads --mode: eager or lazy.
func emitMode(s string) (runtime.Mode, error) {
	mode, err := runtime.ParseMode(s)
	if err != nil || mode == runtime.StopTheWorld {
		return 0, updateModes.check("mode", s)
	}
	return mode, nil
}

// resolve finds the two revisions of the update and their kernels.
func (req *emitRequest) resolve(ctx context.Context, o *emitOptions, rev string, mode runtime.Mode) error {
	r := req.repo
	from, to, err := kernel.SplitRange(rev)
	if err != nil {
		return err
	}
	newH, err := r.Resolve(to)
	if err != nil {
		return err
	}
	newC, err := r.Commit(newH)
	if err != nil {
		return err
	}
	var oldH plumbing.Hash
	var inRange []*object.Commit
	if from != "" {
		if oldH, err = r.Resolve(from); err != nil {
			return err
		}
		for c := newC; c.Hash != oldH; {
			inRange = append(inRange, c)
			if c.NumParents() == 0 {
				return fmt.Errorf("%s is not an ancestor of %s on the first-parent line", from, to)
			}
			if c, err = r.Commit(c.ParentHashes[0]); err != nil {
				return err
			}
		}
	} else {
		if newC.NumParents() == 0 {
			return fmt.Errorf("%s is a root commit: there is no running kernel to update", rev)
		}
		oldH = newC.ParentHashes[0]
		inRange = []*object.Commit{newC}
	}
	cs, err := changeSet(ctx, o.db, inRange)
	if err != nil {
		return err
	}
	name := newH.String()[:12] + " " + firstLine(newC.Message)
	if len(inRange) > 1 {
		name = fmt.Sprintf("%s..%s (%d commits)", oldH.String()[:12], newH.String()[:12], len(inRange))
	}
	return req.build(o, oldH, newH, name, "update-"+newH.String()[:12], cs, mode)
}

// build sets up the update from the kernel at oldH to the kernel at newH
// with the classified changes cs; the package goes to --output, or to
// defaultOut.
func (req *emitRequest) build(o *emitOptions, oldH, newH plumbing.Hash, name, defaultOut string, cs synth.ChangeSet, mode runtime.Mode) error {
	r := req.repo
	port, err := targets.Lookup(o.target)
	if err != nil {
		return err
	}
	oldT, err := r.AtCommit(oldH)
	if err != nil {
		return err
	}
	newT, err := r.AtCommit(newH)
	if err != nil {
		return err
	}
	oldT, newT = oldT.On(port), newT.On(port)
	req.in = synth.Input{Name: name, Repo: o.repo, OldRev: oldH.String(), NewRev: newH.String(),
		Old: oldT, New: newT, Changes: cs, Mode: mode, Force: o.force}
	req.out = o.out
	if req.out == "" {
		req.out = defaultOut
	}
	req.srcRoot = o.runtimeSrc
	if req.srcRoot == "" {
		if req.srcRoot, err = synth.SourceRoot(); err != nil {
			return err
		}
	}
	if req.srcRoot, err = filepath.Abs(req.srcRoot); err != nil {
		return err
	}
	if _, err := os.Stat(filepath.Join(req.srcRoot, "runtime", "update.go")); err != nil {
		return fmt.Errorf("--runtime-src %s does not hold the upsynth source (no runtime/update.go)", req.srcRoot)
	}
	return nil
}

// oldHooks is where emit --force moves the hooks.go of the package of
// another commit it replaces.
const oldHooks = "hooks.go.old"

// heldUpdate checks the package already in dir, if any: one of another
// update (other revisions in its plan.json) is refused unless force. It
// returns the name of the update that will be replaced.
func heldUpdate(dir, oldRev, newRev string, force bool) (string, error) {
	b, err := os.ReadFile(filepath.Join(dir, plan.File))
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	// Only the revisions are read, so that a package of an older plan
	// version is still recognized as the same update.
	var held struct {
		Name   string `json:"name"`
		OldRev string `json:"old_rev"`
		NewRev string `json:"new_rev"`
	}
	if err := json.Unmarshal(b, &held); err != nil {
		return "", fmt.Errorf("%s/%s: %w", dir, plan.File, err)
	}
	if held.OldRev == oldRev && held.NewRev == newRev {
		return "", nil
	}
	name := held.Name
	if name == "" {
		name = shortRev(held.OldRev) + ".." + shortRev(held.NewRev)
	}
	if !force {
		return "", fmt.Errorf("%s holds the update of %s (%s..%s), not of %s..%s: its hooks.go is written for that update; emit into another -o, or pass --force to replace it (hooks.go is then kept as %s)",
			dir, name, shortRev(held.OldRev), shortRev(held.NewRev), shortRev(oldRev), shortRev(newRev), oldHooks)
	}
	return name, nil
}

// moveHooksAside keeps the hooks a person wrote for the update being
// replaced as oldHooks, so that fresh ones are generated for this one.
func moveHooksAside(dir string) error {
	hooks := filepath.Join(dir, "hooks.go")
	if err := os.Rename(hooks, filepath.Join(dir, oldHooks)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if err := os.Remove(hooks + ".new"); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

func shortRev(rev string) string {
	if len(rev) > 12 {
		return rev[:12]
	}
	return rev
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
	return l
}

// changeSet reads the classified changes of the commits from the analysis
// database: the class of a range is the strongest of its commits.
func changeSet(ctx context.Context, db string, commits []*object.Commit) (synth.ChangeSet, error) {
	var cs synth.ChangeSet
	st, err := store.OpenReader(ctx, db)
	if err != nil {
		return cs, err
	}
	defer st.Close()
	var records []*store.Commit
	for _, c := range commits {
		found, err := st.FindCommits(ctx, c.Hash.String())
		if err != nil {
			return cs, err
		}
		if len(found) == 0 {
			return cs, fmt.Errorf("commit %s is not in %s: run 'upsynth analyze' on the repository first", c.Hash.String()[:12], store.Display(db))
		}
		records = append(records, found[0])
	}
	return changeSetOf(records), nil
}

// changeSetOf is the change set of classified commits as one update: the
// class of several is the strongest of theirs.
func changeSetOf(records []*store.Commit) synth.ChangeSet {
	cs := synth.ChangeSet{Class: "none"}
	hz := map[string]bool{}
	for _, sc := range records {
		if sc.Merge {
			continue
		}
		if class.Class(sc.Class).Stronger(class.Class(cs.Class)) {
			cs.Class, cs.Reason = sc.Class, sc.Reason
		}
		for _, h := range sc.Hazards {
			if !hz[h] {
				hz[h] = true
				cs.Hazards = append(cs.Hazards, h)
			}
		}
		cs.Changes = append(cs.Changes, synth.ChangesOf(sc.Changes)...)
	}
	return cs
}
