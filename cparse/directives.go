package cparse

import (
	"bytes"
	"encoding/binary"
	"math/bits"
	"slices"
	"strconv"
	"strings"
)

// directive is one preprocessor directive of a file: its tokens after the
// '#' and where it is.
type directive struct {
	toks       []token
	start, end int
}

// scanDirectives finds the preprocessor directives of src by a light scan
// that knows about comments, strings and line continuations. It is shared by
// both engines: macros and includes are a property of the text.
func scanDirectives(src []byte) []directive {
	return scanDirectivesIf(src, nil)
}

// scanDirectivesIf is scanDirectives keeping only the directives keep
// accepts (all when keep is nil), given each one's text after the '#':
// the others are not tokenized.
func scanDirectivesIf(src []byte, keep func(text []byte) bool) []directive {
	var out []directive
	// The directives' tokens share blocks: a register header has 12,000
	// #defines, and one allocation each was a tenth of the tolerant
	// engine's time on such files. The blocks double from a small one: a
	// first block of 256 tokens (10 KB) was most of what a file of a few
	// #includes allocated here.
	var toks []token
	block := 32
	n := len(src)
	lineStart := true
	for i := 0; i < n; {
		c := src[i]
		switch {
		case c == '\n':
			lineStart = true
			i++
		case c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v':
			i = skipSpaces(src, i+1)
		case c == '/' && i+1 < n && src[i+1] == '*':
			i = skipBlockComment(src, i)
		case c == '/' && i+1 < n && src[i+1] == '/':
			for i < n && src[i] != '\n' {
				i++
			}
		case c == '#' && lineStart:
			end := directiveEnd(src, i)
			if keep != nil && !keep(src[i+1:end]) {
				i = end
				continue
			}
			// Room for a directive's usual count (one token per five
			// bytes), else a new block; a directive with more tokens
			// grows it, the directives before keeping the old one.
			if est := (end-i)/5 + 4; cap(toks)-len(toks) < est {
				toks = make([]token, 0, max(est, block))
				block = min(2*block, 4096)
			}
			from := len(toks)
			toks = appendTokens(toks, src, i+1, end)
			out = append(out, directive{toks: toks[from:len(toks):len(toks)], start: i, end: end})
			i = end
		case c == '"' || c == '\'':
			lineStart = false
			i = skipQuoted(src, i)
		default:
			lineStart = false
			i = skipCode(src, i+1, &directiveScanStops)
		}
	}
	return out
}

// directivesAmong returns the directives scanDirectives finds in src,
// found among toks, every token of src, when src's trivia is plain
// (source.plainTrivia). A directive starts at a '#' that begins a line
// (nothing but trivia before it since a newline outside a comment),
// ends where directiveEnd says, and its tokens are those between: the
// newline it ends at lies outside every token and comment, as it does for
// the lexer.
func directivesAmong(src []byte, toks []token) []directive {
	var out []directive
	for k := 0; k < len(toks); k++ {
		t := toks[k]
		if t.text[0] != '#' || k > 0 && !lineBreakIn(src[toks[k-1].end:t.start], true) {
			continue
		}
		end := directiveEnd(src, t.start)
		from := k + 1
		for k+1 < len(toks) && toks[k+1].start < end {
			k++
		}
		if t.text == "#" {
			out = append(out, directive{toks: toks[from : k+1 : k+1], start: t.start, end: end})
		} else {
			// "##" first on a line: the lexer's token is not the
			// directive's '#'.
			out = append(out, directive{toks: lexTokens(src, t.start+1, end), start: t.start, end: end})
		}
	}
	return out
}

// lineBreakIn reports whether gap, trivia between two tokens, holds a
// newline outside comments: one that starts a line for the scans. A
// newline escaped by a backslash counts when escaped is set, as it does
// for scanDirectives (not for skipTrivia).
func lineBreakIn(gap []byte, escaped bool) bool {
	for j := 0; j < len(gap); j++ {
		switch gap[j] {
		case '\n':
			if escaped || j == 0 || gap[j-1] != '\\' {
				return true
			}
		case '/':
			if j+1 < len(gap) && gap[j+1] == '*' {
				j = skipBlockComment(gap, j) - 1
			} else if j+1 < len(gap) && gap[j+1] == '/' {
				j = lineEnd(gap, j) - 1
			}
		}
	}
	return false
}

// byteSet is a set of bytes, as a table.
type byteSet [256]bool

func newByteSet(bs string) (t byteSet) {
	for i := 0; i < len(bs); i++ {
		t[bs[i]] = true
	}
	return t
}

// Where the light scans must look again once they are inside a line of
// code (not at a line's start, where '#' begins a directive): a newline, a
// comment or a literal may begin there, nothing else matters to them.
var (
	// scanDirectives, which reads comments from '/' and literals.
	directiveScanStops = newByteSet("\n/\"'")
	// the scans that skip trivia with skipTrivia, which also reads an
	// escaped newline from '\\'.
	triviaScanStops = newByteSet("\n\\/\"'")
	// matchBrace, which also counts braces (and has no use for an
	// escaped newline).
	braceScanStops = newByteSet("\n/\"'{}")
	// blockEnd, which counts braces and skips trivia with skipTrivia.
	blockScanStops = newByteSet("\n\\/\"'{}")
	// The bytes trivia can start with, for skipTrivia.
	triviaFirst = newByteSet("\n \t\r\f\v\\/")
)

// skipCode returns the first offset from i of a byte in stops, len(src)
// when there is none.
func skipCode(src []byte, i int, stops *byteSet) int {
	for i < len(src) && !stops[src[i]] {
		i++
	}
	return i
}

// skipTrivia steps over what separates C tokens from src[i] on — white
// space, newlines (a newline sets *lineStart), escaped newlines, comments —
// and returns where a scan goes on; ok is false when src[i] starts a token
// or a directive's '#'. Every light scan of this package (directives,
// blanked bodies, thinned initializers) skips trivia through it. It steps
// over the whole run, not one piece of it: the texts tree-sitter gets are
// mostly blanks where bodies were, and a call per blank was a tenth of the
// tolerant engine's time outside tree-sitter.
func skipTrivia(src []byte, i int, lineStart *bool) (next int, ok bool) {
	if !triviaFirst[src[i]] {
		return i, false // most calls: a byte of code
	}
	n, start := len(src), i
	for i < n {
		switch c := src[i]; {
		case c == ' ' || c == '\n':
			j := skipSpacesAndNewlines(src, i)
			if !*lineStart && bytes.IndexByte(src[i:j], '\n') >= 0 {
				*lineStart = true
			}
			i = j
		case c == '\t':
			i = skipSpaces(src, i+1)
		case c == '\r' || c == '\f' || c == '\v':
			i++
		case c == '\\' && i+1 < n && src[i+1] == '\n':
			i += 2
		case c == '/' && i+1 < n && src[i+1] == '*':
			i = skipBlockComment(src, i)
		case c == '/' && i+1 < n && src[i+1] == '/':
			i = lineEnd(src, i)
		default:
			return i, i > start
		}
	}
	return i, true
}

// skipSpaces returns the first offset from i that holds neither ' ' nor
// '\t', len(src) when there is none, reading eight spaces at a time where
// it can: blanked bodies are long runs of spaces, and indentation is blanks
// a scan has no use for.
func skipSpaces(src []byte, i int) int {
	const spaces = 0x2020202020202020
	for {
		for i+8 <= len(src) && binary.LittleEndian.Uint64(src[i:]) == spaces {
			i += 8
		}
		if i >= len(src) || src[i] != ' ' && src[i] != '\t' {
			return i
		}
		i++
	}
}

// skipSpacesAndNewlines returns the first offset from i that holds
// neither ' ' nor '\n', len(src) when there is none, reading eight bytes
// at a time: a blanked body is lines of spaces, which a scan of the text
// tree-sitter gets passed a line at a time.
func skipSpacesAndNewlines(src []byte, i int) int {
	const ones = 0x0101010101010101
	const lows, highs = 0x7f * ones, 0x80 * ones
	for i+8 <= len(src) {
		w := binary.LittleEndian.Uint64(src[i:])
		// 0x80 in each byte of w that is a space (a zero byte of x) or a
		// newline (one of y).
		x, y := w^(' '*ones), w^('\n'*ones)
		blank := ^((x&lows + lows) | x | lows) | ^((y&lows + lows) | y | lows)
		if blank != highs {
			return i + bits.TrailingZeros64(^blank&highs)/8
		}
		i += 8
	}
	for i < len(src) && (src[i] == ' ' || src[i] == '\n') {
		i++
	}
	return i
}

// lineEnd returns the offset of the newline ending the line that holds
// offset i, len(src) when it is the last.
func lineEnd(src []byte, i int) int {
	if k := bytes.IndexByte(src[i:], '\n'); k >= 0 {
		return i + k
	}
	return len(src)
}

// skipBlockComment returns the offset after the comment that starts at i
// ("/*"), len(src) when it is not closed.
func skipBlockComment(src []byte, i int) int {
	if k := bytes.Index(src[i+2:], commentEnd); k >= 0 {
		return i + 2 + k + 2
	}
	return len(src)
}

var commentEnd = []byte("*/")

func skipQuoted(src []byte, i int) int {
	q := src[i]
	i++
	for i < len(src) && src[i] != q && src[i] != '\n' {
		if src[i] == '\\' {
			i++
		}
		i++
	}
	if i < len(src) && src[i] == q {
		i++
	}
	if i > len(src) {
		return len(src)
	}
	return i
}

// directiveEnd returns the offset of the newline ending the directive that
// starts at i, following continuations and comments that span lines.
func directiveEnd(src []byte, i int) int {
	n := len(src)
	for i < n {
		switch c := src[i]; {
		case c == '\n':
			return i
		case c == '\\' && i+1 < n && src[i+1] == '\n':
			i += 2
		case c == '\\' && i+2 < n && src[i+1] == '\r' && src[i+2] == '\n':
			i += 3
		case c == '/' && i+1 < n && src[i+1] == '*':
			i = skipBlockComment(src, i)
		case c == '/' && i+1 < n && src[i+1] == '/':
			for i < n && src[i] != '\n' {
				i++
			}
		case c == '"' || c == '\'':
			i = skipQuoted(src, i)
		default:
			i++
		}
	}
	return n
}

// extractDirectives fills the summary's macros and includes from the text.
func extractDirectives(sum *Summary, s *source) {
	src, lines, dirs := s.src, s.lineIndex(), s.directives()
	// One allocation for the macros: a register header has 12,000, and
	// growing the list by doubling copied it a dozen times.
	defines := 0
	for _, d := range dirs {
		if len(d.toks) > 0 && d.toks[0].text == "define" {
			defines++
		}
	}
	had := sum.Macros
	sum.Macros = slices.Grow(sum.Macros, defines)
	var conds conditionStack
	guard := includeGuard(dirs)
	for i, d := range dirs {
		if len(d.toks) == 0 {
			continue
		}
		conds.follow(d, i == guard)
		switch d.toks[0].text {
		case "define":
			if m, ok := parseDefine(d, src, lines); ok {
				m.Condition = conds.hash()
				sum.Macros = append(sum.Macros, m)
			}
		case "include", "include_next", "import":
			if len(d.toks) > 1 {
				inc := string(src[d.toks[1].start:d.toks[len(d.toks)-1].end])
				sum.Includes = append(sum.Includes, strings.TrimSpace(inc))
			}
		}
	}
	if len(sum.Macros) == len(had) {
		sum.Macros = had // nothing added: as it was, nil included
	}
}

// parseDefine reads one #define. Parameters are hashed by position, so
// renaming a macro parameter is not a change.
func parseDefine(d directive, src []byte, lines lineIndex) (Macro, bool) {
	if len(d.toks) < 2 || !isIdentByte(d.toks[1].text[0]) {
		return Macro{}, false
	}
	name := d.toks[1]
	m := Macro{Name: strings.Clone(name.text), Span: lines.span(d.start, d.end)}
	body := d.toks[2:]
	// Object-like macros (most of a register header's 12,000) need no
	// renaming: nil reads as empty.
	var rename map[string]string
	// A function-like macro has '(' right after its name, no space.
	if len(body) > 0 && body[0].text == "(" && body[0].start == name.end {
		m.FunctionLike = true
		m.Params = []string{}
		rename = map[string]string{}
		i := 1
		for ; i < len(body) && body[i].text != ")"; i++ {
			if t := body[i].text; t != "," {
				rename[t] = "$" + strconv.Itoa(len(m.Params))
				m.Params = append(m.Params, strings.Clone(t))
			}
		}
		if i < len(body) {
			i++
		}
		body = body[i:]
	}
	// The hash of the parts ("fn", the parameter count, the body with
	// parameters renamed), added one by one as hashStrings would.
	h := newTokenHash()
	if m.FunctionLike {
		h.add("fn")
		h.add(strconv.Itoa(len(m.Params)))
	}
	var asm asmOperands
	for _, t := range body {
		switch r, ok := rename[t.text]; {
		case asm.stringOf(t.text):
			h.addAsmString(t.text) // blanks normalized, as in a body
		case ok:
			h.add(r)
		default:
			h.add(t.text)
		}
	}
	m.ValueHash = h.String()
	return m, true
}

// conditionStack follows the conditionals open at each directive: per
// level, the tokens of its opening directive and of the branch the
// directives after it are in.
type conditionStack struct {
	levels []conditionLevel
	// hashed is the hash of levels, valid until the next conditional
	// directive: a register header's thousands of definitions under one
	// #if share it.
	hashed string
	stale  bool
}

type conditionLevel struct {
	open, branch []token
	guard        bool // the include guard, or a test of the language: no condition of its definitions
}

// follow takes directive d into account; guard says d opens the include
// guard.
func (c *conditionStack) follow(d directive, guard bool) {
	switch d.toks[0].text {
	case "if", "ifdef", "ifndef", "elif", "elifdef", "elifndef", "else", "endif":
		c.stale = true
	}
	switch d.toks[0].text {
	case "if", "ifdef", "ifndef":
		c.levels = append(c.levels, conditionLevel{open: d.toks, guard: guard || languageOnly(d.toks[1:])})
	case "elif", "elifdef", "elifndef", "else":
		if n := len(c.levels); n > 0 {
			c.levels[n-1].branch = d.toks
		}
	case "endif":
		if n := len(c.levels); n > 0 {
			c.levels = c.levels[:n-1]
		}
	}
}

// hash is the hash of the open conditionals, "" when there are none.
func (c *conditionStack) hash() string {
	if c.stale {
		c.hashed, c.stale = c.levelsHash(), false
	}
	return c.hashed
}

// levelsHash hashes each level not left out: its opening directive and
// its branch.
func (c *conditionStack) levelsHash() string {
	h, any := newTokenHash(), false
	for _, l := range c.levels {
		if l.guard {
			continue
		}
		any = true
		for _, toks := range [][]token{l.open, l.branch} {
			h.add("#")
			for _, t := range toks {
				h.add(t.text)
			}
		}
	}
	if !any {
		return ""
	}
	return h.String()
}

// languageOnly reports whether a condition tests only the language a
// header is read as (`#ifndef __ASSEMBLER__` around xv6's C declarations,
// `#ifdef __IAR_SYSTEMS_ICC__` around the C part of a FreeRTOS IAR port's
// portmacro.h): in every C translation it holds alike, so its definitions
// are not conditional on any configuration.
func languageOnly(toks []token) bool {
	named := false
	for _, t := range toks {
		switch {
		case languageMacro(t.text):
			named = true
		case t.text == "defined" || !isIdentByte(t.text[0]):
		default:
			return false
		}
	}
	return named
}

var languageMacros = map[string]bool{"__ASSEMBLER__": true, "__ASSEMBLY__": true, "__ASM__": true, "__cplusplus": true,
	"__IAR_SYSTEMS_ICC__": true, "__IAR_SYSTEMS_ASM__": true}

// languageMacro reports whether name is predefined by what reads the file,
// a C or C++ compiler or an assembler, and by nothing else: the names of
// languageMacros, and IAR's per-target ones (`__ICCARM__` for its ARM C
// compiler, `__IASMRL78__` for its RL78 assembler).
func languageMacro(name string) bool {
	if languageMacros[name] {
		return true
	}
	rest, ok := strings.CutPrefix(name, "__ICC")
	if !ok {
		rest, ok = strings.CutPrefix(name, "__IASM")
	}
	target, ok2 := strings.CutSuffix(rest, "__")
	return ok && ok2 && target != "" && strings.ToUpper(target) == target && !strings.Contains(target, "_")
}

// includeGuard is the index of the directive that opens dirs' include
// guard ("#ifndef X" or "#if !defined(X)" first, "#define X" next), or -1.
func includeGuard(dirs []directive) int {
	if len(dirs) < 2 || len(dirs[0].toks) < 2 || len(dirs[1].toks) < 2 || dirs[1].toks[0].text != "define" {
		return -1
	}
	switch dirs[0].toks[0].text {
	case "ifndef", "if":
	default:
		return -1
	}
	name := dirs[1].toks[1].text
	for _, t := range dirs[0].toks[1:] {
		if t.text == name {
			return 0
		}
	}
	return -1
}
