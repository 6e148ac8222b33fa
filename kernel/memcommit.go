// This file makes commits in memory: the commit that applying a set of file
// edits to a revision would make (a patch that is not committed yet), with
// its blobs and trees, held by the Repo and read like any other object —
// never written to the repository on disk or its work tree. Unchanged
// subtrees are shared with the parent, so a commit made in memory from
// the same files as a real commit has the same blob and tree hashes: the
// analysis memoizes and diffs it exactly as it does the real one.

package kernel

import (
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// Edit is one file an in-memory commit changes: its new content and mode,
// or its deletion. A rename is the deletion of one path and the edit of
// another.
type Edit struct {
	Path   string
	Data   []byte
	Mode   filemode.FileMode // 0: a regular file
	Delete bool
}

// CommitInfo is who made an in-memory commit and why. The committer is the
// author: a patch does not say who will commit it.
type CommitInfo struct {
	Author  object.Signature
	Message string
}

// EditError is an edit that cannot be made to the parent's tree.
type EditError struct {
	Path string
	Err  error
}

func (e *EditError) Error() string { return e.Path + ": " + e.Err.Error() }
func (e *EditError) Unwrap() error { return e.Err }

// CommitInMemory makes the commit whose parent is parent and whose tree is
// parent's tree with edits applied, and returns its hash. Its objects live in
// r's memory until r is closed: Commit, Tree, Blob, AtCommit and DiffTrees
// read them, the repository on disk is never written. Editing a path whose
// directory is a file, or deleting a file that does not exist, is an
// *EditError.
func (r *Repo) CommitInMemory(parent plumbing.Hash, edits []Edit, info CommitInfo) (plumbing.Hash, error) {
	pc, err := r.Commit(parent)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	root := &memDir{base: pc.TreeHash}
	for _, e := range edits {
		if !fs.ValidPath(e.Path) || e.Path == "." {
			return plumbing.ZeroHash, &EditError{Path: e.Path, Err: errors.New("not a valid path in a tree")}
		}
		var entry *object.TreeEntry
		if !e.Delete {
			mode := e.Mode
			if mode == 0 {
				mode = filemode.Regular
			}
			h, err := r.storeMem(plumbing.BlobObject, e.Data)
			if err != nil {
				return plumbing.ZeroHash, err
			}
			entry = &object.TreeEntry{Mode: mode, Hash: h}
		}
		if err := r.setPath(root, strings.Split(e.Path, "/"), entry); err != nil {
			return plumbing.ZeroHash, &EditError{Path: e.Path, Err: err}
		}
	}
	tree, err := r.writeDir(root)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	if tree.IsZero() {
		tree, err = r.storeMem(plumbing.TreeObject, nil)
		if err != nil {
			return plumbing.ZeroHash, err
		}
	}
	c := &object.Commit{Author: info.Author, Committer: info.Author, Message: info.Message,
		TreeHash: tree, ParentHashes: []plumbing.Hash{parent}}
	obj := &plumbing.MemoryObject{}
	if err := c.Encode(obj); err != nil {
		return plumbing.ZeroHash, err
	}
	return r.keepMem(obj), nil
}

// memDir is a directory being edited: its base tree (zero when new) and
// the entries that replace the base's (nil: removed).
type memDir struct {
	base    plumbing.Hash
	entries map[string]*object.TreeEntry
	subdirs map[string]*memDir
}

// setPath sets the entry at parts under d (nil removes it).
func (r *Repo) setPath(d *memDir, parts []string, entry *object.TreeEntry) error {
	name := parts[0]
	cur, err := r.dirEntry(d, name)
	if err != nil {
		return err
	}
	if len(parts) == 1 {
		if cur != nil && cur.Mode == filemode.Dir {
			return errors.New("is a directory")
		}
		if entry == nil && cur == nil {
			return fs.ErrNotExist
		}
		if d.entries == nil {
			d.entries = map[string]*object.TreeEntry{}
		}
		if entry != nil {
			entry.Name = name
		}
		d.entries[name] = entry
		delete(d.subdirs, name)
		return nil
	}
	sub := d.subdirs[name]
	if sub == nil {
		switch {
		case cur == nil && entry == nil:
			return fs.ErrNotExist
		case cur == nil:
			sub = &memDir{}
		case cur.Mode != filemode.Dir:
			return fmt.Errorf("%s is a file, not a directory", name)
		default:
			sub = &memDir{base: cur.Hash}
		}
		if d.subdirs == nil {
			d.subdirs = map[string]*memDir{}
		}
		d.subdirs[name] = sub
		if d.entries == nil {
			d.entries = map[string]*object.TreeEntry{}
		}
		d.entries[name] = &object.TreeEntry{Name: name, Mode: filemode.Dir}
	}
	return r.setPath(sub, parts[1:], entry)
}

// dirEntry is d's current entry for name (nil: none).
func (r *Repo) dirEntry(d *memDir, name string) (*object.TreeEntry, error) {
	if e, ok := d.entries[name]; ok {
		return e, nil
	}
	if d.base.IsZero() {
		return nil, nil
	}
	t, err := r.Tree(d.base)
	if err != nil {
		return nil, err
	}
	if e, ok := child(t, name); ok {
		return &e, nil
	}
	return nil, nil
}

// writeDir stores d's tree and returns its hash (zero when it is empty:
// git keeps no empty directory).
func (r *Repo) writeDir(d *memDir) (plumbing.Hash, error) {
	var entries []object.TreeEntry
	if !d.base.IsZero() {
		t, err := r.Tree(d.base)
		if err != nil {
			return plumbing.ZeroHash, err
		}
		for _, e := range t.Entries {
			if _, replaced := d.entries[e.Name]; !replaced {
				entries = append(entries, e)
			}
		}
	}
	for name, e := range d.entries {
		if e == nil {
			continue
		}
		if sub := d.subdirs[name]; sub != nil {
			h, err := r.writeDir(sub)
			if err != nil {
				return plumbing.ZeroHash, err
			}
			if h.IsZero() {
				continue
			}
			entries = append(entries, object.TreeEntry{Name: name, Mode: filemode.Dir, Hash: h})
			continue
		}
		entries = append(entries, *e)
	}
	if len(entries) == 0 {
		return plumbing.ZeroHash, nil
	}
	// git's order: a directory sorts as if its name ended in "/".
	key := func(e object.TreeEntry) string {
		if e.Mode == filemode.Dir {
			return e.Name + "/"
		}
		return e.Name
	}
	sort.Slice(entries, func(i, j int) bool { return key(entries[i]) < key(entries[j]) })
	obj := &plumbing.MemoryObject{}
	if err := (&object.Tree{Entries: entries}).Encode(obj); err != nil {
		return plumbing.ZeroHash, err
	}
	return r.keepMem(obj), nil
}

// storeMem keeps an object of type t with content b in memory.
func (r *Repo) storeMem(t plumbing.ObjectType, b []byte) (plumbing.Hash, error) {
	obj := &plumbing.MemoryObject{}
	obj.SetType(t)
	if _, err := obj.Write(b); err != nil {
		return plumbing.ZeroHash, err
	}
	return r.keepMem(obj), nil
}

func (r *Repo) keepMem(obj *plumbing.MemoryObject) plumbing.Hash {
	h := obj.Hash()
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.mem == nil {
		r.mem = map[plumbing.Hash]plumbing.EncodedObject{}
	}
	r.mem[h] = obj
	return h
}

// memObject is an object made in memory, or nil. Called with r.mu held.
func (r *Repo) memObject(h plumbing.Hash, t plumbing.ObjectType) plumbing.EncodedObject {
	if o, ok := r.mem[h]; ok && o.Type() == t {
		return o
	}
	return nil
}

// encodedObject reads an object from memory or storage. Called with r.mu
// held.
func (r *Repo) encodedObject(t plumbing.ObjectType, h plumbing.Hash) (plumbing.EncodedObject, error) {
	if o := r.memObject(h, t); o != nil {
		return o, nil
	}
	return r.storage.EncodedObject(t, h)
}
