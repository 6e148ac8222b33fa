package cparse

// This file trims cc/v4's builtin declarations to those a translation can
// use. cc.Builtin declares about 200 builtin functions (__builtin_strlen,
// __builtin_bswap32, ...), and cc/v4 parses and checks every one of them in
// every translation unit: 4.2 of the 4.7 ms a one-line file cost, and
// FreeRTOS-Kernel's history runs about 30,000 translations. A declaration
// is left out only when no text of the translation can name it, so the
// translation is the same:
//
//   - a name is kept when it appears as an identifier in any text cc/v4
//     reads (the predefined macros, the rest of cc.Builtin, the prelude,
//     the file, every header);
//   - when some text pastes tokens (## or %:%:), a name is also kept when
//     an identifier of any text is a proper prefix of it: pasting could
//     spell the name from that identifier and others (a pasted name's
//     first piece is such a prefix, or the name itself);
//   - the names are chosen from the headers the include walk finds, and
//     checked afterwards against the headers cc/v4 did read (recordingFS):
//     when one of those names a left-out declaration, the translation is
//     run again with all of them.

import (
	"bytes"
	"slices"
	"strings"
	"sync"

	"modernc.org/cc/v4"
)

// builtinSource is cc.Builtin split into its function declarations, which
// can be left out, and the rest, which is always kept.
type builtinSource struct {
	lines []string
	// decl[i] is the function lines[i] declares alone, "" for lines that
	// are always kept.
	decl []string
	// names are the functions that can be left out; prefixes are their
	// proper prefixes, the identifiers that pasting could extend into one.
	names    map[string]bool
	prefixes map[string]bool
	// always is what the kept lines name.
	always builtinUse
}

var ccBuiltin = sync.OnceValue(func() *builtinSource { return splitBuiltin(cc.Builtin) })

// splitBuiltin finds the lines of text that declare one function each,
// outside any conditional group: "T __builtin_x(params);".
func splitBuiltin(text string) *builtinSource {
	b := &builtinSource{lines: strings.SplitAfter(text, "\n"), names: map[string]bool{}, prefixes: map[string]bool{}}
	b.decl = make([]string, len(b.lines))
	depth := 0
	var kept strings.Builder
	for i, line := range b.lines {
		toks := lexTokens([]byte(line), 0, len(line))
		if len(toks) > 1 && toks[0].text == "#" {
			switch toks[1].text {
			case "if", "ifdef", "ifndef":
				depth++
			case "endif":
				depth--
			}
		}
		if name := declaredFunction(toks); depth == 0 && name != "" {
			b.decl[i] = name
			b.names[name] = true
			for j := 1; j < len(name); j++ {
				b.prefixes[name[:j]] = true
			}
			continue
		}
		kept.WriteString(line)
	}
	b.always = b.useOf([]byte(kept.String()))
	return b
}

// declaredFunction is the name a line's tokens declare when they are one
// function declaration, "T name(params);" with a reserved name (two
// leading underscores), else "".
func declaredFunction(toks []token) string {
	if len(toks) < 5 || toks[len(toks)-1].text != ";" || toks[len(toks)-2].text != ")" {
		return ""
	}
	for i := 1; i < len(toks); i++ {
		if toks[i].text != "(" {
			switch toks[i].text {
			case "=", "{", "}", "#", ")", ",":
				return ""
			}
			continue
		}
		name := toks[i-1].text
		if !strings.HasPrefix(name, "__") || !isIdentByte(name[0]) {
			return ""
		}
		depth := 0
		for _, t := range toks[i : len(toks)-1] {
			switch t.text {
			case "(":
				depth++
			case ")":
				depth--
			case "{", "}", "=", ";":
				return ""
			}
		}
		if depth != 0 {
			return ""
		}
		return name
	}
	return ""
}

// builtinUse is what one text can do to the builtin declarations: the
// names it spells, whether it pastes tokens, the identifiers it holds that
// pasting could extend into one of the names.
type builtinUse struct {
	names    []string
	paste    bool
	prefixes []string
}

// useOf scans a text for what it can name. It looks at every identifier
// that starts with an underscore, wherever it is (comments and strings
// included: a name found there only keeps a declaration that was not
// needed).
func (b *builtinSource) useOf(data []byte) builtinUse {
	var u builtinUse
	u.paste = bytes.Contains(data, []byte("##")) || bytes.Contains(data, []byte("%:%:"))
	for i := 0; i < len(data); {
		k := bytes.IndexByte(data[i:], '_')
		if k < 0 {
			break
		}
		start := i + k
		if start > 0 && isIdentByte(data[start-1]) {
			i = start + 1
			for i < len(data) && isIdentByte(data[i]) {
				i++
			}
			continue
		}
		end := start + 1
		for end < len(data) && isIdentByte(data[end]) {
			end++
		}
		id := data[start:end]
		// Every name starts with "__": "_x" can neither be one nor start one.
		if len(id) == 1 || id[1] == '_' {
			if b.names[string(id)] && !slices.Contains(u.names, string(id)) {
				u.names = append(u.names, string(id))
			}
			if b.prefixes[string(id)] && !slices.Contains(u.prefixes, string(id)) {
				u.prefixes = append(u.prefixes, string(id))
			}
		}
		i = end
	}
	return u
}

// builtinNeeds gathers the uses of a translation's texts.
type builtinNeeds struct {
	names, prefixes map[string]bool
	paste           bool
}

func (n *builtinNeeds) add(u builtinUse) {
	if n.names == nil {
		n.names, n.prefixes = map[string]bool{}, map[string]bool{}
	}
	for _, name := range u.names {
		n.names[name] = true
	}
	for _, p := range u.prefixes {
		n.prefixes[p] = true
	}
	n.paste = n.paste || u.paste
}

// merge adds what m needs.
func (n *builtinNeeds) merge(m *builtinNeeds) {
	if n.names == nil {
		n.names, n.prefixes = map[string]bool{}, map[string]bool{}
	}
	for name := range m.names {
		n.names[name] = true
	}
	for p := range m.prefixes {
		n.prefixes[p] = true
	}
	n.paste = n.paste || m.paste
}

// needs reports whether the declaration of name must be kept.
func (n *builtinNeeds) needs(name string) bool {
	if n.names[name] {
		return true
	}
	if n.paste {
		for i := 1; i < len(name); i++ {
			if n.prefixes[name[:i]] {
				return true
			}
		}
	}
	return false
}

// covers reports whether the declarations kept for n serve a translation
// whose texts need m.
func (n *builtinNeeds) covers(m *builtinNeeds, b *builtinSource) bool {
	for name := range b.names {
		if m.needs(name) && !n.needs(name) {
			return false
		}
	}
	return true
}

// source is cc.Builtin with the declarations n does not need left out.
func (b *builtinSource) source(n *builtinNeeds) string {
	var s strings.Builder
	s.Grow(2048)
	for i, line := range b.lines {
		if b.decl[i] == "" || n.needs(b.decl[i]) {
			s.WriteString(line)
		}
	}
	return s.String()
}
