package synth

import (
	"fmt"

	"github.com/upsynth/upsynth/runtime"
	"github.com/upsynth/upsynth/runtime/plan"
)

// Fingerprint identifies a layout (runtime.Layout.Fingerprint): generated
// packages check it before their transfer code runs.
func Fingerprint(l *runtime.Layout) string { return l.Fingerprint() }

// planTransfer matches the fields of two versions of a struct and returns
// the steps that convert old to new.
func planTransfer(name string, old, new *Struct, defaults map[string]int64, ctor string) (tp TypePlan) {
	tp = TypePlan{Name: name, Old: old.Layout, New: new.Layout}
	tp.OldFingerprint, tp.NewFingerprint = Fingerprint(&tp.Old), Fingerprint(&tp.New)
	ctx := &matchCtx{tp: &tp, defaults: defaults, ctor: ctor}
	tp.Forward = ctx.match("", old, new, 0, 0, true)
	rctx := &matchCtx{tp: &TypePlan{}}
	tp.Reverse = rctx.match("", new, old, 0, 0, false)
	return tp
}

type matchCtx struct {
	tp       *TypePlan
	depth    int
	defaults map[string]int64 // top-level field -> constructor constant
	ctor     string
}

// match pairs the fields of two structs: by name first, then, among the
// leftovers, by position and type (a likely rename).
func (c *matchCtx) match(prefix string, old, new *Struct, srcBase, dstBase uint64, record bool) []Op {
	if c.depth > 16 {
		c.tp.Problems = append(c.tp.Problems, prefix+": nested too deeply")
		return nil
	}
	c.depth++
	defer func() { c.depth-- }()
	var ops []Op
	usedOld := map[int]bool{}
	pair := map[int]int{} // new index -> old index
	guess := map[int]bool{}
	for i, nf := range new.Layout.Fields {
		if nf.Name == "" {
			continue
		}
		for j, of := range old.Layout.Fields {
			if of.Name == nf.Name && !usedOld[j] {
				pair[i], usedOld[j] = j, true
				break
			}
		}
	}
	// Position and type: the k-th unmatched new field and the k-th unmatched
	// old field at the same index with the same C type.
	for i, nf := range new.Layout.Fields {
		if _, ok := pair[i]; ok || i >= len(old.Layout.Fields) || usedOld[i] {
			continue
		}
		if _, ok := c.defaults[nf.Name]; ok && prefix == "" {
			continue // the constructor initializes it: a new field, not a rename
		}
		of := old.Layout.Fields[i]
		if of.Type == nf.Type && of.Size == nf.Size {
			pair[i], usedOld[i], guess[i] = i, true, true
		}
	}
	for i, nf := range new.Layout.Fields {
		path := prefix + nf.Name
		j, ok := pair[i]
		if !ok {
			if v, ok := c.defaults[nf.Name]; ok && prefix == "" && record && isInt(nf.Kind) && nf.BitWidth == 0 {
				ops = append(ops, Op{Kind: plan.OpConst, Field: path, DstOff: dstBase + nf.Offset, DstSize: nf.Size, Value: v,
					Note: fmt.Sprintf("new field %s %s: %d, as %s sets it", nf.Type, path, v, c.ctor)})
				continue
			}
			if record {
				c.tp.Added = append(c.tp.Added, path)
			}
			ops = append(ops, Op{Kind: plan.OpDefault, Field: path, DstOff: dstBase + nf.Offset, DstSize: nf.Size,
				Note: fmt.Sprintf("new field %s %s: zero unless a hook sets it", nf.Type, path)})
			continue
		}
		of := old.Layout.Fields[j]
		from := prefix + of.Name
		if guess[i] && record {
			c.tp.Guesses = append(c.tp.Guesses, fmt.Sprintf("%s <- %s", path, from))
		}
		o := c.field(path, from, of, nf, old.Shapes[j], new.Shapes[i], srcBase, dstBase, record)
		for k := range o {
			o[k].Guess = o[k].Guess || guess[i]
		}
		ops = append(ops, o...)
	}
	if record {
		for j, of := range old.Layout.Fields {
			if !usedOld[j] && of.Name != "" {
				c.tp.Removed = append(c.tp.Removed, prefix+of.Name)
			}
		}
	}
	return ops
}

func (c *matchCtx) field(path, from string, of, nf runtime.Field, os, ns *Shape, srcBase, dstBase uint64, record bool) []Op {
	op := Op{Field: path, From: from, SrcOff: srcBase + of.Offset, DstOff: dstBase + nf.Offset, SrcSize: of.Size, DstSize: nf.Size}
	how := "by name"
	if nf.Name != of.Name {
		how = "by position and type (a likely rename: confirm)"
	}
	switch {
	case of.BitWidth > 0 || nf.BitWidth > 0:
		if !scalar(of.Kind) || !scalar(nf.Kind) {
			return c.problem(path, fmt.Sprintf("%s: bitfield and aggregate (%s -> %s)", path, of.Type, nf.Type), nf, dstBase)
		}
		op.Kind = plan.OpBits
		op.SrcBit, op.SrcBits, op.DstBit, op.DstBits = of.BitOffset, of.BitWidth, nf.BitOffset, nf.BitWidth
		if op.SrcBits == 0 {
			op.SrcBits = uint8(of.Size * 8)
		}
		if op.DstBits == 0 {
			op.DstBits = uint8(nf.Size * 8)
		}
		op.Signed, op.DstSigned = of.Kind == runtime.Int, nf.Kind == runtime.Int
		op.Note = fmt.Sprintf("%s: %s -> %s, %s (checked when narrowed)", path, of.Type, nf.Type, how)
		return []Op{op}
	case of.Kind == runtime.Float && nf.Kind == runtime.Float:
		op.Kind = plan.OpCopy
		if of.Size != nf.Size {
			op.Kind = plan.OpFloat
		}
		op.Note = fmt.Sprintf("%s: %s -> %s, %s", path, of.Type, nf.Type, how)
		return []Op{op}
	case isInt(of.Kind) && isInt(nf.Kind):
		op.Signed, op.DstSigned = of.Kind == runtime.Int, nf.Kind == runtime.Int
		if of.Size == nf.Size && (op.Signed == op.DstSigned || of.Kind == runtime.ObjRef || nf.Kind == runtime.ObjRef) {
			op.Kind = plan.OpCopy
			op.Note = fmt.Sprintf("%s: %s, %s", path, nf.Type, how)
			return []Op{op}
		}
		op.Kind = plan.OpInt
		verb := "widened"
		switch {
		case nf.Size < of.Size:
			verb = "narrowed (checked at run time)"
		case nf.Size == of.Size:
			verb = "signedness changed (checked at run time)"
		case op.Signed && !op.DstSigned:
			verb = "widened to unsigned (negative values checked)"
		}
		op.Note = fmt.Sprintf("%s: %s -> %s %s, %s", path, of.Type, nf.Type, verb, how)
		return []Op{op}
	case of.Kind == runtime.Ptr && nf.Kind == runtime.Ptr:
		op.Kind = plan.OpCopy
		op.Note = fmt.Sprintf("%s: %s, %s", path, nf.Type, how)
		if of.Type != nf.Type {
			op.Note = fmt.Sprintf("%s: pointer %s -> %s, %s: the memory it points to is not converted", path, of.Type, nf.Type, how)
			if record {
				c.tp.Problems = append(c.tp.Problems, fmt.Sprintf("%s points to %s now (was %s): what it points to keeps its old layout", path, nf.Type, of.Type))
			}
		}
		return []Op{op}
	case of.Kind == runtime.Bytes && nf.Kind == runtime.Bytes:
		return c.aggregate(op, of, nf, os, ns, srcBase, dstBase, how, record)
	}
	return c.problem(path, fmt.Sprintf("%s: %s (%s) cannot be converted to %s (%s)", path, of.Type, of.Kind, nf.Type, nf.Kind), nf, dstBase)
}

func (c *matchCtx) problem(path, why string, nf runtime.Field, dstBase uint64) []Op {
	c.tp.Problems = append(c.tp.Problems, why)
	return []Op{{Kind: plan.OpDefault, Field: path, DstOff: dstBase + nf.Offset, DstSize: nf.Size, Note: why + ": left zero for a hook"}}
}

func (c *matchCtx) aggregate(op Op, of, nf runtime.Field, os, ns *Shape, srcBase, dstBase uint64, how string, record bool) []Op {
	path := op.Field
	same := of.Type == nf.Type && of.Size == nf.Size && shapeEqual(os, ns)
	switch {
	case same:
		op.Kind = plan.OpCopy
		op.Note = fmt.Sprintf("%s: %s, %s", path, nf.Type, how)
		return []Op{op}
	case os != nil && ns != nil && os.Struct != nil && ns.Struct != nil:
		// A nested struct: convert member by member.
		return c.match(path+".", os.Struct, ns.Struct, srcBase+of.Offset, dstBase+nf.Offset, record)
	case os != nil && ns != nil && os.Len >= 0 && ns.Len >= 0 && os.ElemSize > 0 && ns.ElemSize > 0 && os.Struct == nil && ns.Struct == nil && !os.Union && !ns.Union:
		n := uint64(min(os.Len, ns.Len))
		if os.ElemType == ns.ElemType && os.ElemSize == ns.ElemSize && shapeEqual(os.Elem, ns.Elem) {
			op.Kind = plan.OpPrefix
			op.SrcSize = n * os.ElemSize
			op.DstSize = op.SrcSize
			op.Note = fmt.Sprintf("%s: %s -> %s, resized: the first %d elements copied, %s", path, of.Type, nf.Type, n, how)
			if ns.Len < os.Len {
				op.Note += fmt.Sprintf("; elements %d..%d of the old array are dropped", ns.Len, os.Len-1)
			}
			return []Op{op}
		}
		op.Kind, op.Count, op.SrcStride, op.DstStride = plan.OpArray, n, os.ElemSize, ns.ElemSize
		oe := runtime.Field{Name: "", Size: os.ElemSize, Kind: os.ElemKind, Type: os.ElemType}
		ne := runtime.Field{Name: "", Size: ns.ElemSize, Kind: ns.ElemKind, Type: ns.ElemType}
		op.Elem = c.field(path+"[]", from(op)+"[]", oe, ne, os.Elem, ns.Elem, 0, 0, record)
		op.Note = fmt.Sprintf("%s: %s -> %s: %d elements converted one by one, %s", path, of.Type, nf.Type, n, how)
		return []Op{op}
	case os != nil && ns != nil && os.Elem != nil && ns.Elem != nil && os.Elem.Struct != nil && ns.Elem.Struct != nil:
		n := uint64(min(os.Len, ns.Len))
		op.Kind, op.Count, op.SrcStride, op.DstStride = plan.OpArray, n, os.ElemSize, ns.ElemSize
		op.Elem = c.match(path+"[].", os.Elem.Struct, ns.Elem.Struct, 0, 0, record)
		op.Note = fmt.Sprintf("%s: array of %s -> %s: %d elements converted member by member, %s", path, os.ElemType, ns.ElemType, n, how)
		return []Op{op}
	}
	if of.Size == nf.Size && (os == nil || !os.Union) {
		op.Kind = plan.OpCopy
		op.Note = fmt.Sprintf("%s: %s -> %s, same size: bytes copied, %s", path, of.Type, nf.Type, how)
		return []Op{op}
	}
	return c.problem(path, fmt.Sprintf("%s: %s -> %s changed shape", path, of.Type, nf.Type), nf, dstBase)
}

func from(op Op) string { return op.From }

func scalar(k runtime.Kind) bool { return k != runtime.Bytes }

func isInt(k runtime.Kind) bool { return k == runtime.Int || k == runtime.Uint || k == runtime.ObjRef }

// shapeEqual reports whether two aggregate shapes have the same bytes.
func shapeEqual(a, b *Shape) bool {
	if a == nil || b == nil {
		return a == b
	}
	if a.Union != b.Union || a.Len != b.Len || a.ElemSize != b.ElemSize || a.ElemKind != b.ElemKind || !shapeEqual(a.Elem, b.Elem) {
		return false
	}
	if (a.Struct == nil) != (b.Struct == nil) {
		return false
	}
	if a.Struct != nil {
		if !a.Struct.Layout.Equal(&b.Struct.Layout) {
			return false
		}
		for i := range a.Struct.Shapes {
			if !shapeEqual(a.Struct.Shapes[i], b.Struct.Shapes[i]) {
				return false
			}
		}
	}
	return true
}
