package runtime_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/upsynth/upsynth/runtime"
	"github.com/upsynth/upsynth/runtime/emu"
)

// With PARK_IN_LAYOUT every task of the preemptive kernel parks in
// reschedule holding a pointer to its control block and one into its
// middle, and reads the block's fields when it resumes: a FreeRTOS task
// parked in xTaskResumeAll does the same with its TCB_t. A layout change of
// struct task must then move the instances under parked frames whose code
// depends on the layout. The frames resume in the code they were compiled
// to; that code reads the offsets from layout cells the update switches in
// the step that moves the instances (runtime/emu/layoutcells.go), and the
// frames' pointers are fixed like every other.

// parkedInReschedule counts the contexts whose stack holds reschedule.
func parkedInReschedule(tg *emu.Target) int {
	n := 0
	for _, s := range tg.Stacks() {
		if s.Context == 0 {
			continue
		}
		for _, f := range s.Frames {
			if f.Func == "reschedule" {
				n++
				break
			}
		}
	}
	return n
}

// TestLayoutChangeParked applies v2 (every field of struct task moves, one
// is added) while the tasks are parked in reschedule, in both modes: it
// applies, the tasks resume and keep running, the self-checks (which walk
// every list and v2's new field) pass.
func TestLayoutChangeParked(t *testing.T) {
	for _, mode := range []runtime.Mode{runtime.Eager, runtime.Lazy} {
		t.Run(mode.String(), func(t *testing.T) {
			m, tg := bootPreempt(t, "PARK_IN_LAYOUT")
			runChecked(t, m, 2)
			u := preemptV2(t)
			u.Mode = mode
			u.QuiesceTimeout = 2 * time.Second
			parked := 0
			u.Before = func(*runtime.Env) error {
				// At the safe point, in the step that moves the
				// instances.
				parked = parkedInReschedule(tg)
				return nil
			}
			rep := applyWhileRunning(t, m, tg, u, 20_000, 6)
			if rep.Outcome != "applied" {
				t.Fatalf("outcome %s: %s", rep.Outcome, rep.Err)
			}
			if parked < 3 {
				t.Fatalf("%d contexts parked in reschedule when the instances moved, want the suspended tasks", parked)
			}
			if len(rep.Heap) != 1 || rep.Heap[0].Instances != 8 {
				t.Fatalf("heap report %+v, want 8 tasks moved", rep.Heap)
			}
			runChecked(t, m, 4)
			t.Logf("%d contexts parked in reschedule; %s", parked, rep.Heap[0])
		})
	}
}

// TestLayoutChangeParkedRollback: the After hook fails once the instances
// moved under the parked tasks; the rollback moves them back, the cells get
// the old layout again and the old code runs on.
func TestLayoutChangeParkedRollback(t *testing.T) {
	m, tg := bootPreempt(t, "PARK_IN_LAYOUT")
	runChecked(t, m, 2)
	u := preemptV2(t)
	u.QuiesceTimeout = 2 * time.Second
	u.After = func(*runtime.Env) error { return errors.New("after fails") }
	rep := applyWhileRunning(t, m, tg, u, 20_000, 6)
	if rep.Outcome != "rolled back" || !strings.Contains(rep.Err, "after fails") {
		t.Fatalf("outcome %s (%s), want rolled back by the After hook", rep.Outcome, rep.Err)
	}
	if len(rep.Heap) != 1 || rep.Heap[0].Instances != 8 || rep.RolledBack != 8 {
		t.Fatalf("heap report %+v, %d rolled back: want 8 moved and moved back", rep.Heap, rep.RolledBack)
	}
	runChecked(t, m, 4)
}

// TestLayoutChangeParkedRefused: what a parked frame's code compiled in
// cannot follow the move, and the update is refused with the reason: here
// a copy of the task's control block in the frame of reschedule (its size
// is the old one), which no cell and no pointer fix can mend.
func TestLayoutChangeParkedRefused(t *testing.T) {
	m, tg := bootPreempt(t, "PARK_IN_LAYOUT", "PARK_WITH_COPY")
	runChecked(t, m, 1)
	u := preemptV2(t)
	u.QuiesceTimeout = 300 * time.Millisecond
	rep := applyWhileRunning(t, m, tg, u, 5_000, 3)
	const want = "local copy holds a struct task in the frame"
	if rep.Outcome != "rolled back" || !strings.Contains(rep.Err, want) || !strings.Contains(rep.Err, "reschedule") {
		t.Fatalf("outcome %s (%s), want rolled back saying %q of reschedule", rep.Outcome, rep.Err, want)
	}
	t.Log(rep.Err)
	runChecked(t, m, 2)
}
