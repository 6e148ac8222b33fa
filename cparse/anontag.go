package cparse

import (
	"strings"
)

// sameTaggedLayout reports whether a global's type changed only in name:
// an anonymous struct or union, which summaries spell with its members
// ("struct { struct spinlock lock; int start; }"), given a tag whose type,
// defined in the same file, has the same members in the same order
// ("struct log"), or the reverse. Spellings are compared without spaces;
// a member the two spell differently (arrays, bitfields) makes them
// differ, so the rule only ever hides a change that is none.
func sameTaggedLayout(oldType string, oldSum *Summary, newType string, newSum *Summary) bool {
	if spelled, ok := taggedSpelling(newType, newSum); ok && sameSpelling(oldType, spelled) {
		return true
	}
	if spelled, ok := taggedSpelling(oldType, oldSum); ok && sameSpelling(newType, spelled) {
		return true
	}
	return false
}

// taggedSpelling spells the struct or union typ names ("struct log") as an
// anonymous one is spelled, from its definition in s.
func taggedSpelling(typ string, s *Summary) (string, bool) {
	kind, tag, ok := strings.Cut(strings.TrimSpace(typ), " ")
	if !ok || kind != "struct" && kind != "union" || tag == "" || strings.ContainsAny(tag, " {*[") {
		return "", false
	}
	for _, t := range s.Types {
		if t.Name != tag || string(t.Kind) != kind || len(t.Members) == 0 {
			continue
		}
		var b strings.Builder
		b.WriteString(kind + " {")
		for _, m := range t.Members {
			if m.BitWidth >= 0 {
				return "", false
			}
			b.WriteString(m.Type + " " + m.Name + ";")
		}
		b.WriteString("}")
		return b.String(), true
	}
	return "", false
}

func sameSpelling(a, b string) bool {
	return strings.ReplaceAll(a, " ", "") == strings.ReplaceAll(b, " ", "")
}
