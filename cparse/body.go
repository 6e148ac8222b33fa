package cparse

import (
	"cmp"
	"slices"
	"strings"
)

// bodyFacts is what a lexical pass over a function body finds.
type bodyFacts struct {
	calls     []string
	members   []MemberRef
	hasAsm    bool
	hasStatic bool
}

// notCalls are keywords and operators that take a parenthesized operand.
var notCalls = newWordSet(
	"if", "while", "for", "switch", "return",
	"sizeof", "typeof", "__typeof__", "__typeof",
	"_Alignof", "alignof", "__alignof__", "asm",
	"__asm__", "__asm", "volatile", "__volatile__",
	"__attribute__", "defined", "case", "do",
	"else", "catch", "static_assert", "_Static_assert",
	"decltype", "new", "delete", "operator",
	"_Generic", "__builtin_offsetof", "offsetof",
	"int", "char", "long", "short", "unsigned",
	"signed", "void", "float", "double", "const",
	"struct", "union", "enum", "throw", "noexcept",
)

var assignOps = newWordSet(
	"=", "+=", "-=", "*=", "/=", "%=",
	"&=", "|=", "^=", "<<=", ">>=", "++", "--",
)

func isIdentToken(s string) bool {
	return s != "" && isIdentByte(s[0]) && !(s[0] >= '0' && s[0] <= '9')
}

// analyzeBody finds the calls and member accesses of a body from its tokens.
// paramTypes maps parameter names to the struct they point to; local
// "struct tag *name" declarations are added as they are met. A call through
// a member ("ops->read(...)") is recorded as ".read".
func analyzeBody(toks []token, paramTypes map[string]string) bodyFacts {
	var f bodyFacts
	// The locals declared "struct tag *name", which hide a parameter of
	// the name; made at the first (most bodies declare none).
	var localTypes map[string]string
	typeOf := func(name string) string {
		if t, ok := localTypes[name]; ok {
			return t
		}
		return paramTypes[name]
	}
	// Every call and member access as met, sorted and made unique at the
	// end: cheaper than a map per body.
	var calls []string
	var members []MemberRef
	text := func(i int) string {
		if i < 0 || i >= len(toks) {
			return ""
		}
		return toks[i].text
	}
	for i, t := range toks {
		s := t.text
		switch s {
		case "asm", "__asm__", "__asm":
			f.hasAsm = true
			continue
		case "static":
			f.hasStatic = true
			continue
		case "struct", "union", "class":
			// struct tag *name: remember name's struct.
			if tag := text(i + 1); isIdentToken(tag) {
				j := i + 2
				for text(j) == "*" || text(j) == "const" {
					j++
				}
				if nm := text(j); isIdentToken(nm) && j > i+2 {
					if localTypes == nil {
						localTypes = map[string]string{}
					}
					localTypes[nm] = tag
				}
			}
			continue
		}
		if !isIdentToken(s) {
			continue
		}
		prev := text(i - 1)
		next := text(i + 1)
		if prev == "." || prev == "->" {
			if next == "(" {
				calls = append(calls, "."+s)
				continue
			}
			if p2 := text(i - 2); prev == "." && (p2 == "{" || p2 == ",") {
				continue // a designator in an initializer
			}
			st := ""
			if base := text(i - 2); isIdentToken(base) && text(i-3) != "." && text(i-3) != "->" {
				st = typeOf(base)
			}
			write := assignOps.has(next) && next != "==" || text(i-3) == "++" || text(i-3) == "--" || text(i-3) == "&"
			members = append(members, MemberRef{Struct: st, Member: s, Write: write})
			continue
		}
		if next == "(" && (prev == "::" || !notCalls.has(s)) {
			name := s
			// Qualified C++ calls: ns::Class::f(...).
			for j := i - 1; j >= 1 && text(j) == "::" && isIdentToken(text(j-1)); j -= 2 {
				name = text(j-1) + "::" + name
			}
			calls = append(calls, name)
		}
	}
	slices.Sort(calls)
	f.calls = cloneStrings(slices.Compact(calls))
	slices.SortFunc(members, func(a, b MemberRef) int {
		return cmp.Or(strings.Compare(a.Struct, b.Struct), strings.Compare(a.Member, b.Member))
	})
	for i, m := range members {
		if i > 0 && m.Struct == members[i-1].Struct && m.Member == members[i-1].Member {
			// One access of the member writes it: so do they all.
			last := &f.members[len(f.members)-1]
			last.Write = last.Write || m.Write
			continue
		}
		f.members = append(f.members, MemberRef{Struct: strings.Clone(m.Struct), Member: strings.Clone(m.Member), Write: m.Write})
	}
	return f
}

// cloneStrings returns copies of ss in one allocation, nil when ss is
// empty: a body's calls are kept together in its summary, and a copy each
// was an allocation per name.
func cloneStrings(ss []string) []string {
	if len(ss) == 0 {
		return nil
	}
	var b strings.Builder
	n := 0
	for _, s := range ss {
		n += len(s)
	}
	b.Grow(n)
	for _, s := range ss {
		b.WriteString(s)
	}
	all, out := b.String(), make([]string, len(ss))
	for i, s := range ss {
		out[i], all = all[:len(s)], all[len(s):]
	}
	return out
}
