package cparse

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/upsynth/upsynth/internal/srcext"
)

// Assembly files (.S, .s, .asm, IAR's .sNN, Renesas's .src) are summarized as their global symbols:
// one Asm entry per symbol a directive exports (.globl/.global, PUBLIC,
// EXPORT, GLOBAL, Renesas's .public (CC-RH) and .GLB (CC-RX), or an
// ENTRY(x)-style macro) and a label defines, holding
// the lines from its label to the next global one. A reader then sees which
// routines a commit changed, not only which file. Symbols a macro of the
// file defines are found too (managarm's MAKE_FAULT_STUB type, name, n with
// ".global \name" in a gas .macro; xv6's STUB(fork) with ".globl name" in a
// #define): see asmMacros.

var (
	asmGlobalRe = regexp.MustCompile(`^\s*(?:\.globl|\.global|\.weak|PUBLIC|PUBWEAK|EXPORT|GLOBAL|\.extern_global|\.public|\.PUBLIC|\.glb|\.GLB)\s+([A-Za-z_.$][\w.$]*(?:\s*,\s*[A-Za-z_.$][\w.$]*)*)`)
	asmEntryRe  = regexp.MustCompile(`^\s*(?:ENTRY|GLOBAL|BEGIN_FUNC|FUNCTION|FUNC|GLOBAL_FUNC|ASM_ENTRY)\(\s*([A-Za-z_.$][\w.$]*)\s*\)`)
	asmLabelRe  = regexp.MustCompile(`^\s*([A-Za-z_.$][\w.$]*)\s*:`)
	// cppDirectiveRe is a C preprocessor line of a .S file, which is code
	// and not an assembler comment.
	cppDirectiveRe = regexp.MustCompile(`^\s*#\s*(define|undef|include|if|ifdef|ifndef|elif|else|endif|error|warning|pragma|line)\b`)
)

// IsAsmPath reports whether p names an assembly file (srcext.Assembly).
func IsAsmPath(p string) bool { return srcext.Assembly(p) }

// summarizeAsm records an assembly file's global symbols.
func summarizeAsm(sum *Summary, src []byte) {
	lines := strings.Split(string(src), "\n")
	clean := stripBlockComments(append([]string(nil), lines...))
	for i, l := range clean {
		clean[i] = asmCode(l)
	}
	macros, inMacro, gasBodies := asmMacros(clean)
	globals := map[string]bool{}
	exports := map[int]bool{} // lines of export directives, no symbol's code
	for i, l := range clean {
		if inMacro[i] {
			continue
		}
		if m := asmGlobalRe.FindStringSubmatch(l); m != nil {
			exports[i] = true
			for _, n := range strings.Split(m[1], ",") {
				globals[strings.TrimSpace(n)] = true
			}
		}
	}
	sections := asmSections(clean, inMacro)
	type start struct {
		name  string
		line  int
		macro string // the macro whose invocation defines it
	}
	var starts []start
	var writers map[string]map[string]bool // built when a data symbol needs it
	seen := map[string]bool{}
	for i, l := range clean {
		if inMacro[i] {
			continue
		}
		name, macro := "", ""
		if m := asmEntryRe.FindStringSubmatch(l); m != nil {
			name = m[1]
		} else if m := asmLabelRe.FindStringSubmatch(l); m != nil && globals[m[1]] {
			name = m[1]
		} else if len(macros) > 0 {
			name, macro = macros.invocation(l)
		}
		if name != "" && !seen[name] {
			seen[name] = true
			starts = append(starts, start{name, i, macro})
		}
	}
	offsets := make([]int, len(lines)+1)
	for i, l := range lines {
		offsets[i+1] = offsets[i] + len(l) + 1
	}
	for k, s := range starts {
		end := len(lines)
		switch {
		case s.macro != "":
			// An invocation is one statement: the symbols defined by
			// the invocations around it are not its code.
			end = s.line + 1
		case k+1 < len(starts):
			end = starts[k+1].line
		}
		var fills []string // lines past its section that add to a data symbol
		if sec := sections[s.line]; isDataSection(sec) {
			// A data symbol ends where its section does: the code
			// after NOVA's ".data; handlers: ...; .text" is no part
			// of the handler table. But an invocation there of a
			// macro that writes into the symbol's section (NOVA's
			// EXCEPTION, whose INTRGATE puts a gate word in .data)
			// adds to it.
			for j := s.line + 1; j < end; j++ {
				if sections[j] != sec {
					if writers == nil {
						writers = sectionWriters(gasBodies)
					}
					for k := j; k < end; k++ {
						if f := strings.Fields(clean[k]); len(f) > 0 && !inMacro[k] && writers[f[0]][sec] {
							fills = append(fills, strings.Join(f, " "))
						}
					}
					end = j
					break
				}
			}
		}
		h := newTokenHash()
		if s.macro != "" {
			// The routine's code is the macro's body too: a change to
			// the macro changes every symbol it defines.
			h.add(macros[s.macro].body)
		}
		for j, l := range clean[s.line:end] {
			if inMacro[s.line+j] || exports[s.line+j] {
				// A macro defined after the symbol's code is no part
				// of it (its invocations are where it runs), nor is
				// the next symbol's export directive.
				continue
			}
			if f := strings.Fields(l); len(f) > 0 {
				h.add(strings.Join(f, " "))
			}
		}
		for _, l := range fills {
			h.add(l)
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

// sectionWriters returns, for each gas .macro (bodies, as asmMacros
// returns them), the sections its body switches to and writes into, through
// the macros it invokes too (NOVA's EXCEPTION invoking INTRGATE, which puts
// a word in .data), named as asmSections names them.
func sectionWriters(bodies map[string][]string) map[string]map[string]bool {
	writes := map[string]map[string]bool{}
	for name, body := range bodies {
		writes[name] = map[string]bool{}
		for _, l := range body {
			if m := asmSectionRe.FindStringSubmatch(l); m != nil {
				switch m[1] {
				case "section", "pushsection":
					writes[name][m[2]] = true
				case "previous", "popsection":
				default:
					writes[name]["."+m[1]] = true
				}
			}
		}
	}
	// Through invoked macros: a few rounds reach any depth a file has.
	for changed := true; changed; {
		changed = false
		for name, body := range bodies {
			for _, l := range body {
				f := strings.Fields(l)
				if len(f) == 0 || f[0] == name {
					continue
				}
				for sec := range writes[f[0]] {
					if !writes[name][sec] {
						writes[name][sec] = true
						changed = true
					}
				}
			}
		}
	}
	return writes
}

// asmSectionRe is a GNU as directive that changes the section code goes
// to.
var asmSectionRe = regexp.MustCompile(`^\s*\.(text|data|bss|rodata|section|pushsection|popsection|previous)\b\s*([^\s,]*)`)

// asmSections returns the section each line of clean assembles into, by
// the GNU as section directives outside macro bodies ("" before any, the
// assembler's .text); the directive's own line is in the section it
// opens.
func asmSections(clean []string, inMacro map[int]bool) []string {
	out := make([]string, len(clean))
	current, previous := "", ""
	var stack []string
	for i, l := range clean {
		if t := strings.TrimLeft(l, " \t"); t == "" || t[0] != '.' {
			out[i] = current
			continue
		}
		if m := asmSectionRe.FindStringSubmatch(l); m != nil && !inMacro[i] {
			switch m[1] {
			case "section":
				previous, current = current, m[2]
			case "pushsection":
				stack = append(stack, current)
				previous, current = current, m[2]
			case "popsection":
				if len(stack) > 0 {
					previous, current = current, stack[len(stack)-1]
					stack = stack[:len(stack)-1]
				}
			case "previous":
				previous, current = current, previous
			default:
				previous, current = current, "."+m[1]
			}
		}
		out[i] = current
	}
	return out
}

// isDataSection reports whether a section (as asmSections names it) holds
// data rather than code: .data, .bss, .rodata and the sections named for
// them (".data.percpu", ".kernel_data"); anything else may hold code.
func isDataSection(sec string) bool {
	sec = strings.Trim(sec, `"`)
	return strings.Contains(sec, "data") || strings.Contains(sec, "bss")
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

// asmMacro is a macro of an assembly file that defines a global symbol
// named by one of its parameters.
type asmMacro struct {
	cpp   bool // a C preprocessor #define, invoked as NAME(a, b)
	param int  // the parameter naming the symbol
	// before and after are what the exported name pastes around the
	// parameter (".global faultStub\name": "faultStub", "").
	before, after string
	body          string // the macro's code, for the symbols' hashes
}

// asmMacroSet are an assembly file's symbol-defining macros by name.
type asmMacroSet map[string]asmMacro

var (
	gasMacroRe  = regexp.MustCompile(`^\s*\.macro\s+([A-Za-z_.$][\w.$]*)\s*,?\s*(.*)$`)
	gasEndmRe   = regexp.MustCompile(`^\s*\.endm\b`)
	cppMacroRe  = regexp.MustCompile(`^\s*#\s*define\s+([A-Za-z_]\w*)\(([^)]*)\)(.*)$`)
	asmSymbolRe = regexp.MustCompile(`^[A-Za-z_$][\w.$]*$`)
	asmInvokeRe = regexp.MustCompile(`^\s*([A-Za-z_.$][\w.$]*)(\s*\(|\s+|$)`)
	asmExportRe = regexp.MustCompile(`^\s*(?:\.globl|\.global|\.weak)\s+(.*)$`)
)

// asmMacros finds the macros of an assembly file (clean: its lines without
// comments) that define a global symbol named by a parameter: a gas .macro
// whose body exports "\p" (.globl \p), or a #define whose body exports p.
// Such a symbol's entity is the invocation that names it. It also returns
// the lines of every macro definition, whose labels and exports are the
// invocations' and not the file's, and the body of every gas .macro by
// name, its lines' fields joined by single blanks.
func asmMacros(clean []string) (asmMacroSet, map[int]bool, map[string][]string) {
	var set asmMacroSet
	var inMacro map[int]bool
	var gasBodies map[string][]string
	mark := func(from, to int) {
		if inMacro == nil {
			inMacro = map[int]bool{}
		}
		for k := from; k <= to && k < len(clean); k++ {
			inMacro[k] = true
		}
	}
	add := func(name string, m asmMacro) {
		if set == nil {
			set = asmMacroSet{}
		}
		set[name] = m
	}
	for i := 0; i < len(clean); i++ {
		l := clean[i]
		if m := gasMacroRe.FindStringSubmatch(l); m != nil {
			params := gasParams(m[2])
			var body []string
			j := i + 1
			for ; j < len(clean) && !gasEndmRe.MatchString(clean[j]); j++ {
				if f := strings.Fields(clean[j]); len(f) > 0 {
					body = append(body, strings.Join(f, " "))
				}
			}
			if gasBodies == nil {
				gasBodies = map[string][]string{}
			}
			gasBodies[m[1]] = body
			if p, before, after := exportedParam(body, params, `\`); p >= 0 {
				add(m[1], asmMacro{param: p, before: before, after: after, body: strings.Join(body, "\n")})
			}
			mark(i, j)
			i = j
			continue
		}
		if m := cppMacroRe.FindStringSubmatch(l); m != nil {
			text, first := m[3], i
			for strings.HasSuffix(strings.TrimSpace(text), `\`) && i+1 < len(clean) {
				text = strings.TrimSuffix(strings.TrimSpace(text), `\`) + "\n" + clean[i+1]
				i++
			}
			var params []string
			for _, p := range strings.Split(m[2], ",") {
				params = append(params, strings.TrimSpace(p))
			}
			var body []string
			for _, part := range strings.FieldsFunc(text, func(r rune) bool { return r == ';' || r == '\n' }) {
				if f := strings.Fields(part); len(f) > 0 {
					body = append(body, strings.Join(f, " "))
				}
			}
			if p, _, _ := exportedParam(body, params, ""); p >= 0 {
				add(m[1], asmMacro{cpp: true, param: p, body: strings.Join(body, "\n")})
			}
			mark(first, i)
		}
	}
	return set, inMacro, gasBodies
}

// gasParams are the parameter names of a gas .macro line's tail
// ("type, name, number=0", "name:req vararg").
func gasParams(s string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' }) {
		if i := strings.IndexAny(f, "=:"); i >= 0 {
			f = f[:i]
		}
		if f != "" {
			out = append(out, f)
		}
	}
	return out
}

// exportedParam is the index of the parameter whose name (after prefix,
// "\" for gas) the body exports with .globl/.global/.weak, and the text a
// gas export pastes before and after it ("faultStub\name",
// "isr_\n\()_entry"); -1 when none.
func exportedParam(body, params []string, prefix string) (int, string, string) {
	for _, l := range body {
		m := asmExportRe.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		for _, ref := range strings.Split(m[1], ",") {
			ref = strings.TrimSpace(ref)
			for k, p := range params {
				if p == "" {
					continue
				}
				if strings.TrimSuffix(ref, `\()`) == prefix+p {
					return k, "", ""
				}
				if prefix == "" {
					continue
				}
				// Pasted: "before\p" then optionally "\()" and more.
				i := strings.Index(ref, prefix+p)
				if i < 0 {
					continue
				}
				before, after := ref[:i], ref[i+len(prefix+p):]
				if rest, ok := strings.CutPrefix(after, `\()`); ok {
					after = rest
				} else if after != "" && isIdentByte(after[0]) {
					continue // "\namex" names another parameter
				}
				if pastedPartRe.MatchString(before) && pastedPartRe.MatchString(after) {
					return k, before, after
				}
			}
		}
	}
	return -1, "", ""
}

// pastedPartRe is the plain text an exported name pastes around a gas
// macro's parameter.
var pastedPartRe = regexp.MustCompile(`^[\w.$]*$`)

// invocation is the symbol a line defines by invoking one of the set's
// macros, and the macro's name; "" when the line invokes none or the
// argument is no plain symbol (a local .L label, a nested macro's \arg).
func (set asmMacroSet) invocation(l string) (string, string) {
	m := asmInvokeRe.FindStringSubmatch(l)
	if m == nil {
		return "", ""
	}
	mac, ok := set[m[1]]
	if !ok {
		return "", ""
	}
	rest := strings.TrimSpace(l[len(m[0]):])
	var args []string
	switch {
	case mac.cpp:
		if !strings.HasPrefix(strings.TrimSpace(m[2]), "(") {
			return "", ""
		}
		if i := strings.IndexByte(rest, ')'); i >= 0 {
			rest = rest[:i]
		}
		args = strings.Split(rest, ",")
	case strings.HasPrefix(strings.TrimSpace(m[2]), "("):
		return "", ""
	case strings.Contains(rest, ","):
		args = strings.Split(rest, ",")
	default:
		args = strings.Fields(rest)
	}
	if mac.param >= len(args) {
		return "", ""
	}
	sym := mac.before + strings.TrimSpace(args[mac.param]) + mac.after
	if !asmSymbolRe.MatchString(sym) || strings.HasPrefix(sym, ".L") {
		return "", ""
	}
	return sym, m[1]
}

// cStringLiteralRe is one C string literal of an asm statement's code.
var cStringLiteralRe = regexp.MustCompile(`"(?:[^"\\\n]|\\.)*"`)

// asmBlockSymbols returns the global symbols that a file-scope asm block of
// a C or C++ file defines (managarm's zisa: asm(".global signalEntry\n"
// "signalEntry:\n" ...)), each an Asm entry as an assembly file's symbol is,
// hashed over its own lines and spanning the whole block; nil when the
// block defines none, and it stays an unnamed block compared by number.
// code is the block's string literals as written.
func asmBlockSymbols(code string, block Span) []Asm {
	var text strings.Builder
	for _, lit := range cStringLiteralRe.FindAllString(code, -1) {
		if s, err := strconv.Unquote(lit); err == nil {
			text.WriteString(s)
		} else {
			// An escape C has and Go has not (\e, \?): the symbols'
			// names and directives do not need it.
			text.WriteString(strings.ReplaceAll(lit[1:len(lit)-1], `\n`, "\n"))
		}
	}
	var sum Summary
	summarizeAsm(&sum, []byte(text.String()))
	for i := range sum.Asm {
		sum.Asm[i].Span = block
	}
	return sum.Asm
}
