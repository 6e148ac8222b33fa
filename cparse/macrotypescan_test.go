package cparse

import (
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestTypeMacroScanKeepsWhatMatters checks the scan collectTypeMacros runs
// over included headers against the full one: every #include and every
// one-parameter #define the full scan reads is kept, with the same tokens,
// whatever the comments, splices and spacing around the name.
func TestTypeMacroScanKeepsWhatMatters(t *testing.T) {
	texts := map[string][]byte{}
	for _, dir := range []string{"testdata/src", "testdata/bench"} {
		files, _ := filepath.Glob(filepath.Join(dir, "*"))
		incs, _ := filepath.Glob(filepath.Join(dir, "include", "*"))
		for _, f := range append(files, incs...) {
			if data, err := os.ReadFile(f); err == nil {
				texts[f] = data
			}
		}
	}
	pieces := []string{"#define", "# define", "#  define", "#/* c */define", "#define/* c */", "#define \\\n", "#\\\ndefine",
		"#include", "# include", "#include_next", "#if", "#undef", " F", " G", "(x)", " (x)", "\\\n(x)", "(x, y)", "()", " x", " T(x) x",
		" volatile", " x##y", "\n", "\n", "\n", "/* (x) */", "// (x)\n", "\"(\"", "'('", " <a.h>", " \"b.h\""}
	rng := rand.New(rand.NewSource(1))
	for i := range 3000 {
		var b strings.Builder
		for range 1 + rng.Intn(24) {
			b.WriteString(pieces[rng.Intn(len(pieces))])
		}
		texts["random"+string(rune('a'+i%26))+strings.Repeat("'", i/26)] = []byte(b.String())
	}
	for name, src := range texts {
		kept := map[int]directive{}
		for _, d := range scanDirectivesIf(src, mayNameTypeMacro) {
			kept[d.start] = d
		}
		for _, d := range scanDirectives(src) {
			if len(d.toks) < 2 {
				continue
			}
			_, oneParam := oneParamMacro(d)
			if !(d.toks[0].text == "define" && oneParam) && d.toks[0].text != "include" {
				continue
			}
			k, ok := kept[d.start]
			if !ok || len(k.toks) != len(d.toks) || k.end != d.end {
				t.Fatalf("%s: %q dropped by the type-macro scan", name, src[d.start:d.end])
			}
			for i := range d.toks {
				if k.toks[i] != d.toks[i] {
					t.Fatalf("%s: %q tokenized apart", name, src[d.start:d.end])
				}
			}
		}
	}
}
