package cparse

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/upsynth/upsynth/runtime/emu/abi"
)

// TestMacroTypeDecls pins down which invocations the text pass takes for
// type declarations, and the names it gives them.
func TestMacroTypeDecls(t *testing.T) {
	const defs = "#define OBJ(T) typedef long T##Ref; struct T\n" +
		"#define STATE(T) union T ## _state\n" +
		"#define ANON(T) struct\n" +
		"#define VAR(T) static int T\n"
	cases := []struct {
		name, src string
		want      string // "kind name [fwd]" per recognized declaration, ";"-joined
	}{
		{"object type", "OBJ(FCM) { int a; long *b; };", "struct FCM"},
		{"pasted union", "STATE(Pool) { long w; char b[8]; };", "union Pool_state"},
		{"bare struct head", "ANON(X) { int a; };", "struct X"},
		{"no visible definition", "UNKNOWN(Y) { int a; struct { int b; } c; };", "struct Y"},
		{"definition not a type head", "VAR(Z) { int a; };", "struct Z"},
		{"forward form", "OBJ(Timer);", "struct Timer fwd"},
		{"forward form without a type head", "EXPORT_SYMBOL(f); VAR(z);", ""},
		{"function body: no ';' after", "HANDLER(tick) { int a; }", ""},
		{"statements", "UNKNOWN(Y) { return 1; };", ""},
		{"assignment", "UNKNOWN(Y) { int a = 1; };", ""},
		{"call statement", "UNKNOWN(Y) { run(x); };", ""},
		{"member access", "UNKNOWN(Y) { p->x; };", ""},
		{"one-token item", "UNKNOWN(Y) { x; };", ""},
		{"empty block needs a type head", "UNKNOWN(Y) {}; OBJ(E) {};", "struct E"},
		{"not at a declaration start", "static UNKNOWN(Y) { int a; };", ""},
		{"nested scope", "struct s { int a; }; int f(void) { UNKNOWN(Y) { int a; }; }", ""},
		{"function pointer member", "UNKNOWN(Y) { void (*fn)(int x); };", "struct Y"},
		{"enum member with values", "UNKNOWN(Y) { enum { A = 1, B } k; };", "struct Y"},
		{"two in a row", "OBJ(A) { int a; };\nOBJ(B) { int b; };", "struct A; struct B"},
		{"directive in between", "#define X 1\nOBJ(A)\n{ int a; };", "struct A"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			src := []byte(defs + c.src)
			decls := findMacroTypeDecls(src, lazyTypeMacros(context.Background(), "a.c", src, nil, nil))
			var got []string
			for _, d := range decls {
				s := fmt.Sprintf("%s %s", d.kind, d.name)
				if d.blockStart < 0 {
					s += " fwd"
				}
				got = append(got, s)
			}
			if g := strings.Join(got, "; "); g != c.want {
				t.Errorf("got %q, want %q", g, c.want)
			}
		})
	}
}

// TestMacroTypeFromHeader: the definition that names the type can sit in an
// included header; the tolerant summary then depends on it.
func TestMacroTypeFromHeader(t *testing.T) {
	fsys := fstest.MapFS{
		"include/obj.h": {Data: []byte("#define OBJECT_TYPE(T) typedef unsigned long T##Ref; union T##_u\n")},
		"m/a.c":         {Data: []byte("#include <obj.h>\nOBJECT_TYPE(Q) {\n  long a;\n  int b;\n};\n")},
	}
	src := fsys["m/a.c"].Data
	for _, engine := range []EngineChoice{EngineChoicePrecise, EngineChoiceTolerant} {
		sum := Parse(context.Background(), "m/a.c", src, Config{Predefined: abi.Predefined, FS: fsys, IncludePaths: []string{"include"}, Engine: engine})
		if string(sum.Engine) != string(engine) || len(sum.Types) != 1 {
			t.Fatalf("%s: engine %s, types %+v, errors %v", engine, sum.Engine, sum.Types, sum.Errors)
		}
		ty := sum.Types[0]
		if ty.Kind != KindUnion || ty.Name != "Q_u" || len(ty.Members) != 2 || ty.Span.StartLine != 2 || ty.Span.EndLine != 5 {
			t.Errorf("%s: got %+v", engine, ty)
		}
		if engine == EngineChoicePrecise && ty.Size != 8 {
			t.Errorf("precise: size %d, want 8", ty.Size)
		}
		if len(sum.DependsOn) != 1 || sum.DependsOn[0] != "include/obj.h" {
			t.Errorf("%s: depends on %v", engine, sum.DependsOn)
		}
	}
}

// fileScopeView is what findMacroTypeDecls reads of a token list: every
// token outside blocks, the blocks opened after "M(x)" whole, and of the
// other blocks their braces' nesting alone.
func fileScopeView(toks []token) []string {
	var out []string
	depth, skipping := 0, 0
	for i, t := range toks {
		switch {
		case skipping > 0:
			switch t.text {
			case "{":
				skipping++
			case "}":
				skipping--
			}
			if skipping == 0 {
				out = append(out, "}")
				depth--
			}
			continue
		case t.text == "{" && depth == 0 && !afterMacroInvocation(toks[:i]):
			out = append(out, "{")
			depth++
			skipping = 1
			continue
		case t.text == "{":
			depth++
		case t.text == "}":
			depth--
		}
		out = append(out, fmt.Sprintf("%s@%d", t.text, t.start))
	}
	return out
}

// checkDeclarationTokens: declarationTokens leaves findMacroTypeDecls
// what fileScopeTokens gave it, and the type-declaring invocations found
// are the same.
func checkDeclarationTokens(t *testing.T, src []byte) {
	t.Helper()
	all, decls := fileScopeTokens(nil, src), declarationTokens(nil, src)
	if a, d := fileScopeView(all), fileScopeView(decls); !slices.Equal(a, d) {
		t.Fatalf("%q: file scope %q, want %q", src, d, a)
	}
	defs := lazyTypeMacros(context.Background(), "a.c", src, nil, nil)
	if a, d := macroTypeDeclsIn(all, defs), macroTypeDeclsIn(decls, defs); !reflect.DeepEqual(a, d) {
		t.Fatalf("%q: declarations %+v, want %+v", src, d, a)
	}
	// Found among the file's tokens where its trivia is plain: the same.
	if toks := lexTokens(src, 0, len(src)); plainTrivia(src, toks) {
		if among := declarationTokensAmong(nil, src, toks); !slices.Equal(among, decls) {
			t.Fatalf("%q: among the tokens %v, want %v", src, among, decls)
		}
	}
}

func TestDeclarationTokens(t *testing.T) {
	for _, file := range sourceFixtures(t) {
		src, err := os.ReadFile(filepath.Join("testdata/src", file))
		if err != nil {
			t.Fatal(err)
		}
		checkDeclarationTokens(t, src)
	}
	for _, src := range declarationTokenSeeds {
		checkDeclarationTokens(t, []byte(src))
	}
}

var declarationTokenSeeds = []string{
	"int f(void) { char *s = \"}\"; char c = '{'; /* } */ // }\n#define X }\n return 0; }\nDECLARE(x) { int a; };\n",
	"void g(void) {\n#if A\n if (x) {\n#else\n if (y) {\n#endif\n }\n}\nSTRUCT(s);\n",
	"int h(void) { { { } } } } TYPE(t) { int m; };",
	"void open(void) { if (x) {",
	"L(x) { M(y) { int z; }; };",
	"int f(void) {\n#define A {\n}\nx; \\\n#define B }\n} T(x);\n/* a\n#b */ # c {\n",
	"##define X\nY(z) {\n# if 1\n}\n#endif\n};",
}

func FuzzDeclarationTokens(f *testing.F) {
	for _, s := range declarationTokenSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		checkDeclarationTokens(t, src)
	})
}
