// hooks.go is generated once by upsynth and never overwritten: write here what no
// tool can infer. Each hook is compiled and called; the generated default is
// in place.

package update

import (
	"fmt"

	"github.com/upsynth/upsynth/runtime"
)

// before runs once the new code is loaded, before any of it is visible. An
// error rolls the update back; a before that fails undoes what it did itself.
func before(env *runtime.Env) error {
	return nil
}

// undoBefore reverses what before did when the update rolls back after before
// returned nil (a transfer or hook failed, or quiescence timed out): it runs
// once, after every instance went back to the old layout, before the old code
// is restored. An error is reported; the rollback goes on.
//
// Nothing to undo: the console_ops slot is repointed by after, the last
// step, which no rollback follows.
func undoBefore(env *runtime.Env) error {
	return nil
}

// after runs when everything is switched, before held calls are released.
// Globals whose declaration changed (a global of the same size keeps its running value):
//
//	console_ops (fs/openfile.c): init initializer changed: the running value is kept; a hook decides whether the new initial value applies
//
// Write a new value with env.Global("path:name") and env.WriteUint if it must change.
//
// console_ops is the console's struct devops {read, write}: its read slot
// goes from console_dev_read (always 0) to console_log_read, the function
// the update adds, as the new initializer says. It is written last, when
// nothing can roll the update back (the slot must never point at code a
// rollback removes); until then console reads answer as before.
func after(env *runtime.Env) error {
	const readSlot = 0 // struct devops: read, then write
	ops, ok := env.Global("fs/openfile.c:console_ops")
	if !ok {
		return fmt.Errorf("the kernel has no console_ops (fs/openfile.c)")
	}
	oldRead, err := env.FuncAddr("fs/openfile.c:console_dev_read")
	if err != nil {
		return err
	}
	newRead, err := env.FuncAddr("fs/openfile.c:console_log_read")
	if err != nil {
		return err
	}
	cur, err := env.ReadUint(ops+readSlot, 8)
	if err != nil {
		return err
	}
	if cur != oldRead {
		return fmt.Errorf("console_ops.read is %#x, not console_dev_read (%#x): someone repointed it", cur, oldRead)
	}
	return env.WriteUint(ops+readSlot, 8, newRead)
}
