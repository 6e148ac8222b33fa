package verify

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/upsynth/upsynth/runtime"
	"github.com/upsynth/upsynth/runtime/emu/verify"
	"github.com/upsynth/upsynth/runtime/plan"
	"github.com/upsynth/upsynth/synth"
)

// FromPlan builds the update of an emitted package from its plan.json and
// C sources, performing the transfer, reverse, adapter and patch steps the
// generated Go code performs (same plan, same conversions), with the
// generated hooks (which do nothing). It refuses a package whose hooks.go a person edited: only the
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
		b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(plan.NewSourcesDir), filepath.FromSlash(verify.StoredPath(s))))
		if err != nil {
			return nil, err
		}
		srcs = append(srcs, runtime.Source{Path: s, Code: b})
	}
	return FromSources(p, srcs), nil
}

// FromSources builds the update of a plan held in memory, with the new C
// sources given (the plan's modules and headers, and any others the running
// image must be compiled against): what FromPlan does for a package
// directory, for callers that plan and apply without writing one (upsynth
// replay). The hooks are the generated ones, which do nothing.
func FromSources(p *synth.Plan, srcs []runtime.Source) func(runtime.Mode) *runtime.Update {
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
			// As the generated patchAndBefore and undoAndUnpatch: a
			// failed patch writes back those before it, a rollback all
			// of them, in reverse order.
			type patch struct {
				sym string
				pt  synth.Patch
			}
			var all []patch
			for _, g := range patches {
				for _, pt := range g.Patches {
					all = append(all, patch{g.Symbol(), pt})
				}
			}
			unpatch := func(env *runtime.Env, n int) error {
				var first error
				for i := n - 1; i >= 0; i-- {
					p := all[i]
					if err := runtime.PatchGlobal(env, p.sym, p.pt.Offset, p.pt.Size, p.pt.New, p.pt.Old); err != nil && first == nil {
						first = err
					}
				}
				return first
			}
			u.Before = func(env *runtime.Env) error {
				for i, p := range all {
					if err := runtime.PatchGlobal(env, p.sym, p.pt.Offset, p.pt.Size, p.pt.Old, p.pt.New); err != nil {
						unpatch(env, i)
						return err
					}
				}
				return nil
			}
			u.UndoBefore = func(env *runtime.Env) error { return unpatch(env, len(all)) }
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
			a := runtime.Adapter{Func: ap.Func, To: ap.To, OldSig: ap.OldDecl, NewSig: ap.NewDecl,
				Forward: func(args []uint64) ([]uint64, error) { return mapArgs(ap.Forward, args) }}
			if ap.Method {
				a.Reverse = func(args []uint64) ([]uint64, error) { return mapArgs(ap.Reverse, args) }
				if c := ap.ReverseResult; c != nil {
					a.ReverseResult = func(v uint64) uint64 { return runtime.ConvertResult(v, int(c.DstSize), c.DstSigned) }
				}
			}
			if c := ap.ForwardResult; c != nil {
				a.ForwardResult = func(v uint64) uint64 { return runtime.ConvertResult(v, int(c.DstSize), c.DstSigned) }
			}
			u.Adapters = append(u.Adapters, a)
		}
		return u
	}
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
		case plan.OpCopy, plan.OpPrefix:
			copy(dst(), src())
		case plan.OpInt:
			if err := runtime.ConvertInt(dst(), op.DstSigned, src(), op.Signed, op.Field); err != nil {
				return err
			}
		case plan.OpConst:
			runtime.StoreInt(dst(), uint64(op.Value))
		case plan.OpFloat:
			runtime.ConvertFloat(dst(), src())
		case plan.OpBits:
			if err := runtime.ConvertBits(dst(), int(op.DstBit), int(op.DstBits), op.DstSigned, src(), int(op.SrcBit), int(op.SrcBits), op.Signed, op.Field); err != nil {
				return err
			}
		case plan.OpArray:
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
			v, err := runtime.ConvertArg(args[m.From], int(m.Conv.SrcSize), m.Conv.SrcSigned, int(m.Conv.DstSize), m.Conv.DstSigned, m.Param)
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
