package kernel_test

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"testing/quick"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/upsynth/upsynth/internal/gittest"
	"github.com/upsynth/upsynth/kernel"
)

// lines is a file of n distinct lines, the i-th spelled by line(i).
func lines(n int, line func(i int) string) []byte {
	var b strings.Builder
	for i := range n {
		b.WriteString(line(i) + "\n")
	}
	return []byte(b.String())
}

// renamesBetween is r.Renames over the files that differ between two
// commits, every path a candidate unless candidate says otherwise (nil).
func renamesBetween(t *testing.T, r *kernel.Repo, from, to plumbing.Hash, candidate func(string) bool) []kernel.Rename {
	t.Helper()
	tree := func(h plumbing.Hash) plumbing.Hash {
		c, err := r.Commit(h)
		if err != nil {
			t.Fatal(err)
		}
		return c.TreeHash
	}
	deltas, err := r.DiffTrees(tree(from), tree(to))
	if err != nil {
		t.Fatal(err)
	}
	if candidate == nil {
		candidate = func(string) bool { return true }
	}
	got, err := r.Renames(deltas, candidate)
	if err != nil {
		t.Fatal(err)
	}
	slices.SortFunc(got, func(a, b kernel.Rename) int { return strings.Compare(a.From, b.From) })
	return got
}

// TestSimilarity: git's similarity index on contents whose answer is
// known.
func TestSimilarity(t *testing.T) {
	file := lines(20, func(i int) string { return fmt.Sprintf("int f%02d(void) { return %d; }", i, i) })
	oneLine := lines(20, func(i int) string {
		if i == 3 {
			return "#include \"file.h\"            /* new name */"
		}
		return fmt.Sprintf("int f%02d(void) { return %d; }", i, i)
	})
	replaced := len(fmt.Sprintf("int f%02d(void) { return %d; }\n", 3, 3))
	crlf := []byte(strings.ReplaceAll(string(file), "\n", "\r\n"))
	firstTen := lines(10, func(i int) string { return fmt.Sprintf("int f%02d(void) { return %d; }", i, i) })
	for _, c := range []struct {
		name string
		a, b []byte
		want int
	}{
		{"the same bytes", file, file, 100},
		// The bytes both hold over the larger one's size, as git counts.
		{"one line of twenty replaced", file, oneLine, (len(file) - replaced) * 100 / len(oneLine)},
		// A CR before a line feed is not counted, but is in the size.
		{"line endings converted", file, crlf, len(file) * 100 / len(crlf)},
		{"nothing in common", file, lines(20, func(i int) string { return fmt.Sprintf("long g%02d = %d * 7;", i, i) }), 0},
		{"the first ten lines kept", file, firstTen, len(firstTen) * 100 / len(file)},
		{"empty", nil, file, 0},
		{"a line longer than a chunk", []byte(strings.Repeat("x", 200)), []byte(strings.Repeat("x", 200)), 100},
	} {
		if got := kernel.Similarity(c.a, c.b); got != c.want {
			t.Errorf("%s: Similarity = %d, want %d", c.name, got, c.want)
		}
	}
}

// TestSimilarityProperties: symmetric, within 0..100, 100 for a content
// with itself.
func TestSimilarityProperties(t *testing.T) {
	f := func(a, b []byte) bool {
		s := kernel.Similarity(a, b)
		return s == kernel.Similarity(b, a) && s >= 0 && s <= 100 && (len(a) == 0 || kernel.Similarity(a, a) == 100)
	}
	if err := quick.Check(f, nil); err != nil {
		t.Error(err)
	}
}

// TestRenames: a commit that renames files, edits one of them and deletes
// and adds others is read as git reads it.
func TestRenames(t *testing.T) {
	g, err := gittest.Init(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	fd := lines(20, func(i int) string { return fmt.Sprintf("int fd_op%02d(void) { return %d; }", i, i) })
	timer := lines(10, func(i int) string { return fmt.Sprintf("#define TIMER_REG%d 0x%x", i, i*4) })
	base, err := g.Commit("base", map[string][]byte{
		"fd.c":                      fd,
		"include/plat/timer.h":      timer,
		"8253pit.c":                 lines(10, func(i int) string { return fmt.Sprintf("#define PIT%d %d", i, i) }),
		"same/bytes.c":              []byte("int unchanged;\n"),
		"docs/notes.txt":            timer,
		"include/plat/platform.h":   []byte("enum irqs { maxIRQ = 63 };\n"),
		"include/plat/hardware.h":   []byte("#include <config.h>\n"),
		"drivers/unrelated/stays.c": []byte("int stays;\n"),
	})
	if err != nil {
		t.Fatal(err)
	}
	fdEdited := []byte(strings.Replace(string(fd), "return 3;", "return 3; /* fd.h is file.h */", 1))
	timerEdited := append([]byte("#define TIMER_NEW 1\n"), timer...)
	head, err := g.Commit("renames", map[string][]byte{
		"fd.c": nil, "file.c": fdEdited,
		"include/plat/timer.h": nil, "include/drivers/timer/allwinner.h": timerEdited,
		"8253pit.c": nil, "timer.c": lines(10, func(i int) string { return fmt.Sprintf("void timer_step%d(void) {}", i) }),
		"same/bytes.c": nil, "moved/bytes.c": []byte("int unchanged;\n"),
		"docs/notes.txt": nil, "docs/renamed.txt": timer,
		"include/plat/platform.h": nil, "include/plat/hardware.h": nil,
	})
	if err != nil {
		t.Fatal(err)
	}
	r, err := kernel.Open(g.Dir)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	got := renamesBetween(t, r, base, head, func(p string) bool { return !strings.HasPrefix(p, "docs/") })
	want := []kernel.Rename{
		{From: "fd.c", To: "file.c", Score: kernel.Similarity(fd, fdEdited)},
		{From: "include/plat/timer.h", To: "include/drivers/timer/allwinner.h", Score: kernel.Similarity(timer, timerEdited)},
		{From: "same/bytes.c", To: "moved/bytes.c", Score: 100},
	}
	if !slices.Equal(got, want) {
		t.Errorf("Renames = %v\nwant %v (8253pit.c → timer.c shares nothing; docs/ not a candidate)", got, want)
	}
	for _, rn := range got {
		if rn.Score < kernel.RenameScore {
			t.Errorf("%v: paired below the rename score", rn)
		}
	}
}

// TestRenamesOnXV6 checks Renames against git's own figures on xv6's
// history (`git show -M --summary`): "fd.* -> file.*" renames fd.c (99%)
// and fd.h (100%); "rename 8253pit.c to timer.c" rewrote the file, 34%
// similar, which git does not call a rename. It needs a clone of
// xv6-public in UPSYNTH_XV6.
func TestRenamesOnXV6(t *testing.T) {
	path := os.Getenv("UPSYNTH_XV6")
	if path == "" {
		t.Skip("UPSYNTH_XV6 unset: set it to a clone of mit-pdos/xv6-public to check renames against git's")
	}
	r, err := kernel.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	renames := func(sha string) []kernel.Rename {
		c, err := r.Commit(plumbing.NewHash(sha))
		if err != nil {
			t.Fatal(err)
		}
		return renamesBetween(t, r, c.ParentHashes[0], c.Hash, nil)
	}
	if got, want := renames("9936bffa45c928ead9660a0df32d08a50b2b09c2"), []kernel.Rename{{From: "fd.c", To: "file.c", Score: 99}, {From: "fd.h", To: "file.h", Score: 100}}; !slices.Equal(got, want) {
		t.Errorf("fd.* -> file.*: %v, want %v", got, want)
	}
	if got := renames("9e82bfb04cc5644f32823fa9ec406261f05073b8"); len(got) != 0 {
		t.Errorf("rename 8253pit.c to timer.c: %v, want none (34%% similar)", got)
	}
}

// TestRenamesBeyondThePairLimit: a commit that deletes and adds more files
// than RenamePairLimit lets compare still pairs the files that kept their
// bytes, and no others.
func TestRenamesBeyondThePairLimit(t *testing.T) {
	g, err := gittest.Init(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	n := 102 // 101 × 101 pairs left once the same bytes pair: > RenamePairLimit
	before, after := map[string][]byte{}, map[string][]byte{}
	for i := range n {
		content := lines(20, func(j int) string { return fmt.Sprintf("int f%d_%d(void) { return %d; }", i, j, j) })
		before[fmt.Sprintf("old/f%d.c", i)] = content
		after[fmt.Sprintf("old/f%d.c", i)] = nil
		switch i {
		case 0:
			after["new/kept.c"] = content // the same bytes
		case 1:
			after["new/edited.c"] = append([]byte("int extra;\n"), content...) // 95% similar
		default:
			after[fmt.Sprintf("new/g%d.c", i)] = []byte(fmt.Sprintf("long g%d;\n", i))
		}
	}
	base, err := g.Commit("base", before)
	if err != nil {
		t.Fatal(err)
	}
	head, err := g.Commit("many", after)
	if err != nil {
		t.Fatal(err)
	}
	r, err := kernel.Open(g.Dir)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	got := renamesBetween(t, r, base, head, nil)
	if want := []kernel.Rename{{From: "old/f0.c", To: "new/kept.c", Score: 100}}; !slices.Equal(got, want) {
		t.Errorf("Renames = %v, want %v: beyond %d pairs only the same bytes pair", got, want, kernel.RenamePairLimit)
	}
}
