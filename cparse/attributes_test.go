package cparse

import "testing"

// FuzzCXXAttributes: blanking attributes keeps every offset and line, and
// only ever turns bytes into spaces.
func FuzzCXXAttributes(f *testing.F) {
	for _, s := range []string{
		"ALWAYS_INLINE\ninline unsigned long f() const;",
		"[[nodiscard]] bool g();",
		"__attribute__((section(\".init\"))) void h() {}",
		"INIT_PRIORITY (PRIO) Space Space::kern;",
		"class C { public: NORETURN static void x(); };",
		"UINT32 f(void); BOOL b; FOO(x);",
		"[[", "__attribute__((", "A_B(", "#define X [[\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		out := blankCXXAttributes(src)
		if len(out) != len(src) {
			t.Fatalf("length %d, want %d", len(out), len(src))
		}
		for i := range src {
			if out[i] != src[i] && (out[i] != ' ' || src[i] == '\n') {
				t.Fatalf("byte %d: %q became %q", i, src[i], out[i])
			}
		}
	})
}

func TestCXXAttributesKeepTypes(t *testing.T) {
	for _, src := range []string{"UINT32 f(void);", "BOOL b;", "FOO(x);", "x = MAX(a, b);", "return LIMIT;"} {
		if got := string(blankCXXAttributes([]byte(src))); got != src {
			t.Errorf("%q became %q", src, got)
		}
	}
	if got := string(blankCXXAttributes([]byte("NORETURN void f();"))); got != "         void f();" {
		t.Errorf("attribute macro kept: %q", got)
	}
}
