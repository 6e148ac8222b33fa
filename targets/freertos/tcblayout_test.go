package freertos

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/upsynth/upsynth/kernel"
	upd "github.com/upsynth/upsynth/runtime"
	"github.com/upsynth/upsynth/runtime/emu"
	"github.com/upsynth/upsynth/runtime/emu/verify"
)

// The benchmark: an update that changes TCB_t's layout applied to a
// running FreeRTOS with 1,000 tasks alive, eagerly and lazily. The update is
// synthetic: tasks.c of the revision with a field added to struct
// tskTaskControlBlock after xEventListItem, so every later field moves.
// Every task is parked inside tasks.c code that depends on that layout (the
// added tasks sleep in vTaskDelay, parked in xTaskResumeAll): the update
// applies because that code reads the layout from layout cells
// (runtime/emu/layoutcells.go).

const (
	tcbBenchRev   = "HEAD"
	tcbBenchTasks = 1000
	// tcbField follows xEventListItem in every revision's TCB.
	tcbAnchor = "ListItem_t xEventListItem;"
	tcbField  = "UBaseType_t uxUpsynthBench; /* added by BenchmarkFreeRTOSTCBLayout */"
)

// tcbLayoutKernel builds the revision with a heap for the added tasks and
// boots it; it returns the machine, the target and the patched tasks.c.
func tcbLayoutKernel(tb testing.TB) (*emu.Machine, *emu.Target, []byte) {
	tb.Helper()
	dir := kernelAt(tb, tcbBenchRev)
	tg, err := Target()
	if err != nil {
		tb.Fatal(err)
	}
	kt := kernel.TreeOf(os.DirFS(dir), "FreeRTOS-Kernel", kernel.Config{}).On(tg)
	mods, err := kt.Modules()
	if err != nil {
		tb.Fatal(err)
	}
	opts := verify.LoadOptions(kt.Build())
	// 1,000 tasks of 2 KiB stacks and their TCBs.
	opts.Defines = append(opts.Defines, "configTOTAL_HEAP_SIZE=(6*1024*1024)")
	img, err := emu.Load(kt.FS, mods, opts)
	if err != nil {
		tb.Fatal(err)
	}
	m, err := emu.NewMachine(img, emu.MachineConfig{CPUs: 1, Seed: 1, Console: &strings.Builder{}, MemoryLimit: 512 << 20})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(m.Close)
	if err := m.Boot(); err != nil {
		tb.Fatal(err)
	}
	target, err := emu.NewTarget(m, kt.FS)
	if err != nil {
		tb.Fatal(err)
	}
	src, err := os.ReadFile(filepath.Join(dir, "tasks.c"))
	if err != nil {
		tb.Fatal(err)
	}
	if strings.Count(string(src), tcbAnchor) != 1 {
		tb.Fatalf("tasks.c of %s: %q does not occur once", tcbBenchRev, tcbAnchor)
	}
	patched := strings.Replace(string(src), tcbAnchor, tcbAnchor+"\n    "+tcbField, 1)
	return m, target, []byte(patched)
}

func tcbRun(tb testing.TB, m *emu.Machine, ticks int) {
	tb.Helper()
	if _, err := m.Call("kernel_syscall", 1, uint64(ticks)); err != nil {
		if f, ok := err.(*emu.Fault); ok {
			tb.Fatal(f.Report())
		}
		tb.Fatal(err)
	}
}

// tcbRetries counts the attempts refused by a coincidence of data.
var tcbRetries int

// tcbApply boots the kernel, adds the tasks, runs, applies the layout change
// under load and checks the kernel after it.
func tcbApply(tb testing.TB, mode upd.Mode) *upd.Report {
	tb.Helper()
	m, tg, patched := tcbLayoutKernel(tb)
	if n, err := m.Call("kernel_syscall", 4, tcbBenchTasks); err != nil || n != tcbBenchTasks {
		tb.Fatalf("adding %d tasks: %d %v", tcbBenchTasks, n, err)
	}
	tcbRun(tb, m, 200)
	runsBefore, _ := m.Call("kernel_syscall", 5)
	var rep *upd.Report
	for attempt := 1; ; attempt++ {
		u := &upd.Update{
			Name:           "TCB_t gains a field",
			Mode:           mode,
			Sources:        []upd.Source{{Path: "tasks.c", Code: patched}},
			Types:          []upd.TypeUpdate{{Name: "tskTaskControlBlock"}},
			QuiesceTimeout: 10 * time.Second,
		}
		a, err := upd.Prepare(tg, u)
		if err != nil {
			tb.Fatal(err)
		}
		tg.At(m.Stats().Steps+20_000, a.Start)
		tcbRun(tb, m, 200)
		rep = a.Wait()
		// The stream and message buffers' bytes are untyped: a word of
		// them that happens to hold a TCB's address refuses the update
		// before anything changes (a pointer may hide there). Their
		// contents change from tick to tick, so it is tried again, as
		// an operator would; the retries are counted.
		if rep.Outcome == "rolled back" && strings.Contains(rep.Err, "cannot be told from a number") && attempt < 5 {
			tb.Logf("attempt %d refused: %s", attempt, rep.Err)
			tcbRetries++
			continue
		}
		break
	}
	if rep.Outcome != "applied" {
		var b strings.Builder
		rep.Print(&b)
		tb.Fatalf("%s: %s\n%s", rep.Outcome, rep.Err, b.String())
	}
	tcbRun(tb, m, 200)
	if r, err := m.Call("kernel_selfcheck"); err != nil || r != 0 {
		tb.Fatalf("self-check after the update: %d %v", r, err)
	}
	if runsAfter, _ := m.Call("kernel_syscall", 5); runsAfter <= runsBefore {
		tb.Fatalf("the added tasks stopped running: %d runs before the update, %d after", runsBefore, runsAfter)
	}
	if n, _ := m.Call("kernel_task_count"); n < tcbBenchTasks {
		tb.Fatalf("%d tasks after the update", n)
	}
	if len(rep.Heap) != 1 || rep.Heap[0].Instances < tcbBenchTasks {
		tb.Fatalf("heap report %+v: want every TCB moved", rep.Heap)
	}
	return rep
}

// TestFreeRTOSTCBLayout: the update applies with 1,000 tasks parked in
// code depending on TCB_t's layout, every TCB moves, the tasks keep
// running and the self-check passes.
func TestFreeRTOSTCBLayout(t *testing.T) {
	if testing.Short() {
		t.Skip("boots FreeRTOS with 1,000 tasks")
	}
	rep := tcbApply(t, upd.Lazy)
	t.Logf("%s; apply %v, longest pause %v", rep.Heap[0], rep.Apply, rep.Pauses.Max)
}

// BenchmarkFreeRTOSTCBLayout reports the time to apply the TCB_t layout
// change with 1,000 tasks alive (apply-ms: start to commit) and the longest
// pause (maxpause-ms wall, maxpause-cpu-ms of the update's CPU time), eager
// and lazy. A type without an object table moves in one step at the safe
// point whatever the mode.
func BenchmarkFreeRTOSTCBLayout(b *testing.B) {
	for _, mode := range []upd.Mode{upd.Eager, upd.Lazy} {
		b.Run(mode.String(), func(b *testing.B) {
			var apply, pause, cpu time.Duration
			var moved, fixed, interior int
			tcbRetries = 0
			for i := 0; i < b.N; i++ {
				rep := tcbApply(b, mode)
				apply += rep.Apply
				pause = max(pause, rep.Pauses.Max)
				cpu = max(cpu, rep.Pauses.CPUMax)
				moved, fixed, interior = rep.Heap[0].Instances, rep.Heap[0].Pointers, rep.Heap[0].Interior
			}
			b.ReportMetric(float64(apply.Microseconds())/float64(b.N)/1000, "apply-ms")
			b.ReportMetric(float64(pause.Microseconds())/1000, "maxpause-ms")
			b.ReportMetric(float64(cpu.Microseconds())/1000, "maxpause-cpu-ms")
			b.ReportMetric(float64(moved), "tcbs")
			b.ReportMetric(float64(fixed), "pointers")
			b.ReportMetric(float64(interior), "interior")
			b.ReportMetric(float64(tcbRetries)/float64(b.N), "retries/op")
		})
	}
}
