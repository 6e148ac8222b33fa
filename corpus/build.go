package corpus

import (
	"fmt"
	"sort"
	"strings"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/storer"
	"github.com/go-git/go-git/v5/storage/memory"
)

// Branch is the branch the history is written to.
const Branch = "master"

// Built describes a materialized history.
type Built struct {
	// Commits pairs every history entry with its git commit, in order.
	Commits []BuiltCommit
}

// BuiltCommit is one history entry and the git commit made from it.
type BuiltCommit struct {
	ID   string
	Hash plumbing.Hash
}

// Head is the hash of the last commit.
func (b *Built) Head() plumbing.Hash { return b.Commits[len(b.Commits)-1].Hash }

// HashOf returns the git commit of the history entry with the given id.
func (b *Built) HashOf(id string) (plumbing.Hash, bool) {
	for _, c := range b.Commits {
		if c.ID == id {
			return c.Hash, true
		}
	}
	return plumbing.ZeroHash, false
}

// Build writes the history as a git repository in dir (created if needed,
// which must not already hold a repository) with the branch checked out.
// Authors, committers and dates are fixed, so the hashes are the same on
// every machine.
func Build(dir string) (*Built, error) {
	repo, err := git.PlainInit(dir, false)
	if err != nil {
		return nil, fmt.Errorf("corpus: init %s: %w", dir, err)
	}
	built, err := writeHistory(repo)
	if err != nil {
		return nil, err
	}
	wt, err := repo.Worktree()
	if err != nil {
		return nil, err
	}
	if err := wt.Reset(&git.ResetOptions{Commit: built.Head(), Mode: git.HardReset}); err != nil {
		return nil, fmt.Errorf("corpus: checkout: %w", err)
	}
	return built, nil
}

// BuildMemory writes the history into a repository held in memory, with no
// worktree: what tests and the analyzer's tests use.
func BuildMemory() (*git.Repository, *Built, error) {
	repo, err := git.Init(memory.NewStorage(), nil)
	if err != nil {
		return nil, nil, err
	}
	built, err := writeHistory(repo)
	if err != nil {
		return nil, nil, err
	}
	return repo, built, nil
}

// writeHistory stores every commit's blobs, trees and commit object and
// points the branch (and HEAD) at the last one.
func writeHistory(repo *git.Repository) (*Built, error) {
	commits, err := History()
	if err != nil {
		return nil, err
	}
	st := repo.Storer
	blobs := map[string]plumbing.Hash{} // path -> blob of the current tree
	built := &Built{}
	parent := plumbing.ZeroHash
	for i := range commits {
		c := &commits[i]
		for _, p := range c.Deletions {
			delete(blobs, p)
		}
		for p, data := range c.Files {
			h, err := writeBlob(st, data)
			if err != nil {
				return nil, err
			}
			blobs[p] = h
		}
		tree, err := writeTree(st, blobs)
		if err != nil {
			return nil, fmt.Errorf("corpus: %s: %w", c.ID, err)
		}
		sig := object.Signature{Name: c.Author, Email: c.Email, When: c.Date}
		commit := &object.Commit{
			Author:    sig,
			Committer: sig,
			Message:   c.Message,
			TreeHash:  tree,
		}
		if !parent.IsZero() {
			commit.ParentHashes = []plumbing.Hash{parent}
		}
		h, err := writeObject(st, commit)
		if err != nil {
			return nil, fmt.Errorf("corpus: %s: %w", c.ID, err)
		}
		built.Commits = append(built.Commits, BuiltCommit{ID: c.ID, Hash: h})
		parent = h
	}
	branch := plumbing.NewBranchReferenceName(Branch)
	if err := st.SetReference(plumbing.NewHashReference(branch, parent)); err != nil {
		return nil, err
	}
	if err := st.SetReference(plumbing.NewSymbolicReference(plumbing.HEAD, branch)); err != nil {
		return nil, err
	}
	return built, nil
}

type encodable interface {
	Encode(plumbing.EncodedObject) error
}

func writeObject(st storer.EncodedObjectStorer, o encodable) (plumbing.Hash, error) {
	obj := st.NewEncodedObject()
	if err := o.Encode(obj); err != nil {
		return plumbing.ZeroHash, err
	}
	return st.SetEncodedObject(obj)
}

func writeBlob(st storer.EncodedObjectStorer, data []byte) (plumbing.Hash, error) {
	obj := st.NewEncodedObject()
	obj.SetType(plumbing.BlobObject)
	obj.SetSize(int64(len(data)))
	w, err := obj.Writer()
	if err != nil {
		return plumbing.ZeroHash, err
	}
	if _, err := w.Write(data); err != nil {
		return plumbing.ZeroHash, err
	}
	if err := w.Close(); err != nil {
		return plumbing.ZeroHash, err
	}
	return st.SetEncodedObject(obj)
}

// writeTree stores the tree objects for a set of files and returns the
// root's hash.
func writeTree(st storer.EncodedObjectStorer, blobs map[string]plumbing.Hash) (plumbing.Hash, error) {
	type dir struct {
		files map[string]plumbing.Hash
		dirs  map[string]*dir
	}
	newDir := func() *dir { return &dir{files: map[string]plumbing.Hash{}, dirs: map[string]*dir{}} }
	root := newDir()
	for p, h := range blobs {
		parts := strings.Split(p, "/")
		d := root
		for _, part := range parts[:len(parts)-1] {
			sub, ok := d.dirs[part]
			if !ok {
				sub = newDir()
				d.dirs[part] = sub
			}
			d = sub
		}
		d.files[parts[len(parts)-1]] = h
	}
	var write func(d *dir) (plumbing.Hash, error)
	write = func(d *dir) (plumbing.Hash, error) {
		var entries []object.TreeEntry
		for name, h := range d.files {
			entries = append(entries, object.TreeEntry{Name: name, Mode: filemode.Regular, Hash: h})
		}
		for name, sub := range d.dirs {
			h, err := write(sub)
			if err != nil {
				return plumbing.ZeroHash, err
			}
			entries = append(entries, object.TreeEntry{Name: name, Mode: filemode.Dir, Hash: h})
		}
		// git orders entries by name, comparing a directory as if its
		// name ended in '/'
		key := func(e object.TreeEntry) string {
			if e.Mode == filemode.Dir {
				return e.Name + "/"
			}
			return e.Name
		}
		sort.Slice(entries, func(i, j int) bool { return key(entries[i]) < key(entries[j]) })
		return writeObject(st, &object.Tree{Entries: entries})
	}
	return write(root)
}
