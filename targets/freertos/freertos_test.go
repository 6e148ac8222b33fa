package freertos

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	upd "github.com/upsynth/upsynth/runtime"
	"github.com/upsynth/upsynth/runtime/emu"
)

// kernelAt extracts a revision of the FreeRTOS-Kernel clone named by
// UPSYNTH_FREERTOS (a git directory, bare or not) into a temporary
// directory.
func kernelAt(t testing.TB, rev string) string {
	t.Helper()
	repo := os.Getenv("UPSYNTH_FREERTOS")
	if repo == "" {
		t.Skip("UPSYNTH_FREERTOS is not set: it names a clone of github.com/FreeRTOS/FreeRTOS-Kernel")
	}
	dir := t.TempDir()
	cmd := exec.Command("sh", "-c", `git -C "$0" archive "$1" | tar -x -C "$2"`, repo, rev, dir)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("extracting %s from %s: %v\n%s", rev, repo, err, out)
	}
	return dir
}

func bootFreeRTOS(t testing.TB, rev string) (*emu.Machine, *strings.Builder) {
	t.Helper()
	img, err := Load(os.DirFS(kernelAt(t, rev)))
	if err != nil {
		t.Fatalf("%s: %v", rev, err)
	}
	var console strings.Builder
	m, err := emu.NewMachine(img, emu.MachineConfig{CPUs: 1, Seed: 1, Console: &console, MemoryLimit: 512 << 20})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(m.Close)
	if err := m.Boot(); err != nil {
		if f, ok := err.(*emu.Fault); ok {
			t.Fatalf("%s: boot: %s", rev, f.Report())
		}
		t.Fatalf("%s: boot: %v", rev, err)
	}
	return m, &console
}

// TestFreeRTOSBoots builds and boots FreeRTOS with the port at the first
// and the newest revision and runs the application for 2,000 ticks: every
// self-check passes (no error counted, every check progressing).
func TestFreeRTOSBoots(t *testing.T) {
	for _, rev := range []string{"V10.4.0-kernel-only", "HEAD"} {
		t.Run(rev, func(t *testing.T) {
			m, console := bootFreeRTOS(t, rev)
			w, err := Workload()
			if err != nil {
				t.Fatal(err)
			}
			res, err := m.RunWorkload(w)
			if err != nil {
				if f, ok := err.(*emu.Fault); ok {
					t.Fatalf("%s\nconsole:\n%s", f.Report(), console)
				}
				t.Fatal(err)
			}
			for _, r := range res.Requests {
				if r.Failed != "" {
					t.Errorf("%s: %s\nconsole:\n%s", r.Pos, r.Failed, console)
					break
				}
			}
			ticks, _ := m.Call("kernel_syscall", 2)
			inherit, _ := m.Call("kernel_syscall", 3)
			t.Logf("%s: %d ticks, %+v, priority inheritance seen %d times", rev, ticks, m.PortStats(), inherit)
			if ticks < 2000 {
				t.Errorf("%d ticks, want 2000", ticks)
			}
		})
	}
}

// BenchmarkFreeRTOSTicks measures the application on the target: ticks of
// FreeRTOS per second of wall time (2,000 steps of the CPU per tick, 24
// tasks).
func BenchmarkFreeRTOSTicks(b *testing.B) {
	m, _ := bootFreeRTOS(b, "HEAD")
	const ticks = 500
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := m.Call("kernel_syscall", 1, ticks); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(ticks*b.N)/b.Elapsed().Seconds(), "ticks/s")
}

// TestFreeRTOSTypedHeap: the typed heap finds FreeRTOS's instances without
// an object table — every TCB_t and Queue_t is a block pvPortMalloc
// returned, typed by its allocation site inside ucHeap.
func TestFreeRTOSTypedHeap(t *testing.T) {
	for _, rev := range []string{"V10.4.0-kernel-only", "HEAD"} {
		t.Run(rev, func(t *testing.T) {
			m, _ := bootFreeRTOS(t, rev)
			if _, err := m.Call("kernel_syscall", 1, 50); err != nil {
				t.Fatal(err)
			}
			tg, err := emu.NewTarget(m, os.DirFS(t.TempDir()))
			if err != nil {
				t.Fatal(err)
			}
			tasks, _ := m.Call("kernel_task_count")
			tcbs, err := tg.HeapInstances("tskTaskControlBlock")
			if err != nil {
				t.Fatal(err)
			}
			if len(tcbs) < int(tasks) || len(tcbs) > int(tasks)+2 {
				t.Errorf("%d TCBs found, the kernel has %d tasks (and at most 2 waiting to be freed)", len(tcbs), tasks)
			}
			queues, err := tg.HeapInstances("QueueDefinition")
			if err != nil {
				t.Fatal(err)
			}
			// The application's queue, 4 semaphores and mutexes, the
			// timer task's queue.
			if len(queues) != 6 {
				t.Errorf("%d queues found, want 6", len(queues))
			}
			words := 0
			if err := tg.HeapWords(func(w *upd.HeapWord) error { words++; return nil }); err != nil {
				t.Fatal(err)
			}
			t.Logf("%s: %d TCBs, %d queues, %d words that may hold pointers", rev, len(tcbs), len(queues), words)
		})
	}
}
