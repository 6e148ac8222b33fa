package cparse

import (
	"bytes"
	"context"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	sitter "github.com/smacker/go-tree-sitter"
)

// maxErrorsRecorded bounds the errors one summary carries: unpreprocessed
// kernel code can hold hundreds of constructs tree-sitter cannot place.
const maxErrorsRecorded = 20

// summarizeTolerant fills sum from the tree-sitter parse of src; defs are
// the macro definitions that may declare types (see macrotype.go).
func summarizeTolerant(ctx context.Context, sum *Summary, s *source, defs macroDefs) {
	if err := walkSource(ctx, sum, s, defs); err != nil {
		sum.Errors = append(sum.Errors, Error{Msg: "tolerant parse stopped: " + err.Error(), Limit: limitOf(err)})
	}
}

// walkSource parses src with its function bodies blanked and adds what the
// declarations define to sum. Types declared through macro invocations are
// parsed apart (macrotype.go); a header whose macro definition named one is
// added to the tolerant engine's DependsOn.
func walkSource(ctx context.Context, sum *Summary, s *source, defs macroDefs) error {
	src := s.src
	decls, declarators := findMacroTypeDeclsOf(s, defs)
	if err := ctx.Err(); err != nil {
		return err
	}
	// The blanked texts live until tree-sitter has parsed the last one
	// (nothing of them is kept): their buffers go back to the pool then.
	copies := getTextCopies()
	defer putTextCopies(copies)
	oneConfiguration := blankAlternativeHeaders(s, copies)
	// The declarator macros go first: the body pass would take one after
	// another invocation's ')' for an attribute macro ("NODE_STATE_BEGIN(x)
	// NODE_STATE_DECLARE(T, y);").
	text := blankMacroDeclarators(oneConfiguration, src, declarators, copies)
	text = blankDefinitionDirectives(blankMacroTypeDecls(blankBodies(blankIARAssembler(blankAssemblerMacros(text, copies), copies), copies), src, decls, copies), copies)
	var macroFuncs []macroFunc
	var macroDefinitions []definingInvocation
	pre := text
	if sum.Lang == LangCPP {
		macroFuncs, macroDefinitions = findMacroFuncs(src, defs)
		pre = blankMacroFuncs(text, macroFuncs, macroDefinitions, copies)
	}
	text = blankAttributes(pre, sum.Lang == LangCPP, copies)
	tree, err := parseRanges(ctx, text, sum.Lang, nonBlankRanges(text))
	if err != nil {
		return err
	}
	defer tree.release()
	if l := tree.errorLine; l > 0 && (sum.Recovered == 0 || l < sum.Recovered) {
		sum.Recovered = l
	}
	w := newTSWalker(ctx, sum, src, s.lineIndex())
	w.file = s
	w.attrs = blankedRanges(pre, text)
	w.macroDeclaratorParts = macroDeclaratorParts(declarators)
	w.conditionalParts = blankedRanges(src, oneConfiguration)
	buf := getTokenBuf()
	w.tokBuf = *buf
	defer func() { putTokenBuf(buf, w.tokBuf) }()
	w.visit(tree.RootNode(), &scope{})
	if err := ctx.Err(); err != nil {
		return err
	}
	for _, d := range decls {
		w.macroType(d)
	}
	w.macroDeclared(declarators)
	for _, f := range macroFuncs {
		w.macroFunc(f)
	}
	for _, d := range macroDefinitions {
		w.macroDefined(d)
	}
	if sum.Engine == EngineTolerant {
		for _, h := range w.usedHeaders {
			if !slices.Contains(sum.DependsOn, h) {
				sum.DependsOn = append(sum.DependsOn, h)
			}
		}
		sort.Strings(sum.DependsOn)
	}
	w.finish()
	return nil
}

// tsWalker turns a tree-sitter syntax tree into summary entities. The tree
// is of the text with function bodies blanked; src is the original text,
// from which every hash and name is read.
type tsWalker struct {
	ctx     context.Context
	src     []byte
	lines   lineIndex
	sum     *Summary
	cpp     bool
	nErrors int
	// usedHeaders are the headers whose macro definitions named types.
	usedHeaders []string
	// file is the source src is the text of, whose tokens serve the
	// walk's ranges (source.tokensIn); nil for a text made up by the walk.
	file *source
	// tokBuf is reused to lex each function body the file's tokens do
	// not serve.
	tokBuf []token
	// attrs are the attribute macros blanked before parsing, in order:
	// no part of a signature (attributes.go).
	attrs []excludedRange
	// macroDeclaratorParts are the macro names, parentheses and commas of
	// the globals declared through macros, in order: no part of a type
	// (macrodecl.go).
	macroDeclaratorParts []excludedRange
	// conditionalParts are the directives and later branches of the
	// conditionals inside function headers, blanked to read one
	// configuration (blankAlternativeHeaders): no part of a signature.
	conditionalParts []excludedRange
}

// newTSWalker returns a walker of src, whose line index is lines.
func newTSWalker(ctx context.Context, sum *Summary, src []byte, lines lineIndex) *tsWalker {
	return &tsWalker{ctx: ctx, src: src, lines: lines, sum: sum, cpp: sum.Lang == LangCPP}
}

// fullBody parses the original text of the function definition in def
// and returns its body, which the blanked tree lacks.
func (w *tsWalker) fullBody(def sitter.Range, body *tsNode) (*tsNode, func()) {
	t, err := parseRanges(w.ctx, w.src, w.sum.Lang, []sitter.Range{def})
	if err != nil {
		return nil, func() {}
	}
	// A block starts with its "{": no other block starts where it does.
	for i := range t.nodes {
		if n := &t.nodes[i]; n.typ == "compound_statement" && n.start == body.StartByte() {
			return n, t.release
		}
	}
	return nil, t.release
}

// scope is where a declaration sits: its qualifying prefix, the class whose
// body holds it, the access in effect there.
type scope struct {
	prefix   string // "ns::Class::" for C++ members, "" at C file scope
	class    *Type
	access   string
	internal bool // inside an anonymous namespace
}

func (w *tsWalker) text(n *tsNode) string {
	return string(w.src[n.StartByte():n.EndByte()])
}

// bodyTokens returns the tokens of src[from:to], in tokBuf when the
// file's do not serve: they are done with before the next body's.
func (w *tsWalker) bodyTokens(from, to int) []token {
	if toks, ok := w.file.tokensIn(from, to); ok {
		return toks
	}
	w.tokBuf = appendTokens(w.tokBuf[:0], w.src, from, to)
	return w.tokBuf
}

// lexTokens, typeWords, normalizeTypeText and hashRange are the
// functions of the same names over src, reading the file's tokens where
// they serve.

func (w *tsWalker) lexTokens(from, to int) []token {
	if toks, ok := w.file.tokensIn(from, to); ok {
		return toks
	}
	return lexTokens(w.src, from, to)
}

func (w *tsWalker) typeWords(from, to int, excl []excludedRange) []string {
	if toks, ok := w.file.tokensIn(from, to); ok {
		return typeWordsOf(toks, from, to, excl)
	}
	return typeWords(w.src, from, to, excl)
}

func (w *tsWalker) normalizeTypeText(from, to int, excl []excludedRange) string {
	return joinTypeWords(canonicalWords(w.typeWords(from, to, excl)))
}

func (w *tsWalker) hashRange(from, to int) string {
	if toks, ok := w.file.tokensIn(from, to); ok {
		return hashTokens(toks)
	}
	return hashRange(w.src, from, to)
}

func (w *tsWalker) span(n *tsNode) Span {
	return w.lines.span(int(n.StartByte()), int(n.EndByte()))
}

func (w *tsWalker) errorAt(n *tsNode, msg string) {
	w.nErrors++
	if w.nErrors > maxErrorsRecorded {
		return
	}
	p := n.StartPoint()
	w.sum.Errors = append(w.sum.Errors, Error{Line: int(p.Row) + 1, Col: int(p.Column) + 1, Msg: msg})
}

// kids returns n's children.
func (w *tsWalker) kids(n *tsNode) []kid { return n.kids }

func (w *tsWalker) visitChildren(n *tsNode, sc *scope) {
	ks := w.kids(n)
	for i := 0; i < len(ks); i++ {
		if i%1024 == 1023 && w.ctx.Err() != nil {
			return // cancelled: walkSource reports it
		}
		if sc.class == nil {
			if end, ok := w.headerlessFunction(ks, i, sc); ok {
				i = end
				continue
			}
		}
		w.visit(ks[i].n, sc)
	}
}

func (w *tsWalker) visit(n *tsNode, sc *scope) {
	switch n.Type() {
	case "translation_unit", "declaration_list", "preproc_if", "preproc_ifdef",
		"preproc_else", "preproc_elif", "preproc_elifdef":
		w.visitChildren(n, sc)
	case "linkage_specification":
		if b := n.ChildByFieldName("body"); b != nil {
			w.visit(b, sc)
		}
	case "namespace_definition":
		inner := *sc
		if name := w.namespaceName(n); name != "" {
			inner.prefix = sc.prefix + name + "::"
		} else {
			inner.internal = true
		}
		if b := n.ChildByFieldName("body"); b != nil {
			w.visit(b, &inner)
		}
	case "template_declaration":
		for _, k := range w.kids(n) {
			if ch := k.n; k.typ != "template_parameter_list" {
				w.visit(ch, sc)
			}
		}
	case "function_definition":
		w.function(n, sc)
	case "friend_declaration":
		// A friend defined in a class body is named as a member of the
		// class, the name a reader finds it by (the compiler sees it at
		// namespace scope, one overload of many: every class's swap), but
		// it is none of the class's methods. A friend only declared
		// changes nothing of the class.
		if sc.class == nil {
			return
		}
		friend := *sc
		friend.class = nil
		for ch := range n.namedChildren() {
			switch ch.Type() {
			case "function_definition":
				w.function(ch, &friend)
			case "template_declaration":
				w.visit(ch, &friend)
			}
		}
	case "declaration", "field_declaration":
		w.declaration(n, sc)
	case "type_definition":
		w.typedef(n, sc)
	case "alias_declaration":
		if name := n.ChildByFieldName("name"); name != nil {
			t := n.ChildByFieldName("type")
			td := Typedef{Name: sc.prefix + w.text(name), Span: w.span(n)}
			if t != nil {
				td.Type = w.normalizeTypeText(int(t.StartByte()), int(t.EndByte()), nil)
			}
			w.sum.Typedefs = append(w.sum.Typedefs, td)
		}
	case "struct_specifier", "union_specifier", "enum_specifier", "class_specifier":
		w.typeSpec(n, sc, "")
	case "access_specifier":
		if sc.class != nil {
			sc.access = strings.TrimSuffix(strings.TrimSpace(w.text(n)), ":")
		}
	case "expression_statement":
		if ch := n.NamedChild(0); ch != nil && ch.Type() == "gnu_asm_expression" {
			span := w.span(n)
			var code string
			if c := ch.ChildByFieldName("assembly_code"); c != nil {
				code = w.text(c)
			}
			if named := asmBlockSymbols(code, span); len(named) > 0 {
				w.sum.Asm = append(w.sum.Asm, named...)
			} else {
				w.sum.Asm = append(w.sum.Asm, Asm{Hash: w.hashRange(int(ch.StartByte()), int(ch.EndByte())), Span: span})
			}
		}
	case "compound_statement":
		// A body whose header did not parse (K&R with implicit int, or a
		// macro tree-sitter cannot see through).
		w.errorAt(n, "tolerant: function body without a recognizable header, skipped")
	case "ERROR":
		if w.text(n) == ";" {
			// A stray semicolon after a definition ("void f() {...};"
			// before a constructor's): nothing to understand.
			return
		}
		w.errorAt(n, "tolerant: construct not understood, skipped")
		w.visitChildren(n, sc)
	}
}

// declaratorParts is what unwrapping a declarator finds: the name and, for
// a function, the function declarator that holds its parameters.
type declaratorParts struct {
	name     *tsNode
	function *tsNode
	init     *tsNode // initializer value of an init_declarator
	// hasParams is set when a function declarator appears anywhere on the
	// way to the name (a function, or a pointer to one).
	hasParams bool
}

// unwrapDeclarator walks pointer, array, reference and parenthesized
// declarators down to the name. The function declarator nearest to the
// name is the entity's own; outer ones belong to its return type.
func unwrapDeclarator(d *tsNode) declaratorParts {
	var parts declaratorParts
	for d != nil {
		switch d.Type() {
		case "init_declarator":
			parts.init = d.ChildByFieldName("value")
			d = d.ChildByFieldName("declarator")
		case "function_declarator":
			parts.function = d
			parts.hasParams = true
			d = d.ChildByFieldName("declarator")
		case "pointer_declarator", "array_declarator", "abstract_pointer_declarator":
			// A pointer to (or array of) functions is a variable, not a
			// function, unless another function declarator follows.
			parts.function = nil
			d = d.ChildByFieldName("declarator")
		case "attributed_declarator":
			d = d.ChildByFieldName("declarator")
		case "reference_declarator":
			parts.function = nil
			fallthrough
		case "parenthesized_declarator":
			var next *tsNode
			for ch := range d.namedChildren() {
				if !strings.HasSuffix(ch.Type(), "attribute_specifier") && ch.Type() != "type_qualifier" {
					next = ch
					break
				}
			}
			d = next
		case "operator_cast":
			// "operator T() const": the name and the function declarator
			// are one node; the name is what precedes the parameters.
			parts.name = d
			if f := d.ChildByFieldName("declarator"); f != nil && f.ChildByFieldName("parameters") != nil {
				parts.function = f
			}
			return parts
		case "identifier", "field_identifier", "type_identifier", "qualified_identifier",
			"destructor_name", "operator_name", "template_function",
			"primitive_type":
			// Tree-sitter inserts zero-width "missing" names to recover
			// from errors: no entity is named by them.
			if d.StartByte() < d.EndByte() {
				parts.name = d
			}
			return parts
		default:
			return parts
		}
	}
	return parts
}

// declExclusions is what a variable's, member's or typedef's type text
// leaves out: its name, and the parameter names of function pointers.
func declExclusions(parts declaratorParts, d *tsNode) []excludedRange {
	excl := []excludedRange{{start: int(parts.name.StartByte()), end: int(parts.name.EndByte())}}
	if parts.hasParams {
		excl = append(excl, nestedParamNames(d)...)
	}
	return excl
}

// nestedParamNames finds the names of the parameters in every parameter
// list under d (a function's own, and those of function pointers in its
// parameters or type), which normalized type text leaves out.
func nestedParamNames(d *tsNode) []excludedRange {
	var out []excludedRange
	var walk func(n *tsNode)
	walk = func(n *tsNode) {
		if n.Type() == "parameter_list" {
			for p := range n.namedChildren() {
				pd := p.ChildByFieldName("declarator")
				if pd == nil {
					continue
				}
				if parts := unwrapDeclarator(pd); parts.name != nil {
					out = append(out, excludedRange{start: int(parts.name.StartByte()), end: int(parts.name.EndByte())})
				}
				walk(pd)
			}
			return
		}
		for ch := range n.namedChildren() {
			walk(ch)
		}
	}
	walk(d)
	return out
}

// nameRange is the byte range of a declarator's name.
func nameRange(parts declaratorParts) excludedRange {
	r := excludedRange{start: int(parts.name.StartByte()), end: int(parts.name.EndByte())}
	if parts.name.Type() == "operator_cast" && parts.function != nil {
		r.end = int(parts.function.StartByte())
	}
	return r
}

// entityName spells a declarator's name, qualified by the scope.
func (w *tsWalker) entityName(n *tsNode, sc *scope) string {
	if n.Type() == "operator_cast" {
		if f := n.ChildByFieldName("declarator"); f != nil {
			return sc.prefix + normalizeOperator(string(w.src[n.StartByte():f.StartByte()]))
		}
	}
	name := stripTemplateArgs(stripSpaces(w.text(n)))
	if n.Type() == "operator_name" || n.Type() == "operator_cast" {
		name = normalizeOperator(w.text(n))
	} else if n.Type() == "qualified_identifier" {
		name = normalizeOperator(name)
	}
	return sc.prefix + name
}

// paramInfo lists a function's parameters: the byte ranges of their names
// (left out of the signature), the names (renamed in the body hash) and the
// struct types of those that point to one.
type paramInfo struct {
	nameRanges []excludedRange
	names      []string
	types      map[string]string
	krList     *tsNode // K&R identifier list, replaced by the types
	krTypes    string
}

func (w *tsWalker) params(fn *tsNode, def *tsNode) paramInfo {
	pi := paramInfo{types: map[string]string{}}
	list := fn.ChildByFieldName("parameters")
	if list == nil {
		return pi
	}
	kr := false
	for p := range list.namedChildren() {
		switch p.Type() {
		case "parameter_declaration", "optional_parameter_declaration", "variadic_parameter_declaration":
			d := p.ChildByFieldName("declarator")
			if d == nil {
				continue
			}
			parts := unwrapDeclarator(d)
			if parts.hasParams {
				// A function pointer parameter names its own parameters.
				pi.nameRanges = append(pi.nameRanges, nestedParamNames(d)...)
			}
			if parts.name != nil {
				pi.nameRanges = append(pi.nameRanges, excludedRange{start: int(parts.name.StartByte()), end: int(parts.name.EndByte())})
				nm := w.text(parts.name)
				pi.names = append(pi.names, nm)
				if t := p.ChildByFieldName("type"); t != nil {
					pi.types[nm] = w.typeTag(t)
				}
			}
			// A C++ default argument stays in the signature: changing it
			// changes what callers compiled against pass.
		case "identifier":
			kr = true
			pi.names = append(pi.names, w.text(p))
		}
	}
	if kr && def != nil {
		// K&R definition: the parameter types come from the declarations
		// between the declarator and the body.
		krDecl := map[string]string{}
		for d := range def.namedChildren() {
			if d.Type() != "declaration" {
				continue
			}
			t := d.ChildByFieldName("type")
			for _, k := range w.kids(d) {
				if k.field != "declarator" {
					continue
				}
				decl := k.n
				parts := unwrapDeclarator(decl)
				if parts.name == nil {
					continue
				}
				excl := []excludedRange{{start: int(parts.name.StartByte()), end: int(parts.name.EndByte())}}
				words := w.typeWords(int(d.StartByte()), w.firstDeclaratorStart(d), nil)
				words = append(words, w.typeWords(int(decl.StartByte()), int(decl.EndByte()), excl)...)
				nm := w.text(parts.name)
				krDecl[nm] = joinTypeWords(canonicalWords(words))
				if t != nil {
					pi.types[nm] = w.typeTag(t)
				}
			}
		}
		var types []string
		for _, nm := range pi.names {
			if t, ok := krDecl[nm]; ok {
				types = append(types, t)
			} else {
				types = append(types, "int") // implicit int
			}
		}
		pi.krList = list
		pi.krTypes = "(" + strings.Join(types, ", ") + ")"
	}
	return pi
}

// firstDeclaratorStart is where a declaration's first declarator begins,
// i.e. where its specifiers end.
func (w *tsWalker) firstDeclaratorStart(d *tsNode) int {
	for _, k := range w.kids(d) {
		if k.field == "declarator" {
			return int(k.n.StartByte())
		}
	}
	return int(d.EndByte())
}

// typeTag names the struct, union, class or typedef a type specifier
// refers to, for resolving member accesses through a variable.
func (w *tsWalker) typeTag(t *tsNode) string {
	switch t.Type() {
	case "struct_specifier", "union_specifier", "class_specifier":
		if n := t.ChildByFieldName("name"); n != nil {
			return stripTemplateArgs(stripSpaces(w.text(n)))
		}
	case "type_identifier", "qualified_identifier", "template_type":
		return stripTemplateArgs(stripSpaces(w.text(t)))
	}
	return ""
}

// function records a function definition.
func (w *tsWalker) function(n *tsNode, sc *scope) {
	d := n.ChildByFieldName("declarator")
	if d == nil {
		w.errorAt(n, "tolerant: function without declarator")
		return
	}
	parts := unwrapDeclarator(d)
	body := n.ChildByFieldName("body")
	if parts.function == nil && parts.name != nil && body == nil && sc.class != nil && zeroInitializer(n) != nil {
		// "static unsigned const ord = 0;" in a class body: tree-sitter
		// takes "= 0" for a pure-virtual clause and the member for a
		// method, but a declarator without parameters declares data.
		w.member(n, d, parts, sc, "")
		return
	}
	if parts.function == nil || parts.name == nil {
		if body == nil || !w.macroHeaderFunction(n, d, body, sc) {
			w.errorAt(n, "tolerant: function definition not understood")
		}
		return
	}
	if body == nil {
		// "virtual void f() = 0;" and "= default" parse as definitions. A
		// defaulted function is one, whose body the compiler writes:
		// written out later ("Pipe() = default;" becoming "Pipe() :
		// inSeq{0} {}"), its body changes.
		if at := defaultedAt(w.src, d, n); at >= 0 {
			fn := w.functionCommon(n, d, parts, sc, n, w.params(parts.function, nil))
			fn.Definition = true
			fn.BodyHash = w.hashRange(at, int(n.EndByte()))
			if sc.class != nil {
				sc.class.Methods = append(sc.class.Methods, w.methodOf(fn, n, d))
			}
			w.sum.Functions = append(w.sum.Functions, fn)
			return
		}
		w.functionDecl(n, d, parts, sc)
		return
	}
	pi := w.params(parts.function, n)
	fn := w.functionCommon(n, d, parts, sc, n, pi)
	fn.Definition = true
	if name := macroDefinedName(w, fn.Name, parts.function.ChildByFieldName("parameters")); name != "" {
		fn.Name = name
	}
	bodyStart := int(body.StartByte())
	for ch := range n.namedChildren() {
		if ch.Type() == "field_initializer_list" && int(ch.StartByte()) < bodyStart {
			bodyStart = int(ch.StartByte())
		}
	}
	w.fillBody(&fn, n.Range(), body, bodyStart, pi)
	w.sum.Functions = append(w.sum.Functions, fn)
	if sc.class != nil {
		m := w.methodOf(fn, n, d)
		sc.class.Methods = append(sc.class.Methods, m)
	}
}

// bracedTypeRe is an initializer that starts by constructing a named type
// with braces, "ns::T{...}" (a call "f(...)" could name a function).
var bracedTypeRe = regexp.MustCompile(`^\s*((::)?[A-Za-z_]\w*(::[A-Za-z_]\w*)*)\s*\{`)

// deducedType adds to the specifier words of a declaration n whose type
// is "auto" the type its initializer constructs with braces: "constexpr
// auto fileOperations = protocols::fs::FileOperations{}.withRead(&read)" is
// a FileOperations, as the positional "constexpr
// protocols::fs::FileOperations fileOperations{…}" it replaced was
// (managarm 000192678f). A chain of calls on the new object is taken to
// return it, as a builder's setters do.
func (w *tsWalker) deducedType(n *tsNode, words []string, init *tsNode) []string {
	if t := n.ChildByFieldName("type"); t == nil || strings.TrimSpace(w.text(t)) != "auto" {
		return words
	}
	m := bracedTypeRe.FindStringSubmatch(w.text(init))
	if m == nil {
		return words
	}
	return append(words, m[1])
}

// enumerators appends to list the enumerators of an enum's body, those
// under #if, #ifdef and #else included, as a struct's members are: each
// branch builds in some configuration of the kernel (seL4's enum
// thread_control_flag gains two under #ifdef CONFIG_KERNEL_MCS). Each
// carries the conditions it is defined under, so that an enumerator made
// conditional changes its enum. outer is the condition of n's
// surroundings, own n's own ("" for none).
func (w *tsWalker) enumerators(n *tsNode, list []Enumerator, outer, own string) []Enumerator {
	here := joinConditions(outer, own)
	for e := range n.namedChildren() {
		switch e.Type() {
		case "enumerator":
			en := Enumerator{Condition: here}
			if nm := e.ChildByFieldName("name"); nm != nil {
				en.Name = w.text(nm)
			}
			if v := e.ChildByFieldName("value"); v != nil {
				en.Value = w.normalizeTypeText(int(v.StartByte()), int(v.EndByte()), nil)
			}
			list = append(list, en)
		case "preproc_if", "preproc_ifdef":
			list = w.enumerators(e, list, here, w.conditionOf(e))
		case "preproc_else":
			// The alternative of n: n's surroundings, n's own condition false.
			list = w.enumerators(e, list, joinConditions(outer, negateCondition(own)), "")
		case "preproc_elif", "preproc_elifdef":
			list = w.enumerators(e, list, joinConditions(outer, negateCondition(own)), w.conditionOf(e))
		}
	}
	return list
}

// conditionOf is the condition a conditional directive's node tests, its
// blanks normalized: "CONFIG_PT_LEVELS > 2", "defined(X)", "!defined(X)".
func (w *tsWalker) conditionOf(n *tsNode) string {
	if c := n.ChildByFieldName("condition"); c != nil {
		return strings.Join(strings.Fields(w.text(c)), " ")
	}
	name := n.ChildByFieldName("name")
	if name == nil {
		return "?"
	}
	if n.ChildCount() > 0 && strings.HasSuffix(n.Child(0).Type(), "ndef") {
		return "!defined(" + w.text(name) + ")"
	}
	return "defined(" + w.text(name) + ")"
}

func joinConditions(outer, own string) string {
	switch {
	case own == "":
		return outer
	case outer == "":
		return own
	}
	return outer + " && " + own
}

func negateCondition(c string) string {
	if c == "" {
		return ""
	}
	return "!(" + c + ")"
}

// fillBodyRange fills what a body in src[open:end] (from its '{' to past
// its '}') tells, for a definition without a tree of its own: its hash,
// calls, member accesses and asm.
func (w *tsWalker) fillBodyRange(fn *Function, open, end int, pi paramInfo) {
	toks := w.bodyTokens(open, end)
	fn.BodyHash = hashTokens(toks)
	ba := analyzeBody(toks, pi.types)
	fn.Calls, fn.Members, fn.HasAsm = ba.calls, ba.members, ba.hasAsm
}

// fillBody fills what a definition's body tells: its hash (from bodyStart,
// which may include C++ member initializers), calls, member accesses, asm
// and static locals. def is the range of the whole definition.
func (w *tsWalker) fillBody(fn *Function, def sitter.Range, body *tsNode, bodyStart int, pi paramInfo) {
	rename := map[string]string{}
	for i, nm := range pi.names {
		rename[nm] = "$" + strconv.Itoa(i)
	}
	toks := w.bodyTokens(bodyStart, int(body.EndByte()))
	fn.BodyHash, fn.NamedBodyHash = hashBody(toks, rename)
	// Member initializers are hashed with the body but name members, not
	// callees.
	for len(toks) > 0 && toks[0].start < int(body.StartByte()) {
		toks = toks[1:]
	}
	ba := analyzeBody(toks, pi.types)
	fn.Calls, fn.Members, fn.HasAsm = ba.calls, ba.members, ba.hasAsm
	if ba.hasStatic {
		full, done := w.fullBody(def, body)
		if full != nil {
			fn.StaticLocals = w.staticLocals(full)
		}
		done()
	}
}

// headerlessFunction recognizes, at ks[i], a function definition whose
// header tree-sitter cannot read and returns the index of its body:
// a macro that defines the header ("SYSCALL_DEFINE1(close, int, fd) {...}",
// parsed as a call followed by a block), or a K&R definition with an
// implicit int result ("copyargs(a, n) char *a; {...}", a declaration of
// macro-like type, the parameter declarations, then a block). Such a
// function's signature is the normalized text of its header.
func (w *tsWalker) headerlessFunction(ks []kid, i int, sc *scope) (int, bool) {
	k := ks[i]
	var nameNode, args, call *tsNode
	end := i + 1
	switch k.typ {
	case "expression_statement":
		if i+1 >= len(ks) || ks[i+1].typ != "compound_statement" {
			return 0, false
		}
		call = k.n.NamedChild(0)
		if call == nil || call.Type() != "call_expression" {
			return 0, false
		}
		nameNode, args = call.ChildByFieldName("function"), call.ChildByFieldName("arguments")
	case "declaration":
		var t *tsNode
		for _, c := range w.kids(k.n) {
			if c.field == "type" && c.typ == "macro_type_specifier" {
				t = c.n
			}
		}
		if t == nil {
			return 0, false
		}
		for end < len(ks) && ks[end].typ == "declaration" && end-i <= 16 {
			end++
		}
		if end >= len(ks) || ks[end].typ != "compound_statement" {
			return 0, false
		}
		nameNode, args = t.ChildByFieldName("name"), t
	default:
		return 0, false
	}
	if nameNode == nil || nameNode.Type() != "identifier" || args == nil {
		return 0, false
	}
	body := ks[end].n
	fn := Function{Name: sc.prefix + w.text(nameNode), Definition: true, Static: sc.internal,
		Span: w.lines.span(int(k.n.StartByte()), int(body.EndByte()))}
	if k.typ == "expression_statement" {
		// A call followed by a block cannot be anything but a macro that
		// writes a function's header, whatever the macro's case
		// ("portTASK_FUNCTION( prvIdleTask, pvParameters ) {...}").
		fn.Name = macroHeaderName(w.src, int(call.StartByte()), int(call.EndByte()))
		if fn.Name == "" {
			return 0, false
		}
		fn.Name = sc.prefix + fn.Name
	}
	for _, c := range w.kids(k.n) {
		if c.typ == "storage_class_specifier" && strings.TrimSpace(w.text(c.n)) == "static" {
			fn.Static = true
		}
	}
	pi := paramInfo{types: map[string]string{}}
	var excl []excludedRange
	if k.typ == "declaration" {
		// K&R: the names in "f(a, b)" are the parameters; leave them out
		// of the signature and rename them in the body, as for others.
		seen := map[string]bool{}
		for _, t := range w.lexTokens(int(nameNode.EndByte()), int(args.EndByte())) {
			if isIdentToken(t.text) && !seen[t.text] {
				seen[t.text] = true
				pi.names = append(pi.names, t.text)
			}
		}
		for _, t := range w.lexTokens(int(nameNode.EndByte()), int(body.StartByte())) {
			if seen[t.text] {
				excl = append(excl, excludedRange{start: t.start, end: t.end})
			}
		}
	}
	fn.Signature = w.normalizeTypeText(int(nameNode.EndByte()), int(body.StartByte()), excl)
	def := sitter.Range{StartPoint: k.n.StartPoint(), EndPoint: body.EndPoint(), StartByte: k.n.StartByte(), EndByte: body.EndByte()}
	w.fillBody(&fn, def, body, int(body.StartByte()), pi)
	w.sum.Functions = append(w.sum.Functions, fn)
	return end, true
}

// macroHeaderFunction records a definition whose header is a macro
// invocation after storage classes ("static portTASK_FUNCTION( prvIdleTask,
// pvParameters ) {...}"): tree-sitter reads the invocation as a type and
// finds no declarator (d is empty). It reports whether n was one.
func (w *tsWalker) macroHeaderFunction(n, d, body *tsNode, sc *scope) bool {
	if d.EndByte() != d.StartByte() {
		return false
	}
	t := n.ChildByFieldName("type")
	if t == nil || t.Type() != "macro_type_specifier" {
		return false
	}
	name := macroHeaderName(w.src, int(t.StartByte()), int(t.EndByte()))
	if name == "" {
		return false
	}
	fn := Function{Name: sc.prefix + name, Definition: true, Static: sc.internal, Span: w.span(n)}
	for _, k := range w.kids(n) {
		if k.typ == "storage_class_specifier" && strings.TrimSpace(w.text(k.n)) == "static" {
			fn.Static = true
		}
	}
	nameEnd := int(t.StartByte())
	if nt := t.ChildByFieldName("name"); nt != nil {
		nameEnd = int(nt.EndByte())
	}
	fn.Signature = w.normalizeTypeText(nameEnd, int(body.StartByte()), nil)
	w.fillBody(&fn, n.Range(), body, int(body.StartByte()), paramInfo{types: map[string]string{}})
	w.sum.Functions = append(w.sum.Functions, fn)
	return true
}

// macroHeaderName names a function whose header is the macro invocation
// in src[start:end] ("MACRO(name, ...)"): the macro and its first argument,
// "MACRO(name)", as macroDefinedName does; "" when the text is not an
// identifier, "(" and an identifier.
func macroHeaderName(src []byte, start, end int) string {
	toks := lexTokens(src, start, end)
	if len(toks) < 3 || !isIdentToken(toks[0].text) || notCalls.has(toks[0].text) || toks[1].text != "(" || !isIdentToken(toks[2].text) {
		return ""
	}
	return toks[0].text + "(" + toks[2].text + ")"
}

// macroDefinedName names a function defined through a macro, as in
// "SYSCALL_DEFINE2(kill, pid_t, pid, int, sig) {...}": the macro and its
// first argument ("SYSCALL_DEFINE2(kill)"), so that the functions one macro
// defines are told apart. "" when name does not look like a macro.
func macroDefinedName(w *tsWalker, name string, list *tsNode) string {
	if name == "" || strings.Contains(name, "::") {
		return ""
	}
	for i := 0; i < len(name); i++ {
		if c := name[i]; !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_') {
			return ""
		}
	}
	if list == nil || list.NamedChildCount() == 0 {
		return ""
	}
	if p := list.NamedChild(0); p.Type() == "parameter_declaration" {
		// A macro's arguments are bare names ("close" in
		// SYSCALL_DEFINE1(close, unsigned int, fd)); a parameter with a
		// declarator or a type no macro argument spells ("void", "int x",
		// "struct timer *t") makes this a function whose name is upper
		// case, as AVR's interrupt vectors are (SIG_OUTPUT_COMPARE1A).
		if t := p.ChildByFieldName("type"); p.ChildByFieldName("declarator") != nil || t != nil && t.Type() != "type_identifier" {
			return ""
		}
	}
	first := stripSpaces(w.text(list.NamedChild(0)))
	if first == "" || !isIdentToken(first) {
		return ""
	}
	return name + "(" + first + ")"
}

// functionCommon fills what definitions and declarations share.
func (w *tsWalker) functionCommon(n, d *tsNode, parts declaratorParts, sc *scope, def *tsNode, pi paramInfo) Function {
	fn := Function{Name: w.entityName(parts.name, sc), Span: w.span(n)}
	excl := append([]excludedRange{nameRange(parts)}, pi.nameRanges...)
	excl = append(excl, w.signatureExclusions(int(n.StartByte()), int(d.EndByte()))...)
	if pi.krList != nil {
		excl = append(excl, excludedRange{start: int(pi.krList.StartByte()), end: int(pi.krList.EndByte()), replacement: pi.krTypes})
	}
	// Trailing "= 0", "override" and friends follow the declarator.
	fn.Signature = w.normalizeTypeText(int(n.StartByte()), int(d.EndByte()), excl)
	fn.Static = sc.internal
	for _, k := range w.kids(n) {
		ch := k.n
		switch k.typ {
		case "storage_class_specifier":
			switch strings.TrimSpace(w.text(ch)) {
			case "static":
				fn.Static = sc.class == nil || fn.Static
			case "extern":
				fn.Extern = true
			case "inline", "__inline", "__inline__", "__forceinline":
				fn.Inline = true
			}
		case "virtual", "virtual_function_specifier":
			fn.Virtual = true
		}
	}
	for _, k := range w.kids(parts.function) {
		ch := k.n
		switch k.typ {
		case "type_qualifier":
			if strings.TrimSpace(w.text(ch)) == "const" {
				fn.Const = true
			}
		case "virtual_specifier":
			fn.Virtual, fn.Override = true, true
		}
	}
	if sc.class != nil {
		fn.Access = sc.access
		if def != nil {
			fn.Inline = true // defined in the class body
		}
	}
	return fn
}

// strayDefinitionBody is the body of a function definition followed by a
// stray semicolon ("void A::f(int x) {...};", which compilers accept and
// C++ code often has): tree-sitter reads it as a declaration whose
// declarator is initialized with a brace list, or in a class body as a
// member whose default value is one ("inline void qi_submit(...) {...};"
// in NOVA's Dmar). A function declarator cannot be brace-initialized
// without "=", so the list is the body. It returns the function's own
// declarator and the body, nils when n's declarator d is not such a one.
func strayDefinitionBody(w *tsWalker, n, d *tsNode) (declarator, body *tsNode) {
	switch {
	case d.Type() == "init_declarator":
		declarator, body = d.ChildByFieldName("declarator"), d.ChildByFieldName("value")
	case n.Type() == "field_declaration":
		declarator, body = d, n.ChildByFieldName("default_value")
	}
	if declarator == nil || body == nil || body.Type() != "initializer_list" {
		return nil, nil
	}
	for _, t := range w.lexTokens(int(declarator.EndByte()), int(body.StartByte())) {
		if t.text == "=" {
			return nil, nil
		}
	}
	return declarator, body
}

// strayDefinition records the definition strayDefinitionBody found: its
// header is the declaration up to the function declarator, as for any
// definition.
func (w *tsWalker) strayDefinition(n, declarator, body *tsNode, parts declaratorParts, sc *scope) {
	pi := w.params(parts.function, n)
	fn := w.functionCommon(n, declarator, parts, sc, n, pi)
	fn.Definition = true
	w.fillBody(&fn, n.Range(), body, int(body.StartByte()), pi)
	w.sum.Functions = append(w.sum.Functions, fn)
	if sc.class != nil {
		sc.class.Methods = append(sc.class.Methods, w.methodOf(fn, n, declarator))
	}
}

// functionDecl records a prototype, or a method declared in a class body.
func (w *tsWalker) functionDecl(n, d *tsNode, parts declaratorParts, sc *scope) {
	fn := w.functionCommon(n, d, parts, sc, nil, w.params(parts.function, nil))
	if sc.class != nil {
		sc.class.Methods = append(sc.class.Methods, w.methodOf(fn, n, d))
		// A method declared in a class body also declares the function
		// Class::method, as a C prototype in a header does: a class
		// added or removed adds or removes it, and its signature is
		// the one callers were built against. A deleted one declares
		// no code, and an upper-case name without a type is a macro
		// invocation (NOVA's DEFINE_SYSREG32_RW (el1_ctlr, ...)).
		if deletedFunction(w.src, d, n) || n.ChildByFieldName("type") == nil && isMacroName(w.text(parts.name)) {
			return
		}
	}
	w.sum.Functions = append(w.sum.Functions, fn)
}

// deletedFunction reports whether the declaration n of the function
// declarator d ends in "= delete".
// defaultedAt returns the offset of the "=" of a declarator followed by
// "= default", -1 when it is not.
func defaultedAt(src []byte, d, n *tsNode) int {
	rest := src[d.EndByte():n.EndByte()]
	trimmed := bytes.TrimSpace(bytes.TrimSuffix(bytes.TrimSpace(rest), []byte(";")))
	after, ok := bytes.CutPrefix(trimmed, []byte("="))
	if !ok || string(bytes.TrimSpace(after)) != "default" {
		return -1
	}
	return int(d.EndByte()) + bytes.IndexByte(rest, '=')
}

func deletedFunction(src []byte, d, n *tsNode) bool {
	rest := bytes.TrimSpace(src[d.EndByte():n.EndByte()])
	rest = bytes.TrimSpace(bytes.TrimSuffix(rest, []byte(";")))
	after, ok := bytes.CutPrefix(rest, []byte("="))
	return ok && string(bytes.TrimSpace(after)) == "delete"
}

func (w *tsWalker) methodOf(fn Function, n, d *tsNode) Method {
	name := fn.Name
	if i := strings.LastIndex(fn.Name, "::"); i >= 0 {
		name = fn.Name[i+2:]
	}
	m := Method{Name: name, Signature: fn.Signature, Virtual: fn.Virtual, Override: fn.Override, Const: fn.Const, Access: fn.Access}
	for _, k := range w.kids(n) {
		ch := k.n
		switch k.typ {
		case "storage_class_specifier":
			if strings.TrimSpace(w.text(ch)) == "static" {
				m.Static = true
			}
		case "pure_virtual_clause":
			m.Pure = true
		case "number_literal":
			if int(ch.StartByte()) >= int(d.EndByte()) && w.text(ch) == "0" {
				m.Pure = true
			}
		}
	}
	if v := n.ChildByFieldName("default_value"); v != nil && w.text(v) == "0" {
		m.Pure = true
	}
	return m
}

// staticLocals finds the static variables declared in a function body.
func (w *tsWalker) staticLocals(body *tsNode) []Global {
	var out []Global
	var walk func(n *tsNode)
	walk = func(n *tsNode) {
		if n.Type() == "declaration" {
			static := false
			for _, k := range w.kids(n) {
				if ch := k.n; k.typ == "storage_class_specifier" && strings.TrimSpace(w.text(ch)) == "static" {
					static = true
				}
			}
			if static {
				out = append(out, w.globals(n, &scope{}, true)...)
			}
			return
		}
		for ch := range n.namedChildren() {
			walk(ch)
		}
	}
	walk(body)
	return out
}

// globals makes a Global of each variable declarator of a declaration.
func (w *tsWalker) globals(n *tsNode, sc *scope, static bool) []Global {
	var out []Global
	specEnd := w.firstDeclaratorStart(n)
	var bodyExcl []excludedRange
	if t := n.ChildByFieldName("type"); t != nil {
		if b := t.ChildByFieldName("body"); b != nil && t.ChildByFieldName("name") != nil {
			// A tagged struct is a type of its own, whose layout is
			// compared there; an anonymous one's members stay in the
			// variable's type, so that changing them changes it.
			bodyExcl = append(bodyExcl, excludedRange{start: int(b.StartByte()), end: int(b.EndByte()), replacement: "{...}"})
		}
	}
	for _, k := range w.kids(n) {
		if k.field != "declarator" {
			continue
		}
		decl := k.n
		parts := unwrapDeclarator(decl)
		if parts.name == nil || parts.function != nil {
			continue
		}
		declEnd := int(decl.EndByte())
		if parts.init != nil {
			// The declarator ends before the "=": an attribute macro
			// blanked between them ("Pci::map[] INITDATA = {...}") is no
			// part of the type.
			declEnd = int(parts.init.StartByte())
			if inner := decl.ChildByFieldName("declarator"); inner != nil && decl.Type() == "init_declarator" {
				declEnd = int(inner.EndByte())
			}
		}
		excl := declExclusions(parts, decl)
		words := w.typeWords(int(n.StartByte()), specEnd, w.withMacroDeclaratorParts(bodyExcl, int(n.StartByte()), specEnd))
		if w.cpp && parts.init != nil {
			words = w.deducedType(n, words, parts.init)
		}
		words = append(words, w.typeWords(int(decl.StartByte()), declEnd, w.withMacroDeclaratorParts(excl, int(decl.StartByte()), declEnd))...)
		for len(words) > 0 && words[len(words)-1] == "=" {
			words = words[:len(words)-1]
		}
		g := Global{Name: w.entityName(parts.name, sc), Type: joinTypeWords(canonicalWords(words)), Static: static || sc.internal, Span: w.span(decl)}
		// C++ gives a namespace-scope variable that is itself const
		// (constexpr, or const not behind a pointer) and not inline
		// internal linkage, as static would: "constexpr bool
		// logScheduling = false;", which managarm moved into an
		// anonymous namespace without changing it.
		constant, inline := false, false
		for _, k := range n.kids {
			switch ch := k.n; ch.Type() {
			case "storage_class_specifier", "type_qualifier":
				switch strings.TrimSpace(w.text(ch)) {
				case "static":
					g.Static = true
				case "extern":
					g.Extern = true
				case "inline":
					inline = true
				case "constexpr":
					constant = true
				case "const":
					constant = constant || !behindPointer(decl)
				}
			}
		}
		if w.cpp && constant && !inline && !g.Extern && sc.class == nil && parts.name.Type() != "qualified_identifier" {
			g.Static = true
		}
		if parts.init != nil {
			g.InitHash = w.hashRange(int(parts.init.StartByte()), int(parts.init.EndByte()))
		} else if v := decl.ChildByFieldName("value"); v != nil && k.typ == "init_declarator" {
			g.InitHash = w.hashRange(int(v.StartByte()), int(v.EndByte()))
		}
		out = append(out, g)
	}
	return out
}

// behindPointer reports whether the declarator declares a pointer or a
// reference, whose declaration-level const qualifies what it points to.
func behindPointer(d *tsNode) bool {
	if d.Type() == "init_declarator" {
		d = d.ChildByFieldName("declarator")
	}
	for d != nil && d.Type() == "parenthesized_declarator" {
		var next *tsNode
		for ch := range d.namedChildren() {
			next = ch
			break
		}
		d = next
	}
	return d != nil && (d.Type() == "pointer_declarator" || d.Type() == "reference_declarator")
}

// declaration handles a file-scope declaration, or a member declaration
// inside a struct or class body.
func (w *tsWalker) declaration(n *tsNode, sc *scope) {
	var typeName string
	if t := n.ChildByFieldName("type"); t != nil {
		if b := t.ChildByFieldName("body"); b != nil && !memberEnum(n, t, sc) {
			typeName = w.typeSpec(t, sc, "")
		}
	}
	isTypedef := false
	for _, k := range w.kids(n) {
		if ch := k.n; k.typ == "storage_class_specifier" && strings.TrimSpace(w.text(ch)) == "typedef" {
			isTypedef = true
		}
	}
	if isTypedef {
		w.typedef(n, sc)
		return
	}
	hasDeclarator := false
	for _, k := range w.kids(n) {
		if k.field != "declarator" {
			continue
		}
		hasDeclarator = true
		d := k.n
		parts := unwrapDeclarator(d)
		if parts.name == nil {
			continue
		}
		if parts.function != nil {
			if declarator, body := strayDefinitionBody(w, n, d); body != nil {
				w.strayDefinition(n, declarator, body, parts, sc)
				continue
			}
			if w.cpp && sc.class == nil && w.constructedVariable(n, d, parts, sc) {
				continue
			}
			w.functionDecl(n, d, parts, sc)
			continue
		}
		if sc.class != nil {
			w.member(n, d, parts, sc, typeName)
		}
	}
	if sc.class != nil && !hasDeclarator && n.Type() == "field_declaration" {
		// An anonymous struct or union member: its members are the
		// enclosing type's, spelled as one member with the whole type.
		// An anonymous enum without a declarator only names constants
		// ("enum { UP, DN };" in a class): no member, no storage.
		if t := n.ChildByFieldName("type"); t != nil && t.Type() != "enum_specifier" && t.ChildByFieldName("body") != nil && t.ChildByFieldName("name") == nil {
			sc.class.Members = append(sc.class.Members, Member{Type: w.normalizeTypeText(int(t.StartByte()), int(t.EndByte()), nil), Access: sc.access, BitWidth: -1, Offset: -1, Size: -1})
		}
	}
	if sc.class == nil && !w.misparsedDeclaration(n) {
		w.sum.Globals = append(w.sum.Globals, w.globals(n, sc, false)...)
	}
}

// constructedVariable records "T x(a, b);" as the variable x when every
// one of a, b is a global the file declared before: tree-sitter reads it
// as a function taking parameters of types a and b, C++'s most vexing
// parse, but a name the file declares as a variable is no type
// (managarm's "bragi_mbus::Connection mbusConnection(eventHub);").
func (w *tsWalker) constructedVariable(n, d *tsNode, parts declaratorParts, sc *scope) bool {
	fd := parts.function
	if fd == nil || fd.ChildByFieldName("declarator") != parts.name || d != fd {
		return false // a pointer, reference or array on the way: not T x(a)
	}
	params := fd.ChildByFieldName("parameters")
	if params == nil {
		return false
	}
	args := 0
	for p := range params.namedChildren() {
		if p.Type() == "comment" {
			continue
		}
		t := p.ChildByFieldName("type")
		if p.Type() != "parameter_declaration" || p.ChildByFieldName("declarator") != nil || t == nil || t.Type() != "type_identifier" ||
			!slices.ContainsFunc(w.sum.Globals, func(g Global) bool { return g.Name == sc.prefix+w.text(t) || g.Name == w.text(t) }) {
			return false
		}
		for k := range p.namedChildren() {
			if k != t {
				return false // a qualifier: "const a" is a type
			}
		}
		args++
	}
	if args == 0 {
		return false // "T x();" declares a function
	}
	static := sc.internal
	for _, k := range w.kids(n) {
		if k.typ == "storage_class_specifier" && strings.TrimSpace(w.text(k.n)) == "static" {
			static = true
		}
	}
	w.sum.Globals = append(w.sum.Globals, Global{
		Name:     w.entityName(parts.name, sc),
		Type:     w.normalizeTypeText(int(n.StartByte()), w.firstDeclaratorStart(n), nil),
		InitHash: w.hashRange(int(params.StartByte()), int(params.EndByte())),
		Static:   static,
		Span:     w.span(d),
	})
	return true
}

// attributeMacro reports whether an ERROR node holds only identifiers, as
// when an attribute macro sits in a declaration ("word_t PURE f(void);",
// "extern int x VISIBLE;"): the declaration itself is sound.
func (w *tsWalker) attributeMacro(n *tsNode) bool {
	toks := w.lexTokens(int(n.StartByte()), int(n.EndByte()))
	for _, t := range toks {
		if !isIdentToken(t.text) {
			return false
		}
	}
	return len(toks) > 0
}

// misparsedDeclaration spots declarations tree-sitter made up from code it
// could not parse, so they do not become bogus globals: one holding an
// ERROR (a K&R header with implicit int), or "struct s {...} __packed;"
// where an attribute macro was taken for a variable.
func (w *tsWalker) misparsedDeclaration(n *tsNode) bool {
	withBody := false
	if t := n.ChildByFieldName("type"); t != nil {
		withBody = t.ChildByFieldName("body") != nil
		if t.Type() == "macro_type_specifier" {
			return true
		}
	}
	for _, k := range w.kids(n) {
		ch := k.n
		if k.typ == "ERROR" {
			if w.attributeMacro(ch) {
				continue
			}
			w.errorAt(ch, "tolerant: declaration not understood, skipped")
			return true
		}
		if withBody && k.field == "declarator" && k.typ == "identifier" && strings.HasPrefix(w.text(ch), "__") {
			return true
		}
	}
	return false
}

// member records one data member of the struct or class being walked.
func (w *tsWalker) member(n, d *tsNode, parts declaratorParts, sc *scope, typeName string) {
	for _, k := range w.kids(n) {
		if ch := k.n; k.typ == "storage_class_specifier" && strings.TrimSpace(w.text(ch)) == "static" {
			// A static data member is not part of the layout: it is a
			// global named Class::member, with the linkage of its class.
			// member is called once per declarator of the declaration
			// ("static Paddr dmar, fadt, madt;"): this one's global only.
			at := w.span(d)
			for _, g := range w.globals(n, sc, false) {
				if g.Span != at {
					continue
				}
				g.Static = sc.internal
				if v := n.ChildByFieldName("default_value"); v != nil && g.InitHash == "" {
					g.InitHash = w.hashRange(int(v.StartByte()), int(v.EndByte()))
				} else if v := zeroInitializer(n); v != nil && g.InitHash == "" {
					// "= 0" read as a pure-virtual clause: the value is
					// what follows its "=", hashed as a default value is.
					from := int(v.StartByte()) + bytes.IndexByte(w.src[v.StartByte():v.EndByte()], '=') + 1
					g.InitHash = w.hashRange(from, int(v.EndByte()))
				}
				w.sum.Globals = append(w.sum.Globals, g)
			}
			return
		}
	}
	var excl []excludedRange
	if t := n.ChildByFieldName("type"); t != nil && typeName != "" {
		if b := t.ChildByFieldName("body"); b != nil {
			excl = append(excl, excludedRange{start: int(t.StartByte()), end: int(t.EndByte()), replacement: typeKindWord(t.Type()) + " " + typeName})
		}
	}
	words := w.typeWords(int(n.StartByte()), w.firstDeclaratorStart(n), excl)
	words = append(words, w.typeWords(int(d.StartByte()), int(d.EndByte()), declExclusions(parts, d))...)
	m := Member{Name: w.text(parts.name), Type: joinTypeWords(canonicalWords(words)), Access: sc.access, BitWidth: -1, Offset: -1, Size: -1}
	for _, k := range w.kids(n) {
		ch := k.n
		if k.typ != "bitfield_clause" {
			continue
		}
		expr := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(w.text(ch)), ":"))
		if v, err := strconv.ParseInt(strings.TrimRight(expr, "uUlL"), 0, 32); err == nil {
			m.BitWidth = int(v)
		} else {
			m.Type += " : " + normalizeTypeText([]byte(expr), 0, len(expr), nil)
		}
	}
	sc.class.Members = append(sc.class.Members, m)
}

// zeroInitializer returns the pure-virtual clause of n, the "= 0" that
// tree-sitter reads there when a class's data member is initialized with
// zero; nil when n has none.
func zeroInitializer(n *tsNode) *tsNode {
	for _, k := range n.kids {
		if k.typ == "pure_virtual_clause" {
			return k.n
		}
	}
	return nil
}

func typeKindWord(nodeType string) string {
	return strings.TrimSuffix(nodeType, "_specifier")
}

// typedef records the names a typedef declares, and the type it defines
// inline if any.
func (w *tsWalker) typedef(n *tsNode, sc *scope) {
	t := n.ChildByFieldName("type")
	var firstName string
	for _, k := range w.kids(n) {
		if k.field == "declarator" {
			if p := unwrapDeclarator(k.n); p.name != nil {
				firstName = w.text(p.name)
				break
			}
		}
	}
	var bodyExcl []excludedRange
	if t != nil && t.ChildByFieldName("body") != nil {
		name := w.typeSpec(t, sc, firstName)
		bodyExcl = append(bodyExcl, excludedRange{start: int(t.StartByte()), end: int(t.EndByte()), replacement: typeKindWord(t.Type()) + " " + name})
	}
	specEnd := w.firstDeclaratorStart(n)
	if attrs := w.signatureExclusions(int(n.StartByte()), specEnd); len(attrs) > 0 {
		// An attribute macro the attribute pass blanked ("} PACKED
		// name_t;") is no part of the type the typedef names.
		bodyExcl = append(bodyExcl, attrs...)
		sort.Slice(bodyExcl, func(i, j int) bool { return bodyExcl[i].start < bodyExcl[j].start })
	}
	for _, k := range w.kids(n) {
		if k.field != "declarator" {
			continue
		}
		d := k.n
		p := unwrapDeclarator(d)
		if p.name == nil {
			continue
		}
		words := w.typeWords(int(n.StartByte()), specEnd, bodyExcl)
		words = append(words, w.typeWords(int(d.StartByte()), int(d.EndByte()), declExclusions(p, d))...)
		w.sum.Typedefs = append(w.sum.Typedefs, Typedef{Name: sc.prefix + w.text(p.name), Type: joinTypeWords(canonicalWords(words)), Span: w.span(n)})
	}
}

// memberEnum reports whether t, the type of declaration n, is an anonymous
// enum that types a member of a struct or class ("struct fd { enum {
// FD_CLOSED, FD_PIPE } type; ... }"): its constants belong to that member,
// so it is no type of its own; the member's type is spelled with the enum's
// body, and a constant added or changed is a layout change of the struct.
// (An anonymous enum in a class body without a declarator only names
// constants and stays an entity, "Class::enum FIRST".)
func memberEnum(n, t *tsNode, sc *scope) bool {
	return sc.class != nil && n.Type() == "field_declaration" && t.Type() == "enum_specifier" &&
		t.ChildByFieldName("name") == nil && n.ChildByFieldName("declarator") != nil
}

// anonymousEnumBase reports whether an enum's name node follows a lone
// colon the grammar could not place: tree-sitter's C++ grammar has no
// anonymous enum with an underlying type whose name is not a keyword type.
func (w *tsWalker) anonymousEnumBase(n, nameNode *tsNode) bool {
	for _, k := range w.kids(n) {
		if k.n.StartByte() >= nameNode.StartByte() {
			return false
		}
		if k.typ == "ERROR" && strings.TrimSpace(w.text(k.n)) == ":" {
			return true
		}
	}
	return false
}

// typeSpec records a struct, union, class or enum that has a body and
// returns the name it is known by ("" when it has no body).
func (w *tsWalker) typeSpec(n *tsNode, sc *scope, typedefName string) string {
	body := n.ChildByFieldName("body")
	nameNode := n.ChildByFieldName("name")
	var name, base string
	if nameNode != nil {
		name = stripTemplateArgs(stripSpaces(w.text(nameNode)))
		if n.Type() == "enum_specifier" && w.anonymousEnumBase(n, nameNode) {
			// The grammar reads "enum : MapFlags {" as an error and a
			// name: MapFlags is the underlying type of an anonymous enum.
			name, base = "", name
		}
	}
	if body == nil {
		return name
	}
	t := Type{Kind: TypeKind(typeKindWord(n.Type())), Size: -1, Align: -1, Span: w.span(n), Underlying: base}
	switch {
	case name != "":
		t.Name = name
	case typedefName != "":
		t.Name = typedefName
	case t.Kind == KindEnum:
		// An anonymous enum only defines constants; it is named after its
		// first one so that they are not lost ("enum SYS_fork" for
		// "enum { SYS_fork = 1, ... }").
		// Comments can come before it ("enum { /* registers */ ID = 0x20").
		for e := range body.namedChildren() {
			if e.Type() == "comment" {
				continue
			}
			if nm := e.ChildByFieldName("name"); e.Type() == "enumerator" && nm != nil {
				t.Name = "enum " + w.text(nm)
			}
			break
		}
		if t.Name == "" {
			return ""
		}
	default:
		return ""
	}
	if w.cpp {
		t.Name = sc.prefix + t.Name
	}
	if t.Kind == KindEnum {
		if b := n.ChildByFieldName("base"); b != nil {
			t.Underlying = w.normalizeTypeText(int(b.StartByte()), int(b.EndByte()), nil)
		}
		for _, k := range w.kids(n) {
			if k.typ == "class" || k.typ == "struct" {
				t.Scoped = true
			}
		}
		t.Enumerators = w.enumerators(body, t.Enumerators, "", "")
		w.sum.Types = append(w.sum.Types, t)
		return t.Name
	}
	inner := &scope{class: &t, internal: sc.internal}
	if w.cpp {
		inner.prefix = t.Name + "::"
		if t.Kind == KindClass {
			inner.access = "private"
		} else {
			inner.access = "public"
		}
	}
	for _, k := range w.kids(n) {
		ch := k.n
		if k.typ != "base_class_clause" {
			continue
		}
		access, virtual := "", false
		for b := range ch.namedChildren() {
			switch b.Type() {
			case "access_specifier":
				access = strings.TrimSpace(w.text(b))
			case "virtual":
				virtual = true
			case "type_identifier", "qualified_identifier", "template_type":
				if access == "" {
					access = "public"
					if t.Kind == KindClass {
						access = "private"
					}
				}
				t.Bases = append(t.Bases, Base{Name: stripSpaces(w.text(b)), Access: access, Virtual: virtual})
				access, virtual = "", false
			}
		}
	}
	w.visitChildren(body, inner)
	w.sum.Types = append(w.sum.Types, t)
	return t.Name
}

// finish orders the entities and completes out-of-line method definitions
// with what their class declares about them.
func (w *tsWalker) finish() {
	if w.nErrors > maxErrorsRecorded {
		w.sum.Errors = append(w.sum.Errors, Error{Msg: fmt.Sprintf("tolerant: %d more constructs not understood", w.nErrors-maxErrorsRecorded)})
	}
	sort.SliceStable(w.sum.Types, func(i, j int) bool { return w.sum.Types[i].Span.StartByte < w.sum.Types[j].Span.StartByte })
	linkMethods(w.sum)
	if !w.cpp {
		staticFromDeclaration(w.sum)
	}
}

// staticFromDeclaration makes static a C function whose definition says
// nothing of its linkage when a static declaration of it comes before:
// the definition takes the declaration's internal linkage (C11 6.2.2),
// as the precise engine knows (xv6's console.c: "static void
// consputc(int);" and then "void consputc(int c) {...}").
func staticFromDeclaration(sum *Summary) {
	var static map[string]int // the byte offset of each static declaration
	for _, f := range sum.Functions {
		if !f.Definition && f.Static {
			if static == nil {
				static = map[string]int{}
			}
			if _, seen := static[f.Name]; !seen {
				static[f.Name] = f.Span.StartByte
			}
		}
	}
	for i := range sum.Functions {
		f := &sum.Functions[i]
		if at, ok := static[f.Name]; ok && f.Definition && !f.Static && at < f.Span.StartByte {
			f.Static = true
		}
	}
}

// linkMethods copies virtual-ness and access from a class's method
// declarations to the out-of-line definitions of the same file.
func linkMethods(sum *Summary) {
	classes := map[string]*Type{}
	for i := range sum.Types {
		classes[sum.Types[i].Name] = &sum.Types[i]
	}
	for i := range sum.Functions {
		f := &sum.Functions[i]
		k := strings.LastIndex(f.Name, "::")
		if k < 0 {
			continue
		}
		t := classes[f.Name[:k]]
		if t == nil {
			continue
		}
		for _, m := range t.Methods {
			if m.Name == f.Name[k+2:] && m.Signature == f.Signature {
				f.Virtual = f.Virtual || m.Virtual
				if f.Access == "" {
					f.Access = m.Access
				}
			}
		}
	}
}

// namespaceName returns the name a namespace definition gives, "" for an
// anonymous one. Attribute-like macros between the name and the body
// ("namespace frigg FRIGG_VISIBILITY {", a visibility attribute spelled as
// a macro) are not the name, though tree-sitter takes the last identifier
// for it: the name is what precedes them.
func (w *tsWalker) namespaceName(n *tsNode) string {
	name := n.ChildByFieldName("name")
	if name == nil {
		return ""
	}
	head := w.src[n.StartByte():name.EndByte()]
	if b := n.ChildByFieldName("body"); b != nil && b.StartByte() >= name.EndByte() {
		head = w.src[n.StartByte():b.StartByte()]
	}
	words := strings.Fields(string(head))
	for len(words) > 0 && (words[0] == "namespace" || words[0] == "inline") {
		words = words[1:]
	}
	for len(words) > 1 && isMacroName(words[len(words)-1]) && !strings.HasSuffix(words[len(words)-2], "::") {
		words = words[:len(words)-1]
	}
	if len(words) == 1 {
		return words[0]
	}
	return stripSpaces(w.text(name))
}

func stripSpaces(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c <= ' ' || c >= 0x80 {
			return strings.Join(strings.Fields(s), "")
		}
	}
	return s // most names: nothing to strip, nothing to allocate
}

// stripTemplateArgs turns "Queue<T,N>::pop" into "Queue::pop": a template's
// members are named after the template, not an instantiation.
func stripTemplateArgs(s string) string {
	if !strings.Contains(s, "<") || strings.Contains(s, "operator") {
		return s
	}
	var b strings.Builder
	depth := 0
	for _, r := range s {
		switch {
		case r == '<':
			depth++
		case r == '>' && depth > 0:
			depth--
		case depth == 0:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// normalizeOperator spells "operator =" as "operator=", keeping a space
// only in conversion operators ("operator unsigned long").
func normalizeOperator(s string) string {
	i := strings.Index(s, "operator")
	if i < 0 {
		return s
	}
	rest := strings.TrimSpace(s[i+len("operator"):])
	if rest != "" && isIdentByte(rest[0]) {
		// A conversion to a template's instance is named by the template,
		// in its class body and out of line alike ("operator
		// UnsafePtr<T, Allocator>" is "operator UnsafePtr").
		return s[:i] + "operator " + strings.Join(strings.Fields(stripTemplateArgs(rest)), " ")
	}
	return s[:i] + "operator" + stripSpaces(rest)
}
