package emu

import (
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"

	upd "github.com/upsynth/upsynth/runtime"
	"modernc.org/cc/v4"
)

// Layout cells: compiled code that stays valid when a struct's layout
// changes under it.
//
// C is compiled to Go closures and every execution context runs on a
// goroutine of its own, so the frame of a task parked inside a function
// (FreeRTOS's xTaskResumeAll yields in the middle of it) cannot be
// rewritten: it resumes in the closures it was compiled to. Were a member
// offset, a sizeof or a pointer stride of a struct a constant in them, the
// parked frame would go on with the old layout after the typed heap moved
// the instances (typedheap.go). In a kernel image those numbers are read at
// run time from the machine's layout cells instead: one cell per struct
// member (by tag and member name) and one per struct size. The update that
// changes a struct's layout sets its cells in the same step that moves the
// instances (code.SwapFunctions, at the safe point), and restores them when
// it rolls back, so the code of every function — the old code of one whose
// source did not change, parked or not, as much as the new — reads the
// layout the instances have.
//
// What a cell cannot cover is recorded per function (layoutUse) and checked
// against the update's layouts before anything moves (Target.HeapSafe): a
// member the new layout removes or retypes, a bitfield, a member of an
// anonymous struct, a struct value copied or held in a frame, a sizeof cc
// folded into a constant, an alignof. A parked frame in such code is
// refused with the reason, never resumed with numbers that no longer hold.
//
// Hosted programs are never updated live: their code keeps constants
// (BenchmarkCPUBound measures both).

// layoutCap bounds the cells of one machine; a member beyond it is
// compiled as a constant (and recorded as such).
const layoutCap = 1 << 13

// layoutCells maps a cell's key ("tag.member", or "tag" for the size) to
// its index in Machine.layout.
type layoutCells struct {
	idx map[string]int32
	// vals are the image's values (the machine's cells start from them).
	vals []uint64
	// mixed are the keys compiled with two values (two structs of one
	// tag in different units): such uses stay constants.
	mixed map[string]bool
}

func newLayoutCells() *layoutCells {
	return &layoutCells{idx: map[string]int32{}, mixed: map[string]bool{}}
}

func (lc *layoutCells) clone() *layoutCells {
	n := &layoutCells{idx: make(map[string]int32, len(lc.idx)), mixed: make(map[string]bool, len(lc.mixed))}
	for k, v := range lc.idx {
		n.idx[k] = v
	}
	for k, v := range lc.mixed {
		n.mixed[k] = v
	}
	return n
}

// cellCompile is how the linker compiles layout numbers: into the image's
// cells at load time, into a running machine's when an update is loaded.
type cellCompile struct {
	cells *layoutCells
	// m is the machine an update's code is compiled for (nil at load).
	m *Machine
	// next are the layouts the update gives the structs it changes: the
	// new code's numbers must be those, and its cells take them when the
	// instances move.
	next map[string]*upd.Layout
}

// layoutUse is what one function's code does with one struct's layout.
type layoutUse struct {
	// cells are the members whose offsets it reads from cells; size says
	// its sizeof and strides come from the size cell.
	cells map[string]bool
	size  bool
	// fixed are the members whose offsets are compiled in (a bitfield, an
	// anonymous struct's member, a folded constant); fixedSize says why
	// the struct's size is ("" when it is not).
	fixed     map[string]bool
	fixedSize string
}

func (fc *fnCompiler) layoutUse(tag string) *layoutUse {
	ha := fc.heap
	if ha == nil {
		return nil
	}
	if ha.layout == nil {
		ha.layout = map[string]*layoutUse{}
	}
	u := ha.layout[tag]
	if u == nil {
		u = &layoutUse{cells: map[string]bool{}, fixed: map[string]bool{}}
		ha.layout[tag] = u
	}
	return u
}

// cell returns the index of the cell holding v for key, allocating it, or
// false when v must stay a constant.
func (fc *fnCompiler) cell(tag, key string, v uint64, field string) (int32, bool) {
	cp := fc.lk.cells
	if cp == nil || tag == "" {
		return 0, false
	}
	lc := cp.cells
	if lc.mixed[key] {
		return 0, false
	}
	if cp.m == nil {
		// Loading the image.
		k, ok := lc.idx[key]
		if !ok {
			if len(lc.vals) >= layoutCap {
				return 0, false
			}
			k = int32(len(lc.vals))
			lc.idx[key] = k
			lc.vals = append(lc.vals, v)
			return k, true
		}
		if lc.vals[k] != v {
			lc.mixed[key] = true
			return 0, false
		}
		return k, true
	}
	m := cp.m
	if l := cp.next[tag]; l != nil {
		// A struct the update changes: the new code's numbers are the
		// new layout's.
		want, ok := l.Size, true
		if field != "" {
			f, has := layoutField(l, field)
			want, ok = f.Offset, has && f.BitWidth == 0
		}
		if !ok || want != v {
			return 0, false
		}
		if k, ok := lc.idx[key]; ok {
			return k, true
		}
	} else if k, ok := lc.idx[key]; ok {
		if m.layout[k] != v {
			return 0, false
		}
		return k, true
	}
	if len(lc.idx) >= layoutCap {
		return 0, false
	}
	// A new cell: no running code reads it yet.
	k := int32(len(lc.idx))
	lc.idx[key] = k
	m.layout[k] = v
	return k, true
}

func layoutField(l *upd.Layout, name string) (upd.Field, bool) {
	for _, f := range l.Fields {
		if f.Name == name {
			return f, true
		}
	}
	return upd.Field{}, false
}

// memberCell compiles the offset of member fl of the struct or union of
// type st: from a cell when it can.
func (fc *fnCompiler) memberCell(st cc.Type, fl *cc.Field, n cc.Node) (int32, bool) {
	tag := structTag(st)
	if tag == "" || (st.Kind() != cc.Struct && st.Kind() != cc.Union) {
		return 0, false
	}
	u := fc.layoutUse(tag)
	name := fl.Name()
	if fl.IsBitfield() || fl.Parent() != nil || name == "" {
		if u != nil {
			u.fixed[name] = true
		}
		return 0, false
	}
	k, ok := fc.cell(tag, tag+"."+name, uint64(fl.Offset()), name)
	if u != nil {
		if ok {
			u.cells[name] = true
			fc.heap.celled[n] = true
		} else {
			u.fixed[name] = true
		}
	}
	return k, ok
}

// sizeCell compiles the size of t when t is a struct or union: from its
// size cell when it can.
func (fc *fnCompiler) sizeCell(t cc.Type, n cc.Node) (iexpr, bool) {
	if t == nil || (t.Kind() != cc.Struct && t.Kind() != cc.Union) || t.Size() <= 0 {
		return nil, false
	}
	tag := structTag(t)
	if tag == "" {
		return nil, false
	}
	k, ok := fc.cell(tag, tag, uint64(t.Size()), "")
	if !ok {
		return nil, false
	}
	if u := fc.layoutUse(tag); u != nil {
		u.size = true
		fc.heap.celled[n] = true
	}
	k &= layoutCap - 1
	return func(f *frame) uint64 { return f.m.layout[k] }, true
}

// layoutConst reports whether a constant cc folded depends on the layout of
// a struct whose numbers the code reads from cells (a sizeof, an offsetof):
// it is compiled as an expression instead.
func (fc *fnCompiler) layoutConst(n cc.ExpressionNode) bool {
	if fc.lk.cells == nil || fc.heap == nil {
		return false
	}
	if v, ok := fc.heap.constDeps[n]; ok {
		return v
	}
	found := false
	walkNodes(reflect.ValueOf(n), nil, func(x, _ cc.Node) {
		if found {
			return
		}
		switch y := x.(type) {
		case *cc.UnaryExpression:
			switch y.Case {
			case cc.UnaryExpressionSizeofType:
				found = y.TypeName != nil && structTag(y.TypeName.Type()) != ""
			case cc.UnaryExpressionSizeofExpr:
				found = y.UnaryExpression != nil && structTag(y.UnaryExpression.Type()) != ""
			}
		case *cc.PostfixExpression:
			switch y.Case {
			case cc.PostfixExpressionSelect:
				found = structTag(y.PostfixExpression.Type()) != ""
			case cc.PostfixExpressionPSelect:
				found = structTag(pointee(y.PostfixExpression.Type())) != ""
			}
		}
	})
	fc.heap.constDeps[n] = found
	return found
}

// finishLayout records, once the function is compiled, the layout-dependent
// places the compiler did not read from cells: their numbers are fixed.
func (fc *fnCompiler) finishLayout() {
	ha := fc.heap
	if ha == nil {
		return
	}
	for n, d := range ha.layoutNodes {
		if ha.celled[n] && d.why == "" {
			continue
		}
		u := fc.layoutUse(d.tag)
		switch {
		case d.field != "":
			u.fixed[d.field] = true
		case u.fixedSize == "":
			why := d.why
			if why == "" {
				why = "a sizeof or stride compiled as a constant"
			}
			u.fixedSize = fmt.Sprintf("%s at %s", why, n.Position())
		}
	}
	for d, l := range fc.locals {
		if l.t == nil {
			continue
		}
		if tag := structTag(l.t); tag != "" && (l.t.Kind() == cc.Struct || l.t.Kind() == cc.Union || l.t.Kind() == cc.Array) {
			if u := fc.layoutUse(tag); u.fixedSize == "" {
				u.fixedSize = fmt.Sprintf("local %s holds a struct %s in the frame (%s)", d.Name(), tag, d.Position())
			}
		}
	}
}

// layoutNode is a place whose code depends on a struct's layout, found by
// the pre-pass (typedsites.go): a member access (field), or a size (sizeof,
// a stride; why says when no cell can hold it).
type layoutNode struct {
	tag   string
	field string
	why   string
}

// relocatable reports why fn's code cannot go on running when the
// instances of the structs move from the layouts in from to those in to
// (nil when it can).
func relocatable(fn *Func, from, to map[string]*upd.Layout) error {
	if fn == nil || fn.heap == nil {
		return nil
	}
	var problems []string
	for tag, old := range from {
		if !fn.heap.deps[tag] {
			continue
		}
		nw := to[tag]
		u := fn.heap.layout[tag]
		if u == nil {
			problems = append(problems, fmt.Sprintf("its code depends on the layout of struct %s in a way the target does not track", tag))
			continue
		}
		if u.fixedSize != "" && old.Size != nw.Size {
			problems = append(problems, fmt.Sprintf("the size of struct %s is compiled in (%s)", tag, u.fixedSize))
		}
		for _, name := range slices.Sorted(maps.Keys(u.cells)) {
			of, _ := layoutField(old, name)
			nf, ok := layoutField(nw, name)
			switch {
			case !ok:
				problems = append(problems, fmt.Sprintf("it uses %s.%s, which the other layout does not have", tag, name))
			case nf.Size != of.Size || nf.Type != of.Type || nf.BitWidth != 0:
				problems = append(problems, fmt.Sprintf("it uses %s.%s, whose type changes (%s -> %s)", tag, name, of.Type, nf.Type))
			}
		}
		for _, name := range slices.Sorted(maps.Keys(u.fixed)) {
			of, _ := layoutField(old, name)
			nf, ok := layoutField(nw, name)
			if !ok || nf != of {
				problems = append(problems, fmt.Sprintf("the offset of %s.%s is compiled in and changes", tag, name))
			}
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("%s (%s): %s", fn.Name, fn.Pos, strings.Join(problems, "; "))
	}
	return nil
}

// setCells gives the cells of the structs in ls their numbers in those
// layouts, returning what they held (for restoreCells).
func (m *Machine) setCells(ls map[string]*upd.Layout) map[int32]uint64 {
	if m.cells == nil {
		return nil
	}
	saved := map[int32]uint64{}
	set := func(key string, v uint64) {
		if k, ok := m.cells.idx[key]; ok && !m.cells.mixed[key] {
			if _, done := saved[k]; !done {
				saved[k] = m.layout[k]
			}
			m.layout[k] = v
		}
	}
	for tag, l := range ls {
		set(tag, l.Size)
		for _, f := range l.Fields {
			if f.BitWidth == 0 {
				set(tag+"."+f.Name, f.Offset)
			}
		}
	}
	return saved
}

func (m *Machine) restoreCells(saved map[int32]uint64) {
	for k, v := range saved {
		m.layout[k] = v
	}
}
