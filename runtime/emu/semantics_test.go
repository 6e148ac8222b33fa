package emu

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"testing/fstest"
)

func runC(t *testing.T, src string, opts ProgramOptions) (string, int, error) {
	t.Helper()
	var out bytes.Buffer
	st, err := RunProgram(context.Background(), fstest.MapFS{"p.c": {Data: []byte(src)}}, []string{"p.c"}, nil, &out, opts)
	return out.String(), st, err
}

// TestFaults checks that each kind of bad behaviour stops the program with
// the right fault and position, and never crashes the host.
func TestFaults(t *testing.T) {
	cases := []struct{ name, src, kind, msg, pos string }{
		{"null", "int main(void){int *p=0;\nreturn *p;}", "memory", "null pointer", "p.c:2:"},
		{"oob", "#include <stdlib.h>\nint main(void){char *p=malloc(8);\nreturn p[1L<<40];}", "memory", "outside memory", "p.c:3:"},
		{"div0", "int z;\nint main(void){return 7/z;}", "div0", "division by zero", "p.c:2:"},
		{"mod0", "long z;\nint main(void){return 7%z;}", "div0", "remainder by zero", "p.c:2:"},
		{"stack", "int f(int n){return f(n+1)+1;}\nint main(void){return f(0);}", "stack", "stack overflow", "p.c:1:"},
		{"budget", "int main(void){\nfor(;;);}", "budget", "step budget", "p.c:2:"},
		{"doublefree", "#include <stdlib.h>\nint main(void){void *p=malloc(3); free(p);\nfree(p); return 0;}", "free", "double free", "p.c:3:"},
		{"badfree", "#include <stdlib.h>\nint x;\nint main(void){free(&x); return 0;}", "free", "not a heap block", "p.c:3:"},
		{"abort", "#include <stdlib.h>\nint main(void){\nabort();}", "abort", "abort", "p.c:3:"},
		{"assert", "#include <assert.h>\nint main(void){int x=1;\nassert(x==2); return 0;}", "abort", "Assertion `x==2' failed", "p.c:3:"},
		{"badcall", "int main(void){int (*f)(void)=(int(*)(void))0;\nreturn f();}", "call", "null function pointer", "p.c:2:"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := runC(t, c.src, ProgramOptions{StepBudget: 1_000_000})
			var f *Fault
			if !errors.As(err, &f) {
				t.Fatalf("error %v, want a fault", err)
			}
			if f.Kind != c.kind || !strings.Contains(f.Msg, c.msg) || !strings.HasPrefix(f.Pos, c.pos) {
				t.Errorf("got %s", f.Report())
			}
			if len(f.Backtrace) == 0 || f.Backtrace[len(f.Backtrace)-1].Func != "main" {
				t.Errorf("backtrace %v", f.Backtrace)
			}
		})
	}
}

func TestLoadErrors(t *testing.T) {
	for name, c := range map[string]struct {
		files map[string]string
		want  []string
	}{
		"duplicate": {map[string]string{"a.c": "int f(void){return 1;}\nint main(void){return f();}", "b.c": "\nint f(void){return 2;}"},
			[]string{"b.c:2:5: duplicate definition of f (first defined at a.c:1:5)"}},
		"missing": {map[string]string{"a.c": "int g(void);\nint main(void){return g();}"},
			[]string{"a.c:2:23: undefined reference to g"}},
		"syntax": {map[string]string{"a.c": "int main(void){return 1 +;}"}, []string{"a.c:1:"}},
	} {
		fsys := fstest.MapFS{}
		var files []string
		for n, s := range c.files {
			fsys[n] = &fstest.MapFile{Data: []byte(s)}
			files = append(files, n)
		}
		if len(files) == 2 {
			files = []string{"a.c", "b.c"}
		}
		_, err := Load(fsys, files, LoadOptions{Hosted: true})
		var le *LoadError
		if !errors.As(err, &le) {
			t.Fatalf("%s: error %v", name, err)
		}
		for _, w := range c.want {
			if !strings.Contains(strings.Join(le.Problems, "\n"), w) {
				t.Errorf("%s: problems %q lack %q", name, le.Problems, w)
			}
		}
	}
}

func TestStaticsAndLinkage(t *testing.T) {
	fsys := fstest.MapFS{
		"a.c": {Data: []byte("#include <stdio.h>\nstatic int n = 1; int shared; int next(void);\nint main(void){ shared = 40; printf(\"%d %d %d\\n\", n, next(), next()); return 0; }")},
		"b.c": {Data: []byte("static int n = 100; extern int shared;\nint next(void){ static int calls; return n + shared + ++calls; }")},
	}
	var out bytes.Buffer
	if _, err := RunProgram(context.Background(), fsys, []string{"a.c", "b.c"}, nil, &out, ProgramOptions{}); err != nil {
		t.Fatal(err)
	}
	if got := out.String(); got != "1 142 141\n" { // arguments right to left, as gcc
		t.Errorf("output %q", got)
	}
}

// TestInlineAssembly: a function written in assembly does not stop the
// program from loading; calling it is a fault naming it.
func TestInlineAssembly(t *testing.T) {
	src := "static inline void cli(void) { asm volatile(\"cli\"); }\nint used(int x) { return x + 1; }\nint main(int argc, char **argv) { if (argc > 5) cli(); used(1);\nif (argc > 0) cli(); return 0; }"
	_, _, err := runC(t, src, ProgramOptions{})
	var f *Fault
	if !errors.As(err, &f) || f.Kind != "call" || !strings.Contains(f.Msg, "cli uses inline assembly (p.c:1:32)") ||
		len(f.Backtrace) != 2 || f.Backtrace[1].Pos != "p.c:4:15" {
		t.Fatalf("got %v", err)
	}
}

// TestUseAfterFreeFaults: freed blocks are poisoned and quarantined, not
// reused at once, so reading through a dangling pointer after another
// allocation is a use-after-free fault at the read.
func TestUseAfterFreeFaults(t *testing.T) {
	out, _, err := runC(t, `#include <stdio.h>
#include <stdlib.h>
int main(void) {
	int *p = malloc(sizeof *p);
	*p = 42;
	free(p);
	int *q = malloc(sizeof *q);
	*q = 7;
	printf("%x %d\n", (unsigned)*p, p == q);
	return 0;
}`, ProgramOptions{})
	var f *Fault
	if out != "" || !errors.As(err, &f) || f.Kind != "memory" || !strings.Contains(f.Msg, "use after free") || f.Pos != "p.c:9:2" {
		t.Fatalf("%q %v", out, err)
	}
}
