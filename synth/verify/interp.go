package verify

import (
	"fmt"
	"math"
	"os"
	"path/filepath"

	"github.com/upsynth/upsynth/runtime"
	"github.com/upsynth/upsynth/synth"
)

// FromPlan builds the update of an emitted package from its plan.json and
// C sources, performing the transfer and adapter steps the generated Go code
// performs (same plan, same conversions), with the generated hooks (which do
// nothing). It refuses a package whose hooks.go a person edited: only the
// compiled package runs those (go test, or upsynth verify --go).
func FromPlan(dir string, p *synth.Plan) (func(runtime.Mode) *runtime.Update, error) {
	gen, err := synth.Generate(p)
	if err != nil {
		return nil, err
	}
	if hooks, err := os.ReadFile(filepath.Join(dir, "hooks.go")); err == nil && string(hooks) != string(gen["hooks.go"]) {
		return nil, fmt.Errorf("%s/hooks.go was edited: the in-process interpreter cannot run it; verify the compiled package (upsynth verify --go)", dir)
	}
	var srcs []runtime.Source
	for _, s := range append(append([]string(nil), p.Modules...), p.Headers...) {
		b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(synth.NewSourcesDir), filepath.FromSlash(s)))
		if err != nil {
			return nil, err
		}
		srcs = append(srcs, runtime.Source{Path: s, Code: b})
	}
	return func(mode runtime.Mode) *runtime.Update {
		u := &runtime.Update{Name: p.Name, Mode: mode, Sources: srcs}
		for _, f := range p.Functions {
			u.Functions = append(u.Functions, f.Name)
		}
		var patches []synth.GlobalPlan
		for _, g := range p.Globals {
			if len(g.Patches) > 0 {
				patches = append(patches, g)
			}
		}
		if len(patches) > 0 {
			u.Before = func(env *runtime.Env) error {
				for _, g := range patches {
					for _, pt := range g.Patches {
						if err := patchGlobal(env, g.Symbol(), pt.Offset, pt.Size, pt.Old, pt.New); err != nil {
							return err
						}
					}
				}
				return nil
			}
		}
		for _, tp := range p.Types {
			tp := tp
			u.Types = append(u.Types, runtime.TypeUpdate{Name: tp.Name, Old: tp.Old, New: tp.New,
				Transfer: func(old, new runtime.State) error {
					return runOps(tp.Name, tp.Forward, old.Raw(), new.Raw(), tp.Old.Size, tp.New.Size)
				},
				Reverse: func(old, new runtime.State) error {
					return runOps(tp.Name, tp.Reverse, old.Raw(), new.Raw(), tp.New.Size, tp.Old.Size)
				}})
		}
		for _, ap := range p.Adapters {
			ap := ap
			a := runtime.Adapter{Func: ap.Func, OldSig: ap.OldDecl, NewSig: ap.NewDecl,
				Forward: func(args []uint64) ([]uint64, error) { return mapArgs(ap.Forward, args) }}
			if ap.Method {
				a.Reverse = func(args []uint64) ([]uint64, error) { return mapArgs(ap.Reverse, args) }
				if c := ap.ReverseResult; c != nil {
					a.ReverseResult = func(v uint64) uint64 { return resultConv(v, int(c.DstSize), c.DstSigned) }
				}
			}
			if c := ap.ForwardResult; c != nil {
				a.ForwardResult = func(v uint64) uint64 { return resultConv(v, int(c.DstSize), c.DstSigned) }
			}
			u.Adapters = append(u.Adapters, a)
		}
		return u
	}, nil
}

// RunOps applies transfer steps to raw state bytes (exported for the
// benchmarks that compare it with generated code).
func RunOps(typ string, ops []synth.Op, o, n []byte) error {
	return runOps(typ, ops, o, n, uint64(len(o)), uint64(len(n)))
}

func runOps(typ string, ops []synth.Op, o, n []byte, oldSize, newSize uint64) error {
	if uint64(len(o)) != oldSize || uint64(len(n)) != newSize {
		return fmt.Errorf("struct %s: the instance has %d -> %d bytes, the package was generated for %d -> %d: another revision?", typ, len(o), len(n), oldSize, newSize)
	}
	return apply(ops, o, n)
}

func apply(ops []synth.Op, o, n []byte) error {
	for _, op := range ops {
		src := func() []byte { return o[op.SrcOff : op.SrcOff+op.SrcSize] }
		dst := func() []byte { return n[op.DstOff : op.DstOff+op.DstSize] }
		switch op.Kind {
		case synth.OpCopy, synth.OpPrefix:
			copy(dst(), src())
		case synth.OpInt:
			if err := convInt(dst(), op.DstSigned, src(), op.Signed, op.Field); err != nil {
				return err
			}
		case synth.OpConst:
			store(dst(), uint64(op.Value))
		case synth.OpFloat:
			convFloat(dst(), src())
		case synth.OpBits:
			if err := convBits(dst(), int(op.DstBit), int(op.DstBits), op.DstSigned, src(), int(op.SrcBit), int(op.SrcBits), op.Signed, op.Field); err != nil {
				return err
			}
		case synth.OpArray:
			for i := uint64(0); i < op.Count; i++ {
				so := o[op.SrcOff+i*op.SrcStride : op.SrcOff+(i+1)*op.SrcStride]
				do := n[op.DstOff+i*op.DstStride : op.DstOff+(i+1)*op.DstStride]
				if err := apply(op.Elem, so, do); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// MapArgs maps call arguments as an adapter's steps say (exported for the
// test that compares it with generated adapters).
func MapArgs(maps []synth.ArgMap, args []uint64) ([]uint64, error) { return mapArgs(maps, args) }

func mapArgs(maps []synth.ArgMap, args []uint64) ([]uint64, error) {
	out := make([]uint64, len(maps))
	for i, m := range maps {
		switch {
		case m.From < 0:
		case m.From >= len(args):
			return nil, fmt.Errorf("argument %s: the call has %d arguments", m.Param, len(args))
		case m.Conv != nil:
			v, err := argConv(args[m.From], int(m.Conv.SrcSize), m.Conv.SrcSigned, int(m.Conv.DstSize), m.Conv.DstSigned, m.Param)
			if err != nil {
				return nil, err
			}
			out[i] = v
		default:
			out[i] = args[m.From]
		}
	}
	return out, nil
}

// The conversions below are those of the generated helpers.go.

func load(b []byte, signed bool) uint64 {
	var v uint64
	for i := len(b) - 1; i >= 0; i-- {
		v = v<<8 | uint64(b[i])
	}
	if w := uint(len(b) * 8); signed && w < 64 {
		v = uint64(int64(v<<(64-w)) >> (64 - w))
	}
	return v
}

func store(b []byte, v uint64) {
	for i := range b {
		b[i] = byte(v >> (8 * i))
	}
}

func fits(v uint64, srcSigned bool, w uint, dstSigned bool) bool {
	if srcSigned && int64(v) < 0 {
		return dstSigned && (w >= 64 || int64(v) >= -(int64(1)<<(w-1)))
	}
	switch {
	case w >= 64:
		return !dstSigned || int64(v) >= 0
	case dstSigned:
		return v < uint64(1)<<(w-1)
	}
	return v < uint64(1)<<w
}

func convInt(dst []byte, dstSigned bool, src []byte, srcSigned bool, field string) error {
	v := load(src, srcSigned)
	if !fits(v, srcSigned, uint(len(dst)*8), dstSigned) {
		return fmt.Errorf("%s: value %d does not fit the new type (%d bytes)", field, int64(v), len(dst))
	}
	store(dst, v)
	return nil
}

func convFloat(dst, src []byte) {
	if len(src) == 4 {
		store(dst, math.Float64bits(float64(math.Float32frombits(uint32(load(src, false))))))
		return
	}
	store(dst, uint64(math.Float32bits(float32(math.Float64frombits(load(src, false))))))
}

func convBits(dst []byte, dbit, dbits int, dstSigned bool, src []byte, sbit, sbits int, srcSigned bool, field string) error {
	v := load(src, false) >> uint(sbit)
	if sbits < 64 {
		v &= uint64(1)<<uint(sbits) - 1
		if srcSigned && v>>uint(sbits-1) == 1 {
			v |= ^uint64(0) << uint(sbits)
		}
	}
	if !fits(v, srcSigned, uint(dbits), dstSigned) {
		return fmt.Errorf("%s: value %d does not fit %d bits", field, int64(v), dbits)
	}
	u := load(dst, false)
	mask := ^uint64(0)
	if dbits < 64 {
		mask = uint64(1)<<uint(dbits) - 1
	}
	u = u&^(mask<<uint(dbit)) | (v&mask)<<uint(dbit)
	store(dst, u)
	return nil
}

func argConv(v uint64, srcSize int, srcSigned bool, dstSize int, dstSigned bool, param string) (uint64, error) {
	if w := uint(srcSize * 8); w < 64 {
		v &= uint64(1)<<w - 1
		if srcSigned && v>>(w-1) == 1 {
			v |= ^uint64(0) << w
		}
	}
	w := uint(dstSize * 8)
	ok := true
	switch {
	case srcSigned && int64(v) < 0:
		ok = dstSigned && (w >= 64 || int64(v) >= -(int64(1)<<(w-1)))
	case w >= 64:
		ok = !dstSigned || int64(v) >= 0
	case dstSigned:
		ok = v < uint64(1)<<(w-1)
	default:
		ok = v < uint64(1)<<w
	}
	if !ok {
		return 0, fmt.Errorf("argument %s: %d does not fit %d bytes", param, int64(v), dstSize)
	}
	return resultConv(v, dstSize, dstSigned), nil
}

func patchGlobal(env *runtime.Env, sym string, off, size, old, new uint64) error {
	addr, ok := env.Global(sym)
	if !ok {
		return fmt.Errorf("the running kernel has no global %s", sym)
	}
	v, err := env.ReadUint(addr+off, size)
	if err != nil {
		return err
	}
	if v != old {
		return fmt.Errorf("global %s holds %d at +%d, not the initial %d: it changed at run time, a hook must decide", sym, v, off, old)
	}
	return env.WriteUint(addr+off, size, new)
}

func resultConv(v uint64, size int, signed bool) uint64 {
	if w := uint(size * 8); w < 64 {
		v &= uint64(1)<<w - 1
		if signed && v>>(w-1) == 1 {
			v |= ^uint64(0) << w
		}
	}
	return v
}
