package runtime

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Updating a type of a kernel without an object table (FreeRTOS's TCB_t,
// a list node embedded in it): the instances are found through a typed
// heap — every heap block typed by its allocation site, globals and static
// objects by their declarations — rather than through factories, and since
// nothing reaches them through a stable reference, moving one to its new
// layout means fixing every pointer to it, interior ones included (a
// pointer to field f of the old instance becomes a pointer to field f of
// the new one), as Kitsune and Ginseng traverse the heap.
//
// Such a type is converted in one task at a safe point (Report.Atomic),
// whatever the update's mode: no CPU or suspended context may be in a
// function whose code depends on the type's layout, nor in the middle of an
// expression whose values the machine cannot see. What cannot be inferred
// is refused with the reason, never guessed: a word that is not known to be
// a pointer (an integer, a union member, a block of unknown type) but holds
// an address inside an instance; an instance embedded in another type; a
// pointer to a field the new layout removes.

// TypedMemory is what a target offers for types without an object table.
// runtime/emu implements it.
type TypedMemory interface {
	// HeapInstances lists the live instances of struct typ.
	HeapInstances(typ string) ([]HeapInstance, error)
	// HeapSafe reports why the machine's stacks do not allow moving
	// instances of the types now, from the running layouts to code's (to
	// the running ones, back), nil when they do.
	HeapSafe(code Code, types []string, back bool) error
	// HeapWords calls visit with every word of the machine's state that
	// may hold a pointer: typed memory, untyped memory, stack frames.
	HeapWords(visit func(w *HeapWord) error) error
	// HeapAlloc allocates storage for the new version of an instance (the
	// old one, back), the way the instance was allocated; global instances
	// get the storage the code gives the global (code's GlobalMove) or
	// keep theirs.
	HeapAlloc(code Code, in HeapInstance, size uint64, back bool) (uint64, error)
	// HeapCommit records that the instance now lives at addr with the new
	// code's layout of its type (the running kernel's, back), and releases
	// its old storage.
	HeapCommit(code Code, in HeapInstance, addr uint64, back bool) error
	// HeapRelease gives back storage HeapAlloc returned, when the update is
	// refused after allocating.
	HeapRelease(in HeapInstance, addr uint64) error
}

// HeapInstance is one live instance of a type without an object table.
type HeapInstance struct {
	Type  string
	Addr  uint64
	Where string // "heap block from kernel.c:233", "global ready[2]"
	// Block is the heap block holding it (0 for a global); Global names
	// the global or static object.
	Block  uint64
	Global string
	Index  int // the element, for a global array of instances
	// Tail is the size of the untyped bytes that follow the instance in
	// its block and move with it (a struct heading its own storage):
	// a pointer into them keeps its offset from the instance's end.
	Tail uint64
}

// WordKind says what is known of a word.
type WordKind uint8

const (
	PointerWord WordKind = iota // declared as a pointer: fixed when it points into an instance
	IntegerWord                 // a 64-bit integer: holds a pointer only if it hides one
	UnknownWord                 // a union member, an untyped block, an argument of unknown type
)

var wordKindNames = [...]string{"pointer", "integer", "word of unknown type"}

func (k WordKind) String() string { return wordKindNames[k] }

// HeapWord is one word a pointer may be stored in.
type HeapWord struct {
	Kind  WordKind
	Addr  uint64 // its address in target memory; 0 for a word outside memory (a register-like slot)
	Value uint64
	// Set replaces a word outside memory.
	Set func(v uint64)
	// Where describes it for reasons ("global current.link.next"); it is
	// called only when a reason needs it.
	Where func() string
}

// HeapReport says what a typed-heap conversion did.
type HeapReport struct {
	Type      string
	Instances int // moved to the new layout
	Pointers  int // words fixed
	Interior  int // of which pointed inside an instance, not at its start
	Words     int // words examined
}

func (h HeapReport) String() string {
	return fmt.Sprintf("%s: %d instances moved, %d pointers fixed (%d interior) of %d words examined", h.Type, h.Instances, h.Pointers, h.Interior, h.Words)
}

// heapType is a changed type with no factory.
type heapType struct {
	tu *TypeUpdate
}

// layouts are the type's layouts before and after a conversion: old to
// new, or new to old when the update rolls back.
func (ht *heapType) layouts(back bool) (from, to *Layout) {
	if back {
		return &ht.tu.New, &ht.tu.Old
	}
	return &ht.tu.Old, &ht.tu.New
}

// transfer converts one instance in the direction: Transfer, or Reverse
// when the update rolls back (copying fields by name when not given).
func (ht *heapType) transfer(back bool) TransferFunc {
	tr := ht.tu.Transfer
	if back {
		tr = ht.tu.Reverse
	}
	if tr == nil {
		tr = copyTransfer
	}
	return tr
}

// heapTarget returns the target's typed memory, if it has one.
func heapTarget(t Target) (TypedMemory, bool) {
	tm, ok := t.(TypedMemory)
	return tm, ok
}

type movedInst struct {
	in       HeapInstance
	old, new uint64
	ht       *heapType
	back     bool // moved back to the old layout (a rollback)
}

func (mv *movedInst) from() *Layout { f, _ := mv.ht.layouts(mv.back); return f }
func (mv *movedInst) to() *Layout   { _, t := mv.ht.layouts(mv.back); return t }

// span is how many bytes move: the instance and its block's tail.
func (mv *movedInst) span() uint64 { return mv.from().Size + mv.in.Tail }

// fieldMap maps an offset inside the old layout to the offset of the same
// place in the new one: the field containing it (by name), plus the offset
// inside the field when the field keeps its size. Offset 0 is the
// instance itself (C gives a pointer to it and to its first member the
// same address; it is taken for the instance).
func fieldMap(old, new *Layout, off uint64) (uint64, error) {
	if off == 0 {
		return 0, nil
	}
	return fieldAt(old, new, off)
}

// fieldAt maps an offset by the field containing it, without fieldMap's
// rule for offset 0: where a word stored in an instance goes.
func fieldAt(old, new *Layout, off uint64) (uint64, error) {
	for _, f := range old.Fields {
		if f.BitWidth != 0 || off < f.Offset || off >= f.Offset+max(f.Size, 1) {
			continue
		}
		nf, ok := new.Lookup(f.Name)
		if !ok {
			return 0, fmt.Errorf("field %s, which the new layout removes", f.Name)
		}
		in := off - f.Offset
		if in != 0 && nf.Size != f.Size {
			return 0, fmt.Errorf("offset %d inside field %s, whose size changes (%d -> %d bytes)", in, f.Name, f.Size, nf.Size)
		}
		return nf.Offset + in, nil
	}
	return 0, fmt.Errorf("offset %d, in no field of %s (padding)", off, old.Name)
}

// heapSafe asks the target whether its stacks allow moving the heap types'
// instances now.
func (a *Applier) heapSafe(back bool) error {
	tm, _ := heapTarget(a.t)
	names := make([]string, len(a.heap))
	for i, ht := range a.heap {
		names[i] = ht.tu.Name
	}
	return tm.HeapSafe(a.code, names, back)
}

// heapPlan is what planHeap found: the instances, and the words to fix.
type heapPlan struct {
	moved   []movedInst
	fixes   []heapFix
	reports map[string]*HeapReport
	words   int
}

type heapFix struct {
	w      HeapWord
	inside *movedInst // the word lies in an instance being moved
	wOff   uint64     // its offset there
	target *movedInst
	newOff uint64
}

// planHeap finds every instance of the update's heap types and every word
// pointing into one, before the code swap (the running kernel's globals are
// still the running ones), and refuses what it cannot tell. It changes
// nothing. back plans the way back to the old layouts, for a rollback.
func (a *Applier) planHeap(back bool) (*heapPlan, error) {
	if len(a.heap) == 0 {
		return nil, nil
	}
	tm, _ := heapTarget(a.t)
	var moved []movedInst
	for _, ht := range a.heap {
		ins, err := tm.HeapInstances(ht.tu.Name)
		if err != nil {
			return nil, fmt.Errorf("finding the instances of %s: %w", ht.tu.Name, err)
		}
		for _, in := range ins {
			moved = append(moved, movedInst{in: in, old: in.Addr, ht: ht, back: back})
		}
	}
	sort.Slice(moved, func(i, j int) bool { return moved[i].old < moved[j].old })
	for i := 1; i < len(moved); i++ {
		if p := moved[i-1]; p.old+p.span() > moved[i].old {
			return nil, fmt.Errorf("instances of %s at %#x (%s) and %s at %#x (%s) overlap", p.ht.tu.Name, p.old, p.in.Where, moved[i].ht.tu.Name, moved[i].old, moved[i].in.Where)
		}
	}
	// find returns the instance a value points into. One past its end is
	// not inside: it is the next object's address as well.
	find := func(v uint64) *movedInst {
		i := sort.Search(len(moved), func(i int) bool { return moved[i].old+moved[i].span() > v })
		if i < len(moved) && v >= moved[i].old {
			return &moved[i]
		}
		return nil
	}
	// Every word: what must be fixed, what cannot be told.
	var fixes []heapFix
	var refused []string
	reports := map[string]*HeapReport{}
	for _, ht := range a.heap {
		reports[ht.tu.Name] = &HeapReport{Type: ht.tu.Name}
	}
	words := 0
	err := tm.HeapWords(func(w *HeapWord) error {
		words++
		t := find(w.Value)
		if t == nil {
			return nil
		}
		off := w.Value - t.old
		if w.Kind != PointerWord {
			if len(refused) < 8 {
				refused = append(refused, fmt.Sprintf("%s (%s) holds %#x, an address inside %s at %#x (%s): a pointer hidden in it cannot be told from a number", w.Where(), w.Kind, w.Value, t.ht.tu.Name, t.old, t.in.Where))
			}
			return nil
		}
		no, err := fieldMap(t.from(), t.to(), off)
		if off >= t.from().Size {
			no, err = t.to().Size+off-t.from().Size, nil // into the tail
		}
		if err != nil {
			if len(refused) < 8 {
				refused = append(refused, fmt.Sprintf("%s points to %s of %s at %#x: %v", w.Where(), describeOffset(t.from(), off), t.ht.tu.Name, t.old, err))
			}
			return nil
		}
		fx := heapFix{w: *w, target: t, newOff: no}
		if w.Addr != 0 {
			if in := find(w.Addr); in != nil && w.Addr < in.old+in.from().Size {
				fx.inside, fx.wOff = in, w.Addr-in.old
			}
		}
		fixes = append(fixes, fx)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(refused) > 0 {
		return nil, fmt.Errorf("refused: %s", strings.Join(refused, "; "))
	}
	return &heapPlan{moved: moved, fixes: fixes, reports: reports, words: words}, nil
}

// convertHeapTypes carries out the plan after the code swap (or, back, at
// the rollback's safe point before the old code returns): new storage
// and the transfers first (nothing the kernel sees changes, so a failure
// there is rolled back), then every pointer fixed and the instances'
// records moved.
func (a *Applier) convertHeapTypes(p *heapPlan) error {
	if p == nil {
		return nil
	}
	tm, _ := heapTarget(a.t)
	moved, fixes, reports, words := p.moved, p.fixes, p.reports, p.words
	// New storage and transfer; nothing the kernel sees changes yet.
	release := func(upto int) {
		for _, mv := range moved[:upto] {
			if mv.new != 0 && mv.new != mv.old {
				tm.HeapRelease(mv.in, mv.new)
			}
		}
	}
	for i := range moved {
		mv := &moved[i]
		addr, err := tm.HeapAlloc(a.code, mv.in, mv.to().Size+mv.in.Tail, mv.back)
		if err != nil {
			release(i)
			return fmt.Errorf("allocating the new %s for %s: %w", mv.ht.tu.Name, mv.in.Where, err)
		}
		mv.new = addr
		if addr != mv.old {
			// A kernel allocator's block holds what its last owner
			// left: the fields the transfer does not set start at zero.
			if err := a.t.Write(addr, make([]byte, mv.to().Size)); err != nil {
				release(i + 1)
				return fmt.Errorf("clearing the new %s for %s: %w", mv.ht.tu.Name, mv.in.Where, err)
			}
		}
	}
	// An instance that keeps its storage (a global of unchanged size) is
	// converted from a copy of its old state.
	copies := map[uint64]uint64{}
	defer func() {
		for _, c := range copies {
			a.t.Free(c)
		}
	}()
	for i := range moved {
		mv := &moved[i]
		src := mv.old
		if mv.new == mv.old {
			c := a.t.Alloc(mv.from().Size)
			if c == 0 {
				release(len(moved))
				return errors.New("no memory for a copy of an instance converted in place")
			}
			b, err := a.t.Read(mv.old, mv.from().Size)
			if err == nil {
				err = a.t.Write(c, b)
			}
			if err == nil {
				err = a.t.Write(mv.old, make([]byte, mv.to().Size))
			}
			if err != nil {
				release(len(moved))
				return err
			}
			copies[mv.old], src = c, c
		}
		ht := mv.ht
		tr := ht.transfer(mv.back)
		fromB, err := a.t.View(src, mv.from().Size)
		var toB []byte
		if err == nil {
			toB, err = a.t.View(mv.new, mv.to().Size)
		}
		if err == nil {
			fromS := State{Layout: mv.from(), Addr: src, b: fromB, env: a.env}
			toS := State{Layout: mv.to(), Addr: mv.new, b: toB, env: a.env}
			err = callTransfer(tr, fromS, toS)
		}
		if err == nil && mv.in.Tail > 0 {
			var tail []byte
			if tail, err = a.t.Read(src+mv.from().Size, mv.in.Tail); err == nil {
				err = a.t.Write(mv.new+mv.to().Size, tail)
			}
		}
		if err != nil {
			for _, mv := range moved {
				if c, ok := copies[mv.old]; ok {
					b, _ := a.t.Read(c, mv.from().Size)
					a.t.Write(mv.old, b)
				}
			}
			release(len(moved))
			return fmt.Errorf("transfer of %s at %#x (%s): %w", ht.tu.Name, mv.old, mv.in.Where, err)
		}
	}
	// The switch: fix every pointer, then the instances' records.
	for _, fx := range fixes {
		nv := fx.target.new + fx.newOff
		rep := reports[fx.target.ht.tu.Name]
		rep.Pointers++
		if fx.w.Value != fx.target.old {
			rep.Interior++
		}
		switch {
		case fx.inside != nil:
			// The word is a field of an instance that moved: fix its
			// copy, if the transfer copied it.
			no, err := fieldAt(fx.inside.from(), fx.inside.to(), fx.wOff)
			if err != nil {
				continue // a field the new layout drops
			}
			at := fx.inside.new + no
			if b, err := a.t.Read(at, 8); err == nil && le64(b) == fx.w.Value {
				a.t.Write(at, put64(nv))
			}
		case fx.w.Addr != 0:
			// Unless a Before hook changed it since the plan.
			if b, err := a.t.Read(fx.w.Addr, 8); err == nil && le64(b) == fx.w.Value {
				a.t.Write(fx.w.Addr, put64(nv))
			}
		case fx.w.Set != nil:
			fx.w.Set(nv)
		}
	}
	for _, mv := range moved {
		if err := tm.HeapCommit(a.code, mv.in, mv.new, mv.back); err != nil {
			return fmt.Errorf("recording the new %s at %#x: %w (the update has switched: not rolled back)", mv.ht.tu.Name, mv.new, err)
		}
		reports[mv.ht.tu.Name].Instances++
		if mv.back && mv.in.Global != "" {
			if a.movedBack == nil {
				a.movedBack = map[string]bool{}
			}
			a.movedBack[mv.in.Global] = true
		}
	}
	for _, ht := range a.heap {
		r := reports[ht.tu.Name]
		r.Words = words
		if len(moved) > 0 && moved[0].back {
			a.report.RolledBack += r.Instances
			continue
		}
		a.report.Heap = append(a.report.Heap, *r)
	}
	return nil
}

func describeOffset(l *Layout, off uint64) string {
	for _, f := range l.Fields {
		if off >= f.Offset && off < f.Offset+max(f.Size, 1) {
			if off == f.Offset {
				return "field " + f.Name
			}
			return fmt.Sprintf("field %s+%d", f.Name, off-f.Offset)
		}
	}
	return fmt.Sprintf("offset %d", off)
}

func le64(b []byte) uint64 {
	var v uint64
	for i := 7; i >= 0; i-- {
		v = v<<8 | uint64(b[i])
	}
	return v
}

func put64(v uint64) []byte {
	b := make([]byte, 8)
	for i := range b {
		b[i] = byte(v >> (8 * i))
	}
	return b
}
