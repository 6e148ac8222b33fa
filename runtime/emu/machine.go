package emu

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"sync"

	"modernc.org/token"

	upd "github.com/upsynth/upsynth/runtime"
)

// MachineConfig configures a machine. Zero fields take the defaults.
type MachineConfig struct {
	CPUs int    // emulated CPUs (default 1)
	Seed uint64 // scheduler seed: the same seed gives the same interleaving
	// StepBudget bounds the steps (calls and loop back-edges) of one request
	// (one top-level call); 0 means 100 million.
	StepBudget int64
	// Quantum is the largest number of steps a CPU runs before the
	// scheduler may switch to another (each slice is drawn from [1,Quantum]
	// by the seeded scheduler); 0 means 50.
	Quantum      int
	MemoryLimit  uint64 // bytes of emulated memory at most (default 256 MiB)
	StackSize    uint64 // bytes of stack per CPU (default 1 MiB)
	MaxCallDepth int    // nested C calls per CPU (default 4000)
	Console      io.Writer
	// Context, when set, stops the machine (with a fault) once it is done.
	Context context.Context
}

func (c *MachineConfig) defaults() {
	if c.CPUs <= 0 {
		c.CPUs = 1
	}
	if c.StepBudget <= 0 {
		c.StepBudget = 100_000_000
	}
	if c.Quantum <= 0 {
		c.Quantum = 50
	}
	if c.MemoryLimit == 0 {
		c.MemoryLimit = 256 << 20
	}
	if c.StackSize == 0 {
		c.StackSize = 1 << 20
	}
	if c.MaxCallDepth <= 0 {
		c.MaxCallDepth = 4000
	}
	if c.Console == nil {
		c.Console = io.Discard
	}
}

// Machine is an emulated computer running one image: memory, CPUs, the
// object translation table and a deterministic scheduler.
//
// Only one emulated CPU (or one host task) executes at any time; CPUs run on
// their own goroutines and hand control to each other through the
// scheduler, so the host stays race-free whatever the C code does.
type Machine struct {
	img *Image
	// layout holds the struct member offsets and sizes the code reads at
	// run time, indexed as cells says (layoutcells.go).
	layout [layoutCap]uint64
	cells  *layoutCells
	cfg    MachineConfig
	mem    []byte
	// shadow says how each byte of mem may be accessed (memory.go).
	shadow []byte
	heap   heap
	cpus   []*CPU
	cur    *CPU // the CPU executing C code now

	ott       *upd.OTT
	types     map[string]*objType // object types and their method tables by version
	typesByID []*objType          // the same, by OTT type id
	typeStr   map[string]uint64   // interned type-name strings for obj_type

	rng    *rand.Rand
	events chan *CPU
	tasks  []func()
	taskMu sync.Mutex

	heapStart uint64
	halted    *Fault // set when a fault stopped the machine
	killing   bool
	console   io.Writer
	hosted    *hostedState // set for RunProgram

	stats Stats
	port  portState // execution contexts and interrupt handlers (context.go)
	typed typedMem  // heap blocks typed by their allocation sites (typedheap.go)

	// code maps function ids to the code that runs for them: the image's
	// functions, then code loaded into this machine; ReplaceFunction
	// changes an entry.
	code []*Func
	// positions are the image's statement positions, then those of code
	// loaded into this machine.
	positions []token.Position
	loads     int // LoadCode calls so far
	// transition is a code swap moving context by context (transition.go),
	// nil when none is in progress.
	transition *codeTransition
	// keptByLast are the entry functions the last transition left
	// running their old body.
	keptByLast []string
	staleHook  func(ref upd.Ref) error
}

// Stats are counters of a machine's life.
type Stats struct {
	Steps    int64 // calls and loop back-edges executed
	Calls    int64 // C function calls (builtins included)
	Switches int64 // scheduler switches between CPUs
	Requests int64 // top-level calls run (syscalls, boot, checks)
	Objects  int   // live objects
	Faults   int
}

// CPU is one emulated processor.
type CPU struct {
	id     int
	m      *Machine
	frames []*frame
	depth  int
	sp     uint64
	lo, hi uint64 // stack bounds

	left     int64 // steps left in this slice
	slice    int64 // length of this slice
	reqSteps int64 // steps of the current request
	direct   bool  // run on the caller's goroutine without a scheduler
	// directSteps are the steps of a direct run already added to the stats.
	directSteps int64

	resume  chan struct{}
	job     *job
	blocked uint64 // address of the lock this CPU waits for, 0 if none
	out     capturedOutput

	// Contexts and interrupts (context.go, interrupt.go).
	ctx   *execCtx // the context running, nil for the CPU's own stack
	irq   irqState // the running context's interrupt mask
	intr  cpuIRQ   // pending interrupts and the timer
	clock int64    // steps executed (and slept) by this CPU
}

// frame is one activation of a C function (or the pseudo-frame of a
// request).
type frame struct {
	m     *Machine
	cpu   *CPU
	fn    *Func
	slots []uint64
	argv  []uint64
	base  uint64
	vargs uint64
	sret  uint64
	ret   uint64
	gotoL int32
	pos   int32
	// varSizes are the sizes of aggregates among the variadic arguments
	// (nil when there are none).
	varSizes []uint64
	// nargs is the number of arguments of the call the frame was last
	// entered for (the typed heap reads a pending call's arguments).
	nargs int
	// tmpI and tmpF hand a value to a conversion closure (GNU a ?: b).
	tmpI uint64
	tmpF float64
}

// NewMachine builds a machine for an image: memory with the data segment
// initialized, the stacks of its CPUs, and its object table.
func NewMachine(img *Image, cfg MachineConfig) (m *Machine, err error) {
	cfg.defaults()
	m = &Machine{img: img, cfg: cfg, ott: upd.NewOTT(), types: map[string]*objType{}, typeStr: map[string]uint64{}}
	m.rng = rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x9e3779b97f4a7c15))
	m.console = cfg.Console
	m.code = append([]*Func(nil), img.funcs...)
	if img.cells != nil {
		m.cells = img.cells.clone()
		copy(m.layout[:], img.cells.vals)
	}
	m.positions = img.positions
	dataEnd := alignUp(dataStart+img.dataSize, 4096)
	stacks := dataEnd + uint64(cfg.CPUs)*cfg.StackSize
	m.heapStart = alignUp(stacks+4096, 4096)
	if m.heapStart > cfg.MemoryLimit {
		return nil, fmt.Errorf("memory limit %d is too small for the image and %d stacks", cfg.MemoryLimit, cfg.CPUs)
	}
	m.mem = make([]byte, m.heapStart+64<<10)
	m.shadow = make([]byte, len(m.mem))
	// Between the stacks and the heap, and the heap not yet allocated:
	// nothing may touch it.
	fill(m.shadow[stacks:], shUnallocated)
	m.heap = heap{top: m.heapStart, live: map[uint64]uint64{}, free: map[uint64][]uint64{}, freed: map[uint64]bool{}}
	m.events = make(chan *CPU)
	for i := 0; i < cfg.CPUs; i++ {
		lo := dataEnd + uint64(i)*cfg.StackSize
		c := &CPU{id: i, m: m, lo: lo + 64, hi: lo + cfg.StackSize, resume: make(chan struct{})}
		c.sp = c.hi
		m.cpus = append(m.cpus, c)
	}
	for _, name := range img.typeOrder {
		t := img.objTypes[name].clone()
		m.types[name] = t
		m.typesByID = append(m.typesByID, t)
		m.ott.Register(name)
	}
	// Initialize the data segment on CPU 0.
	c := m.cpus[0]
	c.direct = true
	defer func() { c.direct = false }()
	err = m.protect(c, func(f *frame) {
		for _, in := range img.inits {
			in.run(f)
		}
	})
	if err != nil {
		return nil, fmt.Errorf("initializing globals: %w", err)
	}
	// String literals are read-only from now on.
	for _, r := range img.readOnly {
		fill(m.shadow[r[0]:r[0]+r[1]], shReadOnly)
	}
	return m, nil
}

// Image returns the image the machine runs.
func (m *Machine) Image() *Image { return m.img }

// Stats returns the machine's counters.
func (m *Machine) Stats() Stats {
	s := m.stats
	s.Objects = m.ott.Live()
	return s
}

// OTT returns the machine's object translation table.
func (m *Machine) OTT() *upd.OTT { return m.ott }

// Halted returns the fault that stopped the machine, if any.
func (m *Machine) Halted() *Fault { return m.halted }

// newFault builds a fault at the current position of a CPU.
func (m *Machine) newFault(c *CPU, kind, msg string) *Fault {
	f := &Fault{Kind: kind, Msg: msg}
	if c == nil {
		c = m.cur
	}
	if c != nil {
		f.CPU = c.id
		f.Backtrace = c.backtrace()
		if len(f.Backtrace) > 0 {
			f.Pos = f.Backtrace[0].Pos
		}
	}
	return f
}

// backtrace lists the CPU's active C calls, innermost first.
func (c *CPU) backtrace() []StackFrame {
	var out []StackFrame
	for i := c.depth - 1; i >= 0; i-- {
		fr := c.frames[i]
		if fr.fn == nil {
			continue
		}
		out = append(out, StackFrame{Func: fr.fn.Name, Pos: c.m.posString(fr.pos), Version: fr.fn.version})
	}
	return out
}

func (m *Machine) posString(p int32) string {
	if p <= 0 || int(p) >= len(m.positions) {
		return ""
	}
	pos := m.positions[p]
	return fmt.Sprintf("%s:%d:%d", pos.Filename, pos.Line, pos.Column)
}

// reserve takes the next frame of the CPU's frame stack for a call.
func (c *CPU) reserve() *frame {
	if c.depth == len(c.frames) {
		c.frames = append(c.frames, &frame{m: c.m, cpu: c})
	}
	f := c.frames[c.depth]
	f.fn = nil
	c.depth++
	return f
}

// minBuiltinArgs is the most fixed arguments any builtin reads.
const minBuiltinArgs = 8

// invoke enters fn with the nargs arguments already in nf.argv.
func (c *CPU) invoke(caller, nf *frame, fn *Func, nargs int) uint64 {
	return c.enter(caller, nf, fn, nargs, true)
}

// enter is invoke; preemptible says whether a call of a C function is a
// preemption point. It is one before the callee is resolved (code table,
// method dispatch), never between resolving and entering it: an update
// running while the CPU is stopped may swap the code, convert the instance
// or roll both back, and a callee resolved before would then run against
// the wrong state (old code on a converted instance, new code after a
// rollback), unseen by the update's safe-point checks until it is entered.
func (c *CPU) enter(caller, nf *frame, fn *Func, nargs int, preemptible bool) uint64 {
	c.m.stats.Calls++
	nf.nargs = nargs
	if preemptible && fn.builtin == nil {
		c.tick()
	}
	// The machine's code table: a function replaced on this machine runs
	// its new code from the next call on.
	id := fn.id
	fn = c.m.code[id]
	if c.m.transition != nil {
		fn = c.m.resolveLagging(c, id, fn)
	}
	if fn.method != nil {
		fn = c.m.dispatch(caller, fn, nf.argv[:nargs])
	}
	if fn.builtin != nil {
		args := nf.argv[:nargs]
		if nargs < minBuiltinArgs && !fn.variadic {
			// A call through a declaration without a prototype may pass
			// fewer arguments than the builtin reads: they read as 0.
			if cap(nf.argv) < minBuiltinArgs {
				nf.argv = make([]uint64, minBuiltinArgs)
				copy(nf.argv, args)
			}
			args = nf.argv[:minBuiltinArgs]
			clear(args[nargs:])
		}
		r := fn.builtin(caller, args)
		c.depth--
		return r
	}
	if fn.body == nil {
		caller.fault("call", "call of %s, which has no definition", fn.Name)
	}
	if c.depth > c.m.cfg.MaxCallDepth {
		caller.fault("stack", "stack overflow: more than %d nested calls", c.m.cfg.MaxCallDepth)
	}
	sp := c.sp
	base := sp - fn.frameSize
	nfixed := len(fn.params)
	varBytes := uint64(0)
	if nargs > nfixed {
		for i := nfixed; i < nargs; i++ {
			varBytes += nf.varSlot(i - nfixed)
		}
		base -= varBytes
	}
	base &^= 15
	if fn.frameAlign > 16 {
		base &^= fn.frameAlign - 1
	}
	if base < c.lo || base > sp {
		caller.fault("stack", "stack overflow: %s needs %d bytes of stack", fn.Name, fn.frameSize)
	}
	c.sp = base
	if fn.redzones != nil {
		c.m.poisonFrame(base, fn.redzones)
	}
	nf.fn = fn
	nf.base = base
	nf.gotoL = 0
	nf.pos = 0
	nf.ret = 0
	if len(nf.slots) < fn.nslots {
		nf.slots = make([]uint64, fn.nslots+8)
	}
	m := c.m
	for i := range fn.params {
		p := &fn.params[i]
		v := nf.argv[i]
		if p.slot >= 0 {
			nf.slots[p.slot] = v
			continue
		}
		a := base + p.off
		switch p.cl {
		case clAgg:
			m.move(a, v, p.size)
		case clFloat:
			m.st32(a, f64to32bits(v))
		case clDouble:
			m.st64(a, v)
		default:
			storeUnit(m, a, int64(p.sc.size), v)
		}
	}
	if nargs > nfixed {
		va := base + fn.frameSize
		nf.vargs = va
		for i := nfixed; i < nargs; i++ {
			if s := nf.varSlot(i - nfixed); s > 8 || nf.varSizes != nil && nf.varSizes[i-nfixed] > 0 {
				m.move(va, nf.argv[i], nf.varSizes[i-nfixed])
				va += s
				continue
			}
			m.st64(va, nf.argv[i])
			va += 8
		}
	}
	fn.body(nf)
	if fn.redzones != nil {
		clear(m.shadow[base : base+fn.frameSize])
	}
	c.sp = sp
	c.depth--
	return nf.ret
}

// varSlot is the bytes variadic argument i takes in the argument area.
func (f *frame) varSlot(i int) uint64 {
	if f.varSizes != nil && i < len(f.varSizes) && f.varSizes[i] > 0 {
		return alignUp(f.varSizes[i], 8)
	}
	return 8
}

// tick counts a step (a call or a loop back-edge): the point where the
// scheduler may preempt the CPU and the step budget is enforced.
func (c *CPU) tick() {
	c.left--
	if c.left <= 0 {
		c.preempt()
	}
}

func (c *CPU) preempt() {
	m := c.m
	c.account()
	c.checkLimits()
	if c.direct {
		c.slice, c.left = 1<<16, 1<<16
		m.stats.Steps += c.reqSteps - c.directSteps
		c.directSteps = c.reqSteps
		return
	}
	c.yield()
	if c.intr.period != 0 || c.intr.pending != 0 {
		c.interrupts()
	}
}

// checkLimits faults when the request's step budget is spent or the
// machine's context is done.
func (c *CPU) checkLimits() {
	m := c.m
	if c.reqSteps >= m.cfg.StepBudget {
		panic(m.newFault(c, "budget", fmt.Sprintf("step budget of %d exhausted (runaway loop?)", m.cfg.StepBudget)))
	}
	if ctx := m.cfg.Context; ctx != nil && ctx.Err() != nil {
		panic(m.newFault(c, "budget", "stopped: "+ctx.Err().Error()))
	}
}

// bytesPerStep is how many bytes a builtin may touch for one step: a
// memset of 512 MiB costs what a C loop storing a cache line per
// iteration would, so it counts against the step budget and reaches the
// cancellation check like that loop.
const bytesPerStep = 64

// charge counts the steps of a builtin touching n bytes against the
// request's budget and checks the budget and the context. A CPU under the
// scheduler keeps its slice: the seeded interleaving of a run does not
// depend on what the builtins cost.
func (f *frame) charge(n uint64) {
	c := f.cpu
	if c == nil || n < bytesPerStep {
		return
	}
	steps := int64(min(n/bytesPerStep, 1<<40))
	if !c.direct {
		c.reqSteps += steps
		c.checkLimits()
		return
	}
	c.left -= steps
	if c.left <= 0 {
		c.preempt()
	}
}

// account adds the steps of the current slice to the request's count.
func (c *CPU) account() {
	c.clock += c.slice - c.left
	c.reqSteps += c.slice - c.left
	c.slice = c.left
}

// yield hands control back to the scheduler and waits to be resumed.
func (c *CPU) yield() {
	m := c.m
	c.account()
	m.events <- c
	<-c.resume
	if m.killing {
		panic(killSignal{})
	}
}

// funcAt returns the function at a function address.
func (m *Machine) funcAt(f *frame, a uint64) *Func {
	if a >= funcBase && (a-funcBase)%funcStride == 0 {
		if id := (a - funcBase) / funcStride; id < uint64(len(m.code)) {
			return m.code[id]
		}
	}
	if a == 0 {
		f.fault("call", "call through a null function pointer")
	}
	f.fault("call", "call through %#x, which is not a function", a)
	return nil
}

// protect runs fn on CPU c in a pseudo-frame, turning a fault or a Go panic
// into an error: nothing the C code does can crash the host.
func (m *Machine) protect(c *CPU, fn func(f *frame)) (err error) {
	depth := c.depth
	sp := c.sp
	prev := m.cur
	m.cur = c
	top := c.reserve()
	top.fn = nil
	top.pos = 0
	defer func() {
		m.cur = prev
		if r := recover(); r != nil {
			if c.lo <= sp && sp <= c.hi {
				m.unpoisonStack(c.lo, sp) // frames unwound without returning
			}
			switch x := r.(type) {
			case *Fault:
				err = x
			case exitSignal:
				err = x
			case killSignal:
				err = errKilled
			default:
				f := m.newFault(c, "internal", fmt.Sprint("emulator bug: ", r))
				err = f
			}
		}
		c.depth = depth
		c.sp = sp
	}()
	if c.left <= 0 {
		c.slice, c.left = 1<<16, 1<<16
	}
	fn(top)
	return nil
}

var errKilled = errors.New("cpu stopped")

func (e exitSignal) Error() string { return fmt.Sprintf("exit(%d)", e.status) }

func f64to32bits(v uint64) uint32 {
	return math.Float32bits(float32(math.Float64frombits(v)))
}
