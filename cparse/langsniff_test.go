package cparse

import (
	"strings"
	"testing"
)

// TestCXXHeaderEvidence: a .h file is C++ when its tokens say so, never
// because of a comment, a string, a preprocessor line or an extern "C"
// guard.
func TestCXXHeaderEvidence(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{"class Hip\n{\n  public:\n    static void build();\n};\n", "class Hip {"},
		{"class Dmar : public List<Dmar> {};", "class Dmar :"},
		{"class Cos final\n{\n};", "class Cos {"},
		{"template <typename T> T max(T a, T b);", "template <"},
		{"namespace nova { int x; }", "namespace nova"},
		{"struct s { int a; };\nstruct t {\n public:\n int b; };", "public:"},
		// C headers.
		{"#ifdef __cplusplus\nextern \"C\" {\n#endif\nint f(void);\n#ifdef __cplusplus\n}\n#endif\n", ""},
		{"/* class Foo { is not C */\nint class_count;\n", ""},
		{"#define DECLARE(x) class x {\nint g(void);", ""},
		{"#define LONG \\\n  class Foo {\nint h;", ""},
		{"const char *s = \"class X {\";", ""},
		{"struct class_ops { int (*open)(void); };", ""},
		{"int class;\nint public;\n", ""},
	} {
		if got := cxxHeaderEvidence([]byte(c.src)); got != c.want {
			t.Errorf("%q: evidence %q, want %q", c.src, got, c.want)
		}
	}
}

// TestParseSniffsCXXHeaders: Parse reads a C++ header named .h as C++, so
// its classes and methods are found, unless the caller chose the language.
func TestParseSniffsCXXHeaders(t *testing.T) {
	src := []byte("class Hip\n{\n    public:\n        enum Feature { FEAT_GSI = 1 };\n        static void remove (Feature f) { clr (f); }\n};\n")
	sum := Parse(t.Context(), "include/hip.h", src, Config{})
	if sum.Lang != LangCPP {
		t.Fatalf("lang %s, want cpp", sum.Lang)
	}
	var names []string
	for _, ty := range sum.Types {
		names = append(names, ty.Name)
	}
	for _, f := range sum.Functions {
		names = append(names, f.Name)
	}
	if got := strings.Join(names, " "); !strings.Contains(got, "Hip::Feature") || !strings.Contains(got, "Hip::remove") || !strings.Contains(got, "Hip") {
		t.Errorf("entities %q, want Hip, Hip::Feature and Hip::remove", got)
	}
	if sum := Parse(t.Context(), "include/hip.h", src, Config{Lang: LangC}); sum.Lang != LangC {
		t.Errorf("with Lang c chosen: lang %s", sum.Lang)
	}
}

// FuzzCXXHeaderEvidence: any bytes are looked at without a panic, and
// evidence is always a C++ construct.
func FuzzCXXHeaderEvidence(f *testing.F) {
	for _, s := range []string{"class A {", "template <", "#define X \\\n class", "public:", "namespace {", "\"class A {\"", "/* class A { */"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		ev := cxxHeaderEvidence(src)
		if ev == "" {
			return
		}
		for _, p := range []string{"class ", "namespace ", "template <", "public:", "private:", "protected:"} {
			if strings.HasPrefix(ev, p) {
				return
			}
		}
		t.Fatalf("evidence %q is no C++ construct", ev)
	})
}
