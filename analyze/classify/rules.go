package classify

import (
	"fmt"
	"reflect"
	"regexp"
	"strings"
	"unique"

	"github.com/upsynth/upsynth/cparse"
	"github.com/upsynth/upsynth/kernel"
)

// includeGuard matches the names headers use to guard against double
// inclusion (FS_H, _ASM_X86_IO_H_, KERNEL_MM_HPP, FOO_INCLUDED).
var includeGuard = regexp.MustCompile(`^_*[A-Z0-9_]*_(H|HH|HPP|HXX|INCLUDED)_*$`)

// isIncludeGuard is includeGuard's match, rejecting first what cannot
// match: the regular expression took 3 of FreeRTOS's CPU seconds over the
// 2.6 million header macros its vendor trees add and remove.
func isIncludeGuard(name string) bool {
	return (strings.Contains(name, "_H") || strings.Contains(name, "_INCLUDED")) && includeGuard.MatchString(name)
}

func functionLikeMacro(old, new *cparse.Summary, name string) bool {
	for _, s := range []*cparse.Summary{old, new} {
		if s == nil {
			continue
		}
		for _, m := range s.Macros {
			if m.Name == name && m.FunctionLike {
				return true
			}
		}
	}
	return false
}

// isSyscallName reports whether name is one of the names that make up the
// system-call ABI: SYS_* and __NR_* numbers, sys_call_table.
func isSyscallName(name string) bool {
	return strings.HasPrefix(name, "SYS_") || strings.HasPrefix(name, "__NR_") || name == "sys_call_table"
}

func out(class Class, reason string, hazards ...Hazard) Change {
	// A commit that deletes a vendor tree has a million changes built from a
	// handful of reasons; one copy of each keeps them from holding a
	// hundred megabytes while the commit is written.
	return Change{Class: class, Reason: unique.Make(reason).Value(), Hazards: hazards}
}

// rule applies docs/classification.md's per-change table to one entity change.
func (c *classifier) rule(file string, old, new *cparse.Summary, d cparse.Change) Change {
	header := kernel.KindOf(file) == kernel.KindHeader
	if d.Cosmetic {
		return out(None, "parameters renamed only: the compiled code is the same")
	}
	if d.Change == cparse.ChangeMoved {
		return c.moved(header, new, d)
	}
	switch d.Entity {
	case cparse.EntityAsm:
		return out(Unsupported, "file-scope assembly "+string(d.Change), HazardAsm)
	case cparse.EntityFunction:
		return c.function(file, header, old, new, d)
	case cparse.EntityType:
		return c.typ(header, old, new, d)
	case cparse.EntityGlobal:
		return c.global(header, old, new, d)
	case cparse.EntityMacro:
		if header && isIncludeGuard(d.Name) && !functionLikeMacro(old, new, d.Name) {
			return out(None, "") // an include guard: no code sees its value
		}
		return macro(header, d)
	}
	return out(Unsupported, "unknown entity kind "+string(d.Entity))
}

func findFunction(s *cparse.Summary, name string) *cparse.Function {
	if s == nil {
		return nil
	}
	var decl *cparse.Function
	for i := range s.Functions {
		f := &s.Functions[i]
		if f.Name != name {
			continue
		}
		if f.Definition {
			return f
		}
		if decl == nil {
			decl = f
		}
	}
	return decl
}

func (c *classifier) function(file string, header bool, old, new *cparse.Summary, d cparse.Change) Change {
	of, nf := findFunction(old, d.Name), findFunction(new, d.Name)
	f := nf
	if f == nil {
		f = of
	}
	if f == nil {
		f = &cparse.Function{Name: d.Name, Definition: true}
	}
	definition := (of != nil && of.Definition) || (nf != nil && nf.Definition)
	// A C++ overload added or removed beside others is a signature change
	// of its name, but no caller's call changes: it is classed as the
	// function added or removed it is.
	switch d.Detail {
	case cparse.DetailOverloadAdded:
		d.Change = cparse.ChangeAdded
	case cparse.DetailOverloadRemoved:
		d.Change = cparse.ChangeRemoved
	}
	// Added and removed count too (the corpus labels agree): the code that
	// must be loaded or unloaded is assembly either way.
	if (of != nil && of.HasAsm) || (nf != nil && nf.HasAsm) {
		return out(Unsupported, "function containing inline assembly changed", HazardAsm)
	}
	if definition && c.cfg.IsInit(d.Name) {
		return out(Unsupported, "init function: it has already run on a live system", HazardInit)
	}
	if isSyscallName(d.Name) || (d.Name == "kernel_syscall" && d.Change == cparse.ChangeSignature) {
		return out(Interface, "system-call ABI changed", HazardSyscallABI)
	}
	if header {
		switch {
		case !definition && d.Change == cparse.ChangeSignature:
			return out(Interface, "prototype in a header changed: every caller was built against it")
		case !definition:
			return out(None, "prototype "+string(d.Change)+" in a header: the definition's own change classifies it")
		case d.Change == cparse.ChangeBody:
			return out(Code, "header inline function body changed: every includer's copy must be replaced", HazardHeaderInline)
		case d.Change == cparse.ChangeSignature:
			return out(Interface, "header inline function signature changed", HazardHeaderInline)
		}
		return out(Code, "header inline function "+string(d.Change))
	}
	if !definition {
		// The module only declares the function. A C++ module does so
		// for what no header declares, the extern "C" entry points of
		// assembly (managarm's fault stubs): the declaration is the
		// module's whole view of the routine, shown though it changes
		// no code here. C modules declare other modules' functions
		// locally as a matter of course (seL4's c_traps.c declaring
		// restore_user_context), and that follows their definitions.
		if (new != nil && new.Lang == cparse.LangCPP) || (new == nil && old != nil && old.Lang == cparse.LangCPP) {
			return out(None, "declaration "+string(d.Change)+" of a function the module does not define")
		}
		return out(None, "")
	}
	switch d.Change {
	case cparse.ChangeAdded, cparse.ChangeRemoved:
		return out(Code, "function "+string(d.Change))
	case cparse.ChangeBody:
		if of != nil && nf != nil && !reflect.DeepEqual(staticLocals(of), staticLocals(nf)) {
			return out(State, "static local variables changed: their values must be transferred", HazardStaticLocal)
		}
		return out(Code, "function body changed")
	}
	// Signature change.
	static := (of == nil || of.Static) && (nf == nil || nf.Static)
	switch {
	case static:
		return out(Code, "static function's signature changed: all its callers are in the same module")
	case isObjectMethod(d.Name, f.Signature) || (of != nil && isObjectMethod(d.Name, of.Signature)):
		return out(Interface, "object method signature changed: callers reach it through the object table")
	case strings.Contains(d.Name, "::") && d.Virtual:
		return out(Interface, "virtual method signature changed", HazardVtable)
	case strings.Contains(d.Name, "::") && d.Access != "":
		if d.Access == "public" {
			return out(Interface, "public C++ method signature changed")
		}
		return out(Code, d.Access+" C++ method signature changed: only its class calls it")
	case strings.Contains(d.Name, "::") && (f.Access == "private" || f.Access == "protected"):
		return out(Code, f.Access+" C++ method signature changed: only its class calls it")
	case strings.Contains(d.Name, "::") && f.Access == "public":
		return out(Interface, "public C++ method signature changed")
	case c.facts.CalledOutside(d.Name, file):
		return out(Interface, "exported function's signature changed and other modules call it")
	}
	return out(Code, "exported function's signature changed but only its own module calls it")
}

// staticLocals is the comparable content of a function's static locals.
func staticLocals(f *cparse.Function) []cparse.Global {
	out := make([]cparse.Global, len(f.StaticLocals))
	for i, g := range f.StaticLocals {
		out[i] = cparse.Global{Name: g.Name, Type: g.Type, InitHash: g.InitHash, Static: g.Static}
	}
	return out
}

// isObjectMethod reports whether a function is a K42-style object method:
// named T_name with a first parameter of type TRef.
func isObjectMethod(name, sig string) bool {
	params := paramTypes(sig)
	if len(params) == 0 {
		return false
	}
	first := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(params[0]), "const "))
	for i := 1; i < len(name); i++ {
		if name[i] == '_' && first == name[:i]+"Ref" {
			return true
		}
	}
	return false
}

// paramTypes splits a normalized signature "ret (a, b)" into its parameter
// types: the last top-level parenthesized group.
func paramTypes(sig string) []string {
	end := strings.LastIndexByte(sig, ')')
	if end < 0 {
		return nil
	}
	depth, start := 0, -1
	for i := end; i >= 0; i-- {
		switch sig[i] {
		case ')':
			depth++
		case '(':
			depth--
			if depth == 0 {
				start = i
			}
		}
		if start >= 0 {
			break
		}
	}
	if start < 0 {
		return nil
	}
	inner := sig[start+1 : end]
	var parts []string
	depth, last := 0, 0
	for i := 0; i < len(inner); i++ {
		switch inner[i] {
		case '(', '[', '<':
			depth++
		case ')', ']', '>':
			depth--
		case ',':
			if depth == 0 {
				parts = append(parts, inner[last:i])
				last = i + 1
			}
		}
	}
	if s := strings.TrimSpace(inner[last:]); s != "" && s != "void" {
		parts = append(parts, inner[last:])
	}
	return parts
}

func findType(s *cparse.Summary, name string) *cparse.Type {
	if s == nil {
		return nil
	}
	for i := range s.Types {
		if s.Types[i].Name == name {
			return &s.Types[i]
		}
	}
	return nil
}

func isCPPClass(s *cparse.Summary, t *cparse.Type) bool {
	if t.Kind == cparse.KindClass || len(t.Methods) > 0 || len(t.Bases) > 0 {
		return true
	}
	if s != nil && s.Lang == cparse.LangCPP {
		for _, m := range t.Members {
			if m.Access != "" {
				return true
			}
		}
	}
	return false
}

func (c *classifier) typ(header bool, old, new *cparse.Summary, d cparse.Change) Change {
	if d.Change == cparse.ChangeAdded || d.Change == cparse.ChangeRemoved {
		return out(Code, "type "+string(d.Change))
	}
	ot, nt := findType(old, d.Name), findType(new, d.Name)
	if d.Change == cparse.ChangeEnum && (hasSyscallEnumerator(ot) || hasSyscallEnumerator(nt)) {
		return out(Interface, "system-call numbers changed", HazardSyscallABI)
	}
	if ot != nil && nt != nil && (isCPPClass(old, ot) || isCPPClass(new, nt)) {
		switch d.Change {
		case cparse.ChangeLayout:
			if d.Access == "public" {
				return out(Interface, "public data members changed: users outside the class see the layout")
			}
			if m := publicMemberChanged(ot, nt); m != "" {
				return out(Interface, "public data member "+m+" changed: users outside the class see the layout")
			}
			return out(State, "private/protected data members changed: instances need state transfer")
		case cparse.ChangeMethods:
			if d.Virtual || !reflect.DeepEqual(virtuals(ot), virtuals(nt)) {
				return out(Interface, "virtual method set or order changed", HazardVtable)
			}
			if !reflect.DeepEqual(publicMethods(ot), publicMethods(nt)) {
				return out(Interface, "public method set or signature changed")
			}
			return out(Code, "only non-public methods changed")
		}
	}
	if !header {
		return out(State, "type private to its module changed ("+string(d.Change)+"): instances need state transfer")
	}
	n := c.facts.TypeModules(d.Name)
	if n >= 2 {
		return out(Interface, fmt.Sprintf("type defined in a header and used by %d modules changed (%s)", n, d.Change))
	}
	return out(State, fmt.Sprintf("type defined in a header but used by %d module(s) changed (%s): private in effect", n, d.Change))
}

func hasSyscallEnumerator(t *cparse.Type) bool {
	if t == nil {
		return false
	}
	for _, e := range t.Enumerators {
		if isSyscallName(e.Name) {
			return true
		}
	}
	return false
}

func publicMemberChanged(ot, nt *cparse.Type) string {
	index := func(t *cparse.Type) map[string]cparse.Member {
		m := map[string]cparse.Member{}
		for _, x := range t.Members {
			m[x.Name] = x
		}
		return m
	}
	om, nm := index(ot), index(nt)
	public := func(t *cparse.Type, m cparse.Member) bool {
		if m.Access != "" {
			return m.Access == "public"
		}
		return t.Kind != cparse.KindClass // struct members default to public
	}
	for i, m := range nt.Members {
		o, ok := om[m.Name]
		moved := i >= len(ot.Members) || ot.Members[i].Name != m.Name
		if (!ok || o.Type != m.Type || o.BitWidth != m.BitWidth || o.Offset != m.Offset || moved) && (public(nt, m) || (ok && public(ot, o))) {
			return m.Name
		}
	}
	for _, o := range ot.Members {
		if _, ok := nm[o.Name]; !ok && public(ot, o) {
			return o.Name
		}
	}
	return ""
}

func virtuals(t *cparse.Type) []string {
	var out []string
	for _, m := range t.Methods {
		if m.Virtual {
			out = append(out, m.Name+" "+m.Signature)
		}
	}
	return out
}

func publicMethods(t *cparse.Type) map[string]string {
	out := map[string]string{}
	for _, m := range t.Methods {
		if m.Access == "public" || (m.Access == "" && t.Kind != cparse.KindClass) {
			out[m.Name+"/"+m.Signature] = m.Signature
		}
	}
	return out
}

func findGlobal(s *cparse.Summary, name string) *cparse.Global {
	if s == nil {
		return nil
	}
	var decl *cparse.Global
	for i := range s.Globals {
		g := &s.Globals[i]
		if g.Name != name {
			continue
		}
		if !g.Extern {
			return g
		}
		decl = g
	}
	return decl
}

// typeName extracts the struct tag or typedef name a declared type names:
// "const struct file_ops" -> "file_ops", "ops_t[4]" -> "ops_t".
func typeName(t string) string {
	if i := strings.IndexAny(t, "[*("); i >= 0 {
		t = t[:i]
	}
	fields := strings.Fields(t)
	for i := len(fields) - 1; i >= 0; i-- {
		switch fields[i] {
		case "const", "volatile", "static", "extern", "struct", "union", "class":
			continue
		}
		return fields[i]
	}
	return ""
}

// isOpsTable reports whether a struct's members are mostly function
// pointers.
func isOpsTable(t *cparse.Type) bool {
	if t == nil || t.Kind == cparse.KindEnum || len(t.Members) == 0 {
		return false
	}
	n := 0
	for _, m := range t.Members {
		if strings.Contains(m.Type, "(*") {
			n++
		}
	}
	return n*2 >= len(t.Members) && n > 0
}

func (c *classifier) global(header bool, old, new *cparse.Summary, d cparse.Change) Change {
	og, ng := findGlobal(old, d.Name), findGlobal(new, d.Name)
	g := ng
	if g == nil {
		g = og
	}
	if g == nil {
		g = &cparse.Global{Name: d.Name}
	}
	if isSyscallName(d.Name) {
		return out(Interface, "system-call table changed", HazardSyscallABI)
	}
	decl := header && (g.Extern || g.InitHash == "") && !g.Static
	if decl {
		if d.Change == cparse.ChangeType {
			return out(Interface, "exported global's declared type changed", HazardGlobalData)
		}
		if d.Change == cparse.ChangeAdded || d.Change == cparse.ChangeRemoved {
			return out(None, "extern declaration "+string(d.Change)+" in a header: the definition's own change classifies it")
		}
	}
	switch d.Change {
	case cparse.ChangeAdded, cparse.ChangeRemoved:
		return out(Code, "global "+string(d.Change))
	case cparse.ChangeInit:
		tn := typeName(g.Type)
		if c.facts.IsOpsTable(tn) || isOpsTable(findType(new, tn)) || isOpsTable(findType(old, tn)) {
			return out(State, "operations table's initializer changed: the live table must be rewritten", HazardOpsTable, HazardGlobalData)
		}
		if g.Static {
			return out(State, "file-local global's initializer changed", HazardGlobalData)
		}
		return out(State, "exported global's initializer changed", HazardGlobalData)
	}
	static := (og == nil || og.Static) && (ng == nil || ng.Static)
	if static {
		return out(State, "file-local global's type changed: its value must be transferred", HazardGlobalData)
	}
	return out(Interface, "exported global's type changed", HazardGlobalData)
}

func macro(header bool, d cparse.Change) Change {
	if isSyscallName(d.Name) {
		return out(Interface, "system-call number macro "+string(d.Change), HazardSyscallABI)
	}
	if !header {
		return out(Code, "macro local to a module "+string(d.Change)+": only that module's code is rebuilt")
	}
	if d.Change == cparse.ChangeAdded {
		return out(Code, "header macro added: no existing code uses it")
	}
	return out(Interface, "header macro "+string(d.Change)+": every includer was built with the old value", HazardHeaderInline)
}

// moved classifies an entity moved from another file (moves.go); what else
// changed in it comes as changes of their own. A function moved unchanged
// is code at most: its code is loaded from its new place.
func (c *classifier) moved(header bool, new *cparse.Summary, d cparse.Change) Change {
	why := "moved " + d.Detail
	switch d.Entity {
	case cparse.EntityFunction:
		f := findFunction(new, d.Name)
		switch {
		case f == nil || !f.Definition:
			return out(None, "prototype "+why)
		case f.HasAsm:
			return out(Unsupported, "function containing inline assembly "+why, HazardAsm)
		case header:
			return out(Code, "header inline function "+why+": every includer's copy must be replaced", HazardHeaderInline)
		}
		return out(Code, "function "+why+": its code is loaded from the new place")
	case cparse.EntityGlobal:
		if g := findGlobal(new, d.Name); g != nil && !g.Extern && (g.InitHash != "" || !header) {
			return out(State, "global "+why+": its value must be carried to the new place", HazardGlobalData)
		}
		return out(None, "declaration "+why)
	}
	return out(None, string(d.Entity)+" "+why+", its definition unchanged")
}
