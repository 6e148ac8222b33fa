// This file lists the commits of a revision range, parents first.

package kernel

import (
	"fmt"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// Range is the outcome of listing a revision range.
type Range struct {
	// Commits are parents before children; among commits ready at the same
	// time, older committer time first.
	Commits []*object.Commit
	// Unreadable are commits referenced by the range that could not be
	// read (missing or corrupt objects, shallow-clone boundaries), with why.
	Unreadable map[plumbing.Hash]error
	// Tip is the newest commit of the range.
	Tip plumbing.Hash
}

// Commits lists the commits of spec: "" (HEAD), "REV" (everything reachable
// from REV) or "A..B" (reachable from B but not from A; SplitRange), each
// revision resolved by Resolve. firstParent
// follows only first parents from the tip, as git log --first-parent.
func (r *Repo) Commits(spec string, firstParent bool) (*Range, error) {
	from, to, err := SplitRange(spec)
	if err != nil {
		return nil, err
	}
	tip, err := r.Resolve(to)
	if err != nil {
		return nil, err
	}
	rng := &Range{Unreadable: map[plumbing.Hash]error{}, Tip: tip}
	exclude := map[plumbing.Hash]bool{}
	if from != "" {
		base, err := r.Resolve(from)
		if err != nil {
			return nil, err
		}
		r.reach(base, firstParent, exclude, nil, rng.Unreadable)
	}
	seen := map[plumbing.Hash]*object.Commit{}
	var order []*object.Commit
	r.reach(tip, firstParent, exclude, func(c *object.Commit) {
		seen[c.Hash] = c
		order = append(order, c)
	}, rng.Unreadable)
	if firstParent {
		for i, j := 0, len(order)-1; i < j; i, j = i+1, j-1 {
			order[i], order[j] = order[j], order[i]
		}
		rng.Commits = order
		return rng, nil
	}
	rng.Commits = topoSort(order, seen)
	return rng, nil
}

// reach visits every commit reachable from tip not already in mark, marking
// them; commits it cannot read are recorded in bad.
func (r *Repo) reach(tip plumbing.Hash, firstParent bool, mark map[plumbing.Hash]bool, visit func(*object.Commit), bad map[plumbing.Hash]error) {
	shallow, _ := r.Shallow()
	stack := []plumbing.Hash{tip}
	for len(stack) > 0 {
		h := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if mark[h] {
			continue
		}
		mark[h] = true
		c, err := r.Commit(h)
		if err != nil {
			bad[h] = err
			continue
		}
		if visit != nil {
			visit(c)
		}
		if shallow[h] {
			for _, p := range c.ParentHashes {
				bad[p] = fmt.Errorf("parent %s of %s is beyond a shallow clone's boundary", p, h)
			}
			continue
		}
		parents := c.ParentHashes
		if firstParent && len(parents) > 1 {
			parents = parents[:1]
		}
		for i := len(parents) - 1; i >= 0; i-- {
			stack = append(stack, parents[i])
		}
	}
}

// topoSort orders commits parents-first (Kahn's algorithm over the edges
// inside the set), oldest committer time first among ready commits, so the
// walk moves the tree index as little as possible.
func topoSort(commits []*object.Commit, in map[plumbing.Hash]*object.Commit) []*object.Commit {
	pending := make(map[plumbing.Hash]int, len(commits))
	children := make(map[plumbing.Hash][]*object.Commit, len(commits))
	for _, c := range commits {
		n := 0
		for _, p := range c.ParentHashes {
			if _, ok := in[p]; ok {
				n++
				children[p] = append(children[p], c)
			}
		}
		pending[c.Hash] = n
	}
	var ready []*object.Commit
	for _, c := range commits {
		if pending[c.Hash] == 0 {
			ready = append(ready, c)
		}
	}
	older := func(a, b *object.Commit) bool {
		if !a.Committer.When.Equal(b.Committer.When) {
			return a.Committer.When.Before(b.Committer.When)
		}
		return a.Hash.String() < b.Hash.String()
	}
	out := make([]*object.Commit, 0, len(commits))
	h := &commitHeap{less: older}
	for _, c := range ready {
		h.push(c)
	}
	for h.len() > 0 {
		c := h.pop()
		out = append(out, c)
		for _, ch := range children[c.Hash] {
			pending[ch.Hash]--
			if pending[ch.Hash] == 0 {
				h.push(ch)
			}
		}
	}
	return out
}

// commitHeap is a binary min-heap of commits by less.
type commitHeap struct {
	items []*object.Commit
	less  func(a, b *object.Commit) bool
}

func (h *commitHeap) len() int { return len(h.items) }

func (h *commitHeap) push(c *object.Commit) {
	h.items = append(h.items, c)
	i := len(h.items) - 1
	for i > 0 {
		p := (i - 1) / 2
		if !h.less(h.items[i], h.items[p]) {
			break
		}
		h.items[i], h.items[p] = h.items[p], h.items[i]
		i = p
	}
}

func (h *commitHeap) pop() *object.Commit {
	top := h.items[0]
	last := len(h.items) - 1
	h.items[0] = h.items[last]
	h.items = h.items[:last]
	i := 0
	for {
		l, r, m := 2*i+1, 2*i+2, i
		if l < len(h.items) && h.less(h.items[l], h.items[m]) {
			m = l
		}
		if r < len(h.items) && h.less(h.items[r], h.items[m]) {
			m = r
		}
		if m == i {
			return top
		}
		h.items[i], h.items[m] = h.items[m], h.items[i]
		i = m
	}
}
