package cparse

import (
	"bytes"
	"math"
	"slices"
	"sort"
	"strings"
	"sync"
	"unsafe"
)

// token is one lexical token of C or C++ source text, found by the small
// lexer below. Both engines hash bodies, initializers and macro values from
// the file's own text with it, so that the two engines agree on what "the
// same tokens" means and comments or layout never count as changes.
type token struct {
	text  string
	start int // byte offset in the source
	end   int
}

// isIdentByte reports whether b can continue an identifier: '_', '$', a
// letter, a digit or any byte of a multibyte character. Every lexer of the
// package asks it of nearly every byte, so it reads a table.
func isIdentByte(b byte) bool { return identBytes[b] }

var identBytes = func() (t [256]bool) {
	for b := range 256 {
		t[b] = b == '_' || b == '$' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b >= 0x80
	}
	return t
}()

// punctuatorLen is the length of the operator at s[i:to]: the multi-byte
// ones of C and C++, else 1.
func punctuatorLen(s string, i, to int) int {
	if !punctuatorHeads[s[i]] {
		return 1 // "(", ")", ";", ",", braces and brackets: most operators
	}
	rest := to - i
	if rest >= 3 {
		switch s[i : i+3] {
		case "<<=", ">>=", "...", "->*", "<=>":
			return 3
		}
	}
	if rest >= 2 {
		switch s[i : i+2] {
		case "->", "++", "--", "<<", ">>", "<=", ">=", "==", "!=", "&&", "||",
			"*=", "/=", "%=", "+=", "-=", "&=", "^=", "|=", "##", "::", ".*":
			return 2
		}
	}
	return 1
}

// punctuatorHeads are the bytes a multi-byte operator begins with.
var punctuatorHeads = newByteSet("<>.-+=!&|*/%^#:")

// lexTokens splits src[from:to] into tokens, dropping whitespace, comments
// and backslash-newline continuations.
func lexTokens(src []byte, from, to int) []token {
	if from < 0 {
		from = 0
	}
	if to > len(src) {
		to = len(src)
	}
	if from >= to {
		return nil
	}
	// Room for what appendTokens grows to at once: a smaller list was
	// allocated, then allocated again.
	return appendTokens(make([]token, 0, (to-from)/5+4), src, from, to)
}

// hashRange is hashTokens(lexTokens(src, from, to)), with no list of
// tokens built: an initializer or an asm statement is hashed and its tokens
// are not looked at again.
func hashRange(src []byte, from, to int) string {
	h := newTokenHash()
	from, to = max(from, 0), min(to, len(src))
	if from >= to {
		return h.String()
	}
	str := unsafe.String(&src[0], len(src))
	for i := from; ; {
		t, ok := nextToken(src, str, i, to)
		if !ok {
			return h.String()
		}
		h.add(t.text)
		i = t.end
	}
}

// tokenBufs holds token buffers for reuse across parses: lexing a file
// scope or a body would otherwise allocate afresh each time.
var tokenBufs = sync.Pool{New: func() any { return new([]token) }}

// getTokenBuf returns an empty token buffer from the pool.
func getTokenBuf() *[]token { return tokenBufs.Get().(*[]token) }

// putTokenBuf returns buf to the pool with toks, its latest contents,
// cleared so that the pool does not keep sources alive. Only what was
// written is cleared: what lies beyond was never written or was cleared
// when the buffer last came back. Clearing the whole capacity cost
// FreeRTOS's history 30 CPU seconds: a buffer grown once for a megabyte
// vendor header was cleared, with write barriers, after every small file
// that reused it.
func putTokenBuf(buf *[]token, toks []token) {
	// A caller that shortened its tokens may have written past len: the
	// buffer is filled from its start, so the tokens in use end at the
	// first empty one.
	used := len(toks)
	for used < cap(toks) && toks[:cap(toks)][used].text != "" {
		used++
	}
	clear(toks[:used])
	*buf = toks[:0]
	tokenBufs.Put(buf)
}

// appendTokens appends the tokens of src[from:to] to toks, so that a
// caller lexing many ranges can reuse one buffer.
func appendTokens(toks []token, src []byte, from, to int) []token {
	if from < 0 {
		from = 0
	}
	if to > len(src) {
		to = len(src)
	}
	if from >= to {
		return toks
	}
	// One growth for the whole range (C runs about one token per five
	// bytes) rather than a doubling and copy per size class: a 1 MB
	// register header is 300,000 tokens.
	toks = slices.Grow(toks, (to-from)/5)
	// Token texts alias src (no copy per token); whatever a summary keeps
	// is cloned by the code that keeps it.
	str := unsafe.String(&src[0], len(src))
	for i := from; ; {
		t, ok := nextToken(src, str, i, to)
		if !ok {
			return toks
		}
		toks = append(toks, t)
		i = t.end
	}
}

// nextToken returns the first token of src[i:to], comments and whitespace
// skipped; str is src as a string, which token texts alias.
func nextToken(src []byte, str string, i, to int) (token, bool) {
	for i < to {
		c := src[i]
		if identBytes[c] {
			// Most tokens: an identifier or a number, asked first (the
			// cases below are disjoint from it).
			j := i + 1
			if c >= '0' && c <= '9' {
				// pp-number: digits, letters, dots and exponent signs.
				for j < to && (identBytes[src[j]] || src[j] == '.' ||
					(src[j] == '+' || src[j] == '-') && (src[j-1] == 'e' || src[j-1] == 'E' || src[j-1] == 'p' || src[j-1] == 'P')) {
					j++
				}
			} else {
				for j < to && identBytes[src[j]] {
					j++
				}
			}
			return token{str[i:j], i, j}, true
		}
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
			i++
			for i < to && isBlankByte(src[i]) {
				i++
			}
		case c == '\\' && i+1 < to && (src[i+1] == '\n' || src[i+1] == '\r'):
			i += 2
		case c == '/' && i+1 < to && src[i+1] == '/':
			// To the first newline no backslash escapes.
			for i += 2; ; i++ {
				k := bytes.IndexByte(src[i:to], '\n')
				if k < 0 {
					i = to
					break
				}
				if i += k; src[i-1] != '\\' {
					break
				}
			}
		case c == '/' && i+1 < to && src[i+1] == '*':
			k := bytes.Index(src[i+2:to], commentEnd)
			if k < 0 {
				return token{}, false
			}
			i += 2 + k + 2
		case c == '"' || c == '\'':
			j := i + 1
			for j < to && src[j] != c && src[j] != '\n' {
				if src[j] == '\\' {
					j++
				}
				j++
			}
			if j < to && src[j] == c {
				j++
			}
			if j > to {
				j = to
			}
			return token{str[i:j], i, j}, true
		default:
			n := punctuatorLen(str, i, to)
			return token{str[i : i+n], i, i + n}, true
		}
	}
	return token{}, false
}

// tokenHash is a 64-bit FNV-1a hash over a token sequence, each token
// followed by a 0 byte; 16 hex digits are plenty to tell versions of one
// entity apart, and it costs no allocation per token.
type tokenHash uint64

func newTokenHash() tokenHash { return 14695981039346656037 }

func (h *tokenHash) add(s string) {
	x := uint64(*h)
	for i := 0; i < len(s); i++ {
		x ^= uint64(s[i])
		x *= 1099511628211
	}
	x *= 1099511628211 // the 0 separator byte: XOR with 0, then multiply
	*h = tokenHash(x)
}

func (h tokenHash) String() string {
	const digits = "0123456789abcdef"
	var b [16]byte
	for i := 15; i >= 0; i-- {
		b[i] = digits[h&15]
		h >>= 4
	}
	return string(b[:])
}

// addAsmString adds a string literal of an inline asm statement with its
// blanks normalized: a run of spaces and tabs (the \t escape included) is
// one space, and none counts next to a quote or a \n escape. The assembler
// reads them alike, and re-indenting its lines ("\tldr r2, x\t\t\n" as
// "   ldr  r2, x    \n", FreeRTOS 01820d3e) changes no function.
func (h *tokenHash) addAsmString(s string) {
	x := uint64(*h)
	feed := func(c byte) {
		x ^= uint64(c)
		x *= 1099511628211
	}
	blank, lineStart := false, true
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\\' && i+1 < len(s) && s[i+1] == 't':
			if c == '\\' {
				i++
			}
			blank = true
			continue
		case c == '"' && (i == 0 || i == len(s)-1) || c == '\\' && i+1 < len(s) && s[i+1] == 'n':
			// A quote or a newline: blanks next to it do not count.
			feed(c)
			if c == '\\' {
				i++
				feed('n')
			}
			blank, lineStart = false, true
			continue
		}
		if blank && !lineStart {
			feed(' ')
		}
		blank, lineStart = false, false
		feed(c)
		if c == '\\' && i+1 < len(s) {
			i++ // an escape's second byte is no blank or quote of its own
			feed(s[i])
		}
	}
	x *= 1099511628211 // the 0 separator byte, as add
	*h = tokenHash(x)
}

// asmOperands follows a token sequence to tell the string literals of an
// inline asm statement ("__asm volatile ( "..." ::: "memory" )").
type asmOperands struct {
	pending bool // after asm and its qualifiers, before its '('
	depth   int  // parentheses open inside the statement
}

// stringOf reports whether text, the next token, is a string literal
// inside an asm statement's parentheses.
func (a *asmOperands) stringOf(text string) bool {
	if a.depth > 0 {
		switch text {
		case "(":
			a.depth++
		case ")":
			a.depth--
		}
		return len(text) > 0 && text[0] == '"'
	}
	if a.pending {
		switch text {
		case "(":
			a.depth, a.pending = 1, false
			return false
		case "volatile", "__volatile__", "__volatile", "goto", "inline":
			return false
		}
		a.pending = false
	}
	if len(text) >= 3 && (text[0] == 'a' || text[0] == '_') {
		switch text {
		case "asm", "__asm", "__asm__":
			a.pending = true
		}
	}
	return false
}

// hashTokens hashes toks. An inline asm statement's strings are hashed
// with their blanks normalized (addAsmString).
func hashTokens(toks []token) string {
	h := newTokenHash()
	var asm asmOperands
	for _, t := range toks {
		if asm.stringOf(t.text) {
			h.addAsmString(t.text)
			continue
		}
		h.add(t.text)
	}
	return h.String()
}

// hashBody hashes a body's tokens as hashTokens does, replacing the names
// in rename (its parameters) by their placeholders so that renaming a
// parameter consistently is not a change. named is the hash with every
// name kept, or "" when no token was renamed: two bodies with the same
// hash but different named hashes differ only in their parameters' names,
// the compiled code the same while a reader sees the body change.
func hashBody(toks []token, rename map[string]string) (hash, named string) {
	if len(rename) == 0 {
		return hashTokens(toks), ""
	}
	h := newTokenHash()
	var asm asmOperands
	// Only a token as long as some name, and beginning as one does, is
	// looked up: most tokens are operators and other names.
	var heads byteSet
	shortest, longest := math.MaxInt, 0
	for nm := range rename {
		if nm == "" {
			shortest = 0
			continue
		}
		heads[nm[0]] = true
		shortest, longest = min(shortest, len(nm)), max(longest, len(nm))
	}
	// withNames follows h until the first renamed token, from a copy of h
	// taken then: most bodies of a kernel never get that far.
	var withNames tokenHash
	renamed := false
	for i, t := range toks {
		if asm.stringOf(t.text) {
			h.addAsmString(t.text)
			if renamed {
				withNames.addAsmString(t.text)
			}
			continue
		}
		// A member access ".x" or "->x" names a member, never a parameter.
		if n := len(t.text); n >= shortest && n <= longest && (n == 0 || heads[t.text[0]]) {
			member := i > 0 && (toks[i-1].text == "." || toks[i-1].text == "->")
			if r, ok := rename[t.text]; ok && !member {
				if !renamed {
					withNames, renamed = h, true
				}
				h.add(r)
				withNames.add(t.text)
				continue
			}
		}
		h.add(t.text)
		if renamed {
			withNames.add(t.text)
		}
	}
	if !renamed {
		return h.String(), ""
	}
	return h.String(), withNames.String()
}

// excludedRange is a byte range left out of a normalized text, optionally
// replaced by fixed text.
type excludedRange struct {
	start, end  int
	replacement string
}

// typeKeywords are dropped from normalized type text: they say how an entity
// is stored or emitted, not what type it has.
var typeKeywords = newWordSet(append([]string{
	"static", "extern", "register", "auto", "inline", "virtual",
	"explicit", "override", "final", "typedef",
	"friend", "constexpr", "mutable", "thread_local",
}, compilerSpecifiers...)...)

// compilerSpecifiers are the compilers' and C11's spellings of storage and
// inline specifiers ("static __inline uint32_t f( void )"): the one list
// the passes that read declarations share, so that none of them takes one
// for a type or a name.
var compilerSpecifiers = []string{
	"__inline", "__inline__", "__forceinline", "_Noreturn", "_Thread_local", "__thread", "__extension__",
}

var attributeKeywords = newWordSet(
	"__attribute__", "__attribute", "__declspec", "__asm__", "__asm", "asm",
)

var qualifierKeywords = newWordSet(
	"const", "volatile", "restrict", "__restrict",
	"__restrict__", "__const", "__volatile__", "_Atomic",
)

var primitiveKeywords = newWordSet(
	"signed", "unsigned", "short", "long", "char",
	"int", "float", "double", "_Bool", "bool",
	"void", "__signed__", "_Complex", "__int128",
)

// wordSet is a set of words nearly every token is looked up in. A table
// of the lengths its words have, by first byte, answers most lookups (a
// name that is no keyword) without hashing the token.
type wordSet struct {
	lens  [256]uint64 // bit n of lens[b]: a word n long begins with b
	words map[string]bool
}

func newWordSet(words ...string) *wordSet {
	s := &wordSet{words: map[string]bool{}}
	for _, w := range words {
		s.words[w] = true
		s.lens[w[0]] |= 1 << len(w) // every word is shorter than 64
	}
	return s
}

// has reports whether w is in the set.
func (s *wordSet) has(w string) bool {
	return w != "" && len(w) < 64 && s.lens[w[0]]&(1<<len(w)) != 0 && s.words[w]
}

// normalizeTypeText turns the tokens of src[from:to] minus the excluded
// ranges into canonical type text: storage classes and attributes dropped,
// qualifiers first, primitive type words in one order ("unsigned long" for
// "long unsigned int"), one space between words and none inside brackets.
func normalizeTypeText(src []byte, from, to int, excl []excludedRange) string {
	return joinTypeWords(canonicalWords(typeWords(src, from, to, excl)))
}

// typeWords returns the tokens of src[from:to] that make up a type: the
// excluded ranges left out (or replaced), storage classes and attributes
// dropped.
func typeWords(src []byte, from, to int, excl []excludedRange) []string {
	// The tokens are done with once the words are (which alias src, not
	// the list): a pooled buffer serves every declaration.
	buf := getTokenBuf()
	toks := appendTokens(*buf, src, max(from, 0), min(to, len(src)))
	defer putTokenBuf(buf, toks)
	return typeWordsOf(toks, from, to, excl)
}

// typeWordsOf is typeWords given the tokens of src[from:to].
func typeWordsOf(toks []token, from, to int, excl []excludedRange) []string {
	sort.Slice(excl, func(i, j int) bool { return excl[i].start < excl[j].start })
	words := make([]string, 0, len(toks))
	// Tokens come in source order and excl is sorted by start, so one
	// cursor over excl serves every token: a prototype with 100,000 named
	// parameters has as many excluded ranges.
	next, maxEnd := 0, -1
	emitUpTo := func(off int) {
		for ; next < len(excl) && excl[next].start <= off; next++ {
			e := excl[next]
			maxEnd = max(maxEnd, e.end)
			if e.start >= from && e.start <= to && e.replacement != "" {
				words = append(words, e.replacement)
			}
		}
	}
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		emitUpTo(t.start)
		inside := t.start < maxEnd
		if inside || typeKeywords.has(t.text) {
			continue
		}
		if attributeKeywords.has(t.text) {
			// Skip the keyword and its parenthesized argument.
			if i+1 < len(toks) && toks[i+1].text == "(" {
				depth := 0
				for i++; i < len(toks); i++ {
					if toks[i].text == "(" {
						depth++
					} else if toks[i].text == ")" {
						depth--
						if depth == 0 {
							break
						}
					}
				}
			}
			continue
		}
		words = append(words, t.text)
	}
	emitUpTo(to)
	return words
}

// canonicalWords reorders each run of specifier words between punctuation:
// qualifiers first (sorted), then the primitive type in canonical spelling,
// then the rest in source order.
func canonicalWords(words []string) []string {
	out := make([]string, 0, len(words)+2)
	var quals, prims, rest []string
	flush := func() {
		if len(quals) > 1 {
			sort.Strings(quals)
		}
		out = append(out, quals...)
		if len(prims) > 0 {
			out = appendCanonicalPrimitive(out, prims)
		}
		for i, w := range rest {
			if i+1 < len(rest) && isMacroName(w) && typedefName(rest[i+1]) {
				// "static BOOT_BSS region_t avail_reg[]": a macro
				// whose definition the tolerant engine cannot see
				// (a section attribute) before the type it qualifies.
				continue
			}
			out = append(out, w)
		}
		quals, prims, rest = quals[:0], prims[:0], rest[:0]
	}
	for _, w := range words {
		switch {
		case qualifierKeywords.has(w):
			quals = append(quals, canonicalQualifier(w))
		case primitiveKeywords.has(w):
			prims = append(prims, w)
		case isIdentByte(w[0]):
			rest = append(rest, w)
		default:
			flush()
			out = append(out, w)
		}
	}
	flush()
	return out
}

// typedefName reports whether w is spelled as a typedef's name is: ending
// in _t (seL4's region_t, FreeRTOS's TickType_t).
func typedefName(w string) bool {
	return len(w) > 2 && strings.HasSuffix(w, "_t")
}

func canonicalQualifier(w string) string {
	switch w {
	case "__const":
		return "const"
	case "__volatile__":
		return "volatile"
	case "__restrict", "__restrict__":
		return "restrict"
	}
	return w
}

// appendCanonicalPrimitive appends to out a set of primitive type words
// spelled one way.
func appendCanonicalPrimitive(out, words []string) []string {
	// How many times each word comes: a few words a type, counted
	// without a map.
	var n struct{ char, unsigned, signed, short, long, int, int128, double, float, complex, bool_, bool, void int }
	for _, w := range words {
		switch w {
		case "char":
			n.char++
		case "unsigned":
			n.unsigned++
		case "signed", "__signed__":
			n.signed++
		case "short":
			n.short++
		case "long":
			n.long++
		case "int":
			n.int++
		case "__int128":
			n.int128++
		case "double":
			n.double++
		case "float":
			n.float++
		case "_Complex":
			n.complex++
		case "_Bool":
			n.bool_++
		case "bool":
			n.bool++
		case "void":
			n.void++
		}
	}
	switch {
	case n.char > 0:
		if n.unsigned > 0 {
			out = append(out, "unsigned")
		} else if n.signed > 0 {
			out = append(out, "signed")
		}
		out = append(out, "char")
	case n.short > 0 || n.long > 0 || n.int > 0 || n.signed > 0 || n.unsigned > 0 || n.int128 > 0:
		if n.unsigned > 0 {
			out = append(out, "unsigned")
		}
		switch {
		case n.short > 0:
			out = append(out, "short")
		case n.int128 > 0:
			out = append(out, "__int128")
		case n.long >= 2:
			out = append(out, "long", "long")
		case n.long == 1 && n.double > 0:
			out = append(out, "long", "double")
		case n.long == 1:
			out = append(out, "long")
		default:
			out = append(out, "int")
		}
	default:
		for _, c := range []struct {
			w string
			n int
		}{{"long", n.long}, {"double", n.double}, {"float", n.float}, {"_Complex", n.complex}, {"_Bool", n.bool_}, {"bool", n.bool}, {"void", n.void}} {
			for i := 0; i < c.n; i++ {
				out = append(out, c.w)
			}
		}
	}
	return out
}

// joinTypeWords joins words with single spaces, none after an opening
// bracket or before a closing one or a comma, none between ")(".
func joinTypeWords(words []string) string {
	var b strings.Builder
	n := len(words)
	for _, w := range words {
		n += len(w)
	}
	b.Grow(n)
	for i, w := range words {
		if i > 0 {
			prev := words[i-1]
			space := true
			switch {
			case prev == "(" || prev == "[" || prev == "::" || prev == "~":
				space = false
			case w == ")" || w == "]" || w == "," || w == "[" || w == "::" || w == ";":
				space = false
			case w == "(" && (prev == ")" || prev == "]"):
				space = false
			case (prev == "*" || prev == "&" || prev == "&&") && (w == "*" || w == "&" || w == ")" || w == "const" || w == "volatile" || w == "restrict"):
				space = false
			case w == "<" || prev == "<" || w == ">":
				space = false
			}
			if space {
				b.WriteByte(' ')
			}
		}
		b.WriteString(w)
	}
	return b.String()
}

// lineStarts indexes the byte offsets where lines begin, to turn offsets
// into 1-based line numbers.
type lineIndex []int

func newLineIndex(src []byte) lineIndex {
	return appendLineIndex(nil, src)
}

// appendLineIndex is newLineIndex into idx's storage, which it reuses
// when large enough.
func appendLineIndex(idx lineIndex, src []byte) lineIndex {
	// Sized once, filled by IndexByte: both engines build one per file.
	idx = append(slices.Grow(idx[:0], bytes.Count(src, newline)+1), 0)
	for i := 0; ; {
		k := bytes.IndexByte(src[i:], '\n')
		if k < 0 {
			return idx
		}
		i += k + 1
		idx = append(idx, i)
	}
}

var newline = []byte{'\n'}

// line returns the 1-based line holding byte offset off: the number of
// line starts at or before it.
func (li lineIndex) line(off int) int {
	n, _ := slices.BinarySearch(li, off+1)
	return n
}

func (li lineIndex) span(start, end int) Span {
	endLine := li.line(end)
	if end > start {
		endLine = li.line(end - 1)
	}
	return Span{StartLine: li.line(start), EndLine: endLine, StartByte: start, EndByte: end}
}
