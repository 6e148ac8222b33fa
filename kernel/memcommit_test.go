package kernel_test

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/upsynth/upsynth/internal/gittest"
	"github.com/upsynth/upsynth/kernel"
)

// countObjects is the number of loose objects and packs on disk.
func countObjects(t *testing.T, dir string) int {
	n := 0
	err := filepath.WalkDir(filepath.Join(dir, ".git", "objects"), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			n++
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestCommitInMemory: edits made in memory give the tree the same edits
// committed give (same hashes, unchanged subtrees shared, emptied
// directories gone), readable through the Repo like any commit, and the
// repository on disk gains no object.
func TestCommitInMemory(t *testing.T) {
	g, err := gittest.Init(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	base, err := g.Commit("base", map[string][]byte{
		"kernel/a.c": []byte("int a;\n"), "kernel/b.c": []byte("int b;\n"),
		"include/k.h": []byte("#define K 1\n"), "old/gone.c": []byte("int g;\n"), "README": []byte("k\n")})
	if err != nil {
		t.Fatal(err)
	}
	edits := map[string][]byte{"kernel/a.c": []byte("int a = 2;\n"), "old/gone.c": nil,
		"new/dir/n.c": []byte("int n;\n"), "kernel.c": []byte("int k;\n")}
	want, err := g.Commit("the same as a commit", edits)
	if err != nil {
		t.Fatal(err)
	}
	r, err := kernel.Open(g.Dir)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	before := countObjects(t, g.Dir)
	var es []kernel.Edit
	for p, b := range edits {
		es = append(es, kernel.Edit{Path: p, Data: b, Delete: b == nil})
	}
	who := object.Signature{Name: "A", Email: "a@example.com", When: time.Unix(1700000000, 0).UTC()}
	h, err := r.CommitInMemory(base, es, kernel.CommitInfo{Author: who, Message: "fix a\n"})
	if err != nil {
		t.Fatal(err)
	}
	c, err := r.Commit(h)
	if err != nil {
		t.Fatal(err)
	}
	wc, err := r.Commit(want)
	if err != nil {
		t.Fatal(err)
	}
	if c.TreeHash != wc.TreeHash {
		t.Errorf("tree %s, the committed edits give %s", c.TreeHash, wc.TreeHash)
	}
	if len(c.ParentHashes) != 1 || c.ParentHashes[0] != base || c.Message != "fix a\n" || c.Author.Email != "a@example.com" {
		t.Errorf("commit %+v", c)
	}
	deltas, err := r.DiffTrees(wc.TreeHash, c.TreeHash)
	if err != nil || len(deltas) != 0 {
		t.Errorf("DiffTrees = %v, %v; want nothing", deltas, err)
	}
	tree, err := r.AtCommit(h)
	if err != nil {
		t.Fatal(err)
	}
	if b, err := fs.ReadFile(tree.FS, "kernel/a.c"); err != nil || string(b) != "int a = 2;\n" {
		t.Errorf("kernel/a.c = %q, %v", b, err)
	}
	if _, err := fs.Stat(tree.FS, "old"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("old/ after its last file was deleted: %v", err)
	}
	if got, err := r.Resolve(h.String()); err != nil || got != h {
		t.Errorf("Resolve(%s) = %s, %v", h, got, err)
	}
	if after := countObjects(t, g.Dir); after != before {
		t.Errorf("%d objects on disk after, %d before: the repository was written", after, before)
	}
	if _, err := os.Stat(filepath.Join(g.Dir, "kernel.c")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the work tree was written: %v", err)
	}

	// A chain: a commit made in memory is the parent of the next.
	h2, err := r.CommitInMemory(h, []kernel.Edit{{Path: "kernel/b.c", Data: []byte("int b = 3;\n")}}, kernel.CommitInfo{Author: who, Message: "b\n"})
	if err != nil {
		t.Fatal(err)
	}
	c2, err := r.Commit(h2)
	if err != nil {
		t.Fatal(err)
	}
	ds, err := r.DiffTrees(c.TreeHash, c2.TreeHash)
	if err != nil || len(ds) != 1 || ds[0].Path != "kernel/b.c" {
		t.Errorf("the second commit changes %v (%v), want kernel/b.c", ds, err)
	}

	for _, bad := range []struct {
		name string
		edit kernel.Edit
		want error
	}{
		{"delete a missing file", kernel.Edit{Path: "kernel/none.c", Delete: true}, fs.ErrNotExist},
		{"a file as a directory", kernel.Edit{Path: "README/x.c", Data: []byte("x")}, nil},
		{"a directory as a file", kernel.Edit{Path: "kernel", Data: []byte("x")}, nil},
		{"an invalid path", kernel.Edit{Path: "../x.c", Data: []byte("x")}, nil},
	} {
		_, err := r.CommitInMemory(base, []kernel.Edit{bad.edit}, kernel.CommitInfo{Author: who})
		var ee *kernel.EditError
		if !errors.As(err, &ee) || ee.Path != bad.edit.Path {
			t.Errorf("%s: %v, want an *EditError naming %s", bad.name, err, bad.edit.Path)
		}
		if bad.want != nil && !errors.Is(err, bad.want) {
			t.Errorf("%s: %v, want %v", bad.name, err, bad.want)
		}
	}
	if _, err := r.CommitInMemory(plumbing.NewHash("1234567890123456789012345678901234567890"), nil, kernel.CommitInfo{}); err == nil {
		t.Error("a missing parent was accepted")
	}
}
