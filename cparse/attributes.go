package cparse

import (
	"bytes"
	"encoding/binary"
	"sort"
	"strings"
	"unsafe"
)

// C++ declarations carry attributes and attribute-like macros before the
// declaration ("ALWAYS_INLINE static inline bool f()", "NORETURN void
// halt();", "INIT_PRIORITY (PRIO) Space Space::kern;", "[[nodiscard]] int
// g();", "__attribute__((section(".init"))) void h()"). Tree-sitter, which
// cannot know the macros, takes the macro for the type and the first type
// keyword for the declared name ("unsigned"). blankCXXAttributes blanks
// them before parsing, as blankBodies blanks bodies: offsets and lines stay
// the same, and names, signatures and hashes are read from the original
// text inside the declaration's own range, which then starts after them.

// blankCXXAttributes returns text with every [[...]], __attribute__((...)),
// __declspec(...) and leading attribute-like macro blanked; text itself
// when there is none.
func blankCXXAttributes(text []byte) []byte { return blankAttributes(text, true, nil) }

// blankAttributes is blankCXXAttributes when cpp is set, copying the text
// into copies' buffers. For C it returns text with C's attribute-like
// macros blanked, text itself when there is none: before a declaration when a
// declaration follows them for certain ("BOOT_CODE static bool_t f(...)",
// "PRIVILEGED_DATA static List_t xList;", "VISIBLE NORETURN void f(void)"),
// between its type and its name ("static inline void NORETURN FORCE_INLINE
// fastpath_restore(...)", "bool_t CONST isVTableRoot(...)"), and after its
// declarator. C has upper-case type names more often than C++, so a macro
// before a declaration is blanked only when a keyword or a type and a name
// follow it. Attributes proper ("__attribute__((...))") are left to the
// grammar, which knows them in C.
func blankAttributes(text []byte, cpp bool, copies *textCopies) []byte {
	var out []byte
	blank := func(from, to int) {
		if out == nil {
			out = copies.copyOf(text)
		}
		if to = min(to, len(out)); from < to {
			blankKeepingNewlines(out[from:to])
		}
	}
	n := len(text)
	declStart := true // at a place where a declaration may begin
	// p1 and p2 are the last two tokens kept (an identifier, or one
	// punctuation byte): what a trailing attribute follows.
	var p1, p2 string
	push := func(tok string) { p2, p1 = p1, tok }
	for i := 0; i < n; {
		c := text[i]
		switch {
		case c == '\n' || c == ' ':
			i = skipSpacesAndNewlines(text, i)
			continue
		case c == '\t' || c == '\r' || c == '\f' || c == '\v':
			i = skipSpaces(text, i+1)
			continue
		case c == '#' && atLineStart(text, i):
			// A preprocessor line: skip it, continuations included.
			for i < n && text[i] != '\n' {
				if text[i] == '\\' && i+1 < n {
					i++
				}
				i++
			}
			declStart = true
			continue
		case c == '/' && i+1 < n && text[i+1] == '/':
			for i < n && text[i] != '\n' {
				i++
			}
			continue
		case c == '/' && i+1 < n && text[i+1] == '*':
			i += 2
			for i+1 < n && !(text[i] == '*' && text[i+1] == '/') {
				i++
			}
			i += 2
			continue
		case c == '"' || c == '\'':
			j := i + 1
			for j < n && text[j] != c && text[j] != '\n' {
				if text[j] == '\\' {
					j++
				}
				j++
			}
			i = j + 1
			// After a linkage specification's string a declaration
			// begins ("extern "C" INIT REGPARM (1) void init (mword)").
			declStart = p1 == "extern"
			push(`"`)
			continue
		case cpp && c == '[' && i+1 < n && text[i+1] == '[':
			if end, ok := closing(text, i, '[', ']'); ok && end > i+2 && text[end-2] == ']' {
				blank(i, end)
				i = end
				continue
			}
		case isIdentByte(c) && (i == 0 || !isIdentByte(text[i-1])):
			j := i
			for j < n && isIdentByte(text[j]) {
				j++
			}
			// The word is read from text, which the pass does not
			// change (it blanks a copy): no allocation per name.
			word := unsafe.String(&text[i], j-i)
			switch {
			case cpp && word == "template" && declStart:
				// A template's parameter list: a declaration begins after
				// it ("template <typename T> ALWAYS_INLINE static T
				// in(port_t p)" in NOVA's Io), where an attribute macro
				// may stand as before any other.
				if k := skipBlanks(text, j); k < n && text[k] == '<' {
					if end, ok := closing(text, k, '<', '>'); ok {
						push(word)
						push(">")
						i = end
						continue
					}
				}
			case cpp && (word == "__attribute__" || word == "__attribute" || word == "__declspec"):
				k := skipBlanks(text, j)
				if k < n && text[k] == '(' {
					if end, ok := closing(text, k, '(', ')'); ok {
						blank(i, end)
						i = end
						continue
					}
				}
			case !cpp && declStart && (word == "__attribute__" || word == "__attribute"):
				// C's attribute proper, left to the grammar, but a
				// declaration may still begin after it: an attribute
				// macro there is one before the declaration
				// ("__attribute__((naked)) NORETURN void idle_thread(void)").
				if k := skipBlanks(text, j); k < n && text[k] == '(' {
					if end, ok := closing(text, k, '(', ')'); ok {
						push(")")
						i = end
						continue
					}
				}
			case p1 == "}" && attributeLikeMacro(word) && nameEndsDeclaration(text, j):
				// Between a struct's body and the name its typedef or
				// declaration gives it: "} PACKED multiboot_info_t;".
				end := macroUseEnd(text, j)
				blank(i, end)
				i = end
				continue
			case !cpp && declStart && attributeLikeMacro(word) && macroUseEnd(text, j) == j && nextSignificant(text, j) == '}':
				// A member placeholder at a struct's end, a macro that
				// expands to a member or to nothing (FreeRTOS's
				// "listSECOND_LIST_INTEGRITY_CHECK_VALUE" before xLIST's
				// closing brace).
				blank(i, j)
				i = j
				continue
			case declStart && attributeLikeMacro(word):
				end := macroUseEnd(text, j)
				// Only when a declaration follows: a name, a keyword
				// or another attribute, not "(", ";", "=" or ",".
				if k := skipBlanks(text, end); k < n && (cpp && (isIdentByte(text[k]) && !(text[k] >= '0' && text[k] <= '9') || text[k] == '[' || text[k] == '~') ||
					!cpp && cDeclarationFollows(text, skipBlanksAndComments(text, k))) {
					blank(i, end)
					i = end
					continue
				}
			case !declStart && attributeLikeMacro(word) && endsType(p1) && declaratorFollows(text, j):
				// Between the type and the name: "void NORETURN f(...)".
				end := macroUseEnd(text, j)
				blank(i, end)
				i = end
				continue
			case cpp && !declStart && (word == "asm" || word == "__asm__" || word == "__asm") && (declaredName(p1, p2) || p2 == "}" && declaredName(p1, "name")):
				// An asm label after a declarator ("static T current
				// asm ("current");", "static inline struct {...}
				// mle_join asm ("mle_join") {...};") is no part of its
				// type or name.
				if k := skipBlanks(text, j); k < n && text[k] == '(' {
					if end, ok := closing(text, k, '(', ')'); ok {
						blank(i, end)
						i = end
						continue
					}
				}
			case !declStart && attributeLikeMacro(word) && (declaredName(p1, p2) || functionTail(p1) || p1 == "]"):
				// An attribute macro after the declarator ("static Ec
				// *owner CPULOCAL;", "void halt() NORETURN;", an array's
				// "Pci::map[] INITDATA = {...}"), when the declaration
				// ends right after it.
				end := macroUseEnd(text, j)
				if k := skipBlanks(text, end); k < n && (text[k] == ';' || text[k] == '=' || text[k] == ',' || text[k] == '{' || functionTail(p1) && text[k] == ':') {
					blank(i, end)
					i = end
					continue
				}
			}
			declStart = word == "public" || word == "private" || word == "protected"
			push(word)
			i = j
			continue
		}
		push(string(c))
		switch c {
		case ';', '{', '}':
			declStart = true
		case ':':
			// after an access specifier ("public:"), not "::"
			declStart = !(i+1 < n && text[i+1] == ':') && !(i > 0 && text[i-1] == ':') && declStart
		default:
			declStart = false
		}
		i++
	}
	if out == nil {
		return text
	}
	return out
}

// attributeLikeMacro reports whether word looks like an attribute macro:
// upper case letters, digits and underscores, at least three long, with a
// letter, and not a word that names a type in kernels ("BOOL", "UINT32");
// or such a name after a short lower-case prefix and with an underscore,
// as FreeRTOS names its configuration and port macros
// ("configLIST_VOLATILE", "listFIRST_LIST_INTEGRITY_CHECK_VALUE").
func attributeLikeMacro(word string) bool {
	if len(word) < 3 {
		return false
	}
	if prefix := lowerPrefix(word); prefix >= 2 && prefix <= 8 && prefix < len(word) {
		rest := word[prefix:]
		return strings.Contains(rest, "_") && rest[0] >= 'A' && rest[0] <= 'Z' && attributeLikeMacro(rest)
	}
	letter := false
	for i := 0; i < len(word); i++ {
		c := word[i]
		switch {
		case c >= 'A' && c <= 'Z':
			letter = true
		case c >= '0' && c <= '9' || c == '_':
		default:
			return false
		}
	}
	if !letter {
		return false
	}
	switch word {
	case "BOOL", "VOID", "CHAR", "INT", "UINT", "LONG", "ULONG", "DWORD", "WORD", "BYTE", "HANDLE", "SIZE_T":
		return false
	}
	for _, p := range []string{"UINT", "INT", "U8", "U16", "U32", "U64", "S8", "S16", "S32", "S64"} {
		if len(word) > len(p) && word[:len(p)] == p && word[len(p)] >= '0' && word[len(p)] <= '9' {
			return false
		}
	}
	return true
}

// declaredName reports whether p1 is the name a declaration declares: an
// identifier that is no keyword, after a type (an identifier that is no
// specifier, or "*", "&", ">"). "unsigned long NUM" and "static Foo MAX"
// end in a type, "Foo bar" and "Ec *current" in a name.
func declaredName(p1, p2 string) bool {
	if p1 == "" || !isIdentByte(p1[0]) || p1[0] >= '0' && p1[0] <= '9' || notTypeWords[p1] || primitiveKeywords.has(p1) || p1 == "auto" {
		return false
	}
	switch p2 {
	case "*", "&", ">":
		return true
	}
	return p2 != "" && isIdentByte(p2[0]) && !(p2[0] >= '0' && p2[0] <= '9') && !notTypeWords[p2]
}

// endsType reports whether p1, the last token kept, can end a declaration's
// type: a primitive type word, "*", or an identifier that is no specifier
// (a typedef name).
func endsType(p1 string) bool {
	switch {
	case p1 == "*" || primitiveKeywords.has(p1):
		return true
	case p1 == "" || !isIdentByte(p1[0]) || p1[0] >= '0' && p1[0] <= '9' || notTypeWords[p1]:
		return false
	}
	return !attributeLikeMacro(p1)
}

// declaratorFollows reports whether, after the attribute-like macro that
// ends at j, a run of such macros (with their arguments) ends in a
// declarator: "*" or a name with a lower-case letter ("NORETURN
// FORCE_INLINE fastpath_restore"). "unsigned long NUM CPULOCAL;" ends in
// ";": NUM is the name.
func declaratorFollows(text []byte, j int) bool {
	k := skipMacroArgs(text, j)
	for {
		k = skipBlanks(text, k)
		if k >= len(text) {
			return false
		}
		if text[k] == '*' {
			return true
		}
		if !isIdentByte(text[k]) || text[k] >= '0' && text[k] <= '9' {
			return false
		}
		e := k
		for e < len(text) && isIdentByte(text[e]) {
			e++
		}
		if !attributeLikeMacro(string(text[k:e])) {
			return !notTypeWords[string(text[k:e])] && !primitiveKeywords.has(string(text[k:e]))
		}
		k = skipMacroArgs(text, e)
	}
}

// cDeclarationFollows reports whether, at k after a C attribute-like macro,
// a declaration certainly follows: after any more such macros, a keyword
// that starts a declaration, or a type name followed by a declarator
// ("bool_t f", "List_t *x").
func cDeclarationFollows(text []byte, k int) bool {
	ident := func(k int) (string, int) {
		k = skipBlanks(text, k)
		e := k
		for e < len(text) && isIdentByte(text[e]) {
			e++
		}
		if e == k || text[k] >= '0' && text[k] <= '9' {
			return "", k
		}
		return string(text[k:e]), e
	}
	w, e := ident(k)
	for w != "" && attributeLikeMacro(w) {
		w, e = ident(skipMacroArgs(text, e))
	}
	switch {
	case w == "":
		return false
	case cDeclKeywords[w] || primitiveKeywords.has(w):
		return true
	}
	e = skipBlanks(text, e)
	for e < len(text) && text[e] == '*' {
		e = skipBlanks(text, e+1)
	}
	name, _ := ident(e)
	return name != "" && !attributeLikeMacro(name) && !cDeclKeywords[name] && !primitiveKeywords.has(name)
}

// cDeclKeywords are the keywords a C declaration can start with besides
// primitive type words.
var cDeclKeywords = withWords(map[string]bool{
	"static": true, "extern": true, "inline": true, "const": true,
	"volatile": true, "struct": true, "union": true, "enum": true, "typedef": true, "register": true,
}, compilerSpecifiers...)

// withWords returns set with words added.
func withWords(set map[string]bool, words ...string) map[string]bool {
	for _, w := range words {
		set[w] = true
	}
	return set
}

// skipMacroArgs returns where a macro's argument list that starts after
// blanks at j ends, or j when there is none.
func skipMacroArgs(text []byte, j int) int {
	if k := skipBlanks(text, j); k < len(text) && text[k] == '(' {
		if e, ok := closing(text, k, '(', ')'); ok {
			return e
		}
	}
	return j
}

// functionTail reports whether p1 ends a function declarator: its
// parameter list or a qualifier after it.
func functionTail(p1 string) bool {
	switch p1 {
	case ")", "const", "override", "final", "noexcept":
		return true
	}
	return false
}

// notTypeWords are keywords that never end a type: specifiers (the
// compilers' spellings too: "static __inline uint32_t
// portINLINE_SET_INTERRUPT_MASK_FROM_ISR( void )" declares the function,
// not uint32_t with an attribute after it), and words after which an
// identifier is no declared name.
var notTypeWords = withWords(map[string]bool{
	"static": true, "extern": true, "inline": true, "constexpr": true, "consteval": true, "constinit": true,
	"const": true, "volatile": true, "mutable": true, "thread_local": true, "virtual": true, "explicit": true,
	"friend": true, "typedef": true, "register": true, "struct": true, "class": true, "union": true, "enum": true,
	"typename": true, "using": true, "return": true, "case": true, "goto": true, "namespace": true,
	"public": true, "private": true, "protected": true, "operator": true, "new": true, "delete": true,
	"else": true, "do": true, "sizeof": true, "alignof": true, "throw": true, "co_return": true, "co_yield": true,
	"template": true, "decltype": true, "noexcept": true, "override": true, "final": true, "default": true,
}, compilerSpecifiers...)

// macroUseEnd is where the use of an attribute-like macro whose name ends
// at j ends: past its argument list when one follows ("ALIGN(8)").
func macroUseEnd(text []byte, j int) int {
	if k := skipBlanks(text, j); k < len(text) && text[k] == '(' {
		if end, ok := closing(text, k, '(', ')'); ok {
			return end
		}
	}
	return j
}

// lowerPrefix is the length of word's leading run of lower-case letters.
func lowerPrefix(word string) int {
	i := 0
	for i < len(word) && word[i] >= 'a' && word[i] <= 'z' {
		i++
	}
	return i
}

func skipBlanks(text []byte, i int) int {
	for i < len(text) && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r') {
		i++
	}
	return i
}

// closing returns the index after the bracket that closes the one at open.
func closing(text []byte, open int, o, c byte) (int, bool) {
	depth := 0
	for i := open; i < len(text); i++ {
		switch text[i] {
		case o:
			depth++
		case c:
			depth--
			if depth == 0 {
				return i + 1, true
			}
		}
	}
	return 0, false
}

// blankedRanges are the byte ranges blanked in after and not in before
// (the same text with attribute macros blanked): what a signature leaves
// out, since it is read from the original text ("void VISIBLE f(int)" and
// "void __attribute__((externally_visible)) f(int)" are both "void (int)").
// nil when after is before.
func blankedRanges(before, after []byte) []excludedRange {
	if len(before) == 0 || len(after) != len(before) || &before[0] == &after[0] {
		return nil
	}
	var out []excludedRange
	for i := 0; i < len(after); i++ {
		// Eight bytes at a time where nothing changed: most of the text.
		for i+8 <= len(after) && binary.LittleEndian.Uint64(after[i:]) == binary.LittleEndian.Uint64(before[i:]) {
			i += 8
		}
		if i >= len(after) {
			break
		}
		if after[i] != ' ' || before[i] == ' ' {
			continue
		}
		j := i + 1
		for j < len(after) && after[j] == ' ' && before[j] != ' ' {
			j++
		}
		out = append(out, excludedRange{start: i, end: j})
		i = j
	}
	return out
}

// signatureAttributes returns the ranges of rs (sorted, disjoint) that
// start in [from, to) of src and are left out of a signature: every
// attribute macro but one that forces inlining ("FORCE_INLINE",
// "ALWAYS_INLINE"), which, like "inline", decides whether callers carry the
// function's code and so stays ("static inline void NORETURN FORCE_INLINE
// f()" is "void FORCE_INLINE (…)").
func signatureAttributes(src []byte, rs []excludedRange, from, to int) []excludedRange {
	i := sort.Search(len(rs), func(i int) bool { return rs[i].start >= from })
	var out []excludedRange
	for ; i < len(rs) && rs[i].start < to; i++ {
		if !bytes.Contains(bytes.ToUpper(src[rs[i].start:rs[i].end]), []byte("INLINE")) {
			out = append(out, rs[i])
		}
	}
	return out
}

// signatureExclusions returns what of src[from:to] is no part of a
// signature: the attribute macros signatureAttributes leaves out and the
// conditional parts of a header read for one configuration, in order.
func (w *tsWalker) signatureExclusions(from, to int) []excludedRange {
	out := signatureAttributes(w.src, w.attrs, from, to)
	i := sort.Search(len(w.conditionalParts), func(i int) bool { return w.conditionalParts[i].start >= from })
	merged := false
	for ; i < len(w.conditionalParts) && w.conditionalParts[i].start < to; i++ {
		out = append(out, w.conditionalParts[i])
		merged = true
	}
	if merged {
		sort.Slice(out, func(i, j int) bool { return out[i].start < out[j].start })
	}
	return out
}

// nameEndsDeclaration reports whether, after text[j:] skips an attribute
// macro's optional argument list, a name follows and then the end of a
// declarator (";", ",", "=" or "["): "PACKED multiboot_info_t;" is an
// attribute and a name, "EXPORT(f);" and "MAX;" are not.
func nameEndsDeclaration(text []byte, j int) bool {
	n := len(text)
	k := skipBlanks(text, j)
	if k < n && text[k] == '(' {
		e, ok := closing(text, k, '(', ')')
		if !ok {
			return false
		}
		k = skipBlanks(text, e)
	}
	if k >= n || !isIdentByte(text[k]) || text[k] >= '0' && text[k] <= '9' {
		return false
	}
	for k < n && isIdentByte(text[k]) {
		k++
	}
	k = skipBlanks(text, k)
	return k < n && (text[k] == ';' || text[k] == ',' || text[k] == '=' || text[k] == '[')
}
