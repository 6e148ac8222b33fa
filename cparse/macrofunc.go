package cparse

import (
	"bytes"
	"slices"
	"strings"
)

// Functions written inside a macro invocation.
//
// C++ code built on coroutine libraries defines functions through a macro
// that takes the result type, the name with its parameters and the body as
// a lambda:
//
//	COFIBER_ROUTINE(async::result<void>, File::ioctl(void *object, int req),
//			([=] {
//		...
//	}))
//
// Tree-sitter cannot read the invocation: left alone, the attribute pass
// takes the macro for an attribute and blanks it with the whole function,
// and unblanked, the lambda's statements come out as bogus declarations.
// Either way the function's changes would not be seen. The text pass below
// recognizes the idiom instead, blanks it before parsing, and the walker
// records the function:
//
//   - an upper-case macro name at the start of a line, outside function
//     bodies, followed by its argument list; inside a class body it may be
//     indented (a method written so: "\tCOFIBER_ROUTINE(expected<size_t>,
//     readSome(void *data, size_t n) override, ([=] {...}))") and follow
//     specifiers ("virtual COFIBER_ROUTINE(...)");
//   - among its arguments, one that is a name (qualified or not) with a
//     parameter list: the function; the arguments before it are its result,
//     and there is at least one;
//   - its last argument a block or a lambda, in parentheses or not: the
//     body.
//
// The function's name is qualified by the namespaces and classes around the
// invocation, as a definition's would be. One written in a class body is
// also one of the class's methods, with the access the body gives it
// there, virtual when a specifier or "override" says so.

// macroFunc is one function written inside a macro invocation.
type macroFunc struct {
	start, end int // the macro name, and just past its ')'
	name       string
	internal   bool // inside an anonymous namespace
	// class is the qualified name of the class whose body holds the
	// invocation, "" outside one; access, virtual, override, static and
	// constant describe the method it is then.
	class                               string
	access                              string
	virtual, override, static, constant bool
	resStart, resEnd                    int // the result type's text
	parStart, parEnd                    int // the parameter list's text, parentheses included
	// paramNames are the byte ranges of the parameters' names, left out
	// of the signature as a declaration's are.
	paramNames        []excludedRange
	bodyOpen, bodyEnd int // the body's '{', and just past its '}'
}

// findMacroFuncs finds the functions src defines inside macro invocations
// (the body is a lambda or a block argument), and the invocations whose
// expansion by the visible definitions defs defines functions
// (macrodefined.go). Only C++ has them.
func findMacroFuncs(src []byte, defs macroDefs) ([]macroFunc, []definingInvocation) {
	if !macroAtLineStart(src) {
		return nil, nil
	}
	toks := fileScopeTokens(nil, src)
	type ns struct {
		depth    int
		prefix   string
		internal bool
		class    bool
		access   string // in a class body: the access its members get here
	}
	var stack []ns
	depth := 0
	prefix := func() (string, bool) {
		if len(stack) == 0 {
			return "", false
		}
		return stack[len(stack)-1].prefix, stack[len(stack)-1].internal
	}
	var out []macroFunc
	var definitions []definingInvocation
	for i := 0; i < len(toks); i++ {
		switch t := toks[i].text; {
		case t == "namespace":
			name, j := "", i+1
			for j < len(toks) && (isIdentToken(toks[j].text) || toks[j].text == "::") {
				name += toks[j].text
				j++
			}
			if j < len(toks) && toks[j].text == "{" {
				p, internal := prefix()
				if name == "" {
					internal = true
				} else {
					p += name + "::"
				}
				depth++
				stack = append(stack, ns{depth: depth, prefix: p, internal: internal})
				i = j
			}
		case (t == "class" || t == "struct") && (i == 0 || toks[i-1].text != "enum"):
			if name, open := classHead(toks, i+1); open > 0 {
				p, internal := prefix()
				depth++
				access := "private"
				if t == "struct" {
					access = "public"
				}
				stack = append(stack, ns{depth: depth, prefix: p + name + "::", internal: internal, class: true, access: access})
				i = open
			}
		case (t == "public" || t == "protected" || t == "private") && i+1 < len(toks) && toks[i+1].text == ":":
			if top := len(stack) - 1; top >= 0 && stack[top].class && stack[top].depth == depth {
				stack[top].access = t
			}
		case t == "{":
			depth++
		case t == "}":
			if len(stack) > 0 && stack[len(stack)-1].depth == depth {
				stack = stack[:len(stack)-1]
			}
			depth--
		case isMacroName(t) && i+1 < len(toks) && toks[i+1].text == "(":
			// The macro name, or the specifiers before it on its line
			// ("static COFIBER_ROUTINE(...)" at file scope).
			first := leadingSpecifiers(src, toks, i)
			inClass := len(stack) > 0 && stack[len(stack)-1].class && stack[len(stack)-1].depth == depth
			if !atLineStart(src, toks[i].start) && !((inClass || first < i) && firstOnLine(src, toks[first].start)) {
				continue
			}
			end := matchingToken(toks, i+1)
			if end < 0 {
				continue
			}
			p, internal := prefix()
			if mf, ok := macroFuncOf(toks, i, end, p); ok {
				mf.start = toks[first].start // blanked with the invocation
				mf.internal = internal
				if !inClass && slices.ContainsFunc(toks[first:i], func(t token) bool { return t.text == "static" }) {
					mf.internal = true // internal linkage
				}
				if inClass {
					mf.class = strings.TrimSuffix(p, "::")
					mf.access = stack[len(stack)-1].access
					for _, spec := range toks[first:i] {
						mf.virtual = mf.virtual || spec.text == "virtual"
						mf.static = mf.static || spec.text == "static"
					}
					mf.virtual = mf.virtual || mf.override
				}
				out = append(out, mf)
				i = end
				continue
			}
			if top := len(stack) - 1; top >= 0 && stack[top].depth != depth || top < 0 && depth != 0 {
				continue // inside a function body or an initializer
			}
			if expansion, headers, ok := expandDefinition(toks, i, end, defs); ok {
				d := definingInvocation{start: toks[i].start, end: toks[end].end, prefix: p, internal: internal, expansion: expansion, definedIn: headers}
				if end+1 < len(toks) && toks[end+1].text == ";" {
					d.end = toks[end+1].end
				}
				if inClass {
					d.class = strings.TrimSuffix(p, "::")
					d.access = stack[len(stack)-1].access
				}
				definitions = append(definitions, d)
				i = end
			}
		}
	}
	return out, definitions
}

// classHead reads a class or struct head from toks[at] ("OpenFile : File
// {", "Kmem final {"): its name and the index of its '{'; open is 0 when
// the tokens are no class definition (a declaration, an elaborated type).
func classHead(toks []token, at int) (name string, open int) {
	if at >= len(toks) || !isIdentToken(toks[at].text) {
		return "", 0
	}
	name = toks[at].text
	angles := 0
	for j := at + 1; j < len(toks) && j < at+64; j++ {
		switch toks[j].text {
		case "<":
			angles++
		case ">":
			angles--
		case "{":
			if angles == 0 {
				return name, j
			}
		case ";", "(", ")", "=", "}":
			return "", 0
		}
	}
	return "", 0
}

// leadingSpecifiers returns the index of the first of the specifiers
// written before toks[i] on its line ("virtual COFIBER_ROUTINE(...)", a
// method in managarm's drvcore.cpp), or i when there are none.
func leadingSpecifiers(src []byte, toks []token, i int) int {
	first := i
	for k := i - 1; k >= 0; k-- {
		switch toks[k].text {
		case "virtual", "static", "inline", "constexpr", "friend":
		default:
			return first
		}
		if bytes.IndexByte(src[toks[k].end:toks[first].start], '\n') >= 0 {
			return first // another line's
		}
		first = k
	}
	return first
}

// firstOnLine reports whether only blanks precede src[i] on its line.
func firstOnLine(src []byte, i int) bool {
	for i > 0 && (src[i-1] == ' ' || src[i-1] == '\t') {
		i--
	}
	return atLineStart(src, i)
}

// leadingSpecifierWords may come before a function-defining macro on its
// line, each with the blank after it.
var leadingSpecifierWords = [][]byte{[]byte("static "), []byte("inline ")}

// macroAtLineStart reports whether some line of src starts, after blanks,
// with an upper-case name and '(' (blanks between them allowed): the cheap
// test that spares other files the lexing.
func macroAtLineStart(src []byte) bool {
	for i := 0; i < len(src); {
		for i < len(src) && (src[i] == ' ' || src[i] == '\t') {
			i++
		}
		for _, spec := range leadingSpecifierWords {
			if bytes.HasPrefix(src[i:], spec) {
				i += len(spec) // "static COFIBER_ROUTINE(" at file scope
			}
		}
		j := i
		for j < len(src) && (src[j] >= 'A' && src[j] <= 'Z' || src[j] == '_' || j > i && src[j] >= '0' && src[j] <= '9') {
			j++
		}
		paren := j
		for paren < len(src) && (src[paren] == ' ' || src[paren] == '\t') {
			paren++ // "DEFINE_CR (0);"
		}
		if j-i > 1 && paren < len(src) && src[paren] == '(' {
			return true
		}
		k := bytes.IndexByte(src[j:], '\n')
		if k < 0 {
			return false
		}
		i = j + k + 1
	}
	return false
}

// macroFuncOf reads the invocation toks[at..end] (the macro name to its
// ')') as a function written inside it, if it is one.
func macroFuncOf(toks []token, at, end int, prefix string) (macroFunc, bool) {
	args := splitArguments(toks, at+2, end)
	if len(args) < 3 {
		return macroFunc{}, false
	}
	open, close, ok := wrappedBody(toks, args[len(args)-1])
	if !ok {
		return macroFunc{}, false
	}
	for k := len(args) - 2; k >= 1; k-- {
		name, params, ok := wrappedHeader(toks, args[k])
		if !ok {
			continue
		}
		f := macroFunc{
			start: toks[at].start, end: toks[end].end,
			name:     prefix + name,
			resStart: toks[args[0][0]].start, resEnd: toks[args[k-1][1]-1].end,
			parStart: toks[params].start, parEnd: toks[args[k][1]-1].end,
			bodyOpen: toks[open].start, bodyEnd: toks[close].end,
		}
		closeParams := matchingToken(toks, params) // found by wrappedHeader
		f.paramNames = parameterNames(toks, params, closeParams)
		for _, q := range toks[closeParams+1 : args[k][1]] {
			f.override = f.override || q.text == "override" || q.text == "final"
			f.constant = f.constant || q.text == "const"
		}
		return f, true
	}
	return macroFunc{}, false
}

// wrappedHeader reads a macro argument that is a function's name and
// parameter list, with a method's qualifiers after it
// ("File::ioctl(void *object, int req)", "Entity::bind() const"): the name
// and the index of the '(' opening the parameters.
func wrappedHeader(toks []token, arg [2]int) (string, int, bool) {
	i, name := arg[0], ""
	for i < arg[1] && (isIdentToken(toks[i].text) || toks[i].text == "::" || toks[i].text == "~") {
		name += toks[i].text
		i++
	}
	if name == "" || i >= arg[1] || toks[i].text != "(" || !isIdentToken(toks[i-1].text) {
		return "", 0, false
	}
	end := matchingToken(toks, i)
	if end < 0 || end >= arg[1] {
		return "", 0, false
	}
	for _, t := range toks[end+1 : arg[1]] {
		switch t.text {
		case "const", "volatile", "noexcept", "override", "final", "&", "&&":
		default:
			return "", 0, false
		}
	}
	return name, i, true
}

// parameterNames finds the names in the parameter list between toks[open]
// and toks[close], its parentheses: in each parameter, before a default
// value and any array bounds, the last token when it is an identifier that
// follows the parameter's type ("uint64_t sequence", "void *object", "int
// lines[4]"), not a type's own last word ("uint64_t", "unsigned int",
// "std::string", "struct file").
func parameterNames(toks []token, open, close int) []excludedRange {
	var out []excludedRange
	for _, arg := range splitArguments(toks, open+1, close) {
		end := arg[1]
		for j := arg[0]; j < end; j++ {
			switch toks[j].text {
			case "(", "[", "{":
				if toks[j].text == "[" {
					end = j // array bounds follow the name
					break
				}
				if m := matchingToken(toks, j); m > j {
					j = m
				}
			case "=":
				end = j
			}
		}
		last := end - 1
		if last <= arg[0] || !isIdentToken(toks[last].text) || primitiveKeywords.has(toks[last].text) || typeEndWords[toks[last].text] {
			continue
		}
		switch toks[last-1].text {
		case "::", "struct", "union", "enum", "class", "typename":
			continue
		}
		out = append(out, excludedRange{start: toks[last].start, end: toks[last].end})
	}
	return out
}

// typeEndWords are the words a parameter's type may end with, beside the
// primitive type keywords: a parameter ending in one has no name.
var typeEndWords = map[string]bool{
	"auto": true, "const": true, "volatile": true, "restrict": true, "__restrict": true,
	"wchar_t": true, "char8_t": true, "char16_t": true, "char32_t": true,
}

// wrappedBody finds the braces of a macro argument that is a block or a
// lambda, in parentheses or not ("([=] { ... })", "[this] () mutable {
// ... }", "{ ... }"): the indices of its '{' and '}'.
func wrappedBody(toks []token, arg [2]int) (int, int, bool) {
	lo, hi := arg[0], arg[1]-1
	for lo < hi && toks[lo].text == "(" && matchingToken(toks, lo) == hi {
		lo, hi = lo+1, hi-1
	}
	if lo > hi || toks[hi].text != "}" {
		return 0, 0, false
	}
	if toks[lo].text == "[" {
		if lo = matchingToken(toks, lo); lo < 0 {
			return 0, 0, false
		}
		lo++
	}
	for lo < hi && toks[lo].text != "{" {
		if toks[lo].text == "(" {
			if lo = matchingToken(toks, lo); lo < 0 {
				return 0, 0, false
			}
		}
		lo++
	}
	if lo >= hi || matchingToken(toks, lo) != hi {
		return 0, 0, false
	}
	return lo, hi, true
}

// matchingToken is the index of the token closing the bracket at toks[i],
// -1 when there is none.
func matchingToken(toks []token, i int) int {
	depth := 0
	for j := i; j < len(toks); j++ {
		switch toks[j].text {
		case "(", "[", "{":
			depth++
		case ")", "]", "}":
			depth--
			if depth == 0 {
				return j
			}
		}
	}
	return -1
}

// splitArguments splits toks[from:to] at the commas outside brackets, as
// index ranges.
func splitArguments(toks []token, from, to int) [][2]int {
	var out [][2]int
	depth, start := 0, from
	for j := from; j < to; j++ {
		switch toks[j].text {
		case "(", "[", "{":
			depth++
		case ")", "]", "}":
			depth--
		case ",":
			if depth == 0 {
				if j > start {
					out = append(out, [2]int{start, j})
				}
				start = j + 1
			}
		}
	}
	if to > start {
		out = append(out, [2]int{start, to})
	}
	return out
}

// isMacroName reports whether s is spelled as macros are: upper-case
// letters, digits and underscores, with a letter, at least two long.
func isMacroName(s string) bool {
	letter := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= 'A' && c <= 'Z':
			letter = true
		case c >= '0' && c <= '9' || c == '_':
		default:
			return false
		}
	}
	return letter && len(s) > 1
}

// blankMacroFuncs returns text with every invocation in fns blanked (lines
// kept), text itself when there is none.
func blankMacroFuncs(text []byte, fns []macroFunc, definitions []definingInvocation, copies *textCopies) []byte {
	if len(fns) == 0 && len(definitions) == 0 {
		return text
	}
	out := copies.copyOf(text)
	for _, f := range fns {
		if end := min(f.end, len(out)); f.start < end {
			blankKeepingNewlines(out[f.start:end])
		}
	}
	for _, d := range definitions {
		if end := min(d.end, len(out)); d.start < end {
			blankKeepingNewlines(out[d.start:end])
		}
	}
	return out
}

// macroFunc records f, found by findMacroFuncs, as a function definition,
// and as a method of its class when a class body holds it.
func (w *tsWalker) macroFunc(f macroFunc) {
	fn := Function{Name: f.name, Definition: true, Static: f.internal, Span: w.lines.span(f.start, f.end)}
	fn.Signature = w.normalizeTypeText(f.resStart, f.resEnd, nil) + " " + w.normalizeTypeText(f.parStart, f.parEnd, f.paramNames)
	w.fillBodyRange(&fn, f.bodyOpen, f.bodyEnd, paramInfo{types: map[string]string{}})
	w.sum.Functions = append(w.sum.Functions, fn)
	if f.class == "" {
		return
	}
	// The class's type is the last of its name recorded before the
	// invocation: its body holds it.
	for i := len(w.sum.Types) - 1; i >= 0; i-- {
		t := &w.sum.Types[i]
		if t.Name != f.class || t.Span.StartByte > f.start || t.Span.EndByte < f.end {
			continue
		}
		t.Methods = append(t.Methods, Method{
			Name: f.name[len(f.class)+len("::"):], Signature: fn.Signature,
			Virtual: f.virtual, Override: f.override, Static: f.static, Const: f.constant, Access: f.access,
		})
		return
	}
}
