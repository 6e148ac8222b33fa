package runtime_test

import (
	"strings"
	"testing"

	"github.com/upsynth/upsynth/runtime"
)

// renameUpdate renames Item_get to Item_value (v7, layout unchanged) or
// renames it while the layout changes (v8). kernel.c is not replaced: its
// SYS_GET still calls Item_get, the method the new version does not define.
func renameUpdate(t testing.TB, mode runtime.Mode, layoutChanges bool) *runtime.Update {
	if layoutChanges {
		return &runtime.Update{
			Name:      "items: Item_get renamed, adds counted",
			Mode:      mode,
			Sources:   []runtime.Source{source(t, "items.c", "v8/items.c")},
			Functions: []string{"item_version"},
			Types:     []runtime.TypeUpdate{{Name: "Item", Old: itemV1, New: itemV2, Transfer: transferItem}},
		}
	}
	return &runtime.Update{
		Name:      "items: Item_get renamed Item_value",
		Mode:      mode,
		Sources:   []runtime.Source{source(t, "items.c", "v7/items.c")},
		Functions: []string{"item_version"},
		// A new version (a method is added) whose state keeps its layout.
		Types: []runtime.TypeUpdate{{Name: "Item", Old: itemV1, New: itemV1}},
	}
}

func TestRemovedMethodKeepsOldCode(t *testing.T) {
	for _, mode := range []runtime.Mode{runtime.Eager, runtime.Lazy} {
		t.Run(mode.String(), func(t *testing.T) {
			const n = 100
			k := bootItems(t, 2, 3, n)
			a, err := runtime.Prepare(k.t, renameUpdate(t, mode, false))
			if err != nil {
				t.Fatal(err)
			}
			k.t.At(2000, a.Start)
			// The reader calls Item_get through kernel.c's old binding
			// while instances are converted to version 2.
			k.run(t, mixedWorkload(t, n, n))
			rep := a.Wait()
			if rep.Outcome != "applied" {
				t.Fatalf("outcome %s: %s", rep.Outcome, rep.Err)
			}
			if got := k.t.OTT().CountByVersion("Item"); got[2] != n || len(got) != 1 {
				t.Errorf("instances by version: %v, want all %d at 2", got, n)
			}
			if v := k.sys(t, sysVersion); v != 7 {
				t.Errorf("item_version = %d, want 7", v)
			}
			// Old binding, converted instance: the removed method's old code.
			before := k.sys(t, sysGet, 5)
			k.sys(t, sysAdd, 5, 4)
			if got := k.sys(t, sysGet, 5); got != before+4 {
				t.Errorf("Item_get on a converted instance = %d, want %d", got, before+4)
			}
			// The new code's items_sum calls Item_value, the added method.
			k.selfcheck(t)
		})
	}
}

// renameAdapter says that v8 renamed Item_get to Item_value: the
// signatures are the same, so the arguments pass as they are.
func renameAdapter() runtime.Adapter {
	same := func(args []uint64) ([]uint64, error) { return args, nil }
	return runtime.Adapter{Func: "Item_get", To: "Item_value",
		OldSig: "long Item_get(ItemRef self)", NewSig: "long Item_value(ItemRef self)",
		Forward: same, Reverse: same}
}

func TestRenamedMethodAdaptedWhenLayoutChanges(t *testing.T) {
	for _, mode := range []runtime.Mode{runtime.Eager, runtime.Lazy} {
		t.Run(mode.String(), func(t *testing.T) {
			const n = 100
			k := bootItems(t, 2, 3, n)
			u := renameUpdate(t, mode, true)
			u.Adapters = []runtime.Adapter{renameAdapter()}
			// The new items_sum calls Item_value: on an instance not yet
			// converted that goes through the reverse mapping.
			u.Functions = append(u.Functions, "items_sum")
			a, err := runtime.Prepare(k.t, u)
			if err != nil {
				t.Fatal(err)
			}
			k.t.At(2000, a.Start)
			// kernel.c's SYS_GET stays bound to Item_get while the
			// instances move to the new layout.
			k.run(t, mixedWorkload(t, n, n))
			rep := a.Wait()
			if rep.Outcome != "applied" {
				t.Fatalf("outcome %s: %s", rep.Outcome, rep.Err)
			}
			if got := k.t.OTT().CountByVersion("Item"); got[2] != n || len(got) != 1 {
				t.Errorf("instances by version: %v, want all %d at 2", got, n)
			}
			before := k.sys(t, sysGet, 5)
			k.sys(t, sysAdd, 5, 4)
			if got := k.sys(t, sysGet, 5); got != before+4 {
				t.Errorf("Item_get through the rename adapter = %d, want %d", got, before+4)
			}
			var forward int64
			for _, use := range k.t.Adapters() {
				if use.Func == "Item_get" && !use.Reverse {
					forward += use.Calls
				}
			}
			if forward == 0 {
				t.Errorf("no call went through the rename adapter: %+v", k.t.Adapters())
			}
			k.selfcheck(t)
		})
	}
}

func TestRenameAdapterChecked(t *testing.T) {
	k := bootItems(t, 1, 1, 10)
	for _, c := range []struct {
		edit func(*runtime.Adapter)
		want string
	}{
		{func(a *runtime.Adapter) { a.To = "Item_missing" }, "do not define Item_missing"},
		{func(a *runtime.Adapter) { a.Func = "Item_gone" }, "has no method Item_gone"},
		{func(a *runtime.Adapter) { a.Reverse = nil }, "needs a Reverse mapping"},
		{func(a *runtime.Adapter) { a.Func, a.To = "item_version", "item_value" }, "only a method"},
	} {
		u := renameUpdate(t, runtime.Lazy, true)
		ad := renameAdapter()
		c.edit(&ad)
		u.Adapters = []runtime.Adapter{ad}
		if _, err := runtime.Prepare(k.t, u); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("adapter %s -> %s: error %v, want it to say %q", ad.Func, ad.To, err, c.want)
		}
	}
	if v := k.sys(t, sysVersion); v != 1 {
		t.Errorf("item_version = %d after refused updates, want 1", v)
	}
	k.selfcheck(t)
}

func TestRemovedMethodRefusedWhenLayoutChanges(t *testing.T) {
	k := bootItems(t, 1, 1, 10)
	_, err := runtime.Prepare(k.t, renameUpdate(t, runtime.Eager, true))
	if err == nil {
		t.Fatal("Prepare accepted an update whose removed method would read the new layout with the old offsets")
	}
	if !strings.Contains(err.Error(), "Item_get") || !strings.Contains(err.Error(), "cannot run on converted instances") {
		t.Errorf("error does not name the removed method and why: %v", err)
	}
	// Nothing changed: the kernel still runs version 1.
	if v := k.sys(t, sysVersion); v != 1 {
		t.Errorf("item_version = %d after a refused update, want 1", v)
	}
	k.selfcheck(t)
}
