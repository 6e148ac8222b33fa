// Package index keeps the cross-module facts of a whole tree — who calls
// each function, which modules use each type, which structs are tables of
// function pointers — and moves from one revision to the next by applying
// the files that changed, never by rebuilding.
package index

import (
	"regexp"
	"sort"
	"strings"

	"github.com/upsynth/upsynth/analyze/classify"
	"github.com/upsynth/upsynth/cparse"
	"github.com/upsynth/upsynth/kernel"
)

// FileFacts are the facts one file version contributes.
type FileFacts struct {
	Module bool
	Calls  []string
	Types  []string // type names the file uses
	Ops    []string // structs it defines that are tables of function pointers
	// Aliases are its typedefs naming a struct, union or enum tag, so a
	// module that only says vcpu_t counts as a user of struct vcpu.
	Aliases []Alias
}

// Alias is a typedef name and the tag it names.
type Alias struct{ Name, Target string }

// aliasTarget is the tag or type name a typedef's type names:
// "struct vcpu" -> "vcpu", "const struct file *" -> "file".
func aliasTarget(t string) string {
	if i := strings.IndexAny(t, "[*("); i >= 0 {
		t = t[:i]
	}
	fields := strings.Fields(t)
	for i := len(fields) - 1; i >= 0; i-- {
		switch fields[i] {
		case "const", "volatile", "struct", "union", "enum", "class":
			continue
		}
		return fields[i]
	}
	return ""
}

// identRe finds identifiers in type strings.
var identRe = regexp.MustCompile(`[A-Za-z_][A-Za-z0-9_]*`)

var typeKeywords = map[string]bool{"struct": true, "union": true, "enum": true, "class": true, "const": true,
	"volatile": true, "unsigned": true, "signed": true, "int": true, "char": true, "long": true, "short": true,
	"void": true, "float": true, "double": true, "static": true, "extern": true, "restrict": true, "_Bool": true, "bool": true}

// FactsOf extracts a summary's facts; nil summaries contribute nothing.
func FactsOf(path string, s *cparse.Summary) *FileFacts {
	f := &FileFacts{Module: kernel.KindOf(path) == kernel.KindModule}
	if s == nil {
		return f
	}
	calls, types := set{}, set{}
	useType := func(t string) {
		for _, id := range identRe.FindAllString(t, -1) {
			if !typeKeywords[id] {
				types[id] = true
			}
		}
	}
	for _, fn := range s.Functions {
		for _, c := range fn.Calls {
			calls[c] = true
		}
		for _, m := range fn.Members {
			if m.Struct != "" {
				types[m.Struct] = true
			}
		}
		useType(fn.Signature)
		for _, g := range fn.StaticLocals {
			useType(g.Type)
		}
	}
	for _, g := range s.Globals {
		useType(g.Type)
	}
	for _, t := range s.Types {
		for _, m := range t.Members {
			useType(m.Type)
		}
		if isOpsTable(t) {
			f.Ops = append(f.Ops, t.Name)
		}
	}
	for _, t := range s.Typedefs {
		useType(t.Type)
		if target := aliasTarget(t.Type); target != "" && target != t.Name && !typeKeywords[target] {
			f.Aliases = append(f.Aliases, Alias{Name: t.Name, Target: target})
		}
	}
	f.Calls, f.Types = calls.sorted(), types.sorted()
	return f
}

func isOpsTable(t cparse.Type) bool {
	if t.Kind == cparse.KindEnum || len(t.Members) == 0 {
		return false
	}
	n := 0
	for _, m := range t.Members {
		if strings.Contains(m.Type, "(*") {
			n++
		}
	}
	return n > 0 && n*2 >= len(t.Members)
}

// Index is the facts of every file of one tree. It is not safe for
// concurrent use.
type Index struct {
	files   map[string]*FileFacts
	callers map[string]map[string]struct{} // function -> files calling it
	users   map[string]map[string]struct{} // type -> modules using it
	ops     map[string]int                 // struct -> files defining it as an ops table
	aliases map[string]map[string]int      // tag -> typedef name -> files declaring it
}

// New returns the index of an empty tree.
func New() *Index {
	return &Index{files: map[string]*FileFacts{}, callers: map[string]map[string]struct{}{},
		users: map[string]map[string]struct{}{}, ops: map[string]int{}, aliases: map[string]map[string]int{}}
}

// Len is the number of files indexed.
func (x *Index) Len() int { return len(x.files) }

// Set replaces the facts of path (nil removes the file).
func (x *Index) Set(path string, f *FileFacts) {
	if old := x.files[path]; old != nil {
		x.apply(path, old, -1)
		delete(x.files, path)
	}
	if f != nil {
		x.files[path] = f
		x.apply(path, f, +1)
	}
}

func (x *Index) apply(path string, f *FileFacts, sign int) {
	edit := func(m map[string]map[string]struct{}, key string) {
		if sign > 0 {
			if m[key] == nil {
				m[key] = map[string]struct{}{}
			}
			m[key][path] = struct{}{}
			return
		}
		delete(m[key], path)
		if len(m[key]) == 0 {
			delete(m, key)
		}
	}
	for _, c := range f.Calls {
		edit(x.callers, c)
	}
	if f.Module {
		for _, t := range f.Types {
			edit(x.users, t)
		}
	}
	for _, a := range f.Aliases {
		if x.aliases[a.Target] == nil {
			x.aliases[a.Target] = map[string]int{}
		}
		x.aliases[a.Target][a.Name] += sign
		if x.aliases[a.Target][a.Name] <= 0 {
			delete(x.aliases[a.Target], a.Name)
			if len(x.aliases[a.Target]) == 0 {
				delete(x.aliases, a.Target)
			}
		}
	}
	for _, o := range f.Ops {
		x.ops[o] += sign
		if x.ops[o] <= 0 {
			delete(x.ops, o)
		}
	}
}

// Overlay answers classify.Facts for a commit: the index at the parent
// revision together with the new versions of the files the commit
// changed, so a caller or user that exists on either side counts.
type Overlay struct {
	Base    *Index
	Changed map[string]*FileFacts // path -> facts of the new version
}

var _ classify.Facts = Overlay{}

// CalledOutside reports whether a file other than file calls fn.
func (o Overlay) CalledOutside(fn, file string) bool {
	for p := range o.Base.callers[fn] {
		if p != file {
			return true
		}
	}
	for p, f := range o.Changed {
		if p != file && f != nil && contains(f.Calls, fn) {
			return true
		}
	}
	return false
}

// TypeModules counts the modules using a type, by its name or a typedef
// of it, on either side.
func (o Overlay) TypeModules(name string) int {
	names := map[string]bool{name: true}
	for a := range o.Base.aliases[name] {
		names[a] = true
	}
	for _, f := range o.Changed {
		if f == nil {
			continue
		}
		for _, a := range f.Aliases {
			if a.Target == name {
				names[a.Name] = true
			}
		}
	}
	modules := map[string]bool{}
	for n := range names {
		for p := range o.Base.users[n] {
			modules[p] = true
		}
	}
	for p, f := range o.Changed {
		if f == nil || !f.Module {
			continue
		}
		for n := range names {
			if contains(f.Types, n) {
				modules[p] = true
			}
		}
	}
	return len(modules)
}

// IsOpsTable reports whether a struct is defined as a table of function
// pointers anywhere on either side.
func (o Overlay) IsOpsTable(name string) bool {
	if o.Base.ops[name] > 0 {
		return true
	}
	for _, f := range o.Changed {
		if f != nil && contains(f.Ops, name) {
			return true
		}
	}
	return false
}

type set map[string]bool

func (s set) sorted() []string {
	out := make([]string, 0, len(s))
	for k := range s {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func contains(sorted []string, x string) bool {
	i := sort.SearchStrings(sorted, x)
	return i < len(sorted) && sorted[i] == x
}
