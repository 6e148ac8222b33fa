package emu

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"testing/fstest"
)

// FuzzProgram feeds arbitrary C (seeded with small valid programs) to the
// loader and, when it loads, runs it with a small step budget: whatever the
// input, the host must neither crash nor hang, and every failure must be a
// load error, a *Fault or an exit status.
func FuzzProgram(f *testing.F) {
	for _, s := range []string{
		"int main(void){return 3;}",
		"#include <stdio.h>\nint main(void){int a[4]; for(int i=0;i<8;i++) a[i]=i; printf(\"%d\\n\",a[3]); return a[1];}",
		"int f(int n){return n?f(n-1)+1:0;} int main(void){return f(100000);}",
		"int main(void){int *p=0; return *p;}",
		"int main(void){for(;;); }",
		"int main(void){int x=0; return 5/x;}",
		"struct s{int a:3; unsigned b:5;}; int main(void){struct s v={-1,31}; return v.a+v.b;}",
		"#include <stdlib.h>\nint main(void){char *p=malloc(4); free(p); free(p); return 0;}",
		"#include <string.h>\nint main(void){char b[4]; strcpy(b, \"too long for it\"); return b[0];}",
		"int main(void){void (*fp)(void)=(void(*)(void))1234; fp(); return 0;}",
		"long g[2]={1,2}; int main(void){ switch(g[1]){case 1: return 1; default: goto out;} out: return g[0]; }",
		"struct __attribute__((packed)) w{unsigned a:4; long long b:64, c:60; char d;}; int main(void){struct w v={1,-2,3,4}; v.b+=v.c; return v.b+v.d;}",
		// Issue 21: builtins over many bytes, endless output, the memory
		// ceiling, and what the checks catch.
		"#include <stdlib.h>\n#include <string.h>\nint main(void){char *p=malloc(32<<20); for(;;) memset(p,1,32<<20);}",
		"#include <stdlib.h>\n#include <string.h>\nint main(void){char *p=malloc(8<<20); memset(p,'x',8<<20); p[(8<<20)-1]=0; unsigned long n=0; for(;;) n+=strlen(p);}",
		"#include <stdio.h>\nint main(void){for(;;) printf(\"%65536d\", 1);}",
		"#include <stdlib.h>\nint main(void){long n=0; while(malloc(1)) n++; return n>0;}",
		"#include <stdlib.h>\nint main(void){int *p=malloc(8); free(p); return p[1];}",
		"#include <stdlib.h>\nint main(void){char *p=malloc(10); p[10]=1; return p[-1];}",
		"int main(void){char *s=\"lit\"; s[0]=0; return 0;}",
		"int main(void){volatile int a=-2147483647-1, b=-1; return a/b + (a-1);}",
		"int main(void){volatile int a=-2147483647-1; volatile long l=-9223372036854775807L-1; return -a + (int)-l + a%-1;}",
		"struct p{int x,y;}; int main(void){int a[4]={0}; struct p v={1,2}; int *q=&v.y; volatile int i=4; a[i]=q[1]; return a[-1];}",
		"#include <string.h>\nint main(void){char a[8]; long x=1; long *p=&x; memset(a,'x',sizeof a); return (int)strlen(a)+(int)p[1];}",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		fsys := fstest.MapFS{"p.c": {Data: []byte(src)}}
		img, err := Load(fsys, []string{"p.c"}, LoadOptions{Hosted: true})
		if err != nil {
			return
		}
		var out bytes.Buffer
		_, err = img.RunMain(context.Background(), nil, &out, ProgramOptions{StepBudget: 100000, MemoryLimit: 64 << 20, StackSize: 256 << 10})
		var fault *Fault
		if err != nil && !errors.As(err, &fault) && err.Error() == "" {
			t.Fatalf("unexplained error %T", err)
		}
		if fault != nil && fault.Kind == "internal" {
			t.Fatalf("emulator bug on %q: %s", src, fault.Report())
		}
	})
}

// FuzzParseWorkload: any text parses or is rejected with an error naming
// the file; a parsed workload runs on the test kernel without crashing the
// host (failures and faults are fine).
func FuzzParseWorkload(f *testing.F) {
	for _, s := range []string{
		"const A 1\nx = sys A \"s\" buf:4 -> >=0 buf \"\"\nout \"x\"\ncheck\n",
		"stream a\nrepeat 3\nsys 5 $i -> *\nend\nend\nstream b\nsys 6 -> !=0\nend\n",
		"sys 9 0\n", "sys 3 $nope buf:8 8 -> 1\n", "repeat 2\nrepeat 2\nsys 2 -1 0x10 -> -22\nend\nend\n",
	} {
		f.Add(s)
	}
	img := loadTestKernel(f)
	f.Fuzz(func(t *testing.T, src string) {
		w, err := ParseWorkload("f.wl", []byte(src))
		if err != nil {
			if !strings.HasPrefix(err.Error(), "f.wl:") {
				t.Fatalf("error without position: %v", err)
			}
			return
		}
		n := 0
		for _, s := range w.Streams {
			n += len(s.Lines)
		}
		if n > 2000 {
			return
		}
		m, err := NewMachine(img, MachineConfig{CPUs: 2, StepBudget: 20000})
		if err != nil {
			t.Fatal(err)
		}
		if err := m.Boot(); err != nil {
			t.Fatal(err)
		}
		res, err := m.RunWorkload(w)
		if f, ok := err.(*Fault); ok && f.Kind == "internal" {
			t.Fatalf("emulator bug: %s", f.Report())
		}
		if err == nil && res == nil {
			t.Fatal("no result")
		}
	})
}
