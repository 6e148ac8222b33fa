package deps

import (
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/upsynth/upsynth/kernel"
)

// node is one path component of a state's paths: the directory hash
// recorded for it, the line recorded for it as a path looked up, and the
// components below it.
type node struct {
	name     string
	dir      plumbing.Hash // zero: not a directory on the way
	leaf     *line
	children []*node
}

// build arranges the lines by path component, once, the symlinked paths
// apart: the directories that hold a symlink say nothing about where it
// leads.
func (s *State) build() (*node, []line) {
	s.once.Do(func() { s.trie, s.links = s.arrange() })
	return s.trie, s.links
}

func (s *State) arrange() (*node, []line) {
	root := &node{name: "."}
	index := map[string]*node{".": root}
	var at func(p string) *node
	at = func(p string) *node {
		if n, ok := index[p]; ok {
			return n
		}
		i := strings.LastIndexByte(p, '/')
		parent, name := root, p
		if i >= 0 {
			parent, name = at(p[:i]), p[i+1:]
		}
		n := &node{name: name}
		parent.children = append(parent.children, n)
		index[p] = n
		return n
	}
	for i := range s.lines {
		l := &s.lines[i]
		switch l.tag {
		case tagSymlink:
		case tagDir:
			at(l.path).dir = l.hash
		default:
			at(l.path).leaf = l
		}
	}
	var links []line
	for _, l := range s.lines {
		if l.tag == tagSymlink {
			links = append(links, l)
		}
	}
	return root, links
}

// Holds reports whether the tree root of objs answers every lookup of the
// state as the tree it was captured in did: then a parse there gives the
// same result. A tree that cannot be read does not hold it. The walk
// descends only into directories whose hash differs from the one
// recorded, so a tree that changed no directory on the way costs a few
// lookups.
func (s *State) Holds(objs kernel.Objects, root plumbing.Hash) bool {
	if s.Len() == 0 {
		return true
	}
	trie, links := s.build()
	if !(&holder{objs: objs}).check(trie, object.TreeEntry{Name: ".", Mode: filemode.Dir, Hash: root}, true) {
		return false
	}
	for _, l := range links {
		if resolved(objs, root, l.path) != l.hash {
			return false
		}
	}
	return true
}

type holder struct{ objs kernel.Objects }

// check compares n (and what is below it) with e, what the tree holds at
// n's path (found false: nothing).
func (h *holder) check(n *node, e object.TreeEntry, found bool) bool {
	isDir := found && e.Mode == filemode.Dir
	if isDir && !n.dir.IsZero() && e.Hash == n.dir {
		return true // nothing below changed
	}
	if l := n.leaf; l != nil {
		switch l.tag {
		case tagAbsent:
			if found {
				return false
			}
		case tagContent:
			if !found || e.Mode == filemode.Symlink || e.Hash != l.hash {
				return false
			}
		case tagPresence:
			if !found || e.Mode != l.mode {
				return false
			}
		}
	}
	if len(n.children) == 0 {
		return true
	}
	if found && e.Mode == filemode.Symlink {
		// A symlink where the capture walked a directory or found
		// nothing: where it leads is not recorded.
		return false
	}
	var t *object.Tree
	if isDir {
		var err error
		if t, err = h.objs.Tree(e.Hash); err != nil {
			return false
		}
	}
	var byName map[string]object.TreeEntry
	if t != nil && len(n.children) > 4 && len(t.Entries) > 32 {
		byName = make(map[string]object.TreeEntry, len(t.Entries))
		for _, ce := range t.Entries {
			byName[ce.Name] = ce
		}
	}
	for _, c := range n.children {
		var ce object.TreeEntry
		var ok bool
		if byName != nil {
			ce, ok = byName[c.name]
		} else {
			ce, ok = child(t, c.name)
		}
		if !h.check(c, ce, ok) {
			return false
		}
	}
	return true
}
