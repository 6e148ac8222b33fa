package emu

import (
	"errors"
	"fmt"
	"io/fs"
	"sort"

	"modernc.org/token"
)

// CodeUnit is C code compiled into a running machine by LoadCode: new
// versions of functions and of object methods, not yet installed.
type CodeUnit struct {
	// Funcs are the functions the code defines, by name (methods of the
	// running image's object types excluded).
	Funcs map[string]*Func
	// Methods are new implementations of methods of the running image's
	// object types: type -> method name -> implementation.
	Methods map[string]map[string]*Func
}

// LoadCode type-checks and compiles C files into the running machine. Names
// the new code does not define resolve to the running image's functions and
// globals; its own globals, static locals and string literals are allocated
// in the machine's heap and initialized at once. Nothing changes for running
// code until ReplaceFunction or SetTypeVersion installs the results. Call it
// while the CPUs are stopped: between runs, or from a host task (Post).
func (m *Machine) LoadCode(fsys fs.FS, files []string, opts LoadOptions) (*CodeUnit, error) {
	if len(files) == 0 {
		return nil, errors.New("load code: no C files")
	}
	opts.Hosted = m.img.opts.Hosted
	if opts.Allocators == nil {
		opts.Allocators = m.img.opts.Allocators
	}
	cfg, pre, err := newConfig(fsys, opts)
	if err != nil {
		return nil, err
	}
	child := newImage(opts)
	child.funcs = append([]*Func(nil), m.code...)
	child.positions = append([]token.Position(nil), m.positions...)
	var problems []string
	m.loads++
	for i, name := range files {
		ast, wide, err := translate(cfg, pre, name)
		if err != nil {
			problems = append(problems, splitErrors(err)...)
			continue
		}
		// Unit indices stay distinct from the image's, so file-local
		// (static) names never clash with the running ones.
		child.units = append(child.units, &unit{idx: 1_000_000*m.loads + i, name: name, ast: ast, wide: wide})
	}
	if len(problems) > 0 {
		return nil, &LoadError{Problems: problems}
	}
	lk := newLinker(child)
	lk.parent = m.img.symbols
	var allocFailed bool
	lk.alloc = func(size, align uint64) uint64 {
		a := m.alloc(alignUp(size, max(align, 1)))
		if a == 0 {
			allocFailed = true
			return guardSize // never used: the load fails below
		}
		return a
	}
	for _, u := range child.units {
		lk.declare(u)
	}
	for _, u := range child.units {
		lk.compileUnit(u)
	}
	lk.resolve()
	if allocFailed {
		lk.problems = append(lk.problems, "machine memory exhausted while loading code")
	}
	if len(lk.problems) > 0 {
		return nil, &LoadError{Problems: lk.problems}
	}
	cu := &CodeUnit{Funcs: map[string]*Func{}, Methods: map[string]map[string]*Func{}}
	for key, s := range child.symbols {
		if s.fn == nil || s.fn.body == nil || !s.defined {
			continue
		}
		if orig, ok := cutSuffix(key, "@impl"); ok {
			mi := m.img.symbols[orig].fn.method
			if cu.Methods[mi.typ] == nil {
				cu.Methods[mi.typ] = map[string]*Func{}
			}
			cu.Methods[mi.typ][mi.name] = s.fn
			continue
		}
		cu.Funcs[s.name] = s.fn
	}
	// Install the compiled code in the machine, then initialize the new
	// data.
	m.code = child.funcs
	m.positions = child.positions
	c := m.cpus[0]
	direct := c.direct
	c.direct = true
	err = m.protect(c, func(f *frame) {
		for _, in := range child.inits {
			in.run(f)
		}
	})
	c.direct = direct
	if err != nil {
		return nil, fmt.Errorf("initializing the loaded code's globals: %w", err)
	}
	return cu, nil
}

func cutSuffix(s, suffix string) (string, bool) {
	if len(s) >= len(suffix) && s[len(s)-len(suffix):] == suffix {
		return s[:len(s)-len(suffix)], true
	}
	return s, false
}

// ReplaceFunction makes every call of the running image's function name —
// direct, or through a function pointer — run fn from the next call on;
// calls already executing finish in the code they started in. The
// signatures must agree in their parameter count. It returns the code that
// ran before, so a caller can roll back.
func (m *Machine) ReplaceFunction(name string, fn *Func) (*Func, error) {
	s := m.img.symbols[name]
	if s == nil || s.fn == nil {
		return nil, fmt.Errorf("the image has no function %s", name)
	}
	if s.fn.method != nil {
		return nil, fmt.Errorf("%s is a method of %s: install it with SetTypeVersion", name, s.fn.method.typ)
	}
	if fn == nil || fn.body == nil {
		return nil, fmt.Errorf("no code to install for %s", name)
	}
	if len(fn.params) != len(s.fn.params) || fn.variadic != s.fn.variadic {
		return nil, fmt.Errorf("%s: %d parameters replaced by %d", name, len(s.fn.params), len(fn.params))
	}
	old := m.code[s.fn.id]
	m.code[s.fn.id] = fn
	return old, nil
}

// SetTypeVersion registers version (>= 2) of an object type of the running
// image: methods maps method names to implementations (from LoadCode);
// methods it leaves out keep the implementation of the previous version.
// Instances move to the version when their OTT entry says so (runtime.OTT).
// It does not change the type's current version (the factory's Current).
func (m *Machine) SetTypeVersion(typ string, version int, methods map[string]*Func) error {
	t := m.types[typ]
	if t == nil {
		return fmt.Errorf("the image has no object type %s", typ)
	}
	if version < 2 || version > 1<<16 {
		return fmt.Errorf("%s: version %d out of range", typ, version)
	}
	for name := range methods {
		if _, ok := t.slots[name]; !ok {
			return fmt.Errorf("%s has no method %s in the running image", typ, name)
		}
	}
	for len(t.versions) <= version {
		t.versions = append(t.versions, nil)
	}
	prev := t.versions[version-1]
	for v := version - 1; len(prev) == 0 && v > 0; v-- {
		prev = t.versions[v]
	}
	impls := append([]*Func(nil), prev...)
	for len(impls) < len(t.names) {
		impls = append(impls, nil)
	}
	for name, fn := range methods {
		if fn == nil || fn.body == nil {
			return fmt.Errorf("%s_%s: no code", typ, name)
		}
		impls[t.slots[name]] = fn
		fn.version = version
	}
	t.versions[version] = impls
	return nil
}

// TypeVersions lists the versions with method tables of an object type.
func (m *Machine) TypeVersions(typ string) []int {
	t := m.types[typ]
	if t == nil {
		return nil
	}
	var out []int
	for v, impls := range t.versions {
		if len(impls) > 0 {
			out = append(out, v)
		}
	}
	sort.Ints(out)
	return out
}

// ExecutingFunction reports whether any CPU has a call of the named function
// (any version) on its stack: a safe point for swapping it is when none has.
func (m *Machine) ExecutingFunction(name string) bool {
	for _, c := range m.cpus {
		for i := 0; i < c.depth; i++ {
			if fn := c.frames[i].fn; fn != nil && fn.Name == name {
				return true
			}
		}
	}
	return false
}
