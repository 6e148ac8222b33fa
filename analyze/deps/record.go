// Package deps records what parsing one file looked up in the tree it was
// parsed in, and tells whether another tree answers every one of those
// lookups the same way: then parsing the same bytes there gives the same
// summary, since a parse is a function of the file and of what its
// lookups found.
//
// A lookup is a path the parse opened (a header read, a directory
// listed: what matters is its content, told by its blob or tree hash) or
// only tested (an include walk asking whether a file is there: what
// matters is whether a file or directory is there). A path looked for and
// not found is recorded too — an include path the preprocessor tried
// before the one that held the header — so a header that appears later
// where it would be found first changes the answer, as it changes the
// parse. The record is exact for whatever reads the tree through the
// Recorder; files the parse reads from elsewhere (the target's embedded
// headers) are constant for a build.
package deps

import (
	"io/fs"
	"maps"
	"sync"
)

// Kind is what a lookup depended on.
type Kind uint8

const (
	// Presence: whether a file or a directory is at the path (fs.Stat).
	Presence Kind = 1
	// Content: what is at the path (Open): its blob or tree hash.
	Content Kind = 2
)

// Recorder is a file system over a tree that notes every path looked up
// through it. It is safe for concurrent use when the tree is.
type Recorder struct {
	fsys fs.FS

	mu     sync.Mutex
	looked map[string]Kind
}

// NewRecorder records the lookups made in fsys.
func NewRecorder(fsys fs.FS) *Recorder {
	return &Recorder{fsys: fsys, looked: map[string]Kind{}}
}

var _ fs.StatFS = (*Recorder)(nil)

func (r *Recorder) note(name string, k Kind) {
	if !fs.ValidPath(name) {
		return // no tree holds it: every tree answers the same
	}
	r.mu.Lock()
	if r.looked[name] < k {
		r.looked[name] = k
	}
	r.mu.Unlock()
}

// Open opens name in the tree, recording that its content was read.
func (r *Recorder) Open(name string) (fs.File, error) {
	r.note(name, Content)
	return r.fsys.Open(name)
}

// Stat describes name, recording that only its presence was asked. It
// opens the file as fs.Stat does on a file system without Stat: a header
// tested is mostly read next, and reading it leaves its object decoded in
// the repository's cache, where a git tree's Stat, asking only its size,
// decoded it apart (on seL4, 2% of the run).
func (r *Recorder) Stat(name string) (fs.FileInfo, error) {
	r.note(name, Presence)
	f, err := r.fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return f.Stat()
}

// Looked is every path looked up so far and what it was looked up for.
func (r *Recorder) Looked() map[string]Kind {
	r.mu.Lock()
	defer r.mu.Unlock()
	return maps.Clone(r.looked)
}
