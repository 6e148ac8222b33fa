package cparse

import (
	"bytes"
	"context"
	"io/fs"
	"path"
	"slices"
	"strings"
	"unsafe"
)

// Type-declaring macros.
//
// Kernels declare object types through macros that expand to a struct
// head, the member block following the invocation:
//
//	#define OBJECT_TYPE(T) typedef ref_t T##Ref; struct T
//	OBJECT_TYPE(FCM) { struct kobj hdr; long cap; };
//
// The precise engine sees the struct after expansion. The text pass (all of
// the tolerant engine, and the source-text half of the precise one) sees a
// function-like call followed by a block, which tree-sitter takes for a
// function with an implicit-int header. The heuristic below recognizes the
// idiom instead:
//
//   - at file scope, at the start of a declaration (first in the file, or
//     after ';' or '}'), a call NAME(Arg) with one identifier argument;
//   - followed either by ';' (the forward form "NAME(Arg);"), or by a block
//     and ';' ("NAME(Arg) { ... };" — a function body is not followed by
//     ';') whose items are all member declarations: each ends in ';',
//     starts with an identifier, has at least two tokens, and holds no
//     statement keyword, assignment, member access, increment or call
//     statement ("f(x);");
//   - the type is named after what NAME's definition, when one is visible
//     in the file or the headers it includes, ends with: "struct T" or
//     "struct T##_s" with T the parameter names it Arg or Arg_s, "union ..."
//     makes it a union; with no visible definition, or one ending otherwise,
//     it is "struct Arg", the convention these macros follow.
//
// The forward form is recognized only when the visible definition ends in a
// struct or union head: "EXPORT_SYMBOL(f);" and its kind are not types. A
// member declared through a macro ("DECLARE_BITMAP(b, 64);") looks like a
// call statement, so a block holding one is not recognized: the text pass
// then skips the type, as before, and the precise engine still finds it.

// macroTypeDecl is one type declared through a macro invocation.
type macroTypeDecl struct {
	start, end int // the macro name, and just past the final ';'
	// blockStart and blockEnd are the offsets of '{' and '}'; -1 for the
	// forward form.
	blockStart, blockEnd int
	kind                 TypeKind
	name                 string
	// definedIn is the header whose definition of the macro named the
	// type, "" when it is the file itself or none was visible.
	definedIn string
}

// typeMacro is a one-parameter function-like macro whose definition was
// visible.
type typeMacro struct {
	param string
	body  []string // replacement list token texts
	file  string   // "" for the file itself
}

// typeHead tells the kind and name of the type the macro's expansion with
// argument arg ends by declaring; ok is false when it does not end in a
// struct or union head.
func (m typeMacro) typeHead(arg string) (kind TypeKind, name string, ok bool) {
	i := len(m.body)
	for i > 0 && (m.body[i-1] == "##" || isIdentByte(m.body[i-1][0]) && m.body[i-1] != "struct" && m.body[i-1] != "union") {
		i--
	}
	if i == 0 || (m.body[i-1] != "struct" && m.body[i-1] != "union") {
		return "", "", false
	}
	var b strings.Builder
	for _, t := range m.body[i:] {
		switch t {
		case "##":
		case m.param:
			b.WriteString(arg)
		default:
			b.WriteString(t)
		}
	}
	name = b.String()
	if name == "" || len(m.body)-i > 1 && !pastedOnly(m.body[i:]) {
		// "struct" alone takes its tag from the block's position; more
		// than one name after it is not a tag we can spell.
		name = arg
	}
	return TypeKind(m.body[i-1]), name, true
}

// pastedOnly reports whether toks is a ## chain (a ## b ## c).
func pastedOnly(toks []string) bool {
	for i, t := range toks {
		if (i%2 == 1) != (t == "##") {
			return false
		}
	}
	return len(toks)%2 == 1
}

// macroDefs looks up the visible definitions of macros, collecting them on
// first use: most files hold no candidate invocation, and collecting reads
// the headers the file includes.
type macroDefs = *visibleMacros

// visibleMacros are the macro definitions that can declare a type
// (typeMacro) or a global (declaratorMacro, macrodecl.go), collected once.
type visibleMacros struct {
	collect func() collectedMacros
	collectedMacros
	loaded bool
}

// collectedMacros are the visible definitions by what they can declare.
type collectedMacros struct {
	types       map[string]typeMacro
	declarators map[string]declaratorMacro
	definers    map[string]definerMacro // every function-like macro (macrodefined.go)
}

func (v *visibleMacros) load() {
	if !v.loaded {
		v.collectedMacros, v.loaded = v.collect(), true
	}
}

// typeMacro returns the first visible one-parameter definition of name.
func (v *visibleMacros) typeMacro(name string) (typeMacro, bool) {
	v.load()
	m, ok := v.types[name]
	return m, ok
}

// declarator returns what the visible definitions of name that declare
// their arguments say, ok false when none does.
func (v *visibleMacros) declarator(name string) (declaratorMacro, bool) {
	v.load()
	m, ok := v.declarators[name]
	return m, ok
}

// definer returns the first visible definition of the function-like macro
// name.
func (v *visibleMacros) definer(name string) (definerMacro, bool) {
	v.load()
	m, ok := v.definers[name]
	return m, ok
}

// lazyTypeMacros returns the macroDefs of collectTypeMacros.
func lazyTypeMacros(ctx context.Context, file string, src []byte, fsys fs.FS, includePaths []string) macroDefs {
	return lazyTypeMacrosOf(ctx, file, newSource(src), fsys, includePaths)
}

// lazyTypeMacrosOf is lazyTypeMacros of the file whose text is s's.
func lazyTypeMacrosOf(ctx context.Context, file string, s *source, fsys fs.FS, includePaths []string) macroDefs {
	return &visibleMacros{collect: func() collectedMacros {
		return collectTypeMacros(ctx, file, s, fsys, includePaths)
	}}
}

// collectTypeMacros gathers the one-parameter function-like macros defined
// in src and, when fsys is given, in the headers it includes (transitively,
// a bounded number): the definitions that can name a macro-declared type.
// It gathers the two-parameter ones that declare a global, and every
// function-like one (for expansions that define functions), as well.
func collectTypeMacros(ctx context.Context, file string, s *source, fsys fs.FS, includePaths []string) collectedMacros {
	defs := map[string]typeMacro{}
	declarators := map[string]declaratorMacro{}
	definers := map[string]definerMacro{}
	seen := map[string]bool{file: true}
	var add func(name string, data []byte, dirs []directive, depth int)
	add = func(name string, data []byte, dirs []directive, depth int) {
		for _, d := range dirs {
			if len(d.toks) < 2 {
				continue
			}
			switch d.toks[0].text {
			case "define":
				if m, ok := definerMacroOf(d); ok {
					if _, known := definers[d.toks[1].text]; !known {
						if name != file {
							m.file = name
						}
						definers[strings.Clone(d.toks[1].text)] = m
					}
				}
				if m, ok := declaratorMacroOf(d); ok {
					prior, known := declarators[d.toks[1].text]
					if !known || m.extern && !prior.extern {
						if name != file {
							m.file = name
						}
						declarators[strings.Clone(d.toks[1].text)] = m
					}
					continue
				}
				m, ok := oneParamMacro(d)
				if !ok {
					continue
				}
				if name != file {
					m.file = name
				}
				if _, dup := defs[d.toks[1].text]; !dup {
					defs[strings.Clone(d.toks[1].text)] = m
				}
			case "include":
				if fsys == nil || depth >= maxMacroIncludeDepth || len(seen) > maxMacroIncludeFiles || ctx.Err() != nil {
					continue
				}
				raw := strings.TrimSpace(string(data[d.toks[1].start:d.toks[len(d.toks)-1].end]))
				if inc, body := openInclude(fsys, name, raw, includePaths); inc != "" && !seen[inc] {
					seen[inc] = true
					add(inc, body, scanDirectivesIf(body, mayNameTypeMacro), depth+1)
				}
			}
		}
	}
	add(file, s.src, s.directives(), 0)
	return collectedMacros{types: defs, declarators: declarators, definers: definers}
}

// mayNameTypeMacro reports whether a directive's text (after the '#') can
// matter to collectTypeMacros: an #include, or a #define whose name a '('
// follows at once. A register header's thousands of object-like #defines
// are then skipped untokenized: a 1.8 MB RV32M1 device header made each
// demo file that includes it cost 100–190 ms. A comment or a line splice
// before the name keeps the directive, for the tokens to decide.
func mayNameTypeMacro(text []byte) bool {
	undecided := func(b []byte) bool { return bytes.HasPrefix(b, []byte("/*")) || bytes.HasPrefix(b, []byte("\\")) }
	text = bytes.TrimLeft(text, " \t")
	if bytes.HasPrefix(text, []byte("include")) || undecided(text) {
		return true
	}
	rest, ok := bytes.CutPrefix(text, []byte("define"))
	if !ok {
		return false
	}
	if rest = bytes.TrimLeft(rest, " \t"); undecided(rest) {
		return true
	}
	name := 0
	for name < len(rest) && isIdentByte(rest[name]) {
		name++
	}
	return name < len(rest) && (rest[name] == '(' || undecided(rest[name:]))
}

// Bounds on the headers collectTypeMacros reads.
const (
	maxMacroIncludeDepth = 4
	maxMacroIncludeFiles = 64
)

// oneParamMacro reads a "#define NAME(P) body" directive.
func oneParamMacro(d directive) (typeMacro, bool) {
	t := d.toks
	if len(t) < 5 || !isIdentByte(t[1].text[0]) || t[2].text != "(" || t[2].start != t[1].end ||
		!isIdentByte(t[3].text[0]) || t[4].text != ")" {
		return typeMacro{}, false
	}
	m := typeMacro{param: strings.Clone(t[3].text)}
	for _, tok := range t[5:] {
		m.body = append(m.body, strings.Clone(tok.text))
	}
	return m, true
}

// openInclude finds the file an #include argument raw, written in includer,
// names in fsys: next to the includer for "...", then along includePaths.
func openInclude(fsys fs.FS, includer, raw string, includePaths []string) (string, []byte) {
	if len(raw) < 2 {
		return "", nil
	}
	name := strings.Trim(raw, "<>\"")
	var candidates []string
	if raw[0] == '"' {
		candidates = append(candidates, path.Join(path.Dir(includer), name))
	}
	for _, ip := range includePaths {
		candidates = append(candidates, path.Join(strings.TrimPrefix(ip, "/"), name))
	}
	for _, c := range candidates {
		if !fs.ValidPath(c) {
			continue
		}
		if data, err := fs.ReadFile(fsys, c); err == nil && len(data) <= MaxFileSize {
			return c, data
		}
	}
	return "", nil
}

// fileScopeTokens appends the tokens of src without its preprocessor
// directives to toks.
func fileScopeTokens(toks []token, src []byte) []token {
	if len(src) == 0 {
		return toks
	}
	// Streamed, skipping each directive as it comes: listing the
	// directives first lexed every one of them for nothing.
	toks = slices.Grow(toks, len(src)/8)
	forEachCodeToken(src, unsafe.String(&src[0], len(src)), func(t token) bool {
		toks = append(toks, t)
		return true
	})
	return toks
}

// declarationTokens appends to toks the tokens of src without its
// preprocessor directives, as fileScopeTokens does, but for the insides of
// the blocks at file scope that cannot be a type-declaring macro's member
// list (one opened right after "M(x)"): of a function body only its braces
// are kept. The bodies are most of a file's tokens, and findMacroTypeDecls
// reads nothing in them but their braces' nesting.
func declarationTokens(toks []token, src []byte) []token {
	if len(src) == 0 {
		return toks
	}
	str := unsafe.String(&src[0], len(src))
	toks = slices.Grow(toks, len(src)/32)
	depth := 0
	for from := 0; from < len(src); {
		resume := len(src)
		forEachCodeTokenFrom(src, str, from, func(t token) bool {
			toks = append(toks, t)
			switch t.text {
			case "{":
				if depth == 0 && !afterMacroInvocation(toks[:len(toks)-1]) {
					end, closed := blockEnd(src, t.end)
					if closed {
						toks = append(toks, token{str[end-1 : end], end - 1, end})
					} else {
						depth++ // open to the end, as its tokens would leave it
					}
					resume = end
					return false
				}
				depth++
			case "}":
				depth--
			}
			return true
		})
		from = resume
	}
	return toks
}

// declarationTokensAmong is declarationTokens of src found among all, its
// every token, when its trivia is plain (source.plainTrivia): the tokens
// of its directives (a '#' first on its line, for skipTrivia, to
// directiveEnd) left out, and of a body only its closing brace kept.
func declarationTokensAmong(toks []token, src []byte, all []token) []token {
	// past returns the index of the first token after the directive that
	// the '#' of all[k] begins, or k when it begins none.
	past := func(k int) int {
		t := all[k]
		if k > 0 && !lineBreakIn(src[all[k-1].end:t.start], false) {
			return k
		}
		end := directiveEnd(src, t.start)
		for k < len(all) && all[k].start < end {
			k++
		}
		return k
	}
	depth := 0
	for k := 0; k < len(all); {
		if all[k].text[0] == '#' {
			if next := past(k); next > k {
				k = next
				continue
			}
		}
		toks = append(toks, all[k])
		switch all[k].text {
		case "{":
			if depth == 0 && !afterMacroInvocation(toks[:len(toks)-1]) {
				// The block's own braces, as blockEnd counts them.
				open := 1
				for k++; k < len(all) && open > 0; k++ {
					switch all[k].text[0] {
					case '{':
						open++
					case '}':
						open--
					case '#':
						if next := past(k); next > k {
							k = next - 1
						}
					}
				}
				if open > 0 {
					return toks // open to the end
				}
				toks = append(toks, all[k-1])
				continue
			}
			depth++
		case "}":
			depth--
		}
		k++
	}
	return toks
}

// afterMacroInvocation reports whether toks end as a type-declaring
// macro's invocation "M(x)" may: first in its declaration (after ';' or
// '}'), which "int f(void)" is not.
func afterMacroInvocation(toks []token) bool {
	n := len(toks)
	return n >= 4 && isIdentByte(toks[n-4].text[0]) && toks[n-3].text == "(" && isIdentByte(toks[n-2].text[0]) && toks[n-1].text == ")" &&
		(n == 4 || toks[n-5].text == ";" || toks[n-5].text == "}")
}

// blockEnd finds the end of the block whose '{' ends just before i: the
// offset after its closing '}', with closed true, or len(src). Braces
// count as nextToken and forEachCodeToken would lex them: not in comments,
// string or character literals or directives.
func blockEnd(src []byte, i int) (end int, closed bool) {
	depth := 1
	lineStart := false
	for i < len(src) {
		if next, ok := skipTrivia(src, i, &lineStart); ok {
			i = next
			continue
		}
		c := src[i]
		if c == '#' && lineStart {
			i = directiveEnd(src, i)
			continue
		}
		lineStart = false
		switch c {
		case '"', '\'':
			i = skipQuoted(src, i) // as nextToken reads a literal
			continue
		case '{':
			depth++
		case '}':
			if depth--; depth == 0 {
				return i + 1, true
			}
		default:
			// The rest of the code up to what may begin trivia that
			// matters, a literal or a brace: blanks in a line of code
			// change nothing, and '#' there begins no directive.
			i = skipCode(src, i+1, &blockScanStops)
			continue
		}
		i++
	}
	return len(src), false
}

// findMacroTypeDecls finds the type-declaring macro invocations of src (see
// the heuristic above); defs are the visible macro definitions.
func findMacroTypeDecls(src []byte, defs macroDefs) []macroTypeDecl {
	decls, _ := findMacroTypeDeclsOf(newSource(src), defs)
	return decls
}

// findMacroTypeDeclsOf is findMacroTypeDecls of s's text, reading its
// file scope among its tokens when it is a whole file's; it finds the
// globals declared through macros as well (macrodecl.go).
func findMacroTypeDeclsOf(s *source, defs macroDefs) ([]macroTypeDecl, []macroDeclarator) {
	src := s.src
	if !hasCallBeforeBlockOrSemi(src) {
		return nil, nil
	}
	buf := getTokenBuf()
	var toks []token
	if s.whole && s.plainTrivia() {
		toks = declarationTokensAmong(*buf, src, s.tokens())
	} else {
		toks = declarationTokens(*buf, src)
	}
	defer putTokenBuf(buf, toks)
	return macroTypeDeclsIn(toks, defs), macroDeclaratorsIn(toks, src, defs)
}

// macroTypeDeclsIn is findMacroTypeDecls over src's tokens.
func macroTypeDeclsIn(toks []token, defs macroDefs) []macroTypeDecl {
	var out []macroTypeDecl
	forEachFileScopeToken(toks, func(i int) int {
		if i+4 >= len(toks) || !isIdentByte(toks[i].text[0]) ||
			toks[i+1].text != "(" || !isIdentByte(toks[i+2].text[0]) || toks[i+3].text != ")" {
			return i
		}
		if i > 0 && toks[i-1].text != ";" && toks[i-1].text != "}" {
			return i
		}
		macro, arg := toks[i].text, toks[i+2].text
		if toks[i+4].text != ";" && toks[i+4].text != "{" {
			return i
		}
		def, visible := defs.typeMacro(macro)
		kind, name, headed := KindStruct, arg, false
		if visible {
			if k, n, ok := def.typeHead(arg); ok {
				kind, name, headed = k, n, true
			}
		}
		d := macroTypeDecl{start: toks[i].start, blockStart: -1, blockEnd: -1, kind: kind, name: strings.Clone(name)}
		if headed {
			d.definedIn = def.file
		}
		switch toks[i+4].text {
		case ";":
			if !headed {
				return i
			}
			d.end = toks[i+4].end
			out = append(out, d)
			return i + 4
		default: // "{"
			close, members, ok := memberBlock(toks, i+4)
			if !ok || close+1 >= len(toks) || toks[close+1].text != ";" || members == 0 && !headed {
				return i
			}
			d.blockStart, d.blockEnd, d.end = toks[i+4].start, toks[close].start, toks[close+1].end
			out = append(out, d)
			return close + 1
		}
	})
	return out
}

// forEachFileScopeToken calls visit with the index of each token of toks
// outside every pair of braces (the braces left out); visit returns the
// index of the last token it consumed, i itself when none. Both the
// type-declaring and the global-declaring macros are found so.
func forEachFileScopeToken(toks []token, visit func(i int) int) {
	depth := 0
	for i := 0; i < len(toks); i++ {
		switch toks[i].text {
		case "{":
			depth++
		case "}":
			depth--
		default:
			if depth == 0 {
				i = visit(i)
			}
		}
	}
}

// hasCallBeforeBlockOrSemi is a cheap filter: does ")" followed by "{" or
// ";" occur at all? Most files are scanned no further.
func hasCallBeforeBlockOrSemi(src []byte) bool {
	for i := 0; i < len(src); i++ {
		if src[i] != ')' {
			continue
		}
		j := i + 1
		for j < len(src) && (src[j] == ' ' || src[j] == '\t' || src[j] == '\n' || src[j] == '\r') {
			j++
		}
		if j < len(src) && (src[j] == '{' || src[j] == ';') {
			return true
		}
	}
	return false
}

// statementWords are keywords that only occur in statements, never in a
// member declaration.
var statementWords = map[string]bool{
	"return": true, "if": true, "else": true, "for": true, "while": true, "do": true,
	"switch": true, "case": true, "default": true, "goto": true, "break": true, "continue": true,
	"asm": true, "__asm__": true, "__asm": true,
}

// memberBlock checks that the block opening at toks[open] holds only member
// declarations. It returns the index of the closing '}' and the number of
// members.
func memberBlock(toks []token, open int) (close, members int, ok bool) {
	depth := 0  // braces inside the block (nested struct and enum bodies)
	parens := 0 // parentheses in the current item
	itemStart := open + 1
	for i := open + 1; i < len(toks); i++ {
		t := toks[i].text
		switch {
		case t == "{":
			depth++
		case t == "}" && depth == 0:
			return i, members, itemStart == i
		case t == "}":
			depth--
		case t == "(":
			parens++
		case t == ")":
			parens--
		case statementWords[t]:
			return 0, 0, false
		case depth > 0:
			// Enumerator values and nested members: checked loosely.
		case t == "=" || t == "->" || t == "." || t == "++" || t == "--" || strings.HasSuffix(t, "=") && len(t) == 2 && t != "==" && t != "!=" && t != "<=" && t != ">=":
			return 0, 0, false
		case t == ";" && parens == 0:
			n := i - itemStart
			if n == 0 {
				itemStart = i + 1
				continue
			}
			first := toks[itemStart].text
			if n < 2 || !isIdentByte(first[0]) || first[0] >= '0' && first[0] <= '9' {
				return 0, 0, false
			}
			if toks[itemStart+1].text == "(" && toks[i-1].text == ")" && callShaped(toks[itemStart+1:i]) {
				return 0, 0, false // "f(x);" is a call statement
			}
			members++
			itemStart = i + 1
		}
	}
	return 0, 0, false
}

// callShaped reports whether toks, starting with '(', is one balanced
// parenthesized list and nothing else: the argument list of a call.
func callShaped(toks []token) bool {
	depth := 0
	for i, t := range toks {
		switch t.text {
		case "(":
			depth++
		case ")":
			depth--
			if depth == 0 {
				return i == len(toks)-1
			}
		}
	}
	return false
}

// blankMacroTypeDecls returns text with the invocations blanked (newlines
// kept), so that tree-sitter parses the rest undisturbed; text is copied,
// into copies' buffers, when it is src itself.
func blankMacroTypeDecls(text, src []byte, decls []macroTypeDecl, copies *textCopies) []byte {
	if len(decls) == 0 {
		return text
	}
	if &text[0] == &src[0] {
		text = copies.copyOf(text)
	}
	for _, d := range decls {
		blankKeepingNewlines(text[d.start:d.end])
	}
	return text
}

// macroType records the type a recognized invocation declares, parsing its
// member block as the body of "kind name { ... };" and mapping what that
// parse finds back to the file's offsets and lines.
func (w *tsWalker) macroType(d macroTypeDecl) {
	if d.blockStart < 0 {
		return // a forward declaration defines nothing
	}
	prefix := string(d.kind) + " " + d.name + " "
	synth := append([]byte(prefix), w.src[d.blockStart:d.end]...)
	delta := d.blockStart - len(prefix)
	tree, err := parseTree(w.ctx, synth, w.sum.Lang)
	if err != nil {
		w.sum.Errors = append(w.sum.Errors, Error{Line: w.lines.line(d.start), Msg: "tolerant: member block of " + d.name + " not parsed: " + err.Error()})
		return
	}
	defer tree.release()
	sub := &Summary{Lang: w.sum.Lang}
	// Lines of the synthetic text are the file's lines, shifted.
	lines := make(lineIndex, len(w.lines))
	for i, off := range w.lines {
		lines[i] = off - delta
	}
	sw := newTSWalker(w.ctx, sub, synth, lines)
	sw.visit(tree.RootNode(), &scope{})
	for _, t := range sub.Types {
		if t.Span.StartByte == 0 && t.Name == d.name {
			t.Span = w.lines.span(d.start, d.blockEnd+1)
		} else {
			t.Span.StartByte += delta
			t.Span.EndByte += delta
		}
		w.sum.Types = append(w.sum.Types, t)
	}
	for _, e := range sub.Errors {
		w.nErrors++
		if w.nErrors <= maxErrorsRecorded {
			w.sum.Errors = append(w.sum.Errors, e)
		}
	}
	if d.definedIn != "" {
		w.usedHeaders = append(w.usedHeaders, d.definedIn)
	}
}
