package cparse

import (
	"context"
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
