package emu

import (
	"math"

	"modernc.org/cc/v4"
)

// initializer compiles the initialization of the object of type t at dst.
// zero clears the object first (automatic storage; static storage starts
// zeroed).
func (fc *fnCompiler) initializer(dst iexpr, t cc.Type, n *cc.Initializer, zero bool) func(*frame) {
	if n.Case == cc.InitializerInitList {
		return fc.initList(dst, t, n.InitializerList, zero)
	}
	leaf := fc.initLeaf(dst, 0, t, nil, n.AssignmentExpression, 1)
	if !zero || classOf(t) != clArray {
		return leaf
	}
	size := uint64(t.Size())
	return func(f *frame) {
		clear(f.m.span(dst(f), size, "store"))
		leaf(f)
	}
}

type initItem struct {
	off   uint64
	t     cc.Type
	field *cc.Field
	expr  cc.ExpressionNode
	count int64
}

func collectInits(l *cc.InitializerList, out []initItem) []initItem {
	for ; l != nil; l = l.InitializerList {
		it := l.Initializer
		if it == nil {
			continue
		}
		if it.Case == cc.InitializerInitList {
			out = collectInits(it.InitializerList, out)
			continue
		}
		out = append(out, initItem{off: uint64(it.Offset()), t: it.Type(), field: it.Field(), expr: it.AssignmentExpression, count: it.Len()})
	}
	return out
}

func (fc *fnCompiler) initList(dst iexpr, t cc.Type, list *cc.InitializerList, zero bool) func(*frame) {
	return fc.initListSized(dst, t, uint64(max(t.Size(), 0)), list, zero)
}

func (fc *fnCompiler) initListSized(dst iexpr, t cc.Type, size uint64, list *cc.InitializerList, zero bool) func(*frame) {
	items := collectInits(list, nil)
	var ops []func(*frame)
	if zero && size > 0 {
		ops = append(ops, func(f *frame) { clear(f.m.span(dst(f), size, "store")) })
	}
	for _, it := range items {
		bf := it.field
		if bf != nil && !bf.IsBitfield() {
			bf = nil
		}
		for k := int64(0); k < it.count; k++ {
			off := it.off + uint64(k)*uint64(max(it.t.Size(), 0))
			ops = append(ops, fc.initLeaf(dst, off, it.t, bf, it.expr, 1))
		}
	}
	return func(f *frame) {
		for _, op := range ops {
			op(f)
		}
	}
}

// stringLiteral returns the literal when n is one (possibly parenthesized).
func stringLiteral(n cc.ExpressionNode) *cc.PrimaryExpression {
	for {
		p, ok := n.(*cc.PrimaryExpression)
		if !ok {
			return nil
		}
		switch p.Case {
		case cc.PrimaryExpressionString, cc.PrimaryExpressionLString:
			return p
		case cc.PrimaryExpressionExpr:
			n = p.ExpressionList
		default:
			return nil
		}
	}
}

// initLeaf compiles storing one initializer expression at dst+off.
func (fc *fnCompiler) initLeaf(dst iexpr, off uint64, t cc.Type, bf *cc.Field, x cc.ExpressionNode, _ int) func(*frame) {
	cl := classOf(t)
	if s := stringLiteral(x); s != nil && cl == clInt && t.Kind() != cc.Ptr {
		// A string initializing a char array whose type cc/v4 left as
		// the element type (an array of unknown size).
		src := fc.stringLit(s)
		n := uint64(stringBytes(s))
		return func(f *frame) { f.m.move(dst(f)+off, src, n) }
	}
	switch cl {
	case clArray:
		s := stringLiteral(x)
		if s == nil {
			fc.fail(x, "array initialized from a non-string expression")
		}
		src := fc.stringLit(s)
		n := uint64(min(max(t.Size(), 0), stringBytes(s)))
		return func(f *frame) { f.m.move(dst(f)+off, src, n) }
	case clAgg:
		e := fc.expr(x)
		if e.cl != clAgg {
			fc.fail(x, "%s initialized from %s", t, e.t)
		}
		size := uint64(t.Size())
		src := e.i
		return func(f *frame) { f.m.move(dst(f)+off, src(f), size) }
	case clFloat, clDouble:
		v := fc.convert(fc.expr(x), t, x).f
		if cl == clFloat {
			return func(f *frame) { f.m.st32(dst(f)+off, math.Float32bits(float32(v(f)))) }
		}
		return func(f *frame) { f.m.st64(dst(f)+off, math.Float64bits(v(f))) }
	case clInt:
		v := fc.convert(fc.expr(x), t, x).i
		if bf != nil {
			set := bitfieldSet(fc.u.bitfield(bf), scalarOf(t))
			return func(f *frame) { set(f.m, dst(f)+off, v(f)) }
		}
		_, st := memAccess(scalarOf(t))
		return func(f *frame) { st(f.m, dst(f)+off, v(f)) }
	}
	fc.fail(x, "cannot initialize %s", t)
	return nil
}
