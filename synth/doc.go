// Package synth plans a dynamic update from a commit's change set and emits
// it as a Go package: the runtime.Update descriptor, generated state-transfer
// functions and interface adapters, hooks a person completes, the new C
// sources and a readable plan. It reads trees and writes files; it never runs
// kernel code (verification is package synth/verify).
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
// Generation (Generate) renders the plan with jennifer; the same plan is
// written as plan.json, which synth/verify interprets to verify many packages
// in one process. Write lays out the package directory: it is a Go module
// whose go.mod replaces github.com/upsynth/upsynth with the source upsynth was
// built from. That source is found, without any build flag, from the
// compiled-in path of this package (runtime.Caller; a -trimpath build loses
// it), then from the executable's directory upwards; --runtime-src overrides
// both. The module copies upsynth's requirements and go.sum, so go build, go
// vet and go test work offline (GOPROXY=off).
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
//     env.OTT().Factory(T).Instances());
//   - hookT runs after the generated transfer of each instance of a changed
//     type: build what the new fields hold from old (old.Env() reaches
//     target memory);
//   - after runs once every instance is converted, before held calls are
//     released: free what the old layout owned.
//
// The workflow is emit, edit hooks.go, verify the compiled package:
//
//	upsynth emit REV -o DIR
//	$EDITOR DIR/hooks.go            # PLAN.md says what is needed
//	upsynth verify --go DIR         # or: cd DIR && go test
//	upsynth emit REV -o DIR         # later: hooks.go is kept as it is
//
// Emitting again keeps hooks.go; only when the kept file lacks a hook the
// new generated code calls is the fresh version written beside it as
// hooks.go.new, to merge (helper functions a person adds do not count).
// The in-process verifier (plan.json, upsynth verify without --go) cannot
// run Go a person wrote and refuses an edited hooks.go. The corpus's hooks
// are in synth/verify/testdata/hooks, verified this way by the corpus test.
//
// Limits: the generated reverse transfer (rollback) calls no hook, so a
// rollback after hookT ran restores the kept old state as it was.
// env.Global finds a global the update adds only once the code is swapped
// (in hookT and after, not in before); env.FuncAddr gives the address of a
// function of the new code (to repoint a table), env.Call runs the running
// image's functions.
package synth
