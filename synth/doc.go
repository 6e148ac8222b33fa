// Package synth plans a dynamic update from a commit's change set and emits
// it as a Go package: the runtime.Update descriptor, generated state-transfer
// functions and interface adapters, hooks a person completes, the new C
// sources and a readable plan. It reads trees and writes files; it never runs
// kernel code (verification is package synth/verify).
package synth
