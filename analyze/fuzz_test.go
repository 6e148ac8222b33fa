package analyze

import (
	"strings"
	"testing"
)

// FuzzIncludes: the #include scanner never panics and only returns names
// that occur in the source.
func FuzzIncludes(f *testing.F) {
	f.Add([]byte("#include <a.h>\n#include \"b/c.h\"\n"))
	f.Add([]byte("  #  include <x\n#include"))
	f.Fuzz(func(t *testing.T, src []byte) {
		for _, name := range includes(src) {
			if name == "" || !strings.Contains(string(src), name) {
				t.Errorf("includes returned %q", name)
			}
		}
	})
}
