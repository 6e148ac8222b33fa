package cparse

import (
	"bytes"
	"slices"
)

// blankDisabledGroups returns src with every group of lines under "#if 0"
// blanked (newlines kept, so offsets and line numbers stay), or src itself
// when there is none. Such code is never compiled — the precise engine's
// preprocessor drops it — so the tolerant engine must not see it either: a
// commit that deletes an "#if 0" block inside a function changes none of
// the function's code, and a function defined under "#if 0" is no entity.
// An "#else" after "#if 0" is kept as the live branch (its directive and
// the matching "#endif" are blanked too), and an "#elif" becomes an "#if"
// of the same length. The text is s's; a new source is returned only when
// it changed, so that the directives s scanned serve the passes after.
func blankDisabledGroups(s *source) *source {
	src := s.src
	// The directives are read by every parse after this one (both
	// engines): most files' say at once that they have no "#if 0". Only a
	// text that spells it one of these ways has its groups blanked.
	ds := s.directives()
	if !slices.ContainsFunc(ds, isIfZero) ||
		!bytes.Contains(src, []byte("if 0")) && !bytes.Contains(src, []byte("if (0")) && !bytes.Contains(src, []byte("if\t0")) {
		return s
	}
	cloned := false
	conds := nestConditionals(ds)
	var out []byte
	blank := func(from, to int) {
		if out == nil {
			out = append([]byte(nil), src...)
		}
		blankKeepingNewlines(out[from:to])
	}
	for i := 0; i < len(ds); i++ {
		if !isIfZero(ds[i]) {
			continue
		}
		// The directive that ends the disabled group: the #else, #elif or
		// #endif of this #if.
		j := conds.next[i]
		if j < 0 {
			// Unterminated: the rest of the file is disabled.
			blank(ds[i].start, len(src))
			break
		}
		switch directiveName(ds[j]) {
		case "endif":
			blank(ds[i].start, ds[j].end)
			i = j
		case "else":
			blank(ds[i].start, ds[j].end)
			if k := conds.end(ds, j); k >= 0 {
				blank(ds[k].start, ds[k].end)
			}
			i = j
		default:
			// "#elif X" opens the conditional afresh: "#if   X".
			blank(ds[i].start, ds[j].start)
			if out == nil {
				out = append([]byte(nil), src...)
			}
			rewriteElif(out, ds[j])
			// Its group may itself be "#if 0"-like ("#elif 0"): look again.
			// conds stays right: its next directive is the same. The
			// directives are s's: rewrite a copy.
			if !cloned {
				ds, cloned = slices.Clone(ds), true
			}
			ds[j].toks = append([]token{{text: "if"}}, ds[j].toks[1:]...)
			i = j - 1
		}
	}
	if out == nil {
		return s
	}
	return &source{src: out, whole: s.whole}
}

// isIfZero reports whether d is "#if 0" or "#if (0)".
func isIfZero(d directive) bool {
	t := d.toks
	switch {
	case len(t) == 2:
		return t[0].text == "if" && t[1].text == "0"
	case len(t) == 4:
		return t[0].text == "if" && t[1].text == "(" && t[2].text == "0" && t[3].text == ")"
	}
	return false
}

// rewriteElif turns the "#elif" directive d of out into "#if" padded with
// blanks to the same length ("elifdef" into "ifdef", "elifndef" into
// "ifndef").
func rewriteElif(out []byte, d directive) {
	name := d.toks[0]
	if name.end-name.start < 4 || string(out[name.start:name.start+2]) != "el" {
		return
	}
	word := append([]byte(nil), out[name.start+2:name.end]...)
	blankKeepingNewlines(out[name.start:name.end])
	copy(out[name.start:], word)
}
