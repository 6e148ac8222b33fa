package update

import (
	"math/rand"
	"reflect"
	"testing"

	"github.com/upsynth/upsynth/runtime"
	"github.com/upsynth/upsynth/runtime/plan"
	"github.com/upsynth/upsynth/synth"
	"github.com/upsynth/upsynth/synth/verify"
)

func readPlan(t testing.TB) *synth.Plan {
	t.Helper()
	p, err := plan.Read("testdata")
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestTransferMatchesInterpreter: the generated transfer and the plan
// interpreter (what upsynth verify runs in-process) agree on random states,
// errors included.
func TestTransferMatchesInterpreter(t *testing.T) {
	p := readPlan(t)
	tp := p.Types[0]
	r := rand.New(rand.NewSource(1))
	for i := 0; i < 2000; i++ {
		old := make([]byte, tp.Old.Size)
		r.Read(old)
		if i%2 == 0 { // keep narrowed values in range half of the time
			for j := range old {
				if r.Intn(3) > 0 {
					old[j] = 0
				}
			}
		}
		gen, interp := make([]byte, tp.New.Size), make([]byte, tp.New.Size)
		errGen := transferAcct(runtime.NewState(&layoutOldAcct, old), runtime.NewState(&layoutNewAcct, gen))
		errInt := verify.RunOps(tp.Name, tp.Forward, old, interp)
		if (errGen == nil) != (errInt == nil) || errGen == nil && !reflect.DeepEqual(gen, interp) {
			t.Fatalf("state %x: generated %x (%v), interpreted %x (%v)", old, gen, errGen, interp, errInt)
		}
	}
}

// TestReverseMatchesInterpreter: the generated reverse transfer (rollback)
// and the interpreter's reverse steps agree on random new states, errors
// included, writing over a kept old state as a rollback does.
func TestReverseMatchesInterpreter(t *testing.T) {
	p := readPlan(t)
	tp := p.Types[0]
	r := rand.New(rand.NewSource(2))
	for i := 0; i < 2000; i++ {
		new := make([]byte, tp.New.Size)
		r.Read(new)
		if i%2 == 0 {
			for j := range new {
				if r.Intn(3) > 0 {
					new[j] = 0
				}
			}
		}
		kept := make([]byte, tp.Old.Size)
		r.Read(kept)
		gen, interp := append([]byte(nil), kept...), append([]byte(nil), kept...)
		errGen := reverseAcct(runtime.NewState(&layoutNewAcct, new), runtime.NewState(&layoutOldAcct, gen))
		errInt := verify.RunOps(tp.Name, tp.Reverse, new, interp)
		if (errGen == nil) != (errInt == nil) || errGen == nil && !reflect.DeepEqual(gen, interp) {
			t.Fatalf("state %x: generated %x (%v), interpreted %x (%v)", new, gen, errGen, interp, errInt)
		}
	}
}

// reflectCopy is the comparison point of the benchmark: a generic copier
// that decodes the old state into named values by walking its layout and
// encodes them into the new one by name with reflection, as a transfer
// written without a generator would.
func reflectCopy(oldL, newL *runtime.Layout, old, new []byte) {
	vals := map[string]reflect.Value{}
	for _, f := range oldL.Fields {
		s := runtime.NewState(oldL, old)
		switch f.Kind {
		case runtime.Int:
			vals[f.Name] = reflect.ValueOf(s.Int(f))
		case runtime.Uint, runtime.Ptr, runtime.ObjRef:
			vals[f.Name] = reflect.ValueOf(s.Uint(f))
		case runtime.Float:
			vals[f.Name] = reflect.ValueOf(s.Float(f))
		default:
			vals[f.Name] = reflect.ValueOf(append([]byte(nil), s.Bytes(f)...))
		}
	}
	ns := runtime.NewState(newL, new)
	for _, f := range newL.Fields {
		v, ok := vals[f.Name]
		if !ok {
			continue
		}
		switch {
		case f.Kind == runtime.Bytes && v.Kind() == reflect.Slice:
			ns.SetBytes(f, v.Bytes())
		case f.Kind == runtime.Float && v.CanFloat():
			ns.SetFloat(f, v.Float())
		case v.CanInt():
			ns.SetInt(f, v.Int())
		case v.CanUint():
			ns.SetUint(f, v.Uint())
		}
	}
}

func benchState(b *testing.B) ([]byte, []byte) {
	old := make([]byte, layoutOldAcct.Size)
	s := runtime.NewState(&layoutOldAcct, old)
	for i, f := range layoutOldAcct.Fields {
		if f.Kind == runtime.Bytes {
			for j := range s.Bytes(f) {
				s.Bytes(f)[j] = byte(j)
			}
			continue
		}
		s.SetUint(f, uint64(i+1))
	}
	return old, make([]byte, layoutNewAcct.Size)
}

func BenchmarkGeneratedTransfer(b *testing.B) {
	old, new := benchState(b)
	os, ns := runtime.NewState(&layoutOldAcct, old), runtime.NewState(&layoutNewAcct, new)
	for i := 0; i < b.N; i++ {
		if err := transferAcct(os, ns); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkReflectCopier(b *testing.B) {
	old, new := benchState(b)
	for i := 0; i < b.N; i++ {
		reflectCopy(&layoutOldAcct, &layoutNewAcct, old, new)
	}
}

// BenchmarkRuntimeCopyFields is the runtime's own by-name default transfer.
func BenchmarkRuntimeCopyFields(b *testing.B) {
	old, new := benchState(b)
	os, ns := runtime.NewState(&layoutOldAcct, old), runtime.NewState(&layoutNewAcct, new)
	for i := 0; i < b.N; i++ {
		runtime.CopyFields(os, ns)
	}
}

func BenchmarkInterpretedTransfer(b *testing.B) {
	p := readPlan(b)
	old, new := benchState(b)
	for i := 0; i < b.N; i++ {
		if err := verify.RunOps("Acct", p.Types[0].Forward, old, new); err != nil {
			b.Fatal(err)
		}
	}
}
