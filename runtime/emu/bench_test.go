package emu

import (
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// BenchmarkCPUBound runs testdata/bench/cpubound.c in the emulator; with
// gcc installed it also reports the ratio to the same program compiled
// with gcc -O0 (metric "x-gcc-O0").
func BenchmarkCPUBound(b *testing.B) {
	const size = "20"
	img, err := Load(os.DirFS("testdata/bench"), []string{"cpubound.c"}, LoadOptions{Hosted: true})
	if err != nil {
		b.Fatal(err)
	}
	var native time.Duration
	if gcc, err := exec.LookPath("gcc"); err == nil {
		exe := filepath.Join(b.TempDir(), "cpubound")
		if out, err := exec.Command(gcc, "-O0", "-o", exe, "testdata/bench/cpubound.c").CombinedOutput(); err != nil {
			b.Fatalf("gcc: %v\n%s", err, out)
		}
		start := time.Now()
		for i := 0; i < 3; i++ {
			if err := exec.Command(exe, size).Run(); err != nil {
				b.Fatal(err)
			}
		}
		native = time.Since(start) / 3
	}
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		if _, err := img.RunMain(context.Background(), []string{size}, io.Discard, ProgramOptions{}); err != nil {
			b.Fatal(err)
		}
	}
	if native > 0 {
		per := time.Since(start) / time.Duration(b.N)
		b.ReportMetric(float64(per)/float64(native), "x-gcc-O0")
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
