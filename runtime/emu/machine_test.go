package emu

import (
	"os"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
)

func loadTestKernel(t testing.TB) *Image {
	t.Helper()
	img, err := Load(os.DirFS("testdata/kernel"), []string{"kernel.c", "fs.c"}, LoadOptions{IncludePaths: []string{"include"}})
	if err != nil {
		t.Fatal(err)
	}
	return img
}

func readWorkload(t testing.TB, name string) *Workload {
	t.Helper()
	src, err := os.ReadFile("testdata/kernel/" + name)
	if err != nil {
		t.Fatal(err)
	}
	w, err := ParseWorkload(name, src)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func bootKernel(t testing.TB, cpus int, seed uint64) (*Machine, *strings.Builder) {
	t.Helper()
	var console strings.Builder
	m, err := NewMachine(loadTestKernel(t), MachineConfig{CPUs: cpus, Seed: seed, Console: &console})
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Boot(); err != nil {
		t.Fatal(err)
	}
	return m, &console
}

func TestKernelWorkload(t *testing.T) {
	for _, cpus := range []int{1, 4} {
		m, console := bootKernel(t, cpus, 7)
		for _, wl := range []string{"basic.wl", "tail.wl"} {
			res, err := m.RunWorkload(readWorkload(t, wl))
			if err != nil {
				t.Fatalf("%d cpus, %s: %v", cpus, wl, err)
			}
			for _, r := range res.Requests {
				if r.Failed != "" {
					t.Errorf("%d cpus: %s: %s", cpus, r.Pos, r.Failed)
				}
			}
		}
		if !strings.Contains(console.String(), "boot: ") {
			t.Errorf("console %q lacks the boot message", console.String())
		}
		if got := m.OTT().Factory("File").Count(); got != 1 {
			t.Errorf("%d live File objects, want 1", got)
		}
	}
}

// TestSameSeedSameRun checks that a run is reproducible from its seed, and
// that different seeds really interleave the CPUs differently.
func TestSameSeedSameRun(t *testing.T) {
	run := func(seed uint64) []int {
		m, _ := bootKernel(t, 3, seed)
		res, err := m.RunWorkload(readWorkload(t, "basic.wl"))
		if err != nil {
			t.Fatal(err)
		}
		var cpus []int
		for _, r := range res.Requests {
			cpus = append(cpus, r.CPU, int(r.Steps), int(r.Result))
		}
		return cpus
	}
	a, b := run(42), run(42)
	if !reflect.DeepEqual(a, b) {
		t.Fatalf("same seed, different runs")
	}
	differ := false
	for seed := uint64(1); seed < 6 && !differ; seed++ {
		differ = !reflect.DeepEqual(a, run(seed))
	}
	if !differ {
		t.Errorf("five other seeds gave the very same interleaving")
	}
}

func TestKernelFaults(t *testing.T) {
	cases := []struct {
		line, kind, msg string
	}{
		{"sys 8 7", "panic", "requested panic 7"},
		{"sys 9 0", "memory", "null pointer"},
		{"sys 10", "budget", "step budget"},
	}
	for _, c := range cases {
		m, _ := bootKernel(t, 2, 1)
		w, err := ParseWorkload("f.wl", []byte(c.line+"\n"))
		if err != nil {
			t.Fatal(err)
		}
		m.cfg.StepBudget = 100000
		res, err := m.RunWorkload(w)
		f, ok := err.(*Fault)
		if !ok {
			t.Fatalf("%s: error %v, want a fault", c.line, err)
		}
		if f.Kind != c.kind || !strings.Contains(f.Msg, c.msg) || res.Fault != f {
			t.Errorf("%s: fault %s", c.line, f.Report())
		}
		if len(f.Backtrace) == 0 || f.Backtrace[len(f.Backtrace)-1].Func != "kernel_syscall" || !strings.Contains(f.Pos, "kernel.c:") {
			t.Errorf("%s: backtrace %v at %s", c.line, f.Backtrace, f.Pos)
		}
		if _, err := m.Call("kernel_selfcheck"); err != f {
			t.Errorf("a halted machine must keep its fault, got %v", err)
		}
	}
}

func TestWorkloadFailuresReported(t *testing.T) {
	m, _ := bootKernel(t, 1, 1)
	w, err := ParseWorkload("x.wl", []byte("sys 3 99 buf:4 4 -> 0\nsys 6 -> *\nout \"nothing like this\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	res, err := m.RunWorkload(w)
	if err != nil {
		t.Fatal(err)
	}
	if res.Failures != 2 || res.Requests[0].Pos != "x.wl:1" || !strings.Contains(res.Requests[0].Failed, "result -22, want 0") {
		t.Errorf("failures %d: %+v", res.Failures, res.Requests)
	}
}

func TestParseWorkloadErrors(t *testing.T) {
	for src, want := range map[string]string{
		"sys":                  "w:1:",
		"sys 1 -> ":            "w:1: -> needs",
		"repeat 3\nsys 1\n":    "without end",
		"end\n":                "w:1: end without",
		"sys FOO":              "not a number or a known constant",
		"stream a\nstream b":   "cannot nest",
		"sys 1 \"unterminated": "unterminated",
	} {
		_, err := ParseWorkload("w", []byte(src))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: error %v, want %q", src, err, want)
		}
	}
}

var fsReadFile = os.ReadFile

const deadlockKernel = `#include <kernel.h>
static lock_t a, b;
void kernel_boot(void) { }
long kernel_syscall(long nr, long a0, long a1, long a2, long a3, long a4, long a5)
{
	lock_t *first = nr == 1 ? &a : &b, *second = nr == 1 ? &b : &a;
	lock_acquire(first);
	for (int i = 0; i < 20; i++)
		yield();
	lock_acquire(second);
	lock_release(second);
	lock_release(first);
	return 0;
}
`

// TestDeadlockIsAFault: two CPUs taking two locks in opposite orders stop
// the machine with a deadlock fault instead of hanging the host.
func TestDeadlockIsAFault(t *testing.T) {
	img, err := Load(fstest.MapFS{"k.c": {Data: []byte(deadlockKernel)}}, []string{"k.c"}, LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	m, err := NewMachine(img, MachineConfig{CPUs: 2, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	w, _ := ParseWorkload("d.wl", []byte("stream x\nsys 1\nend\nstream y\nsys 2\nend\n"))
	_, err = m.RunWorkload(w)
	f, ok := err.(*Fault)
	if !ok || f.Kind != "deadlock" || !strings.Contains(f.Msg, "waits for") {
		t.Fatalf("got %v", err)
	}
}
