package synth

import (
	"testing"
	"testing/fstest"
)

// TestModuleCache: a module is translated once per content of the files
// its translation looked up; a changed module or header, or a header appearing where
// the include search looked first, translates it again.
func TestModuleCache(t *testing.T) {
	opts := BuildOptions{IncludePaths: []string{"include", "arch"}}
	tree := fstest.MapFS{
		"m.c":             {Data: []byte("#include \"h.h\"\nstruct s { T a; };\nint f(struct s *p) { return p->a; }\n")},
		"arch/h.h":        {Data: []byte("typedef int T;\n")},
		"include/other.h": {Data: []byte("\n")},
	}
	c := NewModuleCache()
	size := func(fs fstest.MapFS) uint64 {
		t.Helper()
		m, err := c.inspect(fs, "m.c", opts)
		if err != nil {
			t.Fatal(err)
		}
		return m.Structs["s"].Layout.Size
	}
	if got := size(tree); got != 4 {
		t.Fatalf("struct s is %d bytes, want 4", got)
	}
	same := fstest.MapFS{}
	for k, v := range tree {
		same[k] = v
	}
	same["unrelated.c"] = &fstest.MapFile{Data: []byte("int x;\n")}
	if got := size(same); got != 4 {
		t.Fatalf("struct s is %d bytes, want 4", got)
	}
	if h, m := c.Stats(); h != 1 || m != 1 {
		t.Fatalf("hits %d, misses %d: want the unchanged module served from the cache", h, m)
	}
	changed := fstest.MapFS{"m.c": tree["m.c"], "arch/h.h": {Data: []byte("typedef long T;\n")}}
	if got := size(changed); got != 8 {
		t.Errorf("after the header changed struct s is %d bytes, want 8", got)
	}
	shadow := fstest.MapFS{"m.c": tree["m.c"], "arch/h.h": tree["arch/h.h"], "include/h.h": {Data: []byte("typedef short T;\n")}}
	if got := size(shadow); got != 2 {
		t.Errorf("with a header earlier in the include path struct s is %d bytes, want 2", got)
	}
	edited := fstest.MapFS{"m.c": {Data: []byte("#include \"h.h\"\nstruct s { T a, b; };\nint f(struct s *p) { return p->a; }\n")}, "arch/h.h": tree["arch/h.h"]}
	if got := size(edited); got != 8 {
		t.Errorf("after the module changed struct s is %d bytes, want 8", got)
	}
	if h, m := c.Stats(); h != 1 || m != 4 {
		t.Errorf("hits %d, misses %d, want 1 and 4", h, m)
	}
}
