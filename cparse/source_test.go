package cparse

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"unsafe"
)

// TestTextCopiesNeverOverwriteTheirInput chains copies as the blanking
// passes do (each pass copies what the one before made) and checks that
// no copy lands in the buffer it reads: a pass would then blank the text it
// is still scanning.
func TestTextCopiesNeverOverwriteTheirInput(t *testing.T) {
	c := new(textCopies)
	src := []byte("int f(void) { return 1; }\n")
	text := src
	for i := 0; i < 5; i++ {
		next := c.copyOf(text)
		if unsafe.SliceData(next) == unsafe.SliceData(text) {
			t.Fatalf("copy %d is in the buffer it copies", i)
		}
		if !bytes.Equal(next, text) {
			t.Fatalf("copy %d = %q, want %q", i, next, text)
		}
		next[i] = ' ' // a pass blanks its copy
		text = next
	}
	if string(src) != "int f(void) { return 1; }\n" {
		t.Fatalf("the file's own text changed: %q", src)
	}
	if got := string(text); got != "     (void) { return 1; }\n" {
		t.Fatalf("chained copies gave %q", got)
	}
}

// TestCheckedHeadersKeyedByPath checks that the memo of Open's checks
// tells the same text at two paths apart: whether a header includes itself
// depends on its name.
func TestCheckedHeadersKeyedByPath(t *testing.T) {
	data := []byte("#include \"a.h\"\nint x;\n")
	if !checkHeader("inc/a.h", data).selfIncluding {
		t.Fatal("inc/a.h including \"a.h\" not found to include itself")
	}
	if checkHeader("inc/b.h", data).selfIncluding {
		t.Fatal("inc/b.h including \"a.h\" found to include itself: the memo answered for inc/a.h")
	}
	if !checkHeader("inc/a.h", data).selfIncluding {
		t.Fatal("inc/a.h's memoized check lost")
	}
}

// checkTokensIn asserts that the file's tokens source.tokensIn hands out
// for src[from:to] are the range's own, and that a range from a token's
// start to a token's end is served.
func checkTokensIn(t *testing.T, src []byte, from, to int) {
	s := newSource(src)
	defer s.release()
	got, ok := s.tokensIn(from, to)
	if !ok {
		all := s.tokens()
		for _, a := range all {
			for _, b := range all {
				if a.start == from && b.end == to {
					t.Fatalf("tokens of %q[%d:%d], from a token's start to a token's end, not served", src, from, to)
				}
			}
		}
		return
	}
	if want := lexTokens(src, from, to); len(got) != len(want) || len(got) > 0 && !slices.Equal(got, want) {
		t.Fatalf("tokens of %q[%d:%d]:\n got %v\nwant %v", src, from, to, got, want)
	}
}

// TestTokensIn tries every range of the lexer's seeds.
func TestTokensIn(t *testing.T) {
	for _, s := range append(lexerSeeds, "int f(void) { return g(x); }\nstatic int y = 3;\n") {
		for from := -1; from <= len(s)+1; from++ {
			for to := from; to <= len(s)+1; to++ {
				checkTokensIn(t, []byte(s), from, to)
			}
		}
	}
}

func FuzzTokensIn(f *testing.F) {
	for _, s := range lexerSeeds {
		f.Add([]byte(s), uint16(0), uint16(len(s)))
		f.Add([]byte(s), uint16(3), uint16(len(s)-2))
	}
	f.Fuzz(func(t *testing.T, src []byte, from, to uint16) {
		checkTokensIn(t, src, int(from), int(to))
	})
}

// A CRLF file's multi-line macro is one directive, as in an LF file: its
// continuation lines do not spill into the declarations (FreeRTOS's WizC
// portmacro.h read as functions named _Pragma and pointer before 01820d3e
// made its line ends LF). Offsets and lines stay.
func TestCRLFContinuations(t *testing.T) {
	lf := "#define portSAVE_CONTEXT()\t\\\n\tdo {\t\\\n\t\tpush(pointer stack);\t\\\n\t} while (0)\nvoid vPortYield(void);\n"
	crlf := strings.ReplaceAll(lf, "\n", "\r\n")
	for _, src := range []string{lf, crlf} {
		sum := tolerant(t, "portmacro.h", src)
		if len(sum.Functions) != 1 || sum.Functions[0].Name != "vPortYield" || len(sum.Globals) != 0 || len(sum.Macros) != 1 {
			t.Errorf("%q: functions %+v, globals %+v, macros %+v, want vPortYield and portSAVE_CONTEXT", src, sum.Functions, sum.Globals, sum.Macros)
		}
	}
	if got := Diff(tolerant(t, "portmacro.h", lf), tolerant(t, "portmacro.h", crlf)); len(got) != 0 {
		t.Errorf("line ends made CRLF: %+v, want no change", got)
	}
	if got := string(withLFContinuations([]byte("a \\\r\nb \\\r\n\\\r\n"))); got != "a  \\\nb  \\\n \\\n" {
		t.Errorf("withLFContinuations: %q", got)
	}
}
