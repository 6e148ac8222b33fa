package kernel_test

import (
	"reflect"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/upsynth/upsynth/internal/gittest"
	"github.com/upsynth/upsynth/kernel"
)

func must(t *testing.T) func(plumbing.Hash, error) plumbing.Hash {
	return func(h plumbing.Hash, err error) plumbing.Hash {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return h
	}
}

func TestDiffAndCommits(t *testing.T) {
	g, err := gittest.Init(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	c1 := must(t)(g.Commit("one", map[string][]byte{"a/x.c": []byte("1"), "a/b/y.c": []byte("1"), "z.h": []byte("1")}))
	c2 := must(t)(g.Commit("two", map[string][]byte{"a/b/y.c": []byte("2"), "new/n.c": []byte("n"), "z.h": nil}))
	side := must(t)(g.Commit("side", map[string][]byte{"s.c": []byte("s")}))
	if err := g.Checkout(c2); err != nil {
		t.Fatal(err)
	}
	c3 := must(t)(g.Commit("three", map[string][]byte{"a/x.c": []byte("3")}))
	m := must(t)(g.Merge("merge", side, nil))

	r, err := kernel.Open(g.Dir)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	tree := func(h plumbing.Hash) plumbing.Hash {
		c, err := r.Commit(h)
		if err != nil {
			t.Fatal(err)
		}
		return c.TreeHash
	}
	ds, err := r.DiffTrees(tree(c1), tree(c2))
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, d := range ds {
		kind := "M"
		switch {
		case d.From.IsZero():
			kind = "A"
		case d.To.IsZero():
			kind = "D"
		}
		paths = append(paths, kind+" "+d.Path)
	}
	if want := []string{"M a/b/y.c", "A new/n.c", "D z.h"}; !reflect.DeepEqual(paths, want) {
		t.Errorf("diff = %v, want %v", paths, want)
	}

	names := func(spec string, fp bool) []string {
		rng, err := r.Commits(spec, fp)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, c := range rng.Commits {
			out = append(out, c.Message)
		}
		return out
	}
	if got, want := names("", false), []string{"one", "two", "side", "three", "merge"}; !reflect.DeepEqual(got, want) {
		t.Errorf("all = %v, want %v", got, want)
	}
	if got, want := names("", true), []string{"one", "two", "three", "merge"}; !reflect.DeepEqual(got, want) {
		t.Errorf("first parent = %v, want %v", got, want)
	}
	if got, want := names(c2.String()+".."+m.String(), false), []string{"side", "three", "merge"}; !reflect.DeepEqual(got, want) {
		t.Errorf("range = %v, want %v", got, want)
	}
	_ = c3
}

// TestDiffSkipsUnchangedSubtrees: a change deep in one directory reads only
// the trees on its path, never the unchanged sibling subtrees.
func TestDiffSkipsUnchangedSubtrees(t *testing.T) {
	g, err := gittest.Init(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{"a/b/c.c": []byte("1")}
	for i := 0; i < 50; i++ {
		files["big/"+string(rune('a'+i%26))+"/f"+string(rune('0'+i%10))+".c"] = []byte{byte(i)}
	}
	one := must(t)(g.Commit("one", files))
	two := must(t)(g.Commit("two", map[string][]byte{"a/b/c.c": []byte("2")}))
	r, err := kernel.Open(g.Dir)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	c1, _ := r.Commit(one)
	c2, _ := r.Commit(two)
	before := r.TreeReads()
	ds, err := r.DiffTrees(c1.TreeHash, c2.TreeHash)
	if err != nil || len(ds) != 1 || ds[0].Path != "a/b/c.c" {
		t.Fatalf("diff = %+v, %v", ds, err)
	}
	// root, a, a/b on each side.
	if n := r.TreeReads() - before; n != 6 {
		t.Errorf("read %d trees, want 6", n)
	}
}
