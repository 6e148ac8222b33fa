package cparse

import (
	"slices"
	"sort"
)

// Globals declared through macros.
//
// Kernels whose state is per CPU on some builds declare their globals
// through macros that take the type and the declarator, so that one list
// makes either plain globals or the members of a per-CPU struct (seL4's
// include/model/statedata.h and src/model/statedata.c):
//
//	#define NODE_STATE_DECLARE(_type, _state) extern _type _state VISIBLE
//	#define UP_STATE_DEFINE(_type, _state)    _type _state
//	NODE_STATE_DECLARE(tcb_t, *ksCurThread);
//	UP_STATE_DEFINE(tcb_t *, ksCurThread);
//
// The precise engine sees the globals after expansion. The text pass sees a
// call at file scope, which tree-sitter drops, and with it the kernel's
// scheduler state. The heuristic below recognizes the idiom instead:
//
//   - at file scope, at the start of a declaration (first in the file, after
//     ';' or '}', or first on its line), an invocation NAME(Type, Declarator);
//     with exactly two arguments, followed by ';';
//   - NAME has a visible definition (in the file or the headers it includes,
//     as for type-declaring macros) with two parameters whose replacement
//     list is the first parameter then the second, after "extern" or
//     "static" and before attribute-like names ("VISIBLE"); one definition
//     so shaped is enough, since the others are those of other builds;
//   - the global is extern when such a definition says so.
//
// The macro name, its parentheses and the comma are blanked before parsing,
// which leaves "tcb_t *  ksCurThread ;" for tree-sitter.

// declaratorMacro is a two-parameter macro whose expansion declares its
// first argument's type for its second argument's declarator.
type declaratorMacro struct {
	extern bool
	file   string // the header that defines it, "" for the file itself
}

// declaratorMacroOf reads "#define NAME(T, D) [extern|static] T D [ATTR...]".
func declaratorMacroOf(d directive) (declaratorMacro, bool) {
	t := d.toks
	if len(t) < 9 || !isIdentByte(t[1].text[0]) || t[2].text != "(" || t[2].start != t[1].end ||
		!isIdentByte(t[3].text[0]) || t[4].text != "," || !isIdentByte(t[5].text[0]) || t[6].text != ")" {
		return declaratorMacro{}, false
	}
	typeParam, declaratorParam := t[3].text, t[5].text
	body := t[7:]
	var m declaratorMacro
	for len(body) > 0 && (body[0].text == "extern" || body[0].text == "static") {
		m.extern = m.extern || body[0].text == "extern"
		body = body[1:]
	}
	if len(body) < 2 || body[0].text != typeParam || body[1].text != declaratorParam {
		return declaratorMacro{}, false
	}
	if len(body) > 2 && !isIdentByte(body[2].text[0]) {
		return declaratorMacro{}, false // "T D = 0", "T D[N]": another idiom
	}
	return m, true
}

// macroDeclarator is one global declared through a macro invocation.
type macroDeclarator struct {
	start, end int   // the macro name, and just past the final ';'
	blank      []int // the offsets of '(', ',' and ')'
	nameEnd    int   // just past the macro name
	extern     bool
	definedIn  string // the header whose definition was used, "" for none
}

// macroDeclaratorsIn finds the invocations among toks, the declaration
// tokens of src.
func macroDeclaratorsIn(toks []token, src []byte, defs macroDefs) []macroDeclarator {
	var out []macroDeclarator
	forEachFileScopeToken(toks, func(i int) int {
		if i+5 >= len(toks) || !isIdentByte(toks[i].text[0]) || toks[i+1].text != "(" {
			return i
		}
		if i > 0 && toks[i-1].text != ";" && toks[i-1].text != "}" && !firstOnLine(src, toks[i].start) {
			return i
		}
		comma, closing, ok := twoArguments(toks, i+1)
		if !ok || closing+1 >= len(toks) || toks[closing+1].text != ";" {
			return i
		}
		m, visible := defs.declarator(toks[i].text)
		if !visible {
			return i
		}
		out = append(out, macroDeclarator{
			start: toks[i].start, end: toks[closing+1].end, nameEnd: toks[i].end,
			blank:  []int{toks[i+1].start, toks[comma].start, toks[closing].start},
			extern: m.extern, definedIn: m.file,
		})
		return closing + 1
	})
	return out
}

// twoArguments checks that the argument list opening at toks[open] holds
// two non-empty arguments and returns the indexes of the comma between
// them and of the closing ')'.
func twoArguments(toks []token, open int) (comma, closing int, ok bool) {
	depth := 0
	comma = -1
	for i := open + 1; i < len(toks); i++ {
		switch toks[i].text {
		case "(", "[":
			depth++
		case ")", "]":
			if depth == 0 {
				return comma, i, comma > open+1 && i > comma+1
			}
			depth--
		case ",":
			if depth == 0 {
				if comma >= 0 {
					return 0, 0, false
				}
				comma = i
			}
		case ";", "{", "}":
			return 0, 0, false
		}
	}
	return 0, 0, false
}

// blankMacroDeclarators returns text with each invocation's macro name,
// parentheses and comma blanked; text is copied, into copies' buffers, when
// it is src itself.
func blankMacroDeclarators(text, src []byte, decls []macroDeclarator, copies *textCopies) []byte {
	if len(decls) == 0 {
		return text
	}
	if &text[0] == &src[0] {
		text = copies.copyOf(text)
	}
	for _, d := range decls {
		blankKeepingNewlines(text[d.start:d.nameEnd])
		for _, at := range d.blank {
			text[at] = ' '
		}
	}
	return text
}

// macroDeclaratorParts are the ranges blankMacroDeclarators blanks, in
// order.
func macroDeclaratorParts(decls []macroDeclarator) []excludedRange {
	var out []excludedRange
	for _, d := range decls {
		out = append(out, excludedRange{start: d.start, end: d.nameEnd})
		for _, at := range d.blank {
			out = append(out, excludedRange{start: at, end: at + 1})
		}
	}
	return out
}

// withMacroDeclaratorParts returns excl with the parts of the invocations
// that fall in [from, to) added, in order.
func (w *tsWalker) withMacroDeclaratorParts(excl []excludedRange, from, to int) []excludedRange {
	parts := w.macroDeclaratorParts
	i := sort.Search(len(parts), func(i int) bool { return parts[i].start >= from })
	if i == len(parts) || parts[i].start >= to {
		return excl
	}
	out := slices.Clone(excl)
	for ; i < len(parts) && parts[i].start < to; i++ {
		out = append(out, parts[i])
	}
	sort.Slice(out, func(a, b int) bool { return out[a].start < out[b].start })
	return out
}

// macroDeclared marks the globals the invocations declared as the macros
// say (extern), and records the headers whose definitions were used.
func (w *tsWalker) macroDeclared(decls []macroDeclarator) {
	for _, d := range decls {
		if d.definedIn != "" {
			w.usedHeaders = append(w.usedHeaders, d.definedIn)
		}
		if !d.extern {
			continue
		}
		for i := range w.sum.Globals {
			g := &w.sum.Globals[i]
			if g.Span.StartByte >= d.start && g.Span.StartByte < d.end {
				g.Extern = true
			}
		}
	}
}
