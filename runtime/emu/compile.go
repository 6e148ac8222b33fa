package emu

import (
	"fmt"
	"math"

	"modernc.org/cc/v4"
	"modernc.org/token"
)

// The compiler turns cc/v4's typed AST into Go closures once, at load time.
// Expressions become typed closures (iexpr for integers, pointers and the
// addresses of aggregates; fexpr for floating values), statements become
// stmt closures that report how control leaves them.

type (
	iexpr func(*frame) uint64
	fexpr func(*frame) float64
	bexpr func(*frame) bool
	stmt  func(*frame) ctl
)

// ctl is how a statement transfers control.
type ctl uint8

const (
	ctlNext ctl = iota
	ctlBreak
	ctlContinue
	ctlReturn
	ctlGoto // f.gotoL names the label being sought
)

// cstmt is a compiled statement and the labels inside it, which a goto (or
// a switch, whose cases are labels too) may jump into.
type cstmt struct {
	run    stmt
	labels map[int32]bool
}

func (s cstmt) has(l int32) bool { return s.labels[l] }

func mergeLabels(dst map[int32]bool, ss ...cstmt) map[int32]bool {
	for _, s := range ss {
		for l := range s.labels {
			if dst == nil {
				dst = map[int32]bool{}
			}
			dst[l] = true
		}
	}
	return dst
}

// compileError aborts the compilation of one function or initializer.
type compileError struct {
	pos token.Position
	msg string
	asm bool // the function uses inline assembly
}

func (e *compileError) Error() string {
	if e.pos.IsValid() {
		return e.pos.String() + ": " + e.msg
	}
	return e.msg
}

// local is where a local variable or parameter lives.
type local struct {
	slot int    // >= 0: a Go slot
	off  uint64 // else: offset from the frame base in memory
	t    cc.Type
	cl   class
	vla  int // > 0: a VLA, whose address is in this slot
}

type fnCompiler struct {
	lk        *linker
	u         *unit
	fn        *Func // nil when compiling a global initializer
	locals    map[*cc.Declarator]*local
	nslots    int
	frameSize uint64
	labels    map[cc.Node]int32
	nextLabel int32
	// overAligned is the largest alignment above 16 a local needs.
	overAligned uint64
	// redzones are the poisoned ranges of the frame (offset, length
	// pairs) around its addressable locals; rzEnd is where the last one
	// ends, so that the next local shares it as its leading redzone.
	redzones []uint64
	rzEnd    uint64
	// owner is the function whose labels a static local's initializer
	// (compiled by its own compiler) may take the address of.
	owner *fnCompiler
	// named maps label names to their statements (for &&label).
	named map[string]*cc.LabeledStatement
	// vla maps the size expression of each VLA type to the slot holding
	// its evaluated element count.
	vla map[cc.ExpressionNode]int
	// blockVLA is set when the block being compiled declares a VLA.
	blockVLA bool
	// heap is the typed heap's pre-pass over the function (typedsites.go).
	heap *heapAnalysis
}

func newFnCompiler(lk *linker, u *unit, fn *Func) *fnCompiler {
	return &fnCompiler{lk: lk, u: u, fn: fn, locals: map[*cc.Declarator]*local{}, labels: map[cc.Node]int32{},
		vla: map[cc.ExpressionNode]int{}, rzEnd: ^uint64(0)}
}

func (fc *fnCompiler) fail(n cc.Node, format string, args ...any) {
	var pos token.Position
	if n != nil {
		pos = n.Position()
	}
	panic(&compileError{pos: pos, msg: fmt.Sprintf(format, args...)})
}

// protect runs a compilation step, turning its failure into an error.
func (fc *fnCompiler) protect(f func()) (err error) {
	defer func() {
		if r := recover(); r != nil {
			if ce, ok := r.(*compileError); ok {
				err = ce
				return
			}
			err = fmt.Errorf("%s: internal compiler error: %v", fc.u.name, r)
		}
	}()
	f()
	return nil
}

// posIndex records a statement position for backtraces.
func (fc *fnCompiler) posIndex(n cc.Node) int32 {
	img := fc.lk.img
	img.positions = append(img.positions, n.Position())
	return int32(len(img.positions) - 1)
}

// frameAlloc reserves memory in the frame, or static storage when compiling
// an initializer outside any function; it returns the address computation.
func (fc *fnCompiler) temp(size, align uint64) iexpr {
	if fc.fn == nil {
		a := fc.lk.alloc(max(size, 1), max(align, 1))
		return func(*frame) uint64 { return a }
	}
	off := fc.frameAlloc(size, align)
	return func(f *frame) uint64 { return f.base + off }
}

func (fc *fnCompiler) frameAlloc(size, align uint64) uint64 {
	align = max(align, 1)
	off := alignUp(fc.frameSize, align)
	fc.frameSize = off + size
	return off
}

// guardedAlloc reserves memory in the frame for an addressable local with
// a redzone before and after it (sharing the one of the local before it),
// so that running off either end of the object faults, as ASan's stack
// redzones do. The redzones are poisoned when a call enters the frame
// and the frame's shadow is cleared when it returns (machine.go, enter).
func (fc *fnCompiler) guardedAlloc(size, align uint64) uint64 {
	lo := fc.frameSize
	if lo != fc.rzEnd {
		fc.frameSize += stackRedzone
	}
	off := fc.frameAlloc(size, align)
	fc.addRedzone(lo, off-lo)
	end := off + size
	fc.frameSize = alignUp(end, 8) + stackRedzone
	fc.addRedzone(end, fc.frameSize-end)
	fc.rzEnd = fc.frameSize
	return off
}

// addRedzone records [off, off+n) as a redzone, merged with the one it
// continues.
func (fc *fnCompiler) addRedzone(off, n uint64) {
	if n == 0 {
		return
	}
	if k := len(fc.redzones); k > 0 && fc.redzones[k-2]+fc.redzones[k-1] == off {
		fc.redzones[k-1] += n
		return
	}
	fc.redzones = append(fc.redzones, off, n)
}

func (fc *fnCompiler) newLocal(d *cc.Declarator, t cc.Type) *local {
	cl := classOf(t)
	if cl == clInvalid {
		fc.fail(d, "unsupported type %s", t)
	}
	l := &local{t: t, cl: cl, slot: -1}
	if cl == clAgg || cl == clArray || d.AddressTaken() {
		if t.Size() < 0 {
			fc.fail(d, "%s has incomplete type %s", d.Name(), t)
		}
		l.off = fc.guardedAlloc(uint64(t.Size()), uint64(max(t.Align(), d.Alignas(), 1)))
		if a := d.Alignas(); a > 16 {
			fc.overAligned = max(fc.overAligned, uint64(a))
		}
	} else {
		l.slot = fc.nslots
		fc.nslots++
	}
	fc.locals[d] = l
	return l
}

// compileFunc compiles one function definition into fn.
func compileFunc(lk *linker, u *unit, fn *Func, def *cc.FunctionDefinition) error {
	fc := newFnCompiler(lk, u, fn)
	return fc.protect(func() {
		if fn.ft == nil {
			fc.fail(def.Declarator, "%s is not a function", fn.Name)
		}
		if fn.ret == clInvalid {
			fc.fail(def.Declarator, "unsupported result type %s", fn.ft.Result())
		}
		var params []param
		for _, p := range fn.ft.Parameters() {
			t := p.Type()
			if t == nil || t.Kind() == cc.Void {
				continue
			}
			cl := classOf(t)
			pr := param{slot: -1, cl: cl, size: uint64(max(t.Size(), 0))}
			if cl == clInt {
				pr.sc = scalarOf(t)
			}
			if d := p.Declarator; d != nil && d.Name() != "" {
				l := fc.newLocal(d, t)
				pr.slot, pr.off = l.slot, l.off
			} else {
				pr.off = fc.frameAlloc(pr.size, 8)
			}
			params = append(params, pr)
		}
		fc.named = map[string]*cc.LabeledStatement{}
		collectLabels(def.CompoundStatement, fc.named)
		fc.analyzeHeap(def)
		var entry []func(*frame)
		for _, p := range fn.ft.Parameters() {
			if p.Type() != nil {
				if init := fc.evalVLASizes(p.Type(), def.Declarator); init != nil {
					entry = append(entry, init)
				}
			}
		}
		body := fc.block(def.CompoundStatement)
		run := body.run
		if len(entry) > 0 {
			inner := run
			run = func(f *frame) ctl {
				for _, e := range entry {
					e(f)
				}
				return inner(f)
			}
		}
		fn.params = params
		fn.nslots = fc.nslots
		fn.frameSize = alignUp(fc.frameSize, 16)
		fn.frameAlign = max(16, fc.overAligned)
		fn.redzones = fc.redzones
		fn.body = run
		fn.heap = fc.heapInfo()
	})
}

// ---- statements -----------------------------------------------------------

func (fc *fnCompiler) statement(n *cc.Statement) cstmt {
	switch n.Case {
	case cc.StatementLabeled:
		return fc.labeled(n.LabeledStatement)
	case cc.StatementCompound:
		return fc.block(n.CompoundStatement)
	case cc.StatementExpr:
		return fc.exprStatement(n.ExpressionStatement)
	case cc.StatementSelection:
		return fc.selection(n.SelectionStatement)
	case cc.StatementIteration:
		return fc.iteration(n.IterationStatement)
	case cc.StatementJump:
		return fc.jump(n.JumpStatement)
	case cc.StatementAsm:
		panic(&compileError{pos: n.AsmStatement.Position(), msg: "inline assembly is not supported", asm: true})
	}
	fc.fail(nil, "unknown statement %v", n.Case)
	return cstmt{}
}

func (fc *fnCompiler) labelID(n cc.Node) int32 {
	if fc.owner != nil {
		return fc.owner.labelID(n)
	}
	if id, ok := fc.labels[n]; ok {
		return id
	}
	fc.nextLabel++
	fc.labels[n] = fc.nextLabel
	return fc.nextLabel
}

func (fc *fnCompiler) labeled(n *cc.LabeledStatement) cstmt {
	id := fc.labelID(n)
	inner := fc.statement(n.Statement)
	run := inner.run
	labels := mergeLabels(map[int32]bool{id: true}, inner)
	return cstmt{labels: labels, run: func(f *frame) ctl {
		if f.gotoL == id {
			f.gotoL = 0
		}
		return run(f)
	}}
}

func (fc *fnCompiler) block(n *cc.CompoundStatement) cstmt {
	outer := fc.blockVLA
	fc.blockVLA = false
	defer func() { fc.blockVLA = outer }()
	var items []cstmt
	for l := n.BlockItemList; l != nil; l = l.BlockItemList {
		bi := l.BlockItem
		switch bi.Case {
		case cc.BlockItemDecl:
			items = append(items, fc.declaration(bi.Declaration)...)
		case cc.BlockItemStmt:
			items = append(items, fc.statement(bi.Statement))
		case cc.BlockItemLabel:
			// __label__ declarations need nothing at run time.
		case cc.BlockItemFuncDef:
			fc.fail(bi.Declarator, "nested functions are not supported")
		}
	}
	body := seq(items)
	if !fc.blockVLA {
		return body
	}
	// The block's VLAs live until it is left.
	run := body.run
	body.run = func(f *frame) ctl {
		sp := f.cpu.sp
		c := run(f)
		f.cpu.sp = sp
		return c
	}
	return body
}

// seq runs statements in order; with labels inside, it can also be entered
// at, or jump back to, the statement holding a label.
func seq(items []cstmt) cstmt {
	labels := mergeLabels(nil, items...)
	runs := make([]stmt, len(items))
	for i, it := range items {
		runs[i] = it.run
	}
	switch {
	case len(runs) == 0:
		return cstmt{run: func(*frame) ctl { return ctlNext }}
	case len(runs) == 1 && labels == nil:
		return cstmt{run: runs[0]}
	case labels == nil:
		return cstmt{run: func(f *frame) ctl {
			for _, r := range runs {
				if c := r(f); c != ctlNext {
					return c
				}
			}
			return ctlNext
		}}
	}
	find := func(l int32) int {
		for i, it := range items {
			if it.has(l) {
				return i
			}
		}
		return -1
	}
	return cstmt{labels: labels, run: func(f *frame) ctl {
		i := 0
		if f.gotoL != 0 {
			if i = find(f.gotoL); i < 0 {
				return ctlGoto
			}
		}
		for i < len(runs) {
			c := runs[i](f)
			if c == ctlNext {
				i++
				continue
			}
			if c == ctlGoto {
				if j := find(f.gotoL); j >= 0 {
					i = j
					continue
				}
			}
			return c
		}
		return ctlNext
	}}
}

func (fc *fnCompiler) exprStatement(n *cc.ExpressionStatement) cstmt {
	if n.ExpressionList == nil {
		return cstmt{run: func(*frame) ctl { return ctlNext }}
	}
	p := fc.posIndex(n)
	e := fc.expr(n.ExpressionList)
	if e.cl.isFloating() {
		ef := e.f
		return cstmt{run: func(f *frame) ctl {
			f.pos = p
			ef(f)
			return ctlNext
		}}
	}
	ei := e.i
	return cstmt{run: func(f *frame) ctl {
		f.pos = p
		ei(f)
		return ctlNext
	}}
}

// effect compiles an expression evaluated only for its side effects.
func (fc *fnCompiler) effect(n cc.ExpressionNode) func(*frame) {
	e := fc.expr(n)
	if e.cl.isFloating() {
		ff := e.f
		return func(f *frame) { ff(f) }
	}
	i := e.i
	return func(f *frame) { i(f) }
}

func (fc *fnCompiler) declaration(n *cc.Declaration) []cstmt {
	if n.Case != cc.DeclarationDecl {
		return nil
	}
	var out []cstmt
	for l := n.InitDeclaratorList; l != nil; l = l.InitDeclaratorList {
		id := l.InitDeclarator
		d := id.Declarator
		if d != nil && d.IsTypename() && d.Type() != nil {
			if init := fc.evalVLASizes(d.Type(), d); init != nil {
				p := fc.posIndex(id)
				out = append(out, cstmt{run: func(f *frame) ctl { f.pos = p; init(f); return ctlNext }})
			}
			continue
		}
		if d == nil || d.IsTypename() || d.IsExtern() || d.Type() == nil || d.Type().Kind() == cc.Function {
			continue
		}
		t := d.Type()
		if isVLA(t) {
			if id.Initializer != nil {
				fc.fail(id, "a variable-length array cannot be initialized")
			}
			alloc := fc.vlaLocal(d, t)
			p := fc.posIndex(id)
			out = append(out, cstmt{run: func(f *frame) ctl { f.pos = p; alloc(f); return ctlNext }})
			continue
		}
		if init := fc.evalVLASizes(t, d); init != nil {
			// A pointer to a VLA type: its sizes are fixed here.
			p := fc.posIndex(id)
			out = append(out, cstmt{run: func(f *frame) ctl { f.pos = p; init(f); return ctlNext }})
		}
		if d.StorageDuration() == cc.Static {
			g := &global{name: fc.fn.Name + "." + d.Name(), size: uint64(max(t.Size(), 0)), t: t}
			g.addr = fc.lk.alloc(max(g.size, 1), uint64(max(t.Align(), d.Alignas(), 1)))
			fc.lk.localStatics[d] = g
			if id.Initializer != nil {
				sub := newFnCompiler(fc.lk, fc.u, nil)
				sub.owner = fc
				var run func(*frame)
				if err := sub.protect(func() {
					run = sub.initializer(func(*frame) uint64 { return g.addr }, t, id.Initializer, false)
				}); err != nil {
					panic(err)
				}
				fc.lk.img.inits = append(fc.lk.img.inits, dataInit{name: g.name, run: run})
			}
			continue
		}
		loc := fc.newLocal(d, t)
		if id.Initializer == nil {
			continue
		}
		p := fc.posIndex(id)
		var init func(*frame)
		if loc.slot >= 0 {
			v := fc.scalarInit(t, id.Initializer)
			slot := loc.slot
			init = func(f *frame) { f.slots[slot] = v(f) }
		} else {
			off := loc.off
			init = fc.initializer(func(f *frame) uint64 { return f.base + off }, t, id.Initializer, true)
		}
		out = append(out, cstmt{run: func(f *frame) ctl {
			f.pos = p
			init(f)
			return ctlNext
		}})
	}
	return out
}

// scalarInit compiles the initializer of a scalar kept in a slot: its value
// as raw bits (floats as float64 bits).
func (fc *fnCompiler) scalarInit(t cc.Type, n *cc.Initializer) iexpr {
	for n.Case == cc.InitializerInitList {
		if n.InitializerList == nil {
			return func(*frame) uint64 { return 0 }
		}
		n = n.InitializerList.Initializer
	}
	return fc.bits(fc.convert(fc.expr(n.AssignmentExpression), t, n))
}

func (fc *fnCompiler) selection(n *cc.SelectionStatement) cstmt {
	p := fc.posIndex(n)
	switch n.Case {
	case cc.SelectionStatementIf, cc.SelectionStatementIfElse:
		cond := fc.cond(n.ExpressionList)
		then := fc.statement(n.Statement)
		var els cstmt
		if n.Case == cc.SelectionStatementIfElse {
			els = fc.statement(n.Statement2)
		} else {
			els = cstmt{run: func(*frame) ctl { return ctlNext }}
		}
		t, e := then.run, els.run
		labels := mergeLabels(nil, then, els)
		if labels == nil {
			return cstmt{run: func(f *frame) ctl {
				f.pos = p
				if cond(f) {
					return t(f)
				}
				return e(f)
			}}
		}
		return cstmt{labels: labels, run: func(f *frame) ctl {
			if l := f.gotoL; l != 0 {
				if then.has(l) {
					return t(f)
				}
				return e(f)
			}
			f.pos = p
			if cond(f) {
				return t(f)
			}
			return e(f)
		}}
	case cc.SelectionStatementSwitch:
		return fc.switchStmt(n, p)
	}
	fc.fail(n, "unknown selection statement")
	return cstmt{}
}

func (fc *fnCompiler) switchStmt(n *cc.SelectionStatement, p int32) cstmt {
	ctrl := fc.expr(n.ExpressionList)
	if ctrl.cl != clInt {
		fc.fail(n.ExpressionList, "switch on a non-integer value")
	}
	sc := scalarOf(ctrl.t).promote()
	ctrlV := fc.convert(ctrl, fc.promotedType(ctrl.t), n).i
	type caseRange struct {
		lo, hi uint64
		id     int32
	}
	var cases []caseRange
	exact := map[uint64]int32{}
	var deflt int32
	for _, ls := range n.LabeledStatements() {
		id := fc.labelID(ls)
		switch ls.Case {
		case cc.LabeledStatementCaseLabel:
			v := sc.normalize(fc.constInt(ls.ConstantExpression))
			if _, dup := exact[v]; !dup {
				exact[v] = id
			}
		case cc.LabeledStatementRange:
			lo, hi := sc.normalize(fc.constInt(ls.ConstantExpression)), sc.normalize(fc.constInt(ls.ConstantExpression2))
			cases = append(cases, caseRange{lo, hi, id})
		case cc.LabeledStatementDefault:
			deflt = id
		}
	}
	body := fc.statement(n.Statement)
	run := body.run
	signed := sc.signed
	lookup := func(v uint64) int32 {
		if id, ok := exact[v]; ok {
			return id
		}
		for _, c := range cases {
			if signed && int64(v) >= int64(c.lo) && int64(v) <= int64(c.hi) ||
				!signed && v >= c.lo && v <= c.hi {
				return c.id
			}
		}
		return deflt
	}
	return cstmt{labels: body.labels, run: func(f *frame) ctl {
		if f.gotoL == 0 {
			f.pos = p
			id := lookup(ctrlV(f))
			if id == 0 {
				return ctlNext
			}
			f.gotoL = id
		}
		c := run(f)
		if c == ctlBreak {
			return ctlNext
		}
		return c
	}}
}

func (fc *fnCompiler) constInt(n cc.ExpressionNode) uint64 {
	switch v := n.Value().(type) {
	case cc.Int64Value:
		return uint64(v)
	case cc.UInt64Value:
		return uint64(v)
	}
	fc.fail(n, "case label is not an integer constant")
	return 0
}

func (fc *fnCompiler) iteration(n *cc.IterationStatement) cstmt {
	p := fc.posIndex(n)
	var init func(*frame)
	var cond bexpr
	var post func(*frame)
	switch n.Case {
	case cc.IterationStatementWhile, cc.IterationStatementDo:
		cond = fc.cond(n.ExpressionList)
	case cc.IterationStatementFor:
		if n.ExpressionList != nil {
			init = fc.effect(n.ExpressionList)
		}
		if n.ExpressionList2 != nil {
			cond = fc.cond(n.ExpressionList2)
		}
		if n.ExpressionList3 != nil {
			post = fc.effect(n.ExpressionList3)
		}
	case cc.IterationStatementForDecl:
		decl := seq(fc.declaration(n.Declaration)).run
		init = func(f *frame) { decl(f) }
		if n.ExpressionList != nil {
			cond = fc.cond(n.ExpressionList)
		}
		if n.ExpressionList2 != nil {
			post = fc.effect(n.ExpressionList2)
		}
	}
	body := fc.statement(n.Statement)
	run := body.run
	isDo := n.Case == cc.IterationStatementDo
	return cstmt{labels: body.labels, run: func(f *frame) ctl {
		seeking := f.gotoL != 0
		if !seeking {
			f.pos = p
			if init != nil {
				init(f)
			}
		}
		first := true
		for {
			if !seeking && !(isDo && first) && cond != nil && !cond(f) {
				return ctlNext
			}
			first, seeking = false, false
			switch run(f) {
			case ctlBreak:
				return ctlNext
			case ctlReturn:
				return ctlReturn
			case ctlGoto:
				if !body.has(f.gotoL) {
					return ctlGoto
				}
				seeking = true
				f.cpu.tick()
				continue
			}
			if post != nil {
				post(f)
			}
			f.cpu.tick()
		}
	}}
}

func (fc *fnCompiler) jump(n *cc.JumpStatement) cstmt {
	p := fc.posIndex(n)
	switch n.Case {
	case cc.JumpStatementGoto:
		target := n.Label()
		if target == nil {
			fc.fail(n, "goto to an unknown label")
		}
		id := fc.labelID(target)
		return cstmt{run: func(f *frame) ctl {
			f.pos = p
			f.gotoL = id
			f.cpu.tick()
			return ctlGoto
		}}
	case cc.JumpStatementGotoExpr:
		target := fc.expr(n.ExpressionList).i
		fnID := uint64(fc.fn.id)
		return cstmt{run: func(f *frame) ctl {
			f.pos = p
			v := target(f)
			if v&^labelMask != labelBase|fnID<<20 || v&labelMask == 0 {
				f.fault("call", "goto *%#x: not a label of this function", v)
			}
			f.gotoL = int32(v & labelMask)
			f.cpu.tick()
			return ctlGoto
		}}
	case cc.JumpStatementContinue:
		return cstmt{run: func(*frame) ctl { return ctlContinue }}
	case cc.JumpStatementBreak:
		return cstmt{run: func(*frame) ctl { return ctlBreak }}
	case cc.JumpStatementReturn:
		if n.ExpressionList == nil {
			return cstmt{run: func(*frame) ctl { return ctlReturn }}
		}
		e := fc.expr(n.ExpressionList)
		switch fc.fn.ret {
		case clVoid:
			eff := fc.effect(n.ExpressionList)
			return cstmt{run: func(f *frame) ctl { f.pos = p; eff(f); return ctlReturn }}
		case clAgg:
			src := e.i
			size := fc.fn.retSize
			return cstmt{run: func(f *frame) ctl {
				f.pos = p
				a := src(f)
				f.m.move(f.sret, a, size)
				f.ret = f.sret
				return ctlReturn
			}}
		}
		v := fc.bits(fc.convert(e, fc.fn.ft.Result(), n))
		return cstmt{run: func(f *frame) ctl {
			f.pos = p
			f.ret = v(f)
			return ctlReturn
		}}
	}
	fc.fail(n, "unknown jump statement")
	return cstmt{}
}

// Label addresses (&&label) are labelBase | function id << 20 | label id:
// never valid data or function addresses, and checked by goto *.
const (
	labelBase = uint64(1) << 46
	labelMask = 1<<20 - 1
)

// labelAddr compiles &&name.
func (fc *fnCompiler) labelAddr(n *cc.UnaryExpression) uint64 {
	owner := fc
	if fc.owner != nil {
		owner = fc.owner
	}
	if owner.fn == nil || owner.named == nil {
		fc.fail(n, "&&%s outside a function", n.Token2.SrcStr())
	}
	ls := owner.named[n.Token2.SrcStr()]
	if ls == nil {
		fc.fail(n, "unknown label %s", n.Token2.SrcStr())
	}
	return labelBase | uint64(owner.fn.id)<<20 | uint64(fc.labelID(ls))
}

// collectLabels finds the named labels of a function body.
func collectLabels(n *cc.CompoundStatement, out map[string]*cc.LabeledStatement) {
	for l := n.BlockItemList; l != nil; l = l.BlockItemList {
		if l.BlockItem.Case == cc.BlockItemStmt {
			collectStmtLabels(l.BlockItem.Statement, out)
		}
	}
}

func collectStmtLabels(s *cc.Statement, out map[string]*cc.LabeledStatement) {
	if s == nil {
		return
	}
	switch s.Case {
	case cc.StatementLabeled:
		ls := s.LabeledStatement
		if ls.Case == cc.LabeledStatementLabel {
			out[ls.Token.SrcStr()] = ls
		}
		collectStmtLabels(ls.Statement, out)
	case cc.StatementCompound:
		collectLabels(s.CompoundStatement, out)
	case cc.StatementSelection:
		collectStmtLabels(s.SelectionStatement.Statement, out)
		collectStmtLabels(s.SelectionStatement.Statement2, out)
	case cc.StatementIteration:
		collectStmtLabels(s.IterationStatement.Statement, out)
	}
}

// bits returns a value's raw 64 bits: integers as they are, floating values
// as their float64 bits.
func (fc *fnCompiler) bits(e cexpr) iexpr {
	if e.cl.isFloating() {
		ff := e.f
		return func(f *frame) uint64 { return math.Float64bits(ff(f)) }
	}
	return e.i
}
