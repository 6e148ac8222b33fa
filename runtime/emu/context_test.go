package emu

import (
	"os"
	"strings"
	"testing"
	"testing/fstest"
)

func loadPreempt(t testing.TB) *Image {
	t.Helper()
	img, err := Load(os.DirFS("testdata/preempt"), []string{"kernel.c"}, LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return img
}

func bootPreempt(t testing.TB, seed uint64) (*Machine, *strings.Builder) {
	t.Helper()
	var console strings.Builder
	m, err := NewMachine(loadPreempt(t), MachineConfig{CPUs: 1, Seed: seed, Console: &console})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(m.Close)
	if err := m.Boot(); err != nil {
		t.Fatal(err)
	}
	return m, &console
}

func runPreempt(t testing.TB, m *Machine) *WorkloadResult {
	t.Helper()
	src, err := os.ReadFile("testdata/preempt/run.wl")
	if err != nil {
		t.Fatal(err)
	}
	w, err := ParseWorkload("run.wl", src)
	if err != nil {
		t.Fatal(err)
	}
	res, err := m.RunWorkload(w)
	if err != nil {
		if f, ok := err.(*Fault); ok {
			t.Fatal(f.Report())
		}
		t.Fatal(err)
	}
	for _, r := range res.Requests {
		if r.Failed != "" {
			t.Errorf("%s: %s", r.Pos, r.Failed)
		}
	}
	return res
}

// TestPreemptiveKernel runs the testdata kernel: tasks on their own stacks,
// preempted by the tick, synchronized by critical sections and a semaphore
// given from the tick handler, the idle task waiting for interrupts; every
// self-check (lists, error and progress counters) passes.
func TestPreemptiveKernel(t *testing.T) {
	m, console := bootPreempt(t, 1)
	runPreempt(t, m)
	if !strings.Contains(console.String(), "preempt: 8 tasks") {
		t.Errorf("console %q", console.String())
	}
	ps := m.PortStats()
	if ps.Contexts != 8 {
		t.Errorf("%d contexts created, want 8", ps.Contexts)
	}
	if ps.Interrupts[irqTick] != 1000 {
		t.Errorf("%d ticks delivered, want 1000", ps.Interrupts[irqTick])
	}
	if ps.Interrupts[irqSoft] == 0 || ps.Switches < 1000 || ps.IdleSteps == 0 {
		t.Errorf("stats %+v: want soft interrupts, switches and idle time", ps)
	}
	shared, err := m.Call("kernel_syscall", 5)
	if err != nil || shared < 100 {
		t.Errorf("shared counter %d (%v): the workers made no progress", shared, err)
	}
	// Between runs every task is parked in a switch, on its own stack.
	var parked int
	for _, x := range m.Contexts() {
		if x.Boot {
			continue
		}
		if x.State != "suspended" || len(x.Frames) == 0 || x.Frames[len(x.Frames)-1].Func != "task_main" {
			t.Errorf("context %d: %s %v", x.ID, x.State, x.Frames)
		}
		parked++
	}
	if parked != 8 {
		t.Errorf("%d task contexts parked, want 8", parked)
	}
}

// TestPreemptDeterministic: a run is reproducible from its seed, and the
// seed changes where the ticks preempt.
func TestPreemptDeterministic(t *testing.T) {
	run := func(seed uint64) (PortStats, int64) {
		m, _ := bootPreempt(t, seed)
		runPreempt(t, m)
		shared, _ := m.Call("kernel_syscall", 5)
		return m.PortStats(), int64(shared)
	}
	a, sa := run(3)
	b, sb := run(3)
	if a != b || sa != sb {
		t.Fatalf("same seed, different runs: %+v %d / %+v %d", a, sa, b, sb)
	}
	c, sc := run(4)
	if a == c && sa == sc {
		t.Errorf("seeds 3 and 4 ran identically: %+v", a)
	}
}

// TestPreemptNeedsMasking: without its critical section, a worker's
// read-modify-write is preempted and the self-check sees it; the kernel's
// check is not vacuous.
func TestPreemptNeedsMasking(t *testing.T) {
	img, err := Load(os.DirFS("testdata/preempt"), []string{"kernel.c"}, LoadOptions{Defines: []string{"NO_CRITICAL"}})
	if err != nil {
		t.Fatal(err)
	}
	m, err := NewMachine(img, MachineConfig{CPUs: 1, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if err := m.Boot(); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Call("kernel_syscall", 1, 200); err != nil {
		t.Fatal(err)
	}
	if r, err := m.Call("kernel_selfcheck"); err != nil || r != 50 {
		t.Errorf("selfcheck = %d, %v; want 50 (a task counted errors)", r, err)
	}
}

// portMisuse is a kernel that misuses the port features one way per
// syscall number.
const portMisuse = `#include <kernel_port.h>
static unsigned char stk[2][1024];
static ctx_t boot, a, b;
static int mode, resumed;
static void tick(void) {}
static void soft(void) { ctx_switch(boot); }
static void masked_tick(void) { irq_disable(); }
static void entry(void *arg) {
	switch (mode) {
	case 1: return;                    /* an entry returns */
	case 2: for (;;) { resumed++; ctx_switch(boot); } /* fine: back to the request */
	case 3: ctx_destroy(ctx_self());   /* destroys itself */
	case 4: irq_enable();              /* unbalanced */
	case 5: irq_handler(IRQ_TICK, masked_tick); timer_start(64); for (;;) ;
	case 6: wait_for_interrupt();      /* nothing will come */
	case 7: { unsigned long s = irq_save(); irq_save(); irq_restore(s); }
	case 9: for (volatile int i = 0; ; i++) ; /* preempted forever: budget */
	}
}
void kernel_boot(void) {
	irq_handler(IRQ_TICK, tick);
	irq_handler(IRQ_SOFT, soft);
}
long kernel_selfcheck(void) { return 0; }
long kernel_syscall(long nr, long a0, long a1, long a2, long a3, long a4, long a5) {
	if (nr == 14)
		return resumed;
	mode = nr;
	boot = ctx_self();
	if (nr == 10) { /* switch to a destroyed context */
		a = ctx_create(stk[0], 1024, entry, 0);
		ctx_destroy(a);
		ctx_switch(a);
	}
	if (nr == 11) /* overlapping stacks */
		b = ctx_create(stk[0] + 512, 1024, entry, 0);
	if (nr == 12) /* a stack too small */
		a = ctx_create(stk[1], 64, entry, 0);
	if (nr == 13) /* from the boot context, nothing switches back */
		return ctx_switch(123), 0;
	if (a == 0)
		a = ctx_create(stk[0], 1024, entry, 0);
	ctx_switch(a);
	return 0;
}
`

// TestPortMisuseFaults: each misuse of contexts and interrupts is an
// emulated fault naming what went wrong, with a C backtrace; the host goes
// on.
func TestPortMisuseFaults(t *testing.T) {
	cases := []struct {
		nr   uint64
		want string
		in   string // a function in the backtrace
	}{
		{1, "its entry function entry returned", ""},
		{3, "ctx_destroy of context 2, which is running", "entry"},
		{4, "irq_enable without a matching irq_disable", "entry"},
		{5, "tick handler masked_tick returned with interrupts masked 2 times", "entry"},
		{6, "wait_for_interrupt with nothing pending and the timer stopped", "entry"},
		{7, "irq_restore(0) with interrupts masked 2 times", "entry"},
		{9, "step budget of 100000 exhausted", "entry"},
		{10, "ctx_switch of context 2, which is dead (destroyed)", "kernel_syscall"},
		{11, "overlaps the stack of context", "kernel_syscall"},
		{12, "smaller than 256", "kernel_syscall"},
		{13, "ctx_switch of context 123, which was never created", "kernel_syscall"},
	}
	for _, tc := range cases {
		img, err := Load(fstest.MapFS{"k.c": {Data: []byte(portMisuse)}}, []string{"k.c"}, LoadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		m, err := NewMachine(img, MachineConfig{CPUs: 1, Seed: 1, StepBudget: 100_000})
		if err != nil {
			t.Fatal(err)
		}
		if err := m.Boot(); err != nil {
			t.Fatal(err)
		}
		if tc.nr == 11 {
			if _, err := m.Call("kernel_syscall", 2); err != nil {
				t.Fatal(err)
			}
		}
		_, err = m.Call("kernel_syscall", tc.nr)
		f, ok := err.(*Fault)
		if !ok || !strings.Contains(f.Msg, tc.want) {
			t.Errorf("syscall %d: %v, want a fault saying %q", tc.nr, err, tc.want)
			m.Close()
			continue
		}
		if tc.in != "" && !strings.Contains(f.Report(), "at "+tc.in+" ") {
			t.Errorf("syscall %d: backtrace lacks %s:\n%s", tc.nr, tc.in, f.Report())
		}
		m.Close()
		if len(m.Contexts()) != 0 {
			t.Errorf("syscall %d: contexts survive the fault: %v", tc.nr, m.Contexts())
		}
	}
}

// TestContextsSurviveRequests: a request that switched to a context and
// back ends cleanly; the context resumes in the next request; Close ends
// what is parked.
func TestContextsSurviveRequests(t *testing.T) {
	img, err := Load(fstest.MapFS{"k.c": {Data: []byte(portMisuse)}}, []string{"k.c"}, LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	m, err := NewMachine(img, MachineConfig{CPUs: 1, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Boot(); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2; i++ {
		if _, err := m.Call("kernel_syscall", 2); err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
	}
	cs := m.Contexts()
	if len(cs) != 2 || cs[1].State != "suspended" || cs[0].State != "running" || !cs[0].Boot {
		t.Fatalf("contexts %+v", cs)
	}
	if r, err := m.Call("kernel_syscall", 14); err != nil || r != 2 {
		t.Errorf("the context ran %d times (%v), want 2", r, err)
	}
	var parked []*execCtx
	for _, x := range m.port.ctxs {
		if !x.boot {
			parked = append(parked, x)
		}
	}
	m.Close()
	if len(m.Contexts()) != 0 {
		t.Errorf("contexts survive Close: %+v", m.Contexts())
	}
	for _, x := range parked {
		select {
		case <-x.exited:
		default:
			t.Errorf("context %d's goroutine still runs after Close", x.id)
		}
	}
}

// BenchmarkPreemptTicks measures the preemptive kernel of testdata/preempt
// on the target: ticks per second of wall time, with the tasks' work (400
// steps between ticks), context switches and the idle task included.
func BenchmarkPreemptTicks(b *testing.B) {
	m, _ := bootPreempt(b, 1)
	const ticks = 1000
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := m.Call("kernel_syscall", 1, ticks); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(ticks*b.N)/b.Elapsed().Seconds(), "ticks/s")
	b.ReportMetric(float64(m.PortStats().Switches)/float64(ticks*b.N), "switches/tick")
}
