package runtime_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/upsynth/upsynth/runtime"
)

// TestTypedHeapUpdate applies a layout change of struct task while the
// tasks run: every instance is found through the typed heap, moved, and
// every pointer to it fixed, the interior ones into its list items too.
// The self-checks walk every list before and after, and v2's checks that
// the new field is maintained.
func TestTypedHeapUpdate(t *testing.T) {
	for _, define := range []string{"", "STATIC_TASK"} {
		t.Run(define, func(t *testing.T) { testTypedHeapUpdate(t, define) })
	}
}

// testTypedHeapUpdate: with STATIC_TASK the idle task's control block is a
// global, which the update gives new storage (its size changes).
func testTypedHeapUpdate(t *testing.T, define string) {
	var defines []string
	if define != "" {
		defines = append(defines, define)
	}
	m, tg := bootPreempt(t, defines...)
	runChecked(t, m, 2)
	rep := applyWhileRunning(t, m, tg, preemptV2(t), 20_000, 6)
	if rep.Outcome != "applied" {
		t.Fatalf("outcome %s: %s", rep.Outcome, rep.Err)
	}
	if len(rep.Heap) != 1 || rep.Heap[0].Instances != 8 {
		t.Fatalf("heap report %+v, want 8 tasks moved", rep.Heap)
	}
	if define == "STATIC_TASK" && (len(rep.Globals) != 1 || !strings.Contains(rep.Globals[0], "idle_tcb")) {
		t.Errorf("globals moved: %v, want idle_tcb (a global task control block, its size changes)", rep.Globals)
	}
	h := rep.Heap[0]
	// Every task is reached from a list's neighbours (two interior
	// pointers per item in a list), its items' owners, all_tasks.
	if h.Interior < 16 || h.Pointers < h.Interior+8 {
		t.Errorf("%s: too few pointers fixed", h)
	}
	runChecked(t, m, 4)
	var b strings.Builder
	rep.Print(&b)
	t.Log(b.String())
}

// TestTypedHeapRefuses: what the typed heap cannot tell is refused with
// its reason, and the kernel runs on at the old version.
func TestTypedHeapRefuses(t *testing.T) {
	for _, tc := range []struct{ define, want string }{
		{"HIDE_POINTER", "global hidden (integer) holds"},
		{"UNTYPED_BLOCK", "has no type (its allocation site converts the result to no struct and sizes it with no sizeof): it may hold a struct task"},
	} {
		m, tg := bootPreempt(t, tc.define)
		runChecked(t, m, 1)
		a, err := runtime.Prepare(tg, preemptV2(t))
		if err != nil {
			t.Fatal(err)
		}
		rep := a.Wait()
		if rep.Outcome != "rolled back" || !strings.Contains(rep.Err, tc.want) {
			t.Errorf("%s: %s (%s), want rolled back saying %q", tc.define, rep.Outcome, rep.Err, tc.want)
		}
		t.Logf("%s: %s", tc.define, rep.Err)
		runChecked(t, m, 2)
	}
}

// BenchmarkTypedHeapUpdate applies v2 (struct task's layout changes) with
// 1,000 tasks alive, while the kernel runs: the time to apply it and the
// longest pause. A type without an object table is converted in one task
// at a safe point whatever the mode, so lazy pauses as long as eager.
func BenchmarkTypedHeapUpdate(b *testing.B) {
	for _, mode := range []runtime.Mode{runtime.Eager, runtime.Lazy} {
		b.Run(mode.String(), func(b *testing.B) {
			var apply, pause, cpu, task time.Duration
			var moved, fixed int
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				m, tg := bootPreempt(b)
				if r, err := m.Call("kernel_syscall", 2, 992); err != nil || r != 1000 {
					b.Fatalf("spawn: %d %v", r, err)
				}
				// 1,000 time-sliced workers starve the producer, so
				// only the structure is checked (60: no progress).
				runTicks(b, m, 1, "")
				u := preemptV2(b)
				u.Mode = mode
				a, err := runtime.Prepare(tg, u)
				if err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				tg.At(m.Stats().Steps+10_000, a.Start)
				runTicks(b, m, 2, "")
				rep := a.Wait()
				b.StopTimer()
				if rep.Outcome != "applied" {
					b.Fatalf("%s: %s", rep.Outcome, rep.Err)
				}
				if r, err := m.Call("kernel_selfcheck"); err != nil || (r != 0 && r != 60) {
					b.Fatalf("selfcheck %d %v", r, err)
				}
				apply += rep.Apply
				pause = max(pause, rep.Pauses.Max)
				cpu = max(cpu, rep.Pauses.CPUMax)
				task = max(task, rep.LongestTask)
				moved, fixed = rep.Heap[0].Instances, rep.Heap[0].Pointers
				m.Close()
			}
			b.ReportMetric(float64(apply.Microseconds())/float64(b.N)/1000, "apply-ms")
			b.ReportMetric(float64(pause.Microseconds())/1000, "maxpause-ms")
			b.ReportMetric(float64(cpu.Microseconds())/1000, "maxpause-cpu-ms")
			b.ReportMetric(float64(task.Microseconds())/1000, "longest-task-ms")
			b.ReportMetric(float64(moved), "tasks")
			b.ReportMetric(float64(fixed), "pointers")
		})
	}
}

// TestTypedHeapRollback: the update fails after every task moved to the
// new layout; the rollback moves them back, fixes every pointer again and
// the old code runs on them, for heap blocks and for a global instance.
func TestTypedHeapRollback(t *testing.T) {
	for _, define := range []string{"", "STATIC_TASK"} {
		t.Run(define, func(t *testing.T) {
			var defines []string
			if define != "" {
				defines = append(defines, define)
			}
			m, tg := bootPreempt(t, defines...)
			runChecked(t, m, 2)
			u := preemptV2(t)
			u.After = func(*runtime.Env) error { return errors.New("after fails") }
			rep := applyWhileRunning(t, m, tg, u, 20_000, 6)
			if rep.Outcome != "rolled back" || !strings.Contains(rep.Err, "after fails") {
				t.Fatalf("outcome %s (%s), want rolled back by the After hook", rep.Outcome, rep.Err)
			}
			if len(rep.Heap) != 1 || rep.Heap[0].Instances == 0 {
				t.Fatalf("heap report %+v: nothing moved before the rollback", rep.Heap)
			}
			if rep.RolledBack != rep.Heap[0].Instances {
				t.Errorf("%d instances moved back, %d moved", rep.RolledBack, rep.Heap[0].Instances)
			}
			runChecked(t, m, 4)
		})
	}
}
