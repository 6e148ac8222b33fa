package cparse

import (
	"context"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/upsynth/upsynth/runtime/emu/abi"
)

// A declaration of a variable above the functions that use it, in the
// file that defines it further down (xv6's main.c: "extern pde_t
// *kpgdir;", a tentative "pde_t bootpgdir[];"), is the definition's
// entity: the definition's initializer changing is one init change, not a
// type change, an initializer removed and a second variable added.
func TestDeclarationFoldedIntoDefinition(t *testing.T) {
	const old = "typedef int pde_t;\npde_t bootpgdir[4] = {1, 2};\nint f(void) { return 0; }\n"
	for _, engine := range []EngineChoice{EngineChoicePrecise, EngineChoiceTolerant} {
		for _, declaration := range []string{"pde_t bootpgdir[];", "extern pde_t bootpgdir[];", "extern pde_t bootpgdir[4];"} {
			new := "typedef int pde_t;\n" + declaration + "\nint f(void) { return bootpgdir[0]; }\npde_t bootpgdir[4] = {1, 3};\n"
			parse := func(src string) *Summary {
				return Parse(context.Background(), "main.c", []byte(src), Config{Predefined: abi.Predefined, FS: fstest.MapFS{}, Engine: engine})
			}
			var got []string
			for _, c := range Diff(parse(old), parse(new)) {
				got = append(got, string(c.Entity)+" "+c.Name+" "+string(c.Change))
			}
			want := []string{"function f body", "global bootpgdir init"}
			if !slices.Equal(got, want) {
				t.Errorf("%s engine, %q: changes %q, want %q", engine, declaration, got, want)
			}
		}
	}
}

// Only a declaration is folded: alternatives under #if, each with its own
// initializer, pair up in order as before, and a declaration whose type
// is not the definition's stays an entity of its own.
func TestDeclarationFoldingKeepsAlternatives(t *testing.T) {
	alternatives := []Global{{Name: "x", Type: "int", InitHash: "1"}, {Name: "x", Type: "int", InitHash: "2"}}
	if got := foldDeclarations(alternatives); len(got) != 2 {
		t.Errorf("alternatives folded to %+v", got)
	}
	mismatched := []Global{{Name: "x", Type: "long", Extern: true}, {Name: "x", Type: "int", InitHash: "1"}}
	if got := foldDeclarations(mismatched); len(got) != 2 {
		t.Errorf("a declaration of another type folded: %+v", got)
	}
	declared := []Global{{Name: "y", Type: "int"}, {Name: "x", Type: "int", Extern: true}, {Name: "x", Type: "int"}}
	got := foldDeclarations(declared)
	if len(got) != 2 || got[1].Extern || got[0].Name != "y" {
		t.Errorf("extern declaration beside a tentative definition: %+v, want y and the definition", got)
	}
	if &foldDeclarations(alternatives)[0] != &alternatives[0] {
		t.Errorf("a list with nothing to fold was copied")
	}
}

// A variable that gains an alternative definition under another #if
// (seL4's mode_reserved_region: an empty array for clang, a null pointer
// otherwise) is changed as the alternative differs from its definition,
// not a second variable added; losing one is the converse.
func TestGlobalAlternativeAdded(t *testing.T) {
	const old = "typedef int region_t;\nstatic const region_t mode_reserved_region[] = {};\n"
	const new = "typedef int region_t;\n#ifdef __clang__\nstatic const region_t mode_reserved_region[] = {};\n#else\nstatic const region_t *mode_reserved_region = 0;\n#endif\n"
	parse := func(src string) *Summary {
		return Parse(context.Background(), "vspace.h", []byte(src), Config{FS: fstest.MapFS{}, Engine: EngineChoiceTolerant})
	}
	describe := func(changes []Change) []string {
		var out []string
		for _, c := range changes {
			out = append(out, string(c.Change)+" "+c.Detail)
		}
		return out
	}
	added := describe(Diff(parse(old), parse(new)))
	if want := []string{"init " + DetailAlternativeAdded + ": initializer changed", "type " + DetailAlternativeAdded + ": const region_t[] -> const region_t *"}; !slices.Equal(added, want) {
		t.Errorf("alternative added: %q, want %q", added, want)
	}
	if removed := describe(Diff(parse(new), parse(old))); len(removed) != 2 || !strings.HasPrefix(removed[0], "init "+DetailAlternativeRemoved) {
		t.Errorf("alternative removed: %q", removed)
	}
	// The same definition repeated under another condition changes nothing.
	same := "typedef int region_t;\n#ifdef A\nstatic const region_t mode_reserved_region[] = {};\n#else\nstatic const region_t mode_reserved_region[] = {};\n#endif\n"
	if got := Diff(parse(old), parse(same)); len(got) != 0 {
		t.Errorf("a repeated definition: %+v", got)
	}
}
