package verify

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// The names issue 21 found, and what embed refuses.
var hostileNames = []string{"a`b.c", `q"uote.c`, "it's.c", "st*r.c", `back\slash.c`, "co:lon.c", "per%cent.c",
	"dir with spaces/x.c", "trail.", "...", "con.h", "PROGRA~1.c", "go.mod", "ünï.c", "tab\tname.c", "new\nline.c", "<>?|.c", "sub:dir/in*ner/f.c"}

func TestStoredPathRoundTrips(t *testing.T) {
	for _, name := range append(hostileNames, "plain/items.c", "include/kernel.h") {
		stored := StoredPath(name)
		for _, e := range strings.Split(stored, "/") {
			if !embedAccepts(e) {
				t.Errorf("%q stored as %q: element %q is not a name embed accepts", name, stored, e)
			}
		}
		back, err := TreePath(stored)
		if err != nil || back != name {
			t.Errorf("%q -> %q -> %q, %v", name, stored, back, err)
		}
	}
	if StoredPath("plain/items.c") != "plain/items.c" {
		t.Errorf("a plain name changed: %q", StoredPath("plain/items.c"))
	}
}

func FuzzStoredPath(f *testing.F) {
	for _, n := range hostileNames {
		f.Add(n)
	}
	f.Fuzz(func(t *testing.T, name string) {
		if name == "" || strings.Contains(name, "//") || strings.HasPrefix(name, "/") || strings.HasSuffix(name, "/") {
			return // not a tree path
		}
		stored := StoredPath(name)
		for _, e := range strings.Split(stored, "/") {
			if !embedAccepts(e) {
				t.Fatalf("%q stored as %q", name, stored)
			}
		}
		if back, err := TreePath(stored); err != nil || back != name {
			t.Fatalf("%q -> %q -> %q, %v", name, stored, back, err)
		}
	})
}

// embedAccepts restates cmd/go's rule for a file name element
// (module.CheckFilePath), without the Windows and short-name cases, which
// the encoder avoids by escaping a first byte.
func embedAccepts(e string) bool {
	if e == "" || strings.HasSuffix(e, ".") || e == "go.mod" || !utf8.ValidString(e) {
		return false
	}
	for _, r := range e {
		if r >= utf8.RuneSelf {
			return false // the encoder escapes every non-ASCII byte
		}
		if !safeByte(byte(r)) && r != '%' {
			return false
		}
	}
	return true
}
