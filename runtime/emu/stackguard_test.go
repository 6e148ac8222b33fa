package emu

import (
	"context"
	"errors"
	"strings"
	"testing"
	"testing/fstest"
)

// TestStackErrorsFault: out-of-bounds accesses of addressable stack
// objects are emulated faults with a backtrace, as ASan's stack redzones
// catch (issue 21: only accesses outside all memory faulted).
func TestStackErrorsFault(t *testing.T) {
	for _, tc := range []struct{ name, body string }{
		{"array overflow write", "int a[4]; for (int i = 0; i <= 4; i++) a[i] = i; return a[0];"},
		{"array overflow read", "int a[4] = {1, 2, 3, 4}; volatile int i = 4; return a[i];"},
		{"array underflow", "char a[8] = {0}; volatile int i = -1; return a[i];"},
		{"read past a struct", "struct s { int x, y; } v = {1, 2}; int *p = &v.y; return p[1];"},
		{"write past a struct", "struct s { char c[3]; } v; memset(&v, 0, sizeof v + 1); return v.c[0];"},
		{"address-taken scalar", "long x = 1; long *p = &x; return (int)p[1];"},
		{"between two locals", "char a[5] = {0}; char b[5] = {0}; volatile int i = 6; a[i] = 1; return b[0];"},
		{"memcpy overflow", "char a[10]; memcpy(a, \"0123456789ab\", 12); return a[0];"},
		{"unterminated string", "char a[4]; memset(a, 'x', sizeof a); return (int)strlen(a);"},
	} {
		src := "#include <string.h>\nint f(void) { " + tc.body + " }\nint main(void) { return f(); }\n"
		_, err := runHosted(t, context.Background(), src, ProgramOptions{})
		var f *Fault
		if !errors.As(err, &f) || !strings.Contains(f.Msg, "stack redzone") || len(f.Backtrace) < 2 || f.Backtrace[len(f.Backtrace)-2].Func != "f" {
			t.Errorf("%s: %v (%+v), want a stack-redzone fault in f called from main", tc.name, err, f)
			continue
		}
		t.Logf("%s: %s fault: %s", tc.name, f.Kind, f.Msg)
	}
}

// TestStackInBoundsRuns: every in-bounds use of stack objects runs as
// before: whole-object copies, recursion that reuses frames, frames that
// faulted and were unwound, and struct returns.
func TestStackInBoundsRuns(t *testing.T) {
	src := `#include <string.h>
struct pair { int a[3]; char tag; };
static struct pair mk(int v) { struct pair p; memset(&p, 0, sizeof p); p.a[2] = v; p.tag = 'x'; return p; }
static int sum(int n) {
	int a[3] = {n, n, n};
	if (n == 0) return 0;
	return a[0] + a[1] + a[2] + sum(n - 1);
}
static int other(void) { char buf[40]; long x = 7; long *px = &x; memset(buf, 1, sizeof buf); return buf[39] + (int)*px; }
int main(void) {
	struct pair p = mk(5), q;
	q = p;
	char s[6];
	strcpy(s, "hello");
	if (q.a[2] != 5 || q.tag != 'x' || strlen(s) != 5) return 1;
	if (sum(50) != 3 * 50 * 51 / 2) return 2;
	if (other() != 8) return 3;
	return 0;
}
`
	if _, err := runHosted(t, context.Background(), src, ProgramOptions{}); err != nil {
		t.Fatal(err)
	}
}

// TestStackRedzonesOfDestroyedContext: a context destroyed while parked
// leaves no poisoned bytes on its stack: the kernel may fill the memory and
// make a new context on it (as FreeRTOS does with a static task stack).
func TestStackRedzonesOfDestroyedContext(t *testing.T) {
	src := `#include <kernel_port.h>
static char stack[4096] __attribute__((aligned(16)));
static ctx_t boot;
static void entry(void *arg) {
	char buf[64];
	memset(buf, (int)(long)arg, sizeof buf);
	ctx_switch(boot); /* parked here, buf's redzones poisoned */
	for (;;)
		;
}
void kernel_boot(void) {}
long kernel_syscall(long nr, long a0, long a1, long a2, long a3, long a4, long a5) {
	boot = ctx_self();
	for (int i = 0; i < 3; i++) {
		memset(stack, 0xa5, sizeof stack);
		ctx_t c = ctx_create(stack, sizeof stack, entry, (void *)(long)i);
		ctx_switch(c);
		ctx_destroy(c);
	}
	memset(stack, 0, sizeof stack);
	return stack[sizeof stack - 100];
}
`
	img, err := Load(fstest.MapFS{"k.c": {Data: []byte(src)}}, []string{"k.c"}, LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	m, err := BootedMachine(img, MachineConfig{CPUs: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(m.Close)
	if r, err := m.Call("kernel_syscall", 0, 0, 0, 0, 0, 0, 0); err != nil || r != 0 {
		t.Fatalf("kernel_syscall: %d, %v", r, err)
	}
}
