package emu

import (
	"fmt"

	upd "github.com/upsynth/upsynth/runtime"
)

// Execution contexts: what a real kernel's port layer needs to run tasks on
// stacks it allocates itself (ABI.md, "Contexts and interrupts").
//
// A context is a C call stack on kernel memory, run on a goroutine of its
// own: compiled C code keeps its activations on the Go stack, so switching
// stacks is handing the CPU from one goroutine to another. Only the
// goroutine of the context a CPU currently runs executes; the others are
// parked in ctx_switch (or not started yet). The CPU's own stack, where a
// request starts, is its boot context: a request ends when its function
// returns on the boot context, so a kernel ends a run cleanly by switching
// back to it, and resumes its contexts in a later request.
//
// A context runs on the CPU that first runs it: compiled code caches its
// CPU across calls, so a context never migrates, and switching to one bound
// to another CPU is a fault.

// ctxState is where a context is in its life.
type ctxState uint8

const (
	ctxNew       ctxState = iota // created, never run
	ctxRunning                   // the current context of its CPU
	ctxSuspended                 // parked in ctx_switch
	ctxDead                      // destroyed, or ended by a fault
)

var ctxStateNames = [...]string{"new", "running", "suspended", "dead"}

// execCtx is one execution context.
type execCtx struct {
	id    uint64
	boot  bool // the CPU's own stack
	cpu   *CPU // the CPU it runs on (nil until it first runs)
	state ctxState

	// Saved while suspended: the CPU state that belongs to the context.
	frames []*frame
	depth  int
	sp     uint64
	lo, hi uint64
	irq    irqState

	entry, arg uint64 // entry function address and its argument

	wake   chan struct{} // the switch that resumes it
	exited chan struct{} // closed when its goroutine has ended
	killed bool          // woken to unwind, not to run
	fault  string        // why it died, for a later ctx_switch to it
	// stack is its frames as updates see them while it is parked
	// (Target.Stacks), nil when not computed since it last ran.
	stack []upd.Frame
	// lagging says it still runs the code an update replaced
	// (transition.go).
	lagging bool
}

// portState is the machine's contexts and interrupt controller.
type portState struct {
	ctxs     map[uint64]*execCtx
	order    []*execCtx // every context, by handle (handles only grow)
	nextCtx  uint64
	handlers [nIRQ]uint64 // handler function addresses, 0 when none
	stats    PortStats
}

// PortStats count what the port-layer features did on a machine.
type PortStats struct {
	Contexts   int      // contexts created
	Switches   int64    // context switches
	Interrupts [2]int64 // interrupts delivered: tick, soft
	IdleSteps  int64    // steps the CPUs slept in wait_for_interrupt
}

// PortStats returns the counters of contexts and interrupts.
func (m *Machine) PortStats() PortStats { return m.port.stats }

// minContextStack is the smallest stack ctx_create accepts: compiled code
// keeps scalars in Go slots, so the emulated stack holds only addressable
// locals and aggregates.
const minContextStack = 256

func (m *Machine) ctxByID(f *frame, id uint64, op string) *execCtx {
	x := m.port.ctxs[id]
	if x == nil {
		f.fault("context", "%s of context %d, which was never created", op, id)
	}
	if x.state == ctxDead {
		f.fault("context", "%s of context %d, which is dead (%s)", op, id, x.fault)
	}
	return x
}

// currentContext returns the context c runs, making its boot context a
// context (with a handle) on first use.
func (c *CPU) currentContext() *execCtx {
	if c.ctx == nil {
		m := c.m
		if m.port.ctxs == nil {
			m.port.ctxs = map[uint64]*execCtx{}
		}
		m.port.nextCtx++
		x := &execCtx{id: m.port.nextCtx, boot: true, cpu: c, state: ctxRunning, wake: make(chan struct{}), exited: make(chan struct{})}
		m.port.ctxs[x.id] = x
		m.port.order = append(m.port.order, x)
		c.ctx = x
	}
	return c.ctx
}

// ctxCreate makes a context that will run entry(arg) on [stack, stack+size).
func (m *Machine) ctxCreate(f *frame, stack, size, entry, arg uint64) uint64 {
	if size < minContextStack {
		f.fault("context", "ctx_create: a stack of %d bytes is smaller than %d", size, minContextStack)
	}
	m.span(stack, size, "ctx_create stack")
	fn := m.funcAt(f, entry)
	if fn.builtin != nil {
		f.fault("context", "ctx_create: entry %s is a builtin", fn.Name)
	}
	lo, hi := alignUp(stack, 16), (stack+size)&^15
	for _, x := range m.port.order {
		if x.state != ctxDead && !x.boot && lo < x.hi && x.lo < hi {
			f.fault("context", "ctx_create: stack [%#x, %#x) overlaps the stack of context %d", stack, stack+size, x.id)
		}
	}
	if m.port.ctxs == nil {
		m.port.ctxs = map[uint64]*execCtx{}
	}
	m.port.nextCtx++
	x := &execCtx{id: m.port.nextCtx, lo: lo, hi: hi, sp: hi, entry: entry, arg: arg,
		wake: make(chan struct{}), exited: make(chan struct{})}
	m.port.ctxs[x.id] = x
	m.port.order = append(m.port.order, x)
	m.port.stats.Contexts++
	return x.id
}

// contextIDs lists the contexts' handles in order (deterministic walks).
func (m *Machine) contextIDs() []uint64 {
	ids := make([]uint64, len(m.port.order))
	for i, x := range m.port.order {
		ids[i] = x.id
	}
	return ids
}

// ctxSwitch suspends the calling context and runs to on the same CPU. It
// returns when some CPU code switches back to the caller.
func (m *Machine) ctxSwitch(f *frame, id uint64) {
	c := f.cpu
	if c.direct {
		f.fault("context", "ctx_switch outside a scheduled run (a host call or initializer)")
	}
	to := m.ctxByID(f, id, "ctx_switch")
	cur := c.currentContext()
	if to == cur {
		return
	}
	if to.cpu != nil && to.cpu != c {
		if to.state == ctxRunning {
			f.fault("context", "ctx_switch to context %d, which is running on cpu %d", to.id, to.cpu.id)
		}
		f.fault("context", "ctx_switch to context %d, which is bound to cpu %d (contexts do not migrate)", to.id, to.cpu.id)
	}
	// Save what belongs to the running context, load the other's.
	cur.frames, cur.depth, cur.sp, cur.lo, cur.hi, cur.irq = c.frames, c.depth, c.sp, c.lo, c.hi, c.irq
	cur.state = ctxSuspended
	if m.transition != nil {
		m.parked(cur)
	}
	c.frames, c.depth, c.sp, c.lo, c.hi, c.irq = to.frames, to.depth, to.sp, to.lo, to.hi, to.irq
	fresh := to.state == ctxNew
	to.cpu, to.state, c.ctx = c, ctxRunning, to
	to.frames, to.stack = nil, nil
	m.port.stats.Switches++
	if fresh {
		go m.runContext(to)
	}
	to.wake <- struct{}{}
	<-cur.wake
	if cur.killed || m.killing {
		panic(killSignal{})
	}
}

// ctxDestroy ends a suspended or new context and forgets it.
func (m *Machine) ctxDestroy(f *frame, id uint64) {
	x := m.ctxByID(f, id, "ctx_destroy")
	switch {
	case x.boot:
		f.fault("context", "ctx_destroy of context %d, the boot context of cpu %d", x.id, x.cpu.id)
	case x.state == ctxRunning:
		f.fault("context", "ctx_destroy of context %d, which is running on cpu %d", x.id, x.cpu.id)
	}
	m.unwind(x)
	// The record stays, so a later switch to it says what happened.
	x.state, x.fault = ctxDead, "destroyed"
	x.frames = nil
	if m.transition != nil {
		m.parked(x)
	}
}

// unwind ends the goroutine of a suspended non-boot context.
func (m *Machine) unwind(x *execCtx) {
	if x.state != ctxSuspended {
		return
	}
	x.killed = true
	x.wake <- struct{}{}
	<-x.exited
}

// runContext is a context's goroutine: it waits for the first switch to it,
// then runs the entry function on the CPU it was switched in on. The entry
// must not return (a task has nowhere to return to): that is a fault, as is
// any fault inside, and either ends the CPU's request.
func (m *Machine) runContext(x *execCtx) {
	defer close(x.exited)
	<-x.wake
	if x.killed {
		return
	}
	c := x.cpu
	defer func() {
		r := recover()
		var err error
		switch v := r.(type) {
		case killSignal:
			if x.killed {
				x.state = ctxDead
				return // parked and unwound: the killer waits on exited
			}
			err = errKilled // the machine stops while this context runs
		case *Fault:
			err = v
		default:
			err = m.newFault(c, "internal", fmt.Sprint("emulator bug: ", r))
		}
		x.state = ctxDead
		x.fault = "ended by " + err.Error()
		c.finishJob(c.job, err)
	}()
	top := c.reserve()
	top.fn, top.pos = nil, 0
	fn := m.funcAt(top, x.entry)
	top.callC(fn, x.arg)
	panic(m.newFault(c, "context", fmt.Sprintf("context %d: its entry function %s returned", x.id, fn.Name)))
}

// killContexts unwinds every parked context, after a fault stopped the
// machine or when it is closed. Boot contexts are parked only during a run:
// their goroutine is the CPU's request loop, which reports on m.events.
func (m *Machine) killContexts() {
	for _, id := range m.contextIDs() {
		x := m.port.ctxs[id]
		if x.state != ctxSuspended {
			continue
		}
		if x.boot {
			x.killed = true
			x.wake <- struct{}{}
			<-m.events
			x.state = ctxRunning
			continue
		}
		m.unwind(x)
	}
	// Every CPU is back on its own stack, as after a request.
	for _, c := range m.cpus {
		if x := c.ctx; x != nil && !x.boot {
			for _, b := range m.port.ctxs {
				if b.boot && b.cpu == c {
					c.frames, c.lo, c.hi = b.frames, b.lo, b.hi
				}
			}
		}
		c.ctx, c.depth, c.sp, c.irq = nil, 0, c.hi, irqState{}
	}
	for _, x := range m.port.ctxs {
		x.state = ctxDead
	}
	m.port.ctxs, m.port.order = nil, nil
}

// Close ends the goroutines of the machine's parked contexts. A machine whose
// kernel created contexts must be closed when it is no longer used; it can
// still be read, but its contexts are gone.
func (m *Machine) Close() {
	if m.halted == nil {
		m.halt(&Fault{Kind: "closed", Msg: "the machine was closed"})
	}
	m.killContexts()
}

// ContextInfo describes one context, for tools and tests.
type ContextInfo struct {
	ID     uint64
	Boot   bool
	CPU    int // -1 before it first runs
	State  string
	Frames []StackFrame // innermost first; the running ones for a running context
}

// Contexts lists the machine's contexts. Call it between runs or from a host
// task, when the CPUs are stopped.
func (m *Machine) Contexts() []ContextInfo {
	var out []ContextInfo
	for _, id := range m.contextIDs() {
		x := m.port.ctxs[id]
		ci := ContextInfo{ID: x.id, Boot: x.boot, CPU: -1, State: ctxStateNames[x.state]}
		if x.cpu != nil {
			ci.CPU = x.cpu.id
		}
		switch x.state {
		case ctxRunning:
			ci.Frames = x.cpu.backtrace()
		case ctxSuspended:
			ci.Frames = m.framesBacktrace(x.frames, x.depth)
		}
		out = append(out, ci)
	}
	return out
}

// suspended returns the parked contexts, in order: their stacks are part
// of the machine's state as an update sees it.
func (m *Machine) suspended() []*execCtx {
	var out []*execCtx
	for _, x := range m.port.order {
		if x.state == ctxSuspended {
			out = append(out, x)
		}
	}
	return out
}

func (m *Machine) framesBacktrace(frames []*frame, depth int) []StackFrame {
	var out []StackFrame
	for i := depth - 1; i >= 0; i-- {
		fr := frames[i]
		if fr.fn == nil {
			continue
		}
		out = append(out, StackFrame{Func: fr.fn.Name, Pos: m.posString(fr.pos), Version: fr.fn.version})
	}
	return out
}
