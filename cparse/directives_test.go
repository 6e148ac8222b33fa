package cparse

import (
	"slices"
	"testing"
)

// skipTriviaPiece is skipTrivia as it was, stepping over one piece of
// trivia per call: a scan calling either until it returns false must
// stop at the same offsets and see the same line starts.
func skipTriviaPiece(src []byte, i int, lineStart *bool) (int, bool) {
	n := len(src)
	switch c := src[i]; {
	case c == '\n':
		*lineStart = true
		return i + 1, true
	case c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v':
		return i + 1, true
	case c == '\\' && i+1 < n && src[i+1] == '\n':
		return i + 2, true
	case c == '/' && i+1 < n && src[i+1] == '*':
		i += 2
		for i+1 < n && !(src[i] == '*' && src[i+1] == '/') {
			i++
		}
		if i+1 >= n {
			return n, true
		}
		return i + 2, true
	case c == '/' && i+1 < n && src[i+1] == '/':
		for i < n && src[i] != '\n' {
			i++
		}
		return i, true
	}
	return i, false
}

// codeStops lists where a scan skipping trivia with skip stops, each with
// whether a line started there, stepping one byte over each stop.
func codeStops(src []byte, skip func([]byte, int, *bool) (int, bool)) (stops [][2]int) {
	lineStart := true
	for i := 0; i < len(src); {
		if next, ok := skip(src, i, &lineStart); ok {
			i = next
			continue
		}
		ls := 0
		if lineStart {
			ls = 1
		}
		stops = append(stops, [2]int{i, ls})
		lineStart = false
		i++
	}
	return stops
}

func FuzzSkipTrivia(f *testing.F) {
	for _, s := range lexerSeeds {
		f.Add([]byte(s))
	}
	f.Add([]byte("  \t \n   # define X /* a\n b */ \\\n y // z\n\n        int"))
	f.Fuzz(func(t *testing.T, src []byte) {
		if got, want := codeStops(src, skipTrivia), codeStops(src, skipTriviaPiece); !slices.Equal(got, want) {
			t.Fatalf("stops in %q:\n got %v\nwant %v", src, got, want)
		}
	})
}
