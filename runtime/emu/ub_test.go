package emu

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/fstest"
)

// TestUndefinedArithmeticTraps: signed overflow and INT_MIN / -1 are
// emulated faults with a backtrace (issue 21: they ran on silently);
// unsigned arithmetic wraps, and Wrapv makes signed arithmetic wrap.
func TestUndefinedArithmeticTraps(t *testing.T) {
	for _, tc := range []struct{ name, body, want string }{
		{"add", "volatile int a = 2147483647; return a + 1 == 0;", "2147483647 + 1 cannot be represented in type int"},
		{"sub", "volatile long a = -9223372036854775807L - 1; return a - 1 > 0;", "- 1 cannot be represented in type long"},
		{"mul", "volatile int a = 65536; return a * a;", "65536 * 65536"},
		{"inc", "int a = 2147483647; a++; return a;", "2147483647 + 1"},
		{"dec", "long a = -9223372036854775807L - 1; --a; return (int)a;", "- 1 cannot be represented in type long"},
		{"compound", "int a = 2000000000; a += a; return a;", "2000000000 + 2000000000"},
		{"div", "volatile int a = -2147483647 - 1, b = -1; return a / b;", "division overflow"},
		{"mod", "volatile long a = -9223372036854775807L - 1, b = -1; return (int)(a % b);", "division overflow"},
		{"neg", "volatile int a = -2147483647 - 1; return -a;", "negation of -2147483648 cannot be represented in type int"},
		{"neg long", "volatile long a = -9223372036854775807L - 1; return -a > 0;", "negation of -9223372036854775808 cannot be represented in type long"},
		{"mod int", "volatile int a = -2147483647 - 1, b = -1; return a % b;", "division overflow"},
	} {
		src := "int f(void) { " + tc.body + " }\nint main(void) { return f(); }\n"
		_, err := runHosted(t, context.Background(), src, ProgramOptions{})
		var f *Fault
		if !errors.As(err, &f) || f.Kind != "overflow" || !strings.Contains(f.Msg, tc.want) || len(f.Backtrace) != 2 || f.Backtrace[0].Func != "f" {
			t.Errorf("%s: %v (%+v), want an overflow fault %q in f called from main", tc.name, err, f, tc.want)
		}
	}
	wraps := `int main(void) {
	volatile unsigned u = 4294967295u; volatile unsigned long ul = 0;
	volatile int m = -2147483647, one = 1; volatile short s = -32767 - 1;
	u++; ul--; u *= 3u;
	return u == 0 && ul == 18446744073709551615ul && -m == 2147483647 && -(unsigned)(m - one) == 2147483648u && -s == 32768 ? 0 : 1;
}`
	if _, err := runHosted(t, context.Background(), wraps, ProgramOptions{}); err != nil {
		t.Errorf("unsigned wrap-around: %v", err)
	}
}

func TestWrapvWraps(t *testing.T) {
	src := "int main(void) { volatile int a = 2147483647, b = -2147483647 - 1; a++; a += 1; return a == -2147483647 && -b == b ? 0 : 1; }\n"
	_, err := RunProgram(context.Background(), fstest.MapFS{"p.c": {Data: []byte(src)}}, []string{"p.c"}, nil, io.Discard,
		ProgramOptions{Load: LoadOptions{Wrapv: true}})
	if err != nil {
		t.Errorf("with Wrapv: %v", err)
	}
}

// TestMemoryErrorsFault: what KASAN catches on the heap is an emulated
// fault with a backtrace (issue 21: out-of-bounds inside the heap, use
// after free and writes to string literals ran on silently).
func TestMemoryErrorsFault(t *testing.T) {
	for _, tc := range []struct{ name, body, want string }{
		{"heap overflow read", "char *p = malloc(10); return p[10];", "heap redzone"},
		{"heap overflow write", "int *p = malloc(3 * sizeof(int)); p[3] = 1; return 0;", "heap redzone"},
		{"heap underflow", "char *a = malloc(32); char *p = malloc(32); (void)a; p[-1] = 1; return 0;", "heap redzone"},
		{"memcpy overflow", "char *p = malloc(8); char q[16] = {0}; memcpy(p, q, 9); return 0;", "heap redzone"},
		{"use after free read", "int *p = malloc(8); *p = 1; free(p); return *p;", "use after free"},
		{"use after free write", "long *p = malloc(64); free(p); malloc(64); p[2] = 1; return 0;", "use after free"},
		{"string literal write", "char *s = \"abc\"; s[0] = 'x'; return s[0];", "read-only string literal"},
		{"strcpy into literal", "char *s = \"abcdef\"; strcpy(s, \"xy\"); return 0;", "read-only string literal"},
		{"beyond the heap top", "char *p = malloc(16); return p[4096];", "memory"},
	} {
		src := "#include <stdlib.h>\n#include <string.h>\nint f(void) { " + tc.body + " }\nint main(void) { return f(); }\n"
		_, err := runHosted(t, context.Background(), src, ProgramOptions{})
		var f *Fault
		if !errors.As(err, &f) || f.Kind != "memory" || !strings.Contains(f.Msg, tc.want) || len(f.Backtrace) < 2 || f.Backtrace[len(f.Backtrace)-2].Func != "f" {
			t.Errorf("%s: %v (%+v), want a memory fault %q in f called from main", tc.name, err, f, tc.want)
		}
	}
	ok := `#include <stdlib.h>
#include <string.h>
int main(void) {
	char *p = malloc(10);
	memset(p, 'a', 10);
	char *q = realloc(p, 20);
	q[19] = 0;
	const char *s = "read only";
	int n = (int)strlen(s) + q[9];
	free(q);
	char buf[] = "writable copy";
	buf[0] = 'W';
	return n == 9 + 'a' && buf[0] == 'W' ? 0 : 1;
}`
	if status, err := runHosted2(t, ok); err != nil || status != 0 {
		t.Errorf("sound program: status %d, %v", status, err)
	}
}

func runHosted2(t *testing.T, src string) (int, error) {
	return RunProgram(context.Background(), fstest.MapFS{"p.c": {Data: []byte(src)}}, []string{"p.c"}, nil, io.Discard, ProgramOptions{})
}
