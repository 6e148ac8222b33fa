package cparse

import (
	"cmp"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Diff compares two summaries of one file (either may be nil for an added
// or removed file) and returns its entity-level changes, in a stable order:
// by entity kind, then name, then change kind.
//
// Entities are matched by name; when a file defines one name several times
// (alternatives under #ifdef, seen by the tolerant engine) the n-th
// definition of old is matched with the n-th of new. Signatures and token
// hashes are normalized by the engines, so parameter renames, comments and
// reformatting produce no change.
func Diff(old, new *Summary) []Change {
	if old == nil {
		old = &Summary{}
	}
	if new == nil {
		new = &Summary{}
	}
	d := &differ{sameEngine: old.Engine == new.Engine}
	if whole := old.EntityCount() + new.EntityCount(); whole > 0 && (old.EntityCount() == 0 || new.EntityCount() == 0) {
		// Added or deleted whole: about one change an entity (a
		// function's declaration and definition make one).
		d.out = make([]Change, 0, whole)
	}
	d.oldSum, d.newSum = old, new
	d.functions(old.Functions, new.Functions)
	typesFrom := len(d.out)
	d.types(old.Types, new.Types)
	d.typedefs(old.Typedefs, new.Typedefs)
	d.kindSwitched(typesFrom)
	d.globals(old.Globals, new.Globals)
	d.macros(old.Macros, new.Macros)
	d.asm(old.Asm, new.Asm)
	slices.SortStableFunc(d.out, func(a, b Change) int {
		return cmp.Or(cmp.Compare(entityOrder(a.Entity), entityOrder(b.Entity)), strings.Compare(a.Name, b.Name),
			strings.Compare(string(a.Change), string(b.Change)), strings.Compare(a.Detail, b.Detail))
	})
	return d.out
}

func entityOrder(e EntityKind) int {
	switch e {
	case EntityFunction:
		return 0
	case EntityType:
		return 1
	case EntityGlobal:
		return 2
	case EntityMacro:
		return 3
	}
	return 4
}

type differ struct {
	out        []Change
	sameEngine bool
	// oldSum and newSum are the summaries compared, for the types a
	// global's type names.
	oldSum, newSum *Summary
	// staticMembers indexes each summary's static methods, "Class::name
	// signature", built on first use.
	staticMembers map[*Summary]map[string]bool
}

func (d *differ) add(c Change) { d.out = append(d.out, c) }

// cplusplus reports whether either version compared is C++, where a
// function's definitions of one name are overloads, not alternatives.
func (d *differ) cplusplus() bool {
	return d.oldSum != nil && d.oldSum.Lang == LangCPP || d.newSum != nil && d.newSum.Lang == LangCPP
}

// keyed indexes entities by name, numbering repeats: "f", "f#2", ...
func keyed[T any](items []T, name func(T) string) (map[string]T, []string) {
	m := map[string]T{}
	var keys []string
	count := map[string]int{}
	for _, it := range items {
		n := name(it)
		count[n]++
		k := n
		if count[n] > 1 {
			k = n + "#" + strconv.Itoa(count[n])
		}
		m[k] = it
		keys = append(keys, k)
	}
	return m, keys
}

// pairByName visits every entity of either side by name, old order first,
// then new-only; oin and nin say which sides have it. Entities repeating a
// name (every #if branch seen by the tolerant engine) pair up in order.
func pairByName[T any](oldItems, newItems []T, name func(T) string, visit func(name string, o, n T, oin, nin bool)) {
	// One side empty, as for a file added or deleted whole (a vendor
	// header's ten thousand macros): every entity of the other side, in
	// its order, without indexing either.
	var zero T
	switch {
	case len(oldItems) == 0:
		for _, n := range newItems {
			visit(baseName(name(n)), zero, n, false, true)
		}
		return
	case len(newItems) == 0:
		for _, o := range oldItems {
			visit(baseName(name(o)), o, zero, true, false)
		}
		return
	}
	if !anyRepeatMark(oldItems, name) && !anyRepeatMark(newItems, name) {
		pairByOccurrence(oldItems, newItems, name, visit)
		return
	}
	pairByKeys(oldItems, newItems, name, visit)
}

// pairByKeys is pairByName for names that may hold '#': every entity
// keyed by name and repeat number (keyed), on both sides.
func pairByKeys[T any](oldItems, newItems []T, name func(T) string, visit func(name string, o, n T, oin, nin bool)) {
	om, ok := keyed(oldItems, name)
	nm, nk := keyed(newItems, name)
	for _, k := range unionKeys(ok, nk) {
		o, oin := om[k]
		n, nin := nm[k]
		visit(baseName(k), o, n, oin, nin)
	}
}

// anyRepeatMark reports whether a name holds '#', the mark keyed puts
// before a repeat number: only then can a name collide with another's
// key, and pairByName needs keyed's own keys to pair alike.
func anyRepeatMark[T any](items []T, name func(T) string) bool {
	for _, it := range items {
		if strings.IndexByte(name(it), '#') >= 0 {
			return true
		}
	}
	return false
}

// occurrence is an entity's name and how many entities of the same name
// precede it on its side, plus one: keyed's key, without building its
// string.
type occurrence struct {
	name string
	n    int
}

// pairByOccurrence is pairByName for names without '#': the same pairs in
// the same order as keyed's keys give, without a map of either side's
// entities or a string per repeat. A diff of two versions of a vendor
// header (12,000 macros) made four maps and two key lists of every macro
// here, 1.5 of the 45 GB FreeRTOS-Kernel's history allocated. The common
// prefix of names, where a header's versions mostly agree, is paired by
// position: each of its entities is the same occurrence of its name on
// both sides. Past it, the occurrences counted from there pair alike,
// the prefix having as many of each name on both sides.
func pairByOccurrence[T any](oldItems, newItems []T, name func(T) string, visit func(name string, o, n T, oin, nin bool)) {
	var zero T
	p := 0
	for p < len(oldItems) && p < len(newItems) {
		n := name(oldItems[p])
		if name(newItems[p]) != n {
			break
		}
		visit(n, oldItems[p], newItems[p], true, true)
		p++
	}
	oldRest, newRest := oldItems[p:], newItems[p:]
	if len(oldRest) == 0 && len(newRest) == 0 {
		return
	}
	counts := make(map[string]int, len(newRest))
	at := make(map[occurrence]int, len(newRest))
	for j, it := range newRest {
		n := name(it)
		counts[n]++
		at[occurrence{n, counts[n]}] = j
	}
	clear(counts)
	paired := make([]bool, len(newRest))
	for _, o := range oldRest {
		n := name(o)
		counts[n]++
		if j, ok := at[occurrence{n, counts[n]}]; ok {
			paired[j] = true
			visit(n, o, newRest[j], true, true)
		} else {
			visit(n, o, zero, true, false)
		}
	}
	for j, it := range newRest {
		if !paired[j] {
			visit(name(it), zero, it, false, true)
		}
	}
}

// baseName is a key of keyed without its repeat number.
func baseName(k string) string {
	name, _, _ := strings.Cut(k, "#")
	return name
}

// unionKeys lists the keys of both sides, old order first, then new-only;
// neither side repeats a key.
func unionKeys(a, b []string) []string {
	switch {
	case len(a) == 0:
		return b
	case len(b) == 0:
		return a
	}
	seen := map[string]bool{}
	var out []string
	for _, k := range append(append([]string{}, a...), b...) {
		if !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	return out
}

// compilerBuiltin reports whether name is one of the compiler's own
// functions, which a kernel may declare ("int __builtin_clzl(unsigned long
// x);" in seL4's util.h) but never defines: the compiler provides it, and
// a prototype of it coming or going changes none of the kernel's code.
func compilerBuiltin(name string) bool {
	return strings.HasPrefix(name, "__builtin_")
}

// functionGroup is every declaration and definition of one name in a file.
type functionGroup struct {
	decls []Function
	defs  []Function
}

func groupFunctions(fns []Function) (map[string]*functionGroup, []string) {
	m := map[string]*functionGroup{}
	var names []string
	for _, f := range fns {
		g := m[f.Name]
		if g == nil {
			g = &functionGroup{}
			m[f.Name] = g
			names = append(names, f.Name)
		}
		if f.Definition {
			g.defs = append(g.defs, f)
		} else {
			g.decls = append(g.decls, f)
		}
	}
	return m, names
}

// representative is the function whose signature stands for the group.
func (g *functionGroup) representative(i int) (Function, bool) {
	if i < len(g.defs) {
		return g.defs[i], true
	}
	if i == 0 && len(g.decls) > 0 {
		return g.decls[0], true
	}
	return Function{}, false
}

// hasSignature reports whether any of g's definitions or declarations has
// the signature sig.
func (g *functionGroup) hasSignature(sig string) bool {
	has := func(f Function) bool { return f.Signature == sig }
	return slices.ContainsFunc(g.defs, has) || slices.ContainsFunc(g.decls, has)
}

func (d *differ) functions(oldFns, newFns []Function) {
	og, on := groupFunctions(oldFns)
	ng, nn := groupFunctions(newFns)
	for _, name := range unionKeys(on, nn) {
		if compilerBuiltin(name) {
			continue
		}
		o, n := og[name], ng[name]
		switch {
		case o == nil:
			d.add(Change{Entity: EntityFunction, Name: name, Change: ChangeAdded, Detail: describeFunction(n), Access: accessOf(n), Virtual: virtualOf(n)})
			continue
		case n == nil:
			d.add(Change{Entity: EntityFunction, Name: name, Change: ChangeRemoved, Detail: describeFunction(o), Access: accessOf(o), Virtual: virtualOf(o)})
			continue
		}
		if d.cplusplus() && len(o.defs) == 0 && len(n.defs) == 0 && (len(o.decls) > 1 || len(n.decls) > 1) {
			// Overloads a header declares, none defined here: each is
			// compared with its namesake, as definitions are (NOVA's
			// Space_io::insert(Vma *) made static beside insert(mword)).
			o = &functionGroup{defs: o.decls}
			n = &functionGroup{defs: n.decls}
		}
		o.defs, n.defs = alignOverloads(o.defs, n.defs)
		count := max(len(o.defs), len(n.defs), 1)
		for i := 0; i < count; i++ {
			of, ook := o.representative(i)
			nf, nok := n.representative(i)
			if !ook || !nok {
				if i > 0 {
					// An extra definition: in C an alternative under
					// #ifdef, the function there before and after, its
					// code for one configuration added or gone (two
					// definitions merged into one); in C++ an overload
					// added to or removed from a name that keeps others,
					// which changes the set of signatures its callers
					// choose from: a signature change of the name
					// (NOVA's Vmcs::init(uintptr_t, ...) beside the
					// static init()), whose code is the overload's.
					// An alternative whose signature the other version
					// does not have changes the signature callers see in
					// its configuration (FreeRTOS's SMP
					// xTaskGetIdleTaskHandle(BaseType_t) gone, the
					// single-core (void) one kept for both).
					removed, added := ChangeBody, ChangeBody
					removedDetail, addedDetail := DetailAlternativeRemoved, DetailAlternativeAdded
					if d.cplusplus() {
						removed, added = ChangeSignature, ChangeSignature
						removedDetail, addedDetail = DetailOverloadRemoved, DetailOverloadAdded
					}
					if ook {
						if !d.cplusplus() && !n.hasSignature(of.Signature) {
							removed = ChangeSignature
						}
						d.add(Change{Entity: EntityFunction, Name: name, Change: removed, Detail: removedDetail, Access: of.Access, Virtual: of.Virtual})
					} else {
						if !d.cplusplus() && !o.hasSignature(nf.Signature) {
							added = ChangeSignature
						}
						d.add(Change{Entity: EntityFunction, Name: name, Change: added, Detail: addedDetail, Access: nf.Access, Virtual: nf.Virtual})
					}
				}
				continue
			}
			detail := signatureDelta(of, nf)
			if os, ns := d.staticMember(d.oldSum, of), d.staticMember(d.newSum, nf); os != ns {
				// A static method takes no object: its callers pass
				// one argument fewer.
				change := "no longer a static member"
				if ns {
					change = "now a static member"
				}
				detail = strings.TrimPrefix(detail+"; "+change, "; ")
			}
			if detail != "" {
				d.add(Change{Entity: EntityFunction, Name: name, Change: ChangeSignature, Detail: detail, Access: widestAccess(of.Access, nf.Access), Virtual: of.Virtual || nf.Virtual})
			}
			switch {
			case of.Definition && nf.Definition:
				// The body changed when its tokens did, names as written.
				// Numbering the parameters tells a rename (the same code)
				// from the rest; a body whose tokens stay while parameters
				// are added or reordered around it is no change at all.
				switch named := of.namedBodyHash() != nf.namedBodyHash(); {
				case staticLocalsDiffer(of.StaticLocals, nf.StaticLocals) || named && of.BodyHash != nf.BodyHash:
					d.add(Change{Entity: EntityFunction, Name: name, Change: ChangeBody, Detail: bodyDelta(of, nf), Access: nf.Access, Virtual: of.Virtual || nf.Virtual})
				case named:
					d.add(Change{Entity: EntityFunction, Name: name, Change: ChangeBody, Detail: DetailParametersRenamed, Access: nf.Access, Virtual: of.Virtual || nf.Virtual, Cosmetic: true})
				}
			case of.Definition:
				d.add(Change{Entity: EntityFunction, Name: name, Change: ChangeRemoved, Detail: DetailDefinitionRemoved, Access: of.Access, Virtual: of.Virtual})
			case nf.Definition:
				d.add(Change{Entity: EntityFunction, Name: name, Change: ChangeAdded, Detail: DetailDefinitionAdded, Access: nf.Access, Virtual: nf.Virtual})
			}
		}
	}
}

// alignOverloads orders two files' definitions of one name so that those
// with the same signature share a position, matched pairs first: an
// overload added before an existing one ("inline auto recvString(...)"
// above managarm's callback recvString) is an overload added, and the
// existing one is compared with itself, not with the newcomer. Definitions
// without a match keep their order after the pairs, so one definition
// whose signature changed is still compared with its old self.
func alignOverloads(o, n []Function) ([]Function, []Function) {
	if len(o) < 2 && len(n) < 2 {
		return o, n
	}
	used := make([]bool, len(n))
	var oPaired, nPaired, oRest []Function
	for _, of := range o {
		j := -1
		for k, nf := range n {
			if !used[k] && nf.Signature == of.Signature {
				j = k
				break
			}
		}
		if j < 0 {
			oRest = append(oRest, of)
			continue
		}
		used[j] = true
		oPaired, nPaired = append(oPaired, of), append(nPaired, n[j])
	}
	if len(oPaired) == 0 {
		return o, n
	}
	for j, nf := range n {
		if !used[j] {
			nPaired = append(nPaired, nf)
		}
	}
	return append(oPaired, oRest...), nPaired
}

func accessOf(g *functionGroup) string {
	f, _ := g.representative(0)
	return f.Access
}

func virtualOf(g *functionGroup) bool {
	f, _ := g.representative(0)
	return f.Virtual
}

func describeFunction(g *functionGroup) string {
	f, _ := g.representative(0)
	what := "declared"
	if f.Definition {
		what = "defined"
	}
	var quals []string
	if f.Static {
		quals = append(quals, "static")
	}
	if f.Inline {
		quals = append(quals, "inline")
	}
	if f.Virtual {
		quals = append(quals, "virtual")
	}
	if len(quals) > 0 {
		what += " " + strings.Join(quals, " ")
	}
	return what + ": " + f.Signature
}

// staticMember reports whether f is a static method of a class sum
// defines: the class's methods say so, an out-of-line definition does not.
func (d *differ) staticMember(sum *Summary, f Function) bool {
	class, method, ok := cutLast(f.Name, "::")
	if sum == nil || !ok {
		return false
	}
	if d.staticMembers == nil {
		d.staticMembers = map[*Summary]map[string]bool{}
	}
	statics, ok := d.staticMembers[sum]
	if !ok {
		for _, t := range sum.Types {
			for _, m := range t.Methods {
				if m.Static {
					if statics == nil {
						statics = map[string]bool{}
					}
					statics[t.Name+"::"+m.Name+" "+m.Signature] = true
				}
			}
		}
		d.staticMembers[sum] = statics
	}
	return statics[class+"::"+method+" "+f.Signature]
}

// cutLast is strings.Cut at the last sep.
func cutLast(s, sep string) (before, after string, found bool) {
	if i := strings.LastIndex(s, sep); i >= 0 {
		return s[:i], s[i+len(sep):], true
	}
	return s, "", false
}

// signatureDelta says how the interface of a function changed, or "".
func signatureDelta(o, n Function) string {
	var parts []string
	if o.Signature != n.Signature {
		parts = append(parts, o.Signature+" -> "+n.Signature)
	}
	flag := func(name string, a, b bool) {
		if a != b {
			if b {
				parts = append(parts, "now "+name)
			} else {
				parts = append(parts, "no longer "+name)
			}
		}
	}
	flag("static", o.Static, n.Static)
	if o.Definition || n.Definition {
		flag("inline", o.Inline, n.Inline)
	}
	if !overrideMarked(o.Virtual, o.Override, n.Virtual, n.Override) {
		flag("virtual", o.Virtual, n.Virtual)
	}
	flag("const", o.Const, n.Const)
	// Access alone is no change: the compiler checks it, the code and
	// the calling convention are the same (the labelled kernels'
	// convention too: SocketNode's private: dropped changes no method).
	return strings.Join(parts, "; ")
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// namedBodyHash is the hash of f's body with its parameters' names kept.
func (f Function) namedBodyHash() string {
	if f.NamedBodyHash != "" {
		return f.NamedBodyHash
	}
	return f.BodyHash
}

func bodyDelta(o, n Function) string {
	parts := []string{"body changed"}
	if added, removed := setDelta(o.Calls, n.Calls); len(added)+len(removed) > 0 {
		if len(added) > 0 {
			parts = append(parts, "calls added: "+strings.Join(added, ", "))
		}
		if len(removed) > 0 {
			parts = append(parts, "calls removed: "+strings.Join(removed, ", "))
		}
	}
	if staticLocalsDiffer(o.StaticLocals, n.StaticLocals) {
		parts = append(parts, "static locals changed: "+describeStaticLocals(o.StaticLocals)+" -> "+describeStaticLocals(n.StaticLocals))
	}
	if o.HasAsm || n.HasAsm {
		parts = append(parts, "contains inline asm")
	}
	return strings.Join(parts, "; ")
}

func staticLocalsDiffer(a, b []Global) bool {
	if len(a) != len(b) {
		return true
	}
	for i := range a {
		if a[i].Name != b[i].Name || a[i].Type != b[i].Type || a[i].InitHash != b[i].InitHash {
			return true
		}
	}
	return false
}

func describeStaticLocals(gs []Global) string {
	if len(gs) == 0 {
		return "none"
	}
	var parts []string
	for _, g := range gs {
		parts = append(parts, g.Type+" "+g.Name)
	}
	return strings.Join(parts, ", ")
}

// setDelta returns the strings only in b (added) and only in a (removed).
func setDelta(a, b []string) (added, removed []string) {
	in := func(s []string, x string) bool {
		for _, y := range s {
			if y == x {
				return true
			}
		}
		return false
	}
	for _, x := range b {
		if !in(a, x) {
			added = append(added, x)
		}
	}
	for _, x := range a {
		if !in(b, x) {
			removed = append(removed, x)
		}
	}
	return added, removed
}

var accessRank = map[string]int{"": 3, "public": 3, "protected": 2, "private": 1}

// widestAccess is the more exposed of two accesses ("" counts as public:
// C has no access control).
func widestAccess(a, b string) string {
	if accessRank[b] > accessRank[a] {
		return b
	}
	return a
}

func (d *differ) types(oldTypes, newTypes []Type) {
	pairByName(oldTypes, newTypes, func(t Type) string { return t.Name }, func(name string, o, n Type, oin, nin bool) {
		switch {
		case !oin:
			if !d.namedByRetypedTypedef(d.newSum, d.oldSum, n) {
				d.add(Change{Entity: EntityType, Name: name, Change: ChangeAdded, Detail: describeType(n)})
			}
		case !nin:
			if !d.namedByRetypedTypedef(d.oldSum, d.newSum, o) {
				d.add(Change{Entity: EntityType, Name: name, Change: ChangeRemoved, Detail: describeType(o)})
			}
		default:
			d.typeDelta(name, o, n)
		}
	})
}

// namedByRetypedTypedef reports whether t, a struct, union or enum of one
// side, is the body of a typedef of its own name ("typedef struct { ... }
// out_wrap_t", read as struct out_wrap_t) whose namesake on the other side
// names another type ("typedef struct _out_wrap_t out_wrap_t"): the
// typedef's type change says what changed, and the struct the typedef
// named is no entity of its own that came or went.
func (d *differ) namedByRetypedTypedef(side, other *Summary, t Type) bool {
	target := func(s *Summary) (string, bool) {
		for _, td := range s.Typedefs {
			if td.Name == t.Name {
				return td.Type, true
			}
		}
		return "", false
	}
	mine, ok := target(side)
	if !ok || mine != string(t.Kind)+" "+t.Name {
		return false
	}
	theirs, ok := target(other)
	return ok && theirs != mine
}

func describeType(t Type) string {
	s := string(t.Kind)
	switch {
	case t.Kind == KindEnum:
		s += fmt.Sprintf(", %d enumerators", len(t.Enumerators))
	default:
		s += fmt.Sprintf(", %d members", len(t.Members))
		if len(t.Methods) > 0 {
			s += fmt.Sprintf(", %d methods", len(t.Methods))
		}
	}
	if t.Size >= 0 {
		s += fmt.Sprintf(", size %d", t.Size)
	}
	return s
}

func (d *differ) typeDelta(name string, o, n Type) {
	var layout []string
	access := ""
	touch := func(a string) {
		if access == "" || accessRank[a] > accessRank[access] {
			access = a
		}
		if a == "" {
			access = "public"
		}
	}
	if o.Kind != n.Kind {
		layout = append(layout, fmt.Sprintf("kind %s -> %s", o.Kind, n.Kind))
		touch("")
	}
	if b1, b2 := describeBases(o.Bases), describeBases(n.Bases); b1 != b2 {
		layout = append(layout, fmt.Sprintf("bases %s -> %s", b1, b2))
		touch("")
	}
	if ov, nv := hasVirtualMethod(o.Methods), hasVirtualMethod(n.Methods); ov != nv && len(o.Bases) == 0 && len(n.Bases) == 0 {
		// The first virtual method gives each object a vtable pointer,
		// and the last one gone takes it away (NOVA's Avl losing its
		// pure virtual larger and equal): every member moves. (A base
		// class may have one already: derived classes are left out.)
		if nv {
			layout = append(layout, "vtable pointer added")
		} else {
			layout = append(layout, "vtable pointer removed")
		}
		touch("")
	}
	layout = append(layout, memberDelta(o.Members, n.Members, touch)...)
	if o.Size >= 0 && n.Size >= 0 && o.Size != n.Size {
		layout = append(layout, fmt.Sprintf("size %d -> %d", o.Size, n.Size))
	}
	if o.Align >= 0 && n.Align >= 0 && o.Align != n.Align {
		layout = append(layout, fmt.Sprintf("alignment %d -> %d", o.Align, n.Align))
	}
	if len(layout) > 0 {
		if access == "" {
			// Only sizes moved (a macro or a member's own type changed).
			access = widestMemberAccess(n.Members)
		}
		if n.Kind != KindClass && n.Kind != KindStruct || !hasAccess(n.Members) {
			access = ""
		}
		d.add(Change{Entity: EntityType, Name: name, Change: ChangeLayout, Detail: strings.Join(layout, "; "), Access: access})
	}
	if detail, acc, virt := methodDelta(o.Methods, n.Methods); detail != "" {
		d.add(Change{Entity: EntityType, Name: name, Change: ChangeMethods, Detail: detail, Access: acc, Virtual: virt})
	}
	var enum []string
	if d.sameEngine && o.Underlying != n.Underlying {
		// An enum's size is its underlying type's.
		enum = append(enum, "underlying type "+orNone(o.Underlying)+" -> "+orNone(n.Underlying))
	}
	if d.sameEngine && o.Scoped != n.Scoped {
		if n.Scoped {
			enum = append(enum, "now scoped (enum class)")
		} else {
			enum = append(enum, "no longer scoped")
		}
	}
	if detail := d.enumDelta(o.Enumerators, n.Enumerators); detail != "" {
		enum = append(enum, detail)
	}
	if len(enum) > 0 {
		d.add(Change{Entity: EntityType, Name: name, Change: ChangeEnum, Detail: strings.Join(enum, "; ")})
	}
}

func hasVirtualMethod(ms []Method) bool {
	return slices.ContainsFunc(ms, func(m Method) bool { return m.Virtual })
}

func hasAccess(ms []Member) bool {
	for _, m := range ms {
		if m.Access != "" {
			return true
		}
	}
	return false
}

func widestMemberAccess(ms []Member) string {
	acc := ""
	for _, m := range ms {
		if acc == "" || accessRank[m.Access] > accessRank[acc] {
			acc = m.Access
		}
	}
	return acc
}

func describeBases(bs []Base) string {
	if len(bs) == 0 {
		return "none"
	}
	var parts []string
	for _, b := range bs {
		s := b.Name
		if b.Access != "" {
			s = b.Access + " " + s
		}
		if b.Virtual {
			s = "virtual " + s
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, ", ")
}

func memberLabel(m Member, i int) string {
	if m.Name == "" {
		return fmt.Sprintf("unnamed member #%d", i+1)
	}
	return "member '" + m.Name + "'"
}

// memberDelta describes how the data members changed: added, removed,
// retyped, moved, resized, their bit widths. touch is told the access of
// every member involved.
func memberDelta(o, n []Member, touch func(string)) []string {
	// Invalid code can repeat a member name; number the repeats so that
	// each name is one member.
	o, n = numberRepeats(o), numberRepeats(n)
	var out []string
	oi := map[string]int{}
	for i, m := range o {
		if m.Name != "" {
			oi[m.Name] = i
		}
	}
	ni := map[string]int{}
	for i, m := range n {
		if m.Name != "" {
			ni[m.Name] = i
		}
	}
	for i, m := range o {
		if _, ok := ni[m.Name]; m.Name != "" && !ok {
			out = append(out, memberLabel(m, i)+" removed")
			touch(m.Access)
		}
	}
	var unnamedO, unnamedN []Member
	for _, m := range o {
		if m.Name == "" {
			unnamedO = append(unnamedO, m)
		}
	}
	for _, m := range n {
		if m.Name == "" {
			unnamedN = append(unnamedN, m)
		}
	}
	// Relative order of the members both sides have.
	var common []string
	for _, m := range o {
		if _, ok := ni[m.Name]; m.Name != "" && ok {
			common = append(common, m.Name)
		}
	}
	var commonNew []string
	for _, m := range n {
		if _, ok := oi[m.Name]; m.Name != "" && ok {
			commonNew = append(commonNew, m.Name)
		}
	}
	if strings.Join(common, ",") != strings.Join(commonNew, ",") {
		out = append(out, "members reordered: "+strings.Join(common, ", ")+" -> "+strings.Join(commonNew, ", "))
		for _, name := range common {
			touch(o[oi[name]].Access)
		}
	}
	for i, m := range n {
		if m.Name == "" {
			continue
		}
		j, ok := oi[m.Name]
		if !ok {
			out = append(out, memberLabel(m, i)+" added ("+m.Type+")")
			touch(m.Access)
			continue
		}
		om := o[j]
		label := memberLabel(m, i)
		changed := false
		if om.Type != m.Type {
			out = append(out, fmt.Sprintf("%s type %s -> %s", label, om.Type, m.Type))
			changed = true
		}
		if om.BitWidth != m.BitWidth {
			out = append(out, fmt.Sprintf("%s bit width %s -> %s", label, bitWidth(om.BitWidth), bitWidth(m.BitWidth)))
			changed = true
		}
		// A member's access alone (NOVA's Eptp::val made private) moves
		// no byte: the compiler lays members out in declaration order
		// whatever their access, so it is no layout change.
		if om.Offset >= 0 && m.Offset >= 0 && om.Offset != m.Offset {
			out = append(out, fmt.Sprintf("%s offset %d -> %d", label, om.Offset, m.Offset))
			changed = true
		}
		if om.Size >= 0 && m.Size >= 0 && om.Size != m.Size && om.Type == m.Type {
			out = append(out, fmt.Sprintf("%s size %d -> %d", label, om.Size, m.Size))
			changed = true
		}
		if changed {
			touch(m.Access)
		}
	}
	for i := 0; i < max(len(unnamedO), len(unnamedN)); i++ {
		switch {
		case i >= len(unnamedO):
			out = append(out, "unnamed member added ("+unnamedN[i].Type+")")
			touch(unnamedN[i].Access)
		case i >= len(unnamedN):
			out = append(out, "unnamed member removed ("+unnamedO[i].Type+")")
			touch(unnamedO[i].Access)
		case unnamedO[i].Type != unnamedN[i].Type:
			out = append(out, fmt.Sprintf("unnamed member #%d type %s -> %s", i+1, unnamedO[i].Type, unnamedN[i].Type))
			touch(unnamedN[i].Access)
		}
	}
	return out
}

func numberMethodRepeats(ms []Method) []Method {
	seen := map[string]int{}
	out := make([]Method, len(ms))
	for i, m := range ms {
		k := m.Name + "\x00" + m.Signature
		seen[k]++
		if c := seen[k]; c > 1 {
			m.Signature += " #" + strconv.Itoa(c)
		}
		out[i] = m
	}
	return out
}

func numberRepeats(ms []Member) []Member {
	seen := map[string]int{}
	out := make([]Member, len(ms))
	for i, m := range ms {
		if m.Name != "" {
			seen[m.Name]++
			if k := seen[m.Name]; k > 1 {
				m.Name += "#" + strconv.Itoa(k)
			}
		}
		out[i] = m
	}
	return out
}

func bitWidth(w int) string {
	if w < 0 {
		return "none"
	}
	return strconv.Itoa(w)
}

// methodDelta describes changes to a class's declared methods: added,
// removed, signature or qualifier changes, and the order of the virtual
// methods (the vtable layout).
func methodDelta(o, n []Method) (detail, access string, virtual bool) {
	// Overloads differ by signature; an exact repeat (invalid code, or
	// #ifdef alternatives) is numbered.
	o, n = numberMethodRepeats(o), numberMethodRepeats(n)
	key := func(m Method) string { return m.Name + "\x00" + m.Signature }
	var parts []string
	touch := func(m Method) {
		access = widestAccess(access, m.Access)
		if access == "" {
			access = m.Access
		}
		virtual = virtual || m.Virtual
	}
	om := map[string]Method{}
	for _, m := range o {
		om[key(m)] = m
	}
	nm := map[string]Method{}
	for _, m := range n {
		nm[key(m)] = m
	}
	byName := func(ms []Method, name string) []Method {
		var out []Method
		for _, m := range ms {
			if m.Name == name {
				out = append(out, m)
			}
		}
		return out
	}
	for _, m := range o {
		if _, ok := nm[key(m)]; ok {
			continue
		}
		if len(byName(o, m.Name)) == 1 && len(byName(n, m.Name)) == 1 {
			nmth := byName(n, m.Name)[0]
			parts = append(parts, fmt.Sprintf("method %s: %s -> %s", m.Name, m.Signature, nmth.Signature))
			touch(m)
			touch(nmth)
			continue
		}
		parts = append(parts, "method "+m.Name+" "+m.Signature+" removed")
		touch(m)
	}
	for _, m := range n {
		if _, ok := om[key(m)]; ok {
			continue
		}
		if len(byName(o, m.Name)) == 1 && len(byName(n, m.Name)) == 1 {
			continue // reported as a signature change above
		}
		parts = append(parts, "method "+m.Name+" "+m.Signature+" added")
		touch(m)
	}
	for _, m := range n {
		if p, ok := om[key(m)]; ok {
			var q []string
			if p.Virtual != m.Virtual && !overrideMarked(p.Virtual, p.Override, m.Virtual, m.Override) {
				q = append(q, fmt.Sprintf("virtual %t -> %t", p.Virtual, m.Virtual))
				virtual = true
			}
			if p.Pure != m.Pure {
				q = append(q, fmt.Sprintf("pure %t -> %t", p.Pure, m.Pure))
			}
			if p.Static != m.Static {
				q = append(q, fmt.Sprintf("static %t -> %t", p.Static, m.Static))
			}
			if len(q) > 0 {
				parts = append(parts, "method "+m.Name+": "+strings.Join(q, ", "))
				touch(p)
				touch(m)
			}
		}
	}
	// The vtable's own slots, in order: an overrider reuses its base's.
	virtualOrder := func(ms []Method) string {
		var names []string
		for _, m := range ms {
			if m.Virtual && !m.Override {
				names = append(names, m.Name)
			}
		}
		return strings.Join(names, ", ")
	}
	if vo, vn := virtualOrder(o), virtualOrder(n); vo != vn {
		parts = append(parts, fmt.Sprintf("virtual methods %s -> %s", orNone(vo), orNone(vn)))
		virtual = true
	}
	return strings.Join(parts, "; "), access, virtual
}

// overrideMarked reports whether a method's virtual-ness changed only by
// marking it override or final, or by taking the mark off: it overrides a
// base class's virtual method either way ("void putc (int) override;"
// where "void putc (int c);" was), so nothing about it changed.
func overrideMarked(oldVirtual, oldOverride, newVirtual, newOverride bool) bool {
	return !oldVirtual && newVirtual && newOverride || oldVirtual && oldOverride && !newVirtual
}

func (d *differ) enumDelta(o, n []Enumerator) string {
	describe := func(es []Enumerator, values bool) string {
		var parts []string
		for _, e := range es {
			part := e.Name
			if values && e.Value != "" {
				part += "=" + e.Value
			}
			if values && e.Condition != "" {
				part += " [#if " + e.Condition + "]"
			}
			parts = append(parts, part)
		}
		return strings.Join(parts, ", ")
	}
	// Values and conditions compare only when one engine produced both:
	// the precise engine computes values and reads the branches in
	// effect, the tolerant one keeps the source text of both and reads
	// every branch.
	if a, b := describe(o, d.sameEngine), describe(n, d.sameEngine); a != b {
		return "enumerators " + orNone(a) + " -> " + orNone(b)
	}
	return ""
}

// kindSwitched makes a type name whose definition changed kind — an alias
// or typedef made a struct, class or enum, or the other way round
// (managarm's "using IrqStatus = unsigned int" made "enum class
// IrqStatus") — one change of what the name stands for, not the typedef
// removed and the type added: code that names it names the same entity.
// from is where the type and typedef changes start in d.out.
func (d *differ) kindSwitched(from int) {
	typedefDetail := func(c Change) bool { return strings.HasPrefix(c.Detail, "typedef ") }
	var added, removed map[string]int
	for i := from; i < len(d.out); i++ {
		c := d.out[i]
		if c.Entity != EntityType {
			continue
		}
		switch c.Change {
		case ChangeAdded:
			if added == nil {
				added = map[string]int{}
			}
			added[c.Name] = i
		case ChangeRemoved:
			if removed == nil {
				removed = map[string]int{}
			}
			removed[c.Name] = i
		}
	}
	drop := map[int]bool{}
	for name, a := range added {
		r, ok := removed[name]
		if !ok || typedefDetail(d.out[a]) == typedefDetail(d.out[r]) {
			continue
		}
		d.out[a].Change, d.out[a].Detail = ChangeType, d.out[r].Detail+" -> "+d.out[a].Detail
		drop[r] = true
	}
	if len(drop) == 0 {
		return
	}
	kept := d.out[:from]
	for i := from; i < len(d.out); i++ {
		if !drop[i] {
			kept = append(kept, d.out[i])
		}
	}
	d.out = kept
}

func (d *differ) typedefs(oldT, newT []Typedef) {
	names := func(ts []Typedef) map[string]bool {
		m := make(map[string]bool, len(ts))
		for _, t := range ts {
			m[t.Name] = true
		}
		return m
	}
	oldNames, newNames := names(oldT), names(newT)
	retyped := map[string]bool{}
	pairByName(oldT, newT, func(t Typedef) string { return t.Name }, func(name string, o, n Typedef, oin, nin bool) {
		switch {
		case !oin && oldNames[name] || !nin && newNames[name]:
			// An alternative under another #if added or gone while the
			// name stays defined (FreeRTOS's BaseType_t given a 64-bit
			// definition for x86_64): what it names in one
			// configuration changed.
			if !retyped[name] {
				retyped[name] = true
				detail := DetailAlternativeAdded + ", typedef " + n.Type
				if !nin {
					detail = DetailAlternativeRemoved + ", typedef " + o.Type
				}
				d.add(Change{Entity: EntityType, Name: name, Change: ChangeType, Detail: detail})
			}
		case !oin:
			d.add(Change{Entity: EntityType, Name: name, Change: ChangeAdded, Detail: "typedef " + n.Type})
		case !nin:
			d.add(Change{Entity: EntityType, Name: name, Change: ChangeRemoved, Detail: "typedef " + o.Type})
		case o.Type != n.Type && !retyped[name]:
			// The name now stands for another type, as a global's
			// declared type changes: a type change, whatever the
			// layouts of the two.
			retyped[name] = true
			d.add(Change{Entity: EntityType, Name: name, Change: ChangeType, Detail: "typedef " + o.Type + " -> " + n.Type})
		}
	})
}

func (d *differ) globals(oldG, newG []Global) {
	oldG, newG = foldDeclarations(oldG), foldDeclarations(newG)
	// A variable defined in both versions that gains or loses an
	// alternative definition (under another #if, seen by the tolerant
	// engine: seL4's mode_reserved_region, an empty array for clang and a
	// null pointer otherwise) is changed as that alternative differs from
	// the definition it had, not added or removed: the name was there
	// before and stays.
	var oldFirst, newFirst map[string]Global // built when first asked
	pairByName(oldG, newG, func(g Global) string { return g.Name }, func(name string, o, n Global, oin, nin bool) {
		prefix := ""
		switch {
		case !oin:
			first, ok := firstGlobal(&oldFirst, oldG, name)
			if !ok {
				d.add(Change{Entity: EntityGlobal, Name: name, Change: ChangeAdded, Detail: describeGlobal(n)})
				return
			}
			o, prefix = first, DetailAlternativeAdded+": "
		case !nin:
			first, ok := firstGlobal(&newFirst, newG, name)
			if !ok {
				d.add(Change{Entity: EntityGlobal, Name: name, Change: ChangeRemoved, Detail: describeGlobal(o)})
				return
			}
			n, prefix = first, DetailAlternativeRemoved+": "
		}
		var parts []string
		if o.Type != n.Type && (d.oldSum == nil || !sameTaggedLayout(o.Type, d.oldSum, n.Type, d.newSum)) {
			parts = append(parts, o.Type+" -> "+n.Type)
		}
		if o.Static != n.Static {
			parts = append(parts, fmt.Sprintf(staticDetail, o.Static, n.Static))
		}
		if o.Extern != n.Extern {
			parts = append(parts, fmt.Sprintf("extern %t -> %t", o.Extern, n.Extern))
		}
		if len(parts) > 0 {
			d.add(Change{Entity: EntityGlobal, Name: name, Change: ChangeType, Detail: prefix + strings.Join(parts, "; ")})
		}
		if o.InitHash != n.InitHash {
			detail := "initializer changed"
			switch {
			case o.InitHash == "":
				detail = "initializer added"
			case n.InitHash == "":
				detail = "initializer removed"
			}
			d.add(Change{Entity: EntityGlobal, Name: name, Change: ChangeInit, Detail: prefix + detail})
		}
	})
}

// firstGlobal is the first of globals named name, looked up in *index,
// which it builds on its first use.
func firstGlobal(index *map[string]Global, globals []Global, name string) (Global, bool) {
	if *index == nil {
		*index = make(map[string]Global, len(globals))
		for _, g := range slices.Backward(globals) {
			(*index)[g.Name] = g
		}
	}
	g, ok := (*index)[name]
	return g, ok
}

// foldDeclarations drops from a file's globals the declarations of a
// variable the same file defines: "extern pde_t *kpgdir;" or a tentative
// "pde_t bootpgdir[];" above the functions that use it, the definition with
// its initializer further down (xv6's main.c). The variable is one entity,
// the definition's; left in, a declaration added above the definition was
// paired with the old definition and read as a type change, an
// initializer removed and a second variable added. Only a name with one
// definition is folded: alternatives under #if (each with its own
// initializer) pair up in order as before. It returns globals itself when
// nothing is folded.
func foldDeclarations(globals []Global) []Global {
	if len(globals) < 2 {
		return globals
	}
	seen := make(map[string]int, len(globals))
	repeated := false
	for _, g := range globals {
		seen[g.Name]++
		repeated = repeated || seen[g.Name] > 1
	}
	if !repeated {
		return globals
	}
	var folded []Global
	for i, g := range globals {
		if seen[g.Name] > 1 && declaresDefined(globals, g) {
			if folded == nil {
				folded = slices.Clone(globals[:i])
			}
			continue
		}
		if folded != nil {
			folded = append(folded, g)
		}
	}
	if folded == nil {
		return globals
	}
	return folded
}

// declaresDefined reports whether g only declares a variable that one
// other global of globals defines with a compatible type: g has no
// initializer, and the definition is the name's one initialized global or,
// none being initialized, its one that is not extern while g is.
func declaresDefined(globals []Global, g Global) bool {
	if g.InitHash != "" {
		return false
	}
	var initialized, plain []Global // the name's globals with an initializer, and without one nor extern
	for _, o := range globals {
		switch {
		case o.Name != g.Name:
		case o.InitHash != "":
			initialized = append(initialized, o)
		case !o.Extern:
			plain = append(plain, o)
		}
	}
	var definition Global
	switch {
	case len(initialized) == 1:
		definition = initialized[0]
	case len(initialized) == 0 && g.Extern && len(plain) == 1:
		definition = plain[0]
	default:
		return false // no definition, or alternatives under #if, each defining it
	}
	return arrayBoundsRe.ReplaceAllString(g.Type, "[]") == arrayBoundsRe.ReplaceAllString(definition.Type, "[]")
}

// arrayBoundsRe is an array's bound, which a declaration may leave out
// ("pde_t bootpgdir[];" for "pde_t bootpgdir[NPDENTRIES] = {...}").
var arrayBoundsRe = regexp.MustCompile(`\[[^\]]*\]`)

// staticDetail is the part of a global's type change that says its
// linkage changed; madeNonStatic is its text when static was taken away.
const staticDetail = "static %t -> %t"

var madeNonStatic = fmt.Sprintf(staticDetail, true, false)

// MadeNonStatic reports whether c is a global's type change that took its
// static away: the variable, private to its file before, is published.
func MadeNonStatic(c Change) bool {
	return c.Entity == EntityGlobal && c.Change == ChangeType && strings.Contains(c.Detail, madeNonStatic)
}

func describeGlobal(g Global) string {
	s := g.Type
	if g.Static {
		s = "static " + s
	}
	if g.Extern {
		s = "extern " + s
	}
	return s
}

// The details that open a change of an entity's alternative definitions
// (under another #if): the name stays defined, so a function's is a body
// change and a macro's changed.
const (
	// DetailConditionChanged: the same definition under other
	// conditionals (made or left conditional, or its #if rewritten).
	DetailConditionChanged   = "condition changed"
	DetailAlternativeAdded   = "alternative definition added"
	DetailAlternativeRemoved = "alternative definition removed"
	// DetailOverloadAdded and DetailOverloadRemoved mark a C++ signature
	// change that is one overload of several added or removed: its code
	// is loaded or unloaded as a function's, no caller's call changes.
	DetailOverloadAdded   = "overload added"
	DetailOverloadRemoved = "overload removed"
	// DetailDefinitionRemoved and DetailDefinitionAdded mark a function
	// removed or added in a file that declares it before and after: only
	// its definition went or came (an inline body moved out of a class,
	// or into it).
	DetailDefinitionRemoved = "definition removed; still declared"
	DetailDefinitionAdded   = "definition added; was only declared"
)

func (d *differ) macros(oldM, newM []Macro) {
	// A macro defined in both versions that gains or loses an alternative
	// definition (a value under another #if) is changed, not added or
	// removed: the name was there before and stays. A definition gained
	// or lost that repeats one the other version has, under the same
	// conditions, changes nothing the preprocessor does (seL4's util.h
	// once defined FASTCALL twice).
	var oldDefs, newDefs macroDefinitions
	pairByName(oldM, newM, func(m Macro) string { return m.Name }, func(name string, o, n Macro, oin, nin bool) {
		switch {
		case !oin && len(oldM) > 0 && oldDefs.of(oldM).defines(name):
			if !oldDefs.has(n) {
				d.add(Change{Entity: EntityMacro, Name: name, Change: ChangeChanged, Detail: DetailAlternativeAdded + ", " + describeMacro(n)})
			}
		case !nin && len(newM) > 0 && newDefs.of(newM).defines(name):
			if !newDefs.has(o) {
				d.add(Change{Entity: EntityMacro, Name: name, Change: ChangeChanged, Detail: DetailAlternativeRemoved + ", " + describeMacro(o)})
			}
		case !oin:
			d.add(Change{Entity: EntityMacro, Name: name, Change: ChangeAdded, Detail: describeMacro(n)})
		case !nin:
			d.add(Change{Entity: EntityMacro, Name: name, Change: ChangeRemoved, Detail: describeMacro(o)})
		case o.FunctionLike != n.FunctionLike || len(o.Params) != len(n.Params):
			d.add(Change{Entity: EntityMacro, Name: name, Change: ChangeChanged, Detail: "parameters " + describeMacro(o) + " -> " + describeMacro(n)})
		case o.ValueHash != n.ValueHash:
			d.add(Change{Entity: EntityMacro, Name: name, Change: ChangeChanged, Detail: "replacement changed"})
		case !slices.Equal(o.Params, n.Params) && o.Condition == n.Condition:
			d.add(Change{Entity: EntityMacro, Name: name, Change: ChangeChanged, Detail: DetailParametersRenamed, Cosmetic: true})
		case o.Condition != n.Condition:
			d.add(Change{Entity: EntityMacro, Name: name, Change: ChangeChanged, Detail: DetailConditionChanged})
		}
	})
}

// macroDefinitions indexes one version's macros by name and by
// definition, built on first use: most diffs never ask.
type macroDefinitions struct {
	names       map[string]bool
	definitions map[macroDefinition]bool
}

// macroDefinition is what makes two definitions of a macro the same one:
// its parameters (by count: they are hashed by position), replacement and
// conditions.
type macroDefinition struct {
	name, value, condition string
	functionLike           bool
	params                 int
}

func definitionOf(m Macro) macroDefinition {
	return macroDefinition{name: m.Name, value: m.ValueHash, condition: m.Condition, functionLike: m.FunctionLike, params: len(m.Params)}
}

// of indexes ms, once.
func (defs *macroDefinitions) of(ms []Macro) *macroDefinitions {
	if defs.names == nil {
		defs.names = make(map[string]bool, len(ms))
		defs.definitions = make(map[macroDefinition]bool, len(ms))
		for _, m := range ms {
			defs.names[m.Name] = true
			defs.definitions[definitionOf(m)] = true
		}
	}
	return defs
}

func (defs *macroDefinitions) defines(name string) bool { return defs.names[name] }

func (defs *macroDefinitions) has(m Macro) bool { return defs.definitions[definitionOf(m)] }

func describeMacro(m Macro) string {
	if m.FunctionLike {
		return "function-like (" + strings.Join(m.Params, ", ") + ")"
	}
	return "object-like"
}

func (d *differ) asm(o, n []Asm) {
	// A C file's asm blocks that define global symbols are those symbols
	// (asmBlockSymbols); the others are compared by their number among
	// the file's unnamed blocks.
	d.asmSymbols(withName(o, true), withName(n, true))
	o, n = withName(o, false), withName(n, false)
	for i := 0; i < max(len(o), len(n)); i++ {
		name := UnnamedAsmPrefix + strconv.Itoa(i+1)
		switch {
		case i >= len(o):
			d.add(Change{Entity: EntityAsm, Name: name, Change: ChangeAdded, Detail: fmt.Sprintf("at line %d", n[i].Span.StartLine)})
		case i >= len(n):
			d.add(Change{Entity: EntityAsm, Name: name, Change: ChangeRemoved, Detail: fmt.Sprintf("was at line %d", o[i].Span.StartLine)})
		case o[i].Hash != n[i].Hash:
			d.add(Change{Entity: EntityAsm, Name: name, Change: ChangeChanged, Detail: fmt.Sprintf("at line %d", n[i].Span.StartLine)})
		}
	}
}

// UnnamedAsmPrefix starts the name of an unnamed asm block's change
// ("file-scope asm #1"): its number among its file's blocks.
const UnnamedAsmPrefix = "file-scope asm #"

// withName returns the entries of as that have a name, or those that have
// none.
func withName(as []Asm, named bool) []Asm {
	var out []Asm
	for _, a := range as {
		if (a.Name != "") == named {
			out = append(out, a)
		}
	}
	return out
}

// asmSymbols compares an assembly file's global symbols by name.
func (d *differ) asmSymbols(o, n []Asm) {
	old := map[string]Asm{}
	for _, a := range o {
		old[a.Name] = a
	}
	now := map[string]bool{}
	for _, a := range n {
		now[a.Name] = true
		switch b, ok := old[a.Name]; {
		case !ok:
			d.add(Change{Entity: EntityAsm, Name: a.Name, Change: ChangeAdded, Detail: fmt.Sprintf("at line %d", a.Span.StartLine)})
		case b.Hash != a.Hash:
			d.add(Change{Entity: EntityAsm, Name: a.Name, Change: ChangeChanged, Detail: fmt.Sprintf("at line %d", a.Span.StartLine)})
		}
	}
	for _, a := range o {
		if !now[a.Name] {
			d.add(Change{Entity: EntityAsm, Name: a.Name, Change: ChangeRemoved, Detail: fmt.Sprintf("was at line %d", a.Span.StartLine)})
		}
	}
}
