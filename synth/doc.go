// Package synth plans a dynamic update from a commit's change set and emits
// it as a Go package: the runtime.Update descriptor, generated state-transfer
// functions and interface adapters, hooks a person completes, the new C
// sources and a readable plan. It reads trees and writes files; it never runs
// kernel code (verification is the harness runtime/emu/verify, with
// synth/verify's interpreter of plan.json).
//
// Planning (MakePlan) compiles the changed modules of both revisions with
// cc/v4 under the target's LP64 ABI (the settings the emulated target uses,
// so layouts agree byte for byte): struct layouts with offsets, function
// signatures with parameter names, globals with their initializer constants,
// the constants constructors give fields. A changed header reloads every
// module that includes it. From that it derives the modules to reload, the
// functions to swap, the object types to transfer (field steps: by name, by
// position and type as a marked guess, integer widening and checked
// narrowing, resized arrays, nested structs, defaults), the adapters of
// changed signatures and the initializer constants to patch. A method the
// new revision no longer defines is paired with the one that replaces it
// (same body apart from its own name and same signature: a rename; else,
// when the type's layout changes, the only removed and the only added method
// with the same signature: a guess put to a person), and the rename gets an
// adapter (runtime.Adapter.To), so callers still bound to the old name reach
// the new method on converted instances.
//
// A module the front end cannot compile (a syntax error at one revision, a
// header the kernel's build generates, include paths upsynth.yaml lacks) and
// a C++ module are planned from cparse's tolerant summaries instead
// (degraded.go): functions by their text, object types transferred by field
// name with the layouts the runtime takes from the running kernel and the
// new code, no adapters. The plan lists those files with the front end's
// error (Imprecise) and, when the emulated target cannot boot the kernel,
// says why (Unverifiable): the generated test skips with that reason.
//
// Generation (Generate) renders the plan with jennifer; the same plan is
// written as plan.json, which synth/verify interprets to verify many packages
// in one process. An emitted package imports runtime and, in its test,
// the verification harness runtime/emu/verify (which reads plan.json's
// build and workload fields into its own struct), nothing else of upsynth:
// tests check both. Write lays out the package directory: it is a Go module
// whose go.mod requires upsynth's runtime module (github.com/upsynth/upsynth/runtime,
// a module of its own so that its graph holds only cc/v4 and its few
// dependencies) and replaces it with the source upsynth was built from. That source is found, without any build flag, from the
// compiled-in path of this package (runtime.Caller; a -trimpath build loses
// it), then from the executable's directory upwards; --runtime-src overrides
// both. The module copies the runtime's requirements and go.sum, all of which
// building upsynth downloaded, so go build, go vet and go test work offline
// (GOPROXY=off) right after make build, alone or in a go.work with others.
//
// # Hooks: what a person completes
//
// PLAN.md's "Needs a person" lists what no tool can infer: a data structure
// rebuilt in a new shape (a directory's array becoming hash chains, a table
// the new code expects filled with the running objects), memory the running
// kernel sized with a constant that changed (buffers, pools allocated at
// boot). The person writes it in hooks.go, in Go against runtime.Env (read
// and write target memory, Alloc and Free, the OTT's instances, globals,
// kernel calls):
//
//   - before runs once, at the safe point, atomically with the code swap:
//     resize what the old constant sized (every live instance through
//     env.OTT().Factory(T).Instances()); a before that fails undoes its own
//     partial work;
//   - hookT runs after the generated transfer of each instance of a changed
//     type: build what the new fields hold from old (old.Env() reaches
//     target memory);
//   - after runs once every instance is converted, before held calls are
//     released: free what the old layout owned. Nothing undoes after, so it
//     fails (if it must) before it frees or repoints anything;
//   - undoT(new, old) and undoBefore run when the update rolls back: when a
//     transfer or hook (before, hookT, after) fails or quiescence times out —
//     in a lazy update also when an instance converted on its call fails,
//     even after the commit. The rollback is one task at a safe point (no
//     CPU in the new code): the generated reverse transfer of each instance
//     that goes back to the old layout runs, then its undoT — old is the
//     state kept from before the update (what hookT may have left in it is
//     still there, the reverse steps are written over it) or a fresh
//     zeroed one (an instance the new code created; every instance once
//     the kept states were freed after the commit); new is still readable
//     (its memory is freed after). Rebuild from new what the new code may
//     have changed since, free what hookT built. Then undoBefore runs once
//     (only if before had returned nil), before the old code is restored:
//     give back what before resized. The generated defaults do nothing; an
//     error from either is added to the report and the rollback goes on.
//     Constants the update patches (PLAN.md) are written back by the
//     generated code after undoBefore.
//
// The workflow is emit, edit hooks.go, verify the compiled package:
//
//	upsynth emit REV -o DIR
//	$EDITOR DIR/hooks.go            # PLAN.md says what is needed
//	upsynth verify --go DIR         # or: cd DIR && go test
//	upsynth emit REV -o DIR         # later: hooks.go is kept as it is
//
// The package's test verifies the update in both modes (TestVerify) and its
// rollback (TestRollback: the After step fails once every instance is
// converted, and the old revision must run on as a fresh boot of it does,
// self-check included), so the undo hooks are exercised too.
//
// Emitting again keeps hooks.go; only when the kept file lacks a hook the
// new generated code calls is the fresh version written beside it as
// hooks.go.new, to merge (helper functions a person adds do not count). A
// package emitted before the undo hooks existed gets a hooks.go.new with
// undoBefore and undoT to copy over. The in-process verifier (plan.json, upsynth verify without --go) cannot
// run Go a person wrote and refuses an edited hooks.go. The corpus's hooks
// are in synth/verify/testdata/hooks, verified this way by the corpus test.
//
// Limits: a rollback after the commit (a lazy update's late conversion
// failing) cannot undo what after did. env.Global finds a global the update
// adds only once the code is swapped (in hookT, after and the undo hooks,
// not in before); env.FuncAddr gives the address of a function of the new
// code (to repoint a table), env.Call runs the running image's functions.
package synth
