package cparse

import "testing"

func TestRewriteObsoleteDesignators(t *testing.T) {
	for in, want := range map[string]string{
		"int a[] = { [1] 5, [2] 6 };":             "int a[] = { [1]=5, [2]=6 };",
		"char *n[] = {\n[UNUSED] \"unused\",\n};": "char *n[] = {\n[UNUSED]=\"unused\",\n};",
		"int a[] = { [1] = 5 };":                  "int a[] = { [1] = 5 };",
		"x = y[1] + 2; /* { [1] 2 */":             "x = y[1] + 2; /* { [1] 2 */",
		"s = \"{ [1] 2\";":                        "s = \"{ [1] 2\";",
		"int m[2][2] = { [0] [1] 3 };":            "int m[2][2] = { [0] [1] 3 };",
	} {
		if got := string(RewriteObsoleteDesignators([]byte(in))); got != want {
			t.Errorf("RewriteObsoleteDesignators(%q) = %q, want %q", in, got, want)
		}
	}
}

// FuzzRewriteObsoleteDesignators: the rewrite never panics, keeps the length and only
// turns blanks into '='.
func FuzzRewriteObsoleteDesignators(f *testing.F) {
	f.Add([]byte("int a[] = { [1] 5, [2] 6 };"))
	f.Add([]byte("{ [ [ ] \"\\\" /* */ // \n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		out := RewriteObsoleteDesignators(src)
		if len(out) != len(src) {
			t.Fatalf("length %d -> %d", len(src), len(out))
		}
		for i := range src {
			if out[i] != src[i] && !(out[i] == '=' && (src[i] == ' ' || src[i] == '\t' || src[i] == '\n' || src[i] == '\r')) {
				t.Fatalf("byte %d: %q -> %q", i, src[i], out[i])
			}
		}
	})
}
