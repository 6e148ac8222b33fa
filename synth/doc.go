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
// changed signatures and the initializer constants to patch.
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
package synth
