package emu

import (
	"modernc.org/cc/v4"
)

// Variable-length arrays. The element count of every VLA type is evaluated
// once, where C evaluates it (the declaration of an object, typedef or
// parameter, or the sizeof of a type name), into a hidden slot keyed by the
// size expression; sizes, indexing and pointer arithmetic read it from
// there. VLA objects are allocated on the CPU stack below the frame; the
// block that declares them gives the space back when it is left.

// isVLA reports whether a type's size is only known at run time.
func isVLA(t cc.Type) bool {
	for {
		at, ok := t.(*cc.ArrayType)
		if !ok {
			return false
		}
		if at.IsVLA() {
			return true
		}
		t = at.Elem()
	}
}

// vlaTypes calls fn for every VLA array type in t, outermost first,
// looking through pointers (a VLA parameter is a pointer to a VLA).
func vlaTypes(t cc.Type, fn func(*cc.ArrayType)) {
	for t != nil {
		switch x := t.(type) {
		case *cc.ArrayType:
			if x.IsVLA() {
				fn(x)
			}
			t = x.Elem()
		case *cc.PointerType:
			t = x.Elem()
		default:
			return
		}
	}
}

// evalVLASizes returns code that evaluates the not yet evaluated size
// expressions of t's VLA types into their slots.
func (fc *fnCompiler) evalVLASizes(t cc.Type, n cc.Node) func(*frame) {
	var steps []func(*frame)
	vlaTypes(t, func(at *cc.ArrayType) {
		x := at.SizeExpression()
		if x == nil {
			fc.fail(n, "a VLA of unspecified size ([*]) cannot be sized")
		}
		if _, ok := fc.vla[x]; ok {
			return
		}
		if fc.fn == nil {
			fc.fail(n, "variable-length array outside a function")
		}
		k := fc.nslots
		fc.nslots++
		fc.vla[x] = k
		v := fc.convert(fc.expr(x), fc.u.ast.Long, x).i
		steps = append(steps, func(f *frame) {
			n := int64(v(f))
			if n < 0 {
				f.fault("memory", "variable-length array of negative size %d", n)
			}
			f.slots[k] = uint64(n)
		})
	})
	switch len(steps) {
	case 0:
		return nil
	case 1:
		return steps[0]
	}
	return func(f *frame) {
		for _, s := range steps {
			s(f)
		}
	}
}

// sizeOf returns a type's size: a constant, or code when it has VLAs.
func (fc *fnCompiler) sizeOf(t cc.Type, n cc.Node) (uint64, iexpr) {
	if !isVLA(t) {
		return uint64(max(t.Size(), 0)), nil
	}
	at := t.(*cc.ArrayType)
	es, edyn := fc.sizeOf(at.Elem(), n)
	var count iexpr
	if at.IsVLA() {
		k, ok := fc.vla[at.SizeExpression()]
		if !ok {
			// A type name first met here (sizeof(char[n])): evaluate now.
			init := fc.evalVLASizes(at, n)
			k = fc.vla[at.SizeExpression()]
			count = func(f *frame) uint64 { init(f); return f.slots[k] }
		} else {
			count = func(f *frame) uint64 { return f.slots[k] }
		}
	} else {
		l := uint64(at.Len())
		count = func(*frame) uint64 { return l }
	}
	if edyn == nil {
		return 0, func(f *frame) uint64 { return count(f) * es }
	}
	return 0, func(f *frame) uint64 { return count(f) * edyn(f) }
}

// elemSizeOf is the size pointer arithmetic on t scales by.
func (fc *fnCompiler) elemSizeOf(t cc.Type, n cc.Node) (uint64, iexpr) {
	e := pointee(t)
	if e == nil || e.Kind() == cc.Void || e.Kind() == cc.Function {
		return 1, nil
	}
	if isVLA(e) {
		return fc.sizeOf(e, n)
	}
	if size, ok := fc.sizeCell(e, n); ok {
		return uint64(elemSize(t)), size
	}
	return uint64(elemSize(t)), nil
}

// vlaLocal declares a VLA object: its sizes are evaluated, then its storage
// is taken from the stack; the hidden slot k holds its address.
func (fc *fnCompiler) vlaLocal(d *cc.Declarator, t cc.Type) func(*frame) {
	init := fc.evalVLASizes(t, d)
	_, size := fc.sizeOf(t, d)
	k := fc.nslots
	fc.nslots++
	fc.locals[d] = &local{t: t, cl: clArray, slot: -1, vla: k + 1}
	fc.blockVLA = true
	align := uint64(max(t.Align(), d.Alignas(), 16))
	return func(f *frame) {
		if init != nil {
			init(f)
		}
		c := f.cpu
		n := size(f)
		a := (c.sp - n) &^ (align - 1)
		if n > c.sp || a < c.lo {
			f.fault("stack", "stack overflow: a variable-length array of %d bytes", n)
		}
		c.sp = a
		f.slots[k] = a
	}
}
