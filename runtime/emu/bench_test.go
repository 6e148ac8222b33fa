package emu

import (
	"bytes"
	"context"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

var cpuboundSize = flag.Int("cpubound.size", 100, "SIZE argument of testdata/bench/cpubound.c in BenchmarkCPUBound")

// BenchmarkCPUBound runs testdata/bench/cpubound.c (loops, arithmetic,
// pointer chasing, calls) in the emulator and, when gcc is installed,
// reports how many times slower a run is than the same program compiled
// with gcc -O0 and run natively (metric x-gcc-O0, fastest run against
// fastest run; the target is at most 20) and the native time (native-ms).
// Loading is not timed: it happens once per image. -cpubound.size scales
// the work (100: about 0.2 s native); use -benchtime Nx for N runs.
func BenchmarkCPUBound(b *testing.B) { benchCPUBound(b, false) }

// BenchmarkCPUBoundCells is BenchmarkCPUBound with the program compiled as
// a kernel is: struct member offsets, sizes and strides read from layout
// cells (layoutcells.go). Its x-gcc-O0 is what the cells cost.
func BenchmarkCPUBoundCells(b *testing.B) { benchCPUBound(b, true) }

func benchCPUBound(b *testing.B, cells bool) {
	const dir, name = "testdata/bench", "cpubound.c"
	args := []string{strconv.Itoa(*cpuboundSize)}
	img, err := Load(os.DirFS(dir), []string{name}, LoadOptions{Hosted: true, layoutCells: cells})
	if err != nil {
		b.Fatal(err)
	}
	var native time.Duration
	var want []byte
	if gcc, err := exec.LookPath("gcc"); err == nil {
		exe := buildNative(b, gcc, filepath.Join(b.TempDir(), "cpubound"), filepath.Join(dir, name))
		// The fastest of a few runs is the one least disturbed by other load.
		for i := 0; i < 5; i++ {
			start := time.Now()
			out, status := runNative(b, exe, args)
			if elapsed := time.Since(start); i == 0 || elapsed < native {
				native = elapsed
			}
			if status != 0 {
				b.Fatalf("native cpubound exited with status %d", status)
			}
			want = out
		}
	}
	// The ratio compares the fastest emulated run with the fastest native
	// one: on a shared machine the minimum is the least noisy estimate.
	var fastest time.Duration
	for runs := 0; b.Loop(); runs++ {
		var got bytes.Buffer
		start := time.Now()
		status, err := img.RunMain(context.Background(), args, &got, ProgramOptions{})
		if elapsed := time.Since(start); runs == 0 || elapsed < fastest {
			fastest = elapsed
		}
		if err != nil || status != 0 {
			b.Fatalf("emulator: status %d, %v", status, err)
		}
		if runs == 0 && want != nil && !bytes.Equal(got.Bytes(), want) {
			b.Fatalf("emulator output differs from native:\n%s", outputDiff("native", want, "emulator", got.Bytes()))
		}
	}
	if native > 0 {
		b.ReportMetric(float64(fastest)/float64(native), "x-gcc-O0")
		b.ReportMetric(float64(native)/float64(time.Millisecond), "native-ms")
	}
}

const callBench = `#include <kernel.h>
OBJECT_TYPE(Obj) { long n; };
static ObjRef obj;
static long plain(long self, long d) { return self + d; }
long Obj_add(ObjRef self, long d) { return self + d; }
void kernel_boot(void) { obj = NEW(Obj); }
long kernel_syscall(long nr, long n, long a1, long a2, long a3, long a4, long a5)
{
	long s = 0;
	if (nr == 1)
		for (long i = 0; i < n; i++)
			s += Obj_add(obj, i);
	else
		for (long i = 0; i < n; i++)
			s += plain(obj, i);
	return s;
}
`

// BenchmarkMethodCall compares a method call dispatched through the OTT with
// a plain call of the same function (ns per call).
func BenchmarkMethodCall(b *testing.B) {
	dir := b.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "k.c"), []byte(callBench), 0o644); err != nil {
		b.Fatal(err)
	}
	img, err := Load(os.DirFS(dir), []string{"k.c"}, LoadOptions{})
	if err != nil {
		b.Fatal(err)
	}
	for _, kind := range []struct {
		name string
		nr   uint64
	}{{"plain", 2}, {"ott", 1}} {
		b.Run(kind.name, func(b *testing.B) {
			m, err := NewMachine(img, MachineConfig{StepBudget: 1 << 40, Quantum: 100000})
			if err != nil {
				b.Fatal(err)
			}
			if err := m.Boot(); err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			if _, err := m.Call("kernel_syscall", kind.nr, uint64(b.N)); err != nil {
				b.Fatal(err)
			}
		})
	}
}

var _ = strconv.Itoa
