package runtime_test

import (
	"encoding/binary"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/upsynth/upsynth/runtime"
	"github.com/upsynth/upsynth/runtime/emu"
)

// The preemptive kernel's consumer and ISR-waiter tasks are parked inside
// sem_take almost all the time, and every task is inside task_main, its
// entry function, for good: an update replacing them never sees a point
// where no context executes them. The runtime swaps such code context by
// context (runtime.ContextCode, emu/transition.go).

// semTakeCounted counts every take in a global the update adds, and
// respells the consumer's increment in task_main.
func semTakeCounted(t *testing.T) []byte {
	return preemptWith(t,
		"static void sem_take(struct sem *s)\n{", "long sem_takes;\n\nstatic void sem_take(struct sem *s)\n{",
		"\ts->count--;\n\tirq_enable();", "\ts->count--;\n\tsem_takes++;\n\tirq_enable();",
		"\t\t\tconsumed++;", "\t\t\tconsumed += 1;")
}

func readGlobal(t *testing.T, tg *emu.Target, name string) uint64 {
	t.Helper()
	addr, ok := tg.Global(name)
	if !ok {
		t.Fatalf("no global %s", name)
	}
	b, err := tg.Read(addr, 8)
	if err != nil {
		t.Fatal(err)
	}
	return binary.LittleEndian.Uint64(b)
}

// TestSwapPerContext: the update applies although tasks never leave the
// replaced code all at once; the contexts inside it move to the new code
// one by one, the entry function's activations keep their old body (and
// the report says so), and the new code runs from then on.
func TestSwapPerContext(t *testing.T) {
	for _, mode := range []runtime.Mode{runtime.Eager, runtime.Lazy} {
		t.Run(mode.String(), func(t *testing.T) {
			m, tg := bootPreempt(t)
			runChecked(t, m, 2)
			u := &runtime.Update{Name: "count sem_take", Mode: mode,
				Sources:        []runtime.Source{{Path: "kernel.c", Code: semTakeCounted(t)}},
				Functions:      []string{"sem_take", "task_main"},
				QuiesceTimeout: 5 * time.Second}
			rep := applyWhileRunning(t, m, tg, u, 20_000, 6)
			if rep.Outcome != "applied" {
				t.Fatalf("outcome %s: %s", rep.Outcome, rep.Err)
			}
			if rep.Contexts == 0 {
				t.Errorf("no context moved one at a time: the test no longer exercises the per-context swap")
			}
			if !slices.Equal(rep.KeptEntries, []string{"task_main"}) {
				t.Errorf("kept entries %v, want [task_main]", rep.KeptEntries)
			}
			before := readGlobal(t, tg, "sem_takes")
			runChecked(t, m, 4)
			if after := readGlobal(t, tg, "sem_takes"); after <= before {
				t.Errorf("sem_takes %d then %d: the new sem_take does not run", before, after)
			}
			var b strings.Builder
			rep.Print(&b)
			if !strings.Contains(b.String(), "keep the old body of their entry function task_main") {
				t.Errorf("the report does not name the kept entry function:\n%s", b.String())
			}
		})
	}
}

// TestSwapPerContextTimesOut: a context that stays in the replaced code
// past the timeout rolls the update back; the contexts that had moved
// return to the old code the same way, and the kernel runs on correctly.
func TestSwapPerContextTimesOut(t *testing.T) {
	m, tg := bootPreempt(t)
	runChecked(t, m, 2)
	// A timeout shorter than any run: the contexts parked in sem_take
	// cannot have moved.
	u := &runtime.Update{Name: "count sem_take", Mode: runtime.Eager,
		Sources:        []runtime.Source{{Path: "kernel.c", Code: semTakeCounted(t)}},
		Functions:      []string{"sem_take"},
		QuiesceTimeout: time.Nanosecond}
	rep := applyWhileRunning(t, m, tg, u, 20_000, 6)
	if rep.Outcome != "rolled back" || !strings.Contains(rep.Err, "still run the replaced code") {
		var b strings.Builder
		rep.Print(&b)
		t.Fatalf("outcome %s (%s), want rolled back: a context still runs the replaced code\n%s", rep.Outcome, rep.Err, b.String())
	}
	// Contexts that had moved return to the old code as they leave the
	// new one; the kernel's lists and counters stay consistent.
	runChecked(t, m, 4)
	if _, ok := tg.Global("sem_takes"); ok {
		t.Errorf("the rolled-back update's global sem_takes is still bound")
	}
}

// TestSwapPerContextCountsProgress: the timeout of a per-context swap
// counts the kernel's progress, not only wall time. The host stalls (a
// sleep standing for a loaded machine) for longer than the timeout while
// contexts still lag; the kernel then runs on and they move: the update
// applies. Timed on the wall clock alone, it rolled back at the first
// check after the stall.
func TestSwapPerContextCountsProgress(t *testing.T) {
	m, tg := bootPreempt(t)
	runChecked(t, m, 2)
	u := &runtime.Update{Name: "count sem_take", Mode: runtime.Eager,
		Sources:        []runtime.Source{{Path: "kernel.c", Code: semTakeCounted(t)}},
		Functions:      []string{"sem_take"},
		QuiesceTimeout: 100 * time.Millisecond}
	a, err := runtime.Prepare(tg, u)
	if err != nil {
		t.Fatal(err)
	}
	tg.At(m.Stats().Steps+500, a.Start)
	// Three ticks: the update starts, some contexts move, others stay
	// parked in sem_take.
	if _, err := m.Call("kernel_syscall", 1, 3); err != nil {
		t.Fatal(err)
	}
	if a.Done() {
		t.Fatalf("the update ended within the first run (%s): the test no longer has contexts lagging across the stall", a.Report().Outcome)
	}
	time.Sleep(300 * time.Millisecond)
	runChecked(t, m, 6)
	rep := a.Wait()
	if rep.Outcome != "applied" {
		t.Fatalf("outcome %s (%s): the stall of the host counted as the kernel's time", rep.Outcome, rep.Err)
	}
	if rep.Contexts == 0 {
		t.Errorf("no context moved one at a time")
	}
}
