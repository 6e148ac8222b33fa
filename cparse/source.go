package cparse

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
