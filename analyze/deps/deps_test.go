package deps

import (
	"io/fs"
	"maps"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/upsynth/upsynth/internal/gittest"
	"github.com/upsynth/upsynth/kernel"
)

// trees builds one commit per file set (each on top of the one before:
// "" deletes a path, "-> target" makes it a symlink) and returns the
// repository and each commit's root tree.
func trees(t *testing.T, steps []map[string]string) (*kernel.Repo, []plumbing.Hash) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "repo")
	g, err := gittest.Init(dir)
	if err != nil {
		t.Fatal(err)
	}
	var commits []plumbing.Hash
	for i, files := range steps {
		m := map[string][]byte{}
		for p, c := range files {
			target, link := strings.CutPrefix(c, "-> ")
			switch {
			case c == "":
				m[p] = nil
			case link:
				m[p], g.Symlinks[p] = []byte(target), true
			default:
				m[p] = []byte(c)
				delete(g.Symlinks, p)
			}
		}
		h, err := g.Commit("step "+string(rune('0'+i)), m)
		if err != nil {
			t.Fatal(err)
		}
		commits = append(commits, h)
	}
	r, err := kernel.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	var roots []plumbing.Hash
	for _, h := range commits {
		c, err := r.Commit(h)
		if err != nil {
			t.Fatal(err)
		}
		roots = append(roots, c.TreeHash)
	}
	return r, roots
}

// lookups are those of a parse of src/pipe.c with include paths
// "include" and "lib": #include "types.h" tried beside it first, found in
// include/; a presence test of include/config.h; lib/ listed.
func lookups(t *testing.T, r *kernel.Repo, root plumbing.Hash) map[string]Kind {
	t.Helper()
	rec := NewRecorder(kernel.NewTreeFS(r, root))
	if _, err := fs.ReadFile(rec, "src/types.h"); err == nil {
		t.Fatal("src/types.h found")
	}
	if _, err := fs.ReadFile(rec, "include/types.h"); err != nil {
		t.Fatal(err)
	}
	if _, err := fs.Stat(rec, "include/config.h"); err != nil {
		t.Fatal(err)
	}
	if _, err := fs.ReadDir(rec, "lib"); err != nil {
		t.Fatal(err)
	}
	fs.Stat(rec, "../outside.h") // no tree holds it: not recorded
	want := map[string]Kind{"src/types.h": Content, "include/types.h": Content, "include/config.h": Presence, "lib": Content}
	if got := rec.Looked(); !maps.Equal(got, want) {
		t.Fatalf("recorded %v, want %v", got, want)
	}
	return want
}

func TestStateHolds(t *testing.T) {
	r, roots := trees(t, []map[string]string{
		{"src/pipe.c": "int p;\n", "include/types.h": "typedef int count_t;\n", "include/config.h": "#define A 1\n", "lib/l.h": "x\n", "doc/README": "a\n"},
		{"doc/README": "b\n", "src/other.c": "int o;\n"},             // 1: nothing looked up changed
		{"include/config.h": "#define A 2\n"},                        // 2: only tested: still there
		{"include/types.h": "typedef long count_t;\n"},               // 3: a header read changed
		{"include/types.h": "typedef int count_t;\n"},                // 4: back as in 0
		{"src/types.h": "typedef short count_t;\n"},                  // 5: found first now
		{"src/types.h": "", "include/config.h": ""},                  // 6: a tested file gone
		{"include/config.h": "#define A 1\n", "lib/m.h": "y\n"},      // 7: a listed directory changed
		{"lib/m.h": "", "include/extra/e.h": "z\n", "src/x/y.c": ""}, // 8: as in 0, new directories beside
	})
	st, err := Capture(r, roots[0], lookups(t, r, roots[0]))
	if err != nil {
		t.Fatal(err)
	}
	want := []bool{true, true, true, false, true, false, false, false, true}
	for i, root := range roots {
		if got := st.Holds(r, root); got != want[i] {
			t.Errorf("tree %d: holds %v, want %v", i, got, want[i])
		}
	}
	// The key tells what was found, not where the tree differs
	// elsewhere: equal in trees 0, 1 and 4, other in 3.
	key := func(i int) string {
		s, err := Capture(r, roots[i], lookups(t, r, roots[i]))
		if err != nil {
			t.Fatal(err)
		}
		return s.Key()
	}
	if k0 := st.Key(); k0 == "" || key(1) != k0 || key(4) != k0 || key(3) == k0 {
		t.Errorf("keys: %s %s %s %s", k0, key(1), key(4), key(3))
	}

	// Stored and read back, the state holds where it held.
	back, err := Decode(st.Encode())
	if err != nil {
		t.Fatal(err)
	}
	if back.Key() != st.Key() || back.Len() != 4 {
		t.Errorf("decoded: key %s len %d, want %s 4", back.Key(), back.Len(), st.Key())
	}
	for i, root := range roots {
		if got := back.Holds(r, root); got != want[i] {
			t.Errorf("decoded, tree %d: holds %v, want %v", i, got, want[i])
		}
	}
	if _, err := Decode([]byte("c 12 include/types.h\n")); err == nil {
		t.Error("a damaged line decoded")
	}

	// A parse that looked nothing up holds everywhere and has no key.
	empty, err := Capture(r, roots[0], nil)
	if err != nil || empty.Key() != "" || empty.Encode() != nil || !empty.Holds(r, roots[3]) {
		t.Errorf("empty state: %v %q %v", err, empty.Key(), empty.Encode())
	}
}

// A path reached through a symlink depends on where it leads, which the
// directory holding the symlink does not tell.
func TestStateFollowsSymlinks(t *testing.T) {
	r, roots := trees(t, []map[string]string{
		{"include/link.h": "-> ../real/x.h", "real/x.h": "int a;\n", "include/other.h": "o\n"},
		{"real/x.h": "long a;\n"},
		{"real/x.h": "int a;\n", "real/y.h": "y\n"},
		{"include/link.h": "-> ../real/y.h"},
	})
	st, err := Capture(r, roots[0], map[string]Kind{"include/link.h": Content, "include/other.h": Content})
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []bool{true, false, true, false} {
		if got := st.Holds(r, roots[i]); got != want {
			t.Errorf("tree %d: holds %v, want %v", i, got, want)
		}
	}
}

// A path whose directory was missing, or a file, found nothing; a
// symlink to a directory appearing there finds something again.
func TestStateAbsentDirectories(t *testing.T) {
	r, roots := trees(t, []map[string]string{
		{"a.c": "x\n", "gen": "a file\n", "real/h.h": "h\n"},
		{"b.c": "y\n"},
		{"gen/h.h": "now a directory\n", "gen": ""},
		{"gen/h.h": "", "gen": "-> real"},
	})
	looked := map[string]Kind{"missing/h.h": Content, "gen/h.h": Content}
	st, err := Capture(r, roots[0], looked)
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []bool{true, true, false} {
		if got := st.Holds(r, roots[i]); got != want {
			t.Errorf("tree %d: holds %v, want %v", i, got, want)
		}
	}
	if st.Holds(r, roots[3]) {
		t.Error("a symlink to a directory holding the header: holds")
	}
}
