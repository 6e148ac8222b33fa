package verify_test

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/upsynth/upsynth/corpus"
	"github.com/upsynth/upsynth/runtime"
	"github.com/upsynth/upsynth/runtime/emu"
	"github.com/upsynth/upsynth/synth"
	"github.com/upsynth/upsynth/synth/verify"
)

var (
	only = flag.String("corpus.only", "", "verify only corpus commits whose id contains this")
	keep = flag.String("corpus.keep", "", "emit the corpus packages into this directory (kept) instead of a temporary one")
)

// srcRoot is the upsynth module, which emitted packages build against.
func srcRoot(t testing.TB) string {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	return root
}

func mapFS(tree corpus.Tree) fstest.MapFS {
	m := fstest.MapFS{}
	for p, b := range tree {
		m[p] = &fstest.MapFile{Data: b}
	}
	return m
}

// corpusUpdates plans and writes the package of every corpus commit labeled
// code, state or interface (the label is the change set: the analyzer is
// tested against the same labels elsewhere).
func corpusUpdates(t *testing.T, dir string) (pkgs []string, plans []*synth.Plan) {
	t.Helper()
	commits, err := corpus.History()
	if err != nil {
		t.Fatal(err)
	}
	trees, err := corpus.Trees()
	if err != nil {
		t.Fatal(err)
	}
	abi := os.DirFS(filepath.Join(srcRoot(t), "runtime", "emu", "include"))
	for i := 1; i < len(commits); i++ {
		l, err := corpus.LabelFor(commits[i].ID)
		if err != nil {
			t.Fatal(err)
		}
		switch l.Class {
		case "code", "state", "interface":
		default:
			continue
		}
		if !strings.Contains(commits[i].ID, *only) {
			continue
		}
		cs := synth.ChangeSet{Class: l.Class, Hazards: l.Hazards}
		for _, c := range l.Changes {
			cs.Changes = append(cs.Changes, synth.Change{File: c.File, Entity: c.Entity, Name: c.Name, Change: c.Change, Class: l.Class})
		}
		old, new := mapFS(trees[i-1]), mapFS(trees[i])
		p, err := synth.MakePlan(synth.Input{Name: commits[i].ID, OldRev: commits[i-1].ID, NewRev: commits[i].ID, Old: old, New: new,
			Changes: cs, Build: synth.BuildOptions{IncludePaths: corpus.IncludePaths}, Exclude: []string{"docs/**", "workloads/**"},
			Mode: runtime.Eager, ABI: abi})
		if err != nil {
			t.Errorf("%s: plan: %v", commits[i].ID, err)
			continue
		}
		files, err := synth.Generate(p)
		if err != nil {
			t.Errorf("%s: generate: %v", commits[i].ID, err)
			continue
		}
		out := filepath.Join(dir, commits[i].ID)
		if _, err := synth.Write(synth.Output{Dir: out, Plan: p, Files: files, Old: old, New: new, SrcRoot: srcRoot(t)}); err != nil {
			t.Errorf("%s: write: %v", commits[i].ID, err)
			continue
		}
		pkgs = append(pkgs, out)
		plans = append(plans, p)
	}
	return pkgs, plans
}

// bootable reports why the corpus's first revision does not boot on the
// emulated target ("" when it does).
func bootable(t *testing.T) string {
	trees, err := corpus.Trees()
	if err != nil {
		t.Fatal(err)
	}
	tree := mapFS(trees[0])
	mods, err := synth.KernelModules(tree, []string{"docs/**", "workloads/**"})
	if err != nil {
		t.Fatal(err)
	}
	img, err := emu.Load(tree, mods, emu.LoadOptions{IncludePaths: corpus.IncludePaths})
	if err != nil {
		return err.Error()
	}
	m, err := emu.NewMachine(img, emu.MachineConfig{})
	if err != nil {
		return err.Error()
	}
	if err := m.Boot(); err != nil {
		return err.Error()
	}
	return ""
}

// knownFailures are the corpus commits whose update does not verify yet,
// with why. The test fails when another commit fails, and when one of these
// starts to pass (so the list stays true).
var knownFailures = map[string]string{
	// A type gets a new version (a method is added) while another method is
	// removed: the runtime wants an implementation for every old slot.
	"0013-rename-pipe-avail":    "runtime: removed method of a versioned type",
	"0047-rename-runqueue-next": "runtime: removed method of a versioned type",
	// A new module introduces a new object type: the runtime cannot add
	// object types to a running image.
	"0022-semaphores": "runtime: new object type",
	// Semantic changes a person writes in hooks.go (PLAN.md says so).
	"0014-dir-hash-table":   "needs a person: the new hash table must be built from the existing entries",
	"0089-pid-hash":         "needs a person: the new pid hash must be filled with the running processes",
	"0032-pipe-buf-1k":      "needs a person: pipe buffers were allocated with the old PIPE_BUF",
	"0073-mm-h-comments":    "needs a person: the frame table was sized with the old NFRAMES at boot",
	"0054-console-read-log": "needs a person (and the runtime: no function addresses for hooks): the ops table console_ops points to the old functions",
}

// TestCorpusVerifies emits every corpus commit labeled code, state or
// interface and verifies it in both modes, in-process.
func TestCorpusVerifies(t *testing.T) {
	if why := bootable(t); why != "" {
		t.Skipf("the corpus kernel does not boot on the emulated target (corpus or emu to fix): %s", why)
	}
	dir := *keep
	if dir == "" {
		dir = t.TempDir()
	}
	pkgs, plans := corpusUpdates(t, dir)
	jobs := make(chan int)
	var mu sync.Mutex
	var failed []string
	passed := 0
	var wg sync.WaitGroup
	failedIDs := map[string]bool{}
	for w := 0; w < 2; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				msgs := verifyBoth(pkgs[i], plans[i])
				mu.Lock()
				if len(msgs) > 0 {
					failedIDs[plans[i].Name] = true
				}
				if _, known := knownFailures[plans[i].Name]; !known {
					failed = append(failed, msgs...)
				}
				passed += 2 - len(msgs)
				mu.Unlock()
			}
		}()
	}
	for i := range pkgs {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	sort.Strings(failed)
	t.Logf("%d of %d verifications passed", passed, 2*len(pkgs))
	for id, why := range knownFailures {
		if !failedIDs[id] && (*only == "" || strings.Contains(id, *only)) {
			t.Errorf("%s verifies now: remove it from knownFailures (%s)", id, why)
		} else {
			t.Logf("known failure %s: %s", id, why)
		}
	}
	if len(failed) > 0 {
		t.Errorf("%d verifications failed:\n%s", len(failed), strings.Join(failed, "\n"))
	}
}

// verifyBoth verifies a package in eager and lazy mode against one set of
// reference runs and returns what failed.
func verifyBoth(dir string, p *synth.Plan) []string {
	o := verify.Options{CPUs: 2, Seed: 1}
	mk, err := verify.FromPlan(dir, p)
	if err != nil {
		return []string{fmt.Sprintf("%s: %v", p.Name, err), fmt.Sprintf("%s: %v", p.Name, err)}
	}
	refs, err := verify.NewReferences(dir, p, o)
	if err != nil {
		return []string{fmt.Sprintf("%s: %v", p.Name, err), fmt.Sprintf("%s: %v", p.Name, err)}
	}
	var failed []string
	for _, mode := range []runtime.Mode{runtime.Eager, runtime.Lazy} {
		o.Mode = mode
		res, err := verify.RunWith(refs, dir, p, mk, o)
		switch {
		case err != nil:
			failed = append(failed, fmt.Sprintf("%s (%s): %v", p.Name, mode, err))
		case !res.OK():
			failed = append(failed, res.Text())
		}
	}
	return failed
}

// TestCorpusPackagesBuild: the packages of every corpus commit labeled code,
// state or interface build and pass go vet, offline; the test of two of them
// (a state and an interface change) passes under go test.
func TestCorpusPackagesBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles generated packages")
	}
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command")
	}
	dir := t.TempDir()
	pkgs, plans := corpusUpdates(t, dir)
	var work strings.Builder
	work.WriteString("go 1.26.8\n\nuse (\n")
	for _, p := range pkgs {
		fmt.Fprintf(&work, "\t./%s\n", filepath.Base(p))
	}
	work.WriteString(")\n")
	if err := os.WriteFile(filepath.Join(dir, "go.work"), []byte(work.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	goCmd := func(dir string, env []string, args ...string) {
		t.Helper()
		cmd := exec.Command("go", args...)
		cmd.Dir, cmd.Env = dir, append(os.Environ(), env...)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go %v in %s: %v\n%s", args, dir, err, out)
		}
	}
	// One workspace type-checks them all at once (no network: GOPROXY=off).
	goCmd(dir, []string{"GOPROXY=off", "GOFLAGS="}, "vet", synth.ModulePath+"/...")
	if bootable(t) != "" {
		return
	}
	tested := map[string]bool{}
	for i, p := range plans {
		for _, class := range []string{"state", "interface"} {
			if p.Class == class && !tested[class] && len(p.Types) > 0 {
				if msgs := verifyBoth(pkgs[i], p); len(msgs) > 0 {
					continue // the corpus test reports it
				}
				tested[class] = true
				goCmd(pkgs[i], []string{"GOPROXY=off", "GOWORK=off", "GOFLAGS=-mod=mod"}, "test", "-count=1", ".")
			}
		}
	}
}
