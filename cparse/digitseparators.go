package cparse

// This file implements the removal of digit separators (C++14 and C23:
// 1'000'000'000, 0xFFFF'FFFF) before a parse. The grammar of tree-sitter
// and the text passes read such a quote as a character literal's start,
// which ran to the next quote and took the rest of a class with it
// (managarm's xhci.hpp: a timeout of 1'000'000'000 inside a method made
// every later nested struct a member of the one before).

import "bytes"

// withoutDigitSeparators returns src with each digit separator removed
// from its number and the number padded with as many spaces after it, so
// every token starts where it did and every line keeps its length; src
// itself when it has none.
func withoutDigitSeparators(src []byte) []byte {
	var out []byte
	for i := 0; i < len(src); i++ {
		// Every parse passes here: jump from quote to quote.
		next := bytes.IndexByte(src[i:], '\'')
		if next < 0 {
			break
		}
		i += next
		if !isDigitSeparator(src, i) {
			continue
		}
		start := numberStart(src, i)
		end := i
		for end < len(src) && (isIdentByte(src[end]) || src[end] == '.' || src[end] == '\'' && isDigitSeparator(src, end)) {
			end++
		}
		if out == nil {
			out = append([]byte(nil), src...)
		}
		w := start
		for r := start; r < end; r++ {
			if src[r] != '\'' {
				out[w] = src[r]
				w++
			}
		}
		for ; w < end; w++ {
			out[w] = ' '
		}
		i = end - 1
	}
	if out == nil {
		return src
	}
	return out
}

// isDigitSeparator reports whether the quote at i separates digits: it
// stands between two digits (hexadecimal ones included) of a number, a
// token that starts with a digit (u8'a' and L'a' are character literals).
func isDigitSeparator(src []byte, i int) bool {
	if i == 0 || i+1 >= len(src) || !isHexDigit(src[i-1]) || !isHexDigit(src[i+1]) {
		return false
	}
	start := numberStart(src, i)
	return start < i && src[start] >= '0' && src[start] <= '9'
}

// numberStart is where the token holding the byte before i starts.
func numberStart(src []byte, i int) int {
	j := i
	for j > 0 && (isIdentByte(src[j-1]) || src[j-1] == '.' || src[j-1] == '\'') {
		j--
	}
	return j
}

func isHexDigit(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}
