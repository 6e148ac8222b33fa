package runtime_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/upsynth/upsynth/runtime"
)

// TestUndoBefore: Before changes a global the way a person's hook resizes
// what an old constant sized; when the update then fails (a transfer at
// instance k, or After) the rollback runs UndoBefore once, after every
// instance went back through Reverse, and the kernel is as before. When
// Before itself fails, or the update applies, UndoBefore does not run.
func TestUndoBefore(t *testing.T) {
	for _, c := range []struct {
		name             string
		mode             runtime.Mode
		failTransfer     int
		failBefore       bool
		failAfter        bool
		failUndo         bool
		wantUndo, rolled bool
	}{
		{name: "transfer fails eager", mode: runtime.Eager, failTransfer: 23, wantUndo: true, rolled: true},
		{name: "transfer fails lazy", mode: runtime.Lazy, failTransfer: 23, wantUndo: true, rolled: true},
		{name: "after fails", mode: runtime.Eager, failAfter: true, wantUndo: true, rolled: true},
		{name: "undo fails", mode: runtime.Eager, failAfter: true, failUndo: true, wantUndo: true, rolled: true},
		{name: "before fails", mode: runtime.Eager, failBefore: true, rolled: true},
		{name: "applies", mode: runtime.Eager},
	} {
		t.Run(c.name, func(t *testing.T) {
			const n = 60
			k := bootItems(t, 2, 19, n)
			u := stateUpdate(t, c.mode)
			var log []string
			transfers := 0
			u.Types[0].Transfer = func(old, new runtime.State) error {
				if transfers++; transfers == c.failTransfer {
					return errors.New("injected failure")
				}
				return transferItem(old, new)
			}
			u.Types[0].Reverse = func(new, old runtime.State) error {
				log = append(log, "reverse")
				runtime.CopyFields(new, old)
				return nil
			}
			const patched = 77
			var was uint64
			u.Before = func(env *runtime.Env) error {
				addr, ok := env.Global("stop_spin")
				if !ok {
					return errors.New("no stop_spin")
				}
				var err error
				if was, err = env.ReadUint(addr, 8); err != nil {
					return err
				}
				if err := env.WriteUint(addr, 8, patched); err != nil {
					return err
				}
				if c.failBefore {
					// A failing Before undoes its own work.
					env.WriteUint(addr, 8, was)
					return errors.New("before says no")
				}
				log = append(log, "before")
				return nil
			}
			u.UndoBefore = func(env *runtime.Env) error {
				log = append(log, "undo")
				if c.failUndo {
					return errors.New("undo says no")
				}
				return runtime.PatchGlobal(env, "stop_spin", 0, 8, patched, was)
			}
			if c.failAfter {
				u.After = func(*runtime.Env) error { return errors.New("after says no") }
			}
			a, err := runtime.Prepare(k.t, u)
			if err != nil {
				t.Fatal(err)
			}
			k.t.At(500, a.Start)
			k.run(t, mixedWorkload(t, n, n))
			rep := a.Wait()
			if got := rep.Outcome == "rolled back"; got != c.rolled {
				t.Fatalf("outcome %s (%s)", rep.Outcome, rep.Err)
			}
			undos := strings.Count(strings.Join(log, " "), "undo")
			if c.wantUndo != (undos == 1) || undos > 1 || rep.UndoneBefore != c.wantUndo {
				t.Fatalf("hooks ran %v (report: undone %v); want UndoBefore once: %v", log, rep.UndoneBefore, c.wantUndo)
			}
			if c.wantUndo {
				if log[len(log)-1] != "undo" || log[0] != "before" {
					t.Errorf("hooks ran %v: want before first, every reverse, then undo last", log)
				}
				if c.failTransfer > 0 && rep.RolledBack != c.failTransfer-1 {
					t.Errorf("%d instances rolled back, want the %d converted before the failure", rep.RolledBack, c.failTransfer-1)
				}
				if strings.Count(strings.Join(log, " "), "reverse") != rep.RolledBack {
					t.Errorf("%d reverse transfers, %d instances rolled back", strings.Count(strings.Join(log, " "), "reverse"), rep.RolledBack)
				}
			}
			if c.failUndo && !strings.Contains(rep.Err, "undo says no") {
				t.Errorf("the report's error %q does not say the undo failed", rep.Err)
			}
			addr, ok := k.t.Global("stop_spin")
			if !ok {
				t.Fatal("no stop_spin")
			}
			b, err := k.m.Read(addr, 8)
			if err != nil {
				t.Fatal(err)
			}
			want := uint64(0)
			if !c.rolled || c.failUndo {
				want = patched
			}
			if got := uint64(b[0]); got != want {
				t.Errorf("stop_spin = %d after the update, want %d", got, want)
			}
			if c.rolled {
				if got := k.t.OTT().CountByVersion("Item"); got[1] != n || len(got) != 1 {
					t.Errorf("instances by version: %v, want all %d at 1", got, n)
				}
				if v := k.sys(t, sysVersion); v != 1 {
					t.Errorf("item_version = %d after rollback, want 1", v)
				}
			}
			k.selfcheck(t)
		})
	}
}
