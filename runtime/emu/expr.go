package emu

import (
	"math"
	"math/big"
	"strings"

	"modernc.org/cc/v4"
)

// cexpr is a compiled rvalue. Integer-class values (and the addresses of
// aggregates) come from i, floating values from f.
type cexpr struct {
	t     cc.Type
	cl    class
	i     iexpr
	f     fexpr
	konst bool // i or f always returns kv / kf
	kv    uint64
	kf    float64
	// slot is k+1 when i just reads Go slot k (lets operators fuse the read)
	slot int
}

func intConst(t cc.Type, v uint64) cexpr {
	return cexpr{t: t, cl: clInt, konst: true, kv: v, i: func(*frame) uint64 { return v }}
}

func floatConst(t cc.Type, cl class, v float64) cexpr {
	if cl == clFloat {
		v = float64(float32(v))
	}
	return cexpr{t: t, cl: cl, konst: true, kf: v, f: func(*frame) float64 { return v }}
}

// lval is a compiled lvalue: a Go slot, or memory at an address.
type lval struct {
	t    cc.Type
	cl   class
	slot int   // >= 0: a slot
	addr iexpr // memory address otherwise
	bf   *cc.Field
}

// expr compiles an rvalue: arrays decay to pointers, functions to their
// addresses.
func (fc *fnCompiler) expr(n cc.ExpressionNode) cexpr {
	t := n.Type()
	cl := classOf(t)
	// Constant expressions cc/v4 already evaluated. cc/v4 also records the
	// value of side-effecting expressions such as x = 5, hence Pure.
	pure := n.Pure() && !fc.layoutConst(n)
	if u, ok := n.(*cc.UnaryExpression); ok && (u.Case == cc.UnaryExpressionSizeofExpr || u.Case == cc.UnaryExpressionSizeofType || u.Case == cc.UnaryExpressionLabelAddr) {
		return fc.unary(u)
	}
	switch cl {
	case clInt:
		if !pure {
			break
		}
		switch v := n.Value().(type) {
		case cc.Int64Value:
			return intConst(t, scalarOf(t).normalize(uint64(v)))
		case cc.UInt64Value:
			return intConst(t, scalarOf(t).normalize(uint64(v)))
		}
	case clFloat, clDouble:
		if !pure {
			break
		}
		switch v := n.Value().(type) {
		case cc.Float64Value:
			return floatConst(t, cl, float64(v))
		case *cc.LongDoubleValue:
			f, _ := (*big.Float)(v).Float64()
			return floatConst(t, cl, f)
		case cc.Int64Value:
			return floatConst(t, cl, float64(v))
		case cc.UInt64Value:
			return floatConst(t, cl, float64(v))
		}
	case clInvalid:
		fc.fail(n, "unsupported type %s", t)
	}
	switch x := n.(type) {
	case *cc.PrimaryExpression:
		return fc.primary(x)
	case *cc.PostfixExpression:
		return fc.postfix(x)
	case *cc.UnaryExpression:
		return fc.unary(x)
	case *cc.CastExpression:
		if x.Case == cc.CastExpressionUnary {
			return fc.expr(x.UnaryExpression)
		}
		return fc.convert(fc.expr(x.CastExpression), t, x)
	case *cc.MultiplicativeExpression:
		return fc.arith(x, opOf(x.Token.Ch), x.MultiplicativeExpression, x.CastExpression)
	case *cc.AdditiveExpression:
		return fc.additive(x)
	case *cc.ShiftExpression:
		return fc.arith(x, opOf(x.Token.Ch), x.ShiftExpression, x.AdditiveExpression)
	case *cc.AndExpression:
		return fc.arith(x, opAnd, x.AndExpression, x.EqualityExpression)
	case *cc.ExclusiveOrExpression:
		return fc.arith(x, opXor, x.ExclusiveOrExpression, x.AndExpression)
	case *cc.InclusiveOrExpression:
		return fc.arith(x, opOr, x.InclusiveOrExpression, x.ExclusiveOrExpression)
	case *cc.RelationalExpression, *cc.EqualityExpression, *cc.LogicalAndExpression, *cc.LogicalOrExpression:
		b := fc.cond(n)
		return cexpr{t: t, cl: clInt, i: func(f *frame) uint64 {
			if b(f) {
				return 1
			}
			return 0
		}}
	case *cc.ConditionalExpression:
		return fc.conditional(x)
	case *cc.AssignmentExpression:
		return fc.assignment(x)
	case *cc.ExpressionList:
		return fc.comma(x)
	}
	fc.fail(n, "unsupported expression %T", n)
	return cexpr{}
}

func (fc *fnCompiler) comma(n *cc.ExpressionList) cexpr {
	var list []cc.ExpressionNode
	for l := n; l != nil; l = l.ExpressionList {
		list = append(list, l.AssignmentExpression)
	}
	if len(list) == 1 {
		return fc.expr(list[0])
	}
	var effects []func(*frame)
	for _, e := range list[:len(list)-1] {
		effects = append(effects, fc.effect(e))
	}
	last := fc.expr(list[len(list)-1])
	out := last
	out.konst = false
	if last.cl.isFloating() {
		lf := last.f
		out.f = func(f *frame) float64 {
			for _, e := range effects {
				e(f)
			}
			return lf(f)
		}
		return out
	}
	li := last.i
	out.i = func(f *frame) uint64 {
		for _, e := range effects {
			e(f)
		}
		return li(f)
	}
	return out
}

// ---- primary expressions ---------------------------------------------------

func (fc *fnCompiler) primary(n *cc.PrimaryExpression) cexpr {
	switch n.Case {
	case cc.PrimaryExpressionIdent:
		switch d := n.ResolvedTo().(type) {
		case *cc.Declarator:
			if d.Type() != nil && d.Type().Kind() == cc.Function && fc.locals[d] == nil {
				fn := fc.funcRef(d, n)
				a := fn.addr()
				return cexpr{t: d.Type().Decay(), cl: clInt, i: func(*frame) uint64 { return a }}
			}
			return fc.load(fc.identLval(d, n))
		case *cc.Enumerator:
			return fc.expr(d.ConstantExpression)
		}
		fc.fail(n, "undefined identifier %s", n.Token.SrcStr())
	case cc.PrimaryExpressionString, cc.PrimaryExpressionLString:
		a := fc.stringLit(n)
		return cexpr{t: n.Type().Decay(), cl: clInt, i: func(*frame) uint64 { return a }}
	case cc.PrimaryExpressionExpr:
		return fc.expr(n.ExpressionList)
	case cc.PrimaryExpressionStmt:
		return fc.stmtExpr(n)
	case cc.PrimaryExpressionGeneric:
		if e, ok := fc.genericByQualifiers(n.GenericSelection); ok {
			return e
		}
		if a := n.GenericSelection.Associated(); a != nil {
			return fc.expr(a.AssignmentExpression)
		}
	}
	fc.fail(n, "unsupported primary expression %v", n.Case)
	return cexpr{}
}

// genericByQualifiers corrects cc/v4's _Generic selection, which ignores
// the qualifiers of a pointee (selecting "char *" for a const char *) and
// leaves the other associations unchecked. When an association spells the
// controlling type exactly and its expression is a string literal — the
// usual type-name macro — that one is compiled instead.
func (fc *fnCompiler) genericByQualifiers(g *cc.GenericSelection) (cexpr, bool) {
	ct := g.AssignmentExpression.Type()
	chosen := g.Associated()
	if ct == nil || chosen == nil || ct.Decay().Kind() != cc.Ptr {
		return cexpr{}, false
	}
	want := noSpace(cSpelling(ct.Decay()))
	for l := g.GenericAssociationList; l != nil; l = l.GenericAssociationList {
		a := l.GenericAssociation
		if a == nil || a == chosen || a.Case != cc.GenericAssociationType || a.TypeName == nil {
			continue
		}
		if noSpace(cc.NodeSource(a.TypeName)) != want || noSpace(cc.NodeSource(chosen.TypeName)) == want {
			continue
		}
		lit, ok := a.AssignmentExpression.(*cc.PrimaryExpression)
		if !ok || lit.Case != cc.PrimaryExpressionString {
			return cexpr{}, false
		}
		data, ok := decodeCString(lit.Token.SrcStr())
		if !ok {
			return cexpr{}, false
		}
		addr := fc.lk.internString(append(data, 0))
		return cexpr{t: fc.u.ast.Char.Pointer(), cl: clInt, i: func(*frame) uint64 { return addr }}, true
	}
	return cexpr{}, false
}

// cSpelling spells a pointer type as C does ("const char *").
func cSpelling(t cc.Type) string {
	if p, ok := t.(*cc.PointerType); ok {
		return cSpelling(p.Elem()) + "*"
	}
	return t.String()
}

func noSpace(s string) string { return strings.Join(strings.Fields(s), "") }

// decodeCString decodes a plain C string literal token.
func decodeCString(src string) ([]byte, bool) {
	if len(src) < 2 || src[0] != '"' || src[len(src)-1] != '"' {
		return nil, false
	}
	src = src[1 : len(src)-1]
	var out []byte
	for i := 0; i < len(src); i++ {
		c := src[i]
		if c != '\\' {
			out = append(out, c)
			continue
		}
		if i++; i >= len(src) {
			return nil, false
		}
		switch c = src[i]; c {
		case 'n':
			out = append(out, '\n')
		case 't':
			out = append(out, '\t')
		case 'r':
			out = append(out, '\r')
		case 'a':
			out = append(out, 7)
		case 'b':
			out = append(out, 8)
		case 'f':
			out = append(out, 12)
		case 'v':
			out = append(out, 11)
		case '\\', '\'', '"', '?':
			out = append(out, c)
		default:
			return nil, false
		}
	}
	return out, true
}

// stringLit interns a string literal in static storage and returns its
// address.
func (fc *fnCompiler) stringLit(n *cc.PrimaryExpression) uint64 {
	var data []byte
	switch v := n.Value().(type) {
	case cc.StringValue:
		data = []byte(string(v))
		// cc/v4 strips only one character of a u8"..." prefix.
		if strings.HasPrefix(n.Token.SrcStr(), `u8"`) && strings.HasPrefix(string(data), `8"`) {
			data = data[2:]
		}
	case cc.UTF32StringValue:
		for _, r := range v {
			data = append(data, byte(r), byte(r>>8), byte(r>>16), byte(r>>24))
		}
	case cc.UTF16StringValue:
		for _, r := range v {
			data = append(data, byte(r), byte(r>>8))
		}
	default:
		fc.fail(n, "unsupported string literal")
	}
	if size := n.Type().Size(); size > int64(len(data)) {
		data = append(data, make([]byte, size-int64(len(data)))...)
	}
	return fc.lk.internString(data)
}

// internString places bytes in static storage once per distinct content.
func (lk *linker) internString(data []byte) uint64 {
	key := string(data)
	if a, ok := lk.img.strs[key]; ok {
		return a
	}
	a := lk.alloc(uint64(max(len(data), 1)), 1)
	lk.img.strs[key] = a
	lk.img.readOnly = append(lk.img.readOnly, [2]uint64{a, uint64(max(len(data), 1))})
	b := append([]byte(nil), data...)
	lk.img.inits = append(lk.img.inits, dataInit{name: "string", run: func(f *frame) {
		copy(f.m.span(a, uint64(len(b)), "store"), b)
	}})
	return a
}

// stmtExpr compiles a GNU statement expression ({ ...; value; }).
func (fc *fnCompiler) stmtExpr(n *cc.PrimaryExpression) cexpr {
	var items []cstmt
	var last cc.ExpressionNode
	for l := n.CompoundStatement.BlockItemList; l != nil; l = l.BlockItemList {
		bi := l.BlockItem
		if l.BlockItemList == nil && bi.Case == cc.BlockItemStmt && bi.Statement.Case == cc.StatementExpr &&
			bi.Statement.ExpressionStatement.ExpressionList != nil {
			last = bi.Statement.ExpressionStatement.ExpressionList
			break
		}
		switch bi.Case {
		case cc.BlockItemDecl:
			items = append(items, fc.declaration(bi.Declaration)...)
		case cc.BlockItemStmt:
			items = append(items, fc.statement(bi.Statement))
		}
	}
	body := seq(items)
	if body.labels != nil {
		fc.fail(n, "labels inside statement expressions are not supported")
	}
	run := body.run
	if last == nil {
		return cexpr{t: n.Type(), cl: clVoid, i: func(f *frame) uint64 { run(f); return 0 }}
	}
	v := fc.expr(last)
	out := v
	out.konst = false
	if v.cl.isFloating() {
		vf := v.f
		out.f = func(f *frame) float64 { run(f); return vf(f) }
	} else {
		vi := v.i
		out.i = func(f *frame) uint64 { run(f); return vi(f) }
	}
	return out
}

// funcRef returns the Func a function declarator names.
func (fc *fnCompiler) funcRef(d *cc.Declarator, use cc.Node) *Func {
	key := symKey(fc.u, d)
	s := fc.lk.symbol(key, d.Name())
	if s.fn == nil {
		if s.global != nil {
			fc.fail(use, "%s is not a function", d.Name())
		}
		ft, _ := d.Type().(*cc.FunctionType)
		s.fn = fc.lk.newFunc(d.Name(), d.Position(), ft)
	}
	if _, ok := fc.lk.used[key]; !ok {
		fc.lk.used[key] = use.Position()
	}
	return s.fn
}

// identLval resolves a variable.
func (fc *fnCompiler) identLval(d *cc.Declarator, use cc.Node) lval {
	if l := fc.locals[d]; l != nil {
		if l.vla > 0 {
			k := l.vla - 1
			return lval{t: l.t, cl: clArray, slot: -1, addr: func(f *frame) uint64 { return f.slots[k] }}
		}
		if l.slot >= 0 {
			return lval{t: l.t, cl: l.cl, slot: l.slot}
		}
		off := l.off
		return lval{t: l.t, cl: l.cl, slot: -1, addr: func(f *frame) uint64 { return f.base + off }}
	}
	var g *global
	if s := fc.lk.localStatics[d]; s != nil {
		g = s
	} else {
		key := symKey(fc.u, d)
		s := fc.lk.lookup(key)
		if s == nil || s.global == nil {
			if s != nil && s.fn != nil {
				fc.fail(use, "%s is a function", d.Name())
			}
			v, ok := builtinVars[d.Name()]
			if !ok || d.Linkage() != cc.External {
				fc.fail(use, "undefined reference to %s", d.Name())
			}
			s = fc.lk.symbol(key, d.Name())
			s.defined = true
			s.global = &global{name: d.Name(), size: 8, t: d.Type()}
			s.global.addr = fc.lk.alloc(8, 8)
			a := s.global.addr
			fc.lk.img.inits = append(fc.lk.img.inits, dataInit{name: d.Name(), run: func(f *frame) { f.m.st64(a, v) }})
		}
		g = s.global
	}
	a := g.addr
	t := d.Type()
	if t.Kind() == cc.Array && t.IsIncomplete() && g.t != nil {
		t = g.t
	}
	return lval{t: t, cl: classOf(t), slot: -1, addr: func(*frame) uint64 { return a }}
}

// ---- lvalues ---------------------------------------------------------------

func (fc *fnCompiler) lvalue(n cc.ExpressionNode) lval {
	switch x := n.(type) {
	case *cc.PrimaryExpression:
		switch x.Case {
		case cc.PrimaryExpressionIdent:
			if d, ok := x.ResolvedTo().(*cc.Declarator); ok {
				return fc.identLval(d, x)
			}
		case cc.PrimaryExpressionExpr:
			return fc.lvalue(x.ExpressionList)
		case cc.PrimaryExpressionString, cc.PrimaryExpressionLString:
			a := fc.stringLit(x)
			return lval{t: x.Type(), cl: clArray, slot: -1, addr: func(*frame) uint64 { return a }}
		}
	case *cc.ExpressionList:
		if x.ExpressionList == nil {
			return fc.lvalue(x.AssignmentExpression)
		}
	case *cc.CastExpression:
		if x.Case == cc.CastExpressionUnary {
			return fc.lvalue(x.UnaryExpression)
		}
	case *cc.UnaryExpression:
		switch x.Case {
		case cc.UnaryExpressionPostfix:
			return fc.lvalue(x.PostfixExpression)
		case cc.UnaryExpressionDeref:
			p := fc.expr(x.CastExpression)
			t := pointee(x.CastExpression.Type())
			if t == nil {
				t = x.Type()
			}
			return lval{t: t, cl: classOf(t), slot: -1, addr: p.i}
		}
	case *cc.PostfixExpression:
		switch x.Case {
		case cc.PostfixExpressionPrimary:
			return fc.lvalue(x.PrimaryExpression)
		case cc.PostfixExpressionIndex:
			return fc.index(x)
		case cc.PostfixExpressionSelect, cc.PostfixExpressionPSelect:
			return fc.member(x)
		case cc.PostfixExpressionComplit:
			addr := fc.compoundLiteral(x)
			t := x.TypeName.Type()
			return lval{t: t, cl: classOf(t), slot: -1, addr: addr}
		}
	}
	// An aggregate rvalue (a call's result, an assignment...) has an address.
	e := fc.expr(n)
	if e.cl == clAgg {
		return lval{t: e.t, cl: clAgg, slot: -1, addr: e.i}
	}
	fc.fail(n, "expression is not an lvalue")
	return lval{}
}

func (fc *fnCompiler) index(n *cc.PostfixExpression) lval {
	base, idx := n.PostfixExpression, n.ExpressionList
	if cc.IsIntegerType(base.Type()) {
		base, idx = idx, base
	}
	p := fc.expr(base)
	i := fc.expr(idx)
	size, dyn := fc.elemSizeOf(base.Type(), n)
	// cc/v4 types an indexed array of arrays as the decayed pointer; the
	// lvalue is the element itself.
	t := pointee(base.Type())
	if t == nil {
		t = n.Type()
	}
	pi, ii := p.i, fc.convert(i, fc.u.ast.Long, idx).i
	var addr iexpr
	switch {
	case dyn != nil:
		addr = func(f *frame) uint64 { return pi(f) + ii(f)*dyn(f) }
	case i.konst:
		off := i.kv * uint64(size)
		addr = func(f *frame) uint64 { return pi(f) + off }
	case size == 1:
		addr = func(f *frame) uint64 { return pi(f) + ii(f) }
	default:
		s := uint64(size)
		addr = func(f *frame) uint64 { return pi(f) + ii(f)*s }
	}
	return lval{t: t, cl: classOf(t), slot: -1, addr: addr}
}

func (fc *fnCompiler) member(n *cc.PostfixExpression) lval {
	fl := n.Field()
	if fl == nil {
		fc.fail(n, "unknown member %s", n.Token2.SrcStr())
	}
	var base iexpr
	slot := -1 // p->f with p in a Go slot: read it directly
	if n.Case == cc.PostfixExpressionPSelect {
		e := fc.expr(n.PostfixExpression)
		base, slot = e.i, e.slot-1
	} else {
		lv := fc.lvalue(n.PostfixExpression)
		if lv.slot >= 0 {
			fc.fail(n, "member of a register value")
		}
		base = lv.addr
	}
	off := uint64(fl.Offset())
	t := fl.Type()
	lv := lval{t: t, cl: classOf(t), slot: -1}
	st := n.PostfixExpression.Type()
	if n.Case == cc.PostfixExpressionPSelect {
		st = pointee(st)
	}
	if k, ok := fc.memberCell(st, fl, n); ok {
		// The offset is read at run time (layoutcells.go).
		k &= layoutCap - 1
		if slot >= 0 {
			lv.addr = func(f *frame) uint64 { return f.slots[slot] + f.m.layout[k] }
		} else {
			lv.addr = func(f *frame) uint64 { return base(f) + f.m.layout[k] }
		}
	} else if off == 0 {
		lv.addr = base
	} else if slot >= 0 {
		lv.addr = func(f *frame) uint64 { return f.slots[slot] + off }
	} else {
		lv.addr = func(f *frame) uint64 { return base(f) + off }
	}
	if fl.IsBitfield() {
		lv.bf = fl
	}
	return lv
}

// load compiles reading an lvalue.
func (fc *fnCompiler) load(lv lval) cexpr {
	e := cexpr{t: lv.t, cl: lv.cl}
	switch lv.cl {
	case clAgg:
		e.i = lv.addr
		return e
	case clArray:
		if lv.slot >= 0 {
			fc.fail(nil, "array in a register")
		}
		e.t, e.cl, e.i = lv.t.Decay(), clInt, lv.addr
		return e
	case clFunc:
		e.t, e.cl, e.i = lv.t.Decay(), clInt, lv.addr
		return e
	case clVoid:
		e.i = func(*frame) uint64 { return 0 }
		return e
	}
	if lv.slot >= 0 {
		k := lv.slot
		if lv.cl.isFloating() {
			e.f = func(f *frame) float64 { return math.Float64frombits(f.slots[k]) }
		} else {
			e.i = func(f *frame) uint64 { return f.slots[k] }
			e.slot = k + 1
		}
		return e
	}
	addr := lv.addr
	if lv.bf != nil {
		get := bitfieldGet(fc.u.bitfield(lv.bf), scalarOf(lv.t))
		e.i = func(f *frame) uint64 { return get(f.m, addr(f)) }
		return e
	}
	switch lv.cl {
	case clFloat:
		e.f = func(f *frame) float64 { return float64(math.Float32frombits(f.m.ld32(addr(f)))) }
		return e
	case clDouble:
		e.f = func(f *frame) float64 { return math.Float64frombits(f.m.ld64(addr(f))) }
		return e
	}
	sc := scalarOf(lv.t)
	switch {
	case sc.size == 8:
		e.i = func(f *frame) uint64 { return f.m.ld64(addr(f)) }
	case sc.size == 4 && sc.signed:
		e.i = func(f *frame) uint64 { return uint64(int32(f.m.ld32(addr(f)))) }
	case sc.size == 4:
		e.i = func(f *frame) uint64 { return uint64(f.m.ld32(addr(f))) }
	case sc.size == 2 && sc.signed:
		e.i = func(f *frame) uint64 { return uint64(int16(f.m.ld16(addr(f)))) }
	case sc.size == 2:
		e.i = func(f *frame) uint64 { return uint64(f.m.ld16(addr(f))) }
	case sc.size == 1 && sc.signed:
		e.i = func(f *frame) uint64 { return uint64(int8(f.m.ld8(addr(f)))) }
	default:
		e.i = func(f *frame) uint64 { return uint64(f.m.ld8(addr(f))) }
	}
	return e
}

// rawGet reads an lvalue's raw bits at a given address (or slot index).
func (fc *fnCompiler) rawAccess(lv lval) (ref iexpr, get func(f *frame, a uint64) uint64, set func(f *frame, a, v uint64) uint64) {
	if lv.slot >= 0 {
		k := uint64(lv.slot)
		return func(*frame) uint64 { return k },
			func(f *frame, a uint64) uint64 { return f.slots[a] },
			func(f *frame, a, v uint64) uint64 { f.slots[a] = v; return v }
	}
	ref = lv.addr
	if lv.bf != nil {
		sc := scalarOf(lv.t)
		bf := fc.u.bitfield(lv.bf)
		g, s := bitfieldGet(bf, sc), bitfieldSet(bf, sc)
		return ref, func(f *frame, a uint64) uint64 { return g(f.m, a) },
			func(f *frame, a, v uint64) uint64 { return s(f.m, a, v) }
	}
	switch lv.cl {
	case clFloat:
		return ref, func(f *frame, a uint64) uint64 {
				return math.Float64bits(float64(math.Float32frombits(f.m.ld32(a))))
			}, func(f *frame, a, v uint64) uint64 {
				f.m.st32(a, math.Float32bits(float32(math.Float64frombits(v))))
				return v
			}
	case clDouble:
		return ref, func(f *frame, a uint64) uint64 { return f.m.ld64(a) },
			func(f *frame, a, v uint64) uint64 { f.m.st64(a, v); return v }
	case clInt:
	default:
		fc.fail(nil, "cannot access a %s value", lv.t)
	}
	sc := scalarOf(lv.t)
	ld, st := memAccess(sc)
	return ref, func(f *frame, a uint64) uint64 { return ld(f.m, a) },
		func(f *frame, a, v uint64) uint64 { st(f.m, a, v); return v }
}

// memAccess returns the load (normalizing) and store of an integer scalar.
func memAccess(sc scalar) (func(m *Machine, a uint64) uint64, func(m *Machine, a, v uint64)) {
	switch sc.size {
	case 8:
		return func(m *Machine, a uint64) uint64 { return m.ld64(a) }, func(m *Machine, a, v uint64) { m.st64(a, v) }
	case 4:
		st := func(m *Machine, a, v uint64) { m.st32(a, uint32(v)) }
		if sc.signed {
			return func(m *Machine, a uint64) uint64 { return uint64(int32(m.ld32(a))) }, st
		}
		return func(m *Machine, a uint64) uint64 { return uint64(m.ld32(a)) }, st
	case 2:
		st := func(m *Machine, a, v uint64) { m.st16(a, uint16(v)) }
		if sc.signed {
			return func(m *Machine, a uint64) uint64 { return uint64(int16(m.ld16(a))) }, st
		}
		return func(m *Machine, a uint64) uint64 { return uint64(m.ld16(a)) }, st
	}
	st := func(m *Machine, a, v uint64) { m.st8(a, uint8(v)) }
	if sc.signed {
		return func(m *Machine, a uint64) uint64 { return uint64(int8(m.ld8(a))) }, st
	}
	return func(m *Machine, a uint64) uint64 { return uint64(m.ld8(a)) }, st
}

// loadUnit reads an n-byte little-endian unit, n <= 8: a packed bit-field's
// unit may be 3, 5, 6 or 7 bytes, the bytes of a small struct, which an
// 8-byte access would overrun.
func loadUnit(m *Machine, a uint64, n int64) uint64 {
	switch n {
	case 1:
		return uint64(m.ld8(a))
	case 2:
		return uint64(m.ld16(a))
	case 4:
		return uint64(m.ld32(a))
	case 8:
		return m.ld64(a)
	}
	var v uint64
	for i := n - 1; i >= 0; i-- {
		v = v<<8 | uint64(m.ld8(a+uint64(i)))
	}
	return v
}

// storeUnit writes an n-byte little-endian unit, n <= 8 (see loadUnit).
func storeUnit(m *Machine, a uint64, n int64, v uint64) {
	switch n {
	case 1:
		m.st8(a, uint8(v))
	case 2:
		m.st16(a, uint16(v))
	case 4:
		m.st32(a, uint32(v))
	case 8:
		m.st64(a, v)
	default:
		for i := int64(0); i < n; i++ {
			m.st8(a+uint64(i), uint8(v>>(8*i)))
		}
	}
}

// bitfieldGet reads a bit-field given the address of its access unit.
func bitfieldGet(b bitfield, sc scalar) func(m *Machine, a uint64) uint64 {
	width, signed := b.width, sc.signed
	return func(m *Machine, a uint64) uint64 {
		v := b.load(m, a)
		if signed && width < 64 {
			v = uint64(int64(v<<(64-width)) >> (64 - width))
		}
		return v
	}
}

// bitfieldSet writes a bit-field and returns the value it now holds.
func bitfieldSet(b bitfield, sc scalar) func(m *Machine, a, v uint64) uint64 {
	width, signed := b.width, sc.signed
	return func(m *Machine, a, v uint64) uint64 {
		b.store(m, a, v)
		v &= b.mask()
		if signed && width < 64 {
			v = uint64(int64(v<<(64-width)) >> (64 - width))
		}
		return v
	}
}

// ---- unary and postfix -----------------------------------------------------

func (fc *fnCompiler) unary(n *cc.UnaryExpression) cexpr {
	t := n.Type()
	switch n.Case {
	case cc.UnaryExpressionPostfix:
		return fc.expr(n.PostfixExpression)
	case cc.UnaryExpressionInc, cc.UnaryExpressionDec:
		return fc.incdec(n.UnaryExpression, n.Case == cc.UnaryExpressionInc, true, n)
	case cc.UnaryExpressionAddrof:
		return fc.addrOf(n.CastExpression, t)
	case cc.UnaryExpressionDeref:
		pt := pointee(n.CastExpression.Type())
		if pt != nil && pt.Kind() == cc.Function {
			return fc.expr(n.CastExpression) // *fp is fp
		}
		return fc.load(fc.lvalue(n))
	case cc.UnaryExpressionPlus:
		return fc.convert(fc.expr(n.CastExpression), t, n)
	case cc.UnaryExpressionMinus:
		e := fc.convert(fc.expr(n.CastExpression), t, n)
		if e.cl.isFloating() {
			ef, cl := e.f, e.cl
			if cl == clFloat {
				return cexpr{t: t, cl: cl, f: func(f *frame) float64 { return float64(-float32(ef(f))) }}
			}
			return cexpr{t: t, cl: cl, f: func(f *frame) float64 { return -ef(f) }}
		}
		sc := scalarOf(t)
		ei := e.i
		if neg := checkedNeg(sc, ei); neg != nil && !fc.lk.img.opts.Wrapv {
			return cexpr{t: t, cl: clInt, i: neg}
		}
		return cexpr{t: t, cl: clInt, i: func(f *frame) uint64 { return sc.normalize(-ei(f)) }}
	case cc.UnaryExpressionCpl:
		e := fc.convert(fc.expr(n.CastExpression), t, n)
		sc := scalarOf(t)
		ei := e.i
		return cexpr{t: t, cl: clInt, i: func(f *frame) uint64 { return sc.normalize(^ei(f)) }}
	case cc.UnaryExpressionNot:
		b := fc.cond(n.CastExpression)
		return cexpr{t: t, cl: clInt, i: func(f *frame) uint64 {
			if b(f) {
				return 0
			}
			return 1
		}}
	case cc.UnaryExpressionSizeofExpr, cc.UnaryExpressionSizeofType, cc.UnaryExpressionAlignofExpr, cc.UnaryExpressionAlignofType:
		if n.Case == cc.UnaryExpressionSizeofExpr {
			x := n.UnaryExpression
			for {
				p, ok := x.(*cc.PrimaryExpression)
				if !ok || p.Case != cc.PrimaryExpressionExpr {
					break
				}
				x = p.ExpressionList
			}
			if p, ok := x.(*cc.PostfixExpression); ok && p.Case == cc.PostfixExpressionComplit {
				return intConst(t, uint64(complitSize(p)))
			}
			if ot := x.Type(); ot != nil && isVLA(ot) {
				if _, dyn := fc.sizeOf(ot, n); dyn != nil {
					return cexpr{t: t, cl: clInt, i: dyn}
				}
			}
		}
		if n.Case == cc.UnaryExpressionSizeofType && n.TypeName != nil && isVLA(n.TypeName.Type()) {
			if _, dyn := fc.sizeOf(n.TypeName.Type(), n); dyn != nil {
				return cexpr{t: t, cl: clInt, i: dyn}
			}
		}
		if n.Case != cc.UnaryExpressionAlignofExpr && n.Case != cc.UnaryExpressionAlignofType {
			var st cc.Type
			if n.Case == cc.UnaryExpressionSizeofType && n.TypeName != nil {
				st = n.TypeName.Type()
			} else if n.Case == cc.UnaryExpressionSizeofExpr && n.UnaryExpression != nil {
				st = n.UnaryExpression.Type()
			}
			if size, ok := fc.sizeCell(st, n); ok {
				sc := scalarOf(t)
				return cexpr{t: t, cl: clInt, i: func(f *frame) uint64 { return sc.normalize(size(f)) }}
			}
		}
		switch v := n.Value().(type) {
		case cc.Int64Value:
			return intConst(t, scalarOf(t).normalize(uint64(v)))
		case cc.UInt64Value:
			return intConst(t, scalarOf(t).normalize(uint64(v)))
		}
		fc.fail(n, "sizeof or alignof of a variable-length type is not supported")
	case cc.UnaryExpressionReal, cc.UnaryExpressionImag:
		fc.fail(n, "complex numbers are not supported")
	case cc.UnaryExpressionLabelAddr:
		return intConst(t, fc.labelAddr(n))
	}
	fc.fail(n, "unsupported unary expression %v", n.Case)
	return cexpr{}
}

func (fc *fnCompiler) addrOf(operand cc.ExpressionNode, t cc.Type) cexpr {
	ot := operand.Type()
	if ot != nil && ot.Kind() == cc.Function {
		e := fc.expr(operand)
		return cexpr{t: t, cl: clInt, i: e.i}
	}
	lv := fc.lvalue(operand)
	if lv.slot >= 0 {
		fc.fail(operand, "address of a register variable")
	}
	if lv.bf != nil {
		fc.fail(operand, "address of a bit-field")
	}
	return cexpr{t: t, cl: clInt, i: lv.addr}
}

// incdec compiles ++ and -- (prefix when pre).
func (fc *fnCompiler) incdec(operand cc.ExpressionNode, inc, pre bool, n cc.Node) cexpr {
	lv := fc.lvalue(operand)
	ref, get, set := fc.rawAccess(lv)
	t := lv.t
	if lv.cl.isFloating() {
		d := 1.0
		if !inc {
			d = -1
		}
		isF := lv.cl == clFloat
		return cexpr{t: t, cl: lv.cl, f: func(f *frame) float64 {
			a := ref(f)
			old := math.Float64frombits(get(f, a))
			nv := old + d
			if isF {
				nv = float64(float32(nv))
			}
			set(f, a, math.Float64bits(nv))
			if pre {
				return nv
			}
			return old
		}}
	}
	if lv.cl != clInt {
		fc.fail(n, "increment of a non-scalar")
	}
	delta := uint64(1)
	if t.Kind() == cc.Ptr {
		delta = uint64(elemSize(t))
	}
	if !inc {
		delta = -delta
	}
	sc := scalarOf(t)
	if sc.signed && sc.size >= 4 && t.Kind() != cc.Ptr && !fc.lk.img.opts.Wrapv {
		// Signed ++ and -- trap on overflow (checkedBinop's rule).
		if lv.slot >= 0 && lv.bf == nil {
			k := lv.slot
			return cexpr{t: t, cl: clInt, i: func(f *frame) uint64 {
				old := f.slots[k]
				if incOverflows(sc, old, delta) {
					incFault(f, sc, old, delta)
				}
				v := sc.normalize(old + delta)
				f.slots[k] = v
				if pre {
					return v
				}
				return old
			}}
		}
		return cexpr{t: t, cl: clInt, i: func(f *frame) uint64 {
			a := ref(f)
			old := get(f, a)
			if incOverflows(sc, old, delta) {
				incFault(f, sc, old, delta)
			}
			nv := set(f, a, sc.normalize(old+delta))
			if pre {
				return nv
			}
			return old
		}}
	}
	if lv.slot >= 0 && lv.bf == nil {
		k := lv.slot
		if pre {
			return cexpr{t: t, cl: clInt, i: func(f *frame) uint64 {
				v := sc.normalize(f.slots[k] + delta)
				f.slots[k] = v
				return v
			}}
		}
		return cexpr{t: t, cl: clInt, i: func(f *frame) uint64 {
			old := f.slots[k]
			f.slots[k] = sc.normalize(old + delta)
			return old
		}}
	}
	return cexpr{t: t, cl: clInt, i: func(f *frame) uint64 {
		a := ref(f)
		old := get(f, a)
		nv := set(f, a, sc.normalize(old+delta))
		if pre {
			return nv
		}
		return old
	}}
}

func (fc *fnCompiler) postfix(n *cc.PostfixExpression) cexpr {
	switch n.Case {
	case cc.PostfixExpressionPrimary:
		return fc.expr(n.PrimaryExpression)
	case cc.PostfixExpressionIndex, cc.PostfixExpressionSelect, cc.PostfixExpressionPSelect:
		return fc.load(fc.lvalue(n))
	case cc.PostfixExpressionCall:
		return fc.call(n)
	case cc.PostfixExpressionInc, cc.PostfixExpressionDec:
		return fc.incdec(n.PostfixExpression, n.Case == cc.PostfixExpressionInc, false, n)
	case cc.PostfixExpressionComplit:
		return fc.load(fc.lvalue(n))
	}
	fc.fail(n, "unsupported postfix expression %v", n.Case)
	return cexpr{}
}

// compoundLiteral allocates and initializes a compound literal each time it
// is evaluated; it returns the address.
func (fc *fnCompiler) compoundLiteral(n *cc.PostfixExpression) iexpr {
	// cc/v4 types the literal as its decayed pointer; the object's type is
	// the type name, completed by the initializers for an array of unknown
	// size.
	t := n.TypeName.Type()
	size := complitSize(n)
	if size < 0 {
		fc.fail(n, "compound literal of incomplete type")
	}
	addr := fc.temp(uint64(size), uint64(max(t.Align(), 1)))
	fill := fc.initListSized(addr, t, uint64(size), n.InitializerList, true)
	if fc.fn == nil {
		// At file scope the literal has static storage: initialize it once.
		fc.lk.img.inits = append(fc.lk.img.inits, dataInit{name: "compound literal", run: fill})
		return addr
	}
	return func(f *frame) uint64 {
		fill(f)
		return addr(f)
	}
}

// stringBytes is the size of a string literal's array as written (cc/v4
// may have retyped it to the array it initializes).
func stringBytes(s *cc.PrimaryExpression) int64 {
	switch v := s.Value().(type) {
	case cc.StringValue:
		return int64(len(v))
	case cc.UTF32StringValue:
		return int64(len(v)) * 4
	case cc.UTF16StringValue:
		return int64(len(v)) * 2
	}
	return max(s.Type().Size(), 0)
}

// complitSize is the size of a compound literal's object.
func complitSize(n *cc.PostfixExpression) int64 {
	t := n.TypeName.Type()
	size := t.Size()
	// cc/v4 sizes (char[]){"abc"} as one element: size arrays from their
	// initializers.
	if at, ok := t.(*cc.ArrayType); ok {
		es := max(at.Elem().Size(), 1)
		end := int64(0)
		for _, it := range collectInits(n.InitializerList, nil) {
			sz := max(it.t.Size(), 1)
			if s := stringLiteral(it.expr); s != nil && it.t.Kind() != cc.Ptr {
				sz = stringBytes(s)
			}
			end = max(end, int64(it.off)+sz*it.count)
		}
		size = max(size, (end+es-1)/es*es)
	}
	return size
}

// ---- conversions ------------------------------------------------------------

func (fc *fnCompiler) promotedType(t cc.Type) cc.Type {
	return fc.typeOfScalar(scalarOf(t).promote())
}

// typeOfScalar returns the C type of a promoted integer scalar.
func (fc *fnCompiler) typeOfScalar(sc scalar) cc.Type {
	a := fc.u.ast
	switch {
	case sc.size == 8 && sc.signed:
		return a.Long
	case sc.size == 8:
		return a.ULong
	case sc.signed:
		return a.Int
	}
	return a.UInt
}

// convert compiles the conversion of a value to type t.
func (fc *fnCompiler) convert(e cexpr, t cc.Type, n cc.Node) cexpr {
	to := classOf(t)
	switch to {
	case clVoid:
		out := cexpr{t: t, cl: clVoid}
		if e.cl.isFloating() {
			ef := e.f
			out.i = func(f *frame) uint64 { ef(f); return 0 }
		} else if e.i != nil {
			out.i = e.i
		} else {
			out.i = func(*frame) uint64 { return 0 }
		}
		return out
	case clAgg:
		if e.cl != clAgg {
			fc.fail(n, "cannot convert %s to %s", e.t, t)
		}
		e.t = t
		return e
	case clArray, clFunc:
		// Casts never produce these; treat as the decayed pointer.
		e.t = t.Decay()
		return e
	case clInt:
		sc := scalarOf(t)
		switch e.cl {
		case clInt:
			from := scalarOf(e.t)
			if e.konst {
				return intConst(t, sc.normalize(e.kv))
			}
			out := cexpr{t: t, cl: clInt, i: e.i}
			if !needsNormalize(from, sc) {
				out.slot = e.slot
				return out
			}
			out.i = normalizer(sc, e.i)
			return out
		case clFloat, clDouble:
			ef := e.f
			if sc.isBool {
				return cexpr{t: t, cl: clInt, i: func(f *frame) uint64 {
					if ef(f) != 0 {
						return 1
					}
					return 0
				}}
			}
			if !sc.signed && sc.size == 8 {
				return cexpr{t: t, cl: clInt, i: func(f *frame) uint64 { return f2u64(ef(f)) }}
			}
			return cexpr{t: t, cl: clInt, i: func(f *frame) uint64 { return sc.normalize(uint64(f2i64(ef(f)))) }}
		}
	case clFloat, clDouble:
		switch e.cl {
		case clInt:
			from := scalarOf(e.t)
			ei := e.i
			if e.konst {
				if from.signed {
					return floatConst(t, to, float64(int64(e.kv)))
				}
				return floatConst(t, to, float64(e.kv))
			}
			switch {
			case from.signed && to == clFloat:
				return cexpr{t: t, cl: to, f: func(f *frame) float64 { return float64(float32(int64(ei(f)))) }}
			case from.signed:
				return cexpr{t: t, cl: to, f: func(f *frame) float64 { return float64(int64(ei(f))) }}
			case to == clFloat:
				return cexpr{t: t, cl: to, f: func(f *frame) float64 { return float64(float32(ei(f))) }}
			default:
				return cexpr{t: t, cl: to, f: func(f *frame) float64 { return float64(ei(f)) }}
			}
		case clFloat, clDouble:
			if e.cl == to || to == clDouble {
				e.t, e.cl = t, to
				return e
			}
			if e.konst {
				return floatConst(t, to, e.kf)
			}
			ef := e.f
			return cexpr{t: t, cl: to, f: func(f *frame) float64 { return float64(float32(ef(f))) }}
		}
	}
	fc.fail(n, "cannot convert %s to %s", e.t, t)
	return cexpr{}
}

// f2i64 converts like x86's cvttsd2si: out-of-range values become INT64_MIN.
func f2i64(v float64) int64 {
	if v != v || v >= 9223372036854775808.0 || v < -9223372036854775808.0 {
		return math.MinInt64
	}
	return int64(v)
}

// f2u64 converts a double to unsigned long as gcc does on x86-64.
func f2u64(v float64) uint64 {
	if v >= 9223372036854775808.0 {
		if v >= 18446744073709551616.0 {
			return 1 << 63
		}
		return uint64(int64(v-9223372036854775808.0)) ^ (1 << 63)
	}
	return uint64(f2i64(v))
}

// needsNormalize reports whether a value normalized for from may be out of
// the representation of to.
func needsNormalize(from, to scalar) bool {
	if to.isBool {
		return !from.isBool
	}
	if to.size == 8 {
		return false
	}
	if from.isBool {
		return false
	}
	if from.size < to.size {
		return from.signed && !to.signed
	}
	return !(from.size == to.size && from.signed == to.signed)
}

func normalizer(sc scalar, e iexpr) iexpr {
	if sc.isBool {
		return func(f *frame) uint64 {
			if e(f) != 0 {
				return 1
			}
			return 0
		}
	}
	switch {
	case sc.size == 1 && sc.signed:
		return func(f *frame) uint64 { return uint64(int8(e(f))) }
	case sc.size == 1:
		return func(f *frame) uint64 { return uint64(uint8(e(f))) }
	case sc.size == 2 && sc.signed:
		return func(f *frame) uint64 { return uint64(int16(e(f))) }
	case sc.size == 2:
		return func(f *frame) uint64 { return uint64(uint16(e(f))) }
	case sc.size == 4 && sc.signed:
		return func(f *frame) uint64 { return uint64(int32(e(f))) }
	case sc.size == 4:
		return func(f *frame) uint64 { return uint64(uint32(e(f))) }
	}
	return e
}
