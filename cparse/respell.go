package cparse

// This file implements summaries of respelled versions: a file whose new
// version differs from its old one only in comments and in blank or
// comment-only lines has the old version's summary, its positions moved
// to where the same code now stands. Vendor trees change that way by the
// thousand (a version number or a copyright year in every file's header
// comment: 84% of FreeRTOS-Kernel's modified C files), and moving
// positions costs a scan where a parse costs a hundred times more.

import (
	"bytes"
	"slices"
	"sync"
)

// Respelled returns the summary of newSrc at path, derived from old, the
// summary of oldSrc, when the two differ only in comments and in lines
// holding nothing else: every line with code reads the same (comments
// blanked, trailing blanks ignored), in the same order. Positions (spans,
// error lines) move with their lines; everything else is old's.
//
// It declines (ok false) whenever the derived summary might not be what a
// parse of newSrc gives:
//   - code differs;
//   - a comment changes inside an entity's text, or after a line that
//     does not end a declaration (an attribute macro's own line);
//   - a comment changes on or after the line where old's parse began to
//     recover from syntax it did not understand (where comments fall can
//     change a recovery);
//   - a position of old lies in a comment or on a line without code, or
//     ends a line that has more after its code now;
//   - the file uses __LINE__ or #line, whose values move with the lines;
//   - a comment spanning lines joins two lines of code (a directive would
//     read on past it), or a line splice continues onto a line without
//     code;
//   - a C++ raw string, or a comment marker split by a line splice, which
//     the scan does not follow; an unterminated comment;
//   - old was cut short by a limit (its time budget, on a loaded machine).
//
// The caller still owns what lies outside the file: that the headers old
// read, and the engine's choice, hold for newSrc.
func Respelled(old *Summary, path string, oldSrc, newSrc []byte) (*Summary, bool) {
	if old == nil || old.Engine == EngineAsm || old.Lang == LangAsm {
		return nil, false
	}
	for _, e := range old.Errors {
		if e.Limit != nil {
			return nil, false // cut short: a parse of newSrc may not be
		}
	}
	a, ok := codeLinesOf(oldSrc)
	if !ok {
		return nil, false
	}
	defer a.release()
	b, ok := codeLinesOf(newSrc)
	if !ok {
		return nil, false
	}
	defer b.release()
	same, lastChange := a.sameCode(b)
	if !same || old.Recovered > 0 && lastChange >= old.Recovered-1 {
		// Comments changed where the parse recovers, or after: where
		// they fall can change the recovery.
		return nil, false
	}
	m := lineMap{from: a, to: b}
	sum := old.clone()
	sum.Path = path
	sum.CPU = 0
	for _, sp := range sum.spans() {
		from := *sp.span
		if !m.moveSpan(sp.span) {
			return nil, false
		}
		// An entity's own text moves whole: a comment changed inside a
		// declaration can change what a tolerant parse makes of it (a
		// K&R parameter list). A macro is one directive, read alike.
		if !sp.macro && !bytes.Equal(oldSrc[from.StartByte:from.EndByte], newSrc[sp.span.StartByte:sp.span.EndByte]) {
			return nil, false
		}
	}
	if sum.Recovered > 0 {
		if sum.Recovered, ok = m.line(sum.Recovered); !ok {
			return nil, false
		}
	}
	for i := range sum.Errors {
		e := &sum.Errors[i]
		if e.Line <= 0 {
			continue
		}
		if e.Line, ok = m.line(e.Line); !ok {
			return nil, false
		}
	}
	return sum, true
}

// codeLines is a file's lines as the respelling check sees them: comments
// blanked, and which lines then hold code.
type codeLines struct {
	src    []byte
	starts lineIndex // byte offset of each line's start
	// code are the indices of the lines holding code, in order; content
	// is each one's text, comments blanked and trailing blanks cut.
	code    []int
	content [][]byte
	// codeIndex maps a line index to its place in code, -1 for a line
	// without code.
	codeIndex []int32
	// blanked is src with its comments blanked, which content slices.
	blanked []byte
}

// codeLinesPool keeps the scan's buffers between files: FreeRTOS's history
// scans 90,000 pairs of versions, and their copies and indexes were a
// tenth of the analysis's allocation.
var codeLinesPool = sync.Pool{New: func() any { return new(codeLines) }}

// release returns c's buffers to the pool; c is not used after.
func (c *codeLines) release() {
	c.src = nil
	codeLinesPool.Put(c)
}

// sameCode reports whether a and b hold the same code, line for line, and
// lastChange: the index in a of the line of code after the last place
// their comments or blank lines differ (the number of lines when that is
// after the last line of code; -1 when they do not differ).
func (a *codeLines) sameCode(b *codeLines) (same bool, lastChange int) {
	lastChange = -1
	if len(a.code) != len(b.code) {
		return false, 0
	}
	if len(a.code) == 0 {
		if !bytes.Equal(a.src, b.src) {
			lastChange = len(a.starts)
		}
		return true, lastChange
	}
	if !bytes.Equal(a.src[:a.starts[a.code[0]]], b.src[:b.starts[b.code[0]]]) {
		lastChange = a.code[0]
	}
	for k := range a.code {
		if !bytes.Equal(a.content[k], b.content[k]) {
			return false, 0
		}
		if k > 0 && !bytes.Equal(a.gapBefore(k), b.gapBefore(k)) {
			// Comments changed after a line that does not end a
			// declaration or a directive (an attribute macro on a
			// line of its own) can change what the text passes make
			// of the lines they join.
			if !endsDeclaration(a.content[k-1]) {
				return false, 0
			}
			lastChange = a.code[k]
		}
		// A splice continues a line onto the next: that one must be the
		// next line of code in both versions.
		if c := a.content[k]; len(c) > 0 && c[len(c)-1] == '\\' {
			if k+1 >= len(a.code) || a.code[k+1] != a.code[k]+1 || b.code[k+1] != b.code[k]+1 {
				return false, 0
			}
		}
	}
	n := len(a.code) - 1
	if !bytes.Equal(a.src[a.starts[a.code[n]]+len(a.content[n]):], b.src[b.starts[b.code[n]]+len(b.content[n]):]) {
		lastChange = len(a.starts)
	}
	return true, lastChange
}

// gapBefore is the text between line k-1 of code's code and line k of
// code: trailing comments and blanks, lines without code.
func (c *codeLines) gapBefore(k int) []byte {
	return c.src[c.starts[c.code[k-1]]+len(c.content[k-1]) : c.starts[c.code[k]]]
}

// endsDeclaration reports whether a line of code ends a declaration, a
// definition or a block, or is a directive.
func endsDeclaration(code []byte) bool {
	if t := bytes.TrimLeft(code, " \t"); len(t) > 0 && t[0] == '#' {
		return code[len(code)-1] != '\\'
	}
	switch code[len(code)-1] {
	case ';', '}', '{':
		return true
	}
	return false
}

// lineLen is line i's length, its newline not counted.
func (c *codeLines) lineLen(i int) int {
	end := len(c.src)
	if i+1 < len(c.starts) {
		end = c.starts[i+1] - 1
	}
	return end - c.starts[i]
}

// lineOf is the index of the line holding byte offset off.
func (c *codeLines) lineOf(off int) int { return c.starts.line(off) - 1 }

// respellStops are the bytes the comment scan looks at in code; it skips
// every other byte in a tight loop.
var respellStops = func() (t [256]bool) {
	for _, b := range []byte("\n/\"'#<\\") {
		t[b] = true
	}
	return t
}()

// codeLinesOf blanks src's comments and indexes its lines of code; ok is
// false where the scan cannot be sure what is a comment.
func codeLinesOf(src []byte) (*codeLines, bool) {
	if bytes.Contains(src, []byte("__LINE__")) {
		return nil, false
	}
	c := codeLinesPool.Get().(*codeLines)
	c.blanked = append(c.blanked[:0], src...)
	if c, ok := c.scan(src); ok {
		return c, true
	}
	c.release()
	return nil, false
}

// scan is codeLinesOf's work, into c's buffers: c.blanked holds a copy of
// src.
func (c *codeLines) scan(src []byte) (*codeLines, bool) {
	blanked := c.blanked
	for i := 0; i < len(src); {
		for i < len(src) && !respellStops[src[i]] {
			i++
		}
		if i >= len(src) {
			break
		}
		switch src[i] {
		case '/':
			switch next := byteAt(src, i+1); next {
			case '/':
				end := lineCommentEnd(src, i)
				blankComment(blanked[i:end])
				i = end
			case '*':
				k := bytes.Index(src[i+2:], []byte("*/"))
				if k < 0 {
					return nil, false // unterminated
				}
				end := i + 2 + k + 2
				comment := src[i:end]
				if bytes.Contains(comment, []byte("*\\\n")) || bytes.Contains(comment, []byte("*\\\r\n")) {
					return nil, false // its end split by a splice
				}
				if bytes.IndexByte(comment, '\n') >= 0 && codeBefore(blanked, i) && restOfLineHasCode(src[end:]) {
					// Code before it on its first line and after it on
					// its last: the comment joins them (a directive
					// reads on).
					return nil, false
				}
				blankComment(blanked[i:end])
				i = end
			default:
				i++
			}
		case '"':
			if i > 0 && src[i-1] == 'R' && (i < 2 || !isIdentByte(src[i-2]) || src[i-2] == '8' || src[i-2] == 'L' || src[i-2] == 'u' || src[i-2] == 'U') {
				return nil, false // a C++ raw string
			}
			i = literalEnd(src, i)
		case '\'':
			if digitSeparator(src, i) {
				i++
				continue
			}
			i = literalEnd(src, i)
		case '#':
			if !codeBefore(blanked, i) {
				rest := bytes.TrimLeft(src[i+1:min(len(src), i+64)], " \t")
				if bytes.HasPrefix(rest, []byte("line")) && (len(rest) == 4 || !isIdentByte(rest[4])) {
					return nil, false
				}
			}
			i++
		case '<':
			if includeDirective(blanked, i) {
				if k := bytes.IndexAny(src[i:], ">\n"); k > 0 && src[i+k] == '>' {
					i += k
				}
			}
			i++
		case '\\':
			// A splice in code: a comment marker split across it is
			// beyond this scan.
			nl := i + 1
			if byteAt(src, nl) == '\r' {
				nl++
			}
			if byteAt(src, nl) == '\n' {
				if i > 0 && (src[i-1] == '/' || src[i-1] == '*') || byteAt(src, nl+1) == '/' || byteAt(src, nl+1) == '*' {
					return nil, false
				}
			}
			i++
		default: // '\n'
			i++
		}
	}
	c.src, c.starts = src, appendLineIndex(c.starts, src)
	c.codeIndex = slices.Grow(c.codeIndex[:0], len(c.starts))[:len(c.starts)]
	c.code, c.content = c.code[:0], c.content[:0]
	for i := range c.starts {
		text := bytes.TrimRight(blanked[c.starts[i]:c.starts[i]+c.lineLen(i)], " \t\r\f\v")
		if len(text) == 0 {
			c.codeIndex[i] = -1
			continue
		}
		c.codeIndex[i] = int32(len(c.code))
		c.code = append(c.code, i)
		c.content = append(c.content, text)
	}
	return c, true
}

func byteAt(src []byte, i int) byte {
	if i < len(src) {
		return src[i]
	}
	return 0
}

// lineCommentEnd is where the // comment at i ends: its line's newline,
// after any lines a splice continues it onto.
func lineCommentEnd(src []byte, i int) int {
	for {
		k := bytes.IndexByte(src[i:], '\n')
		if k < 0 {
			return len(src)
		}
		end := i + k
		e := end - 1
		if e > i && src[e] == '\r' {
			e--
		}
		if e > i && src[e] == '\\' {
			i = end + 1
			continue
		}
		return end
	}
}

// blankComment blanks a comment's bytes but its newlines.
func blankComment(b []byte) {
	for i, ch := range b {
		if ch != '\n' {
			b[i] = ' '
		}
	}
}

// literalEnd is the end of the string or character literal opening at i:
// after its closing quote, or at the newline that leaves it unterminated.
func literalEnd(src []byte, i int) int {
	quote := src[i]
	for j := i + 1; j < len(src); j++ {
		switch src[j] {
		case '\\':
			j++
			if byteAt(src, j) == '\r' && byteAt(src, j+1) == '\n' {
				j++
			}
		case quote:
			return j + 1
		case '\n':
			return j
		}
	}
	return len(src)
}

// digitSeparator reports whether the quote at i separates digits of a
// number (C++14, C23: 1'000'000) rather than opening a literal.
func digitSeparator(src []byte, i int) bool {
	j := i
	for j > 0 && (isIdentByte(src[j-1]) || src[j-1] == '.') {
		j--
	}
	return j < i && (src[j] >= '0' && src[j] <= '9' || src[j] == '.' && src[j+1] >= '0' && src[j+1] <= '9') && isIdentByte(byteAt(src, i+1))
}

// codeBefore reports whether anything but blanks precedes offset i on its
// line (comments before it already blanked).
func codeBefore(blanked []byte, i int) bool {
	for j := i - 1; j >= 0 && blanked[j] != '\n'; j-- {
		switch blanked[j] {
		case ' ', '\t', '\r', '\f', '\v':
		default:
			return true
		}
	}
	return false
}

// includeDirective reports whether the line holding offset i is an
// #include directive: its <...> is a name, in which // is no comment.
func includeDirective(blanked []byte, i int) bool {
	start := bytes.LastIndexByte(blanked[:i], '\n') + 1
	line := bytes.TrimLeft(blanked[start:i], " \t")
	if len(line) == 0 || line[0] != '#' {
		return false
	}
	return bytes.HasPrefix(bytes.TrimLeft(line[1:], " \t"), []byte("include"))
}

// restOfLineHasCode reports whether the rest of a line holds anything but
// blanks before its end or a comment's start.
func restOfLineHasCode(rest []byte) bool {
	for i, ch := range rest {
		switch ch {
		case '\n':
			return false
		case ' ', '\t', '\r', '\f', '\v':
		case '/':
			if i+1 < len(rest) && (rest[i+1] == '/' || rest[i+1] == '*') {
				return false
			}
			return true
		default:
			return true
		}
	}
	return false
}

// lineMap moves positions of one version to the other: line k of code in
// from is line k of code in to.
type lineMap struct{ from, to *codeLines }

// pos moves byte offset off, a character of from: a character of a line's
// code keeps its column; a line's end (its newline, or the end of the
// file) stays its line's end. Anything else (a comment, a line without
// code, trailing blanks) has no place to go.
func (m lineMap) pos(off int) (int, bool) {
	if off < 0 || off > len(m.from.src) {
		return 0, false
	}
	l := m.from.lineOf(off)
	k := m.from.codeIndex[l]
	if k < 0 {
		return 0, false
	}
	col := off - m.from.starts[l]
	nl := m.to.code[k]
	switch {
	case col < len(m.from.content[k]):
		return m.to.starts[nl] + col, true
	case col == m.from.lineLen(l):
		if atEOF, toEOF := off == len(m.from.src), m.to.starts[nl]+m.to.lineLen(nl) == len(m.to.src); atEOF != toEOF {
			return 0, false
		}
		return m.to.starts[nl] + m.to.lineLen(nl), true
	}
	return 0, false
}

// end moves the exclusive end of a span, end > 0: after a character of
// code, after its line's last character (a trailing comment the span
// took in: it takes the new one), or after its newline.
func (m lineMap) end(end int) (int, bool) {
	if end <= 0 || end > len(m.from.src) {
		return 0, false
	}
	l := m.from.lineOf(end - 1)
	k := m.from.codeIndex[l]
	if k < 0 {
		return 0, false
	}
	col := end - m.from.starts[l]
	nl := m.to.code[k]
	switch {
	case col == len(m.from.content[k]) && col == m.from.lineLen(l) && m.to.lineLen(nl) != col:
		// The end of the line's code and of the line alike: whether the
		// span ends with the code or takes in what follows it on the
		// line (a macro takes a trailing comment in) cannot tell where
		// the new line has more.
		return 0, false
	case col <= len(m.from.content[k]):
		return m.to.starts[nl] + col, true
	case col == m.from.lineLen(l):
		return m.to.starts[nl] + m.to.lineLen(nl), true
	case col == m.from.lineLen(l)+1:
		return m.to.starts[nl] + m.to.lineLen(nl) + 1, true
	}
	return 0, false
}

// line moves a 1-based line number, which must hold code.
func (m lineMap) line(n int) (int, bool) {
	if n < 1 || n > len(m.from.starts) {
		return 0, false
	}
	k := m.from.codeIndex[n-1]
	if k < 0 {
		return 0, false
	}
	return m.to.code[k] + 1, true
}

// moveSpan moves sp's bytes and lines; each line moves with the byte it
// was counted from, so whatever convention an engine keeps (the last
// byte's line, the line after) is kept.
func (m lineMap) moveSpan(sp *Span) bool {
	start, ok := m.pos(sp.StartByte)
	if !ok {
		return false
	}
	startLine := sp.StartLine + m.to.lineOf(start) - m.from.lineOf(sp.StartByte)
	end, endLine := start, sp.EndLine+m.to.lineOf(start)-m.from.lineOf(sp.StartByte)
	switch {
	case sp.EndByte > sp.StartByte:
		if end, ok = m.end(sp.EndByte); !ok {
			return false
		}
		endLine = sp.EndLine + m.to.lineOf(end-1) - m.from.lineOf(sp.EndByte-1)
	case sp.EndByte < sp.StartByte:
		return false
	}
	sp.StartLine, sp.EndLine, sp.StartByte, sp.EndByte = startLine, endLine, start, end
	return true
}

// entitySpan is one position a summary holds, and whether a macro's.
type entitySpan struct {
	span  *Span
	macro bool
}

// spans lists every position s holds, to move them.
func (s *Summary) spans() []entitySpan {
	var out []entitySpan
	add := func(sp *Span, macro bool) { out = append(out, entitySpan{span: sp, macro: macro}) }
	for i := range s.Functions {
		f := &s.Functions[i]
		add(&f.Span, false)
		for j := range f.StaticLocals {
			add(&f.StaticLocals[j].Span, false)
		}
	}
	for i := range s.Types {
		add(&s.Types[i].Span, false)
	}
	for i := range s.Typedefs {
		add(&s.Typedefs[i].Span, false)
	}
	for i := range s.Globals {
		add(&s.Globals[i].Span, false)
	}
	for i := range s.Macros {
		add(&s.Macros[i].Span, true)
	}
	for i := range s.Asm {
		add(&s.Asm[i].Span, false)
	}
	return out
}

// clone copies s deeply enough that moving its positions leaves s as it
// was: the entity slices and what holds a position; names, hashes and
// members are shared, never written.
func (s *Summary) clone() *Summary {
	c := *s
	c.Functions = append([]Function(nil), s.Functions...)
	for i := range c.Functions {
		if locals := c.Functions[i].StaticLocals; locals != nil {
			c.Functions[i].StaticLocals = append([]Global(nil), locals...)
		}
	}
	c.Types = append([]Type(nil), s.Types...)
	c.Typedefs = append([]Typedef(nil), s.Typedefs...)
	c.Globals = append([]Global(nil), s.Globals...)
	c.Macros = append([]Macro(nil), s.Macros...)
	c.Asm = append([]Asm(nil), s.Asm...)
	c.Errors = append([]Error(nil), s.Errors...)
	return &c
}
