package cparse

import (
	"context"
	"strings"
	"testing"
	"testing/fstest"

	"modernc.org/cc/v4"

	"github.com/upsynth/upsynth/runtime/emu/abi"
)

// TestSplitBuiltin checks which lines of cc.Builtin can be left out: the
// one-line function declarations outside conditionals, and nothing that
// defines a macro or a type.
func TestSplitBuiltin(t *testing.T) {
	b := ccBuiltin()
	for _, name := range []string{"__builtin_strlen", "__builtin_bswap16", "__builtin_huge_valf", "__atomic_load"} {
		if !b.names[name] {
			t.Errorf("%s: not a declaration that can be left out", name)
		}
	}
	if len(b.names) < 150 {
		t.Errorf("%d declarations can be left out, want the ~200 of cc.Builtin", len(b.names))
	}
	for i, line := range b.lines {
		if b.decl[i] != "" && (strings.Contains(line, "#") || strings.Contains(line, "typedef") || strings.Contains(line, "{")) {
			t.Errorf("line %q is left out, but it is not a plain declaration", line)
		}
	}
	// The macros kept use __builtin_huge_val (for __builtin_huge_vall).
	if !b.always.has("__builtin_huge_val") {
		t.Errorf("the kept part of cc.Builtin names %v, want __builtin_huge_val among them", b.always.names)
	}
	var none builtinNeeds
	none.add(b.always)
	if got := b.source(&none); len(got) > len(cc.Builtin)/2 {
		t.Errorf("a file that names no builtin keeps %d of cc.Builtin's %d bytes", len(got), len(cc.Builtin))
	}
}

func (u builtinUse) has(name string) bool {
	for _, n := range u.names {
		if n == name {
			return true
		}
	}
	return false
}

// TestTrimmedBuiltinSameLayout translates files whose layout depends on a
// builtin's declared result type (__builtin_bswap16 returns 2 bytes; an
// undeclared function would return int, making the struct 8 bytes): the
// name spelled in the file, in a header, pasted by a macro, and in a
// header the include walk cannot find (named by a macro).
func TestTrimmedBuiltinSameLayout(t *testing.T) {
	const layout = "struct s { __typeof__(%s) a; char b; };\n"
	fsys := fstest.MapFS{
		"direct.c": {Data: []byte(strings.ReplaceAll(layout, "%s", "__builtin_bswap16(0)"))},
		"swap.h":   {Data: []byte("#define SWAP16(x) __builtin_bswap16(x)\n")},
		"header.c": {Data: []byte("#include \"swap.h\"\n" + strings.ReplaceAll(layout, "%s", "SWAP16(0)"))},
		"paste.h":  {Data: []byte("#define CAT(a, b) a##b\n#define SWAP(n, x) CAT(__builtin_bswap, n)(x)\n")},
		"paste.c":  {Data: []byte("#include \"paste.h\"\n" + strings.ReplaceAll(layout, "%s", "SWAP(16, 0)"))},
		"macro.c":  {Data: []byte("#define HDR \"swap.h\"\n#include HDR\n" + strings.ReplaceAll(layout, "%s", "SWAP16(0)"))},
		// The control: nothing declares this one.
		"undeclared.c": {Data: []byte(strings.ReplaceAll(layout, "%s", "__builtin_nosuch(0)"))},
	}
	cfg := Config{Predefined: abi.Predefined, FS: fsys, Engine: EngineChoicePrecise}
	for name, want := range map[string]int64{"direct.c": 4, "header.c": 4, "paste.c": 4, "macro.c": 4, "undeclared.c": 8} {
		sum := Parse(context.Background(), name, fsys[name].Data, cfg)
		if sum.Engine != EnginePrecise || len(sum.Types) != 1 {
			t.Errorf("%s: engine %s, %d types, errors %v", name, sum.Engine, len(sum.Types), sum.Errors)
			continue
		}
		if got := sum.Types[0].Size; got != want {
			t.Errorf("%s: struct s is %d bytes, want %d", name, got, want)
		}
	}
}
