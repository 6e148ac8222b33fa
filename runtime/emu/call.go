package emu

import (
	"math"

	"modernc.org/cc/v4"
)

// call compiles a function call. Arguments are evaluated into the callee's
// frame; the callee is entered by CPU.invoke.
func (fc *fnCompiler) call(n *cc.PostfixExpression) cexpr {
	callee := n.PostfixExpression
	var args []cc.ExpressionNode
	for l := n.ArgumentExpressionList; l != nil; l = l.ArgumentExpressionList {
		args = append(args, l.AssignmentExpression)
	}
	if p, ok := callee.(*cc.PrimaryExpression); ok && p.Case == cc.PrimaryExpressionIdent {
		if e, ok := fc.special(p.Token.SrcStr(), n, args); ok {
			return e
		}
	}
	ft := funcType(callee.Type())
	if ft == nil {
		fc.fail(n, "call of a non-function")
	}
	var params []*cc.Parameter
	for _, p := range ft.Parameters() {
		if p.Type() != nil && p.Type().Kind() != cc.Void {
			params = append(params, p)
		}
	}
	if len(args) < len(params) {
		fc.fail(n, "too few arguments in call")
	}
	if len(args) > len(params) && !ft.IsVariadic() && len(params) > 0 {
		fc.fail(n, "too many arguments in call")
	}
	argv := make([]iexpr, len(args))
	var varSizes []uint64 // sizes of aggregates passed as variadic arguments
	for i, a := range args {
		e := fc.expr(a)
		if i < len(params) {
			e = fc.convert(e, params[i].Type(), a)
		} else {
			// Default argument promotions.
			switch e.cl {
			case clFloat:
				e = fc.convert(e, fc.u.ast.Double, a)
			case clInt:
				e = fc.convert(e, fc.promotedType(e.t), a)
			case clAgg:
				if varSizes == nil {
					varSizes = make([]uint64, len(args)-len(params))
				}
				varSizes[i-len(params)] = uint64(e.t.Size())
			}
		}
		argv[i] = fc.bits(e)
	}
	nargs := len(args)
	rt := ft.Result()
	rcl := classOf(rt)
	var sret iexpr
	if rcl == clAgg {
		sret = fc.temp(uint64(rt.Size()), uint64(max(rt.Align(), 1)))
	}
	var target func(f *frame) *Func
	if p, ok := callee.(*cc.PrimaryExpression); ok && p.Case == cc.PrimaryExpressionIdent {
		if d, ok := p.ResolvedTo().(*cc.Declarator); ok && fc.locals[d] == nil && d.Type() != nil && d.Type().Kind() == cc.Function {
			fn := fc.funcRef(d, p)
			target = func(*frame) *Func { return fn }
		}
	}
	if target == nil {
		pv := fc.expr(callee).i
		target = func(f *frame) *Func { return f.m.funcAt(f, pv(f)) }
	}
	p := fc.posIndex(n)
	call := func(f *frame) uint64 {
		fn := target(f)
		c := f.cpu
		nf := c.reserve()
		if cap(nf.argv) < nargs {
			nf.argv = make([]uint64, nargs+4)
		}
		av := nf.argv[:nargs]
		// Right to left, as gcc does on x86-64: the order is unspecified,
		// but programs that depend on it then print what gcc's would.
		for i := len(argv) - 1; i >= 0; i-- {
			av[i] = argv[i](f)
		}
		if sret != nil {
			nf.sret = sret(f)
		}
		nf.varSizes = varSizes
		f.pos = p
		return c.invoke(f, nf, fn, nargs)
	}
	call = fc.hookCall(n, p, call) // the typed heap's allocation sites (typedsites.go)
	switch rcl {
	case clFloat, clDouble:
		return cexpr{t: rt, cl: rcl, f: func(f *frame) float64 { return math.Float64frombits(call(f)) }}
	case clVoid, clInt, clAgg:
		return cexpr{t: rt, cl: rcl, i: call}
	}
	fc.fail(n, "unsupported result type %s", rt)
	return cexpr{}
}
