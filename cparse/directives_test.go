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

var directiveSeeds = []string{
	"#include <a.h>\n#define X(a) a ## b /* c\n d */ e\n int x; # define Y \\\n 2\n",
	"x; \\\n#define A\n/* a */ #if B // c\n#endif\n  ##define Z\n",
	"char *s = \"#define no\\\n#define still no\";\n'#'\n#error don't\n#pragma x\n",
	"int a; /* x\n#define NO */ #define NO2\n",
	"// a line comment \\\n#define CONTINUED\n",
	"#define CR \\\r\nint x;\n",
	"#",
	"\n#\n#\n",
}

// FuzzDirectivesAmong checks that where plainTrivia holds the directives
// found among the tokens are the ones scanDirectives finds, and that it
// does not hold where their readings could differ.
func FuzzDirectivesAmong(f *testing.F) {
	for _, s := range append(directiveSeeds, lexerSeeds...) {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		toks := lexTokens(src, 0, len(src))
		if !plainTrivia(src, toks) {
			return
		}
		got, want := directivesAmong(src, toks), scanDirectives(src)
		if len(got) != len(want) {
			t.Fatalf("%q: %d directives, want %d:\n got %v\nwant %v", src, len(got), len(want), got, want)
		}
		for i := range got {
			if got[i].start != want[i].start || got[i].end != want[i].end || !slices.Equal(got[i].toks, want[i].toks) {
				t.Fatalf("%q: directive %d = %v, want %v", src, i, got[i], want[i])
			}
		}
	})
}

func TestPlainTrivia(t *testing.T) {
	for src, want := range map[string]bool{
		"int x; // a comment\n#define A \\\n 1\n":  true,
		"// a comment \\\n#define CONTINUED\n":     false,
		"int x; /* a \\\n b */ // c\n":             true,
		"char *s = \"// \\\n\";\n":                 true,
		"#define CR \\\r\nint x;\n":                false,
		"int a; // one \\\\\nint b; // two \\\n x": false,
	} {
		if got := plainTrivia([]byte(src), lexTokens([]byte(src), 0, len(src))); got != want {
			t.Errorf("plainTrivia(%q) = %t, want %t", src, got, want)
		}
	}
}

func FuzzSkipSpacesAndNewlines(f *testing.F) {
	f.Add([]byte("        \n    \n\n   x"), 0)
	f.Add([]byte(" \n \t \x2a\x0a\x20"), 1)
	f.Fuzz(func(t *testing.T, src []byte, i int) {
		if i < 0 || i > len(src) {
			return
		}
		want := i
		for want < len(src) && (src[want] == ' ' || src[want] == '\n') {
			want++
		}
		if got := skipSpacesAndNewlines(src, i); got != want {
			t.Fatalf("skipSpacesAndNewlines(%q, %d) = %d, want %d", src, i, got, want)
		}
	})
}
