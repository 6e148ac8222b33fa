package cparse

// Kernels written in C++ often name their headers .h (NOVA until 2019,
// L4 and Fiasco, many others); read as C, a header's classes, methods and
// nested enums vanish. A .h file is therefore read as C++ when its own
// tokens say so: a class with a body or bases, a namespace, a template, or
// an access specifier. Comments, strings and preprocessor lines are not
// looked at, so a C header's `extern "C"` guard or a comment mentioning a
// class does not count.

// LangOfSource is LangOf read with the file's bytes: a .h file whose tokens
// show C++ is C++.
func LangOfSource(path string, src []byte) Lang {
	lang, header := LangOf(path)
	if lang == LangC && header && cxxHeaderEvidence(src) != "" {
		return LangCPP
	}
	return lang
}

// cxxHeaderEvidence returns the tokens that show src is C++ ("class Hip {",
// "template <", "public:", "namespace x {"), or "" when nothing does.
func cxxHeaderEvidence(src []byte) string {
	buf := getTokenBuf()
	toks := appendTokens(*buf, src, 0, len(src))
	defer putTokenBuf(buf, toks)
	return cxxEvidenceIn(src, toks)
}

// headerLang is LangOfSource of a .h file whose bytes are raw and whose
// text as parsed is s's. When that text is raw itself (no byte order mark,
// digit separator or disabled group taken out), the evidence is read from
// s's tokens, the ones the tolerant engine reads: the file is lexed once.
func headerLang(raw []byte, s *source) Lang {
	var evidence string
	if len(raw) == len(s.src) && (len(raw) == 0 || &raw[0] == &s.src[0]) {
		evidence = cxxEvidenceIn(s.src, s.tokens())
	} else {
		evidence = cxxHeaderEvidence(raw)
	}
	if evidence != "" {
		return LangCPP
	}
	return LangC
}

// cxxEvidenceIn is cxxHeaderEvidence given every token of src.
func cxxEvidenceIn(src []byte, toks []token) string {
	lineStart := true
	inDirective := false
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		// Preprocessor lines: a '#' first on its line, up to the end of
		// the line (continuations included).
		if lineStart && t.text == "#" {
			inDirective = true
		}
		if inDirective {
			if endsLine(src, t.end) {
				inDirective = false
				lineStart = true
			} else {
				lineStart = false
			}
			continue
		}
		lineStart = endsLine(src, t.end)
		next := func(k int) string {
			if i+k < len(toks) {
				return toks[i+k].text
			}
			return ""
		}
		switch t.text {
		case "class":
			// class Name [final] { or class Name [final] : base
			if !isIdentToken(next(1)) {
				continue
			}
			k := 2
			if next(k) == "final" {
				k++
			}
			if n := next(k); n == "{" || n == ":" {
				return "class " + next(1) + " " + n
			}
		case "namespace":
			if n := next(1); n == "{" || isIdentToken(n) && (next(2) == "{" || next(2) == "::") {
				return "namespace " + n
			}
		case "template":
			if next(1) == "<" {
				return "template <"
			}
		case "public", "private", "protected":
			if next(1) == ":" {
				return t.text + ":"
			}
		}
	}
	return ""
}

// endsLine reports whether only blanks (or a comment) stand between offset
// at and the next newline that is not escaped.
func endsLine(src []byte, at int) bool {
	for i := at; i < len(src); i++ {
		switch src[i] {
		case ' ', '\t', '\r':
		case '\n':
			return i == 0 || src[i-1] != '\\'
		case '/':
			if i+1 < len(src) && (src[i+1] == '/' || src[i+1] == '*') {
				return true
			}
			return false
		case '\\':
			return false
		default:
			return false
		}
	}
	return true
}
