package runtime_test

import (
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/upsynth/upsynth/runtime"
	"github.com/upsynth/upsynth/runtime/emu"
)

// The preemptive kernel of emu/testdata/preempt, as the runtime's tests boot,
// run and update it. It has no object table: its
// task control blocks (struct task) come from kalloc, list items embedded in
// them link them into ready, delay and semaphore lists, and every list
// holds pointers into their middle. Its VERSION 2 adds a field and moves
// every other one.

const preemptDir = "emu/testdata/preempt"

func bootPreempt(t testing.TB, defines ...string) (*emu.Machine, *emu.Target) {
	t.Helper()
	tree := os.DirFS(preemptDir)
	img, err := emu.Load(tree, []string{"kernel.c"}, emu.LoadOptions{Defines: defines})
	if err != nil {
		t.Fatal(err)
	}
	m, err := emu.NewMachine(img, emu.MachineConfig{CPUs: 1, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(m.Close)
	if err := m.Boot(); err != nil {
		t.Fatal(err)
	}
	tg, err := emu.NewTarget(m, tree)
	if err != nil {
		t.Fatal(err)
	}
	return m, tg
}

// preemptV2 updates the running kernel to kernel.c at VERSION 2: one
// source for both versions, so they cannot drift apart.
func preemptV2(t testing.TB) *runtime.Update {
	t.Helper()
	return &runtime.Update{
		Name:           "task: a switch counter, every field moved",
		Mode:           runtime.Eager,
		Sources:        []runtime.Source{{Path: "kernel.c", Code: preemptWith(t, "#define VERSION 1", "#define VERSION 2")}},
		Types:          []runtime.TypeUpdate{{Name: "task"}},
		QuiesceTimeout: 10 * time.Second,
	}
}

// preemptWith returns kernel.c with each old text replaced by its new one.
func preemptWith(t testing.TB, edits ...string) []byte {
	t.Helper()
	src, err := os.ReadFile(preemptDir + "/kernel.c")
	if err != nil {
		t.Fatal(err)
	}
	s := string(src)
	for i := 0; i+1 < len(edits); i += 2 {
		if !strings.Contains(s, edits[i]) {
			t.Fatalf("kernel.c has no %q", edits[i])
		}
		s = strings.Replace(s, edits[i], edits[i+1], 1)
	}
	return []byte(s)
}

// applyWhileRunning prepares u, starts it after steps more of the running
// kernel, runs the kernel meanwhile for runs checked runs and returns what
// the update came to.
func applyWhileRunning(t testing.TB, m *emu.Machine, tg *emu.Target, u *runtime.Update, after int64, runs int) *runtime.Report {
	t.Helper()
	a, err := runtime.Prepare(tg, u)
	if err != nil {
		t.Fatal(err)
	}
	tg.At(m.Stats().Steps+after, a.Start)
	runChecked(t, m, runs)
	return a.Wait()
}

// runChecked runs the kernel for n runs of 50 ticks, each followed by its
// self-check.
func runChecked(t testing.TB, m *emu.Machine, n int) {
	t.Helper()
	runTicks(t, m, n, "  check\n")
}

// runTicks runs the kernel for n runs of 50 ticks, each followed by more.
func runTicks(t testing.TB, m *emu.Machine, n int, more string) {
	t.Helper()
	src := "const SYS_RUN 1\nrepeat " + itoa(n) + "\n  sys SYS_RUN 50 -> >=50\n" + more + "end\n"
	w, err := emu.ParseWorkload("runs.wl", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	res, err := m.RunWorkload(w)
	if err != nil {
		if f, ok := err.(*emu.Fault); ok {
			t.Fatal(f.Report())
		}
		t.Fatal(err)
	}
	for _, r := range res.Requests {
		if r.Failed != "" {
			t.Fatalf("%s: %s", r.Pos, r.Failed)
		}
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
