package runtime_test

import (
	"encoding/binary"
	"errors"
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/upsynth/upsynth/runtime"
	"github.com/upsynth/upsynth/runtime/emu"
)

// The globals test kernel (testdata/tables) has a const table of function
// pointers and a mutable array, both sized by macros that version 2 grows,
// and an ops struct whose size stays. kernel.c is never replaced.

const (
	sysTable = 1 + iota
	sysCount
	sysCounter
	sysOps
)

func bootTables(tb testing.TB) *kernel {
	tb.Helper()
	tree := os.DirFS("testdata/tables")
	img, err := emu.Load(tree, []string{"kernel.c", "tables.c"}, emu.LoadOptions{IncludePaths: []string{"include"}})
	if err != nil {
		tb.Fatal(err)
	}
	m, err := emu.NewMachine(img, emu.MachineConfig{CPUs: 2, Seed: 1})
	if err != nil {
		tb.Fatal(err)
	}
	if err := m.Boot(); err != nil {
		tb.Fatal(err)
	}
	tg, err := emu.NewTarget(m, tree)
	if err != nil {
		tb.Fatal(err)
	}
	return &kernel{m: m, t: tg}
}

// tablesUpdate lists only table_call: count_add and count_get name the
// growing counters too, so the target swaps them as well (their old code
// would use the old storage).
func tablesUpdate(t testing.TB, mode runtime.Mode) *runtime.Update {
	b, err := os.ReadFile("testdata/tables/v2/tables.c")
	if err != nil {
		t.Fatal(err)
	}
	return &runtime.Update{
		Name:      "tables: a third operation, eight counters",
		Mode:      mode,
		Sources:   []runtime.Source{{Path: "tables.c", Code: b}},
		Functions: []string{"table_call"},
	}
}

func moveNamed(moves []runtime.GlobalMove, name string) *runtime.GlobalMove {
	for i := range moves {
		if moves[i].Name == name {
			return &moves[i]
		}
	}
	return nil
}

// TestGlobalGrows: a const table of function pointers that grows takes the
// new initializer (it points at the new functions); a mutable array that
// grows keeps its running elements, its new tail from the new initializer;
// an ops table of the same size keeps its storage and a hook repoints it
// with Env.FuncAddr.
func TestGlobalGrows(t *testing.T) {
	for _, mode := range []runtime.Mode{runtime.Eager, runtime.Lazy} {
		t.Run(mode.String(), func(t *testing.T) {
			k := bootTables(t)
			if got := k.sys(t, sysTable, 2, 5); got != -38 {
				t.Fatalf("operation 2 before the update: %d, want -ENOSYS", got)
			}
			k.sys(t, sysCount, 0, 10) // counters[0] = 11: running state
			oldAddr, _ := k.t.Global("tables.c:counters")
			var moves []runtime.GlobalMove
			u := tablesUpdate(t, mode)
			u.Before = func(env *runtime.Env) error {
				moves = env.Moves()
				// The default transfer ran: the kept elements are there.
				g := moveNamed(moves, "tables.c:counters")
				if g == nil {
					return errors.New("counters did not move")
				}
				if v, err := env.ReadUint(g.New, 8); err != nil || v != 11 {
					return errors.New("counters[0] not transferred before the hook")
				}
				fn, err := env.FuncAddr("tables.c:op_triple")
				if err != nil {
					return err
				}
				ops, ok := env.Global("tables.c:console_ops")
				if !ok {
					return errors.New("no console_ops")
				}
				return env.WriteUint(ops, 8, fn)
			}
			a, err := runtime.Prepare(k.t, u)
			if err != nil {
				t.Fatal(err)
			}
			rep := a.Wait()
			if rep.Outcome != "applied" {
				t.Fatalf("report: %+v", rep)
			}
			if rep.Functions != 3 {
				t.Errorf("%d functions swapped, want 3 (table_call, and count_add and count_get, which use the moved counters)", rep.Functions)
			}
			tab, cnt := moveNamed(moves, "tables.c:op_table"), moveNamed(moves, "tables.c:counters")
			if len(moves) != 2 || tab == nil || cnt == nil {
				t.Fatalf("moves: %+v", moves)
			}
			if tab.Keep != 0 || tab.OldSize != 16 || tab.NewSize != 24 {
				t.Errorf("op_table: %+v, want the new initializer (Keep 0), 16 -> 24 bytes", *tab)
			}
			if cnt.Keep != 32 || cnt.Old != oldAddr {
				t.Errorf("counters: %+v, want the 32 old bytes kept", *cnt)
			}
			if len(rep.Globals) != 2 {
				t.Errorf("report globals: %q", rep.Globals)
			}
			for nr, want := range []int64{6, 10, -5} {
				if got := k.sys(t, sysTable, uint64(nr), 5); got != want {
					t.Errorf("operation %d of 5 = %d, want %d", nr, got, want)
				}
			}
			for i, want := range []int64{11, 2, 3, 4, 5, 6, 7, 8} {
				if got := k.sys(t, sysCounter, uint64(i)); got != want {
					t.Errorf("counters[%d] = %d, want %d", i, got, want)
				}
			}
			if got := k.sys(t, sysCount, 7, 1); got != 9 {
				t.Errorf("count_add(7, 1) = %d, want 9", got)
			}
			if got := k.sys(t, sysOps, 5); got != 15 {
				t.Errorf("console_ops.apply(5) = %d, want 15 (repointed by the hook)", got)
			}
			// The running image's name now means the new storage.
			if addr, ok := k.t.Global("tables.c:counters"); !ok || addr != cnt.New {
				t.Errorf("Global(counters) = %#x, want the new storage %#x", addr, cnt.New)
			}
			var out strings.Builder
			rep.Print(&out)
			if !strings.Contains(out.String(), "global tables.c:counters: 32 -> 64 bytes") {
				t.Errorf("report does not list the moved counters:\n%s", out.String())
			}
		})
	}
}

// TestGlobalGrowsRollback: when the update rolls back after the new code
// ran, the old binding comes back, and what the new code wrote to the
// kept elements goes back to the old storage.
func TestGlobalGrowsRollback(t *testing.T) {
	k := bootTables(t)
	k.sys(t, sysCount, 1, 5) // counters[1] = 7
	u := tablesUpdate(t, runtime.Eager)
	u.After = func(env *runtime.Env) error {
		// The new code runs (kernel.c's calls reach it) and writes the
		// new storage, then the update fails.
		if r, err := env.Call("kernel_syscall", sysCount, 1, 100, 0, 0, 0, 0); err != nil || r != 107 {
			return errors.New("the new count_add did not run")
		}
		if r, err := env.Call("kernel_syscall", sysCount, 6, 1, 0, 0, 0, 0); err != nil || r != 8 {
			return errors.New("the new count_add does not reach counters[6]")
		}
		return errors.New("refused on purpose")
	}
	a, err := runtime.Prepare(k.t, u)
	if err != nil {
		t.Fatal(err)
	}
	rep := a.Wait()
	if rep.Outcome != "rolled back" || !strings.Contains(rep.Err, "refused on purpose") {
		t.Fatalf("report: %+v", rep)
	}
	if got := k.sys(t, sysTable, 2, 5); got != -38 {
		t.Errorf("operation 2 after the rollback: %d, want -ENOSYS (the old table)", got)
	}
	if got := k.sys(t, sysCounter, 1); got != 107 {
		t.Errorf("counters[1] = %d after the rollback, want 107 (written by the new code, copied back)", got)
	}
	if got := k.sys(t, sysCounter, 6); got != -22 {
		t.Errorf("counters[6] after the rollback: %d, want -EINVAL (four counters again)", got)
	}
	if got := k.sys(t, sysOps, 5); got != 6 {
		t.Errorf("console_ops.apply(5) = %d, want 6", got)
	}
	// A later update applies cleanly on the rolled-back kernel.
	a, err = runtime.Prepare(k.t, tablesUpdate(t, runtime.Eager))
	if err != nil {
		t.Fatal(err)
	}
	if rep := a.Wait(); rep.Outcome != "applied" {
		t.Fatalf("second try: %+v", rep)
	}
	if got := k.sys(t, sysCounter, 1); got != 107 {
		t.Errorf("counters[1] = %d after the second try, want 107", got)
	}
}

// TestFuncAddr: function addresses of the new image, for hooks: they are
// what the new code's function pointers hold.
func TestFuncAddr(t *testing.T) {
	k := bootTables(t)
	var neg, inc uint64
	u := tablesUpdate(t, runtime.Eager)
	u.Before = func(env *runtime.Env) error {
		if _, err := env.FuncAddr("no_such_function"); err == nil {
			return errors.New("FuncAddr of an unknown function succeeded")
		}
		if _, err := env.FuncAddr("nosuch.c:op_inc"); err == nil {
			return errors.New("FuncAddr in an unknown module succeeded")
		}
		var err error
		if neg, err = env.FuncAddr("tables.c:op_neg"); err != nil {
			return err
		}
		inc, err = env.FuncAddr("tables.c:op_inc")
		return err
	}
	a, err := runtime.Prepare(k.t, u)
	if err != nil {
		t.Fatal(err)
	}
	if rep := a.Wait(); rep.Outcome != "applied" {
		t.Fatalf("report: %+v", rep)
	}
	if neg == 0 || inc == 0 || neg == inc {
		t.Fatalf("addresses: op_neg %#x, op_inc %#x", neg, inc)
	}
	addr, _ := k.t.Global("tables.c:op_table")
	for i, want := range map[uint64]uint64{0: inc, 2: neg} {
		b, err := k.m.Read(addr+8*i, 8)
		if err != nil {
			t.Fatal(err)
		}
		if got := binary.LittleEndian.Uint64(b); got != want {
			t.Errorf("op_table[%d] = %#x, want %#x", i, got, want)
		}
	}
}

// TestGlobalMoveRules: an array whose element type changes takes the new
// initializer; a global with external linkage that moves while a module
// the update does not replace uses it is refused at Prepare.
func TestGlobalMoveRules(t *testing.T) {
	tree := fstest.MapFS{
		"a.c": {Data: []byte("static int small[2] = { 1, 2 };\nlong hist[2];\nlong a_get(long i) { return small[i] + hist[i]; }\nvoid kernel_boot(void) { }\n")},
		"b.c": {Data: []byte("extern long hist[2];\nlong b_get(void) { return hist[0]; }\n")},
	}
	boot := func() *emu.Target {
		img, err := emu.Load(tree, []string{"a.c", "b.c"}, emu.LoadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		m, err := emu.NewMachine(img, emu.MachineConfig{CPUs: 1, Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		if err := m.Boot(); err != nil {
			t.Fatal(err)
		}
		tg, err := emu.NewTarget(m, tree)
		if err != nil {
			t.Fatal(err)
		}
		return tg
	}
	widened := "static long small[2] = { 5, 6 };\nlong hist[2];\nlong a_get(long i) { return small[i] + hist[i]; }\nvoid kernel_boot(void) { }\n"
	a, err := runtime.Prepare(boot(), &runtime.Update{Name: "widen", Sources: []runtime.Source{{Path: "a.c", Code: []byte(widened)}}})
	if err != nil {
		t.Fatal(err)
	}
	grown := "static int small[2] = { 1, 2 };\nlong hist[4];\nlong a_get(long i) { return small[i] + hist[i]; }\nvoid kernel_boot(void) { }\n"
	_, err = runtime.Prepare(boot(), &runtime.Update{Name: "grow", Sources: []runtime.Source{{Path: "a.c", Code: []byte(grown)}}})
	if err == nil || !strings.Contains(err.Error(), "b_get (b.c), which the update does not replace, uses it") {
		t.Errorf("growing hist used by b.c: %v", err)
	}
	rep := a.Wait()
	if rep.Outcome != "applied" || len(rep.Globals) != 1 || !strings.Contains(rep.Globals[0], "type changed: new initializer") {
		t.Fatalf("report: %+v", rep)
	}
}
