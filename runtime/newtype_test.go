package runtime_test

import (
	"testing"

	"github.com/upsynth/upsynth/runtime"
)

var counterV1 = runtime.Layout{Name: "Counter", Size: 8, Fields: []runtime.Field{
	{Name: "n", Offset: 0, Size: 8, Kind: runtime.Int, Type: "long"},
}}

var counterV2 = runtime.Layout{Name: "Counter", Size: 16, Fields: []runtime.Field{
	{Name: "reads", Offset: 0, Size: 8, Kind: runtime.Int, Type: "long"},
	{Name: "n", Offset: 8, Size: 8, Kind: runtime.Int, Type: "long"},
}}

// TestNewObjectType loads a module defining an object type the running
// kernel does not have (Counter), calls its methods through the OTT, then
// gives the added type a new version in a second update.
func TestNewObjectType(t *testing.T) {
	for _, mode := range []runtime.Mode{runtime.Eager, runtime.Lazy} {
		t.Run(mode.String(), func(t *testing.T) {
			k := bootItems(t, 2, 5, 20)
			if k.t.OTT().Factory("Counter") != nil {
				t.Fatal("the kernel has a Counter type before the update")
			}
			a, err := runtime.Prepare(k.t, &runtime.Update{
				Name: "items: count item_version calls in a Counter",
				Mode: mode,
				Sources: []runtime.Source{
					source(t, "items.c", "v9/items.c"),
					source(t, "counter.c", "v9/counter.c"),
				},
				Functions: []string{"item_version"},
			})
			if err != nil {
				t.Fatal(err)
			}
			k.t.At(1000, a.Start)
			k.run(t, mixedWorkload(t, 20, 20))
			if rep := a.Wait(); rep.Outcome != "applied" || len(rep.NewTypes) != 1 || rep.NewTypes[0] != "Counter" {
				t.Fatalf("outcome %s (%s), new types %v; want applied, [Counter]", rep.Outcome, rep.Err, rep.NewTypes)
			}
			for want := int64(1); want <= 3; want++ {
				if got := k.sys(t, sysVersion); got != want {
					t.Fatalf("call %d of item_version = %d, want %d", want, got, want)
				}
			}
			f := k.t.OTT().Factory("Counter")
			if f == nil || f.Current != 1 || f.Count() != 1 {
				t.Fatalf("Counter factory after the update: %+v", f)
			}
			if got := k.t.OTT().CountByVersion("Counter"); got[1] != 1 {
				t.Errorf("Counter instances by version: %v, want one at 1", got)
			}
			k.selfcheck(t)

			// The added type gets a new version like any other.
			b, err := runtime.Prepare(k.t, &runtime.Update{
				Name:    "counter: count reads",
				Mode:    mode,
				Sources: []runtime.Source{source(t, "counter.c", "v10/counter.c")},
				Types:   []runtime.TypeUpdate{{Name: "Counter", Old: counterV1, New: counterV2}},
			})
			if err != nil {
				t.Fatal(err)
			}
			b.Start()
			if rep := b.Wait(); rep.Outcome != "applied" {
				t.Fatalf("second update: outcome %s: %s", rep.Outcome, rep.Err)
			}
			if got := k.sys(t, sysVersion); got != 4 {
				t.Errorf("item_version after the second update = %d, want 4 (the count survives the transfer)", got)
			}
			if got := k.t.OTT().CountByVersion("Counter"); got[2] != 1 || len(got) != 1 {
				t.Errorf("Counter instances by version: %v, want one at 2", got)
			}
			r := f.Instances()[0]
			e, _ := k.t.OTT().Get(r)
			st, _ := k.t.Read(e.State, e.Size)
			if s := runtime.NewState(&counterV2, st); s.Int(counterV2.F("reads")) != 1 || s.Int(counterV2.F("n")) != 4 {
				t.Errorf("Counter state: reads %d, n %d; want 1, 4", s.Int(counterV2.F("reads")), s.Int(counterV2.F("n")))
			}
			k.selfcheck(t)
		})
	}
}
