package emu

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"path"
	"reflect"
	"slices"
	"sort"
	"strings"

	"modernc.org/cc/v4"

	upd "github.com/upsynth/upsynth/runtime"
)

// Target is a machine as the update runtime sees it (runtime.Target): its
// memory, its CPUs' stacks, its scheduler, and new code compiled against
// its running image. An update changes only this machine's code table and
// method tables: other machines running the same image are unaffected.
type Target struct {
	m    *Machine
	tree fs.FS // the kernel tree the image was loaded from
	host *CPU  // runs hooks and initializers while the CPUs are stopped

	impls  map[*Func]implInfo // method implementations: type and version
	jobIDs map[*job]uint64
	nextID uint64

	// What committed updates changed: their definitions (later updates'
	// code binds to them), the functions they replaced, their forward
	// adapters.
	symbols  map[string]*symbol
	replaced map[string]bool
	units    []*unit // modules added by committed updates, in key order
	adapters []*adapterUse

	specs map[cc.Type][]wordSpec // the typed heap's words of each type (typedheap.go)
}

type implInfo struct {
	typ     string
	version int
}

var _ upd.Target = (*Target)(nil)

// NewTarget makes m updatable. tree is the file system the image was loaded
// from: new sources are compiled against it (with the update's sources,
// headers included, laid over it).
func NewTarget(m *Machine, tree fs.FS) (*Target, error) {
	t := &Target{m: m, tree: tree, jobIDs: map[*job]uint64{}, symbols: map[string]*symbol{}, replaced: map[string]bool{}}
	t.indexImpls()
	return t, nil
}

// Clock is the steps the CPUs have executed and slept (an update's waits
// count it: runtime.EmulatedClock). Called from tasks, with the CPUs
// stopped.
func (t *Target) Clock() int64 {
	var n int64
	for _, c := range t.m.cpus {
		n += c.clock
	}
	return n
}

var _ upd.EmulatedClock = (*Target)(nil)

// Machine returns the machine.
func (t *Target) Machine() *Machine { return t.m }

func (t *Target) indexImpls() {
	t.impls = map[*Func]implInfo{}
	for name, ot := range t.m.types {
		for v, row := range ot.versions {
			for _, fn := range row {
				if fn != nil && fn.builtin == nil {
					t.impls[fn] = implInfo{typ: name, version: v}
				}
			}
		}
	}
}

// OTT returns the machine's object table.
func (t *Target) OTT() *upd.OTT { return t.m.ott }

// Read copies target memory.
func (t *Target) Read(addr, n uint64) ([]byte, error) { return t.m.Read(addr, n) }

// Write copies into target memory.
func (t *Target) Write(addr uint64, b []byte) error { return t.m.Write(addr, b) }

// View returns target memory itself (valid until the next Alloc).
func (t *Target) View(addr, n uint64) ([]byte, error) {
	m := t.m
	if addr < guardSize || addr > uint64(len(m.mem)) || n > uint64(len(m.mem))-addr {
		return nil, fmt.Errorf("%d bytes at %#x are outside memory", n, addr)
	}
	return m.mem[addr : addr+n : addr+n], nil
}

// Alloc allocates zeroed heap memory.
func (t *Target) Alloc(n uint64) uint64 { return t.m.alloc(n) }

// Free frees heap memory.
func (t *Target) Free(addr uint64) error { return t.m.release(addr) }

// Post queues a task for the scheduler's next round.
func (t *Target) Post(task func()) { t.m.Post(task) }

// RunTasks runs one round of tasks while no run is in progress.
func (t *Target) RunTasks() { t.m.RunTasks() }

// Global returns the address of a global: "name", or "path:name" for a
// file-local one of the unit loaded from path. After an update that moved
// it (its size changed), the new storage.
func (t *Target) Global(name string) (uint64, bool) {
	key := name
	if p, n, ok := strings.Cut(name, ":"); ok {
		u := t.unitByPath(p)
		if u == nil {
			return 0, false
		}
		key = fmt.Sprintf("%d:%s", u.idx, n)
	}
	// A global an applied update moved (its size changed) lives in the
	// update's storage.
	if s := t.symbols[key]; s != nil && s.global != nil {
		return s.global.addr, true
	}
	s := t.m.img.symbols[key]
	if s == nil || s.global == nil {
		return 0, false
	}
	return s.global.addr, true
}

func (t *Target) unitByPath(p string) *unit {
	p = path.Clean(p)
	for _, u := range append(t.m.img.units[:len(t.m.img.units):len(t.m.img.units)], t.units...) {
		if path.Clean(u.name) == p {
			return u
		}
	}
	return nil
}

// hostCPU returns the extra CPU that runs host work (hooks, initializers of
// new globals) to completion while the emulated CPUs are stopped.
func (t *Target) hostCPU() (*CPU, error) {
	if t.host != nil {
		return t.host, nil
	}
	const stack = 256 << 10
	lo := t.m.alloc(stack)
	if lo == 0 {
		return nil, errors.New("no memory for the host CPU's stack")
	}
	c := &CPU{id: len(t.m.cpus), m: t.m, lo: lo + 64, hi: lo + stack, direct: true}
	c.sp = c.hi
	t.host = c
	return c, nil
}

// Call runs a kernel function on the host CPU.
func (t *Target) Call(name string, args ...uint64) (uint64, error) {
	s := t.m.img.symbols[name]
	if s == nil || s.fn == nil {
		return 0, fmt.Errorf("the kernel defines no function %s", name)
	}
	return t.callFunc(s.fn, args...)
}

func (t *Target) callFunc(fn *Func, args ...uint64) (uint64, error) {
	c, err := t.hostCPU()
	if err != nil {
		return 0, err
	}
	var r uint64
	err = t.m.protect(c, func(f *frame) { r = f.callC(fn, args...) })
	return r, err
}

// Stacks returns every CPU's active calls, innermost first.
func (t *Target) Stacks() []upd.CPUStack {
	m := t.m
	out := make([]upd.CPUStack, len(m.cpus))
	ids := make(map[*job]uint64, len(m.cpus))
	for i, c := range m.cpus {
		s := upd.CPUStack{CPU: i}
		if c.job != nil {
			id, ok := t.jobIDs[c.job]
			if !ok {
				t.nextID++
				id = t.nextID
			}
			ids[c.job] = id
			s.Request = id
		}
		s.Frames = t.frames(c.frames, c.depth)
		out[i] = s
	}
	t.jobIDs = ids
	// The stacks of suspended contexts (context.go) hold calls in progress
	// too; they run no request.
	for _, x := range m.suspended() {
		// A parked stack does not change until it is switched to
		// (ctx_switch drops the copy).
		if x.stack == nil {
			x.stack = t.frames(x.frames, x.depth)
		}
		out = append(out, upd.CPUStack{CPU: x.cpu.id, Context: x.id, Frames: x.stack})
	}
	return out
}

// frames describes the active calls of a frame stack, innermost first.
func (t *Target) frames(frames []*frame, depth int) []upd.Frame {
	var out []upd.Frame
	for k := depth - 1; k >= 0; k-- {
		fr := frames[k]
		if fr.fn == nil {
			continue
		}
		f := upd.Frame{Func: fr.fn.Name}
		if ii, ok := t.impls[fr.fn]; ok {
			f.Type, f.Version = ii.typ, ii.version
			if len(fr.argv) > 0 {
				f.Self = upd.Ref(fr.argv[0])
			}
		}
		out = append(out, f)
	}
	return out
}

// Layout returns the state layout of object type typ in the image.
func (img *Image) Layout(typ string) (upd.Layout, bool) {
	for _, u := range img.units {
		if l, ok := structLayout(u, typ); ok {
			return l, true
		}
	}
	return upd.Layout{}, false
}

// structLayout finds the complete struct tag in a unit and describes it.
func structLayout(u *unit, tag string) (upd.Layout, bool) {
	ast := u.ast
	if ast == nil || ast.Scope == nil {
		return upd.Layout{}, false
	}
	for _, n := range ast.Scope.Nodes[tag] {
		sus, ok := n.(*cc.StructOrUnionSpecifier)
		if !ok {
			continue
		}
		st, ok := sus.Type().(*cc.StructType)
		if !ok || st.IsIncomplete() {
			continue
		}
		return layoutOf(tag, st, u), true
	}
	return upd.Layout{}, false
}

func layoutOf(tag string, st *cc.StructType, u *unit) upd.Layout {
	l := upd.Layout{Name: tag, Size: uint64(st.Size())}
	for i := 0; i < st.NumFields(); i++ {
		f := st.FieldByIndex(i)
		if f == nil || f.Type() == nil || u.wide.isFiller(st, i) {
			continue
		}
		ft := f.Type()
		fl := upd.Field{Name: f.Name(), Offset: uint64(f.Offset()), Size: uint64(max(ft.Size(), 0)), Type: ft.String()}
		switch {
		case f.IsBitfield() && u.bitfield(f).unit > 8:
			// No integer unit holds it (bitfield.go): its bytes, which
			// it shares with its neighbours, and where its bits are.
			b := u.bitfield(f)
			fl.Offset += b.skip
			fl.Size = 9
			fl.BitOffset, fl.BitWidth = uint8(b.shift), uint8(b.width)
			fl.Kind = upd.Bytes
		case f.IsBitfield():
			fl.Size = uint64(f.AccessBytes())
			fl.BitOffset = uint8(f.OffsetBits())
			fl.BitWidth = uint8(f.ValueBits())
			fl.Kind = upd.Uint
			if cc.IsSignedInteger(ft) {
				fl.Kind = upd.Int
			}
		case ft.Kind() == cc.Ptr:
			fl.Kind = upd.Ptr
		case ft.Kind() == cc.Float || ft.Kind() == cc.Double:
			fl.Kind = upd.Float
		case cc.IsIntegerType(ft):
			fl.Kind = upd.Uint
			if cc.IsSignedInteger(ft) {
				fl.Kind = upd.Int
			}
			if td := ft.Typedef(); td != nil && (td.Name() == "ref_t" || strings.HasSuffix(td.Name(), "Ref")) {
				fl.Kind = upd.ObjRef
			}
		default:
			fl.Kind = upd.Bytes
		}
		l.Fields = append(l.Fields, fl)
	}
	return l
}

// sigString is a function type's signature for comparisons.
func sigString(ft *cc.FunctionType) string {
	if ft == nil {
		return "?"
	}
	var b strings.Builder
	b.WriteString(ft.Result().String())
	b.WriteString("(")
	for i, p := range ft.Parameters() {
		if i > 0 {
			b.WriteString(", ")
		}
		if p.Type() != nil {
			b.WriteString(p.Type().String())
		}
	}
	if ft.IsVariadic() {
		b.WriteString(", ...")
	}
	b.WriteString(")")
	return b.String()
}

// referencers lists the functions of a unit whose bodies name ident.
func referencers(u *unit, ident string) []string {
	var out []string
	for l := u.ast.TranslationUnit; l != nil; l = l.TranslationUnit {
		ed := l.ExternalDeclaration
		if ed.Case != cc.ExternalDeclarationFuncDef {
			continue
		}
		if mentions(reflect.ValueOf(ed.FunctionDefinition.CompoundStatement), ident) {
			out = append(out, ed.FunctionDefinition.Declarator.Name())
		}
	}
	sort.Strings(out)
	return out
}

var primaryType = reflect.TypeOf((*cc.PrimaryExpression)(nil))

// mentions walks an AST subtree for an identifier expression.
func mentions(v reflect.Value, ident string) bool {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return false
		}
		if v.Type() == primaryType {
			p := v.Interface().(*cc.PrimaryExpression)
			if p.Case == cc.PrimaryExpressionIdent && p.Token.SrcStr() == ident {
				return true
			}
		}
		return mentions(v.Elem(), ident)
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			f := v.Type().Field(i)
			if !f.IsExported() || f.Type.Kind() == reflect.Func {
				continue
			}
			if f.Type.Kind() == reflect.Pointer || f.Type.Kind() == reflect.Interface || f.Type.Kind() == reflect.Struct {
				if mentions(v.Field(i), ident) {
					return true
				}
			}
		}
	}
	return false
}

// At runs fn in a task once the machine has executed at least step steps
// (counted over its life): how an update is started in the middle of a
// workload.
func (t *Target) At(step int64, fn func()) {
	var poll func()
	poll = func() {
		if t.m.stats.Steps+t.m.runningSteps() >= step {
			fn()
			return
		}
		t.m.Post(poll)
	}
	t.m.Post(poll)
}

// runningSteps are the steps of the requests in progress, not yet added to
// the machine's counters.
func (m *Machine) runningSteps() int64 {
	var n int64
	for _, c := range m.cpus {
		if c.job != nil {
			n += c.reqSteps
		}
	}
	return n
}

// Layout returns the layout of an object type's state in the running image.
func (t *Target) Layout(typ string) (upd.Layout, bool) { return t.m.img.Layout(typ) }

// register gives a function made by the update machinery (a trampoline, an
// adapter) its own entry in the machine's code table: calls look functions
// up there by id.
func (t *Target) register(fn *Func) *Func {
	fn.id = len(t.m.code)
	t.m.code = append(t.m.code, fn)
	return fn
}

// ReserveAllocs makes room for n more heap blocks of the given size: the
// machine's memory grows now and its new pages are touched, and the heap's
// bookkeeping is sized for them. An update reserves what its conversions
// will allocate, so no conversion task (the CPUs wait for it) pays for
// copying memory, the host's page faults or a growing table.
func (t *Target) ReserveAllocs(size uint64, n int) {
	m := t.m
	h := &m.heap
	bytes := blockSpan(size) * uint64(n)
	need := min(alignUp(h.top+bytes+bytes/8, 4096), m.cfg.MemoryLimit)
	m.growMem(need)
	// Memory above the heap's top is unused and zero: writing a zero to
	// each page faults it in without changing it.
	for i := alignUp(h.top, 4096); i < need; i += 4096 {
		m.mem[i] = 0
	}
	grown := make(map[uint64]uint64, len(h.live)+n)
	maps.Copy(grown, h.live)
	h.live = grown
}

// Adapters lists the forward adapters installed by the updates applied so
// far, with the functions still bound to their old signature; an adapter
// retires when a later update replaces the last of them.
func (t *Target) Adapters() []upd.AdapterUse {
	out := make([]upd.AdapterUse, len(t.adapters))
	for i, a := range t.adapters {
		out[i] = a.AdapterUse
	}
	return out
}

// ReserveFrees makes room in the heap's bookkeeping for n more freed blocks
// of the given size, so that freeing the old states of an update, in small
// slices between CPU runs, never stops to grow a list.
func (t *Target) ReserveFrees(size uint64, n int) {
	h := &t.m.heap
	cls := alignUp(max(size, 1), heapAlign)
	h.free[cls] = slices.Grow(h.free[cls], n)
	if len(h.freed) < n {
		grown := make(map[uint64]bool, len(h.freed)+n)
		maps.Copy(grown, h.freed)
		h.freed = grown
	}
}
