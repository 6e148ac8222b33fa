package emu

import (
	"errors"
	"fmt"
)

// job is one top-level call run on some CPU: a syscall, boot, a self-check.
type job struct {
	fn     *Func
	args   []uint64
	result uint64
	err    error
	out    []byte // console output the call produced
	steps  int64
	cpu    int
	done   bool
}

// jobSource feeds the scheduler. next returns a job ready to start, or nil
// when none is ready now; complete is told when a job has finished; done
// reports that no job will ever be ready again.
type jobSource interface {
	next(m *Machine) *job
	complete(m *Machine, j *job)
	done() bool
}

// schedule runs jobs on the CPUs until the source is exhausted or the
// machine halts. Each CPU runs on its own goroutine, but only the one the
// scheduler resumed executes: a CPU gives control back at preemption points
// (its slice of steps is over), when it blocks on a lock, and when its job
// ends. Every choice comes from the seeded generator, so a run is
// reproducible.
func (m *Machine) schedule(src jobSource) error {
	if m.halted != nil {
		return m.halted
	}
	for _, c := range m.cpus {
		c.resume = make(chan struct{})
		go c.loop(c.resume)
	}
	defer func() {
		for _, c := range m.cpus {
			close(c.resume)
		}
		m.cur = nil
	}()
	runnable := make([]*CPU, 0, len(m.cpus))
	for {
		m.runTasks()
		if m.halted != nil {
			m.killAll()
			m.killContexts()
			return m.halted
		}
		for _, c := range m.cpus {
			if c.job == nil {
				if j := src.next(m); j != nil {
					j.cpu = c.id
					c.job = j
				}
			}
		}
		runnable = runnable[:0]
		busy := false
		for _, c := range m.cpus {
			if c.job == nil {
				continue
			}
			busy = true
			if c.blocked == 0 || m.ld64(c.blocked) == 0 {
				runnable = append(runnable, c)
			}
		}
		if len(runnable) == 0 {
			if busy && !m.hasTasks() {
				m.halt(m.deadlockFault())
				continue
			}
			if busy {
				continue // a task (an update's) will release a held CPU
			}
			// Idle: run what the tasks queued and stop; tasks they post
			// wait for the next run (or RunTasks).
			m.runTasks()
			if !src.done() {
				continue
			}
			return nil
		}
		c := runnable[0]
		if len(runnable) > 1 {
			c = runnable[m.rng.IntN(len(runnable))]
		}
		c.slice = 1 + m.rng.Int64N(int64(m.cfg.Quantum))
		c.left = c.slice
		m.cur = c
		m.stats.Switches++
		c.resume <- struct{}{}
		<-m.events
		m.cur = nil
		if j := c.job; j.done {
			c.job = nil
			m.stats.Requests++
			if f, ok := j.err.(*Fault); ok {
				m.halt(f)
			}
			src.complete(m, j)
		}
	}
}

// loop is a CPU's goroutine: it runs one job per resume until the machine's
// run ends (resume is closed).
func (c *CPU) loop(resume chan struct{}) {
	for range resume {
		j := c.job
		if j == nil || c.m.killing {
			if j != nil {
				j.done, j.err = true, errKilled
			}
			c.m.events <- c
			continue
		}
		c.out.Reset()
		c.reqSteps = 0
		err := c.m.protect(c, func(f *frame) {
			j.result = f.callC(j.fn, j.args...)
		})
		if j.done {
			// A context of the request ended it (context.go); this
			// goroutine was parked in ctx_switch and is unwound.
			c.m.events <- c
			continue
		}
		c.finishJob(j, err)
	}
}

// finishJob ends the CPU's request with err and hands control back to the
// scheduler.
func (c *CPU) finishJob(j *job, err error) {
	c.account()
	c.left = 0
	j.steps = c.reqSteps
	c.m.stats.Steps += c.reqSteps
	j.err = err
	j.out = append([]byte(nil), c.out.Bytes()...)
	j.done = true
	c.blocked = 0
	c.m.events <- c
}

// killAll unwinds every CPU that is in the middle of a job.
func (m *Machine) killAll() {
	m.killing = true
	defer func() { m.killing = false }()
	for _, c := range m.cpus {
		if c.job == nil {
			continue
		}
		c.resume <- struct{}{}
		<-m.events
		c.job = nil
		c.blocked = 0
	}
}

func (m *Machine) halt(f *Fault) {
	if m.halted == nil {
		m.halted = f
		m.stats.Faults++
	}
}

func (m *Machine) deadlockFault() *Fault {
	var c0 *CPU
	msg := "deadlock: every busy CPU waits for a lock:"
	for _, c := range m.cpus {
		if c.job != nil {
			if c0 == nil {
				c0 = c
			}
			msg += fmt.Sprintf(" cpu %d waits for %#x (held by %s);", c.id, c.blocked, holder(m.ld64(c.blocked)))
		}
	}
	f := m.newFault(c0, "deadlock", msg[:len(msg)-1])
	return f
}

// Post queues a host task: it runs on the scheduler between CPU slices,
// while every emulated CPU is stopped at a preemption point, so it may read
// and change memory, the OTT and the code consistently. Tasks posted while
// no run is in progress run at the start of the next one (or by RunTasks).
func (m *Machine) Post(task func()) {
	m.taskMu.Lock()
	m.tasks = append(m.tasks, task)
	m.taskMu.Unlock()
}

// PostRepeat queues a host task that runs at every scheduling point until it
// reports done: the way to wait for a condition (no CPU executes a
// function, a lock is free...) while the CPUs go on running.
func (m *Machine) PostRepeat(task func() (done bool)) {
	var step func()
	step = func() {
		if !task() {
			m.Post(step)
		}
	}
	m.Post(step)
}

// RunTasks runs the queued host tasks now (when no run is in progress).
func (m *Machine) RunTasks() { m.runTasks() }

func (m *Machine) hasTasks() bool {
	m.taskMu.Lock()
	defer m.taskMu.Unlock()
	return len(m.tasks) > 0
}

// runTasks runs the tasks queued so far; tasks they post run at the next
// scheduling point.
func (m *Machine) runTasks() {
	m.taskMu.Lock()
	ts := m.tasks
	m.tasks = nil
	m.taskMu.Unlock()
	for _, t := range ts {
		t()
	}
}

// singleJob runs one job.
type singleJob struct {
	j       *job
	started bool
}

func (s *singleJob) next(*Machine) *job {
	if s.started {
		return nil
	}
	s.started = true
	return s.j
}
func (s *singleJob) complete(*Machine, *job) {}
func (s *singleJob) done() bool              { return s.started }

// Call runs the C function name with integer arguments as one request on the
// machine and returns its raw result. A fault halts the machine and is
// returned as a *Fault.
func (m *Machine) Call(name string, args ...uint64) (uint64, error) {
	r, _, err := m.call(name, args...)
	return r, err
}

func (m *Machine) call(name string, args ...uint64) (uint64, []byte, error) {
	s := m.img.symbols[name]
	if s == nil || s.fn == nil || (s.fn.body == nil && s.fn.method == nil && s.fn.builtin == nil) {
		return 0, nil, fmt.Errorf("the kernel defines no function %s", name)
	}
	j := &job{fn: s.fn, args: args}
	if err := m.schedule(&singleJob{j: j}); err != nil {
		return 0, j.out, err
	}
	if j.err != nil {
		return 0, j.out, j.err
	}
	return j.result, j.out, nil
}

// BootedMachine makes a machine for img and boots it (kernel_boot): what
// every caller that runs a kernel starts with.
func BootedMachine(img *Image, cfg MachineConfig) (*Machine, error) {
	m, err := NewMachine(img, cfg)
	if err != nil {
		return nil, err
	}
	if err := m.Boot(); err != nil {
		return nil, fmt.Errorf("boot: %w", err)
	}
	return m, nil
}

// Boot runs kernel_boot on CPU 0.
func (m *Machine) Boot() error {
	if !m.img.HasFunction("kernel_boot") {
		return errors.New("the kernel defines no kernel_boot")
	}
	_, err := m.Call("kernel_boot")
	return err
}

// Read copies n bytes of emulated memory at addr.
func (m *Machine) Read(addr, n uint64) ([]byte, error) {
	if addr < guardSize || addr > uint64(len(m.mem)) || n > uint64(len(m.mem))-addr {
		return nil, fmt.Errorf("read of %d bytes at %#x is outside memory", n, addr)
	}
	return append([]byte(nil), m.mem[addr:addr+n]...), nil
}

// Write copies b into emulated memory at addr.
func (m *Machine) Write(addr uint64, b []byte) error {
	n := uint64(len(b))
	if addr < guardSize || addr > uint64(len(m.mem)) || n > uint64(len(m.mem))-addr {
		return fmt.Errorf("write of %d bytes at %#x is outside memory", n, addr)
	}
	copy(m.mem[addr:], b)
	return nil
}

// Alloc allocates zeroed emulated heap memory (0 when memory is exhausted).
func (m *Machine) Alloc(n uint64) uint64 { return m.alloc(n) }

// Free frees a heap block allocated by Alloc or by the C code.
func (m *Machine) Free(addr uint64) error { return m.release(addr) }

// Stacks returns every CPU's active C calls, innermost first. Call it from a
// host task (or between runs) so the CPUs are stopped.
func (m *Machine) Stacks() [][]StackFrame {
	out := make([][]StackFrame, len(m.cpus))
	for i, c := range m.cpus {
		out[i] = c.backtrace()
	}
	return out
}

// CPUs is the number of emulated CPUs.
func (m *Machine) CPUs() int { return len(m.cpus) }
