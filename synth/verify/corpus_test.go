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
	"github.com/upsynth/upsynth/kernel"
	"github.com/upsynth/upsynth/runtime"
	"github.com/upsynth/upsynth/runtime/emu"
	harness "github.com/upsynth/upsynth/runtime/emu/verify"
	"github.com/upsynth/upsynth/runtime/plan"
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
func corpusUpdates(t *testing.T, dir string) (pkgs []string, plans []*synth.Plan, outs []synth.Output) {
	t.Helper()
	commits, err := corpus.History()
	if err != nil {
		t.Fatal(err)
	}
	trees, err := corpus.Trees()
	if err != nil {
		t.Fatal(err)
	}
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
		// Each revision's settings come from its own upsynth.yaml, as
		// emit reads them.
		old, err := kernel.NewTree(mapFS(trees[i-1]), commits[i-1].ID)
		if err != nil {
			t.Fatal(err)
		}
		new, err := kernel.NewTree(mapFS(trees[i]), commits[i].ID)
		if err != nil {
			t.Fatal(err)
		}
		p, err := synth.MakePlan(synth.Input{Name: commits[i].ID, OldRev: commits[i-1].ID, NewRev: commits[i].ID, Old: old, New: new,
			Changes: cs, Mode: runtime.Eager})
		if err != nil {
			t.Errorf("%s: plan: %v", commits[i].ID, err)
			continue
		}
		files, err := synth.Generate(p)
		if err != nil {
			t.Errorf("%s: generate: %v", commits[i].ID, err)
			continue
		}
		out := synth.Output{Dir: filepath.Join(dir, commits[i].ID), Plan: p, Files: files, Old: old, New: new, SrcRoot: srcRoot(t)}
		if _, err := synth.Write(out); err != nil {
			t.Errorf("%s: write: %v", commits[i].ID, err)
			continue
		}
		checkImports(t, out.Dir)
		pkgs = append(pkgs, out.Dir)
		plans = append(plans, p)
		outs = append(outs, out)
	}
	return pkgs, plans, outs
}

// bootable reports why the corpus's first revision does not boot on the
// emulated target ("" when it does).
func bootable(t *testing.T) string {
	trees, err := corpus.Trees()
	if err != nil {
		t.Fatal(err)
	}
	tree, err := kernel.NewTree(mapFS(trees[0]), "corpus@0")
	if err != nil {
		t.Fatal(err)
	}
	mods, err := tree.Modules()
	if err != nil {
		t.Fatal(err)
	}
	img, err := emu.Load(tree.FS, mods, emu.LoadOptions{IncludePaths: tree.IncludePaths(), Defines: tree.Defines()})
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
// with why. Semantic changes a person completes in hooks.go (PLAN.md's
// "Needs a person") are not here: their hooks are in testdata/hooks. The test fails when another commit fails, and when one of these
// starts to pass (so the list stays true).
var knownFailures = map[string]string{}

// knownRollbackFailures are the corpus commits whose update verifies but
// whose rollback (faults) does not yet, with why; the test fails when
// another rollback fails, and when one of these starts to pass.
var knownRollbackFailures = map[string]string{}

// hooksDir holds, per corpus commit, the hooks.go a person wrote for it.
const hooksDir = "testdata/hooks"

// personHooks returns the hooks.go written for a corpus commit, or nil.
func personHooks(t *testing.T, id string) []byte {
	b, err := os.ReadFile(filepath.Join(hooksDir, id, "hooks.go"))
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return b
}

// TestCorpusVerifies emits every corpus commit labeled code, state or
// interface and verifies it in both modes: in-process from its plan, or,
// for a commit with hooks a person wrote (testdata/hooks), by the package's
// own go test with those hooks compiled in.
func TestCorpusVerifies(t *testing.T) {
	if why := bootable(t); why != "" {
		t.Skipf("the corpus kernel does not boot on the emulated target (corpus or emu to fix): %s", why)
	}
	dir := *keep
	if dir == "" {
		dir = t.TempDir()
	}
	pkgs, plans, outs := corpusUpdates(t, dir)
	hooks := map[string][]byte{}
	for _, p := range plans {
		if b := personHooks(t, p.Name); b != nil {
			hooks[p.Name] = b
		}
	}
	_, goErr := exec.LookPath("go")
	skipped := map[string]bool{}
	jobs := make(chan int)
	var mu sync.Mutex
	var failed []string
	passed := 0
	var wg sync.WaitGroup
	failedIDs, rollbackFailedIDs := map[string]bool{}, map[string]bool{}
	for w := 0; w < 2; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				var msgs []string
				var rollbackMsgs []string
				if h := hooks[plans[i].Name]; h != nil {
					if goErr != nil {
						mu.Lock()
						skipped[plans[i].Name] = true
						mu.Unlock()
						continue
					}
					// The generated hooks must not do: else the person's
					// are not needed and the case proves nothing.
					if f, _ := verifyPlan(pkgs[i], plans[i], false); len(f) == 0 {
						mu.Lock()
						failed = append(failed, fmt.Sprintf("%s: verifies with the generated hooks: %s/%s/hooks.go is not needed", plans[i].Name, hooksDir, plans[i].Name))
						mu.Unlock()
					}
					msgs = verifyWithHooks(outs[i], h)
				} else {
					msgs, rollbackMsgs = verifyPlan(pkgs[i], plans[i], true)
				}
				mu.Lock()
				if len(msgs) > 0 {
					failedIDs[plans[i].Name] = true
				}
				if len(rollbackMsgs) > 0 {
					rollbackFailedIDs[plans[i].Name] = true
				}
				if _, known := knownFailures[plans[i].Name]; !known {
					failed = append(failed, msgs...)
				}
				if _, known := knownRollbackFailures[plans[i].Name]; !known {
					failed = append(failed, rollbackMsgs...)
				}
				passed += runsPerPackage - len(msgs) - len(rollbackMsgs)
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
	t.Logf("%d of %d verifications passed (each package: both modes, and two rollbacks)", passed, runsPerPackage*(len(pkgs)-len(skipped)))
	for id := range skipped {
		t.Logf("%s not verified: its hooks need the go command (%v)", id, goErr)
	}
	for id, why := range knownFailures {
		if !failedIDs[id] && !skipped[id] && (*only == "" || strings.Contains(id, *only)) {
			t.Errorf("%s verifies now: remove it from knownFailures (%s)", id, why)
		} else {
			t.Logf("known failure %s: %s", id, why)
		}
	}
	for id, why := range knownRollbackFailures {
		if !rollbackFailedIDs[id] && !failedIDs[id] && !skipped[id] && (*only == "" || strings.Contains(id, *only)) {
			t.Errorf("%s rolls back now: remove it from knownRollbackFailures (%s)", id, why)
		} else {
			t.Logf("known rollback failure %s: %s", id, why)
		}
	}
	if len(failed) > 0 {
		t.Errorf("%d verifications failed:\n%s", len(failed), strings.Join(failed, "\n"))
	}
}

// runsPerPackage is how many verifications the corpus test runs per
// package: the update in both modes, and two rollbacks.
const runsPerPackage = 4

// faults are the failures the corpus test injects into every package in
// process, one per mode: an After hook that fails once every instance is
// converted (eager), the second transfer failing (lazy; After when the
// update transfers no type).
func faults(p *synth.Plan) map[runtime.Mode]*harness.Fault {
	lazy := &harness.Fault{After: true}
	if len(p.Types) > 0 {
		lazy = &harness.Fault{Transfer: 2}
	}
	return map[runtime.Mode]*harness.Fault{runtime.Eager: {After: true}, runtime.Lazy: lazy}
}

// verifyPlan verifies a package in eager and lazy mode against one set of
// reference runs, and with rollback its rollbacks (faults), and returns
// what failed, one line per failed run: the update's runs, the rollbacks.
func verifyPlan(dir string, p *synth.Plan, rollback bool) (failed, rollbackFailed []string) {
	o := harness.Options{CPUs: 2, Seed: 1}
	runs := 2
	if rollback {
		runs = runsPerPackage
	}
	all := func(err error) ([]string, []string) {
		var out []string
		for i := 0; i < runs; i++ {
			out = append(out, fmt.Sprintf("%s: %v", p.Name, err))
		}
		return out, nil
	}
	mk, err := verify.FromPlan(dir, p)
	if err != nil {
		return all(err)
	}
	hp, err := plan.Read(dir)
	if err != nil {
		return all(err)
	}
	refs, err := harness.NewReferences(dir, hp, o)
	if err != nil {
		return all(err)
	}
	for _, withFault := range []bool{false, true} {
		if withFault && !rollback {
			break
		}
		for _, mode := range []runtime.Mode{runtime.Eager, runtime.Lazy} {
			o.Mode, o.Fault = mode, nil
			if withFault {
				o.Fault = faults(p)[mode]
			}
			res, err := harness.RunWith(refs, dir, hp, mk, o)
			msg := ""
			switch {
			case err != nil:
				msg = fmt.Sprintf("%s (%s, fault %v): %v", p.Name, mode, o.Fault, err)
			case !res.OK():
				msg = res.Text()
			default:
				continue
			}
			if withFault {
				rollbackFailed = append(rollbackFailed, msg)
			} else {
				failed = append(failed, msg)
			}
		}
	}
	return failed, rollbackFailed
}

// verifyWithHooks is the workflow of a person completing a package: put
// the hooks they wrote in hooks.go, emit again (emit must keep hooks.go as
// it is), and run the package's own go test, which compiles the hooks,
// verifies in both modes and verifies the rollback in both modes; the
// in-process interpreter must refuse the edited package. It returns what
// failed, one line per failed test and mode.
func verifyWithHooks(out synth.Output, hooks []byte) []string {
	name := out.Plan.Name
	all := func(format string, args ...any) []string {
		msg := fmt.Sprintf("%s (hooks): %s", name, fmt.Sprintf(format, args...))
		return []string{msg, msg, msg, msg}
	}
	path := filepath.Join(out.Dir, "hooks.go")
	if err := os.WriteFile(path, hooks, 0o644); err != nil {
		return all("%v", err)
	}
	files, err := synth.Generate(out.Plan)
	if err != nil {
		return all("generate: %v", err)
	}
	out.Files = files
	res, err := synth.Write(out)
	if err != nil {
		return all("emit again: %v", err)
	}
	if kept, _ := os.ReadFile(path); !res.KeptHooks || res.HooksStale || string(kept) != string(hooks) {
		return all("emit again did not keep the person's hooks.go (kept %v, stale %v)", res.KeptHooks, res.HooksStale)
	}
	if _, err := verify.FromPlan(out.Dir, out.Plan); err == nil || !strings.Contains(err.Error(), "--go") {
		return all("the in-process verifier accepted edited hooks (%v)", err)
	}
	cmd := exec.Command("go", "test", "-count=1", "-v", ".")
	cmd.Dir = out.Dir
	cmd.Env = append(os.Environ(), "GOPROXY=off", "GOWORK=off", "GOFLAGS=-mod=mod")
	outb, err := cmd.CombinedOutput()
	if err == nil {
		return nil
	}
	var failed []string
	for _, test := range []string{"TestVerify", "TestRollback"} {
		for _, mode := range []runtime.Mode{runtime.Eager, runtime.Lazy} {
			sub := test + "/" + mode.String()
			if strings.Contains(string(outb), "--- FAIL: "+sub+" ") {
				failed = append(failed, fmt.Sprintf("%s (%s, hooks): %s", name, sub, goTestFailures(outb, sub)))
			}
		}
	}
	if len(failed) == 0 { // the package did not build, or the test did not run
		return all("go test: %v\n%s", err, outb)
	}
	return failed
}

// goTestFailures picks the failed checks of one subtest (TestVerify/eager)
// out of go test -v output.
func goTestFailures(out []byte, sub string) string {
	var lines []string
	in := false
	for _, l := range strings.Split(string(out), "\n") {
		l = strings.TrimSpace(l)
		if strings.HasPrefix(l, "=== RUN") {
			in = strings.HasSuffix(l, " "+sub)
		}
		if in && strings.HasPrefix(l, "FAIL ") {
			lines = append(lines, l)
		}
	}
	return strings.Join(lines, "; ")
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
	pkgs, plans, _ := corpusUpdates(t, dir)
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
				if msgs, _ := verifyPlan(pkgs[i], p, false); len(msgs) > 0 {
					continue // the corpus test reports it
				}
				tested[class] = true
				goCmd(pkgs[i], []string{"GOPROXY=off", "GOWORK=off", "GOFLAGS=-mod=mod"}, "test", "-count=1", ".")
			}
		}
	}
}
