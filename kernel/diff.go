// This file diffs two trees without descending into unchanged subtrees.

package kernel

import (
	"sort"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// Delta is one file that differs between two trees. From or To is the zero
// hash when the file is absent on that side.
type Delta struct {
	Path     string
	From, To plumbing.Hash
	FromMode filemode.FileMode
	ToMode   filemode.FileMode
}

// DiffTrees lists the files that differ between trees a and b (either may be
// the zero hash for an empty tree), in path order. Subtrees with equal
// hashes are skipped without being read.
func (r *Repo) DiffTrees(a, b plumbing.Hash) ([]Delta, error) {
	var out []Delta
	err := r.diff(a, b, "", &out)
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out, err
}

func (r *Repo) entries(h plumbing.Hash) ([]object.TreeEntry, error) {
	if h.IsZero() {
		return nil, nil
	}
	t, err := r.Tree(h)
	if err != nil {
		return nil, err
	}
	return t.Entries, nil
}

func (r *Repo) diff(a, b plumbing.Hash, prefix string, out *[]Delta) error {
	if a == b {
		return nil
	}
	ea, err := r.entries(a)
	if err != nil {
		return err
	}
	eb, err := r.entries(b)
	if err != nil {
		return err
	}
	// Match entries by name; git sorts directories as if named "dir/", so
	// a merge by name over the stored order is not safe: use a map.
	byName := make(map[string]object.TreeEntry, len(eb))
	for _, e := range eb {
		byName[e.Name] = e
	}
	for _, x := range ea {
		y, ok := byName[x.Name]
		if ok {
			delete(byName, x.Name)
		}
		if err := r.diffEntry(prefix+x.Name, &x, entryPtr(y, ok), out); err != nil {
			return err
		}
	}
	for _, y := range eb {
		if _, ok := byName[y.Name]; ok {
			if err := r.diffEntry(prefix+y.Name, nil, &y, out); err != nil {
				return err
			}
		}
	}
	return nil
}

func entryPtr(e object.TreeEntry, ok bool) *object.TreeEntry {
	if !ok {
		return nil
	}
	return &e
}

func isDir(e *object.TreeEntry) bool { return e != nil && e.Mode == filemode.Dir }

func (r *Repo) diffEntry(path string, x, y *object.TreeEntry, out *[]Delta) error {
	if x != nil && y != nil && x.Hash == y.Hash && x.Mode == y.Mode {
		return nil // unchanged file or subtree: never read
	}
	// A directory on either side is recursed into; the file on the
	// other side (if any) is a separate delta.
	var da, db plumbing.Hash
	if isDir(x) {
		da = x.Hash
	}
	if isDir(y) {
		db = y.Hash
	}
	if isDir(x) || isDir(y) {
		if err := r.diff(da, db, path+"/", out); err != nil {
			return err
		}
	}
	d := Delta{Path: path}
	if x != nil && !isDir(x) {
		d.From, d.FromMode = x.Hash, x.Mode
	}
	if y != nil && !isDir(y) {
		d.To, d.ToMode = y.Hash, y.Mode
	}
	if !d.From.IsZero() || !d.To.IsZero() {
		*out = append(*out, d)
	}
	return nil
}

// Files lists every file of a tree as deltas from the empty tree.
func (r *Repo) Files(tree plumbing.Hash) ([]Delta, error) {
	return r.DiffTrees(plumbing.ZeroHash, tree)
}
