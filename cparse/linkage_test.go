package cparse

import (
	"context"
	"slices"
	"testing"
	"testing/fstest"

	"github.com/upsynth/upsynth/runtime/emu/abi"
)

// A C function defined without "static" after a static declaration has
// internal linkage, and both engines say so: xv6's console.c fell back to
// the tolerant engine when an #include could not be found, and consputc
// then seemed to lose its static.
func TestStaticFromDeclaration(t *testing.T) {
	const src = "static void consputc(int);\nvoid putc(int c) { consputc(c); }\nvoid consputc(int c) { (void)c; }\nint other(void);\nint other(void) { return 0; }\n"
	for _, choice := range []EngineChoice{EngineChoiceTolerant, EngineChoicePrecise} {
		s := Parse(context.Background(), "console.c", []byte(src), Config{Engine: choice, FS: fstest.MapFS{}, Predefined: abi.Predefined})
		for _, f := range s.Functions {
			if !f.Definition {
				continue
			}
			if want := f.Name == "consputc"; f.Static != want {
				t.Errorf("%s engine: %s static %v, want %v", s.Engine, f.Name, f.Static, want)
			}
		}
	}
}

// "T x(a);" whose a the file declares as a variable is a variable built
// from it, not a function taking a parameter of type a (C++'s most vexing
// parse, which tree-sitter resolves as a function).
func TestConstructedVariable(t *testing.T) {
	const src = "namespace x {\nhelx::EventHub eventHub = helx::EventHub::create();\nbragi_mbus::Connection mbusConnection(eventHub);\nint f(Foo);\nstatic Foo g(eventHub, eventHub);\nFoo h();\n}\n"
	s := Parse(context.Background(), "main.cpp", []byte(src), Config{Engine: EngineChoiceTolerant})
	var globals, functions []string
	for _, g := range s.Globals {
		globals = append(globals, g.Name+": "+g.Type)
	}
	for _, f := range s.Functions {
		functions = append(functions, f.Name)
	}
	wantGlobals := []string{"x::eventHub: helx::EventHub", "x::mbusConnection: bragi_mbus::Connection", "x::g: Foo"}
	if !slices.Equal(globals, wantGlobals) {
		t.Errorf("globals %q, want %q", globals, wantGlobals)
	}
	if want := []string{"x::f", "x::h"}; !slices.Equal(functions, want) {
		t.Errorf("functions %q, want %q", functions, want)
	}
}
