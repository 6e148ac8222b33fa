// This file is the emulated target's side of applying an update: loading
// the update's C code into the running image, swapping functions and
// converting instances (Target.Load and the runtime.Code it returns). The
// update descriptor is runtime/update.go.

package emu

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing/fstest"
	"time"

	"modernc.org/cc/v4"
	"modernc.org/token"

	upd "github.com/upsynth/upsynth/runtime"
)

// code is an update's new code compiled against a running image
// (runtime.Code). Compiling happens in Load, while no run is in progress;
// switching it on and off (SwapFunctions, InstallType and their inverses)
// only moves pointers, from the update's tasks.
type code struct {
	t        *Target
	u        *upd.Update
	units    []*unit
	swaps    []*funcSwap
	mswaps   []*methodSwap
	types    map[string]*typeCode
	adapters []*adapterUse
	swapped  bool
	child    *Image // the new code's symbols
	// newTypes are the object types the update's code defines and the
	// running image does not have (registered at version 1 when Load
	// succeeds), in the order of their ids.
	newTypes []*objType
	// addedUnits are the modules the running kernel did not have.
	addedUnits []*unit
	// addedSlots are the method slots Load added to the machine's types.
	addedSlots []addedSlot
	// undo restores the target's bookkeeping when the code is switched off.
	undo []func()
	// moves are the globals whose size changes: the new code has new
	// storage for them.
	moves []upd.GlobalMove
	// moved maps a moved global's name to whether it is file-local.
	moved map[string]bool
	// heapFrom and heapTo are the old and new layouts of the structs
	// without an object table the update changes; cellsSaved what their
	// layout cells held before the swap (layoutcells.go).
	heapFrom, heapTo map[string]*upd.Layout
	cellsSaved       map[int32]uint64
}

// funcSwap replaces a plain function: in place (same signature), or by
// turning the old function, which old call sites are bound to, into an
// adapter to the new one.
type funcSwap struct {
	old    *Func
	staged *Func // new code with the old signature
	newFn  *Func // new code with a new signature (old becomes an adapter)
	use    *adapterUse
	saved  *Func
	// layoutOnly: the function's source did not change; it is
	// recompiled because its code depends on a layout the update changes.
	// Its old code stays valid (layout cells), so contexts inside it do
	// not lag (transition.go).
	layoutOnly bool
}

// methodSwap replaces a method's code at the type's current version.
type methodSwap struct {
	ot    *objType
	typ   string
	slot  int
	impl  *Func
	saved *Func
	ver   int
}

// typeCode is the new version of an object type whose layout changed.
type typeCode struct {
	name   string
	ot     *objType
	layout upd.Layout
	impls  map[int]*Func // slot -> new implementation
	// sigChanged maps an old slot whose signature changed to the slot of
	// the new signature; reverseOf is its inverse.
	sigChanged map[int]*sigChange
	reverseOf  map[int]*sigChange
	from, to   int
	savedRow   []*Func
	installed  bool
	accessors  []string // plain functions of the running image using struct T
	// sameLayout: only a method's signature changes; methods the sources
	// leave out keep their code.
	sameLayout bool
}

type sigChange struct {
	oldSlot, newSlot int
	adapter          *upd.Adapter
	fwd, rev         *adapterUse
}

type adapterUse struct {
	upd.AdapterUse
}

// Load compiles an update's sources against the running image.
func (t *Target) Load(u *upd.Update) (upd.Code, error) {
	m := t.m
	img := m.img
	c := &code{t: t, u: u, types: map[string]*typeCode{}}
	overlay := overlayTree{base: t.tree, files: fstest.MapFS{}}
	var cfiles []string
	for _, s := range u.Sources {
		p := path.Clean(s.Path)
		overlay.files[p] = &fstest.MapFile{Data: s.Code, ModTime: time.Unix(0, 0)}
		if strings.HasSuffix(p, ".c") {
			cfiles = append(cfiles, p)
		}
	}
	cfg, pre, err := newConfig(overlay, img.opts)
	if err != nil {
		return nil, err
	}
	var problems []string
	for _, name := range cfiles {
		ast, wide, err := translate(cfg, pre, name)
		if err != nil {
			problems = append(problems, splitErrors(err)...)
			continue
		}
		nu := &unit{name: name, ast: ast, wide: wide}
		if old := t.unitByPath(name); old != nil {
			nu.idx = old.idx // file-local names are the old module's
		} else {
			// A module no update loaded before: its file-local names get
			// keys of their own, distinct from earlier updates' modules.
			nu.idx = len(img.units) + len(t.units) + len(c.addedUnits)
			c.addedUnits = append(c.addedUnits, nu)
		}
		c.units = append(c.units, nu)
	}
	if len(problems) > 0 {
		return nil, &LoadError{Problems: problems}
	}
	// The new code is linked as a child of the running image: names it does
	// not define resolve to the running ones, and the functions it compiles
	// extend this machine's code table (other machines of the image are
	// untouched).
	child := newImage(img.opts)
	child.funcs = append([]*Func(nil), m.code...)
	child.positions = append([]token.Position(nil), m.positions...)
	lk := newLinker(child)
	lk.parent = img.symbols
	if len(t.symbols) > 0 {
		// Earlier updates' definitions win over the image's.
		lk.parent = make(map[string]*symbol, len(img.symbols)+len(t.symbols))
		for k, v := range img.symbols {
			lk.parent[k] = v
		}
		for k, v := range t.symbols {
			lk.parent[k] = v
		}
	}
	c.child = child
	// The layouts of the structs without an object table the update
	// changes: the running one (a committed update's, or the image's) and
	// the new code's.
	c.heapFrom, c.heapTo = map[string]*upd.Layout{}, map[string]*upd.Layout{}
	for _, tu := range u.Types {
		if m.types[tu.Name] != nil {
			continue
		}
		for _, ru := range append(t.units[:len(t.units):len(t.units)], img.units...) {
			if l, ok := structLayout(ru, tu.Name); ok {
				c.heapFrom[tu.Name] = &l
				break
			}
		}
		if l, ok := c.structLayout(tu.Name); ok && c.heapFrom[tu.Name] != nil {
			c.heapTo[tu.Name] = &l
		} else {
			delete(c.heapFrom, tu.Name)
		}
	}
	if m.cells != nil {
		lk.cells = &cellCompile{cells: m.cells, m: m, next: c.heapTo}
	}
	lk.alloc = func(size, align uint64) uint64 {
		a := m.alloc(size + max(align, heapAlign) - heapAlign)
		return alignUp(a, max(align, 1))
	}
	listed := map[string]bool{}
	for _, f := range u.Functions {
		listed[f] = true
	}
	changedTypes := map[string]bool{}
	layoutChanged := map[string]bool{} // the update's Types
	for _, tu := range u.Types {
		changedTypes[tu.Name] = true
		layoutChanged[tu.Name] = true
		ot := m.types[tu.Name]
		if ot == nil {
			// A struct with no object table: the typed heap finds and
			// moves its instances (typedheap.go).
			if _, ok := img.Layout(tu.Name); !ok {
				return nil, fmt.Errorf("the running image has no object type or struct %s", tu.Name)
			}
			continue
		}
		fac := m.ott.Factory(tu.Name)
		c.types[tu.Name] = &typeCode{name: tu.Name, ot: ot, impls: map[int]*Func{}, sigChanged: map[int]*sigChange{},
			reverseOf: map[int]*sigChange{}, from: fac.Current, to: fac.Current + 1}
	}
	// A method whose signature changes (with an adapter) needs a new
	// version of its type even when the state layout stays: such a type
	// is added, its methods not in the sources keep their code.
	for _, nu := range c.units {
		for l := nu.ast.TranslationUnit; l != nil; l = l.TranslationUnit {
			ed := l.ExternalDeclaration
			if ed.Case != cc.ExternalDeclarationFuncDef {
				continue
			}
			d := ed.FunctionDefinition.Declarator
			ft, _ := d.Type().(*cc.FunctionType)
			typ, _, isMethod := methodOf(&Func{Name: d.Name(), ft: ft})
			if !isMethod || changedTypes[typ] || m.types[typ] == nil || u.AdapterFor(d.Name()) == nil {
				continue
			}
			if s := lk.lookup(symKey(nu, d)); s == nil || s.fn == nil || sigString(s.fn.ft) == sigString(ft) {
				continue
			}
			changedTypes[typ] = true
			fac := m.ott.Factory(typ)
			c.types[typ] = &typeCode{name: typ, ot: m.types[typ], impls: map[int]*Func{}, sigChanged: map[int]*sigChange{},
				reverseOf: map[int]*sigChange{}, from: fac.Current, to: fac.Current + 1, sameLayout: true}
		}
	}
	type job struct {
		u   *unit
		fn  *Func
		def *cc.FunctionDefinition
	}
	var compile []job
	for _, nu := range c.units {
		for l := nu.ast.TranslationUnit; l != nil; l = l.TranslationUnit {
			ed := l.ExternalDeclaration
			switch ed.Case {
			case cc.ExternalDeclarationDecl:
				if err := c.declareGlobals(lk, nu, ed.Declaration); err != nil {
					problems = append(problems, err.Error())
				}
				continue
			case cc.ExternalDeclarationFuncDef:
			default:
				continue
			}
			def := ed.FunctionDefinition
			d := def.Declarator
			ft, _ := d.Type().(*cc.FunctionType)
			name := d.Name()
			key := symKey(nu, d)
			s := lk.lookup(key)
			typ, mname, isMethod := methodOf(&Func{Name: name, ft: ft})
			// A function naming a global that moves is swapped: its old
			// code would go on using the old storage.
			lst := listed[name] || len(c.moved) > 0 && c.usesMoved(def)
			switch {
			case isMethod && changedTypes[typ]:
				tc := c.types[typ]
				impl := lk.newFunc(name, d.Position(), ft)
				compile = append(compile, job{nu, impl, def})
				slot, exists := tc.ot.slots[mname]
				switch {
				case !exists:
					ns := c.addSlot(lk, tc, s, key, name, mname, d, ft)
					tc.impls[ns] = impl
				case s != nil && s.fn != nil && sigString(s.fn.ft) != sigString(ft):
					a := u.AdapterFor(name)
					if a == nil {
						problems = append(problems, fmt.Sprintf("%s: the signature of method %s changed (%s -> %s) and the update has no adapter for it",
							d.Position(), name, sigString(s.fn.ft), sigString(ft)))
						continue
					}
					ns := c.addSlot(lk, tc, s, key, name, mname+"@"+fmt.Sprint(tc.to), d, ft)
					tc.impls[ns] = impl
					sc := &sigChange{oldSlot: slot, newSlot: ns, adapter: a,
						fwd: c.newAdapterUse(name, false), rev: c.newAdapterUse(name, true)}
					tc.sigChanged[slot] = sc
					tc.reverseOf[ns] = sc
				default:
					tc.impls[slot] = impl
				}
			case isMethod && lst && m.types[typ] != nil:
				ot := m.types[typ]
				slot, exists := ot.slots[mname]
				if !exists || s == nil || s.fn == nil || sigString(s.fn.ft) != sigString(ft) {
					problems = append(problems, fmt.Sprintf("%s: method %s is new or changed its signature: list type %s in the update's Types", d.Position(), name, typ))
					continue
				}
				impl := lk.newFunc(name, d.Position(), ft)
				compile = append(compile, job{nu, impl, def})
				c.mswaps = append(c.mswaps, &methodSwap{ot: ot, typ: typ, slot: slot, impl: impl})
			case s != nil && s.fn != nil && s.fn.body != nil && s.fn.method == nil:
				a := u.AdapterFor(name)
				if !lst && a == nil && !usesStruct(def, layoutChanged, false) && !dependsOnLayout(m.code[s.fn.id], layoutChanged) {
					// Unchanged: the old code stays. (A function that
					// uses the state of a type whose layout changes is
					// replaced even when not listed: its old code would
					// read new-layout states with the old offsets.)
					continue
				}
				if sigString(s.fn.ft) == sigString(ft) {
					staged := lk.newFunc(name, d.Position(), ft)
					compile = append(compile, job{nu, staged, def})
					c.swaps = append(c.swaps, &funcSwap{old: s.fn, staged: staged, layoutOnly: !lst && a == nil && t.sameSource(nu.name, def)})
					continue
				}
				if a == nil {
					problems = append(problems, fmt.Sprintf("%s: the signature of %s changed (%s -> %s) and the update has no adapter for it",
						d.Position(), name, sigString(s.fn.ft), sigString(ft)))
					continue
				}
				nf := lk.newFunc(name, d.Position(), ft)
				c.swaps = append(c.swaps, &funcSwap{old: s.fn, newFn: nf, use: c.newAdapterUse(name, false)})
				// The new code's calls bind to the new signature.
				child.symbols[key] = &symbol{name: name, fn: nf, defined: true, defPos: d.Position()}
				compile = append(compile, job{nu, nf, def})
			case isMethod && m.types[typ] == nil && (s == nil || s.fn == nil || (s.fn.body == nil && s.fn.builtin == nil && s.fn.method == nil)):
				if p := c.addNewTypeMethod(lk, child, key, typ, mname, d, ft, func(impl *Func) { compile = append(compile, job{nu, impl, def}) }); p != "" {
					problems = append(problems, p)
				}
			case s == nil || s.fn == nil || (s.fn.body == nil && s.fn.builtin == nil && s.fn.method == nil):
				if isMethod {
					problems = append(problems, fmt.Sprintf("%s: %s adds a method: list type %s in the update's Types", d.Position(), name, typ))
					continue
				}
				s = &symbol{name: name, fn: lk.newFunc(name, d.Position(), ft), defined: true, defPos: d.Position()}
				child.symbols[key] = s
				compile = append(compile, job{nu, s.fn, def})
			}
		}
	}
	problems = append(problems, c.movedUsersOutside()...)
	defined := map[string]bool{}
	for _, j := range compile {
		defined[j.fn.Name] = true
	}
	for _, f := range u.Functions {
		if !defined[f] {
			problems = append(problems, fmt.Sprintf("%s is listed as changed but the update's sources do not define it", f))
		}
	}
	for i := range u.Adapters {
		a := &u.Adapters[i]
		switch {
		case a.To != "":
			problems = append(problems, c.renameMethod(a, defined)...)
		case !defined[a.Func]:
			problems = append(problems, fmt.Sprintf("the adapter of %s: the update's sources do not define %s", a.Func, a.Func))
		}
	}
	if len(problems) == 0 {
		for _, j := range compile {
			if err := compileFunc(lk, j.u, j.fn, j.def); err != nil {
				problems = append(problems, err.Error())
			}
		}
	}
	if len(problems) == 0 {
		lk.resolve()
		problems = append(problems, lk.problems...)
	}
	for name, tc := range c.types {
		l, ok := upd.Layout{}, false
		for _, nu := range c.units {
			if l, ok = structLayout(nu, name); ok {
				break
			}
		}
		if !ok && tc.sameLayout {
			l, ok = img.Layout(name)
		}
		if !ok {
			problems = append(problems, fmt.Sprintf("the update's sources do not define struct %s", name))
		}
		tc.layout = l
		// A method the new version does not define (removed, or renamed)
		// keeps its old code at the new version when the state it reads is
		// the same: callers not yet replaced still call it, on converted
		// instances too. When the layout changes its old code would read
		// the new state with the old offsets: the update is refused.
		keepsState := tc.sameLayout || (ok && sameStateLayout(oldLayoutOf(u, name), l))
		for slot, n := range tc.ot.names {
			if tc.impls[slot] != nil || tc.sigChanged[slot] != nil || strings.Contains(n, "@") {
				continue
			}
			if !keepsState {
				problems = append(problems, fmt.Sprintf("method %s_%s is not in the update's sources, but the layout of %s changes: its old code cannot run on converted instances", name, n, name))
				continue
			}
			if cur := tc.ot.versions[tc.from]; slot < len(cur) && cur[slot] != nil {
				tc.impls[slot] = cur[slot]
			}
		}
	}
	if len(problems) > 0 {
		c.undoSlots()
		return nil, &LoadError{Problems: problems}
	}
	m.code = child.funcs
	m.positions = child.positions
	// New object types get their factory and method table now: only the
	// new code names them, and nothing running calls it yet.
	for _, nt := range c.newTypes {
		if f := m.ott.Register(nt.name); f.ID != nt.id {
			return nil, fmt.Errorf("object type %s: factory id %d, method table id %d", nt.name, f.ID, nt.id)
		}
		m.types[nt.name] = nt
		m.typesByID = append(m.typesByID, nt)
		for _, fn := range nt.versions[1] {
			t.impls[fn] = implInfo{typ: nt.name, version: 1}
		}
	}
	// New globals and string literals get their values now: nothing
	// running can see them yet.
	if newInits := child.inits; len(newInits) > 0 {
		host, err := t.hostCPU()
		if err != nil {
			return nil, err
		}
		err = m.protect(host, func(f *frame) {
			for _, in := range newInits {
				in.run(f)
			}
		})
		if err != nil {
			return nil, fmt.Errorf("initializing the update's globals: %w", err)
		}
	}
	c.bindings()
	for name, tc := range c.types {
		if !tc.sameLayout {
			tc.accessors = c.accessorsOf(name)
		}
	}
	if err := c.heapDepsReplaced(); err != nil {
		return nil, err
	}
	return c, nil
}

// oldLayoutOf is the layout the update gives for the running version of
// type typ (Prepare fills it from the running image when left zero).
func oldLayoutOf(u *upd.Update, typ string) upd.Layout {
	for _, tu := range u.Types {
		if tu.Name == typ {
			return tu.Old
		}
	}
	return upd.Layout{}
}

// sameStateLayout reports whether code compiled for layout a reads and
// writes a state of layout b correctly: same size, same fields at the same
// places with the same representation.
func sameStateLayout(a, b upd.Layout) bool {
	if a.Size == 0 || a.Size != b.Size || len(a.Fields) != len(b.Fields) {
		return false
	}
	for i, f := range a.Fields {
		g := b.Fields[i]
		if f.Name != g.Name || f.Offset != g.Offset || f.Size != g.Size || f.Kind != g.Kind || f.BitOffset != g.BitOffset || f.BitWidth != g.BitWidth || f.Type != g.Type {
			return false
		}
	}
	return true
}

// accessorsOf lists the functions of the running image and of the update,
// other than methods, whose code uses struct typ (beyond sizeof).
func (c *code) accessorsOf(typ string) []string {
	want := map[string]bool{typ: true}
	seen := map[string]bool{}
	var out []string
	// The new code counts too: its plain functions would read instances
	// not converted yet with the new offsets.
	for _, u := range append(append([]*unit(nil), c.t.m.img.units...), c.units...) {
		for l := u.ast.TranslationUnit; l != nil; l = l.TranslationUnit {
			ed := l.ExternalDeclaration
			if ed.Case != cc.ExternalDeclarationFuncDef {
				continue
			}
			def := ed.FunctionDefinition
			name := def.Declarator.Name()
			ft, _ := def.Declarator.Type().(*cc.FunctionType)
			if _, _, isMethod := methodOf(&Func{Name: name, ft: ft}); isMethod || seen[name] {
				continue
			}
			if usesStruct(def, want, true) {
				seen[name] = true
				out = append(out, name)
			}
		}
	}
	sort.Strings(out)
	return out
}

// Types lists the object types the code gives a new version: those of the
// update, and those whose methods only change their signature.
func (c *code) Types() []string {
	out := make([]string, 0, len(c.types))
	for name := range c.types {
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}

// Accessors lists the plain functions using a changed type's state.
func (c *code) Accessors(typ string) []string {
	if tc := c.types[typ]; tc != nil {
		return tc.accessors
	}
	return nil
}

// usesStruct reports whether a function definition names struct T of one
// of the types (a declaration, a cast, DREF's expansion; also sizeof unless
// pointersOnly: sizeof depends on the layout but holds no state).
func usesStruct(def *cc.FunctionDefinition, types map[string]bool, pointersOnly bool) bool {
	if len(types) == 0 {
		return false
	}
	found := false
	walkStructTags(reflect.ValueOf(def), pointersOnly, func(tag string) {
		if types[tag] {
			found = true
		}
	})
	return found
}

var unaryType = reflect.TypeOf((*cc.UnaryExpression)(nil))

var structSpecType = reflect.TypeOf((*cc.StructOrUnionSpecifier)(nil))

// walkStructTags calls fn with the tag of every struct or union specifier
// in an AST subtree.
func walkStructTags(v reflect.Value, skipSizeof bool, fn func(string)) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return
		}
		if skipSizeof && v.Type() == unaryType {
			switch v.Interface().(*cc.UnaryExpression).Case {
			case cc.UnaryExpressionSizeofType, cc.UnaryExpressionSizeofExpr, cc.UnaryExpressionAlignofType, cc.UnaryExpressionAlignofExpr:
				return
			}
		}
		if v.Type() == structSpecType {
			if tag := v.Interface().(*cc.StructOrUnionSpecifier).Token.SrcStr(); tag != "" {
				fn(tag)
			}
		}
		walkStructTags(v.Elem(), skipSizeof, fn)
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			f := v.Type().Field(i)
			if !f.IsExported() {
				continue
			}
			switch f.Type.Kind() {
			case reflect.Pointer, reflect.Interface, reflect.Struct:
				walkStructTags(v.Field(i), skipSizeof, fn)
			}
		}
	}
}

// overlayTree lays an update's files over the kernel tree.
type overlayTree struct {
	base  fs.FS
	files fstest.MapFS
}

func (o overlayTree) Open(name string) (fs.File, error) {
	if _, ok := o.files[name]; ok {
		return o.files.Open(name)
	}
	if o.base == nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return o.base.Open(name)
}

type addedSlot struct {
	ot   *objType
	name string
}

// undoSlots removes the slots a failed load added to the machine's types.
func (c *code) undoSlots() {
	for i := len(c.addedSlots) - 1; i >= 0; i-- {
		a := c.addedSlots[i]
		delete(a.ot.slots, a.name)
		a.ot.names = a.ot.names[:len(a.ot.names)-1]
	}
	c.addedSlots = nil
}

// addSlot adds a method slot for new code (a new method, or a method's new
// signature) with its own dispatcher, which the new code's calls bind to.
func (c *code) addSlot(lk *linker, tc *typeCode, s *symbol, key, name, slotName string, d *cc.Declarator, ft *cc.FunctionType) int {
	ns := len(tc.ot.names)
	tc.ot.slots[slotName] = ns
	tc.ot.names = append(tc.ot.names, slotName)
	c.addedSlots = append(c.addedSlots, addedSlot{tc.ot, slotName})
	disp := lk.newFunc(name, d.Position(), ft)
	disp.method = &methodInfo{typ: tc.name, typeID: tc.ot.id, name: slotName, slot: ns}
	// The new code's calls bind to the new dispatcher.
	lk.img.symbols[key] = &symbol{name: name, fn: disp, defined: true, defPos: d.Position()}
	return ns
}

// addNewTypeMethod adds method mname of an object type the running image
// does not have: its compiled body (handed to compile) is the version 1
// implementation, and the new code's calls bind to a dispatcher through the
// OTT, as the methods of the image's own types do. It returns a problem, or
// "".
func (c *code) addNewTypeMethod(lk *linker, child *Image, key, typ, mname string, d *cc.Declarator, ft *cc.FunctionType, compile func(*Func)) string {
	m := c.t.m
	var nt *objType
	for _, t := range c.newTypes {
		if t.name == typ {
			nt = t
		}
	}
	if nt == nil {
		if m.ott.Factory(typ) != nil {
			return fmt.Sprintf("%s: %s adds object type %s, but the running kernel already made objects named %s without methods", d.Position(), d.Name(), typ, typ)
		}
		// The OTT gives factory ids in registration order: the machine's
		// types have the first ids, and must be all of them.
		if len(m.ott.Types()) != len(m.typesByID) {
			return fmt.Sprintf("%s: cannot add object type %s: the OTT has factories without a method table", d.Position(), typ)
		}
		nt = &objType{name: typ, id: len(m.typesByID) + len(c.newTypes), slots: map[string]int{}, versions: make([][]*Func, 2)}
		c.newTypes = append(c.newTypes, nt)
	}
	if _, dup := nt.slots[mname]; dup {
		return fmt.Sprintf("%s: method %s is defined twice", d.Position(), d.Name())
	}
	slot := len(nt.names)
	nt.slots[mname] = slot
	nt.names = append(nt.names, mname)
	impl := lk.newFunc(d.Name(), d.Position(), ft)
	impl.version = 1
	nt.versions[1] = append(nt.versions[1], impl)
	disp := lk.newFunc(d.Name(), d.Position(), ft)
	disp.method = &methodInfo{typ: typ, typeID: nt.id, name: mname, slot: slot}
	child.symbols[key] = &symbol{name: d.Name(), fn: disp, defined: true, defPos: d.Position()}
	compile(impl)
	return ""
}

// NewTypes lists the object types the code adds to the running kernel.
func (c *code) NewTypes() []string {
	out := make([]string, 0, len(c.newTypes))
	for _, nt := range c.newTypes {
		out = append(out, nt.name)
	}
	return out
}

// declareGlobals gives new globals of the update storage in the machine's
// heap; existing ones keep their storage and value.
func (c *code) declareGlobals(lk *linker, u *unit, decl *cc.Declaration) error {
	for l := decl.InitDeclaratorList; l != nil; l = l.InitDeclaratorList {
		id := l.InitDeclarator
		d := id.Declarator
		if d == nil || d.IsTypename() || d.Type() == nil || d.Type().Kind() == cc.Function {
			continue
		}
		if d.IsExtern() && id.Initializer == nil {
			continue
		}
		key := symKey(u, d)
		var old *global
		if s := lk.lookup(key); s != nil && s.global != nil {
			if size := uint64(max(d.Type().Size(), 0)); size == s.global.size || lk.img.symbols[key] != nil {
				continue // the running storage (or the new one, declared again)
			}
			// The running storage cannot hold the new value: the new
			// code gets its own (GlobalMove).
			old = s.global
			lk.img.symbols[key] = &symbol{name: d.Name()}
		}
		t := d.Type()
		if t.IsIncomplete() && t.Kind() != cc.Array {
			return fmt.Errorf("%s: %s has incomplete type %s", d.Position(), d.Name(), t)
		}
		s := lk.symbol(key, d.Name())
		size := uint64(max(t.Size(), 0))
		s.global = &global{name: d.Name(), size: size, t: t, tentative: id.Initializer == nil}
		s.global.addr = lk.alloc(max(size, 1), uint64(max(t.Align(), 1)))
		if s.global.addr == 0 {
			return fmt.Errorf("%s: no memory for %s", d.Position(), d.Name())
		}
		s.defined, s.defPos = true, d.Position()
		if id.Initializer != nil {
			lk.img.inits = append(lk.img.inits, dataInit{name: d.Name(), run: lk.compileGlobalInit(u, s.global, id.Initializer)})
		}
		if old != nil {
			c.addMove(u, d, old, s.global)
		}
	}
	return nil
}

// renameMethod routes the old slot of a renamed method through its
// adapter to the new method: old-signature calls on converted instances
// reach the new code, and (reverse) new code calling the new name on an
// instance still at the old version reaches the old code. It is a
// signature change whose two slots have different names.
func (c *code) renameMethod(a *upd.Adapter, defined map[string]bool) []string {
	var tc *typeCode
	for name, t := range c.types {
		if strings.HasPrefix(a.Func, name+"_") && strings.HasPrefix(a.To, name+"_") {
			tc = t
		}
	}
	if tc == nil {
		return []string{fmt.Sprintf("the adapter of %s renamed %s: only a method of an object type in the update's Types can be renamed", a.Func, a.To)}
	}
	oldSlot, okOld := tc.ot.slots[strings.TrimPrefix(a.Func, tc.name+"_")]
	newSlot, okNew := tc.ot.slots[strings.TrimPrefix(a.To, tc.name+"_")]
	switch {
	case !okOld || oldSlot >= len(tc.ot.versions[tc.from]) || tc.ot.versions[tc.from][oldSlot] == nil:
		return []string{fmt.Sprintf("the adapter of %s renamed %s: the running kernel has no method %s", a.Func, a.To, a.Func)}
	case !okNew || tc.impls[newSlot] == nil:
		return []string{fmt.Sprintf("the adapter of %s renamed %s: the update's sources do not define %s", a.Func, a.To, a.To)}
	case defined[a.Func]:
		return []string{fmt.Sprintf("the adapter of %s renamed %s: the update's sources still define %s", a.Func, a.To, a.Func)}
	case a.Reverse == nil:
		// Lazy instances, and eager ones a recursive call reaches before
		// their conversion, are still old when new code calls To.
		return []string{fmt.Sprintf("the adapter of %s renamed %s: it needs a Reverse mapping, for new code calling %s on an instance not yet converted", a.Func, a.To, a.To)}
	}
	sc := &sigChange{oldSlot: oldSlot, newSlot: newSlot, adapter: a,
		fwd: c.newAdapterUse(a.Func, false), rev: c.newAdapterUse(a.Func, true)}
	tc.sigChanged[oldSlot] = sc
	tc.reverseOf[newSlot] = sc
	return nil
}

func (c *code) newAdapterUse(fn string, reverse bool) *adapterUse {
	a := &adapterUse{upd.AdapterUse{Func: fn, Reverse: reverse}}
	c.adapters = append(c.adapters, a)
	return a
}

// bindings finds, for every forward adapter, the functions of the running
// image that stay bound to the old signature: they call it and the update
// does not replace them. An adapter nobody binds retires at once.
func (c *code) bindings() {
	replaced := c.replacedSet()
	for f := range c.t.replaced {
		replaced[f] = true
	}
	for _, a := range c.adapters {
		if a.Reverse {
			continue
		}
		var binds []string
		for _, u := range c.t.m.img.units {
			for _, f := range referencers(u, a.Func) {
				if !replaced[f] {
					binds = append(binds, f)
				}
			}
		}
		a.Bindings = binds
		a.Retired = len(binds) == 0
	}
}

// replacedSet is every function whose running code the update replaces.
func (c *code) replacedSet() map[string]bool {
	replaced := map[string]bool{}
	for _, s := range c.swaps {
		replaced[s.old.Name] = true
	}
	for _, s := range c.mswaps {
		replaced[s.impl.Name] = true
	}
	for _, tc := range c.types {
		for _, n := range tc.ot.names {
			replaced[tc.name+"_"+n] = true
		}
	}
	return replaced
}

// commitBindings records what the switched-on code changes for later
// updates: its definitions (their code binds to them), the functions it
// replaced (no longer bound to any old signature: the adapters they needed
// retire once nothing else binds them), its own forward adapters.
func (c *code) commitBindings() {
	t := c.t
	replaced := c.replacedSet()
	for _, a := range t.adapters {
		prev, prevRetired := a.Bindings, a.Retired
		var keep []string
		for _, b := range a.Bindings {
			if !replaced[b] {
				keep = append(keep, b)
			}
		}
		a.Bindings, a.Retired = keep, len(keep) == 0
		c.undo = append(c.undo, func() { a.Bindings, a.Retired = prev, prevRetired })
	}
	for f := range replaced {
		if !t.replaced[f] {
			t.replaced[f] = true
			c.undo = append(c.undo, func() { delete(t.replaced, f) })
		}
	}
	// Later updates replacing an added module keep its file-local storage.
	nunits := len(t.units)
	t.units = append(t.units, c.addedUnits...)
	c.undo = append(c.undo, func() { t.units = t.units[:nunits] })
	for k, s := range c.child.symbols {
		if s.fn == nil && s.global == nil {
			continue
		}
		prev, had := t.symbols[k]
		t.symbols[k] = s
		c.undo = append(c.undo, func() {
			if had {
				t.symbols[k] = prev
			} else {
				delete(t.symbols, k)
			}
		})
	}
	n := len(t.adapters)
	for _, a := range c.adapters {
		if !a.Reverse {
			t.adapters = append(t.adapters, a)
		}
	}
	c.undo = append(c.undo, func() { t.adapters = t.adapters[:n] })
}

// Replaced lists the functions whose code SwapFunctions changes.
func (c *code) Replaced() []string {
	var out []string
	for _, s := range c.swaps {
		out = append(out, s.old.Name)
	}
	for _, s := range c.mswaps {
		out = append(out, s.impl.Name)
	}
	return out
}

// SwapFunctions switches the plain functions and code-only methods.
func (c *code) SwapFunctions() error {
	if c.swapped {
		return nil
	}
	code := c.t.m.code
	for _, s := range c.swaps {
		s.saved = code[s.old.id]
		if s.staged != nil {
			code[s.old.id] = s.staged
			continue
		}
		// Calls bound to the old function reach the new one through the
		// adapter.
		a := c.u.AdapterFor(s.old.Name)
		code[s.old.id] = &Func{Name: s.old.Name + "@adapter", id: s.old.id, variadic: true, builtin: c.adapterBuiltin(a, s.newFn, s.use)}
	}
	for _, s := range c.mswaps {
		s.ver = c.t.m.ott.Factory(s.typ).Current
		row := s.ot.versions[s.ver]
		s.saved = row[s.slot]
		row[s.slot] = s.impl
	}
	c.swapped = true
	if len(c.heapTo) > 0 {
		// The typed heap moves the instances in this same step: from
		// now on every function's code reads the new layout.
		c.cellsSaved = c.t.m.setCells(c.heapTo)
	}
	c.commitBindings()
	c.t.indexImpls()
	return nil
}

// SwapFunctionsPerContext is SwapFunctions for a kernel whose contexts may
// be parked inside replaced functions: the contexts with old code on their
// stacks keep running it until they are switched out without it
// (transition.go). It fails, changing nothing, when the code swaps methods
// (their versions belong to instances, not contexts) or a CPU runs a
// replaced function outside a context; before runs just before the swap.
func (c *code) SwapFunctionsPerContext(before func() error) error {
	if c.swapped {
		return nil
	}
	if len(c.mswaps) > 0 {
		return errors.New("the update swaps object methods, which switch per instance, not per context")
	}
	m := c.t.m
	previous := map[int]*Func{}
	inside := map[*Func]bool{}
	for _, s := range c.swaps {
		if s.layoutOnly {
			continue // its old code reads the new layout as well
		}
		previous[s.old.id] = m.code[s.old.id]
		inside[m.code[s.old.id]] = true
	}
	for _, cpu := range m.cpus {
		if cpu.ctx == nil && holds(cpu.frames, cpu.depth, inside) {
			return ErrNotInContext
		}
	}
	if err := before(); err != nil {
		return err
	}
	if err := c.SwapFunctions(); err != nil {
		return err
	}
	return m.startTransition(previous, inside)
}

// Lagging counts the contexts still running the code the update replaced,
// and says where one of them is.
func (c *code) Lagging() (int, string) { return c.t.m.lagging() }

// KeptEntries lists the task entry functions the update replaced whose old
// body running contexts keep (transition.go).
func (c *code) KeptEntries() []string { return c.t.m.keptEntries() }

// UnswapFunctions restores the old code and the old bindings. Contexts
// already running the new code keep it until they are switched out
// without it, as they moved to it (transition.go).
func (c *code) UnswapFunctions() {
	if c.swapped {
		m := c.t.m
		previous := map[int]*Func{}
		inside := map[*Func]bool{}
		for _, s := range c.swaps {
			if s.layoutOnly {
				continue
			}
			cur := m.code[s.old.id]
			previous[s.old.id] = cur
			inside[cur] = true
			if s.newFn != nil {
				inside[s.newFn] = true
			}
		}
		for _, s := range c.swaps {
			c.t.m.code[s.old.id] = s.saved
		}
		if m.transition != nil || m.port.order != nil {
			// Contexts inside the new code keep running it; a CPU
			// outside any context was checked by the runtime's safe
			// point (a rollback waits for one).
			m.transition = nil
			for _, x := range m.port.order {
				x.lagging = false
			}
			_ = m.startTransition(previous, inside)
		}
		for _, s := range c.mswaps {
			s.ot.versions[s.ver][s.slot] = s.saved
		}
		if c.cellsSaved != nil {
			m.restoreCells(c.cellsSaved)
			c.cellsSaved = nil
		}
		for i := len(c.undo) - 1; i >= 0; i-- {
			c.undo[i]()
		}
		c.undo = nil
		c.swapped = false
	}
	c.t.indexImpls()
}

// adapterBuiltin makes an old-signature function an adapter to the new
// one.
func (c *code) adapterBuiltin(a *upd.Adapter, to *Func, use *adapterUse) func(f *frame, args []uint64) uint64 {
	return func(f *frame, args []uint64) uint64 {
		use.Calls++
		nargs, err := a.Forward(append([]uint64(nil), args...))
		if err != nil {
			f.fault("adapter", "adapter of %s: %v", a.Func, err)
		}
		r := f.callResolved(to, nargs...)
		if a.ForwardResult != nil {
			r = a.ForwardResult(r)
		}
		return r
	}
}

// Layout is the layout the new code gives a changed type.
func (c *code) Layout(typ string) (upd.Layout, bool) {
	tc := c.types[typ]
	if tc == nil {
		return c.structLayout(typ)
	}
	return tc.layout, true
}

// InstallType adds the new version's method table and routes calls on
// old-version instances through the gate.
func (c *code) InstallType(typ string, version int, gate upd.Gate) error {
	tc := c.types[typ]
	if tc == nil {
		return fmt.Errorf("the update has no new code for %s", typ)
	}
	if version != tc.to {
		return fmt.Errorf("%s: installing version %d, compiled for version %d", typ, version, tc.to)
	}
	ot := tc.ot
	for len(ot.versions) <= version {
		ot.versions = append(ot.versions, nil)
	}
	row := make([]*Func, len(ot.names))
	for slot, impl := range tc.impls {
		row[slot] = impl
	}
	for slot, sc := range tc.sigChanged {
		row[slot] = c.forwardMethod(tc, sc)
	}
	ot.versions[version] = row
	tc.savedRow = ot.versions[tc.from]
	gated := make([]*Func, len(ot.names))
	for slot := range gated {
		gated[slot] = c.trampoline(tc, slot, gate)
	}
	ot.versions[tc.from] = gated
	tc.installed = true
	c.t.indexImpls()
	// The old implementations stay known for stack checks.
	for _, fn := range tc.savedRow {
		if fn != nil {
			c.t.impls[fn] = implInfo{typ: typ, version: tc.from}
		}
	}
	return nil
}

// RemoveType undoes InstallType.
func (c *code) RemoveType(typ string, version int) {
	tc := c.types[typ]
	if tc == nil || !tc.installed {
		return
	}
	ot := tc.ot
	ot.versions[tc.from] = tc.savedRow
	if len(ot.versions) > version {
		ot.versions = ot.versions[:version]
	}
	tc.installed = false
	c.t.indexImpls()
}

// forwardMethod adapts an old-signature call on a new-version instance.
func (c *code) forwardMethod(tc *typeCode, sc *sigChange) *Func {
	a := sc.adapter
	fn := &Func{Name: tc.name + "_" + tc.ot.names[sc.oldSlot] + "@adapter", variadic: true}
	fn.builtin = func(f *frame, args []uint64) uint64 {
		sc.fwd.Calls++
		nargs, err := a.Forward(append([]uint64(nil), args...))
		if err != nil {
			f.fault("adapter", "adapter of %s: %v", a.Func, err)
		}
		r := f.callResolved(tc.ot.versions[tc.to][sc.newSlot], nargs...)
		if a.ForwardResult != nil {
			r = a.ForwardResult(r)
		}
		return r
	}
	return c.t.register(fn)
}

// trampoline is what an old-version instance's method slot dispatches to
// while the type is updated: the runtime's gate decides (convert, hold or
// let through), then the call goes to the implementation of the version
// the instance is at, through the reverse adapter when a new-signature call
// reaches an instance that is still old.
func (c *code) trampoline(tc *typeCode, slot int, gate upd.Gate) *Func {
	m := c.t.m
	fn := &Func{Name: tc.name + "_" + tc.ot.names[slot] + "@gate", variadic: true}
	fn.builtin = func(f *frame, args []uint64) uint64 {
		cpu := f.cpu
		ref := upd.Ref(args[0])
		for {
			w := gate.Enter(cpu.id, ref)
			if w == 0 {
				break
			}
			if cpu.direct {
				f.fault("update", "a call on %s %d from the host CPU would be held", tc.name, ref)
			}
			cpu.blocked = w
			cpu.yield()
			cpu.blocked = 0
		}
		e, ok := m.ott.Get(ref)
		if !ok {
			f.fault("object", "method of %s called on invalid or freed ref %d", tc.name, ref)
		}
		if e.Version == tc.to {
			return f.callResolved(tc.ot.versions[tc.to][slot], args...)
		}
		old := tc.savedRow
		if slot < len(old) && old[slot] != nil {
			return f.callResolved(old[slot], args...)
		}
		if sc := tc.reverseOf[slot]; sc != nil && sc.adapter.Reverse != nil {
			sc.rev.Calls++
			oargs, err := sc.adapter.Reverse(append([]uint64(nil), args...))
			if err != nil {
				f.fault("adapter", "reverse adapter of %s: %v", sc.adapter.Func, err)
			}
			r := f.callResolved(old[sc.oldSlot], oargs...)
			if sc.adapter.ReverseResult != nil {
				r = sc.adapter.ReverseResult(r)
			}
			return r
		}
		f.fault("update", "%s_%s has no implementation at version %d and instance %d could not be converted", tc.name, tc.ot.names[slot], e.Version, ref)
		return 0
	}
	return c.t.register(fn)
}

// Adapters reports the adapters and their use.
func (c *code) Adapters() []upd.AdapterUse {
	var out []upd.AdapterUse
	for _, a := range c.adapters {
		if a.Reverse && a.Calls == 0 {
			continue
		}
		out = append(out, a.AdapterUse)
	}
	return out
}

// addMove records a global the new code gives new storage, with the rule
// of its default transfer (runtime.GlobalMove): an array of the same
// element type that is mutable state keeps the elements that still fit; a
// const table, a table of function pointers (it must point at the new
// functions) and any other change of type take the new initializer.
func (c *code) addMove(u *unit, d *cc.Declarator, old, new *global) {
	name := d.Name()
	if d.Linkage() == cc.Internal {
		name = u.name + ":" + name
	}
	mv := upd.GlobalMove{Name: name, OldType: old.t.String(), NewType: new.t.String(),
		Old: old.addr, New: new.addr, OldSize: old.size, NewSize: new.size}
	oa, ok1 := old.t.(*cc.ArrayType)
	na, ok2 := new.t.(*cc.ArrayType)
	switch {
	case !ok1 || !ok2 || oa.Elem().String() != na.Elem().String():
		mv.Rule = "type changed: new initializer; a hook transfers the old value"
	case d.IsConst() || oa.Elem().Attributes().IsConst():
		mv.Rule = "const table: new initializer"
	case isFuncPtr(na.Elem()):
		mv.Rule = "function pointer table: new initializer"
	default:
		mv.Keep = min(old.size, new.size)
		mv.Rule = fmt.Sprintf("mutable array: %d old bytes kept, the rest from the new initializer", mv.Keep)
	}
	c.moves = append(c.moves, mv)
	if c.moved == nil {
		c.moved = map[string]bool{}
	}
	c.moved[d.Name()] = d.Linkage() == cc.Internal
}

func isFuncPtr(t cc.Type) bool {
	p, ok := t.(*cc.PointerType)
	return ok && p.Elem() != nil && p.Elem().Kind() == cc.Function
}

// Moves lists the globals the new code gives new storage.
func (c *code) Moves() []upd.GlobalMove { return append([]upd.GlobalMove(nil), c.moves...) }

// usesMoved reports whether a function of the new sources names a global
// that moves: its old code would keep using the old storage, so it is
// swapped even when the update does not list it.
func (c *code) usesMoved(def *cc.FunctionDefinition) bool {
	for name := range c.moved {
		if mentions(reflect.ValueOf(def.CompoundStatement), name) {
			return true
		}
	}
	return false
}

// movedUsersOutside reports the functions of running modules the update
// does not replace that name a moved global with external linkage: they
// would go on using the old storage.
func (c *code) movedUsersOutside() []string {
	inUpdate := map[string]bool{}
	for _, u := range c.units {
		inUpdate[path.Clean(u.name)] = true
	}
	var out []string
	for name, local := range c.moved {
		if local {
			continue
		}
		for _, u := range c.t.m.img.units {
			if inUpdate[path.Clean(u.name)] {
				continue
			}
			for _, f := range referencers(u, name) {
				out = append(out, fmt.Sprintf("global %s gets new storage (its size changes) but %s (%s), which the update does not replace, uses it: add its module to the update", name, f, u.name))
			}
		}
	}
	sort.Strings(out)
	return out
}

// FuncAddr returns the address of a function as the new code sees it.
func (c *code) FuncAddr(name string) (uint64, error) {
	key := name
	if p, n, ok := strings.Cut(name, ":"); ok {
		u := c.t.unitByPath(p)
		for _, nu := range c.units {
			if path.Clean(nu.name) == path.Clean(p) {
				u = nu
			}
		}
		if u == nil {
			return 0, fmt.Errorf("function %s: no module %s", name, p)
		}
		key = fmt.Sprintf("%d:%s", u.idx, n)
	}
	for _, syms := range []map[string]*symbol{c.child.symbols, c.t.symbols, c.t.m.img.symbols} {
		if s := syms[key]; s != nil && s.fn != nil && (s.defined || s.fn.builtin != nil) {
			return s.fn.addr(), nil
		}
	}
	return 0, fmt.Errorf("the kernel and the update define no function %s", name)
}

// sameSource reports whether the running kernel's definition of def's
// function, in the module of that path, has the same tokens after
// preprocessing: only its compiled layout numbers can differ.
func (t *Target) sameSource(path string, def *cc.FunctionDefinition) bool {
	u := t.unitByPath(path)
	if u == nil || u.ast == nil {
		return false
	}
	name := def.Declarator.Name()
	for l := u.ast.TranslationUnit; l != nil; l = l.TranslationUnit {
		ed := l.ExternalDeclaration
		if ed.Case != cc.ExternalDeclarationFuncDef || ed.FunctionDefinition.Declarator.Name() != name {
			continue
		}
		return sameTokens(cc.NodeTokens(ed.FunctionDefinition), cc.NodeTokens(def))
	}
	return false
}

func sameTokens(a, b []cc.Token) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if x, y := a[i].SrcStr(), b[i].SrcStr(); x != y && !(isLine(a[i]) && isLine(b[i])) {
			return false
		}
	}
	return true
}

// isLine reports whether a token is the expansion of __LINE__ where it
// stands (an assertion macro's): a function moved down the file by an edit
// above it has not changed.
func isLine(t cc.Token) bool {
	return t.SrcStr() == strconv.Itoa(t.Position().Line)
}
