package cparse

import (
	"bytes"
	"unicode"
	"unicode/utf8"
	"unsafe"
)

// danglingPointerDeclarator reports whether the last '*' of src (outside
// preprocessor directives) is followed by none of the tokens that end
// cc/v4's loop over pointer qualifiers: an identifier, a literal or one of
// "( ) , : [ ]". cc/v4 then loops forever at the end of input, growing its
// error list ("int *;" as the last declaration, or a file cut short), so
// such a file is left to the tolerant engine.
func danglingPointerDeclarator(src []byte) bool {
	// Stream the tokens outside directives, remembering where the last
	// '*' is; only the tokens after it are looked at again. A 1 MB vendor
	// header is 300,000 tokens, and every translation that includes one
	// checked it: no token list is built.
	if len(src) == 0 || bytes.IndexByte(src, '*') < 0 {
		return false
	}
	str := unsafe.String(&src[0], len(src))
	last := -1
	forEachCodeToken(src, str, func(t token) bool {
		if t.text == "*" {
			last = t.start
		}
		return true
	})
	if last < 0 {
		return false
	}
	dangling := true
	first := true
	forEachCodeTokenFrom(src, str, last, func(t token) bool {
		if first {
			first = false // the '*' itself
			return true
		}
		c := t.text[0]
		switch {
		case c < 0x80 && isIdentByte(c) || c == '"' || c == '\'':
			dangling = false
		case c >= 0x80:
			if r, _ := utf8.DecodeRuneInString(t.text); r != utf8.RuneError && unicode.IsLetter(r) {
				dangling = false
			}
		}
		switch t.text {
		case "(", ")", ",", ":", "[", "]":
			dangling = false
		}
		return dangling
	})
	return dangling
}

// forEachCodeToken calls f with each token of src outside preprocessor
// directives, until f returns false.
func forEachCodeToken(src []byte, str string, f func(token) bool) {
	forEachCodeTokenFrom(src, str, 0, f)
}

// forEachCodeTokenFrom is forEachCodeToken from offset from, which must
// not lie inside a directive, comment or literal.
func forEachCodeTokenFrom(src []byte, str string, from int, f func(token) bool) {
	lineStart := from == 0 || lineStartsBefore(src, from)
	for i := from; i < len(src); {
		if next, ok := skipTrivia(src, i, &lineStart); ok {
			i = next
			continue
		}
		if src[i] == '#' && lineStart {
			i = directiveEnd(src, i)
			continue
		}
		lineStart = false
		t, ok := nextToken(src, str, i, len(src))
		if !ok || !f(t) {
			return
		}
		i = t.end
	}
}

// lineStartsBefore reports whether only blanks separate offset i from the
// start of its line.
func lineStartsBefore(src []byte, i int) bool {
	for j := i - 1; j >= 0; j-- {
		switch src[j] {
		case '\n':
			return true
		case ' ', '\t', '\r', '\f', '\v':
		default:
			return false
		}
	}
	return true
}

// RewriteObsoleteDesignators rewrites GNU's obsolete array designators
// "[INDEX] value" (no '=') into "[INDEX]=value" for cc/v4, which knows only
// the C99 form (the emitter, which also hands revisions to cc/v4, uses it too); older kernels (xv6's syscall and state-name tables) use the
// GNU one. The '=' replaces a blank after ']', so every offset and position
// stays the same. src is returned as is when there is nothing to rewrite.
func RewriteObsoleteDesignators(src []byte) []byte {
	if !mayHaveArrayDesignator(src) {
		return src
	}
	toks := lexTokens(src, 0, len(src))
	var out []byte
	for i := 0; i < len(toks); i++ {
		if toks[i].text != "[" || i == 0 || (toks[i-1].text != "{" && toks[i-1].text != ",") {
			continue
		}
		depth := 0
		j := i
		for ; j < len(toks); j++ {
			if toks[j].text == "[" {
				depth++
			} else if toks[j].text == "]" {
				depth--
				if depth == 0 {
					break
				}
			}
		}
		if j+1 >= len(toks) {
			break
		}
		switch toks[j+1].text {
		case "=", "[", ".", ",", "}", ";", "(", ")":
			continue
		}
		gap := toks[j].end
		if gap >= toks[j+1].start || !isBlank(src[gap]) {
			continue
		}
		if out == nil {
			out = append([]byte(nil), src...)
		}
		out[gap] = '='
		i = j
	}
	if out == nil {
		return src
	}
	return out
}

// mayHaveArrayDesignator reports whether some '[' of src follows a '{' or
// a ',' with only blanks between: the first token of an array designator.
// Most files have none, and then need no lexing.
func mayHaveArrayDesignator(src []byte) bool {
	for i := 0; ; {
		k := bytes.IndexByte(src[i:], '[')
		if k < 0 {
			return false
		}
		i += k
		j := i - 1
		for j >= 0 && (isBlank(src[j]) || src[j] == '\\') { // line continuations too
			j--
		}
		// A comment between them is not looked through: it counts as a
		// candidate too.
		if j >= 0 && (src[j] == '{' || src[j] == ',' || src[j] == '/') {
			return true
		}
		i++
	}
}

func isBlank(b byte) bool {
	return b == ' ' || b == '\t' || b == '\n' || b == '\r'
}
