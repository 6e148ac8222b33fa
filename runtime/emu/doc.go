// Package emu is upsynth's emulated target: a C machine in pure Go that runs
// kernel code type-checked by modernc.org/cc/v4 for a fixed LP64 ABI.
//
// Load translates C files (from any fs.FS, e.g. a git tree) with the
// machine's own headers (include/kernel.h, the target ABI, and the minimal
// hosted headers under include/hosted), links them across units (builtins
// bind what no unit defines) and compiles every function to Go closures
// once. NewMachine gives an image flat byte-addressed memory laid out as
// cc/v4 computed, one stack per emulated CPU, a heap and an object
// translation table (package runtime). The CPUs are interleaved by a seeded
// scheduler at calls, loop back-edges, lock waits and yield, so a run is
// reproducible from its seed; host tasks (Post) run between CPU slices. A
// call stops before its callee is resolved (code table, method dispatch by
// the instance's version), never between resolving and entering it, so a
// host task that swaps code or converts instances (an update, its rollback)
// is never followed by a call into what it replaced.
// Faults — bad memory accesses, division by zero, stack overflow, an
// exhausted step budget, panic() — stop the machine with a *Fault carrying
// the C position and backtrace; they never crash the host.
//
// RunProgram runs a hosted C program (entry main). RunWorkload runs a
// workload (WORKLOAD.md) against a kernel's kernel_syscall.
//
// What the update runtime builds on: Read/Write/Alloc/Free (memory), OTT
// (objects, factories, versions), LoadCode + ReplaceFunction +
// SetTypeVersion (new code in the running image), SetStaleHook (lazy
// update on the next method call), Stacks and ExecutingFunction (what the
// CPUs are running), Post and PostRepeat (host work run by the scheduler
// between CPU slices), and, for kernels without an object table, the typed
// heap (HeapInstances, HeapWords, HeapSafe: typedheap.go). A kernel that
// schedules its own tasks runs them on execution contexts with a tick and a
// soft interrupt (context.go, interrupt.go). The target ABI is documented in
// ABI.md.
package emu
