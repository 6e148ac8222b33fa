package cparse

// This file implements the precise engine's test of whether text lies in
// a preprocessor branch that cc/v4 left out.

import "sort"

// branch is the text of one branch of a conditional: from the end of the
// #if, #elif or #else that opens it to the start of the directive that
// ends it.
type branch struct {
	start, end int
	// parent is the index of the innermost branch around this one, -1
	// for none.
	parent int
	// active: cc/v4 declared something on one of its lines.
	active bool
}

// inactiveBranches are the branches of a file's conditionals, in order
// of start, each marked with whether cc/v4 declared anything in it. The
// include guard is no branch: what it encloses is the file.
type inactiveBranches struct {
	branches []branch
}

// findInactiveBranches reads s's conditionals; declaredLines lists the
// lines of what cc/v4 declared in the file, sorted.
func findInactiveBranches(s *source, declaredLines []int) inactiveBranches {
	ds := s.directives()
	conds := nestConditionals(ds)
	guard := includeGuard(ds)
	lines := s.lineIndex()
	var ib inactiveBranches
	var open []int // branches around the current one, innermost last
	for i, d := range ds {
		j := conds.next[i]
		if j < 0 || i == guard {
			continue
		}
		switch directiveName(d) {
		case "if", "ifdef", "ifndef", "elif", "elifdef", "elifndef", "else":
		default:
			continue
		}
		b := branch{start: d.end, end: ds[j].start, parent: -1}
		if b.end <= b.start {
			continue
		}
		for len(open) > 0 && ib.branches[open[len(open)-1]].end <= b.start {
			open = open[:len(open)-1]
		}
		if len(open) > 0 {
			b.parent = open[len(open)-1]
		}
		startLine, endLine := lines.line(b.start), lines.line(b.end)
		k := sort.SearchInts(declaredLines, startLine)
		b.active = k < len(declaredLines) && declaredLines[k] <= endLine
		open = append(open, len(ib.branches))
		ib.branches = append(ib.branches, b)
	}
	return ib
}

// inactive reports whether the text at offset lies in a branch cc/v4
// declared nothing in, judged by the innermost branch around it. That
// branch is the last one starting at or before offset, or one of its
// ancestors: a branch around offset that starts earlier encloses it.
func (ib inactiveBranches) inactive(offset int) bool {
	i := sort.Search(len(ib.branches), func(i int) bool { return ib.branches[i].start > offset }) - 1
	for i >= 0 && offset >= ib.branches[i].end {
		i = ib.branches[i].parent
	}
	return i >= 0 && !ib.branches[i].active
}
