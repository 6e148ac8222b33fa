package cparse

import (
	"sort"
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
var notCalls = map[string]bool{
	"if": true, "while": true, "for": true, "switch": true, "return": true,
	"sizeof": true, "typeof": true, "__typeof__": true, "__typeof": true,
	"_Alignof": true, "alignof": true, "__alignof__": true, "asm": true,
	"__asm__": true, "__asm": true, "volatile": true, "__volatile__": true,
	"__attribute__": true, "defined": true, "case": true, "do": true,
	"else": true, "catch": true, "static_assert": true, "_Static_assert": true,
	"decltype": true, "new": true, "delete": true, "operator": true,
	"_Generic": true, "__builtin_offsetof": true, "offsetof": true,
	"int": true, "char": true, "long": true, "short": true, "unsigned": true,
	"signed": true, "void": true, "float": true, "double": true, "const": true,
	"struct": true, "union": true, "enum": true, "throw": true, "noexcept": true,
}

var assignOps = map[string]bool{
	"=": true, "+=": true, "-=": true, "*=": true, "/=": true, "%=": true,
	"&=": true, "|=": true, "^=": true, "<<=": true, ">>=": true, "++": true, "--": true,
}

func isIdentToken(s string) bool {
	return s != "" && isIdentByte(s[0]) && !(s[0] >= '0' && s[0] <= '9')
}

// analyzeBody finds the calls and member accesses of a body from its tokens.
// paramTypes maps parameter names to the struct they point to; local
// "struct tag *name" declarations are added as they are met. A call through
// a member ("ops->read(...)") is recorded as ".read".
func analyzeBody(toks []token, paramTypes map[string]string) bodyFacts {
	var f bodyFacts
	varTypes := map[string]string{}
	for k, v := range paramTypes {
		if v != "" {
			varTypes[k] = v
		}
	}
	calls := map[string]bool{}
	members := map[[2]string]bool{} // (struct, member) -> write
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
					varTypes[nm] = tag
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
				calls["."+s] = true
				continue
			}
			if p2 := text(i - 2); prev == "." && (p2 == "{" || p2 == ",") {
				continue // a designator in an initializer
			}
			st := ""
			if base := text(i - 2); isIdentToken(base) && text(i-3) != "." && text(i-3) != "->" {
				st = varTypes[base]
			}
			key := [2]string{st, s}
			write := assignOps[next] && next != "==" || text(i-3) == "++" || text(i-3) == "--" || text(i-3) == "&"
			members[key] = members[key] || write
			continue
		}
		if next == "(" && (prev == "::" || !notCalls[s]) {
			name := s
			// Qualified C++ calls: ns::Class::f(...).
			for j := i - 1; j >= 1 && text(j) == "::" && isIdentToken(text(j-1)); j -= 2 {
				name = text(j-1) + "::" + name
			}
			calls[name] = true
		}
	}
	for c := range calls {
		f.calls = append(f.calls, strings.Clone(c))
	}
	sort.Strings(f.calls)
	for k, w := range members {
		f.members = append(f.members, MemberRef{Struct: strings.Clone(k[0]), Member: strings.Clone(k[1]), Write: w})
	}
	sort.Slice(f.members, func(i, j int) bool {
		if f.members[i].Struct != f.members[j].Struct {
			return f.members[i].Struct < f.members[j].Struct
		}
		return f.members[i].Member < f.members[j].Member
	})
	return f
}
