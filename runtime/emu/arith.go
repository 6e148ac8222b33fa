package emu

import (
	"math"
	"unsafe"

	"modernc.org/cc/v4"
)

// Binary operators.
const (
	opAdd = iota + 1
	opSub
	opMul
	opDiv
	opMod
	opShl
	opShr
	opAnd
	opOr
	opXor
	opLt
	opGt
	opLe
	opGe
	opEq
	opNe
)

func opOf(ch rune) int {
	switch ch {
	case '+':
		return opAdd
	case '-':
		return opSub
	case '*':
		return opMul
	case '/':
		return opDiv
	case '%':
		return opMod
	case rune(cc.LSH):
		return opShl
	case rune(cc.RSH):
		return opShr
	case '&':
		return opAnd
	case '|':
		return opOr
	case '^':
		return opXor
	case '<':
		return opLt
	case '>':
		return opGt
	case rune(cc.LEQ):
		return opLe
	case rune(cc.GEQ):
		return opGe
	case rune(cc.EQ):
		return opEq
	case rune(cc.NEQ):
		return opNe
	}
	return 0
}

// word is a type arithmetic is done in after the integer promotions.
type word interface {
	~int32 | ~uint32 | ~int64 | ~uint64
}

func bitsOf[T word]() uint64 { var z T; return uint64(unsafe.Sizeof(z)) * 8 }

// binop compiles an integer operation in type T; a constant right operand
// (rk) saves a closure call in the hot loops.
func binop[T word](op int, l, r iexpr, rk *uint64, ls, rs int) iexpr {
	mask := bitsOf[T]() - 1
	if ls > 0 && rk != nil {
		k, c := ls-1, T(*rk)
		switch op {
		case opAdd:
			return func(f *frame) uint64 { return uint64(T(f.slots[k]) + c) }
		case opSub:
			return func(f *frame) uint64 { return uint64(T(f.slots[k]) - c) }
		case opMul:
			return func(f *frame) uint64 { return uint64(T(f.slots[k]) * c) }
		case opAnd:
			return func(f *frame) uint64 { return uint64(T(f.slots[k]) & c) }
		case opShl:
			s := uint64(c) & mask
			return func(f *frame) uint64 { return uint64(T(f.slots[k]) << s) }
		case opShr:
			s := uint64(c) & mask
			return func(f *frame) uint64 { return uint64(T(f.slots[k]) >> s) }
		}
	}
	if ls > 0 && rs > 0 {
		a, b := ls-1, rs-1
		switch op {
		case opAdd:
			return func(f *frame) uint64 { return uint64(T(f.slots[a]) + T(f.slots[b])) }
		case opSub:
			return func(f *frame) uint64 { return uint64(T(f.slots[a]) - T(f.slots[b])) }
		case opMul:
			return func(f *frame) uint64 { return uint64(T(f.slots[a]) * T(f.slots[b])) }
		case opXor:
			return func(f *frame) uint64 { return uint64(T(f.slots[a]) ^ T(f.slots[b])) }
		}
	}
	if rk != nil {
		c := T(*rk)
		switch op {
		case opAdd:
			return func(f *frame) uint64 { return uint64(T(l(f)) + c) }
		case opSub:
			return func(f *frame) uint64 { return uint64(T(l(f)) - c) }
		case opMul:
			return func(f *frame) uint64 { return uint64(T(l(f)) * c) }
		case opAnd:
			return func(f *frame) uint64 { return uint64(T(l(f)) & c) }
		case opShl:
			s := uint64(c) & mask
			return func(f *frame) uint64 { return uint64(T(l(f)) << s) }
		case opShr:
			s := uint64(c) & mask
			return func(f *frame) uint64 { return uint64(T(l(f)) >> s) }
		case opDiv, opMod:
			if c != 0 && c != ^T(0) {
				if op == opDiv {
					return func(f *frame) uint64 { return uint64(T(l(f)) / c) }
				}
				return func(f *frame) uint64 { return uint64(T(l(f)) % c) }
			}
		}
	}
	fn := binfn[T](op)
	switch op {
	case opAdd:
		return func(f *frame) uint64 { return uint64(T(l(f)) + T(r(f))) }
	case opSub:
		return func(f *frame) uint64 { return uint64(T(l(f)) - T(r(f))) }
	case opMul:
		return func(f *frame) uint64 { return uint64(T(l(f)) * T(r(f))) }
	case opAnd:
		return func(f *frame) uint64 { return uint64(T(l(f)) & T(r(f))) }
	case opOr:
		return func(f *frame) uint64 { return uint64(T(l(f)) | T(r(f))) }
	case opXor:
		return func(f *frame) uint64 { return uint64(T(l(f)) ^ T(r(f))) }
	case opShl:
		return func(f *frame) uint64 { a := T(l(f)); return uint64(a << (r(f) & mask)) }
	case opShr:
		return func(f *frame) uint64 { a := T(l(f)); return uint64(a >> (r(f) & mask)) }
	}
	return func(f *frame) uint64 { a := l(f); return fn(f, a, r(f)) }
}

// binfn returns an integer operation in type T on raw values.
func binfn[T word](op int) func(f *frame, a, b uint64) uint64 {
	mask := bitsOf[T]() - 1
	switch op {
	case opAdd:
		return func(_ *frame, a, b uint64) uint64 { return uint64(T(a) + T(b)) }
	case opSub:
		return func(_ *frame, a, b uint64) uint64 { return uint64(T(a) - T(b)) }
	case opMul:
		return func(_ *frame, a, b uint64) uint64 { return uint64(T(a) * T(b)) }
	case opDiv:
		return func(f *frame, a, b uint64) uint64 {
			if T(b) == 0 {
				f.fault("div0", "integer division by zero")
			}
			if divOverflows(T(a), T(b)) {
				f.fault("overflow", "division overflow: %d / -1 cannot be represented", int64(T(a)))
			}
			return uint64(T(a) / T(b))
		}
	case opMod:
		return func(f *frame, a, b uint64) uint64 {
			if T(b) == 0 {
				f.fault("div0", "integer remainder by zero")
			}
			if divOverflows(T(a), T(b)) {
				f.fault("overflow", "division overflow: %d %% -1 traps", int64(T(a)))
			}
			return uint64(T(a) % T(b))
		}
	case opAnd:
		return func(_ *frame, a, b uint64) uint64 { return uint64(T(a) & T(b)) }
	case opOr:
		return func(_ *frame, a, b uint64) uint64 { return uint64(T(a) | T(b)) }
	case opXor:
		return func(_ *frame, a, b uint64) uint64 { return uint64(T(a) ^ T(b)) }
	case opShl:
		return func(_ *frame, a, b uint64) uint64 { return uint64(T(a) << (b & mask)) }
	case opShr:
		return func(_ *frame, a, b uint64) uint64 { return uint64(T(a) >> (b & mask)) }
	}
	panic("bad integer operator")
}

func intBinop(op int, sc scalar, l, r iexpr, rk *uint64, ls, rs int) iexpr {
	switch {
	case sc.size == 8 && sc.signed:
		return binop[int64](op, l, r, rk, ls, rs)
	case sc.size == 8:
		return binop[uint64](op, l, r, rk, ls, rs)
	case sc.signed:
		return binop[int32](op, l, r, rk, ls, rs)
	}
	return binop[uint32](op, l, r, rk, ls, rs)
}

func intBinfn(op int, sc scalar) func(f *frame, a, b uint64) uint64 {
	switch {
	case sc.size == 8 && sc.signed:
		return binfn[int64](op)
	case sc.size == 8:
		return binfn[uint64](op)
	case sc.signed:
		return binfn[int32](op)
	}
	return binfn[uint32](op)
}

func floatBinfn(op int, single bool) func(a, b float64) float64 {
	var fn func(a, b float64) float64
	switch op {
	case opAdd:
		fn = func(a, b float64) float64 { return a + b }
	case opSub:
		fn = func(a, b float64) float64 { return a - b }
	case opMul:
		fn = func(a, b float64) float64 { return a * b }
	case opDiv:
		fn = func(a, b float64) float64 { return a / b }
	default:
		return nil
	}
	if single {
		g := fn
		fn = func(a, b float64) float64 { return float64(float32(g(a, b))) }
	}
	return fn
}

// arith compiles a binary arithmetic, bitwise or shift expression.
func (fc *fnCompiler) arith(n cc.ExpressionNode, op int, ln, rn cc.ExpressionNode) cexpr {
	t := n.Type()
	cl := classOf(t)
	le, re := fc.expr(ln), fc.expr(rn)
	if cl.isFloating() {
		fn := floatBinfn(op, cl == clFloat)
		if fn == nil {
			fc.fail(n, "invalid floating operation")
		}
		l, r := fc.convert(le, t, n).f, fc.convert(re, t, n).f
		switch {
		case op == opAdd && cl == clDouble:
			return cexpr{t: t, cl: cl, f: func(f *frame) float64 { return l(f) + r(f) }}
		case op == opMul && cl == clDouble:
			return cexpr{t: t, cl: cl, f: func(f *frame) float64 { return l(f) * r(f) }}
		}
		return cexpr{t: t, cl: cl, f: func(f *frame) float64 { return fn(l(f), r(f)) }}
	}
	if cl != clInt {
		fc.fail(n, "invalid operands of type %s", t)
	}
	sc := scalarOf(t)
	l := fc.convert(le, t, n)
	var r cexpr
	if op == opShl || op == opShr {
		r = fc.convert(re, fc.promotedType(re.t), n)
	} else {
		r = fc.convert(re, t, n)
	}
	var rk *uint64
	if r.konst {
		rk = &r.kv
	}
	if !fc.lk.img.opts.Wrapv {
		if e := checkedIntBinop(op, sc, l.i, r.i, rk, l.slot, r.slot); e != nil {
			return cexpr{t: t, cl: clInt, i: e}
		}
	}
	return cexpr{t: t, cl: clInt, i: intBinop(op, sc, l.i, r.i, rk, l.slot, r.slot)}
}

func isPtrish(t cc.Type) bool {
	k := t.Kind()
	return k == cc.Ptr || k == cc.Array || k == cc.Function
}

func (fc *fnCompiler) additive(n *cc.AdditiveExpression) cexpr {
	op := opOf(n.Token.Ch)
	ln, rn := n.AdditiveExpression, n.MultiplicativeExpression
	lp, rp := isPtrish(ln.Type()), isPtrish(rn.Type())
	t := n.Type()
	switch {
	case op == opSub && lp && rp:
		size, dyn := fc.elemSizeOf(ln.Type(), n)
		l, r := fc.expr(ln).i, fc.expr(rn).i
		if dyn != nil {
			return cexpr{t: t, cl: clInt, i: func(f *frame) uint64 { return uint64(int64(l(f)-r(f)) / int64(dyn(f))) }}
		}
		if size == 1 {
			return cexpr{t: t, cl: clInt, i: func(f *frame) uint64 { return l(f) - r(f) }}
		}
		s := int64(size)
		return cexpr{t: t, cl: clInt, i: func(f *frame) uint64 { return uint64(int64(l(f)-r(f)) / s) }}
	case lp || rp:
		pn, in := ln, rn
		if rp {
			pn, in = rn, ln
		}
		size, dyn := fc.elemSizeOf(pn.Type(), n)
		p := fc.expr(pn).i
		ie := fc.convert(fc.expr(in), fc.u.ast.Long, n)
		if dyn != nil {
			i := ie.i
			if op == opSub {
				return cexpr{t: t, cl: clInt, i: func(f *frame) uint64 { return p(f) - i(f)*dyn(f) }}
			}
			return cexpr{t: t, cl: clInt, i: func(f *frame) uint64 { return p(f) + i(f)*dyn(f) }}
		}
		if op == opSub {
			size = -size
		}
		if ie.konst {
			d := ie.kv * size
			return cexpr{t: t, cl: clInt, i: func(f *frame) uint64 { return p(f) + d }}
		}
		i := ie.i
		if size == 1 {
			return cexpr{t: t, cl: clInt, i: func(f *frame) uint64 { return p(f) + i(f) }}
		}
		return cexpr{t: t, cl: clInt, i: func(f *frame) uint64 { return p(f) + i(f)*size }}
	}
	return fc.arith(n, op, ln, rn)
}

// cond compiles an expression used as a truth value.
func (fc *fnCompiler) cond(n cc.ExpressionNode) bexpr {
	switch x := n.(type) {
	case *cc.RelationalExpression:
		if x.Case != cc.RelationalExpressionShift {
			return fc.compare(opOf(x.Token.Ch), x.RelationalExpression, x.ShiftExpression)
		}
	case *cc.EqualityExpression:
		if x.Case != cc.EqualityExpressionRel {
			return fc.compare(opOf(x.Token.Ch), x.EqualityExpression, x.RelationalExpression)
		}
	case *cc.LogicalAndExpression:
		if x.Case == cc.LogicalAndExpressionLAnd {
			a, b := fc.cond(x.LogicalAndExpression), fc.cond(x.InclusiveOrExpression)
			return func(f *frame) bool { return a(f) && b(f) }
		}
	case *cc.LogicalOrExpression:
		if x.Case == cc.LogicalOrExpressionLOr {
			a, b := fc.cond(x.LogicalOrExpression), fc.cond(x.LogicalAndExpression)
			return func(f *frame) bool { return a(f) || b(f) }
		}
	case *cc.UnaryExpression:
		if x.Case == cc.UnaryExpressionNot {
			a := fc.cond(x.CastExpression)
			return func(f *frame) bool { return !a(f) }
		}
	case *cc.PrimaryExpression:
		if x.Case == cc.PrimaryExpressionExpr {
			return fc.cond(x.ExpressionList)
		}
	}
	e := fc.expr(n)
	switch {
	case e.konst && e.cl == clInt:
		v := e.kv != 0
		return func(*frame) bool { return v }
	case e.cl.isFloating():
		ef := e.f
		return func(f *frame) bool { return ef(f) != 0 }
	case e.cl == clInt:
		ei := e.i
		return func(f *frame) bool { return ei(f) != 0 }
	case e.cl == clAgg:
		fc.fail(n, "aggregate used as a truth value")
	}
	ei := e.i
	return func(f *frame) bool { return ei(f) != 0 }
}

func (fc *fnCompiler) compare(op int, ln, rn cc.ExpressionNode) bexpr {
	le, re := fc.expr(ln), fc.expr(rn)
	if le.cl.isFloating() || re.cl.isFloating() {
		l, r := fc.convert(le, fc.u.ast.Double, ln).f, fc.convert(re, fc.u.ast.Double, rn).f
		switch op {
		case opLt:
			return func(f *frame) bool { return l(f) < r(f) }
		case opGt:
			return func(f *frame) bool { return l(f) > r(f) }
		case opLe:
			return func(f *frame) bool { return l(f) <= r(f) }
		case opGe:
			return func(f *frame) bool { return l(f) >= r(f) }
		case opEq:
			return func(f *frame) bool { return l(f) == r(f) }
		}
		return func(f *frame) bool { return l(f) != r(f) }
	}
	if le.cl != clInt || re.cl != clInt {
		fc.fail(ln, "invalid comparison of %s and %s", le.t, re.t)
	}
	signed := false
	var l, r cexpr
	if isPtrish(le.t) || isPtrish(re.t) {
		l, r = le, re
	} else {
		ct := usualArith(scalarOf(le.t), scalarOf(re.t))
		ctt := fc.typeOfScalar(ct)
		l, r = fc.convert(le, ctt, ln), fc.convert(re, ctt, rn)
		signed = ct.signed
	}
	if signed {
		return cmpT[int64](op, l, r)
	}
	return cmpT[uint64](op, l, r)
}

func cmpT[T int64 | uint64](op int, le, re cexpr) bexpr {
	l, r := le.i, re.i
	if le.slot > 0 && re.konst {
		k, c := le.slot-1, T(re.kv)
		switch op {
		case opLt:
			return func(f *frame) bool { return T(f.slots[k]) < c }
		case opGt:
			return func(f *frame) bool { return T(f.slots[k]) > c }
		case opLe:
			return func(f *frame) bool { return T(f.slots[k]) <= c }
		case opGe:
			return func(f *frame) bool { return T(f.slots[k]) >= c }
		case opEq:
			return func(f *frame) bool { return T(f.slots[k]) == c }
		}
		return func(f *frame) bool { return T(f.slots[k]) != c }
	}
	if le.slot > 0 && re.slot > 0 {
		a, b := le.slot-1, re.slot-1
		switch op {
		case opLt:
			return func(f *frame) bool { return T(f.slots[a]) < T(f.slots[b]) }
		case opGt:
			return func(f *frame) bool { return T(f.slots[a]) > T(f.slots[b]) }
		case opLe:
			return func(f *frame) bool { return T(f.slots[a]) <= T(f.slots[b]) }
		case opGe:
			return func(f *frame) bool { return T(f.slots[a]) >= T(f.slots[b]) }
		case opEq:
			return func(f *frame) bool { return f.slots[a] == f.slots[b] }
		}
		return func(f *frame) bool { return f.slots[a] != f.slots[b] }
	}
	if re.konst {
		c := T(re.kv)
		switch op {
		case opLt:
			return func(f *frame) bool { return T(l(f)) < c }
		case opGt:
			return func(f *frame) bool { return T(l(f)) > c }
		case opLe:
			return func(f *frame) bool { return T(l(f)) <= c }
		case opGe:
			return func(f *frame) bool { return T(l(f)) >= c }
		case opEq:
			return func(f *frame) bool { return T(l(f)) == c }
		}
		return func(f *frame) bool { return T(l(f)) != c }
	}
	switch op {
	case opLt:
		return func(f *frame) bool { return T(l(f)) < T(r(f)) }
	case opGt:
		return func(f *frame) bool { return T(l(f)) > T(r(f)) }
	case opLe:
		return func(f *frame) bool { return T(l(f)) <= T(r(f)) }
	case opGe:
		return func(f *frame) bool { return T(l(f)) >= T(r(f)) }
	case opEq:
		return func(f *frame) bool { return l(f) == r(f) }
	}
	return func(f *frame) bool { return l(f) != r(f) }
}

func (fc *fnCompiler) conditional(n *cc.ConditionalExpression) cexpr {
	t := n.Type()
	cl := classOf(t)
	if n.ExpressionList == nil {
		return fc.elvis(n, t, cl)
	}
	c := fc.cond(n.LogicalOrExpression)
	a := fc.expr(n.ExpressionList)
	b := fc.expr(n.ConditionalExpression)
	if cl == clVoid {
		ai, bi := fc.convert(a, t, n).i, fc.convert(b, t, n).i
		return cexpr{t: t, cl: cl, i: func(f *frame) uint64 {
			if c(f) {
				return ai(f)
			}
			return bi(f)
		}}
	}
	if cl == clArray || cl == clFunc {
		t = t.Decay()
		cl = clInt
	}
	a, b = fc.convert(a, t, n), fc.convert(b, t, n)
	if cl.isFloating() {
		af, bf := a.f, b.f
		return cexpr{t: t, cl: cl, f: func(f *frame) float64 {
			if c(f) {
				return af(f)
			}
			return bf(f)
		}}
	}
	ai, bi := a.i, b.i
	return cexpr{t: t, cl: cl, i: func(f *frame) uint64 {
		if c(f) {
			return ai(f)
		}
		return bi(f)
	}}
}

// elvis compiles GNU a ?: b, which evaluates a once.
func (fc *fnCompiler) elvis(n *cc.ConditionalExpression, t cc.Type, cl class) cexpr {
	a := fc.expr(n.LogicalOrExpression)
	b := fc.expr(n.ConditionalExpression)
	if cl == clArray || cl == clFunc {
		t, cl = t.Decay(), clInt
	}
	if a.cl.isFloating() {
		af := a.f
		if cl.isFloating() {
			bf := fc.convert(b, t, n).f
			conv := fc.convert(cexpr{t: a.t, cl: a.cl, f: func(f *frame) float64 { return f.tmpF }}, t, n).f
			return cexpr{t: t, cl: cl, f: func(f *frame) float64 {
				if v := af(f); v != 0 {
					f.tmpF = v
					return conv(f)
				}
				return bf(f)
			}}
		}
		fc.fail(n, "unsupported ?: operands")
	}
	if cl.isFloating() {
		ai := a.i
		bf := fc.convert(b, t, n).f
		conv := fc.convert(cexpr{t: a.t, cl: a.cl, i: func(f *frame) uint64 { return f.tmpI }}, t, n).f
		return cexpr{t: t, cl: cl, f: func(f *frame) float64 {
			if v := ai(f); v != 0 {
				f.tmpI = v
				return conv(f)
			}
			return bf(f)
		}}
	}
	ai := a.i
	bi := fc.convert(b, t, n).i
	conv := fc.convert(cexpr{t: a.t, cl: a.cl, i: func(f *frame) uint64 { return f.tmpI }}, t, n).i
	return cexpr{t: t, cl: cl, i: func(f *frame) uint64 {
		if v := ai(f); v != 0 {
			f.tmpI = v
			return conv(f)
		}
		return bi(f)
	}}
}

// fastCompound compiles x op= r for a slot or a 4- or 8-byte memory
// variable whose type is the operation's type.
func fastCompound(lv lval, op int, sc scalar, r iexpr) iexpr {
	switch {
	case sc.size == 8 && sc.signed:
		return compoundT[int64](lv, op, r)
	case sc.size == 8:
		return compoundT[uint64](lv, op, r)
	case sc.size == 4 && sc.signed:
		return compoundT[int32](lv, op, r)
	case sc.size == 4:
		return compoundT[uint32](lv, op, r)
	}
	return nil
}

func compoundT[T word](lv lval, op int, r iexpr) iexpr {
	mask := bitsOf[T]() - 1
	var apply func(a T, b uint64) T
	switch op {
	case opAdd:
		apply = func(a T, b uint64) T { return a + T(b) }
	case opSub:
		apply = func(a T, b uint64) T { return a - T(b) }
	case opMul:
		apply = func(a T, b uint64) T { return a * T(b) }
	case opAnd:
		apply = func(a T, b uint64) T { return a & T(b) }
	case opOr:
		apply = func(a T, b uint64) T { return a | T(b) }
	case opXor:
		apply = func(a T, b uint64) T { return a ^ T(b) }
	case opShl:
		apply = func(a T, b uint64) T { return a << (b & mask) }
	case opShr:
		apply = func(a T, b uint64) T { return a >> (b & mask) }
	default:
		return nil
	}
	if lv.slot >= 0 {
		k := lv.slot
		switch op {
		case opAdd:
			return func(f *frame) uint64 {
				b := r(f)
				x := uint64(T(f.slots[k]) + T(b))
				f.slots[k] = x
				return x
			}
		case opSub:
			return func(f *frame) uint64 {
				b := r(f)
				x := uint64(T(f.slots[k]) - T(b))
				f.slots[k] = x
				return x
			}
		case opMul:
			return func(f *frame) uint64 {
				b := r(f)
				x := uint64(T(f.slots[k]) * T(b))
				f.slots[k] = x
				return x
			}
		case opXor:
			return func(f *frame) uint64 {
				b := r(f)
				x := uint64(T(f.slots[k]) ^ T(b))
				f.slots[k] = x
				return x
			}
		case opShr:
			return func(f *frame) uint64 {
				b := r(f)
				x := uint64(T(f.slots[k]) >> (b & mask))
				f.slots[k] = x
				return x
			}
		case opShl:
			return func(f *frame) uint64 {
				b := r(f)
				x := uint64(T(f.slots[k]) << (b & mask))
				f.slots[k] = x
				return x
			}
		}
		return func(f *frame) uint64 {
			b := r(f)
			x := uint64(apply(T(f.slots[k]), b))
			f.slots[k] = x
			return x
		}
	}
	addr := lv.addr
	if bitsOf[T]() == 64 {
		return func(f *frame) uint64 {
			b := r(f)
			a := addr(f)
			x := uint64(apply(T(f.m.ld64(a)), b))
			f.m.st64(a, x)
			return x
		}
	}
	return func(f *frame) uint64 {
		b := r(f)
		a := addr(f)
		x := uint64(apply(T(f.m.ld32(a)), b))
		f.m.st32(a, uint32(x))
		return x
	}
}

func compoundOp(c cc.AssignmentExpressionCase) int {
	switch c {
	case cc.AssignmentExpressionMul:
		return opMul
	case cc.AssignmentExpressionDiv:
		return opDiv
	case cc.AssignmentExpressionMod:
		return opMod
	case cc.AssignmentExpressionAdd:
		return opAdd
	case cc.AssignmentExpressionSub:
		return opSub
	case cc.AssignmentExpressionLsh:
		return opShl
	case cc.AssignmentExpressionRsh:
		return opShr
	case cc.AssignmentExpressionAnd:
		return opAnd
	case cc.AssignmentExpressionXor:
		return opXor
	case cc.AssignmentExpressionOr:
		return opOr
	}
	return 0
}

func (fc *fnCompiler) assignment(n *cc.AssignmentExpression) cexpr {
	if n.Case == cc.AssignmentExpressionCond {
		return fc.expr(n.ConditionalExpression)
	}
	lv := fc.lvalue(n.UnaryExpression)
	re := fc.expr(n.AssignmentExpression)
	if n.Case == cc.AssignmentExpressionAssign {
		return fc.assign(lv, re, n)
	}
	return fc.compoundAssign(lv, compoundOp(n.Case), re, n)
}

// assign compiles a simple assignment; its value is the stored value.
func (fc *fnCompiler) assign(lv lval, re cexpr, n cc.Node) cexpr {
	t := lv.t
	if lv.cl == clAgg {
		if re.cl != clAgg {
			fc.fail(n, "assignment of %s to %s", re.t, t)
		}
		dst, src, size := lv.addr, re.i, uint64(t.Size())
		return cexpr{t: t, cl: clAgg, i: func(f *frame) uint64 {
			s := src(f)
			d := dst(f)
			f.m.move(d, s, size)
			return d
		}}
	}
	v := fc.convert(re, t, n)
	if lv.cl.isFloating() {
		vf := v.f
		if lv.slot >= 0 {
			k := lv.slot
			return cexpr{t: t, cl: lv.cl, f: func(f *frame) float64 {
				x := vf(f)
				f.slots[k] = math.Float64bits(x)
				return x
			}}
		}
		addr := lv.addr
		if lv.cl == clFloat {
			return cexpr{t: t, cl: lv.cl, f: func(f *frame) float64 {
				x := vf(f)
				f.m.st32(addr(f), math.Float32bits(float32(x)))
				return x
			}}
		}
		return cexpr{t: t, cl: lv.cl, f: func(f *frame) float64 {
			x := vf(f)
			f.m.st64(addr(f), math.Float64bits(x))
			return x
		}}
	}
	if lv.cl != clInt {
		fc.fail(n, "assignment to %s", t)
	}
	vi := v.i
	if lv.slot >= 0 {
		k := lv.slot
		return cexpr{t: t, cl: clInt, i: func(f *frame) uint64 {
			x := vi(f)
			f.slots[k] = x
			return x
		}}
	}
	addr := lv.addr
	if lv.bf != nil {
		set := bitfieldSet(fc.u.bitfield(lv.bf), scalarOf(t))
		return cexpr{t: t, cl: clInt, i: func(f *frame) uint64 {
			x := vi(f)
			return set(f.m, addr(f), x)
		}}
	}
	switch scalarOf(t).size {
	case 8:
		return cexpr{t: t, cl: clInt, i: func(f *frame) uint64 { x := vi(f); f.m.st64(addr(f), x); return x }}
	case 4:
		return cexpr{t: t, cl: clInt, i: func(f *frame) uint64 { x := vi(f); f.m.st32(addr(f), uint32(x)); return x }}
	case 2:
		return cexpr{t: t, cl: clInt, i: func(f *frame) uint64 { x := vi(f); f.m.st16(addr(f), uint16(x)); return x }}
	}
	return cexpr{t: t, cl: clInt, i: func(f *frame) uint64 { x := vi(f); f.m.st8(addr(f), uint8(x)); return x }}
}

func (fc *fnCompiler) compoundAssign(lv lval, op int, re cexpr, n cc.Node) cexpr {
	t := lv.t
	ref, get, set := fc.rawAccess(lv)
	switch {
	case lv.cl.isFloating() || (lv.cl == clInt && re.cl.isFloating()):
		// Computed in the common floating type, then converted back.
		single := (lv.cl == clFloat || lv.cl == clInt) && (re.cl == clFloat || re.cl == clInt)
		fn := floatBinfn(op, single)
		if fn == nil {
			fc.fail(n, "invalid floating compound assignment")
		}
		r := fc.convert(re, fc.u.ast.Double, n).f
		toF := func(v uint64) float64 { return math.Float64frombits(v) }
		fromF := func(f *frame, x float64) uint64 { return math.Float64bits(x) }
		if lv.cl == clInt {
			sc := scalarOf(t)
			toF = func(v uint64) float64 {
				if sc.signed {
					return float64(int64(v))
				}
				return float64(v)
			}
			fromF = func(f *frame, x float64) uint64 {
				if !sc.signed && sc.size == 8 {
					return f2u64(x)
				}
				return sc.normalize(uint64(f2i64(x)))
			}
		} else if lv.cl == clFloat {
			fromF = func(f *frame, x float64) uint64 { return math.Float64bits(float64(float32(x))) }
		}
		if lv.cl == clInt {
			return cexpr{t: t, cl: clInt, i: func(f *frame) uint64 {
				a := ref(f)
				rv := r(f)
				return set(f, a, fromF(f, fn(toF(get(f, a)), rv)))
			}}
		}
		return cexpr{t: t, cl: lv.cl, f: func(f *frame) float64 {
			a := ref(f)
			rv := r(f)
			return math.Float64frombits(set(f, a, fromF(f, fn(toF(get(f, a)), rv))))
		}}
	case lv.cl == clInt && t.Kind() == cc.Ptr && (op == opAdd || op == opSub):
		size := uint64(elemSize(t))
		if op == opSub {
			size = -size
		}
		r := fc.convert(re, fc.u.ast.Long, n).i
		return cexpr{t: t, cl: clInt, i: func(f *frame) uint64 {
			a := ref(f)
			d := r(f) * size
			return set(f, a, get(f, a)+d)
		}}
	case lv.cl == clInt && re.cl == clInt:
		lsc := scalarOf(t)
		var ct scalar
		var r iexpr
		if op == opShl || op == opShr {
			ct = lsc.promote()
			r = fc.convert(re, fc.promotedType(re.t), n).i
		} else {
			ct = usualArith(lsc, scalarOf(re.t))
			r = fc.convert(re, fc.typeOfScalar(ct), n).i
		}
		fn := intBinfn(op, ct)
		checked := false
		if !fc.lk.img.opts.Wrapv {
			if cf := checkedIntBinfn(op, ct); cf != nil {
				fn, checked = cf, true
			}
		}
		if lv.bf == nil && ct == lsc && op != opDiv && op != opMod && !checked {
			// The common case: the operation is done in the variable's own
			// type (int += int, long -= long, unsigned <<= n...).
			if e := fastCompound(lv, op, ct, r); e != nil {
				return cexpr{t: t, cl: clInt, i: e}
			}
		}
		return cexpr{t: t, cl: clInt, i: func(f *frame) uint64 {
			a := ref(f)
			rv := r(f)
			old := ct.normalize(get(f, a))
			return set(f, a, lsc.normalize(fn(f, old, rv)))
		}}
	}
	fc.fail(n, "invalid compound assignment to %s", t)
	return cexpr{}
}
