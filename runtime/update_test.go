package runtime_test

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/upsynth/upsynth/runtime"
	"github.com/upsynth/upsynth/runtime/emu"
)

// The test kernel (testdata/items) keeps a table of Item objects; kernel.c
// issues the syscalls and is never replaced, so its calls stay bound to the
// signatures it was built against. The updates below are written by hand
// the way `upsynth emit` generates them: layouts as literals, a transfer
// function, an adapter.

const (
	sysMake = 1 + iota
	sysAdd
	sysGet
	sysSum
	sysSpin
	sysStop
	sysVersion
	sysBump
)

var itemV1 = runtime.Layout{Name: "Item", Size: 24, Fields: []runtime.Field{
	{Name: "key", Offset: 0, Size: 8, Kind: runtime.Int, Type: "long"},
	{Name: "value", Offset: 8, Size: 8, Kind: runtime.Int, Type: "long"},
	{Name: "hits", Offset: 16, Size: 8, Kind: runtime.Int, Type: "long"},
}}

var itemV2 = runtime.Layout{Name: "Item", Size: 32, Fields: []runtime.Field{
	{Name: "key", Offset: 0, Size: 8, Kind: runtime.Int, Type: "long"},
	{Name: "adds", Offset: 8, Size: 8, Kind: runtime.Int, Type: "long"},
	{Name: "value", Offset: 16, Size: 8, Kind: runtime.Int, Type: "long"},
	{Name: "hits", Offset: 24, Size: 8, Kind: runtime.Int, Type: "long"},
}}

// transferItem is what the generator emits for Item v1 -> v2: same-named
// fields copied, and the new counter seeded from the old hits.
func transferItem(old, new runtime.State) error {
	runtime.CopyFields(old, new)
	new.SetInt(itemV2.F("adds"), old.Int(itemV1.F("hits")))
	return nil
}

func source(t testing.TB, path, file string) runtime.Source {
	t.Helper()
	b, err := os.ReadFile("testdata/items/" + file)
	if err != nil {
		t.Fatal(err)
	}
	return runtime.Source{Path: path, Code: b}
}

func codeUpdate(t testing.TB) *runtime.Update {
	return &runtime.Update{
		Name:      "items: item_version 11",
		Sources:   []runtime.Source{source(t, "items.c", "code/items.c")},
		Functions: []string{"item_version"},
	}
}

func stateUpdate(t testing.TB, mode runtime.Mode) *runtime.Update {
	return &runtime.Update{
		Name:      "items: count adds",
		Mode:      mode,
		Sources:   []runtime.Source{source(t, "items.c", "v2/items.c")},
		Functions: []string{"item_version"},
		Types:     []runtime.TypeUpdate{{Name: "Item", Old: itemV1, New: itemV2, Transfer: transferItem}},
	}
}

func interfaceUpdate(t testing.TB, mode runtime.Mode) *runtime.Update {
	return &runtime.Update{
		Name: "items: Item_add takes a repeat count",
		Mode: mode,
		Sources: []runtime.Source{
			source(t, "items.c", "v3/items.c"),
			source(t, "include/items.h", "v3/include/items.h"),
		},
		Functions: []string{"item_version", "item_bump"},
		Types:     []runtime.TypeUpdate{{Name: "Item", Old: itemV1, New: itemV2, Transfer: transferItem}},
		Adapters: []runtime.Adapter{{
			Func:   "Item_add",
			OldSig: "long Item_add(ItemRef self, long d)",
			NewSig: "long Item_add(ItemRef self, long d, long times)",
			Forward: func(args []uint64) ([]uint64, error) {
				return append(args[:2], 1), nil
			},
			Reverse: func(args []uint64) ([]uint64, error) {
				return []uint64{args[0], uint64(int64(args[1]) * int64(args[2]))}, nil
			},
		}},
	}
}

type kernel struct {
	m *emu.Machine
	t *emu.Target
}

func bootItems(tb testing.TB, cpus int, seed uint64, items int) *kernel {
	tb.Helper()
	tree := os.DirFS("testdata/items")
	img, err := emu.Load(tree, []string{"kernel.c", "items.c"}, emu.LoadOptions{IncludePaths: []string{"include"}})
	if err != nil {
		tb.Fatal(err)
	}
	m, err := emu.NewMachine(img, emu.MachineConfig{CPUs: cpus, Seed: seed, MemoryLimit: 512 << 20})
	if err != nil {
		tb.Fatal(err)
	}
	if err := m.Boot(); err != nil {
		tb.Fatal(err)
	}
	if n, err := m.Call("kernel_syscall", sysMake, uint64(items), 0, 0, 0, 0, 0); err != nil || int(n) != items {
		tb.Fatalf("making %d items: %d, %v", items, n, err)
	}
	tg, err := emu.NewTarget(m, tree)
	if err != nil {
		tb.Fatal(err)
	}
	return &kernel{m: m, t: tg}
}

func (k *kernel) sys(tb testing.TB, nr uint64, args ...uint64) int64 {
	tb.Helper()
	a := make([]uint64, 7)
	a[0] = nr
	copy(a[1:], args)
	r, err := k.m.Call("kernel_syscall", a...)
	if err != nil {
		tb.Fatalf("syscall %d: %v", nr, err)
	}
	return int64(r)
}

func (k *kernel) selfcheck(tb testing.TB) {
	tb.Helper()
	r, err := k.m.Call("kernel_selfcheck")
	if err != nil || r != 0 {
		tb.Fatalf("self-check: %d, %v", int64(r), err)
	}
}

// mixedWorkload adds to, reads and bumps items on three streams.
func mixedWorkload(tb testing.TB, items, rounds int) *emu.Workload {
	tb.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "stream adder\nrepeat %d\nsys %d $i 3 -> >=3\nend\nend\n", rounds, sysAdd)
	fmt.Fprintf(&b, "stream reader\nrepeat %d\nsys %d $i -> >=0\nend\nend\n", rounds, sysGet)
	fmt.Fprintf(&b, "stream bumper\nrepeat %d\nsys %d $i -> >=1\nend\ncheck\nend\n", rounds, sysBump)
	w, err := emu.ParseWorkload("mixed.wl", []byte(b.String()))
	if err != nil {
		tb.Fatal(err)
	}
	_ = items
	return w
}

func (k *kernel) run(tb testing.TB, w *emu.Workload) {
	tb.Helper()
	res, err := k.m.RunWorkload(w)
	if err != nil {
		tb.Fatal(err)
	}
	for _, r := range res.Requests {
		if r.Failed != "" {
			tb.Errorf("%s: %s", r.Pos, r.Failed)
		}
	}
}

func TestCodeOnlyUpdate(t *testing.T) {
	k := bootItems(t, 2, 1, 50)
	a, err := runtime.Prepare(k.t, codeUpdate(t))
	if err != nil {
		t.Fatal(err)
	}
	k.t.At(2000, a.Start)
	k.run(t, mixedWorkload(t, 50, 50))
	rep := a.Wait()
	if rep.Outcome != "applied" || rep.Functions != 1 {
		t.Fatalf("report: %+v", rep)
	}
	if v := k.sys(t, sysVersion); v != 11 {
		t.Errorf("item_version = %d after the update, want 11", v)
	}
	k.selfcheck(t)
}

func TestStateTransferUnderLoad(t *testing.T) {
	for _, mode := range []runtime.Mode{runtime.Eager, runtime.Lazy, runtime.StopTheWorld} {
		t.Run(mode.String(), func(t *testing.T) {
			const n = 300
			k := bootItems(t, 3, 7, n)
			// Some history before the update, which must survive it.
			for i := uint64(0); i < n; i += 7 {
				k.sys(t, sysAdd, i, 5)
			}
			a, err := runtime.Prepare(k.t, stateUpdate(t, mode))
			if err != nil {
				t.Fatal(err)
			}
			k.t.At(3000, a.Start)
			k.run(t, mixedWorkload(t, n, n))
			rep := a.Wait()
			if rep.Outcome != "applied" {
				t.Fatalf("outcome %s: %s", rep.Outcome, rep.Err)
			}
			if got := k.t.OTT().CountByVersion("Item"); got[2] != n || len(got) != 1 {
				t.Errorf("instances by version: %v, want all %d at 2", got, n)
			}
			if rep.Objects["Item"] != n {
				t.Errorf("%d Items converted, want %d", rep.Objects["Item"], n)
			}
			if v := k.sys(t, sysVersion); v != 2 {
				t.Errorf("item_version = %d, want 2", v)
			}
			k.selfcheck(t)
			// adds was seeded from hits and counts on: check one item.
			k.sys(t, sysAdd, 7, 1)
			checkAddsEqualHits(t, k, 7)
			var sb strings.Builder
			rep.Print(&sb)
			t.Log(sb.String())
		})
	}
}

// checkAddsEqualHits reads an item's new-layout state directly.
func checkAddsEqualHits(t *testing.T, k *kernel, i uint64) {
	t.Helper()
	ref := runtime.Ref(0)
	for _, r := range k.t.OTT().Factory("Item").Instances() {
		e, _ := k.t.OTT().Get(r)
		b, _ := k.t.Read(e.State, e.Size)
		s := runtime.NewState(&itemV2, b)
		if uint64(s.Int(itemV2.F("key"))) == i {
			ref = r
			if s.Int(itemV2.F("adds")) != s.Int(itemV2.F("hits")) || s.Int(itemV2.F("adds")) == 0 {
				t.Errorf("item %d: adds %d, hits %d", i, s.Int(itemV2.F("adds")), s.Int(itemV2.F("hits")))
			}
		}
	}
	if ref == 0 {
		t.Errorf("no item with key %d", i)
	}
}

func TestInterfaceChange(t *testing.T) {
	for _, mode := range []runtime.Mode{runtime.Eager, runtime.Lazy} {
		t.Run(mode.String(), func(t *testing.T) {
			const n = 200
			k := bootItems(t, 2, 3, n)
			a, err := runtime.Prepare(k.t, interfaceUpdate(t, mode))
			if err != nil {
				t.Fatal(err)
			}
			k.t.At(1000, a.Start)
			k.run(t, mixedWorkload(t, n, n))
			rep := a.Wait()
			if rep.Outcome != "applied" {
				t.Fatalf("outcome %s: %s", rep.Outcome, rep.Err)
			}
			// kernel.c still calls Item_add(it, d): through the adapter.
			before := adapterCalls(rep, false)
			if r := k.sys(t, sysAdd, 3, 4); r < 4 {
				t.Errorf("add through the adapter returned %d", r)
			}
			rep = a.Report()
			if adapterCalls(rep, false) != before+1 {
				t.Errorf("forward adapter calls %d -> %d, want one more", before, adapterCalls(rep, false))
			}
			var fwd *runtime.AdapterUse
			for i := range rep.Adapters {
				if !rep.Adapters[i].Reverse {
					fwd = &rep.Adapters[i]
				}
			}
			if fwd == nil || fwd.Retired || !strings.Contains(strings.Join(fwd.Bindings, ","), "kernel_syscall") {
				t.Errorf("forward adapter %+v: want it in use, bound by kernel_syscall", fwd)
			}
			// The new item_bump calls Item_add(it, 1, 2).
			if d := k.sys(t, sysBump, 5); d != 2 {
				t.Errorf("bump added %d, want 2", d)
			}
			k.selfcheck(t)
		})
	}
}

func adapterCalls(r *runtime.Report, reverse bool) int64 {
	var n int64
	for _, a := range r.Adapters {
		if a.Reverse == reverse {
			n += a.Calls
		}
	}
	return n
}

// TestReverseAdapter: a new-signature call reaching an instance that cannot
// be converted yet (another CPU is inside it) goes through the reverse
// adapter to the old implementation.
func TestReverseAdapter(t *testing.T) {
	k := bootItems(t, 2, 5, 10)
	a, err := runtime.Prepare(k.t, interfaceUpdate(t, runtime.Lazy))
	if err != nil {
		t.Fatal(err)
	}
	k.t.At(0, a.Start)
	w, err := emu.ParseWorkload("rev.wl", []byte(fmt.Sprintf(`
stream spinner
sys %d 4 -> 4
end
stream bumper
repeat 20
sys %d 4 -> 2
end
sys %d -> 0
end
`, sysSpin, sysBump, sysStop)))
	if err != nil {
		t.Fatal(err)
	}
	k.run(t, w)
	rep := a.Wait()
	if rep.Outcome != "applied" {
		t.Fatalf("outcome %s: %s", rep.Outcome, rep.Err)
	}
	if adapterCalls(rep, true) == 0 {
		t.Errorf("no call went through the reverse adapter: %+v", rep.Adapters)
	}
	if v := k.sys(t, sysGet, 4); v != 40 {
		t.Errorf("item 4 = %d, want 40 (20 bumps of 2)", v)
	}
	k.selfcheck(t)
}

// values reads every item's value through the kernel.
func values(t *testing.T, k *kernel, n int) []int64 {
	out := make([]int64, n)
	for i := range out {
		out[i] = k.sys(t, sysGet, uint64(i))
	}
	return out
}

func TestRollbackFailedTransfer(t *testing.T) {
	for _, mode := range []runtime.Mode{runtime.Eager, runtime.Lazy, runtime.StopTheWorld} {
		t.Run(mode.String(), func(t *testing.T) {
			const n, k0 = 120, 37
			k := bootItems(t, 2, 11, n)
			u := stateUpdate(t, mode)
			calls := 0
			u.Types[0].Transfer = func(old, new runtime.State) error {
				calls++
				if calls == k0 {
					return errors.New("injected failure")
				}
				return transferItem(old, new)
			}
			a, err := runtime.Prepare(k.t, u)
			if err != nil {
				t.Fatal(err)
			}
			k.t.At(500, a.Start)
			k.run(t, mixedWorkload(t, n, n))
			before := values(t, k, n)
			rep := a.Wait()
			if rep.Outcome != "rolled back" || !strings.Contains(rep.Err, "injected failure") {
				t.Fatalf("outcome %s (%s), want rolled back by the injected failure", rep.Outcome, rep.Err)
			}
			if got := k.t.OTT().CountByVersion("Item"); got[1] != n || len(got) != 1 {
				t.Errorf("instances by version: %v, want all %d at 1", got, n)
			}
			if v := k.sys(t, sysVersion); v != 1 {
				t.Errorf("item_version = %d after rollback, want 1", v)
			}
			if after := values(t, k, n); fmt.Sprint(after) != fmt.Sprint(before) {
				t.Errorf("values changed by the rollback")
			}
			k.selfcheck(t)
			k.run(t, mixedWorkload(t, n, 20))
			k.selfcheck(t)
		})
	}
}

func TestRollbackFailedHook(t *testing.T) {
	for _, which := range []string{"before", "after"} {
		t.Run(which, func(t *testing.T) {
			const n = 80
			k := bootItems(t, 2, 13, n)
			u := stateUpdate(t, runtime.Eager)
			fail := func(*runtime.Env) error { return errors.New("hook says no") }
			if which == "before" {
				u.Before = fail
			} else {
				u.After = fail
			}
			a, err := runtime.Prepare(k.t, u)
			if err != nil {
				t.Fatal(err)
			}
			k.t.At(500, a.Start)
			k.run(t, mixedWorkload(t, n, n))
			rep := a.Wait()
			if rep.Outcome != "rolled back" || !strings.Contains(rep.Err, "hook says no") {
				t.Fatalf("outcome %s (%s)", rep.Outcome, rep.Err)
			}
			if got := k.t.OTT().CountByVersion("Item"); got[1] != n {
				t.Errorf("instances by version: %v", got)
			}
			if v := k.sys(t, sysVersion); v != 1 {
				t.Errorf("item_version = %d after rollback, want 1", v)
			}
			k.selfcheck(t)
		})
	}
}

// TestRollbackNoQuiescence: a CPU stays inside an instance (it spins until
// told to stop); the eager update cannot convert it in time and rolls back.
func TestRollbackNoQuiescence(t *testing.T) {
	const n = 60
	k := bootItems(t, 2, 17, n)
	u := stateUpdate(t, runtime.Eager)
	u.QuiesceTimeout = time.Millisecond // the spinner stays far longer
	a, err := runtime.Prepare(k.t, u)
	if err != nil {
		t.Fatal(err)
	}
	k.t.At(2000, a.Start) // the spinner is inside item 9 by then
	w, err := emu.ParseWorkload("spin.wl", []byte(fmt.Sprintf(`
stream spinner
sys %d 9 -> 9
end
stream worker
repeat 20000
sys %d 3 2 -> >=2
end
sys %d -> 0
end
`, sysSpin, sysAdd, sysStop)))
	if err != nil {
		t.Fatal(err)
	}
	k.run(t, w)
	rep := a.Wait()
	if rep.Outcome != "rolled back" || !strings.Contains(rep.Err, "in flight") {
		t.Fatalf("outcome %s (%s), want a quiescence timeout", rep.Outcome, rep.Err)
	}
	if got := k.t.OTT().CountByVersion("Item"); got[1] != n {
		t.Errorf("instances by version: %v", got)
	}
	k.selfcheck(t)
}

func TestLayoutMismatchRefused(t *testing.T) {
	k := bootItems(t, 1, 1, 3)
	u := stateUpdate(t, runtime.Eager)
	u.Types[0].New = itemV1
	if _, err := runtime.Prepare(k.t, u); err == nil || !strings.Contains(err.Error(), "another revision") {
		t.Fatalf("Prepare = %v, want a layout mismatch", err)
	}
}

// TestAdapterRetires: after the interface change, kernel.c still calls the
// old Item_add through the adapter; a later update that rebuilds its
// kernel_syscall against the new signature leaves no binding, and the
// adapter retires.
func TestAdapterRetires(t *testing.T) {
	k := bootItems(t, 2, 23, 20)
	a, err := runtime.Prepare(k.t, interfaceUpdate(t, runtime.Lazy))
	if err != nil {
		t.Fatal(err)
	}
	k.t.At(300, a.Start)
	k.run(t, mixedWorkload(t, 20, 20))
	if rep := a.Wait(); rep.Outcome != "applied" {
		t.Fatalf("interface update: %s %s", rep.Outcome, rep.Err)
	}
	live := k.t.Adapters()
	if len(live) != 1 || live[0].Retired || len(live[0].Bindings) != 1 || live[0].Bindings[0] != "kernel_syscall" {
		t.Fatalf("adapters after the interface change: %+v", live)
	}
	calls := live[0].Calls
	k.sys(t, sysAdd, 2, 5)
	if got := k.t.Adapters()[0].Calls; got != calls+1 {
		t.Fatalf("adapter calls %d, want %d", got, calls+1)
	}
	b, err := runtime.Prepare(k.t, &runtime.Update{
		Name: "kernel: call Item_add with a repeat count",
		Sources: []runtime.Source{
			source(t, "kernel.c", "v4/kernel.c"),
			source(t, "include/items.h", "v3/include/items.h"),
		},
		Functions: []string{"kernel_syscall"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if rep := b.Wait(); rep.Outcome != "applied" {
		t.Fatalf("second update: %s %s", rep.Outcome, rep.Err)
	}
	live = k.t.Adapters()
	if !live[0].Retired || len(live[0].Bindings) != 0 {
		t.Errorf("adapter after kernel_syscall was rebuilt: %+v, want retired", live[0])
	}
	calls = live[0].Calls
	if r := k.sys(t, sysAdd, 2, 5); r < 10 {
		t.Errorf("add returned %d", r)
	}
	if got := k.t.Adapters()[0].Calls; got != calls {
		t.Errorf("a retired adapter was called (%d -> %d)", calls, got)
	}
	k.selfcheck(t)
	k.run(t, mixedWorkload(t, 20, 20))
	k.selfcheck(t)
}

// TestHooks: hooks see the kernel's globals and can call its functions.
func TestHooks(t *testing.T) {
	const n = 30
	k := bootItems(t, 2, 29, n)
	k.sys(t, sysAdd, 4, 10)
	u := stateUpdate(t, runtime.Eager)
	var before, sumAfter int64
	u.Before = func(env *runtime.Env) error {
		addr, ok := env.Global("items.c:nitems")
		if !ok {
			return errors.New("no items.c:nitems")
		}
		v, err := env.ReadUint(addr, 8)
		before = int64(v)
		return err
	}
	u.After = func(env *runtime.Env) error {
		v, err := env.Call("items_sum")
		sumAfter = int64(v)
		return err
	}
	a, err := runtime.Prepare(k.t, u)
	if err != nil {
		t.Fatal(err)
	}
	if rep := a.Wait(); rep.Outcome != "applied" {
		t.Fatalf("%s: %s", rep.Outcome, rep.Err)
	}
	if before != n || sumAfter != 10 {
		t.Errorf("before hook read nitems %d (want %d), after hook summed %d (want 10)", before, n, sumAfter)
	}
	k.selfcheck(t)
}

// TestEagerHoldsCalls: a CPU stays inside item 9 until told to stop; the
// eager update converts everything else, holds the call another CPU makes
// on item 9 until the first leaves, then converts it and releases the call.
func TestEagerHoldsCalls(t *testing.T) {
	const n = 40
	k := bootItems(t, 3, 31, n)
	u := stateUpdate(t, runtime.Eager)
	u.QuiesceTimeout = time.Minute
	a, err := runtime.Prepare(k.t, u)
	if err != nil {
		t.Fatal(err)
	}
	k.t.At(0, a.Start)
	w, err := emu.ParseWorkload("hold.wl", []byte(fmt.Sprintf(`
stream spinner
sys %d 9 -> 9
end
stream waiter
repeat 20
sys %d 1 1 -> >=1
end
sys %d 9 7 -> 7
end
stream stopper
repeat 400
sys %d 5 1 -> >=1
end
sys %d -> 0
end
`, sysSpin, sysAdd, sysAdd, sysAdd, sysStop)))
	if err != nil {
		t.Fatal(err)
	}
	k.run(t, w)
	rep := a.Wait()
	if rep.Outcome != "applied" {
		t.Fatalf("%s: %s", rep.Outcome, rep.Err)
	}
	if rep.Held == 0 || rep.Pauses.HeldMax == 0 {
		t.Errorf("no call was held: %+v", rep)
	}
	if v := k.sys(t, sysGet, 9); v != 7 {
		t.Errorf("item 9 = %d, want 7", v)
	}
	k.selfcheck(t)
}

// TestNoSafePoint: a CPU never leaves a function the update replaces, so
// no safe point comes; the update fails cleanly and the old code stays.
func TestNoSafePoint(t *testing.T) {
	k := bootItems(t, 2, 37, 10)
	u := codeUpdate(t)
	u.Functions = append(u.Functions, "Item_spin")
	u.QuiesceTimeout = time.Millisecond
	a, err := runtime.Prepare(k.t, u)
	if err != nil {
		t.Fatal(err)
	}
	k.t.At(2000, a.Start) // the spinner is inside by then
	w, err := emu.ParseWorkload("spin.wl", []byte(fmt.Sprintf(`
stream spinner
sys %d 2 -> 2
end
stream worker
repeat 3000
sys %d 1 1 -> >=1
end
sys %d -> 0
end
`, sysSpin, sysAdd, sysStop)))
	if err != nil {
		t.Fatal(err)
	}
	k.run(t, w)
	rep := a.Wait()
	if rep.Outcome != "rolled back" || !strings.Contains(rep.Err, "no safe point") || !strings.Contains(rep.Err, "Item_spin") {
		t.Fatalf("%s: %s", rep.Outcome, rep.Err)
	}
	if v := k.sys(t, sysVersion); v != 1 {
		t.Errorf("item_version = %d, want the old 1", v)
	}
	k.selfcheck(t)
}

// TestPlainFunctionSignatureChange: item_bump gains a parameter; kernel.c,
// not updated, still calls item_bump(i) and reaches the new code through
// the adapter.
func TestPlainFunctionSignatureChange(t *testing.T) {
	k := bootItems(t, 2, 41, 10)
	a, err := runtime.Prepare(k.t, &runtime.Update{
		Name: "items: item_bump takes a count",
		Sources: []runtime.Source{
			source(t, "items.c", "v5/items.c"),
			source(t, "include/items.h", "v5/include/items.h"),
		},
		Functions: []string{"item_bump"},
		Adapters: []runtime.Adapter{{
			Func:    "item_bump",
			Forward: func(args []uint64) ([]uint64, error) { return []uint64{args[0], 1}, nil },
		}},
	})
	if err != nil {
		t.Fatal(err)
	}
	k.t.At(200, a.Start)
	k.run(t, mixedWorkload(t, 10, 10))
	rep := a.Wait()
	if rep.Outcome != "applied" {
		t.Fatalf("%s: %s", rep.Outcome, rep.Err)
	}
	before := adapterCalls(rep, false)
	if d := k.sys(t, sysBump, 3); d != 1 {
		t.Errorf("bump through the adapter added %d, want 1", d)
	}
	rep = a.Report()
	if adapterCalls(rep, false) != before+1 || len(rep.Adapters) != 1 || rep.Adapters[0].Bindings[0] != "kernel_syscall" {
		t.Errorf("adapters %+v (calls before %d)", rep.Adapters, before)
	}
	k.selfcheck(t)
}

// TestSignatureChangeNeedsAdapter: a signature change without an adapter
// is refused before anything changes.
func TestSignatureChangeNeedsAdapter(t *testing.T) {
	k := bootItems(t, 1, 43, 4)
	_, err := runtime.Prepare(k.t, &runtime.Update{
		Name: "items: item_bump takes a count",
		Sources: []runtime.Source{
			source(t, "items.c", "v5/items.c"),
			source(t, "include/items.h", "v5/include/items.h"),
		},
		Functions: []string{"item_bump"},
	})
	if err == nil || !strings.Contains(err.Error(), "no adapter") || !strings.Contains(err.Error(), "items.c:") {
		t.Fatalf("Prepare = %v, want a missing adapter named with its position", err)
	}
	if d := k.sys(t, sysBump, 1); d != 1 {
		t.Errorf("bump = %d after the refused update", d)
	}
	k.selfcheck(t)
}

// TestBadSourceRefused: an update whose C does not compile is refused with
// the file and line, and the kernel runs on.
func TestBadSourceRefused(t *testing.T) {
	k := bootItems(t, 1, 47, 4)
	_, err := runtime.Prepare(k.t, &runtime.Update{
		Name:      "broken",
		Sources:   []runtime.Source{{Path: "items.c", Code: []byte("#include <items.h>\nlong item_version(void) { return 2 +; }\n")}},
		Functions: []string{"item_version"},
	})
	if err == nil || !strings.Contains(err.Error(), "items.c:2") {
		t.Fatalf("Prepare = %v, want an error at items.c:2", err)
	}
	if v := k.sys(t, sysVersion); v != 1 {
		t.Errorf("item_version = %d", v)
	}
	k.selfcheck(t)
}

const boxKernel = `#include <kernel.h>
OBJECT_TYPE(Box) { long v; };
static BoxRef boxes[8];
static lock_t box_lock;
long Box_get(BoxRef self) { return DREF(Box, self)->v; }
/* Uses Box's state outside its methods: a pointer held across a yield. */
long box_add(long i, long d)
{
	lock_acquire(&box_lock);
	struct Box *b = DREF(Box, boxes[i]);
	long v = b->v;
	yield();
	b->v = v + d;
	lock_release(&box_lock);
	return v + d;
}
void kernel_boot(void) { for (int i = 0; i < 8; i++) boxes[i] = NEW(Box); }
long kernel_syscall(long nr, long a0, long a1, long a2, long a3, long a4, long a5)
{
	if (nr == 1)
		return box_add(a0, a1);
	return Box_get(boxes[a0]);
}
`

// TestStateUsedOutsideMethods: box_add holds a pointer to a Box's state
// across a preemption point, so instances cannot be converted one by one
// under it: the update swaps the code and converts every instance in one
// step, at a point where no CPU runs box_add or a Box method.
func TestStateUsedOutsideMethods(t *testing.T) {
	for _, mode := range []runtime.Mode{runtime.Eager, runtime.Lazy} {
		tree := fstest.MapFS{"k.c": {Data: []byte(boxKernel)}}
		img, err := emu.Load(tree, []string{"k.c"}, emu.LoadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		m, err := emu.NewMachine(img, emu.MachineConfig{CPUs: 2, Seed: 5})
		if err != nil {
			t.Fatal(err)
		}
		if err := m.Boot(); err != nil {
			t.Fatal(err)
		}
		tg, _ := emu.NewTarget(m, tree)
		v2 := strings.Replace(boxKernel, "{ long v; }", "{ long pad; long v; }", 1)
		a, err := runtime.Prepare(tg, &runtime.Update{Name: "Box grows", Mode: mode,
			Sources: []runtime.Source{{Path: "k.c", Code: []byte(v2)}}, Types: []runtime.TypeUpdate{{Name: "Box"}}})
		if err != nil {
			t.Fatal(err)
		}
		tg.At(100, a.Start)
		w, err := emu.ParseWorkload("box.wl", []byte("stream a\nrepeat 200\nsys 1 3 1 -> >=1\nend\nend\nstream b\nrepeat 200\nsys 1 3 1 -> >=1\nend\nend\n"))
		if err != nil {
			t.Fatal(err)
		}
		res, err := m.RunWorkload(w)
		if err != nil {
			t.Fatal(err)
		}
		rep := a.Wait()
		if rep.Outcome != "applied" || len(rep.Atomic) != 1 || !strings.Contains(rep.Atomic[0], "box_add") {
			t.Fatalf("%s: %s; atomic %v", rep.Outcome, rep.Err, rep.Atomic)
		}
		for _, r := range res.Requests {
			if r.Failed != "" {
				t.Errorf("%s: %s", r.Pos, r.Failed)
			}
		}
		// Every add reached the state that survived: none went to an old
		// copy converted under box_add's feet.
		if v, _ := m.Call("kernel_syscall", 2, 3, 0, 0, 0, 0, 0); v != 400 {
			t.Errorf("%s: box 3 = %d, want 400", mode, v)
		}
		if got := tg.OTT().CountByVersion("Box"); got[2] != 8 {
			t.Errorf("%s: versions %v", mode, got)
		}
	}
}

// TestSignatureOnlyMethodChange: Item_add changes its signature but not
// Item's layout. The update does not list Item in Types: the runtime adds
// a new version whose instances keep their state (converting one is
// switching its version), reached through the adapter by kernel.c.
func TestSignatureOnlyMethodChange(t *testing.T) {
	for _, mode := range []runtime.Mode{runtime.Eager, runtime.Lazy} {
		const n = 50
		k := bootItems(t, 2, 59, n)
		u := interfaceUpdate(t, mode)
		u.Sources[0] = source(t, "items.c", "v6/items.c")
		u.Types = nil
		u.Functions = []string{"item_bump"}
		a, err := runtime.Prepare(k.t, u)
		if err != nil {
			t.Fatal(err)
		}
		k.t.At(500, a.Start)
		k.run(t, mixedWorkload(t, n, n))
		rep := a.Wait()
		if rep.Outcome != "applied" || rep.Objects["Item"] != n {
			t.Fatalf("%s: %s %s; objects %v", mode, rep.Outcome, rep.Err, rep.Objects)
		}
		if got := k.t.OTT().CountByVersion("Item"); got[2] != n {
			t.Errorf("%s: versions %v", mode, got)
		}
		if d := k.sys(t, sysBump, 4); d != 2 {
			t.Errorf("%s: bump added %d, want 2", mode, d)
		}
		if adapterCalls(rep, false) == 0 {
			t.Errorf("%s: no call through the forward adapter", mode)
		}
		k.selfcheck(t)
	}
}

// TestListedFunctionMissing: a function listed as changed must be in the
// sources (a package that lost a file is refused, not half applied).
func TestListedFunctionMissing(t *testing.T) {
	k := bootItems(t, 1, 61, 2)
	u := codeUpdate(t)
	u.Functions = append(u.Functions, "no_such_function")
	if _, err := runtime.Prepare(k.t, u); err == nil || !strings.Contains(err.Error(), "no_such_function") {
		t.Fatalf("Prepare = %v", err)
	}
	if v := k.sys(t, sysVersion); v != 1 {
		t.Errorf("item_version = %d", v)
	}
	// A refused interface change leaves nothing behind: the same update,
	// corrected, applies.
	bad := interfaceUpdate(t, runtime.Lazy)
	bad.Functions = append(bad.Functions, "no_such_function")
	if _, err := runtime.Prepare(k.t, bad); err == nil {
		t.Fatal("Prepare of the bad interface change succeeded")
	}
	a, err := runtime.Prepare(k.t, interfaceUpdate(t, runtime.Lazy))
	if err != nil {
		t.Fatal(err)
	}
	if rep := a.Wait(); rep.Outcome != "applied" {
		t.Fatalf("%s: %s", rep.Outcome, rep.Err)
	}
	if d := k.sys(t, sysBump, 1); d != 2 {
		t.Errorf("bump = %d, want 2", d)
	}
	k.selfcheck(t)
}
