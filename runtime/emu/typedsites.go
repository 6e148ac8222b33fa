package emu

import (
	"reflect"

	"modernc.org/cc/v4"
)

// What the typed heap (typedheap.go) learns about each function when it is
// compiled: the type of every allocation site, the calls after which the
// caller holds no value of its own (a suspended frame there is fully
// visible), the struct layouts its code depends on, and where its locals
// live with their types.

// Allocator names a kernel allocation function and its free function: a
// call of Alloc records a heap block typed by the call site; a call of Free
// forgets the block. kalloc/kfree are always allocators. The size is the
// first argument of Alloc, the block the first argument of Free.
type Allocator struct {
	Alloc, Free string
}

// fnHeapInfo is the typed heap's view of one compiled function.
type fnHeapInfo struct {
	clean map[int32]bool  // call positions after which the caller holds no temporaries
	deps  map[string]bool // struct and union tags whose layout its code depends on
	// layout says, per tag in deps, which of its numbers the code reads
	// from layout cells and which it has compiled in (layoutcells.go).
	layout  map[string]*layoutUse
	vars    []frameVar // parameters and locals
	statics []*global  // static locals
}

// frameVar is a local variable or parameter: in a Go slot or in the frame's
// memory.
type frameVar struct {
	name string
	slot int // >= 0: the Go slot
	off  uint64
	t    cc.Type
}

// allocSite is a call of an allocator or a free function.
type allocSite struct {
	free  bool
	alloc string  // the allocator's name
	elem  cc.Type // the element type of the block, nil when it cannot be told
	// array: the size is a multiple of sizeof(elem) (n * sizeof(T));
	// otherwise the block is one elem followed by untyped bytes.
	array bool
	pos   int32
	unit  *unit
}

// heapAnalysis is the pre-pass over a function definition.
type heapAnalysis struct {
	parent map[cc.Node]cc.Node
	sites  map[*cc.PostfixExpression]*allocSite
	clean  map[*cc.PostfixExpression]bool
	deps   map[string]bool
	static []*cc.Declarator
	pos    map[*cc.PostfixExpression]int32
	// The places whose code depends on a struct's layout, those compiled
	// to read layout cells, and which folded constants depend on a
	// layout (layoutcells.go).
	layoutNodes map[cc.Node]layoutNode
	celled      map[cc.Node]bool
	constDeps   map[cc.ExpressionNode]bool
	layout      map[string]*layoutUse
}

var nodeType = reflect.TypeOf((*cc.Node)(nil)).Elem()

// walkNodes calls visit for every AST node under v with its parent.
func walkNodes(v reflect.Value, parent cc.Node, visit func(n, parent cc.Node)) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return
		}
		if v.Kind() == reflect.Pointer && v.Type().Implements(nodeType) {
			n := v.Interface().(cc.Node)
			visit(n, parent)
			parent = n
		}
		walkNodes(v.Elem(), parent, visit)
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			f := v.Type().Field(i)
			if !f.IsExported() {
				continue
			}
			switch f.Type.Kind() {
			case reflect.Pointer, reflect.Interface, reflect.Struct:
				walkNodes(v.Field(i), parent, visit)
			}
		}
	}
}

// structTag is the tag of a struct or union type (through arrays), "" for
// other types and untagged ones.
func structTag(t cc.Type) string {
	for t != nil {
		switch x := t.(type) {
		case *cc.StructType:
			tag := x.Tag()
			return tag.SrcStr()
		case *cc.UnionType:
			tag := x.Tag()
			return tag.SrcStr()
		case *cc.ArrayType:
			t = x.Elem()
		default:
			return ""
		}
	}
	return ""
}

// analyzeHeap runs the pre-pass over a function before it is compiled.
func (fc *fnCompiler) analyzeHeap(def *cc.FunctionDefinition) {
	ha := &heapAnalysis{parent: map[cc.Node]cc.Node{}, sites: map[*cc.PostfixExpression]*allocSite{},
		clean: map[*cc.PostfixExpression]bool{}, deps: map[string]bool{}, pos: map[*cc.PostfixExpression]int32{},
		layoutNodes: map[cc.Node]layoutNode{}, celled: map[cc.Node]bool{}, constDeps: map[cc.ExpressionNode]bool{}}
	fc.heap = ha
	allocs := fc.lk.img.allocators()
	var at cc.Node // the node being visited
	dep := func(t cc.Type) {
		if tag := structTag(t); tag != "" {
			ha.deps[tag] = true
			if _, ok := ha.layoutNodes[at]; !ok {
				ha.layoutNodes[at] = layoutNode{tag: tag}
			}
		}
	}
	depWhy := func(t cc.Type, why string) {
		if tag := structTag(t); tag != "" {
			ha.deps[tag] = true
			ha.layoutNodes[at] = layoutNode{tag: tag, why: why}
		}
	}
	member := func(t cc.Type, name string) {
		if tag := structTag(t); tag != "" {
			ha.deps[tag] = true
			ha.layoutNodes[at] = layoutNode{tag: tag, field: name}
		}
	}
	var calls []*cc.PostfixExpression
	walkNodes(reflect.ValueOf(def.CompoundStatement), nil, func(n, parent cc.Node) {
		ha.parent[n] = parent
		at = n
		switch x := n.(type) {
		case *cc.PostfixExpression:
			switch x.Case {
			case cc.PostfixExpressionCall:
				calls = append(calls, x)
				for l := x.ArgumentExpressionList; l != nil; l = l.ArgumentExpressionList {
					if a := l.AssignmentExpression; a != nil && isAggregate(a.Type()) {
						depWhy(a.Type(), "a struct passed by value")
					}
				}
			case cc.PostfixExpressionSelect:
				member(x.PostfixExpression.Type(), x.Token2.SrcStr())
			case cc.PostfixExpressionPSelect:
				if x.PostfixExpression != nil {
					member(pointee(x.PostfixExpression.Type()), x.Token2.SrcStr())
				}
			case cc.PostfixExpressionIndex, cc.PostfixExpressionInc, cc.PostfixExpressionDec:
				if x.PostfixExpression != nil {
					dep(pointee(x.PostfixExpression.Type()))
				}
			}
		case *cc.JumpStatement:
			if x.Case == cc.JumpStatementReturn && x.ExpressionList != nil && isAggregate(x.ExpressionList.Type()) {
				depWhy(x.ExpressionList.Type(), "a struct returned by value")
			}
		case *cc.UnaryExpression:
			switch x.Case {
			case cc.UnaryExpressionSizeofType:
				if x.TypeName != nil {
					dep(x.TypeName.Type())
				}
			case cc.UnaryExpressionSizeofExpr:
				if x.UnaryExpression != nil {
					dep(x.UnaryExpression.Type())
				}
			case cc.UnaryExpressionAlignofType:
				if x.TypeName != nil {
					depWhy(x.TypeName.Type(), "an alignof")
				}
			case cc.UnaryExpressionAlignofExpr:
				if x.UnaryExpression != nil {
					depWhy(x.UnaryExpression.Type(), "an alignof")
				}
			case cc.UnaryExpressionInc, cc.UnaryExpressionDec:
				dep(pointee(x.Type()))
			}
		case *cc.AdditiveExpression:
			if x.Case != cc.AdditiveExpressionMul {
				dep(pointee(x.Type()))
				if x.AdditiveExpression != nil {
					dep(pointee(x.AdditiveExpression.Type()))
				}
			}
		case *cc.AssignmentExpression:
			if x.UnaryExpression != nil {
				t := x.UnaryExpression.Type()
				if x.Case == cc.AssignmentExpressionAssign {
					if isAggregate(t) {
						depWhy(t, "a struct copy") // its size is compiled in
					}
				} else {
					dep(pointee(t)) // p += n
				}
			}
		case *cc.Declarator:
			if x.StorageDuration() == cc.Static && x.Type() != nil && x.Type().Kind() != cc.Function {
				ha.static = append(ha.static, x)
			}
		}
	})
	for _, call := range calls {
		ha.clean[call] = ha.isClean(call)
		p, ok := call.PostfixExpression.(*cc.PrimaryExpression)
		if !ok || p.Case != cc.PrimaryExpressionIdent {
			continue
		}
		name := p.Token.SrcStr()
		for _, a := range allocs {
			switch name {
			case a.Alloc:
				elem, array := ha.siteType(call, fc)
				ha.sites[call] = &allocSite{alloc: a.Alloc, elem: elem, array: array, unit: fc.u}
			case a.Free:
				ha.sites[call] = &allocSite{free: true, alloc: a.Alloc}
			}
		}
	}
}

// isAggregate reports whether t is a struct or union type.
func isAggregate(t cc.Type) bool {
	return t != nil && (t.Kind() == cc.Struct || t.Kind() == cc.Union)
}

// allocators are the image's allocation functions, kalloc first.
func (img *Image) allocators() []Allocator {
	return append([]Allocator{{Alloc: "kalloc", Free: "kfree"}}, img.opts.Allocators...)
}

// isClean reports whether a call's caller holds no value of its own across
// it: the call is a whole statement, the value assigned to a variable or
// returned, or a condition (compared with a constant at most). Arguments
// already evaluated for an enclosing call are in that call's frame, which
// the typed heap sees, but such a call is not clean: conservative.
func (ha *heapAnalysis) isClean(call *cc.PostfixExpression) bool {
	var n cc.Node = call
	for {
		p := ha.parent[n]
		switch x := p.(type) {
		case *cc.PrimaryExpression:
			if x.Case != cc.PrimaryExpressionExpr {
				return false
			}
		case *cc.CastExpression:
		case *cc.UnaryExpression:
			if x.Case != cc.UnaryExpressionNot {
				return false
			}
		case *cc.EqualityExpression:
			if other := otherOperand(x.EqualityExpression, x.RelationalExpression, n); other == nil || other.Value() == cc.Unknown || other.Value() == nil {
				return false
			}
		case *cc.RelationalExpression:
			if other := otherOperand(x.RelationalExpression, x.ShiftExpression, n); other == nil || other.Value() == cc.Unknown || other.Value() == nil {
				return false
			}
		case *cc.AssignmentExpression:
			lhs, ok := x.UnaryExpression.(*cc.PrimaryExpression)
			if x.Case != cc.AssignmentExpressionAssign || x.AssignmentExpression != n || !ok || lhs.Case != cc.PrimaryExpressionIdent {
				return false
			}
		case *cc.ExpressionStatement, *cc.JumpStatement, *cc.SelectionStatement, *cc.IterationStatement:
			return true
		case *cc.Initializer:
			_, ok := ha.parent[x].(*cc.InitDeclarator)
			return ok && x.Case == cc.InitializerExpr
		default:
			return false
		}
		n = p
	}
}

func otherOperand(a, b cc.ExpressionNode, n cc.Node) cc.ExpressionNode {
	switch n {
	case a:
		return b
	case b:
		return a
	}
	return nil
}

// siteType is the element type of the block an allocation call returns:
// the type its result is converted to (a cast, an assignment, an
// initializer, a return) when that is a pointer to something other than
// void or a character, else the type its size argument takes the sizeof of
// (sizeof(T), n * sizeof(T), sizeof(T) + n); nil when neither says.
//
// The block is an array of it when the size is n * sizeof(T); otherwise one
// T followed by untyped bytes (FreeRTOS's Queue_t and its storage).
func (ha *heapAnalysis) siteType(call *cc.PostfixExpression, fc *fnCompiler) (cc.Type, bool) {
	var size cc.ExpressionNode
	if l := call.ArgumentExpressionList; l != nil {
		size = l.AssignmentExpression
	}
	array := size != nil && isArraySize(size)
	if t := ha.conversionType(call, fc); t != nil {
		return t, array
	}
	if size == nil {
		return nil, false
	}
	return sizeofType(size), array
}

// isArraySize reports whether a size expression is n * sizeof(T).
func isArraySize(e cc.ExpressionNode) bool {
	for {
		switch x := e.(type) {
		case *cc.PrimaryExpression:
			if x.Case != cc.PrimaryExpressionExpr {
				return false
			}
			e = x.ExpressionList
			continue
		case *cc.MultiplicativeExpression:
			return x.Case == cc.MultiplicativeExpressionMul && (sizeofType(x.CastExpression) != nil || sizeofType(x.MultiplicativeExpression) != nil)
		}
		return false
	}
}

func usefulPointee(t cc.Type) cc.Type {
	p, ok := t.(*cc.PointerType)
	if !ok {
		return nil
	}
	e := p.Elem()
	switch e.Kind() {
	case cc.Void, cc.Char, cc.SChar, cc.UChar, cc.Function:
		return nil
	}
	if e.Size() <= 0 {
		return nil
	}
	return e
}

func (ha *heapAnalysis) conversionType(call *cc.PostfixExpression, fc *fnCompiler) cc.Type {
	var n cc.Node = call
	for {
		p := ha.parent[n]
		switch x := p.(type) {
		case *cc.PrimaryExpression:
			if x.Case != cc.PrimaryExpressionExpr {
				return nil
			}
		case *cc.CastExpression:
			if t := usefulPointee(x.Type()); t != nil {
				return t
			}
		case *cc.AssignmentExpression:
			if x.Case == cc.AssignmentExpressionAssign && x.AssignmentExpression == n && x.UnaryExpression != nil {
				return usefulPointee(x.UnaryExpression.Type())
			}
			return nil
		case *cc.Initializer:
			if id, ok := ha.parent[x].(*cc.InitDeclarator); ok && id.Declarator != nil {
				return usefulPointee(id.Declarator.Type())
			}
			return nil
		case *cc.JumpStatement:
			if x.Case == cc.JumpStatementReturn && fc.fn != nil && fc.fn.ft != nil {
				return usefulPointee(fc.fn.ft.Result())
			}
			return nil
		default:
			return nil
		}
		n = p
	}
}

// sizeofType finds T in sizeof(T), n * sizeof(T), sizeof(T) * n and
// sizeof(T) + n.
func sizeofType(e cc.ExpressionNode) cc.Type {
	for {
		switch x := e.(type) {
		case *cc.PrimaryExpression:
			if x.Case != cc.PrimaryExpressionExpr {
				return nil
			}
			e = x.ExpressionList
			continue
		case *cc.UnaryExpression:
			switch x.Case {
			case cc.UnaryExpressionSizeofType:
				return x.TypeName.Type()
			case cc.UnaryExpressionSizeofExpr:
				return x.UnaryExpression.Type()
			}
		case *cc.MultiplicativeExpression:
			if x.Case == cc.MultiplicativeExpressionMul {
				if t := sizeofType(x.CastExpression); t != nil {
					return t
				}
				return sizeofType(x.MultiplicativeExpression)
			}
		case *cc.AdditiveExpression:
			if x.Case == cc.AdditiveExpressionAdd {
				if t := sizeofType(x.AdditiveExpression); t != nil {
					return t
				}
				return sizeofType(x.MultiplicativeExpression)
			}
		}
		return nil
	}
}

// hookCall is applied to every compiled call: it remembers the call's
// position and makes allocation and free calls maintain the typed heap.
func (fc *fnCompiler) hookCall(n *cc.PostfixExpression, pos int32, call iexpr) iexpr {
	ha := fc.heap
	if ha == nil {
		return call
	}
	ha.pos[n] = pos
	s := ha.sites[n]
	if s == nil {
		return call
	}
	s.pos = pos
	if s.free {
		return func(f *frame) uint64 {
			r := call(f)
			c := f.cpu
			if a := c.frames[c.depth].argv[0]; a != 0 {
				delete(f.m.typed.blocks, a)
			}
			return r
		}
	}
	return func(f *frame) uint64 {
		r := call(f)
		if r != 0 {
			c := f.cpu
			f.m.typed.record(r, c.frames[c.depth].argv[0], s)
		}
		return r
	}
}

// heapInfo finishes the pre-pass once the function is compiled.
func (fc *fnCompiler) heapInfo() *fnHeapInfo {
	ha := fc.heap
	if ha == nil {
		return nil
	}
	fc.finishLayout()
	hi := &fnHeapInfo{clean: map[int32]bool{}, deps: ha.deps, layout: ha.layout}
	for call, ok := range ha.clean {
		if p, has := ha.pos[call]; ok && has {
			hi.clean[p] = true
		}
	}
	for d, l := range fc.locals {
		if l.vla > 0 || l.t == nil {
			continue
		}
		hi.vars = append(hi.vars, frameVar{name: d.Name(), slot: l.slot, off: l.off, t: l.t})
		if tag := structTag(l.t); tag != "" && (l.t.Kind() == cc.Struct || l.t.Kind() == cc.Union || l.t.Kind() == cc.Array) {
			hi.deps[tag] = true // an instance on the stack
		}
	}
	for _, d := range ha.static {
		if g := fc.lk.localStatics[d]; g != nil {
			hi.statics = append(hi.statics, g)
		}
	}
	return hi
}
