package cparse

import (
	"strings"
)

// Functions a macro invocation's expansion defines.
//
// C++ kernels generate families of accessors with macros invoked in a class
// body (NOVA's cr.hpp and sysreg.hpp):
//
//	#define DEFINE_CR(X) ALWAYS_INLINE static auto get_cr##X() { ... } \
//	                     ALWAYS_INLINE static void set_cr##X (uintptr_t val) { ... }
//	class Cr final { public: DEFINE_CR (0); DEFINE_CR (2); ... };
//
// The precise engine does not read C++. The text pass used to skip the
// invocations, and with them get_cr0, set_cr0, …: a change to the macro, or
// an accessor added, went unseen. The invocation is expanded instead:
//
//   - an upper-case macro name first on its line in a class body, or at
//     the start of a line at namespace scope, with its argument list
//     (findMacroFuncs finds it, where it finds COFIBER_ROUTINE's form);
//   - a visible definition (the file's or an included header's, as for
//     type-declaring macros) whose expansion, other visible function-like
//     macros in it expanded in turn, holds a '(' and later a '{': functions
//     defined;
//   - parameters are replaced by the arguments' text, '#' makes a string
//     and '##' pastes, as the preprocessor does; expansion stops at a depth
//     of maxExpansionDepth.
//
// The expansion is parsed on its own, inside a struct of the class's name
// when the invocation is in a class body, and the functions and methods it
// defines are recorded as the class's, with the invocation's span. Their
// body hashes are of the expanded tokens: a change to the macro changes
// every function it defines.

// maxExpansionDepth bounds nested expansion (DEFINE_SYSREG32_RW expands to
// DEFINE_SYSREG32_RO and DEFINE_SYSREG32_WO); a macro bomb stops there.
const maxExpansionDepth = 8

// maxExpansionTokens bounds the tokens one invocation's expansion writes,
// at every level together: a macro bomb (each level invoking the next a
// hundred times) gives up there, where bounding each level's result alone
// let the levels below redo their work a hundred times over.
const maxExpansionTokens = 1 << 16

// expander expands one invocation, counting the tokens it writes against
// maxExpansionTokens.
type expander struct {
	defs   macroDefs
	budget int
}

// spend counts n tokens written; false once the budget is gone.
func (e *expander) spend(n int) bool {
	e.budget -= n
	return e.budget >= 0
}

// definerMacro is a visible function-like macro, kept to expand
// invocations whose expansion defines functions.
type definerMacro struct {
	params   []string
	variadic bool // the last parameter is "...": __VA_ARGS__
	body     []string
	file     string // the header that defines it, "" for the file itself
}

// definerMacroOf reads "#define NAME(P, ...) body".
func definerMacroOf(d directive) (definerMacro, bool) {
	t := d.toks
	if len(t) < 4 || !isIdentByte(t[1].text[0]) || t[2].text != "(" || t[2].start != t[1].end {
		return definerMacro{}, false
	}
	var m definerMacro
	i := 3
	for ; i < len(t) && t[i].text != ")"; i++ {
		switch {
		case t[i].text == ",":
		case t[i].text == "...":
			m.variadic = true
		case isIdentByte(t[i].text[0]):
			m.params = append(m.params, strings.Clone(t[i].text))
		default:
			return definerMacro{}, false
		}
	}
	if i == len(t) {
		return definerMacro{}, false
	}
	for _, tok := range t[i+1:] {
		m.body = append(m.body, strings.Clone(tok.text))
	}
	return m, true
}

// definingInvocation is one invocation whose expansion defines functions.
type definingInvocation struct {
	start, end int    // the macro name, and just past its ')' or ';'
	prefix     string // the qualification of the names it defines ("ns::Class::")
	class      string // the qualified class whose body holds it, "" outside one
	access     string
	internal   bool
	expansion  string
	definedIn  []string // the headers whose definitions were used
}

// expandDefinition expands the invocation toks[at..end] (the name to its
// ')') with the visible definitions; ok is false unless the expansion
// defines a function.
func expandDefinition(toks []token, at, end int, defs macroDefs) (expansion string, headers []string, ok bool) {
	if defs == nil {
		return "", nil, false
	}
	var args [][]string
	for _, a := range splitArguments(toks, at+2, end) {
		var words []string
		for _, t := range toks[a[0]:a[1]] {
			words = append(words, t.text)
		}
		args = append(args, words)
	}
	e := &expander{defs: defs, budget: maxExpansionTokens}
	out, headers, ok := e.expand(toks[at].text, args, 0)
	if !ok || e.budget < 0 {
		return "", nil, false
	}
	paren := false
	for _, t := range out {
		if t == "(" {
			paren = true
		}
		if t == "{" && paren {
			return strings.Join(out, " "), headers, true
		}
	}
	return "", nil, false
}

// expand replaces one invocation of name by its definition's body with the
// arguments substituted, then expands the invocations of visible
// function-like macros in the result. An invocation that cannot be
// expanded stays as written, unless the budget ran out: then nothing is.
func (e *expander) expand(name string, args [][]string, depth int) ([]string, []string, bool) {
	m, ok := e.defs.definer(name)
	if !ok || depth >= maxExpansionDepth || len(args) < len(m.params) || len(args) > len(m.params) && !m.variadic {
		return nil, nil, false
	}
	var headers []string
	if m.file != "" {
		headers = append(headers, m.file)
	}
	argOf := func(word string) ([]string, bool) {
		for i, p := range m.params {
			if p == word {
				return args[i], true
			}
		}
		if word == "__VA_ARGS__" && m.variadic {
			var rest []string
			for i, a := range args[len(m.params):] {
				if i > 0 {
					rest = append(rest, ",")
				}
				rest = append(rest, a...)
			}
			return rest, true
		}
		return nil, false
	}
	var out []string
	for i := 0; i < len(m.body); i++ {
		t := m.body[i]
		switch {
		case t == "#" && i+1 < len(m.body):
			if a, ok := argOf(m.body[i+1]); ok {
				out = append(out, `"`+strings.ReplaceAll(strings.Join(a, " "), `"`, `\"`)+`"`)
				i++
				continue
			}
			out = append(out, t)
		case t == "##" && len(out) > 0 && i+1 < len(m.body):
			next := []string{m.body[i+1]}
			if a, ok := argOf(m.body[i+1]); ok {
				next = a
			}
			i++
			if len(next) > 0 {
				out[len(out)-1] += next[0]
				out = append(out, next[1:]...)
			}
		default:
			if a, ok := argOf(t); ok {
				out = append(out, a...)
			} else {
				out = append(out, t)
			}
		}
		if len(out) > e.budget {
			e.budget = -1 // a body that repeats a long argument
			return nil, nil, false
		}
	}
	if !e.spend(len(out)) {
		return nil, nil, false
	}
	// Rescan: visible function-like macros invoked in the result.
	var rescanned []string
	for i := 0; i < len(out); i++ {
		if _, ok := e.defs.definer(out[i]); !ok || i+1 >= len(out) || out[i+1] != "(" || out[i] == name {
			rescanned = append(rescanned, out[i])
			continue
		}
		close, inner := wordArguments(out, i+1)
		if close < 0 {
			rescanned = append(rescanned, out[i])
			continue
		}
		expanded, hs, ok := e.expand(out[i], inner, depth+1)
		switch {
		case e.budget < 0:
			return nil, nil, false
		case !ok:
			rescanned = append(rescanned, out[i:close+1]...)
		default:
			rescanned = append(rescanned, expanded...)
			headers = append(headers, hs...)
		}
		i = close
	}
	return rescanned, headers, true
}

// wordArguments splits the argument list opening at words[open] at its
// top-level commas; close is the index of its ')', -1 when it has none.
func wordArguments(words []string, open int) (close int, args [][]string) {
	depth := 0
	var cur []string
	for i := open + 1; i < len(words); i++ {
		switch words[i] {
		case "(", "[", "{":
			depth++
		case ")", "]", "}":
			if depth == 0 {
				if words[i] != ")" {
					return -1, nil
				}
				if len(cur) > 0 || len(args) > 0 {
					args = append(args, cur)
				}
				return i, args
			}
			depth--
		case ",":
			if depth == 0 {
				args = append(args, cur)
				cur = nil
				continue
			}
		}
		cur = append(cur, words[i])
	}
	return -1, nil
}

// macroDefined records the functions an invocation's expansion defines,
// parsing the expansion on its own (in a struct of the class's name when
// the invocation is in a class body) and giving them the invocation's span.
func (w *tsWalker) macroDefined(d definingInvocation) {
	short, outer := d.class, ""
	if k := strings.LastIndex(d.class, "::"); k >= 0 {
		short, outer = d.class[k+2:], d.class[:k+2]
	}
	synth := d.expansion
	if d.class != "" {
		synth = "struct " + short + " {\n" + d.access + ":\n" + d.expansion + "\n};\n"
	}
	src := []byte(synth)
	copies := getTextCopies()
	defer putTextCopies(copies)
	pre := blankBodies(src, copies)
	text := blankAttributes(pre, w.cpp, copies)
	tree, err := parseTree(w.ctx, text, w.sum.Lang)
	if err != nil {
		w.sum.Errors = append(w.sum.Errors, Error{Line: w.lines.line(d.start), Msg: "tolerant: expansion of a macro defining functions not parsed: " + err.Error()})
		return
	}
	defer tree.release()
	sub := &Summary{Lang: w.sum.Lang}
	s := newSource(src)
	sw := newTSWalker(w.ctx, sub, src, s.lineIndex())
	sw.file = s
	sw.attrs = blankedRanges(pre, text)
	prefix := outer // the class's own qualification: its struct adds its name
	if d.class == "" {
		prefix = d.prefix
	}
	sw.visit(tree.RootNode(), &scope{prefix: prefix, internal: d.internal})
	span := w.lines.span(d.start, d.end)
	for _, fn := range sub.Functions {
		fn.Span = span
		w.sum.Functions = append(w.sum.Functions, fn)
	}
	w.usedHeaders = append(w.usedHeaders, d.definedIn...)
	if d.class == "" {
		return
	}
	var methods []Method
	for _, t := range sub.Types {
		if t.Name == d.class {
			methods = t.Methods
		}
	}
	// The class's type is the last of its name recorded before the
	// invocation: its body holds it.
	for i := len(w.sum.Types) - 1; i >= 0; i-- {
		t := &w.sum.Types[i]
		if t.Name == d.class && t.Span.StartByte <= d.start && t.Span.EndByte >= d.end {
			t.Methods = append(t.Methods, methods...)
			return
		}
	}
}
