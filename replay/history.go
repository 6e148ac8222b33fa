package replay

import (
	"context"
	"fmt"
	"io/fs"
	"path"
	"strings"
	"testing/fstest"

	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/upsynth/upsynth/analyze/store"
	"github.com/upsynth/upsynth/kernel"
	"github.com/upsynth/upsynth/synth"
)

// This file is the only one of the replay that knows where a history comes
// from: the repository and its revisions through package kernel, the class
// of each commit from the analysis database.

// History is the range a replay walks.
type History struct {
	// Port is the port laid over every revision (nil for a kernel
	// written for the target).
	Port *kernel.Target
	// Base is revision A, the one booted first.
	Base Revision
	// Commits are the first-parent commits of A..B, oldest first.
	Commits []Commit
}

// Revision is one revision of the kernel.
type Revision struct {
	Hash string
	// tree reads the revision's files that matter to a kernel image.
	tree func() (fs.FS, error)
}

// Tree returns the revision's kernel tree (C sources and headers,
// workloads, upsynth.yaml).
func (r Revision) Tree() (fs.FS, error) { return r.tree() }

// Commit is one commit of the range, with its class from the analysis.
type Commit struct {
	Revision
	Subject string
	Class   string // none, code, state, interface or unsupported
	Reason  string
	Hazards []string
	Merge   bool
	Changes []synth.Change
}

// Short is the commit's abbreviated hash.
func (c Commit) Short() string { return short(c.Hash) }

func short(h string) string {
	if len(h) > 12 {
		return h[:12]
	}
	return h
}

// Open resolves the range "A..B" in the repository at repoPath and reads the
// class of each of its commits from the analysis database at db. port, when
// not nil, is laid over every revision (kernel.Target).
func Open(ctx context.Context, repoPath, db, rangeSpec string, port *kernel.Target) (*History, error) {
	a, b, err := kernel.SplitRange(rangeSpec)
	if err != nil {
		return nil, err
	}
	if a == "" {
		return nil, fmt.Errorf("range %q: want A..B", rangeSpec)
	}
	r, err := kernel.Open(repoPath)
	if err != nil {
		return nil, err
	}
	commitOf := func(s string) (*object.Commit, error) {
		h, err := r.Resolve(s)
		if err != nil {
			return nil, err
		}
		return r.Commit(h)
	}
	oldC, err := commitOf(a)
	if err != nil {
		return nil, err
	}
	newC, err := commitOf(b)
	if err != nil {
		return nil, err
	}
	var walk []*object.Commit
	for c := newC; c.Hash != oldC.Hash; {
		walk = append(walk, c)
		if c.NumParents() == 0 {
			return nil, fmt.Errorf("%s is not a first-parent ancestor of %s", a, b)
		}
		if c, err = c.Parent(0); err != nil {
			return nil, err
		}
	}
	st, err := store.OpenReader(ctx, db)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	h := &History{Port: port, Base: revisionOf(oldC, port)}
	for i := len(walk) - 1; i >= 0; i-- {
		c := walk[i]
		found, err := st.FindCommits(ctx, c.Hash.String())
		if err != nil {
			return nil, err
		}
		if len(found) == 0 {
			return nil, fmt.Errorf("commit %s is not in %s: run 'upsynth analyze' on the repository first", short(c.Hash.String()), db)
		}
		sc := found[0]
		rc := Commit{Revision: revisionOf(c, port), Subject: firstLine(c.Message), Class: sc.Class, Reason: sc.Reason,
			Hazards: sc.Hazards, Merge: sc.Merge, Changes: synth.ChangesOf(sc.Changes)}
		h.Commits = append(h.Commits, rc)
	}
	return h, nil
}

func revisionOf(c *object.Commit, port *kernel.Target) Revision {
	return Revision{Hash: c.Hash.String(), tree: func() (fs.FS, error) {
		t, err := c.Tree()
		if err != nil {
			return nil, err
		}
		files, err := mapTree(t)
		if err != nil || port == nil {
			return files, err
		}
		return port.Over(files), nil
	}}
}

// TargetName names the target the history runs on: the port's name, or
// Target for a kernel written for the emulated target.
func (h *History) TargetName() string {
	if h.Port != nil {
		return h.Port.Name
	}
	return Target
}

// mapTree reads the files of a git tree that can matter to a kernel image.
func mapTree(t *object.Tree) (fstest.MapFS, error) {
	out := fstest.MapFS{}
	err := t.Files().ForEach(func(f *object.File) error {
		switch path.Ext(f.Name) {
		case ".c", ".h", ".S", ".s", ".inc", ".wl":
		default:
			if f.Name != "upsynth.yaml" {
				return nil
			}
		}
		if f.Size > 8<<20 {
			return nil
		}
		s, err := f.Contents()
		if err != nil {
			return fmt.Errorf("%s: %w", f.Name, err)
		}
		out[f.Name] = &fstest.MapFile{Data: []byte(s), Mode: 0o644}
		return nil
	})
	return out, err
}

// kernelOf is the kernel in a revision's tree: its upsynth.yaml read
// strictly, the module list and the build settings, as every command reads
// them (package kernel).
func kernelOf(tree fs.FS, label string) (*kernel.Tree, error) {
	return kernel.NewTree(tree, label)
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
	return l
}
