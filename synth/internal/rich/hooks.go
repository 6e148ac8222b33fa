// hooks.go is generated once by upsynth and never overwritten: write here what no
// tool can infer. Each hook is compiled and called; the generated default is
// in place.

package update

import "github.com/upsynth/upsynth/runtime"

// before runs once the new code is loaded, before any of it is visible. An
// error rolls the update back; a before that fails undoes what it did itself.
func before(env *runtime.Env) error {
	return nil
}

// undoBefore reverses what before did when the update rolls back after before
// returned nil (a transfer or hook failed, or quiescence timed out): it runs
// once, after every instance went back to the old layout, before the old code
// is restored. An error is reported; the rollback goes on.
func undoBefore(env *runtime.Env) error {
	return nil
}

// after runs when everything is switched, before held calls are released.
func after(env *runtime.Env) error {
	return nil
}

// defaultAcct_deposit_times gives parameter int times of Acct_deposit, which the caller's signature lacks, its value;
// args are the caller's arguments. The generated default is 0.
func defaultAcct_deposit_times(args []uint64) uint64 {
	return 0
}

// hookAcct runs after the generated transfer of each Acct instance; new is
// complete except for what only a person knows.
// Removed fields, still readable in old: obsolete.
func hookAcct(old, new runtime.State) error {
	return nil
}

// undoAcct undoes hookAcct when the update rolls back: it runs after the generated
// reverse transfer of each Acct instance going back to the old layout. old is
// the state the instance had before the update (kept as it was, the reverse
// steps written over it) or, for an instance the new code created, a fresh
// one; new is still readable. Free or unlink here what hookAcct built.
func undoAcct(new, old runtime.State) error {
	return nil
}
