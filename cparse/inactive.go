package cparse

// This file implements the precise engine's test of whether text lies in
// a preprocessor branch that cc/v4 left out.

import "sort"

// branch is the text of one branch of a conditional: from the end of the
// #if, #elif or #else that opens it to the start of the directive that
// ends it.
type branch struct {
	start, end int
	startLine  int
	endLine    int
}

// inactiveBranches finds the branches of s's conditionals in which cc/v4
// declared nothing (lines lists the lines of what it declared in the file,
// sorted): branches it left out, or that declare nothing it could see. The
// include guard is no branch: what it encloses is the file.
type inactiveBranches struct {
	branches []branch // in order of start; nested branches follow their parent
	active   []bool
}

func findInactiveBranches(s *source, declaredLines []int) inactiveBranches {
	ds := s.directives()
	conds := nestConditionals(ds)
	guard := includeGuard(ds)
	lines := s.lineIndex()
	var ib inactiveBranches
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
		b := branch{start: d.end, end: ds[j].start}
		if b.end <= b.start {
			continue
		}
		b.startLine, b.endLine = lines.line(b.start), lines.line(b.end)
		k := sort.SearchInts(declaredLines, b.startLine)
		ib.branches = append(ib.branches, b)
		ib.active = append(ib.active, k < len(declaredLines) && declaredLines[k] <= b.endLine)
	}
	return ib
}

// inactive reports whether the text at offset lies in a branch cc/v4
// declared nothing in, judged by the innermost branch around it.
func (ib inactiveBranches) inactive(offset int) bool {
	innermost := -1
	for i, b := range ib.branches {
		if b.start > offset {
			break
		}
		if offset < b.end {
			innermost = i
		}
	}
	return innermost >= 0 && !ib.active[innermost]
}
