package cparse

import (
	"regexp"
	"strings"
)

// Assembly files (.S, .s, .asm) are summarized as their global symbols:
// one Asm entry per symbol a directive exports (.globl/.global, PUBLIC,
// EXPORT, GLOBAL, or an ENTRY(x)-style macro) and a label defines, holding
// the lines from its label to the next global one. A reader then sees which
// routines a commit changed, not only which file.

var (
	asmGlobalRe = regexp.MustCompile(`^\s*(?:\.globl|\.global|\.weak|PUBLIC|PUBWEAK|EXPORT|GLOBAL|\.extern_global)\s+([A-Za-z_.$][\w.$]*(?:\s*,\s*[A-Za-z_.$][\w.$]*)*)`)
	asmEntryRe  = regexp.MustCompile(`^\s*(?:ENTRY|GLOBAL|BEGIN_FUNC|FUNCTION|FUNC|GLOBAL_FUNC|ASM_ENTRY)\(\s*([A-Za-z_.$][\w.$]*)\s*\)`)
	asmLabelRe  = regexp.MustCompile(`^\s*([A-Za-z_.$][\w.$]*)\s*:`)
	// cppDirectiveRe is a C preprocessor line of a .S file, which is code
	// and not an assembler comment.
	cppDirectiveRe = regexp.MustCompile(`^\s*#\s*(define|undef|include|if|ifdef|ifndef|elif|else|endif|error|warning|pragma|line)\b`)
)

// IsAsmPath reports whether p names an assembly file.
func IsAsmPath(p string) bool {
	return strings.HasSuffix(p, ".S") || strings.HasSuffix(p, ".s") || strings.HasSuffix(strings.ToLower(p), ".asm")
}

// summarizeAsm records an assembly file's global symbols.
func summarizeAsm(sum *Summary, src []byte) {
	lines := strings.Split(string(src), "\n")
	clean := stripBlockComments(append([]string(nil), lines...))
	for i, l := range clean {
		clean[i] = asmCode(l)
	}
	globals := map[string]bool{}
	for _, l := range clean {
		if m := asmGlobalRe.FindStringSubmatch(l); m != nil {
			for _, n := range strings.Split(m[1], ",") {
				globals[strings.TrimSpace(n)] = true
			}
		}
	}
	type start struct {
		name string
		line int
	}
	var starts []start
	seen := map[string]bool{}
	for i, l := range clean {
		name := ""
		if m := asmEntryRe.FindStringSubmatch(l); m != nil {
			name = m[1]
		} else if m := asmLabelRe.FindStringSubmatch(l); m != nil && globals[m[1]] {
			name = m[1]
		}
		if name != "" && !seen[name] {
			seen[name] = true
			starts = append(starts, start{name, i})
		}
	}
	offsets := make([]int, len(lines)+1)
	for i, l := range lines {
		offsets[i+1] = offsets[i] + len(l) + 1
	}
	for k, s := range starts {
		end := len(lines)
		if k+1 < len(starts) {
			end = starts[k+1].line
		}
		h := newTokenHash()
		for _, l := range clean[s.line:end] {
			if f := strings.Fields(l); len(f) > 0 {
				h.add(strings.Join(f, " "))
			}
		}
		sum.Asm = append(sum.Asm, Asm{Name: s.name, Hash: h.String(),
			Span: Span{StartLine: s.line + 1, EndLine: end, StartByte: offsets[s.line], EndByte: min(offsets[end], len(src))}})
	}
	h := newTokenHash()
	for _, l := range clean {
		if f := strings.Fields(l); len(f) > 0 {
			h.add(strings.Join(f, " "))
		}
	}
	sum.TokenHash = h.String()
}

// asmCode is one line of assembly without its line comment: "//", "@ "
// (ARM), a ";" that starts the line (IAR, RVDS) and "#" followed by a blank
// or ending the line (GNU as on x86 and RISC-V), but not a C preprocessor
// directive nor an ARM immediate ("#4").
func asmCode(l string) string {
	if i := strings.Index(l, "//"); i >= 0 {
		l = l[:i]
	}
	t := strings.TrimSpace(l)
	if strings.HasPrefix(t, ";") {
		return ""
	}
	if cppDirectiveRe.MatchString(l) {
		return l
	}
	for i := 0; i < len(l); i++ {
		switch l[i] {
		case '#':
			if i+1 == len(l) || l[i+1] == ' ' || l[i+1] == '\t' || strings.TrimSpace(l[:i]) == "" {
				return l[:i]
			}
		case '@':
			if i+1 == len(l) || l[i+1] == ' ' || l[i+1] == '\t' {
				return l[:i]
			}
		}
	}
	return l
}

// stripBlockComments blanks /* ... */ comments across lines.
func stripBlockComments(lines []string) []string {
	in := false
	for i, l := range lines {
		var b strings.Builder
		for j := 0; j < len(l); j++ {
			switch {
			case in && j+1 < len(l) && l[j] == '*' && l[j+1] == '/':
				in = false
				j++
			case in:
			case j+1 < len(l) && l[j] == '/' && l[j+1] == '*':
				in = true
				j++
			default:
				b.WriteByte(l[j])
			}
		}
		lines[i] = b.String()
	}
	return lines
}
