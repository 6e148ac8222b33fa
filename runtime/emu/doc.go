// Package emu is upsynth's emulated target: a C machine in pure Go that runs
// kernel code type-checked by modernc.org/cc/v4 for a fixed LP64 ABI.
//
// Load translates C files (from any fs.FS, e.g. a git tree) with the
// target's ABI — its predefined macros and headers (include/kernel.h and the
// minimal hosted headers), one copy in runtime/emu/abi that the analysis and
// the update generator read too — links them across units (builtins bind
// what no unit defines) and compiles every function to Go closures once.
// NewMachine gives an image flat byte-addressed memory laid out as cc/v4
// computed, one stack per emulated CPU, a heap and an object translation
// table (package runtime). The CPUs are interleaved by a seeded scheduler at
// calls, loop back-edges, lock waits and yield, so a run is reproducible
// from its seed; host tasks (Post) run between CPU slices. A call stops
// before its callee is resolved (code table, method dispatch by the
// instance's version), never between resolving and entering it, so a host
// task that swaps code or converts instances (an update, its rollback) is
// never followed by a call into what it replaced. Faults — bad memory
// accesses, division by zero, stack overflow, an exhausted step budget,
// panic() — stop the machine with a *Fault carrying the C position and
// backtrace; they never crash the host.
//
// RunProgram runs a hosted C program (entry main; upsynth target exec).
// RunWorkload runs a workload (WORKLOAD.md) against a kernel's
// kernel_syscall (upsynth target run, the verification harness).
//
// The update runtime reaches the machine only through Target (NewTarget),
// which implements runtime.Target: memory (Read, Write, View, Alloc, Free),
// the OTT, globals and calls, the CPUs' stacks, host tasks (Post, RunTasks)
// and Load, which compiles an update's C into the running image and returns
// the runtime.Code that swaps functions and converts instances (update.go);
// for kernels without an object table it also implements runtime.TypedMemory,
// the typed heap (HeapInstances, HeapWords, HeapSafe: typedheap.go). At
// schedules an update's start at a step count. The Machine's lower-level
// live-code methods (LoadCode, ReplaceFunction, SetTypeVersion,
// SetStaleHook, ExecutingFunction, PostRepeat) are not what the runtime
// uses: Target does not call them, only the machine's own tests do. A kernel
// that schedules its own tasks runs them on execution contexts with a tick
// and a soft interrupt (context.go, interrupt.go). The target ABI is
// documented in ABI.md.
package emu
