package runtime

// Target is what the runtime needs from a machine running kernel code:
// memory access, loading new code into the running image, the CPUs' call
// stacks and a way to run its own work as tasks of the machine's scheduler
// (so that the pauses an update causes are real). runtime/emu implements it;
// the runtime never imports a target.
//
// Tasks run while every emulated CPU is stopped at a preemption point; the
// runtime touches the target only from tasks, from the Gate callbacks the
// target makes on a CPU, or while no run is in progress.
type Target interface {
	OTT() *OTT
	Read(addr, n uint64) ([]byte, error)
	Write(addr uint64, b []byte) error
	// View returns target memory [addr, addr+n) itself, for transfers; it
	// stays valid until the next Alloc.
	View(addr, n uint64) ([]byte, error)
	Alloc(n uint64) uint64
	Free(addr uint64) error
	// Global returns the address of a global variable ("path:name" for a
	// file-local one).
	Global(name string) (uint64, bool)
	// Call runs a kernel function to completion on a host CPU while the
	// emulated CPUs are stopped.
	Call(fn string, args ...uint64) (uint64, error)
	// Stacks returns each CPU's active calls.
	Stacks() []CPUStack
	// Post queues a task for the scheduler's next round (not the current
	// one: a task may re-post itself to poll).
	Post(task func())
	// RunTasks runs one round of queued tasks when no run is in progress.
	RunTasks()
	// Load compiles an update's sources against the running image. Nothing
	// becomes visible until the returned Code is switched on.
	Load(u *Update) (Code, error)
}

// CPUStack is one CPU's state as an update sees it, or the stack of an
// execution context a kernel suspended (a task switched out: Context is
// set, CPU is the CPU it runs on, Request is 0). The CPUs come first.
type CPUStack struct {
	CPU     int
	Context uint64
	// Request identifies the request the CPU is running (0 when idle); it
	// changes at every request boundary, a quiescent point.
	Request uint64
	Frames  []Frame // innermost first
}

// Frame is one active call.
type Frame struct {
	Func    string // the function (for a method, T_name)
	Type    string // the object type, for a method
	Version int    // the version of the implementation, for a method
	Self    Ref    // the instance, for a method
}

// Code is an update's new code, loaded into the target but not yet
// visible. The runtime switches it on and off from tasks.
type Code interface {
	// Replaced lists the functions SwapFunctions replaces: no CPU may be
	// executing any of them when it is called.
	Replaced() []string
	// SwapFunctions makes the new code of plain functions (and the
	// code-only methods) current; UnswapFunctions restores the old code.
	SwapFunctions() error
	UnswapFunctions()
	// Layout is the state layout the new code gives an object type.
	Layout(typ string) (Layout, bool)
	// InstallType adds version to typ's method table, implemented by the
	// new code, and routes every call on an instance at an older version
	// through gate (see Gate). RemoveType undoes it.
	InstallType(typ string, version int, gate Gate) error
	RemoveType(typ string, version int)
	// Adapters reports the adapters the code installed and how often calls
	// went through them.
	Adapters() []AdapterUse
	// Types lists the object types the code gives a new version: the
	// update's, and those whose methods only change their signature (their
	// layout stays; the runtime adds them to the update).
	Types() []string
	// Accessors lists the functions of the running kernel, other than its
	// methods, that use the state of typ (struct typ) directly.
	Accessors(typ string) []string
	// Moves lists the globals whose size changed: the new code has new
	// storage for each (see GlobalMove).
	Moves() []GlobalMove
	// FuncAddr returns the address of a function as the new code sees it
	// (its new definition when the update has one, else the running
	// kernel's): what a function pointer to it holds. A file-local
	// function is named "path:name".
	FuncAddr(name string) (uint64, error)
}

// ContextCode is a Code whose target runs the kernel's own execution
// contexts (its tasks, on stacks it allocates) and can move them to the new
// code one at a time, the consistency model of Linux's livepatch: a
// context parked inside a replaced function keeps running the old code
// until it is switched out without any on its stack. A kernel whose tasks
// park inside the functions an update replaces (a FreeRTOS task blocked in
// xQueueReceive) may never reach a point where no context is in them.
type ContextCode interface {
	// SwapFunctionsPerContext makes the new code current for every
	// context without replaced code on its stack, and for the others as
	// they leave it. It calls before (the update's Before hook) once the
	// swap can start, just before it; it fails, changing nothing, when
	// the swap cannot start now or before fails.
	SwapFunctionsPerContext(before func() error) error
	// Lagging counts the contexts still running the replaced code and
	// says where one of them is.
	Lagging() (n int, where string)
	// KeptEntries lists the replaced functions some context runs as its
	// entry, which never returns: that activation keeps its old body and
	// calls the new code; contexts started later run the new body.
	KeptEntries() []string
}

// EmulatedClock is a target whose time is the progress of its emulated CPUs.
// An update's waits for the kernel (a safe point, contexts moving to the
// new code) then count that progress rather than wall time: on a loaded
// host the kernel gets as far before a timeout as on an idle one (a task
// that deleted itself waits for the idle task to free it, which a second of
// wall time on a busy host may not see).
type EmulatedClock interface {
	// Clock is the steps the CPUs have executed and slept, summed.
	Clock() int64
}

// Gate is the mediator of a type under update: the target consults it on
// every call to an instance at an old version.
type Gate interface {
	// Enter decides what happens to a call on r from cpu: it may convert
	// the instance (lazy), return a word of target memory the CPU must
	// block on until it reads 0 before calling Enter again (held), or let
	// the call through to the instance's current version.
	Enter(cpu int, r Ref) (wait uint64)
}

// AdapterUse is an adapter's use, for reports.
type AdapterUse struct {
	Func     string
	Reverse  bool     // new-signature calls reaching old instances
	Calls    int64    // calls that went through it
	Bindings []string // functions still bound to the old signature
	Retired  bool     // no binding needs it any more
}

// GlobalMove is a global variable whose size changes with the update (an
// array that grows or shrinks, a struct with a new layout). Its running
// storage cannot hold the new value, so the new code gets new storage,
// initialized from the new code's initializer when the code is loaded; the
// new code binds to it, old code keeps the old storage until it is swapped
// out (every function of the update's sources naming the global is
// swapped), and a rollback restores the old binding.
//
// The default transfer, at the safe point before the Before hook, copies
// the first Keep bytes of the old storage into the new one. The target
// decides Keep: the elements that still fit for an array of unchanged
// element type that is mutable state; 0 (the new initializer stands) for a
// const table, a table of function pointers (it must point at the new
// functions) and any other change of type. A hook may do more: Old and New
// stay valid for the whole update. On rollback after the switch, the same
// Keep bytes are copied back, so the state the new code wrote survives.
type GlobalMove struct {
	Name             string // "name", or "path:name" for a file-local one
	OldType, NewType string
	Old, New         uint64 // addresses of the old and new storage
	OldSize, NewSize uint64
	Keep             uint64
	// Rule says why Keep is what it is, for reports.
	Rule string
}
