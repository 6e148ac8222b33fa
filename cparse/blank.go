package cparse

import (
	"bytes"
	"regexp"
)

// blankBodies returns src with the inside of every function body replaced
// by spaces (newlines kept, so every byte offset and line number stays the
// same), or src itself when there is none. Tree-sitter then parses only the
// declarations, which is most of the tolerant engine's speed: the bodies
// are hashed and scanned from the original text by the Go lexer anyway.
//
// A function body is a '{' right after ')' (or after ')' and C++ method
// qualifiers); an initializer list is a '{' right after '='.
//
// Copies of the text are made in copies' buffers (allocated when nil).
func blankBodies(src []byte, copies *textCopies) []byte {
	var out []byte
	n := len(src)
	// afterParen: a '{' here opens a body or initializer to blank;
	// afterClose: right after ')', where attribute macros may sit.
	afterParen, afterClose := false, false
	// braceAt: where the last '}' was, when nothing but blanks and
	// comments have followed it: a declarator on its line may carry
	// attribute macros.
	braceAt := -1
	// inInit: since an '=' of the current declaration, where "(T) NULL"
	// is a cast, not a declarator followed by a macro.
	inInit := false
	lineStart := true
	for i := 0; i < n; {
		if next, ok := skipTrivia(src, i, &lineStart); ok {
			i = next
			continue
		}
		c := src[i]
		switch {
		case c == '#' && lineStart:
			i = directiveEnd(src, i)
			continue
		}
		lineStart = false
		switch {
		case c == '"' || c == '\'':
			i = skipQuoted(src, i)
			afterParen = false
		case c == ')':
			afterParen, afterClose = true, true
			i++
			continue
		case c == '=':
			// "= {...}": an initializer, hashed from the original text too.
			afterParen, inInit = true, true
			i++
			if i < n && src[i] == '=' {
				afterParen = false
				i++
			}
		case c == '{' && afterParen:
			inInit = false
			end, ok := matchBrace(src, i)
			if !ok {
				afterParen = false
				i++
				continue
			}
			if out == nil {
				out = copies.copyOf(src)
			}
			blankKeepingNewlines(out[i+1 : end])
			afterParen = false
			i = end + 1
		case isIdentByte(c):
			if braceAt >= 0 && !inInit && !bytes.Contains(src[braceAt:i], []byte("\n")) {
				// "} basic CPULOCAL;" after a struct or union body: tree-
				// sitter takes the macro for the declarator and the name
				// for an error, unless the macros go.
				j := i
				for j < n && isIdentByte(src[j]) {
					j++
				}
				k := j
				for k < n && (src[k] == ' ' || src[k] == '\t') {
					k++
				}
				if end := attributeMacrosEnd(src, k); k > j && end > k {
					if out == nil {
						out = copies.copyOf(src)
					}
					blankKeepingNewlines(out[k:end])
					i, braceAt, afterParen, afterClose = end, -1, false, false
					continue
				}
			}
			if afterClose && !inInit {
				if end := attributeMacrosEnd(src, i); end > i {
					// "void f(void) VISIBLE;": tree-sitter cannot place a
					// macro there, the blank keeps the declaration whole.
					if out == nil {
						out = copies.copyOf(src)
					}
					blankKeepingNewlines(out[i:end])
					i = end
					afterClose = false
					continue
				}
			}
			j := i
			for j < n && isIdentByte(src[j]) {
				j++
			}
			switch string(src[i:j]) {
			case "const", "volatile", "override", "final", "noexcept":
			default:
				afterParen = false
			}
			i = j
		case c == '&':
			i++ // ref-qualified method: f() & {...}
		default:
			if c == ';' || c == '}' {
				inInit = false
			}
			afterParen = false
			i++
			if c == '}' {
				afterClose, braceAt = false, i-1
				continue
			}
		}
		afterClose, braceAt = false, -1
	}
	if out == nil {
		return src
	}
	return out
}

func atLineStart(src []byte, i int) bool {
	return i == 0 || src[i-1] == '\n'
}

// matchBrace finds the '}' closing the '{' at open; ok is false when the
// text ends first. Braces inside preprocessor conditionals need not
// balance ("#if A\n if (x)\n#else\n if (y)\n#endif\n {"): when a
// conditional sits inside, the match is trusted only in the kernel layout
// where a function's braces each stand first on their lines at the same
// indentation, and in that layout the first '}' so placed closes the body,
// whatever the count says (FreeRTOS's functions inside "#if" blocks are
// indented).
func matchBrace(src []byte, open int) (int, bool) {
	n := len(src)
	depth := 0
	lineStart := false
	conditional := false
	indent, alone := lineIndent(src, open)
	for i := open; i < n; {
		c := src[i]
		switch {
		case c == '\n':
			lineStart = true
			i++
			continue
		case c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v':
			i = skipSpaces(src, i+1)
			continue
		case c == '/' && i+1 < n && src[i+1] == '*':
			i = skipBlockComment(src, i)
			continue
		case c == '/' && i+1 < n && src[i+1] == '/':
			for i < n && src[i] != '\n' {
				i++
			}
			continue
		case c == '#' && lineStart:
			j := i + 1
			for j < n && (src[j] == ' ' || src[j] == '\t') {
				j++
			}
			if j+1 < n && (src[j] == 'i' && src[j+1] == 'f' || src[j] == 'e' && src[j+1] == 'l' || src[j] == 'e' && src[j+1] == 'n') {
				conditional = true
			}
			i = directiveEnd(src, i)
			continue
		}
		lineStart = false
		switch c {
		case '"', '\'':
			i = skipQuoted(src, i)
			continue
		case '{':
			depth++
		case '}':
			depth--
			if alone {
				if ci, ok := lineIndent(src, i); ok && bytes.Equal(ci, indent) {
					switch {
					case depth == 0:
						return i, true
					case conditional:
						return closingRun(src, i, depth), true
					default:
						// The layout and the count disagree with no
						// conditional to blame: the layout is not kept.
						alone = false
					}
				}
			}
			if depth == 0 {
				if conditional {
					return 0, false
				}
				return i, true
			}
		default:
			i = skipCode(src, i+1, &braceScanStops)
			continue
		}
		i++
	}
	return 0, false
}

// closingRun returns the last of the '}' that follow the one at i with
// only blanks and comments between them, when depth more of them close the
// count: a body whose last brace is misindented ("    }\n}") closes there,
// not at its indentation.
func closingRun(src []byte, i, depth int) int {
	n := len(src)
	for j := i + 1; j < n; {
		switch c := src[j]; {
		case c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v':
			j++
		case c == '/' && j+1 < n && src[j+1] == '*':
			j = skipBlockComment(src, j)
		case c == '/' && j+1 < n && src[j+1] == '/':
			for j < n && src[j] != '\n' {
				j++
			}
		case c == '}':
			depth--
			if depth == 0 {
				return j
			}
			j++
		default:
			return i
		}
	}
	return i
}

// lineIndent returns the blanks before position i on its line, and whether
// there is nothing else before it.
func lineIndent(src []byte, i int) ([]byte, bool) {
	j := i
	for j > 0 && (src[j-1] == ' ' || src[j-1] == '\t') {
		j--
	}
	if j > 0 && src[j-1] != '\n' {
		return nil, false
	}
	return src[j:i], true
}

// attributeMacrosEnd returns the end of a run of upper-case macro names
// (each with an optional argument list) starting at i, when what follows
// the run ends a declarator ('; { = ,'); else i.
func attributeMacrosEnd(src []byte, i int) int {
	n := len(src)
	j := i
	for {
		k := j
		upper := false
		for k < n && isIdentByte(src[k]) {
			c := src[k]
			if c >= 'a' && c <= 'z' || c >= 0x80 {
				return i
			}
			upper = upper || c >= 'A' && c <= 'Z'
			k++
		}
		if k-j < 2 || !upper {
			return i
		}
		for k < n && (src[k] == ' ' || src[k] == '\t') {
			k++
		}
		if k < n && src[k] == '(' {
			depth := 0
			for ; k < n; k++ {
				if src[k] == '(' {
					depth++
				} else if src[k] == ')' {
					depth--
					if depth == 0 {
						k++
						break
					}
				} else if src[k] == '\n' || src[k] == ';' || src[k] == '{' {
					return i
				}
			}
		}
		end := k
		for k < n && (src[k] == ' ' || src[k] == '\t' || src[k] == '\n' || src[k] == '\r') {
			k++
		}
		if k >= n {
			return i
		}
		switch src[k] {
		case ';', '{', '=', ',':
			return end
		}
		if !isIdentByte(src[k]) {
			return i
		}
		j = k
	}
}

// blankedDirectives are the directives the tree-sitter walk has no use for:
// their macros and includes are read from the text by scanDirectives.
// Conditionals stay, since they shape the tree.
var blankedDirectives = map[string]bool{
	"define": true, "undef": true, "include": true, "include_next": true, "import": true,
	"pragma": true, "error": true, "warning": true, "line": true, "ident": true, "sccs": true,
}

// blankDefinitionDirectives returns text with every #define, #include,
// #pragma and the like replaced by spaces (newlines kept), copying text
// only when there is one. A vendor register header is mostly #define lines:
// tree-sitter then skips them (nonBlankRanges leaves long blank runs out)
// instead of parsing each into a node the walk ignores.
func blankDefinitionDirectives(text []byte, copies *textCopies) []byte {
	out := text
	copied := false
	n := len(text)
	lineStart := true
	for i := 0; i < n; {
		if next, ok := skipTrivia(text, i, &lineStart); ok {
			i = next
			continue
		}
		switch c := text[i]; {
		case c == '#' && lineStart:
			end := directiveEnd(text, i)
			j := i + 1
			for j < end && (text[j] == ' ' || text[j] == '\t') {
				j++
			}
			k := j
			for k < end && isIdentByte(text[k]) {
				k++
			}
			if blankedDirectives[string(text[j:k])] {
				if !copied {
					out = copies.copyOf(text)
					copied = true
				}
				blankKeepingNewlines(out[i:end])
			}
			i = end
		case c == '"' || c == '\'':
			lineStart = false
			i = skipQuoted(text, i)
		default:
			lineStart = false
			i = skipCode(text, i+1, &triviaScanStops)
		}
	}
	return out
}

// blankAlternativeHeaders returns src with the conditional parts of
// function headers read for one configuration, src itself when there is
// none. Kernels write a header per configuration and share the body:
//
//	#ifdef CONFIG_KERNEL_MCS
//	void VISIBLE c_handle_syscall(word_t cptr, word_t msgInfo, word_t reply)
//	#else
//	void VISIBLE c_handle_syscall(word_t cptr, word_t msgInfo)
//	#endif
//	{
//
// Tree-sitter sees two declarators without a semicolon and a body without a
// header; with the conditional's directives and its later branches blanked
// it sees the first header and the body, as a preprocessor would for one
// configuration. Such a group qualifies when every branch ends with ')' and
// a '{' follows its #endif.
//
// They also put attribute-like macros of one configuration in the middle of
// a header (seL4's fastpath):
//
//	void
//	#ifdef ARCH_IA32
//	FASTCALL NORETURN
//	#endif
//	fastpath_call(word_t cptr, word_t msgInfo)
//
// where tree-sitter ends a declaration at `void` and takes NORETURN for a
// variable. A group qualifies as such attribute words when its branches
// hold only identifiers, a declaration has begun before it (a line of code
// that ends in a name or '*') and a name follows its #endif; its directives
// and later branches are blanked alike, and so are the later branches of a
// conditional whose every branch opens the same block (alternativeOpenings).
// The text is s's.
func blankAlternativeHeaders(s *source, copies *textCopies) []byte {
	src := s.src
	if !bytes.Contains(src, []byte("#if")) && !bytes.Contains(src, []byte("# if")) {
		return src
	}
	ds := s.directives()
	conds := nestConditionals(ds)
	var out []byte
	var dirs []int
	for i, d := range ds {
		if name := directiveName(d); name != "if" && name != "ifdef" && name != "ifndef" {
			continue
		}
		// The conditional's directives, the opening one to the #endif.
		dirs = append(dirs[:0], i)
		for k := conds.next[i]; k >= 0; k = conds.next[k] {
			dirs = append(dirs, k)
		}
		endif := ds[dirs[len(dirs)-1]]
		if directiveName(endif) != "endif" {
			continue
		}
		split := interposedDefinition(src, ds, i, dirs)
		if !split && !(alternativeHeaders(src, ds, dirs) || attributeWords(src, ds, dirs) || alternativeOpenings(src, ds, dirs)) {
			continue
		}
		if out == nil {
			out = copies.copyOf(src)
		}
		blankKeepingNewlines(out[d.start:d.end])
		if split {
			// Both functions kept: the configuration where the
			// condition holds.
			blankKeepingNewlines(out[endif.start:endif.end])
			continue
		}
		blankKeepingNewlines(out[ds[dirs[1]].start:endif.end])
	}
	if out == nil {
		return src
	}
	return out
}

// interposedDefinition reports whether the conditional of directives dirs,
// the i'th of ds its #if, puts a function's body and another function's
// header between one function's header and the body the two share, as
// FreeRTOS's tasks.c does for one configuration:
//
//	BaseType_t xTaskCreate( TaskFunction_t pxTaskCode, ... )
//	#if ( ( configNUMBER_OF_CORES > 1 ) && ( configUSE_CORE_AFFINITY == 1 ) )
//	{
//	    return xTaskCreateAffinitySet( pxTaskCode, ..., tskNO_AFFINITY, ... );
//	}
//
//	BaseType_t xTaskCreateAffinitySet( TaskFunction_t pxTaskCode, ... )
//	#endif
//	{
//
// One branch, opening with '{' and ending with ')', between a header's ')'
// and a '{'. Read whole without its directives, it is the two functions
// the condition defines; with the branch blanked only the first would be.
func interposedDefinition(src []byte, ds []directive, i int, dirs []int) bool {
	if len(dirs) != 2 || i == 0 {
		return false
	}
	open, endif := ds[dirs[0]], ds[dirs[1]]
	return nextSignificant(src, endif.end) == '{' &&
		nextSignificant(src, open.end) == '{' &&
		lastSignificant(src, open.end, endif.start) == ')' &&
		lastSignificant(src, ds[i-1].end, open.start) == ')'
}

// alternativeHeaders reports whether the conditional of directives dirs
// (its #if to its #endif) holds alternative headers of one body: two
// branches or more, each ending with ')', and a '{' after it.
func alternativeHeaders(src []byte, ds []directive, dirs []int) bool {
	if len(dirs) < 3 || nextSignificant(src, ds[dirs[len(dirs)-1]].end) != '{' {
		return false
	}
	for k := 1; k < len(dirs); k++ {
		if lastSignificant(src, ds[dirs[k-1]].end, ds[dirs[k]].start) != ')' {
			return false
		}
	}
	return true
}

// alternativeOpenings reports whether the conditional of directives dirs
// holds alternative openings of one block: two branches or more, each
// opening the same number of braces more than it closes, the rest of the
// block shared after the #endif. Generated code does so (protobuf's
// "#ifdef GOOGLE_PROTOBUF_NO_STATIC_INITIALIZER", a function header and its
// first statements per branch): read whole, the braces do not balance and
// tree-sitter loses the enclosing namespace.
func alternativeOpenings(src []byte, ds []directive, dirs []int) bool {
	if len(dirs) < 3 {
		return false
	}
	for k := 1; k < len(dirs); k++ {
		// Most conditionals fail here, before any lexing.
		if bytes.IndexByte(src[ds[dirs[k-1]].end:ds[dirs[k]].start], '{') < 0 {
			return false
		}
	}
	want := 0
	for k := 1; k < len(dirs); k++ {
		// Tokens, so that a brace in a string or a comment does not count.
		n := 0
		for _, t := range lexTokens(src, ds[dirs[k-1]].end, ds[dirs[k]].start) {
			switch t.text {
			case "{":
				n++
			case "}":
				n--
			}
		}
		if n <= 0 || k > 1 && n != want {
			return false
		}
		want = n
	}
	return true
}

// attributeWords reports whether the conditional of directives dirs holds
// attribute words in the middle of a declaration: only identifiers in its
// branches (some at least), a name after its #endif, and before its #if a
// line of code, no directive and no comment, ending in a name or '*'.
func attributeWords(src []byte, ds []directive, dirs []int) bool {
	if !isIdentStart(nextSignificant(src, ds[dirs[len(dirs)-1]].end)) || !declarationBegun(src, ds[dirs[0]].start) {
		return false
	}
	words := false
	for k := 1; k < len(dirs); k++ {
		only, any := onlyIdentifiers(src[ds[dirs[k-1]].end:ds[dirs[k]].start])
		if !only {
			return false
		}
		words = words || any
	}
	return words
}

// declarationBegun reports whether the last line of code before offset i
// ends in a name or '*', a line that is no directive and holds no comment.
func declarationBegun(src []byte, i int) bool {
	end := i
	for end > 0 && (src[end-1] == ' ' || src[end-1] == '\t' || src[end-1] == '\n' || src[end-1] == '\r') {
		end--
	}
	if end == 0 || !(isIdentByte(src[end-1]) || src[end-1] == '*') {
		return false
	}
	start := bytes.LastIndexByte(src[:end], '\n') + 1
	line := bytes.TrimLeft(src[start:end], " \t")
	return len(line) > 0 && line[0] != '#' && !bytes.Contains(line, []byte("/")) && !bytes.HasSuffix(line, []byte("\\"))
}

// onlyIdentifiers reports whether text holds nothing but identifiers, blanks
// and comments, and whether it holds an identifier.
func onlyIdentifiers(text []byte) (only, any bool) {
	lineStart := false
	for i := 0; i < len(text); {
		if next, ok := skipTrivia(text, i, &lineStart); ok {
			i = next
			continue
		}
		if !isIdentStart(text[i]) {
			return false, any
		}
		for i < len(text) && isIdentByte(text[i]) {
			i++
		}
		any = true
	}
	return true, any
}

// nextSignificant returns the first byte at or after i that is no blank
// and no comment, 0 at the end.
func nextSignificant(src []byte, i int) byte {
	if i = skipBlanksAndComments(src, i); i < len(src) {
		return src[i]
	}
	return 0
}

// skipBlanksAndComments returns where the next token (or directive) at or
// after i starts, blanks and comments skipped; len(src) at the end.
func skipBlanksAndComments(src []byte, i int) int {
	lineStart := false
	for i < len(src) {
		next, ok := skipTrivia(src, i, &lineStart)
		if !ok {
			return i
		}
		i = next
	}
	return i
}

// lastSignificant returns the last byte of src[from:to] that is no blank
// and no comment, 0 when there is none.
func lastSignificant(src []byte, from, to int) byte {
	var last byte
	lineStart := false
	for i := from; i < to; {
		next, ok := skipTrivia(src, i, &lineStart)
		if ok {
			i = next
			continue
		}
		if src[i] == '"' || src[i] == '\'' {
			i = skipQuoted(src, i)
			last = '"'
			continue
		}
		last = src[i]
		i++
	}
	return last
}

// blankAssemblerMacros blanks the GNU assembler macros of a header written
// for .S files (FreeRTOS's RISC-V portContext.h: `.macro
// portcontexSAVE_FPU_CONTEXT` ... `.endm`), whose instructions tree-sitter
// would read as C declarations (`store_f f0, 2 * portFPU_REG_SIZE( sp )` a
// function portFPU_REG_SIZE). From a line `.macro NAME` to its `.endm`,
// every line but the preprocessor's is blanked, so conditionals stay
// balanced; the macros those directives define are read from the source.
func blankAssemblerMacros(src []byte, copies *textCopies) []byte {
	if !bytes.Contains(src, []byte(".macro")) {
		return src
	}
	var out []byte
	start := -1 // the first line of the assembler macro being read
	for lineStart := 0; lineStart < len(src); {
		lineEnd := len(src)
		if i := bytes.IndexByte(src[lineStart:], '\n'); i >= 0 {
			lineEnd = lineStart + i
		}
		line := bytes.TrimLeft(src[lineStart:lineEnd], " \t")
		switch {
		case start < 0 && assemblerDirective(line, ".macro") && len(bytes.Fields(line)) > 1 && bytes.Fields(line)[1][0] != '=': // not C's designated initializer `.macro = x`
			start = lineStart
		case start >= 0 && assemblerDirective(line, ".endm"):
			if out == nil {
				out = copies.copyOf(src)
			}
			for k := start; k < lineEnd; {
				end := lineEnd
				if i := bytes.IndexByte(out[k:lineEnd], '\n'); i >= 0 {
					end = k + i
				}
				if code := bytes.TrimLeft(out[k:end], " \t"); len(code) == 0 || code[0] != '#' {
					blankKeepingNewlines(out[k:end])
				}
				k = end + 1
			}
			start = -1
		}
		lineStart = lineEnd + 1
	}
	if out == nil {
		return src
	}
	return out
}

// blankIARAssembler blanks the IAR assembler of a header written for IAR's
// assemblers (FreeRTOS's RL78 ISR_Support.h, and the part of its
// portmacro.h under #ifdef __IAR_SYSTEMS_ASM__): the macros, from a line
// `NAME MACRO` to its `ENDM`, the lines that are an assembler comment (`;`
// first) and the directives that import or export symbols or open
// sections, none of them C (`EXTERN pxCurrentTCB` would be a global of type
// EXTERN). Preprocessor lines stay, so conditionals stay balanced and the
// #defines among them are read. Only a file with an IAR macro is touched: a
// C line may start with ';'.
func blankIARAssembler(src []byte, copies *textCopies) []byte {
	if !bytes.Contains(src, []byte("ENDM")) || !iarMacroRe.Match(src) {
		return src
	}
	var out []byte
	inMacro := false
	for lineStart := 0; lineStart < len(src); {
		lineEnd := len(src)
		if i := bytes.IndexByte(src[lineStart:], '\n'); i >= 0 {
			lineEnd = lineStart + i
		}
		line := bytes.TrimLeft(src[lineStart:lineEnd], " \t")
		fields := bytes.Fields(line)
		blank := false
		switch {
		case len(line) > 0 && line[0] == '#':
		case len(fields) == 2 && string(fields[1]) == "MACRO":
			inMacro, blank = true, true
		case inMacro:
			inMacro = len(fields) == 0 || string(fields[0]) != "ENDM"
			blank = true
		case len(line) > 0 && line[0] == ';':
			blank = true
		case len(fields) > 0 && iarDirectives[string(fields[0])]:
			blank = true
		}
		if blank {
			if out == nil {
				out = copies.copyOf(src)
			}
			blankKeepingNewlines(out[lineStart:lineEnd])
		}
		lineStart = lineEnd + 1
	}
	if out == nil {
		return src
	}
	return out
}

// iarMacroRe is a line that opens an IAR assembler macro: `NAME MACRO`.
var iarMacroRe = regexp.MustCompile(`(?m)^[ \t]*[A-Za-z_]\w*[ \t]+MACRO[ \t]*\r?$`)

// iarDirectives are the IAR assembler directives a header for its
// assemblers holds outside its macros.
var iarDirectives = map[string]bool{
	"EXTERN": true, "EXTRN": true, "IMPORT": true, "PUBLIC": true, "PUBWEAK": true,
	"RSEG": true, "ASEG": true, "ASEGN": true, "SECTION": true, "MODULE": true, "NAME": true, "END": true,
}

// assemblerDirective reports whether line (its indentation trimmed) is
// the assembler directive name: the name alone or followed by a blank.
func assemblerDirective(line []byte, name string) bool {
	rest, ok := bytes.CutPrefix(line, []byte(name))
	return ok && (len(rest) == 0 || rest[0] == ' ' || rest[0] == '\t' || rest[0] == '\r')
}
