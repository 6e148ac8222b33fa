package emu

import (
	"math/big"
	"math/bits"
	"strings"

	"modernc.org/cc/v4"
)

// Type-generic builtins (GCC's __sync_*, __atomic_*, __builtin_*_overflow,
// __builtin_choose_expr...) cannot be declared in C: calls to them are
// compiled here, from the types of their arguments. Atomicity is free: only
// one emulated CPU runs at a time and a builtin is never preempted.

// special compiles a call of a type-generic builtin; ok is false when name
// is not one.
func (fc *fnCompiler) special(name string, n *cc.PostfixExpression, args []cc.ExpressionNode) (cexpr, bool) {
	t := n.Type()
	switch name {
	case "__builtin_choose_expr":
		if len(args) != 3 {
			fc.fail(n, "__builtin_choose_expr needs three arguments")
		}
		if fc.constInt(args[0]) != 0 {
			return fc.expr(args[1]), true
		}
		return fc.expr(args[2]), true
	case "__builtin_constant_p", "__ccgo__types_compatible_p":
		v := uint64(0)
		switch x := n.Value().(type) {
		case cc.Int64Value:
			v = uint64(x)
		case cc.UInt64Value:
			v = uint64(x)
		}
		return intConst(fc.u.ast.Int, v), true
	case "__builtin_add_overflow", "__builtin_sub_overflow", "__builtin_mul_overflow":
		return fc.overflowOp(name, n, args), true
	case "__sync_synchronize", "__atomic_thread_fence", "__atomic_signal_fence":
		var effects []func(*frame)
		for _, a := range args {
			effects = append(effects, fc.effect(a))
		}
		return cexpr{t: fc.u.ast.Void, cl: clVoid, i: func(f *frame) uint64 {
			for _, e := range effects {
				e(f)
			}
			return 0
		}}, true
	}
	if !strings.HasPrefix(name, "__sync_") && !strings.HasPrefix(name, "__atomic_") {
		return cexpr{}, false
	}
	if len(args) == 0 {
		fc.fail(n, "%s needs a pointer argument", name)
	}
	pt := pointee(args[0].Type())
	if pt == nil || classOf(pt) != clInt {
		fc.fail(n, "%s needs a pointer to an integer or pointer", name)
	}
	sc := scalarOf(pt)
	ptr := fc.expr(args[0]).i
	ld, st := memAccess(sc)
	val := func(i int) iexpr {
		if i >= len(args) {
			fc.fail(n, "%s: too few arguments", name)
		}
		return fc.convert(fc.expr(args[i]), pt, args[i]).i
	}
	_ = t
	rmw := func(op int, returnNew bool) (cexpr, bool) {
		v := val(1)
		fn := intBinfn(op, sc.promote())
		if sc.size == 8 {
			fn = intBinfn(op, scalar{size: 8, signed: sc.signed})
		}
		if op == -1 { // nand
			fn = func(f *frame, a, b uint64) uint64 { return ^(a & b) }
		}
		return cexpr{t: pt, cl: clInt, i: func(f *frame) uint64 {
			a := ptr(f)
			b := v(f)
			old := ld(f.m, a)
			nv := sc.normalize(fn(f, old, b))
			st(f.m, a, nv)
			if returnNew {
				return nv
			}
			return old
		}}, true
	}
	ops := map[string]int{"add": opAdd, "sub": opSub, "and": opAnd, "or": opOr, "xor": opXor, "nand": -1}
	for word, op := range ops {
		switch name {
		case "__sync_fetch_and_" + word, "__atomic_fetch_" + word:
			return rmw(op, false)
		case "__sync_" + word + "_and_fetch", "__atomic_" + word + "_fetch":
			return rmw(op, true)
		}
	}
	boolT := fc.u.ast.Int
	switch name {
	case "__atomic_load_n", "__atomic_load":
		if name == "__atomic_load" {
			out := fc.expr(args[1]).i
			return cexpr{t: fc.u.ast.Void, cl: clVoid, i: func(f *frame) uint64 {
				a := ptr(f)
				st(f.m, out(f), ld(f.m, a))
				return 0
			}}, true
		}
		return cexpr{t: pt, cl: clInt, i: func(f *frame) uint64 { return ld(f.m, ptr(f)) }}, true
	case "__atomic_store_n", "__sync_lock_release":
		var v iexpr
		if name == "__sync_lock_release" {
			v = func(*frame) uint64 { return 0 }
		} else {
			v = val(1)
		}
		return cexpr{t: fc.u.ast.Void, cl: clVoid, i: func(f *frame) uint64 {
			a := ptr(f)
			st(f.m, a, v(f))
			return 0
		}}, true
	case "__atomic_exchange_n", "__sync_lock_test_and_set":
		v := val(1)
		return cexpr{t: pt, cl: clInt, i: func(f *frame) uint64 {
			a := ptr(f)
			b := v(f)
			old := ld(f.m, a)
			st(f.m, a, b)
			return old
		}}, true
	case "__sync_val_compare_and_swap", "__sync_bool_compare_and_swap":
		oldv, newv := val(1), val(2)
		isBool := strings.Contains(name, "bool")
		rt := pt
		if isBool {
			rt = boolT
		}
		return cexpr{t: rt, cl: clInt, i: func(f *frame) uint64 {
			a := ptr(f)
			o, nv := oldv(f), newv(f)
			cur := ld(f.m, a)
			ok := cur == o
			if ok {
				st(f.m, a, nv)
			}
			if isBool {
				return boolv(ok)
			}
			return cur
		}}, true
	case "__atomic_compare_exchange_n":
		if len(args) < 3 {
			fc.fail(n, "%s: too few arguments", name)
		}
		expected := fc.expr(args[1]).i
		desired := val(2)
		var effects []func(*frame)
		for _, a := range args[3:] {
			effects = append(effects, fc.effect(a))
		}
		return cexpr{t: boolT, cl: clInt, i: func(f *frame) uint64 {
			a := ptr(f)
			e := expected(f)
			d := desired(f)
			for _, x := range effects {
				x(f)
			}
			cur := ld(f.m, a)
			if cur == ld(f.m, e) {
				st(f.m, a, d)
				return 1
			}
			st(f.m, e, cur)
			return 0
		}}, true
	}
	fc.fail(n, "unsupported builtin %s", name)
	return cexpr{}, false
}

// overflowOp compiles __builtin_{add,sub,mul}_overflow(a, b, &r): the exact
// result is stored truncated to r's type, and the call says whether it
// did not fit.
func (fc *fnCompiler) overflowOp(name string, n *cc.PostfixExpression, args []cc.ExpressionNode) cexpr {
	if len(args) != 3 {
		fc.fail(n, "%s needs three arguments", name)
	}
	rt := pointee(args[2].Type())
	if rt == nil || classOf(rt) != clInt {
		fc.fail(n, "%s: the third argument must point to an integer", name)
	}
	a, b := fc.expr(args[0]), fc.expr(args[1])
	if a.cl != clInt || b.cl != clInt {
		fc.fail(n, "%s needs integer operands", name)
	}
	as, bs, rs := scalarOf(a.t), scalarOf(b.t), scalarOf(rt)
	ai, bi, res := a.i, b.i, fc.expr(args[2]).i
	_, st := memAccess(rs)
	op := name[len("__builtin_") : len(name)-len("_overflow")]
	toBig := func(v uint64, s scalar) *big.Int {
		if s.signed {
			return big.NewInt(int64(v))
		}
		return new(big.Int).SetUint64(v)
	}
	lo, hi := rangeOf(rs)
	return cexpr{t: fc.u.ast.Int, cl: clInt, i: func(f *frame) uint64 {
		x, y := toBig(ai(f), as), toBig(bi(f), bs)
		var z big.Int
		switch op {
		case "add":
			z.Add(x, y)
		case "sub":
			z.Sub(x, y)
		default:
			z.Mul(x, y)
		}
		// The low 64 bits of the exact result, two's complement.
		var low uint64
		m := new(big.Int).And(&z, new(big.Int).SetUint64(^uint64(0)))
		low = m.Uint64()
		st(f.m, res(f), rs.normalize(low))
		return boolv(z.Cmp(lo) < 0 || z.Cmp(hi) > 0)
	}}
}

// rangeOf returns the smallest and largest value of an integer scalar.
func rangeOf(s scalar) (*big.Int, *big.Int) {
	n := uint(s.size * 8)
	if s.isBool {
		return big.NewInt(0), big.NewInt(1)
	}
	if s.signed {
		hi := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), n-1), big.NewInt(1))
		return new(big.Int).Neg(new(big.Int).Lsh(big.NewInt(1), n-1)), hi
	}
	return big.NewInt(0), new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), n), big.NewInt(1))
}

var _ = bits.Len
