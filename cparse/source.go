package cparse

import (
	"sync"
	"unsafe"
)

// source is the text of one file being parsed, with what several passes
// read of it computed once: its preprocessor directives and its line
// index. A parse used to scan the directives of the same text up to eight
// times (the self-include check, the include walk, the macros and
// includes, the alternative headers, the macro-type definitions, the
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
}

func newSource(src []byte) *source { return &source{src: src} }

// directives returns the text's directives (scanDirectives), scanned on
// first use. Callers read them and must not change them.
func (s *source) directives() []directive {
	if !s.dirsDone {
		s.dirs = scanDirectives(s.src)
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
