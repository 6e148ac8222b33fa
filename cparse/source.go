package cparse

import (
	"bytes"
	"slices"
	"sync"
	"unsafe"
)

// source is the text of one file being parsed, with what several passes
// read of it computed once: its tokens, its preprocessor directives and
// its line index. A parse used to scan the directives of the same text up
// to eight times (the self-include check, the include walk, the macros
// and includes, the alternative headers, the macro-type definitions, the
// tolerant fallback doing three of those again) and build its line index
// up to five times; on FreeRTOS's history the directive scans alone
// allocated more than a tenth of what parsing did.
//
// A source belongs to one parse: it is not safe for concurrent use, and
// its text must not change once a pass has read it.
type source struct {
	src      []byte
	dirs     []directive
	dirsDone bool
	lines    lineIndex
	// toks are every token of the text (tokens), in a pooled buffer.
	toks    []token
	toksBuf *[]token
	// whole marks the text of the file a parse reads: its tokens are
	// lexed anyway (for its token hash), so its directives are found among
	// them, where its trivia allows (plainTrivia), and not by a scan of
	// their own. A header read for its definitions is only scanned.
	whole bool
	// plain caches plainTrivia: 0 unknown, 1 yes, 2 no.
	plain int8
}

// newWholeSource returns the source of the text of the file a parse
// reads (source.whole).
func newWholeSource(src []byte) *source { return &source{src: src, whole: true} }

func newSource(src []byte) *source { return &source{src: src} }

// directives returns the text's directives (scanDirectives), found on
// first use: among the tokens of a whole file's text, by a scan of their
// own otherwise. Callers read them and must not change them.
func (s *source) directives() []directive {
	if !s.dirsDone {
		if s.whole && s.plainTrivia() {
			s.dirs = directivesAmong(s.src, s.tokens())
		} else {
			s.dirs = scanDirectives(s.src)
		}
		s.dirsDone = true
	}
	return s.dirs
}

// lineIndex returns the text's line index, built on first use.
func (s *source) lineIndex() lineIndex {
	if s.lines == nil {
		s.lines = newLineIndex(s.src)
	}
	return s.lines
}

// tokens returns every token of the text, lexed on first use; callers
// must not change them. The tolerant engine lexed the text again and
// again: the whole of it for its token hash, each body, each declaration's
// type; it now takes their tokens from this one list (tokensIn).
func (s *source) tokens() []token {
	if s.toksBuf == nil {
		s.toksBuf = getTokenBuf()
		s.toks = appendTokens(*s.toksBuf, s.src, 0, len(s.src))
	}
	return s.toks
}

// release gives the tokens' buffer back to the pool: nothing may read
// them after.
func (s *source) release() {
	if s.toksBuf != nil {
		putTokenBuf(s.toksBuf, s.toks)
		s.toks, s.toksBuf = nil, nil
	}
}

// tokensIn returns the tokens of src[from:to], as lexTokens lexes them,
// from the text's tokens; ok is false, and the caller lexes the range,
// where they could differ: when from or to falls inside a token, or
// inside a comment or an escaped newline (lexed alone, the range would
// read a comment's end as code, or a comment's start as an operator). The
// range starts where a token does or in blanks between two, and ends
// where a token does or in blanks after it. A nil s has no tokens.
func (s *source) tokensIn(from, to int) (toks []token, ok bool) {
	if s == nil {
		return nil, false
	}
	from, to = max(from, 0), min(to, len(s.src))
	if from >= to {
		return nil, true
	}
	all := s.tokens()
	a, _ := slices.BinarySearchFunc(all, from, func(t token, off int) int { return t.start - off })
	b, _ := slices.BinarySearchFunc(all[a:], to, func(t token, off int) int { return t.start - off })
	b += a
	if a == len(all) || all[a].start != from {
		// from is in blanks: all of them, from the token before on.
		gapStart, gapEnd := 0, len(s.src)
		if a > 0 {
			gapStart = all[a-1].end
		}
		if a < len(all) {
			gapEnd = all[a].start
		}
		if gapStart > from || !allBlank(s.src[gapStart:gapEnd]) {
			return nil, false
		}
	}
	if b > a && all[b-1].end > to {
		return nil, false // the last token runs past to
	}
	if last := max(from, lastEnd(all[a:b])); last < to && !allBlank(s.src[last:to]) {
		return nil, false // a comment or an escaped newline at the end
	}
	return all[a:b:b], true
}

// lastEnd is where the last of toks ends, 0 when there is none.
func lastEnd(toks []token) int {
	if len(toks) == 0 {
		return 0
	}
	return toks[len(toks)-1].end
}

// allBlank reports whether text holds only blanks and newlines.
func allBlank(text []byte) bool {
	for _, c := range text {
		if !isBlankByte(c) {
			return false
		}
	}
	return true
}

// plainTrivia reports whether the lexer and the light scans read the
// text's trivia alike, so that what those scans find (directives, the
// file scope) can be found among the tokens (directivesAmong,
// declarationTokensAmong). They part ways on two spellings only, which
// nextToken reads as trivia and skipTrivia and directiveEnd do not: a
// backslash before a carriage return, and a backslash-newline that
// continues a line comment (the lexer reads the next line as comment, the
// scans as code).
func (s *source) plainTrivia() bool {
	if s.plain == 0 {
		s.plain = 2
		if plainTrivia(s.src, s.tokens()) {
			s.plain = 1
		}
	}
	return s.plain == 1
}

// plainTrivia is source.plainTrivia of src, whose tokens are toks.
func plainTrivia(src []byte, toks []token) bool {
	if bytes.Contains(src, []byte("\\\r")) {
		return false
	}
	for i := 0; ; {
		k := bytes.Index(src[i:], []byte("\\\n"))
		if k < 0 {
			return true
		}
		i += k
		if continuesLineComment(src, toks, i) {
			return false
		}
		i += 2
	}
}

// continuesLineComment reports whether the backslash at p, before a
// newline, is inside a line comment as nextToken reads it (toks are every
// token of src): it then continues the comment. The backslashes-newlines
// before p are known not to.
func continuesLineComment(src []byte, toks []token, p int) bool {
	a, _ := slices.BinarySearchFunc(toks, p, func(t token, off int) int { return t.start - off })
	gap := 0 // the trivia holding p starts where the token before it ends
	if a > 0 {
		if gap = toks[a-1].end; gap > p {
			return false // inside a literal
		}
	}
	for j := gap; j < p; {
		switch {
		case src[j] == '/' && src[j+1] == '*':
			if j = skipBlockComment(src, j); j > p {
				return false
			}
		case src[j] == '/' && src[j+1] == '/':
			// The comment's first newline not escaped before p is its end.
			if j = lineEnd(src, j); j > p {
				return true
			}
		default:
			j++
		}
	}
	return false
}

// textCopies holds the buffers the blanking passes before tree-sitter
// copy the text into. Each pass copied the whole file when it first
// blanked something, five copies a parse at most, each garbage once the
// next pass had made its own. Two buffers serve them all: a pass reads
// one text and writes a copy of it, and the copy goes to the buffer that
// does not hold what it reads (the text the pass before made, or the
// file's own, which is never one of them).
type textCopies struct {
	bufs [2][]byte
}

var textCopiesPool = sync.Pool{New: func() any { return new(textCopies) }}

// getTextCopies returns buffers from the pool; putTextCopies gives them
// back once no text copied into them is read any more.
func getTextCopies() *textCopies { return textCopiesPool.Get().(*textCopies) }

func putTextCopies(c *textCopies) { textCopiesPool.Put(c) }

// copyOf returns a copy of in, in the buffer that does not hold in; a nil
// c allocates it.
func (c *textCopies) copyOf(in []byte) []byte {
	if c == nil {
		return append([]byte(nil), in...)
	}
	k := 0
	if len(in) > 0 && cap(c.bufs[0]) > 0 && unsafe.SliceData(c.bufs[0]) == unsafe.SliceData(in) {
		k = 1
	}
	c.bufs[k] = append(c.bufs[k][:0], in...)
	return c.bufs[k]
}
