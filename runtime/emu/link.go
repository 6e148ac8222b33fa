package emu

import (
	"fmt"
	"sort"

	"modernc.org/cc/v4"
	"modernc.org/token"
)

// linker resolves names across units, lays out the data segment and drives
// the compilation of every function body and initializer.
type linker struct {
	img      *Image
	problems []string
	// alloc places a new object with static storage; at load time it bumps
	// the data segment, when code is loaded into a running machine it
	// allocates from that machine's heap.
	alloc func(size, align uint64) uint64
	// localStatics maps a static local's declarator to its global.
	localStatics map[*cc.Declarator]*global
	// used records where each symbol was first referenced, by key.
	used map[string]token.Position
	// parent holds the symbols of the running image when code is loaded
	// into a machine: names the new code does not define resolve there.
	parent map[string]*symbol
	// defKey maps a definition's key to where its symbol is stored, when
	// that differs (a new implementation of a method of the running image).
	defKey map[string]string
	// cells compiles struct layout numbers as layout cells (nil: as
	// constants).
	cells *cellCompile
}

func newLinker(img *Image) *linker {
	lk := &linker{img: img, localStatics: map[*cc.Declarator]*global{}, used: map[string]token.Position{}, defKey: map[string]string{}}
	lk.alloc = func(size, align uint64) uint64 {
		align = max(align, 1)
		a := alignUp(dataStart+img.dataSize, align)
		img.dataSize = a + size - dataStart
		return a
	}
	return lk
}

func (lk *linker) problem(pos token.Position, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if pos.IsValid() {
		msg = pos.String() + ": " + msg
	}
	lk.problems = append(lk.problems, msg)
}

func symKey(u *unit, d *cc.Declarator) string {
	if d.Linkage() == cc.Internal {
		return fmt.Sprintf("%d:%s", u.idx, d.Name())
	}
	return d.Name()
}

// symbol returns the symbol a reference names, creating it when unknown.
func (lk *linker) symbol(key, name string) *symbol {
	if s := lk.lookup(key); s != nil {
		return s
	}
	s := &symbol{name: name}
	lk.img.symbols[key] = s
	return s
}

// lookup finds a symbol in the code being loaded, then in the running image.
func (lk *linker) lookup(key string) *symbol {
	if s := lk.img.symbols[key]; s != nil {
		return s
	}
	return lk.parent[key]
}

// defSymbol returns the symbol a definition goes into: always one of the
// code being loaded. A new implementation of a method of the running image
// is kept aside, so that calls keep going through the method's dispatcher.
func (lk *linker) defSymbol(key, name string) *symbol {
	if p := lk.parent[key]; p != nil && p.fn != nil && p.fn.method != nil {
		lk.defKey[key] = key + "@impl"
		key += "@impl"
	}
	s := lk.img.symbols[key]
	if s == nil {
		s = &symbol{name: name}
		lk.img.symbols[key] = s
	}
	return s
}

func (lk *linker) storageKey(key string) string {
	if k, ok := lk.defKey[key]; ok {
		return k
	}
	return key
}

func (lk *linker) newFunc(name string, pos token.Position, ft *cc.FunctionType) *Func {
	fn := &Func{Name: name, Pos: pos, id: len(lk.img.funcs), ft: ft}
	if ft != nil {
		fn.variadic = ft.IsVariadic()
		fn.ret = classOf(ft.Result())
		if fn.ret == clAgg {
			fn.retSize = uint64(ft.Result().Size())
		}
	}
	lk.img.funcs = append(lk.img.funcs, fn)
	return fn
}

// link declares every external entity, compiles every unit and resolves the
// remaining references to builtins.
func (lk *linker) link(units []*unit) {
	for _, u := range units {
		lk.declare(u)
	}
	for _, u := range units {
		lk.compileUnit(u)
	}
	lk.resolve()
	lk.bindObjectTypes()
}

func (lk *linker) declare(u *unit) {
	for l := u.ast.TranslationUnit; l != nil; l = l.TranslationUnit {
		ed := l.ExternalDeclaration
		switch ed.Case {
		case cc.ExternalDeclarationFuncDef:
			d := ed.FunctionDefinition.Declarator
			ft, _ := d.Type().(*cc.FunctionType)
			s := lk.defSymbol(symKey(u, d), d.Name())
			if s.defined {
				lk.problem(d.Position(), "duplicate definition of %s (first defined at %s)", d.Name(), s.defPos)
				continue
			}
			if s.fn == nil {
				s.fn = lk.newFunc(d.Name(), d.Position(), ft)
			} else {
				s.fn.ft, s.fn.Pos = ft, d.Position()
			}
			s.defined, s.defPos = true, d.Position()
		case cc.ExternalDeclarationDecl:
			lk.declareVars(u, ed.Declaration)
		}
	}
}

func (lk *linker) declareVars(u *unit, decl *cc.Declaration) {
	for l := decl.InitDeclaratorList; l != nil; l = l.InitDeclaratorList {
		id := l.InitDeclarator
		d := id.Declarator
		if d == nil || d.IsTypename() || d.Type() == nil || d.Type().Kind() == cc.Function {
			continue
		}
		if d.IsExtern() && id.Initializer == nil {
			continue // a declaration only
		}
		s := lk.defSymbol(symKey(u, d), d.Name())
		tentative := id.Initializer == nil
		if s.global != nil {
			switch {
			case tentative:
				continue // another tentative definition of the same object
			case s.global.tentative:
				s.global.tentative = false
			default:
				lk.problem(d.Position(), "duplicate definition of %s (first defined at %s)", d.Name(), s.defPos)
				continue
			}
		} else {
			t := d.Type()
			size := uint64(max(t.Size(), 0))
			if t.IsIncomplete() && t.Kind() != cc.Array {
				lk.problem(d.Position(), "%s has incomplete type %s", d.Name(), t)
				continue
			}
			s.global = &global{name: d.Name(), size: size, t: t, tentative: tentative}
			s.global.addr = lk.alloc(max(size, 1), uint64(max(t.Align(), d.Alignas(), 1)))
		}
		s.defined, s.defPos = true, d.Position()
		if id.Initializer != nil {
			lk.img.inits = append(lk.img.inits, dataInit{name: d.Name(), run: lk.compileGlobalInit(u, s.global, id.Initializer)})
		}
	}
}

// compileUnit compiles every function body of a unit.
func (lk *linker) compileUnit(u *unit) {
	for l := u.ast.TranslationUnit; l != nil; l = l.TranslationUnit {
		ed := l.ExternalDeclaration
		if ed.Case != cc.ExternalDeclarationFuncDef {
			continue
		}
		d := ed.FunctionDefinition.Declarator
		s := lk.img.symbols[lk.storageKey(symKey(u, d))]
		if s == nil || s.fn == nil || s.defPos != d.Position() {
			continue // a duplicate, already reported
		}
		if err := compileFunc(lk, u, s.fn, ed.FunctionDefinition); err != nil {
			if ce, ok := err.(*compileError); ok && ce.asm {
				lk.asmFunc(s.fn, ce)
				continue
			}
			lk.problems = append(lk.problems, err.Error())
		}
	}
}

// asmFunc handles a function written with inline assembly, which the
// machine cannot run: a builtin of the same name (a hardware helper)
// stands in for it; otherwise calling it is a fault. Kernels keep loading
// when such functions are present but unused.
func (lk *linker) asmFunc(fn *Func, ce *compileError) {
	fn.params, fn.nslots, fn.frameSize, fn.redzones = nil, 0, 0, nil
	if b := builtins[fn.Name]; b != nil {
		fn.builtin, fn.body = b, nil
		return
	}
	name, pos := fn.Name, ce.pos.String()
	lk.img.positions = append(lk.img.positions, ce.pos)
	p := int32(len(lk.img.positions) - 1)
	fn.body = func(f *frame) ctl {
		f.pos = p
		f.fault("call", "%s uses inline assembly (%s), which the machine cannot run", name, pos)
		return ctlReturn
	}
}

// compileGlobalInit compiles a global initializer into code run when a
// machine starts.
func (lk *linker) compileGlobalInit(u *unit, g *global, init *cc.Initializer) (run func(*frame)) {
	fc := newFnCompiler(lk, u, nil)
	var fill func(*frame)
	err := fc.protect(func() {
		fill = fc.initializer(func(*frame) uint64 { return g.addr }, g.t, init, false)
	})
	if err != nil {
		lk.problems = append(lk.problems, err.Error())
		return func(*frame) {}
	}
	return fill
}

// resolve binds used but undefined functions to builtins and reports the
// references nothing defines.
func (lk *linker) resolve() {
	keys := make([]string, 0, len(lk.used))
	for k := range lk.used {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		s := lk.lookup(k)
		pos := lk.used[k]
		if s == nil || s.defined || s.fn != nil && s.fn.builtin != nil {
			continue
		}
		if s.fn != nil {
			if b := builtins[s.name]; b != nil {
				s.fn.builtin = b
				continue
			}
		}
		lk.problem(pos, "undefined reference to %s", s.name)
	}
}
