// This file implements initializer thinning: what keeps generated data (a
// web server's files as a byte array, a code page table) from costing the
// precise engine seconds.
package cparse

import (
	"bytes"
	"encoding/binary"
	"strconv"
)

// thinInitializerMinimum is the size of an initializer list's contents from
// which the precise engine is given a thinned one. cc/v4 type-checks every
// element of an initializer (for a 270 KB byte array, millions of
// allocations); the summary needs none of that: a global's initializer is
// hashed from the original text, and only its declared type comes from
// cc/v4.
var thinInitializerMinimum = 2048

// thinInitializers returns src with the contents of every large file-scope
// initializer list replaced by one element — "0", or "[N-1] = 0" for an
// array of unspecified size, which gives it the same N elements — and
// spaces, newlines kept, so every line and byte offset stays where it was.
// It returns src itself when there is nothing to thin.
//
// It leaves alone a list it cannot count safely: one with preprocessor
// directives inside, or, for an array whose size comes from its
// initializer, with designators or identifiers outside parentheses (a macro
// may expand to several elements).
func thinInitializers(src []byte) []byte {
	var out []byte
	n := len(src)
	depth := 0 // braces at file scope: struct bodies, function bodies
	lineStart := true
	for i := 0; i < n; {
		if next, ok := skipTrivia(src, i, &lineStart); ok {
			i = next
			continue
		}
		c := src[i]
		switch {
		case c == '#' && lineStart:
			i = directiveEnd(src, i)
			continue
		}
		lineStart = false
		switch c {
		case '"', '\'':
			i = skipQuoted(src, i)
			continue
		case '{':
			depth++
		case '}':
			if depth > 0 {
				depth--
			}
		case '=':
			if depth != 0 || (i+1 < n && src[i+1] == '=') || (i > 0 && isOperatorByte(src[i-1])) {
				break
			}
			open := skipBlank(src, i+1)
			if open >= n || src[open] != '{' {
				break
			}
			list, ok := scanInitializer(src, open)
			if !ok {
				return orSrc(out, src)
			}
			if list.end-open-1 >= thinInitializerMinimum && !list.directive {
				unsized := outerDimensionUnsized(src, i)
				if !unsized || (!list.designated && !list.identifiers && list.elements > 0) {
					if out == nil {
						out = append([]byte(nil), src...)
					}
					fill := []string{"0"}
					if unsized {
						fill = []string{"[", strconv.Itoa(list.elements - 1), "]", "=", "0"}
					}
					contents := out[open+1 : list.end]
					blankKeepingNewlines(contents)
					if !placeTokens(contents, fill) {
						copy(contents, src[open+1:list.end])
					}
				}
			}
			i = list.end + 1
			continue
		}
		i++
	}
	return orSrc(out, src)
}

func orSrc(out, src []byte) []byte {
	if out == nil {
		return src
	}
	return out
}

// isOperatorByte reports whether c before '=' makes a compound operator
// (<=, >=, !=, +=, ...), not an initializer.
func isOperatorByte(c byte) bool {
	switch c {
	case '<', '>', '!', '+', '-', '*', '/', '%', '&', '|', '^', '=':
		return true
	}
	return false
}

// initializerList is what scanInitializer learned of one braced list.
type initializerList struct {
	end         int  // offset of the closing brace
	elements    int  // top-level elements
	designated  bool // a top-level element starts with [ or .
	identifiers bool // an identifier at the top level, outside parentheses
	directive   bool // a preprocessor line inside
}

// scanInitializer reads the braced list opening at src[open].
func scanInitializer(src []byte, open int) (initializerList, bool) {
	var l initializerList
	n := len(src)
	braces, parens := 0, 0
	elementStart, sawToken := true, false
	lineStart := false
	for i := open + 1; i < n; {
		if next, ok := skipTrivia(src, i, &lineStart); ok {
			i = next
			continue
		}
		c := src[i]
		switch {
		case c == '#' && lineStart:
			l.directive = true
			i = directiveEnd(src, i)
			continue
		}
		lineStart = false
		top := braces == 0 && parens == 0
		if top && c == '}' {
			l.end = i
			return l, true
		}
		if top && elementStart && (c == '[' || c == '.') {
			l.designated = true
		}
		if top && c == ',' {
			elementStart, sawToken = true, false
			i++
			continue
		}
		if top && !sawToken {
			l.elements++
		}
		sawToken, elementStart = true, false
		switch {
		case c == '"' || c == '\'':
			i = skipQuoted(src, i)
			continue
		case c == '{':
			braces++
		case c == '}':
			braces--
		case c == '(':
			parens++
		case c == ')':
			if parens > 0 {
				parens--
			}
		case isIdentStart(c):
			j := i
			for j < n && isIdentByte(src[j]) {
				j++
			}
			if top {
				l.identifiers = true
			}
			i = j
			continue
		case c >= '0' && c <= '9':
			// A number, suffixes and hex digits included: not an identifier.
			for i < n && (isIdentByte(src[i]) || src[i] == '.') {
				i++
			}
			continue
		}
		i++
	}
	return l, false
}

// outerDimensionUnsized reports whether the declarator ending before the
// '=' at eq is an array whose outermost dimension is empty ("a[]" or
// "a[][3]"), whose size its initializer gives.
func outerDimensionUnsized(src []byte, eq int) bool {
	i := eq - 1
	for i >= 0 && isSpace(src[i]) {
		i--
	}
	unsized := false
	found := false
	for i >= 0 && src[i] == ']' {
		// Find the matching '['; dimensions hold no brackets in practice.
		j := i - 1
		for j >= 0 && src[j] != '[' && src[j] != ']' {
			j--
		}
		if j < 0 || src[j] != '[' {
			return false
		}
		found = true
		unsized = isBlankRange(src[j+1 : i])
		i = j - 1
		for i >= 0 && isSpace(src[i]) {
			i--
		}
	}
	return found && unsized
}

func skipBlank(src []byte, i int) int {
	for i < len(src) {
		switch {
		case isSpace(src[i]):
			i++
		case src[i] == '/' && i+1 < len(src) && src[i+1] == '*':
			i = skipBlockComment(src, i)
		case src[i] == '/' && i+1 < len(src) && src[i+1] == '/':
			for i < len(src) && src[i] != '\n' {
				i++
			}
		default:
			return i
		}
	}
	return i
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}

func isBlankRange(b []byte) bool {
	for _, c := range b {
		if !isSpace(c) {
			return false
		}
	}
	return true
}

func isIdentStart(c byte) bool {
	return isIdentByte(c) && (c < '0' || c > '9')
}

// placeTokens writes tokens in order into the blanks of b, each within one
// line; it reports false when they do not fit.
func placeTokens(b []byte, tokens []string) bool {
	pos := 0
	for _, tok := range tokens {
		for {
			if pos+len(tok) > len(b) {
				return false
			}
			if nl := bytes.IndexByte(b[pos:pos+len(tok)], '\n'); nl >= 0 {
				pos += nl + 1
				continue
			}
			copy(b[pos:], tok)
			pos += len(tok)
			break
		}
	}
	return true
}

// blankKeepingNewlines overwrites b with spaces, leaving its newlines.
// It writes eight bytes at a time: the bodies it blanks are most of a
// file, and a byte at a time was a tenth of blankBodies.
func blankKeepingNewlines(b []byte) {
	const ones = 0x0101010101010101
	const spaces, newlines, lows = ' ' * ones, '\n' * ones, 0x7f * ones
	for len(b) >= 8 {
		w := binary.LittleEndian.Uint64(b)
		// 0x80 in each byte of w that is a newline (a zero byte of x),
		// then 0xff.
		x := w ^ newlines
		keep := (^((x&lows + lows) | x | lows) >> 7) * 0xff
		binary.LittleEndian.PutUint64(b, spaces&^keep|newlines&keep)
		b = b[8:]
	}
	for i, c := range b {
		if c != '\n' {
			b[i] = ' '
		}
	}
}
