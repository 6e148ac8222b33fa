package cparse

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"
	"time"

	"github.com/upsynth/upsynth/runtime/cputime"
	"github.com/upsynth/upsynth/runtime/emu/abi"
)

// addFixtureSeeds seeds a fuzz corpus with the source fixtures.
func addFixtureSeeds(f *testing.F, add func(src []byte)) {
	for _, file := range sourceFixtures(f) {
		src, err := os.ReadFile(filepath.Join("testdata/src", file))
		if err != nil {
			f.Fatal(err)
		}
		add(src)
	}
	add([]byte("int f(int a) { return ({ a; }); }"))
	add([]byte("#define X(a) a##a\nstruct { int x : 3; } __attribute__((packed)) v;"))
	add([]byte("template <class T> class A : public B<T> { virtual ~A(); };"))
	// Globals declared through macros (macrodecl.go), an anonymous enum
	// after a comment, a definition after a static declaration.
	add([]byte("#define DECL(_t, _s) extern _t _s VISIBLE\nBEGIN(x)\nDECL(tcb_t, *cur);\nDECL(int, q[N]);\nenum { /* c */ A = 1 };\nstatic void f(int);\nvoid f(int c) {}\n"))
	// Enumerators under conditionals, nested and unterminated; a body
	// that renames its parameters.
	add([]byte("enum e { a,\n#if X\n b,\n#ifdef Y\n c,\n#elif Z\n d,\n#else\n e,\n#endif\n#endif\n f };\nenum g {\n#ifndef W\n h,\n};\nint r(int p) { return p; }\n"))
	// Issue 21: a prototype with 100,000 parameters (quadratic walks).
	add(manyParams(100_000, true))
}

// checkSummary asserts what any summary must satisfy, whatever the input.
func checkSummary(t *testing.T, sum *Summary, src []byte) {
	if sum == nil {
		t.Fatal("nil summary")
	}
	for _, f := range sum.Functions {
		if f.Name == "" {
			t.Errorf("function without a name: %+v", f)
		}
		if f.Span.StartByte < 0 || f.Span.EndByte > len(src) || f.Span.StartByte > f.Span.EndByte {
			t.Errorf("function %s: span %+v outside the %d-byte input", f.Name, f.Span, len(src))
		}
	}
	if len(Diff(sum, sum)) != 0 {
		t.Error("a summary differs from itself")
	}
}

func FuzzTolerant(f *testing.F) {
	addFixtureSeeds(f, func(src []byte) { f.Add(src, false); f.Add(src, true) })
	f.Fuzz(func(t *testing.T, src []byte, cpp bool) {
		lang := LangC
		if cpp {
			lang = LangCPP
		}
		sum := Parse(context.Background(), "fuzz.c", src, Config{Engine: EngineChoiceTolerant, Lang: lang, Timeout: 2 * time.Second})
		checkSummary(t, sum, src)
	})
}

func FuzzPrecise(f *testing.F) {
	addFixtureSeeds(f, func(src []byte) { f.Add(src) })
	header, err := os.ReadFile("testdata/src/include/types.h")
	if err != nil {
		f.Fatal(err)
	}
	fsys := fstest.MapFS{"include/types.h": {Data: header},
		// Issue 21: headers that include themselves, directly or in a cycle.
		"self.h": {Data: []byte("int s;\n#include \"self.h\"\n")},
		"a.h":    {Data: []byte("#include \"b.h\"\n")}, "b.h": {Data: []byte("#include \"a.h\"\n")}}
	f.Add([]byte("#include \"self.h\"\n"))
	f.Add([]byte("#include \"a.h\"\nint x;\n"))
	f.Add([]byte("int x;\n#include __FILE__\n"))
	// Issue 21: a file over the precise engine's size limit (refused, recorded
	// as a limit, without parsing it).
	f.Add(bytes.Repeat([]byte("int f(int a, int b) { return a * 3 + b; }\n"), (1<<20)/42+1))
	// What is checked is the CPU time a parse takes, not its wall time: the
	// engines' time limits are wall-clock, which a loaded machine
	// stretches (the 100,000-parameter seed took 1.3 s of CPU in 4.2 s),
	// so each engine gets a wall budget no load reaches and cpuBudget of
	// CPU time.
	const cpuBudget = 2 * time.Second
	f.Fuzz(func(t *testing.T, src []byte) {
		cfg := Config{Predefined: abi.Predefined, FS: fsys, Engine: EngineChoicePrecise, ExpansionLimit: 200_000, Timeout: 15 * cpuBudget}
		done := make(chan *Summary, 1)
		start := time.Now()
		go func() { done <- Parse(context.Background(), "fuzz.c", src, cfg) }()
		var sum *Summary
		select {
		case sum = <-done:
		case <-time.After(3 * cfg.Timeout):
			t.Fatalf("Parse did not return within %v on %q", 3*cfg.Timeout, src)
		}
		wall := time.Since(start)
		checkSummary(t, sum, src)
		for _, e := range sum.Errors {
			if e.Limit != nil && e.Limit.Limit == "time" {
				t.Fatalf("an engine ran out of time (%v) on a %d-byte input: %s", cfg.Timeout, len(src), e.Msg)
			}
		}
		used, budget := sum.CPU, cpuBudget
		if !cputime.Supported {
			used = wall
		}
		if sum.Engine != EnginePrecise {
			budget *= 2 // the tolerant engine ran too, after the precise one failed
		}
		if used > budget {
			t.Fatalf("parsing a %d-byte input (%s engine) took %v of CPU time (%v wall), over %v", len(src), sum.Engine, used, wall, budget)
		}
	})
}

func FuzzDiff(f *testing.F) {
	f.Add([]byte("int f(int a) { return a; }"), []byte("int f(int b) { return b; }"))
	f.Add([]byte("struct s { int a; };"), []byte("struct s { long a; int b; };"))
	f.Add([]byte("class A { virtual void f(); int x; };"), []byte("class A { virtual void g(); virtual void f(); };"))
	// Issue 21: diff of prototypes with 100,000 parameters.
	f.Add(manyParams(100_000, false), manyParams(100_000, true))
	f.Fuzz(func(t *testing.T, a, b []byte) {
		cfg := Config{Engine: EngineChoiceTolerant, Timeout: 2 * time.Second}
		old := Parse(context.Background(), "a.cc", a, cfg)
		new := Parse(context.Background(), "a.cc", b, cfg)
		changes := Diff(old, new)
		again := Diff(old, new)
		if len(changes) != len(again) {
			t.Fatal("Diff is not deterministic")
		}
		for i := range changes {
			if changes[i] != again[i] {
				t.Fatalf("Diff is not deterministic: %+v vs %+v", changes[i], again[i])
			}
			if changes[i].Name == "" && changes[i].Entity != EntityAsm {
				t.Errorf("change without a name: %+v", changes[i])
			}
		}
		if len(Diff(new, new)) != 0 {
			t.Error("a summary differs from itself")
		}
	})
}
