package cparse

import (
	"unicode"
	"unicode/utf8"
)

// danglingPointerDeclarator reports whether the last '*' of src (outside
// preprocessor directives) is followed by none of the tokens that end
// cc/v4's loop over pointer qualifiers: an identifier, a literal or one of
// "( ) , : [ ]". cc/v4 then loops forever at the end of input, growing its
// error list ("int *;" as the last declaration, or a file cut short), so
// such a file is left to the tolerant engine.
func danglingPointerDeclarator(src []byte) bool {
	var last []token
	toks := lexTokens(src, 0, len(src))
	dirs := scanDirectives(src)
	k := 0
	for _, t := range toks {
		for k < len(dirs) && dirs[k].end <= t.start {
			k++
		}
		if k < len(dirs) && t.start >= dirs[k].start && t.start < dirs[k].end {
			continue
		}
		if t.text == "*" {
			last = last[:0]
			last = append(last, t)
			continue
		}
		if len(last) > 0 {
			last = append(last, t)
		}
	}
	if len(last) == 0 {
		return false
	}
	for _, t := range last[1:] {
		c := t.text[0]
		if c < 0x80 && isIdentByte(c) || c == '"' || c == '\'' {
			return false
		}
		if r, _ := utf8.DecodeRuneInString(t.text); c >= 0x80 && r != utf8.RuneError && unicode.IsLetter(r) {
			return false
		}
		switch t.text {
		case "(", ")", ",", ":", "[", "]":
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

func isBlank(b byte) bool {
	return b == ' ' || b == '\t' || b == '\n' || b == '\r'
}
