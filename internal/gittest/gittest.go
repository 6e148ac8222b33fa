// Package gittest builds small git repositories on disk for tests and
// benchmarks: commits are written straight into the object store from a map
// of file contents, without a work tree or the git command.
package gittest

import (
	"fmt"
	"path"
	"sort"
	"strings"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/storage"
)

// Repo is a repository under construction. Its branch "master" (and HEAD)
// follows the last commit made.
type Repo struct {
	Dir   string
	st    storage.Storer
	files map[string]plumbing.Hash // the tree of the last commit
	Head  plumbing.Hash
	clock time.Time
	// Symlinks are the paths written as symbolic links (their content is
	// the link target).
	Symlinks map[string]bool
}

// Init creates an empty repository (with a work tree directory) at dir.
func Init(dir string) (*Repo, error) {
	r, err := git.PlainInit(dir, false)
	if err != nil {
		return nil, err
	}
	return &Repo{Dir: dir, st: r.Storer, files: map[string]plumbing.Hash{}, Symlinks: map[string]bool{},
		clock: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)}, nil
}

// Commit makes a commit on top of Head: files maps paths to new contents,
// a nil content deletes the path.
func (r *Repo) Commit(msg string, files map[string][]byte) (plumbing.Hash, error) {
	for p, b := range files {
		if b == nil {
			delete(r.files, p)
			continue
		}
		h, err := r.blob(b)
		if err != nil {
			return plumbing.ZeroHash, err
		}
		r.files[p] = h
	}
	var parents []plumbing.Hash
	if !r.Head.IsZero() {
		parents = []plumbing.Hash{r.Head}
	}
	return r.commitTree(msg, parents)
}

// Merge makes a merge commit of Head and other whose tree is Head's tree
// plus files.
func (r *Repo) Merge(msg string, other plumbing.Hash, files map[string][]byte) (plumbing.Hash, error) {
	for p, b := range files {
		h, err := r.blob(b)
		if err != nil {
			return plumbing.ZeroHash, err
		}
		r.files[p] = h
	}
	return r.commitTree(msg, []plumbing.Hash{r.Head, other})
}

// Checkout makes h the parent of the next commit, with h's files.
func (r *Repo) Checkout(h plumbing.Hash) error {
	c, err := object.GetCommit(r.st, h)
	if err != nil {
		return err
	}
	t, err := c.Tree()
	if err != nil {
		return err
	}
	r.files = map[string]plumbing.Hash{}
	err = t.Files().ForEach(func(f *object.File) error {
		r.files[f.Name] = f.Hash
		return nil
	})
	r.Head = h
	return err
}

// BlobHash is the hash content would have as a blob.
func BlobHash(content []byte) plumbing.Hash {
	return plumbing.ComputeHash(plumbing.BlobObject, content)
}

func (r *Repo) blob(b []byte) (plumbing.Hash, error) {
	o := r.st.NewEncodedObject()
	o.SetType(plumbing.BlobObject)
	w, err := o.Writer()
	if err != nil {
		return plumbing.ZeroHash, err
	}
	if _, err := w.Write(b); err != nil {
		return plumbing.ZeroHash, err
	}
	if err := w.Close(); err != nil {
		return plumbing.ZeroHash, err
	}
	return r.st.SetEncodedObject(o)
}

func (r *Repo) commitTree(msg string, parents []plumbing.Hash) (plumbing.Hash, error) {
	tree, err := r.writeTree("")
	if err != nil {
		return plumbing.ZeroHash, err
	}
	r.clock = r.clock.Add(time.Minute)
	sig := object.Signature{Name: "Test", Email: "test@example.com", When: r.clock}
	c := &object.Commit{Author: sig, Committer: sig, Message: msg, TreeHash: tree, ParentHashes: parents}
	o := r.st.NewEncodedObject()
	if err := c.Encode(o); err != nil {
		return plumbing.ZeroHash, err
	}
	h, err := r.st.SetEncodedObject(o)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	r.Head = h
	ref := plumbing.NewHashReference("refs/heads/master", h)
	if err := r.st.SetReference(ref); err != nil {
		return plumbing.ZeroHash, err
	}
	return h, r.st.SetReference(plumbing.NewSymbolicReference(plumbing.HEAD, "refs/heads/master"))
}

// writeTree writes the tree of directory dir ("" for the root).
func (r *Repo) writeTree(dir string) (plumbing.Hash, error) {
	prefix := dir
	if prefix != "" {
		prefix += "/"
	}
	subdirs := map[string]bool{}
	var entries []object.TreeEntry
	for p, h := range r.files {
		if !strings.HasPrefix(p, prefix) {
			continue
		}
		rest := p[len(prefix):]
		if i := strings.IndexByte(rest, '/'); i >= 0 {
			subdirs[rest[:i]] = true
			continue
		}
		mode := filemode.Regular
		if r.Symlinks[p] {
			mode = filemode.Symlink
		}
		entries = append(entries, object.TreeEntry{Name: rest, Mode: mode, Hash: h})
	}
	for d := range subdirs {
		h, err := r.writeTree(path.Join(dir, d))
		if err != nil {
			return plumbing.ZeroHash, err
		}
		entries = append(entries, object.TreeEntry{Name: d, Mode: filemode.Dir, Hash: h})
	}
	// git's order: a directory sorts as if its name ended in "/".
	key := func(e object.TreeEntry) string {
		if e.Mode == filemode.Dir {
			return e.Name + "/"
		}
		return e.Name
	}
	sort.Slice(entries, func(i, j int) bool { return key(entries[i]) < key(entries[j]) })
	t := &object.Tree{Entries: entries}
	o := r.st.NewEncodedObject()
	if err := t.Encode(o); err != nil {
		return plumbing.ZeroHash, fmt.Errorf("tree %q: %w", dir, err)
	}
	return r.st.SetEncodedObject(o)
}
