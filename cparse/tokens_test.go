package cparse

import (
	"slices"
	"strings"
	"testing"
)

// A pooled token buffer goes back to the pool holding no token, whatever
// its capacity: one grown for a large file and reused for a small one must
// not keep the large file's text alive (putTokenBuf clears only what its
// caller appended).
func TestPutTokenBufLeavesNoTokens(t *testing.T) {
	big := []byte(strings.Repeat("int x = 1;\n", 10_000))
	buf := new([]token)
	toks := appendTokens(*buf, big, 0, len(big))
	putTokenBuf(buf, toks)
	small := []byte("void f(void);")
	toks = appendTokens(*buf, small, 0, len(small))
	if len(toks) != 6 {
		t.Fatalf("tokens of %q = %d, want 6", small, len(toks))
	}
	putTokenBuf(buf, toks)
	all := (*buf)[:cap(*buf)]
	if len(all) < 40_000 {
		t.Fatalf("buffer capacity %d: the large file did not grow it", len(all))
	}
	for i, tok := range all {
		if tok != (token{}) {
			t.Fatalf("token %d of the returned buffer is %+v, want none", i, tok)
		}
	}
}

// lexBytewise is the lexer as it was before it stepped over blanks and
// comments by runs and bytes.Index (one byte at a time): nextToken must
// find the same tokens.
func lexBytewise(src []byte, from, to int) []token {
	var toks []token
	str := string(src)
	for i := from; i < to; {
		c := src[i]
		switch {
		case isIdentByte(c):
			j := i + 1
			if c >= '0' && c <= '9' {
				for j < to && (isIdentByte(src[j]) || src[j] == '.' ||
					(src[j] == '+' || src[j] == '-') && (src[j-1] == 'e' || src[j-1] == 'E' || src[j-1] == 'p' || src[j-1] == 'P')) {
					j++
				}
			} else {
				for j < to && isIdentByte(src[j]) {
					j++
				}
			}
			toks = append(toks, token{str[i:j], i, j})
			i = j
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
			i++
		case c == '\\' && i+1 < to && (src[i+1] == '\n' || src[i+1] == '\r'):
			i += 2
		case c == '/' && i+1 < to && src[i+1] == '/':
			for i < to && src[i] != '\n' {
				if src[i] == '\\' && i+1 < to && src[i+1] == '\n' {
					i++
				}
				i++
			}
		case c == '/' && i+1 < to && src[i+1] == '*':
			i += 2
			for i < to && !(src[i] == '*' && i+1 < to && src[i+1] == '/') {
				i++
			}
			i += 2
		case c == '"' || c == '\'':
			j := i + 1
			for j < to && src[j] != c && src[j] != '\n' {
				if src[j] == '\\' {
					j++
				}
				j++
			}
			if j < to && src[j] == c {
				j++
			}
			j = min(j, to)
			toks = append(toks, token{str[i:j], i, j})
			i = j
		default:
			n := 1
			for _, op := range []string{"<<=", ">>=", "...", "->*", "<=>", "->", "++", "--", "<<", ">>", "<=", ">=", "==", "!=", "&&", "||",
				"*=", "/=", "%=", "+=", "-=", "&=", "^=", "|=", "##", "::", ".*"} {
				if strings.HasPrefix(str[i:to], op) {
					n = len(op)
					break
				}
			}
			toks = append(toks, token{str[i : i+n], i, i + n})
			i += n
		}
	}
	return toks
}

var lexerSeeds = []string{
	"int f(int a) { return a->b <<= 2; } /* c */ // d\n",
	"// a comment \\\n continued\nint x;",
	"/* unterminated",
	"a /* b */ c // d \\\\\n e",
	"x = 'a' + \"b\\\"c\" + '\\n';\n\"open\nint y;",
	"#define M(a) a ## b \\\n  + 1.5e+3 .. ... ->* <=> ::x",
	"/*/ still a comment */ y",
	"\t  \n\f\v\r\\\r\\\n z",
}

// FuzzNextToken checks nextToken against the bytewise lexer, over the
// whole text and over a range of it.
func FuzzNextToken(f *testing.F) {
	for _, s := range lexerSeeds {
		f.Add([]byte(s), uint16(0), uint16(len(s)))
		f.Add([]byte(s), uint16(2), uint16(len(s)/2))
	}
	f.Fuzz(func(t *testing.T, src []byte, from, to uint16) {
		a, b := min(int(from), len(src)), min(int(to), len(src))
		for _, r := range [][2]int{{0, len(src)}, {a, b}} {
			got := lexTokens(src, r[0], r[1])
			if want := lexBytewise(src, r[0], r[1]); !slices.Equal(got, want) {
				t.Fatalf("tokens of %q[%d:%d]:\n got %v\nwant %v", src, r[0], r[1], got, want)
			}
		}
	})
}

func TestNextTokenBytewise(t *testing.T) {
	for _, s := range lexerSeeds {
		src := []byte(s)
		for from := 0; from <= len(src); from++ {
			for to := from; to <= len(src); to++ {
				if got, want := lexTokens(src, from, to), lexBytewise(src, from, to); !slices.Equal(got, want) {
					t.Fatalf("tokens of %q[%d:%d]:\n got %v\nwant %v", src, from, to, got, want)
				}
			}
		}
	}
}

// An inline asm statement's strings are hashed with their blanks
// normalized: re-indenting the assembler's lines with spaces for tabs
// (FreeRTOS 01820d3e, "Normalize line endings and whitespace") changes no
// body, while an instruction changed does, and so do blanks in any other
// string.
func TestAsmStringBlanks(t *testing.T) {
	body := func(asm, other string) string {
		sum := tolerant(t, "port.c", "void vRaisePrivilege( void )\n{\n    __asm volatile\n    (\n"+asm+"        ::: \"r0\", \"memory\"\n    );\n    puts("+other+");\n}\n")
		if len(sum.Functions) != 1 {
			t.Fatalf("functions %+v, want vRaisePrivilege", sum.Functions)
		}
		return sum.Functions[0].BodyHash
	}
	tabs := body("        \"\tmrs r0, control\t\t\t\\n\"/* Read. */\n        \"\tmovs r1, #1\\n\"\n", `"a b"`)
	for _, c := range []struct {
		asm, other string
		same       bool
	}{
		{"        \"   mrs r0, control               \\n\"/* Read. */\n        \"   movs r1, #1\\n\"\n", `"a b"`, true},
		{"        \"\\tmrs  r0,  control \\n\"\n        \"movs r1, #1  \\n\"\n", `"a b"`, true},
		{"        \"   mrs r0, control               \\n\"\n        \"   movs r1, #2\\n\"\n", `"a b"`, false},
		{"        \"   mrs r0, control               \\n\"\n        \"   movs r1, #1\\n\"\n", `"a  b"`, false},
		{"        \"   mrs r0, control               \\n\"\n        \"   movs r1,#1\\n\"\n", `"a b"`, false},
		{"        \"\\\\tmrs r0, control\\n\"\n        \"movs r1, #1\\n\"\n", `"a b"`, false},
	} {
		if got := body(c.asm, c.other) == tabs; got != c.same {
			t.Errorf("asm %q, other string %s: same body %t, want %t", c.asm, c.other, got, c.same)
		}
	}
}
