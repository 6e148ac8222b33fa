// Package cputime reads the CPU time of the calling OS thread: what a piece
// of work cost, without the time a loaded host spent running other
// processes, which inflates wall time. A caller subtracting two readings
// keeps its goroutine on one thread between them (runtime.LockOSThread).
// Process reads the whole process's, for benchmarks whose work spans
// goroutines.
//
// It is the one place upsynth measures CPU time: the update runtime times
// its pauses with it, cparse its parses, and benchmarks their work. It lives in the runtime
// module, which the root module requires, so that both can import it.
package cputime
