package runtime_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/upsynth/upsynth/runtime"
)

// TestRollbackWhileCallsRun: the update converts every Item while the
// workload keeps calling them, then fails (After) and rolls back while
// the CPUs are stopped at preemption points, some at a call of an Item
// method. No new code may run after the rollback: a v2 Item_add entered on
// a state given back its old 24-byte layout writes past it, and the
// self-check sees the lost add. With seed 23 and the update at step 300 a
// CPU stops at a call of Item_add; when the emulator preempted after
// resolving the callee (not before), it then ran the v2 code.
func TestRollbackWhileCallsRun(t *testing.T) {
	for _, c := range []struct {
		seed uint64
		at   int64
	}{{23, 300}, {3, 1700}, {8, 4100}} {
		t.Run(fmt.Sprintf("seed%d-at%d", c.seed, c.at), func(t *testing.T) {
			const n = 64
			k := bootItems(t, 2, c.seed, n)
			u := stateUpdate(t, runtime.Eager)
			u.After = func(*runtime.Env) error { return errors.New("after says no") }
			a, err := runtime.Prepare(k.t, u)
			if err != nil {
				t.Fatal(err)
			}
			k.t.At(c.at, a.Start)
			k.run(t, mixedWorkload(t, n, n))
			if rep := a.Wait(); rep.Outcome != "rolled back" {
				t.Fatalf("%s: %s", rep.Outcome, rep.Err)
			}
			if got := k.t.OTT().CountByVersion("Item"); got[1] != n || len(got) != 1 {
				t.Errorf("instances by version: %v, want all %d at 1", got, n)
			}
			k.selfcheck(t)
		})
	}
}
