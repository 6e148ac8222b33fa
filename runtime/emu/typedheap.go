package emu

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"modernc.org/cc/v4"

	upd "github.com/upsynth/upsynth/runtime"
)

// The typed heap: how the machine finds the instances of a struct in a
// kernel without an object table, and every word that may point to them
// (runtime.TypedMemory, which package runtime's heap.go uses to move them).
//
// Every call of an allocator (kalloc, or a kernel function named in
// LoadOptions.Allocators, e.g. FreeRTOS's pvPortMalloc) records the block it
// returns with the type its allocation site gives it (typedsites.go); a
// call of the matching free function forgets it. Globals and static locals
// carry their declared types; an object's state (obj_new) has its object
// type's struct. Memory is then read by type: a pointer field is a pointer,
// a 64-bit integer may hide one, a union word or a block of unknown type is
// unknown. Stacks are read by frame: each function's locals with their
// types, in Go slots or in frame memory.

// tblock is a heap block as its allocation site typed it.
type tblock struct {
	size  uint64  // bytes requested
	elem  cc.Type // element type, nil when the site does not tell
	count uint64  // elements of elem at its start; the rest is untyped
	site  int32   // position of the allocation call
	alloc string  // the allocator that made it
}

// typedMem is the machine's record of typed heap blocks.
type typedMem struct {
	blocks map[uint64]*tblock
}

func (tm *typedMem) record(addr, size uint64, s *allocSite) {
	if tm.blocks == nil {
		tm.blocks = map[uint64]*tblock{}
	}
	if old := tm.blocks[addr]; old != nil && old.elem != nil && s.elem == nil {
		return // an outer allocator's untyped site over a typed inner one
	}
	b := &tblock{size: size, elem: s.elem, site: s.pos, alloc: s.alloc}
	if s.elem != nil {
		if es := uint64(max(s.elem.Size(), 1)); s.array {
			b.count = size / es
		} else if size >= es {
			b.count = 1
		}
	}
	tm.blocks[addr] = b
}

// BlockType says what the typed heap knows of the heap block at addr:
// "struct node", "struct pair[4]", "struct node + 32 bytes"; "" when the
// block is untyped or unknown. For tools and tests.
func (m *Machine) BlockType(addr uint64) string {
	b := m.typed.blocks[addr]
	if b == nil || b.elem == nil {
		return ""
	}
	name := b.elem.String()
	switch b.elem.Kind() {
	case cc.Struct, cc.Union:
		if tag := structTag(b.elem); tag != "" {
			name = strings.ToLower(b.elem.Kind().String()) + " " + tag
		}
	}
	es := uint64(max(b.elem.Size(), 1))
	if b.count != 1 {
		name += fmt.Sprintf("[%d]", b.count)
	}
	if rest := b.size - b.count*es; rest > 0 {
		name += fmt.Sprintf(" + %d bytes", rest)
	}
	return name
}

// wordSpec is a word of a type that may hold a pointer.
type wordSpec struct {
	off  uint64
	kind upd.WordKind
	name string
}

func (t *Target) specsOf(ty cc.Type) []wordSpec {
	if t.specs == nil {
		t.specs = map[cc.Type][]wordSpec{}
	}
	if s, ok := t.specs[ty]; ok {
		return s
	}
	var out []wordSpec
	t.wordSpecs(ty, 0, "", &out)
	t.specs[ty] = out
	return out
}

func (t *Target) wordSpecs(ty cc.Type, base uint64, name string, out *[]wordSpec) {
	switch ty.Kind() {
	case cc.Ptr:
		*out = append(*out, wordSpec{base, upd.PointerWord, name})
	case cc.Long, cc.ULong, cc.LongLong, cc.ULongLong:
		// On LP64 only a 64-bit integer can hold a pointer.
		if ty.Size() == 8 {
			*out = append(*out, wordSpec{base, upd.IntegerWord, name})
		}
	case cc.Struct:
		st := ty.(*cc.StructType)
		for i := 0; i < st.NumFields(); i++ {
			f := st.FieldByIndex(i)
			if f == nil || f.IsBitfield() || f.Type() == nil {
				continue
			}
			t.wordSpecs(f.Type(), base+uint64(f.Offset()), name+"."+f.Name(), out)
		}
	case cc.Union:
		ut := ty.(*cc.UnionType)
		kinds := map[uint64][]upd.WordKind{}
		covered := map[uint64]int{}
		var offs []uint64
		for i := 0; i < ut.NumFields(); i++ {
			f := ut.FieldByIndex(i)
			if f == nil || f.Type() == nil {
				continue
			}
			var fs []wordSpec
			t.wordSpecs(f.Type(), 0, "", &fs)
			for _, w := range fs {
				if _, ok := kinds[w.off]; !ok {
					offs = append(offs, w.off)
				}
				kinds[w.off] = append(kinds[w.off], w.kind)
			}
			for _, o := range offs {
				if uint64(f.Type().Size()) > o {
					covered[o]++
				}
			}
		}
		for _, o := range offs {
			k := kinds[o][0]
			for _, x := range kinds[o][1:] {
				if x != k {
					k = upd.UnknownWord
				}
			}
			if covered[o] > len(kinds[o]) {
				k = upd.UnknownWord // another member keeps other data there
			}
			*out = append(*out, wordSpec{base + o, k, name + " (union)"})
		}
	case cc.Array:
		at := ty.(*cc.ArrayType)
		es := t.specsOf(at.Elem())
		if len(es) == 0 || at.Len() <= 0 {
			return
		}
		sz := uint64(at.Elem().Size())
		for i := int64(0); i < at.Len(); i++ {
			for _, w := range es {
				*out = append(*out, wordSpec{base + uint64(i)*sz + w.off, w.kind, name + "[]" + w.name})
			}
		}
	}
}

// embeds reports whether ty contains a struct or union tagged tag as a
// member (not through a pointer), and the path to it.
func embeds(ty cc.Type, tag string, depth int) (string, bool) {
	if depth > 32 {
		return "", false
	}
	switch x := ty.(type) {
	case *cc.ArrayType:
		return embeds(x.Elem(), tag, depth+1)
	case *cc.StructType:
		for i := 0; i < x.NumFields(); i++ {
			f := x.FieldByIndex(i)
			if f == nil || f.Type() == nil {
				continue
			}
			if structTag(f.Type()) == tag {
				return f.Name(), true
			}
			if p, ok := embeds(f.Type(), tag, depth+1); ok {
				return f.Name() + "." + p, true
			}
		}
	case *cc.UnionType:
		for i := 0; i < x.NumFields(); i++ {
			f := x.FieldByIndex(i)
			if f == nil || f.Type() == nil {
				continue
			}
			if structTag(f.Type()) == tag {
				return f.Name(), true
			}
			if p, ok := embeds(f.Type(), tag, depth+1); ok {
				return f.Name() + "." + p, true
			}
		}
	}
	return "", false
}

// staticObj is a global or static local with its type.
type staticObj struct {
	name string
	addr uint64
	size uint64
	t    cc.Type
}

// statics lists the data objects of the running image and its updates.
func (t *Target) statics() []staticObj {
	seen := map[uint64]bool{}
	var out []staticObj
	add := func(name string, g *global) {
		if g == nil || g.t == nil || seen[g.addr] {
			return
		}
		seen[g.addr] = true
		out = append(out, staticObj{name: name, addr: g.addr, size: g.size, t: g.t})
	}
	// File-local globals are named "path:name", as GlobalMove and
	// Target.Global name them.
	units := map[string]string{}
	for _, u := range append(t.m.img.units[:len(t.m.img.units):len(t.m.img.units)], t.units...) {
		units[strconv.Itoa(u.idx)] = u.name
	}
	named := func(key string, s *symbol) string {
		if idx, _, ok := strings.Cut(key, ":"); ok {
			if p, ok := units[idx]; ok {
				return p + ":" + s.name
			}
		}
		return s.name
	}
	// A global an applied update moved lives in the update's storage
	// (t.symbols), not the image's.
	for key, s := range t.symbols {
		add(named(key, s), s.global)
	}
	for key, s := range t.m.img.symbols {
		if u := t.symbols[key]; u != nil && u.global != nil {
			continue
		}
		add(named(key, s), s.global)
	}
	for _, fn := range t.m.code {
		if fn.heap != nil {
			for _, g := range fn.heap.statics {
				add(g.name, g)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].addr < out[j].addr })
	return out
}

func (t *Target) sitePos(b *tblock) string {
	return t.m.posString(b.site)
}

func (t *Target) blockAddrs() []uint64 {
	addrs := make([]uint64, 0, len(t.m.typed.blocks))
	for a := range t.m.typed.blocks {
		addrs = append(addrs, a)
	}
	sort.Slice(addrs, func(i, j int) bool { return addrs[i] < addrs[j] })
	return addrs
}

// stackRanges are the stacks of live contexts: their live part is read by
// frame, the rest is garbage, whatever block they were allocated in.
func (t *Target) stackRanges() [][2]uint64 {
	var out [][2]uint64
	for _, id := range t.m.contextIDs() {
		x := t.m.port.ctxs[id]
		if !x.boot && x.state != ctxDead {
			out = append(out, [2]uint64{x.lo, x.hi})
		}
	}
	if t.host != nil {
		out = append(out, [2]uint64{t.host.lo - 64, t.host.hi})
	}
	sort.Slice(out, func(i, j int) bool { return out[i][0] < out[j][0] })
	return out
}

// inRanges reports whether a lies in one of the sorted, disjoint ranges.
func inRanges(rs [][2]uint64, a uint64) bool {
	i := sort.Search(len(rs), func(i int) bool { return rs[i][1] > a })
	return i < len(rs) && a >= rs[i][0]
}

// HeapInstances lists the live instances of struct typ: heap blocks whose
// allocation site typed them (arrays of it refused), globals and static
// locals (arrays included). An instance embedded in another type, or a
// block of unknown type that could hold one, is refused with its reason.
func (t *Target) HeapInstances(typ string) ([]upd.HeapInstance, error) {
	m := t.m
	lay, ok := m.img.Layout(typ)
	if !ok {
		return nil, fmt.Errorf("the kernel has no struct %s", typ)
	}
	stacks := t.stackRanges()
	var out []upd.HeapInstance
	var problems []string
	for _, a := range t.blockAddrs() {
		b := m.typed.blocks[a]
		if b.elem == nil {
			if b.size >= lay.Size && !inRanges(stacks, a) {
				problems = append(problems, fmt.Sprintf("the heap block at %#x from %s (%d bytes) has no type (its allocation site converts the result to no struct and sizes it with no sizeof): it may hold a struct %s", a, t.sitePos(b), b.size, typ))
			}
			continue
		}
		if structTag(b.elem) == typ && b.elem.Kind() != cc.Array {
			if n := b.count; n != 1 {
				problems = append(problems, fmt.Sprintf("the heap block at %#x from %s holds %d struct %s in %d bytes: only a block holding one is moved (arrays of instances are not supported)", a, t.sitePos(b), n, typ, b.size))
				continue
			}
			in := upd.HeapInstance{Type: typ, Addr: a, Block: a, Where: "heap block from " + t.sitePos(b)}
			if es := uint64(max(b.elem.Size(), 0)); b.size > es {
				// A struct heading its own storage (a FreeRTOS
				// stream buffer's bytes follow it in one block).
				in.Tail = b.size - es
			}
			out = append(out, in)
			continue
		}
		if p, ok := embeds(b.elem, typ, 0); ok {
			problems = append(problems, fmt.Sprintf("the heap block at %#x from %s is a %s, which embeds a struct %s (%s): update that type too", a, t.sitePos(b), b.elem, typ, p))
		}
	}
	for _, s := range t.statics() {
		switch {
		case structTag(s.t) == typ && s.t.Kind() != cc.Array:
			out = append(out, upd.HeapInstance{Type: typ, Addr: s.addr, Global: s.name, Where: "global " + s.name})
		case structTag(s.t) == typ:
			at := s.t.(*cc.ArrayType)
			for i := int64(0); i < at.Len(); i++ {
				out = append(out, upd.HeapInstance{Type: typ, Addr: s.addr + uint64(i)*lay.Size, Global: s.name, Index: int(i), Where: fmt.Sprintf("global %s[%d]", s.name, i)})
			}
		default:
			if p, ok := embeds(s.t, typ, 0); ok {
				problems = append(problems, fmt.Sprintf("global %s embeds a struct %s (%s): update its type too", s.name, typ, p))
			}
		}
	}
	if len(problems) > 0 {
		return nil, errors.New(strings.Join(problems, "; "))
	}
	return out, nil
}

// HeapSafe reports why the machine's stacks do not allow moving the
// instances of the types now (from the running layouts to the update's, or
// back): a CPU or a suspended context is in a function whose code cannot
// go on with the other layout (layoutcells.go: a member it uses goes or
// changes type, a number compiled in changes), or a frame waits for a call
// in the middle of an expression (its caller may hold values no frame
// shows). Code that reads its layout from cells may be parked anywhere.
// When a context holds code whose source the update changes, it will lag
// behind (transition.go) and may call any such code: all of it must be
// able to go on.
func (t *Target) HeapSafe(uc upd.Code, types []string, back bool) error {
	m := t.m
	c, _ := uc.(*code)
	from, to := map[string]*upd.Layout{}, map[string]*upd.Layout{}
	if c != nil {
		for _, typ := range types {
			if c.heapFrom[typ] != nil {
				from[typ], to[typ] = c.heapFrom[typ], c.heapTo[typ]
			}
		}
		if back {
			from, to = to, from
		}
	}
	// lagged is the code contexts inside it keep running: the old code
	// of functions whose source changed (their new code, back).
	lagged := map[*Func]bool{}
	if c != nil {
		for _, s := range c.swaps {
			switch {
			case s.layoutOnly:
			case !back:
				lagged[m.code[s.old.id]] = true
			default:
				lagged[s.staged] = true
				lagged[s.newFn] = true
			}
		}
		delete(lagged, nil)
	}
	lags := false
	check := func(who string, frames []*frame, depth int) error {
		for i := depth - 1; i >= 1; i-- {
			fr := frames[i]
			if fr.fn == nil || isMarker(fr.fn) || fr.fn.heap == nil {
				continue
			}
			lags = lags || lagged[fr.fn]
			for _, typ := range types {
				if !fr.fn.heap.deps[typ] {
					continue
				}
				if from[typ] == nil {
					return fmt.Errorf("%s is in %s (%s), whose code depends on the layout of struct %s", who, fr.fn.Name, m.posString(fr.pos), typ)
				}
				if err := relocatable(fr.fn, from, to); err != nil {
					return fmt.Errorf("%s is in %s (%s), whose code cannot go on with the other layout of struct %s: %v", who, fr.fn.Name, m.posString(fr.pos), typ, err)
				}
				break
			}
			// Something above it: it is in a call, unless what is above
			// is an interrupt taken at one of its loop back-edges.
			if i+1 < depth && !isMarker(frames[i+1].fn) && !fr.fn.heap.clean[fr.pos] {
				return fmt.Errorf("%s is in %s at %s, in a call in the middle of an expression whose values the machine cannot see", who, fr.fn.Name, m.posString(fr.pos))
			}
		}
		return nil
	}
	for _, c := range m.cpus {
		if err := check(fmt.Sprintf("cpu %d", c.id), c.frames, c.depth); err != nil {
			return err
		}
	}
	for _, x := range m.suspended() {
		if err := check(fmt.Sprintf("context %d", x.id), x.frames, x.depth); err != nil {
			return err
		}
	}
	if lags {
		fns := make([]*Func, 0, len(lagged))
		for fn := range lagged {
			fns = append(fns, fn)
		}
		sort.Slice(fns, func(i, j int) bool { return fns[i].Name < fns[j].Name })
		for _, fn := range fns {
			if err := relocatable(fn, from, to); err != nil {
				return fmt.Errorf("contexts that keep running the code the update replaces may call %s, which cannot go on with the other layout: %v", fn.Name, err)
			}
		}
	}
	return nil
}

func isMarker(fn *Func) bool { return fn == irqMarkers[irqTick] || fn == irqMarkers[irqSoft] }

// HeapWords visits every word of the machine's state that may hold a
// pointer, typed as the typed heap knows it.
func (t *Target) HeapWords(visit func(w *upd.HeapWord) error) error {
	m := t.m
	stacks := t.stackRanges()
	addrs := t.blockAddrs()
	// arena reports whether [a, a+n) holds recorded blocks other than one
	// starting at a (a kernel heap inside a global or a kalloc'd pool): only
	// those blocks are read, the rest is the allocator's.
	arena := func(a, n uint64) bool {
		i := sort.Search(len(addrs), func(i int) bool { return addrs[i] >= a })
		if i < len(addrs) && addrs[i] == a {
			i++
		}
		return i < len(addrs) && addrs[i] < a+n
	}
	w := &upd.HeapWord{}
	typed := func(base uint64, specs []wordSpec, where func() string) error {
		for _, s := range specs {
			a := base + s.off
			if inRanges(stacks, a) {
				continue
			}
			b, err := t.View(a, 8)
			if err != nil {
				continue
			}
			name := s.name
			*w = upd.HeapWord{Kind: s.kind, Addr: a, Value: le64(b), Where: func() string { return where() + name }}
			if err := visit(w); err != nil {
				return err
			}
		}
		return nil
	}
	untyped := func(base, n uint64, where func() string) error {
		for a := alignUp(base, 8); a+8 <= base+n; a += 8 {
			if inRanges(stacks, a) {
				continue
			}
			b, err := t.View(a, 8)
			if err != nil {
				return nil
			}
			v := le64(b)
			if v < guardSize {
				continue
			}
			off := a - base
			*w = upd.HeapWord{Kind: upd.UnknownWord, Addr: a, Value: v, Where: func() string { return fmt.Sprintf("%s +%d", where(), off) }}
			if err := visit(w); err != nil {
				return err
			}
		}
		return nil
	}
	// Globals and static locals. Those of code an update loaded live in
	// machine heap blocks, read here with their types, not below.
	staticAt := map[uint64]bool{}
	for _, s := range t.statics() {
		staticAt[s.addr] = true
		if arena(s.addr, s.size) {
			continue
		}
		name := s.name
		if err := typed(s.addr, t.specsOf(s.t), func() string { return "global " + name }); err != nil {
			return err
		}
	}
	// Blocks the allocation sites typed.
	for _, a := range addrs {
		b := m.typed.blocks[a]
		if inRanges(stacks, a) {
			continue
		}
		a, b := a, b
		where := func() string { return fmt.Sprintf("heap block %#x from %s", a, t.sitePos(b)) }
		if b.elem == nil {
			if err := untyped(a, b.size, where); err != nil {
				return err
			}
			continue
		}
		es := uint64(max(b.elem.Size(), 1))
		specs := t.specsOf(b.elem)
		n := b.count
		for i := uint64(0); i < n; i++ {
			if err := typed(a+i*es, specs, where); err != nil {
				return err
			}
		}
		if rest := b.size - n*es; rest > 0 {
			if err := untyped(a+n*es, rest, where); err != nil {
				return err
			}
		}
	}
	// Machine heap blocks no site recorded: object states (typed by their
	// object type's struct) and blocks the machine made itself.
	states := map[uint64]string{}
	for _, typ := range m.ott.Types() {
		for _, r := range m.ott.Factory(typ).Instances() {
			if e, ok := m.ott.Get(r); ok {
				states[e.State] = typ
			}
		}
	}
	live := make([]uint64, 0, len(m.heap.live))
	for a := range m.heap.live {
		if m.typed.blocks[a] == nil && !staticAt[a] {
			live = append(live, a)
		}
	}
	sort.Slice(live, func(i, j int) bool { return live[i] < live[j] })
	for _, a := range live {
		n := m.heap.live[a]
		if inRanges(stacks, a) || arena(a, n) {
			continue
		}
		a := a
		if typ, ok := states[a]; ok {
			if st := t.structType(typ); st != nil {
				if err := typed(a, t.specsOf(st), func() string { return "state of " + typ + " object" }); err != nil {
					return err
				}
				continue
			}
		}
		if err := untyped(a, n, func() string { return fmt.Sprintf("heap block %#x", a) }); err != nil {
			return err
		}
	}
	// Stacks: the running contexts' and the suspended ones'.
	for _, c := range m.cpus {
		if err := t.frameWords(fmt.Sprintf("cpu %d", c.id), c.frames, c.depth, visit); err != nil {
			return err
		}
	}
	for _, x := range m.suspended() {
		if err := t.frameWords(fmt.Sprintf("context %d", x.id), x.frames, x.depth, visit); err != nil {
			return err
		}
	}
	return nil
}

// frameWords visits the words of one stack's frames.
func (t *Target) frameWords(who string, frames []*frame, depth int, visit func(w *upd.HeapWord) error) error {
	for i := depth - 1; i >= 1; i-- {
		fr := frames[i]
		switch {
		case fr.fn == nil:
			// A builtin in progress, or a call about to be entered: its
			// arguments, of types the machine does not keep.
			for k := 0; k < fr.nargs && k < len(fr.argv); k++ {
				fr, k := fr, k
				w := &upd.HeapWord{Kind: upd.UnknownWord, Value: fr.argv[k], Set: func(v uint64) { fr.argv[k] = v },
					Where: func() string { return fmt.Sprintf("%s: argument %d of a pending call", who, k) }}
				if err := visit(w); err != nil {
					return err
				}
			}
		case isMarker(fr.fn) || fr.fn.heap == nil:
		default:
			for _, v := range fr.fn.heap.vars {
				v := v
				if v.slot >= 0 {
					var kind upd.WordKind
					switch {
					case v.t.Kind() == cc.Ptr:
						kind = upd.PointerWord
					case v.t.Size() == 8 && (v.t.Kind() == cc.Long || v.t.Kind() == cc.ULong || v.t.Kind() == cc.LongLong || v.t.Kind() == cc.ULongLong):
						kind = upd.IntegerWord
					default:
						continue
					}
					if v.slot >= len(fr.slots) {
						continue
					}
					fr := fr
					w := &upd.HeapWord{Kind: kind, Value: fr.slots[v.slot], Set: func(x uint64) { fr.slots[v.slot] = x },
						Where: func() string { return fmt.Sprintf("%s: %s local %s", who, fr.fn.Name, v.name) }}
					if err := visit(w); err != nil {
						return err
					}
					continue
				}
				for _, s := range t.specsOf(v.t) {
					a := fr.base + v.off + s.off
					b, err := t.View(a, 8)
					if err != nil {
						continue
					}
					fr, s := fr, s
					w := &upd.HeapWord{Kind: s.kind, Addr: a, Value: le64(b), Where: func() string { return fmt.Sprintf("%s: %s local %s%s", who, fr.fn.Name, v.name, s.name) }}
					if err := visit(w); err != nil {
						return err
					}
				}
			}
		}
	}
	return nil
}

// structType finds struct tag in the running image (and the code of
// committed updates).
func (t *Target) structType(tag string) cc.Type {
	for _, u := range append(t.units[:len(t.units):len(t.units)], t.m.img.units...) {
		if st := unitStruct(u, tag); st != nil {
			return st
		}
	}
	return nil
}

func unitStruct(u *unit, tag string) cc.Type {
	if u.ast == nil || u.ast.Scope == nil {
		return nil
	}
	for _, n := range u.ast.Scope.Nodes[tag] {
		if sus, ok := n.(*cc.StructOrUnionSpecifier); ok {
			if st, ok := sus.Type().(*cc.StructType); ok && !st.IsIncomplete() {
				return st
			}
		}
	}
	return nil
}

// structLayout is the new code's layout of a struct the update changes
// without an object table.
func (c *code) structLayout(typ string) (upd.Layout, bool) {
	if c.u.TypeByName(typ) == nil {
		return upd.Layout{}, false
	}
	if st := c.newStruct(typ); st != nil {
		for _, u := range c.units {
			if unitStruct(u, typ) == st {
				return layoutOf(typ, st.(*cc.StructType), u), true
			}
		}
	}
	return c.t.m.img.Layout(typ)
}

// newStruct is struct typ as the update's code declares it (the running
// image's when the update's sources do not).
// imageStruct is struct typ as the running image declares it.
func (t *Target) imageStruct(tag string) cc.Type {
	for _, u := range t.m.img.units {
		if st := unitStruct(u, tag); st != nil {
			return st
		}
	}
	return nil
}

func (c *code) newStruct(typ string) cc.Type {
	for _, u := range c.units {
		if st := unitStruct(u, typ); st != nil {
			return st
		}
	}
	return c.t.structType(typ)
}

// HeapAlloc allocates the new storage of an instance: with the allocator
// that made its block (a kernel allocator is called on the host CPU), or,
// for a global, the storage the update's code gives it.
func (t *Target) HeapAlloc(code upd.Code, in upd.HeapInstance, size uint64, back bool) (uint64, error) {
	if in.Global != "" {
		for _, mv := range code.Moves() {
			if mv.Name == in.Global {
				if back {
					return mv.Old + uint64(in.Index)*size, nil
				}
				return mv.New + uint64(in.Index)*size, nil
			}
		}
		old, _ := t.m.img.Layout(in.Type)
		if !back && size > old.Size {
			return 0, fmt.Errorf("global %s grows and the update's code gives it no new storage", in.Global)
		}
		return in.Addr, nil // converted in place
	}
	b := t.m.typed.blocks[in.Block]
	if b == nil {
		return 0, fmt.Errorf("the heap block at %#x is gone", in.Block)
	}
	if b.alloc == "kalloc" {
		a := t.m.alloc(size)
		if a == 0 {
			return 0, errors.New("kalloc: out of memory")
		}
		return a, nil
	}
	a, err := t.Call(b.alloc, size)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", b.alloc, err)
	}
	if a == 0 {
		return 0, fmt.Errorf("%s returned NULL", b.alloc)
	}
	return a, nil
}

// HeapRelease frees storage HeapAlloc returned.
func (t *Target) HeapRelease(in upd.HeapInstance, addr uint64) error {
	if in.Global != "" {
		return nil
	}
	b := t.m.typed.blocks[in.Block]
	if b == nil || b.alloc == "kalloc" {
		return t.m.release(addr)
	}
	return t.callFree(b.alloc, addr)
}

func (t *Target) callFree(alloc string, addr uint64) error {
	for _, a := range t.m.img.allocators() {
		if a.Alloc == alloc {
			_, err := t.Call(a.Free, addr)
			return err
		}
	}
	return fmt.Errorf("no free function for %s", alloc)
}

// HeapCommit records the instance's new block, typed by the update's code
// (by the running kernel's, back), and frees the old one.
func (t *Target) HeapCommit(uc upd.Code, in upd.HeapInstance, addr uint64, back bool) error {
	if in.Global != "" {
		return nil
	}
	b := t.m.typed.blocks[in.Block]
	if b == nil {
		return fmt.Errorf("the heap block at %#x is gone", in.Block)
	}
	nt := b.elem
	if c, ok := uc.(*code); ok {
		st := c.newStruct(in.Type)
		if back {
			st = t.imageStruct(in.Type)
		}
		if st != nil {
			nt = st
		}
	}
	var err error
	if b.alloc == "kalloc" {
		err = t.m.release(in.Block)
	} else {
		err = t.callFree(b.alloc, in.Block)
	}
	delete(t.m.typed.blocks, in.Block)
	if t.m.typed.blocks == nil {
		t.m.typed.blocks = map[uint64]*tblock{}
	}
	t.m.typed.blocks[addr] = &tblock{size: uint64(max(nt.Size(), 0)) + in.Tail, elem: nt, count: 1, site: b.site, alloc: b.alloc}
	return err
}

func le64(b []byte) uint64 {
	return uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24 |
		uint64(b[4])<<32 | uint64(b[5])<<40 | uint64(b[6])<<48 | uint64(b[7])<<56
}

var _ upd.TypedMemory = (*Target)(nil)

// dependsOnLayout reports whether a function's compiled code depends on the
// layout of one of the types (member accesses, sizeof, pointer arithmetic,
// instances in its frame: typedsites.go), whether or not it names the
// struct (a global pointer to it suffices).
func dependsOnLayout(fn *Func, types map[string]bool) bool {
	if fn == nil || fn.heap == nil {
		return false
	}
	for t := range fn.heap.deps {
		if types[t] {
			return true
		}
	}
	return false
}

// heapDepsReplaced refuses an update that changes the layout of a struct
// without an object table while a function of the running kernel whose code
// depends on that layout is not replaced: its old code would read the moved
// instances with the old offsets.
func (c *code) heapDepsReplaced() error {
	m := c.t.m
	heapTypes := map[string]bool{}
	for _, tu := range c.u.Types {
		if m.types[tu.Name] == nil {
			heapTypes[tu.Name] = true
		}
	}
	if len(heapTypes) == 0 {
		return nil
	}
	replaced := map[*Func]bool{}
	for _, sw := range c.swaps {
		replaced[sw.old] = true
	}
	var problems []string
	for _, fn := range m.img.funcs {
		if fn.body == nil || replaced[fn] || !dependsOnLayout(m.code[fn.id], heapTypes) {
			continue
		}
		problems = append(problems, fmt.Sprintf("%s (%s) depends on the layout of a changed struct and the update does not replace it", fn.Name, fn.Pos))
	}
	if len(problems) > 0 {
		sort.Strings(problems)
		return errors.New(strings.Join(problems, "; "))
	}
	return nil
}
