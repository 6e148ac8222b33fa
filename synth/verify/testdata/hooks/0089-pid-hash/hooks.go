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
// The old code never reads pid_table, but the table is the new code's and
// outlives the rollback: were the update applied again, its chains would
// still link the processes of this attempt (hookProcess pushes onto them).
// It is cleared here, once every process is back at the old layout
// (undoProcess cannot unlink one by one: the new states of the processes
// already reverted are freed).
func undoBefore(env *runtime.Env) error {
	table, ok := env.Global("kernel/proc.c:pid_table")
	if !ok {
		return nil // the new code's storage is gone: nothing links anything
	}
	return env.Write(table, make([]byte, pidHash*8))
}

// after runs when everything is switched, before held calls are released.
func after(env *runtime.Env) error {
	return nil
}

// pidHash is PID_HASH of kernel/proc.c: pid_table has that many chains.
const pidHash = 64

var (
	newPid     = layoutNewProcess.F("pid")
	newPidNext = layoutNewProcess.F("pid_next")
)

// hookProcess runs after the generated transfer of each Process instance; new is
// complete except for what only a person knows.
// New fields, zero by default: pid_next.
//
// proc_lookup now finds a process through pid_table (new in kernel/proc.c,
// zero in the running kernel) instead of scanning the factory: every
// running process goes into its chain as Process_create puts a new one,
// at the head. Process is used outside its methods (proc_lookup walks the
// chains with DREF), so the runtime converts every instance in one task
// with no CPU in that code: pid_lock is free and the table complete before
// anyone reads it.
func hookProcess(old, new runtime.State) error {
	env := new.Env()
	if env == nil {
		return fmt.Errorf("process %d: no target", new.Ref)
	}
	table, ok := env.Global("kernel/proc.c:pid_table")
	if !ok {
		return fmt.Errorf("process %d: the kernel has no pid_table (kernel/proc.c) to enter it in", new.Ref)
	}
	pid := new.Int(newPid)
	if pid <= 0 {
		return fmt.Errorf("process %d: pid %d", new.Ref, pid)
	}
	chain := table + uint64(pid%pidHash)*8
	head, err := env.ReadUint(chain, 8)
	if err != nil {
		return err
	}
	new.SetUint(newPidNext, head)
	return env.WriteUint(chain, 8, uint64(new.Ref))
}

// undoProcess undoes hookProcess when the update rolls back: it runs after the generated
// reverse transfer of each Process instance going back to the old layout. old is
// the state the instance had before the update (kept as it was, the reverse
// steps written over it) or, for an instance the new code created, a fresh
// one; new is still readable. Free or unlink here what hookProcess built.
//
// The old layout has no pid_next and the old code no pid_table: what
// hookProcess built is dropped with the new state; undoBefore clears the
// table once all processes are back.
func undoProcess(new, old runtime.State) error {
	return nil
}
