// This file holds Tree, the kernel at one revision: its files and settings
// and what follows from them (include paths, the target's ABI).

package kernel

import (
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/upsynth/upsynth/runtime/emu/abi"
	"github.com/upsynth/upsynth/runtime/plan"
)

// Tree is a kernel at one revision.
type Tree struct {
	// FS holds its files: a git tree (Repo.At), a directory (FromDir) or
	// any file system (NewTree).
	FS fs.FS
	// Config is its upsynth.yaml, defaults applied (Default without one).
	Config *Config
	// Rev is the commit's full SHA ("" for a directory).
	Rev string
	// Label names the tree in messages: "repo@sha12" or the directory.
	Label string
	// Target is the port laid over the kernel's files (On), or nil.
	Target *Target
}

// NewTree reads the settings of the tree in fsys from its upsynth.yaml.
func NewTree(fsys fs.FS, label string) (*Tree, error) {
	t := &Tree{FS: fsys, Label: label}
	b, err := fs.ReadFile(fsys, FileName)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		t.Config = Default()
	case err != nil:
		return nil, fmt.Errorf("%s: %w", label, err)
	default:
		name := FileName
		if label != "" {
			name = FileName + " at " + label
		}
		if t.Config, err = Parse(name, b); err != nil {
			return nil, err
		}
	}
	return t, nil
}

// FromDir is the kernel checked out in dir.
func FromDir(dir string) (*Tree, error) {
	if fi, err := os.Stat(dir); err != nil {
		return nil, err
	} else if !fi.IsDir() {
		return nil, fmt.Errorf("%s is not a directory", dir)
	}
	return NewTree(os.DirFS(dir), dir)
}

// At is the kernel at a revision of the repository (Resolve's rules).
func (r *Repo) At(rev string) (*Tree, error) {
	h, err := r.Resolve(rev)
	if err != nil {
		return nil, err
	}
	return r.AtCommit(h)
}

// AtCommit is the kernel at a commit.
func (r *Repo) AtCommit(h plumbing.Hash) (*Tree, error) {
	c, err := r.Commit(h)
	if err != nil {
		return nil, err
	}
	t, err := NewTree(NewTreeFS(r, c.TreeHash), r.Label()+"@"+h.String()[:12])
	if err != nil {
		return nil, err
	}
	t.Rev = h.String()
	return t, nil
}

// IncludePaths are the tree's include paths (upsynth.yaml include).
func (t *Tree) IncludePaths() []string { return t.Config.Include }

// Defines are the tree's macro definitions (upsynth.yaml defines).
func (t *Tree) Defines() []string { return t.Config.Defines }

// Predefined is the target's predefined macro set, the one every C
// translation of a kernel starts from (runtime/emu/abi).
func Predefined() string { return abi.Predefined }

// WithABI is the tree with the target's headers laid over it under
// abi.Root, as the emulated target's C front end sees it.
func (t *Tree) WithABI() fs.FS { return WithABI(t.FS) }

// WithABI lays the target's headers over any tree's files.
func WithABI(fsys fs.FS) fs.FS { return abi.Overlay(fsys) }

// SearchPaths are the include paths the C front end searches in WithABI:
// the tree's, then the target's headers.
func (t *Tree) SearchPaths() []string { return SearchPaths(t.Config) }

// SearchPaths are the include paths of settings c followed by the target's
// headers.
func SearchPaths(c *Config) []string {
	return append(append([]string(nil), c.Include...), abi.IncludePaths...)
}

// TreeOf is the kernel in fsys with the settings c (defaults applied), not
// those of an upsynth.yaml in fsys: for callers that hold the settings
// already, and for tests.
func TreeOf(fsys fs.FS, label string, c Config) *Tree {
	c.applyDefaults()
	return &Tree{FS: fsys, Config: &c, Label: label}
}

// Build is how the tree's kernel is built on the emulated target, as a
// package records it (plan.json's build).
func (t *Tree) Build() plan.Build {
	b := plan.Build{IncludePaths: t.Config.Include, Defines: t.Config.Defines}
	for _, a := range t.Config.Allocators {
		b.Allocators = append(b.Allocators, plan.Allocator{Alloc: a.Alloc, Free: a.Free})
	}
	if t.Target != nil {
		b.Target = t.Target.Name
	}
	return b
}
