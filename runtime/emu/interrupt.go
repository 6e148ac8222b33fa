package emu

// The interrupt controller of every CPU (ABI.md, "Contexts and
// interrupts"): a periodic tick and a software interrupt, delivered to
// handlers the kernel registers, masked with nesting.
//
// Time is the CPU's steps: the timer fires every period steps of the CPU
// (each interval varied by up to an eighth by the machine's seeded
// generator, so seeds preempt at different points while a run stays
// reproducible). An interrupt is taken at a preemption point (a call or a
// loop back-edge) when the CPU's interrupts are unmasked and it is not in a
// handler already, and immediately when unmasking or raising finds one
// pending. The handler runs on the interrupted context's stack with
// interrupts masked once; it may switch contexts (the interrupted one
// resumes inside the handler when it is switched back to), and it must
// return with the mask as it found it.

const (
	irqTick = 0 // the periodic timer
	irqSoft = 1 // raised by software: a yield, from a task or from a handler
	nIRQ    = 2
)

var irqNames = [nIRQ]string{"tick", "soft"}

// irqMarkers are the pseudo-functions of interrupt frames in backtraces.
var irqMarkers = [nIRQ]*Func{{Name: "<tick interrupt>"}, {Name: "<soft interrupt>"}}

// irqState is the part of the interrupt state that belongs to a context
// (saved and restored with it, like a flags register): how many times
// interrupts are masked and whether a handler is running.
type irqState struct {
	mask  int32
	inIRQ int32
}

// cpuIRQ is the part that belongs to the CPU: pending interrupts and its
// timer.
type cpuIRQ struct {
	pending uint32
	period  int64 // timer period in steps, 0 when stopped
	next    int64 // clock at which the next tick is due
}

func (m *Machine) irqNumber(f *frame, irq uint64, op string) int {
	if irq >= nIRQ {
		f.fault("interrupt", "%s of interrupt %d: the machine has interrupts 0 (tick) and 1 (soft)", op, int64(irq))
	}
	return int(irq)
}

// setHandler registers the function at addr (0 to remove) for irq.
func (m *Machine) setHandler(f *frame, irq, addr uint64) {
	n := m.irqNumber(f, irq, "irq_handler")
	if addr != 0 {
		if fn := m.funcAt(f, addr); fn.builtin != nil {
			f.fault("interrupt", "irq_handler: %s is a builtin", fn.Name)
		}
	}
	m.port.handlers[n] = addr
}

// timerStart arms the calling CPU's periodic tick.
func (m *Machine) timerStart(f *frame, period uint64) {
	if period < 8 || period > 1<<40 {
		f.fault("interrupt", "timer_start: a period of %d steps is outside [8, 2^40]", period)
	}
	if m.port.handlers[irqTick] == 0 {
		f.fault("interrupt", "timer_start with no handler registered for the tick")
	}
	c := f.cpu
	c.intr.period = int64(period)
	c.intr.next = c.clock + m.tickInterval(c)
	c.clampToTick()
}

// tickInterval draws the steps until the next tick.
func (m *Machine) tickInterval(c *CPU) int64 {
	p := c.intr.period
	j := p / 8
	if j == 0 {
		return p
	}
	return p - j + m.rng.Int64N(2*j+1)
}

// clampToTick shortens the CPU's slice so that it ends when the next tick is
// due: the tick is then taken at that preemption point.
func (c *CPU) clampToTick() {
	if c.intr.period == 0 || c.direct {
		return
	}
	c.account()
	if d := c.intr.next - c.clock; d < c.left {
		d = max(d, 1)
		c.slice -= c.left - d
		c.left = d
	}
}

// interrupts runs at a preemption point of a resumed CPU: the tick becomes
// pending when due, and pending interrupts are taken if the CPU may.
func (c *CPU) interrupts() {
	if c.intr.period != 0 && c.clock >= c.intr.next {
		c.intr.pending |= 1 << irqTick
		c.intr.next = c.clock + c.m.tickInterval(c)
	}
	c.takePending()
	c.clampToTick()
}

// takePending runs the handlers of pending interrupts while the CPU's
// interrupts are unmasked and it is not in a handler.
func (c *CPU) takePending() {
	for c.intr.pending != 0 && c.irq.mask == 0 && c.irq.inIRQ == 0 && !c.direct {
		irq := irqTick
		if c.intr.pending&(1<<irqTick) == 0 {
			irq = irqSoft
		}
		c.intr.pending &^= 1 << irq
		c.deliver(irq)
	}
}

// deliver runs the handler of irq on the current context's stack.
func (c *CPU) deliver(irq int) {
	m := c.m
	mark := c.reserve()
	mark.fn, mark.pos = irqMarkers[irq], 0
	h := m.port.handlers[irq]
	if h == 0 {
		mark.fault("interrupt", "%s interrupt with no handler registered", irqNames[irq])
	}
	fn := m.funcAt(mark, h)
	m.port.stats.Interrupts[irq]++
	c.irq.inIRQ++
	c.irq.mask++
	mark.callC(fn)
	// Back on the interrupted context (possibly much later, after the
	// handler switched away and something switched back).
	if c.irq.mask != 1 {
		mark.fault("interrupt", "the %s handler %s returned with interrupts masked %d times (1 at its entry): unbalanced masking", irqNames[irq], fn.Name, c.irq.mask)
	}
	c.irq.mask--
	c.irq.inIRQ--
	c.depth--
}

// irqDisable masks the CPU's interrupts once more.
func (c *CPU) irqDisable() { c.irq.mask++ }

// irqEnable undoes one irqDisable; at zero, pending interrupts are taken.
func (c *CPU) irqEnable(f *frame) {
	if c.irq.mask <= c.irq.inIRQ {
		if c.irq.inIRQ > 0 {
			f.fault("interrupt", "irq_enable in an interrupt handler without a matching irq_disable")
		}
		f.fault("interrupt", "irq_enable without a matching irq_disable (interrupts are not masked)")
	}
	c.irq.mask--
	c.takePending()
}

// irqSave masks interrupts and returns the depth to give irqRestore.
func (c *CPU) irqSave() uint64 {
	d := c.irq.mask
	c.irq.mask++
	return uint64(d)
}

// irqRestore undoes the irqSave that returned state.
func (c *CPU) irqRestore(f *frame, state uint64) {
	if int64(state) != int64(c.irq.mask)-1 {
		f.fault("interrupt", "irq_restore(%d) with interrupts masked %d times: it must undo the innermost irq_save", int64(state), c.irq.mask)
	}
	c.irq.mask--
	c.takePending()
}

// irqRaise makes irq pending on the calling CPU; from a task with interrupts
// unmasked it is taken before irq_raise returns, from a handler when the
// handler returns.
func (c *CPU) irqRaise(f *frame, irq uint64) {
	n := c.m.irqNumber(f, irq, "irq_raise")
	c.intr.pending |= 1 << n
	c.takePending()
}

// waitForInterrupt sleeps until an interrupt is pending: the CPU's clock
// jumps to the next tick (the steps slept are idle, not executed, and do
// not count against the step budget). With interrupts unmasked the
// interrupt is taken before it returns.
func (c *CPU) waitForInterrupt(f *frame) {
	if c.irq.inIRQ > 0 {
		f.fault("interrupt", "wait_for_interrupt in an interrupt handler")
	}
	if c.intr.pending == 0 {
		if c.intr.period == 0 {
			f.fault("interrupt", "wait_for_interrupt with nothing pending and the timer stopped: the cpu would sleep forever")
		}
		c.account()
		if d := c.intr.next - c.clock; d > 0 {
			c.m.port.stats.IdleSteps += d
			c.clock += d
		}
		c.intr.pending |= 1 << irqTick
		c.intr.next = c.clock + c.m.tickInterval(c)
	}
	if !c.direct {
		c.yield()
	}
	c.takePending()
	c.clampToTick()
}

func portBuiltins() map[string]builtin {
	return map[string]builtin{
		"ctx_create": func(f *frame, a []uint64) uint64 { return f.m.ctxCreate(f, a[0], a[1], a[2], a[3]) },
		"ctx_switch": func(f *frame, a []uint64) uint64 {
			f.m.ctxSwitch(f, a[0])
			return 0
		},
		"ctx_self": func(f *frame, a []uint64) uint64 { return f.cpu.currentContext().id },
		"ctx_destroy": func(f *frame, a []uint64) uint64 {
			f.m.ctxDestroy(f, a[0])
			return 0
		},
		"irq_handler": func(f *frame, a []uint64) uint64 {
			f.m.setHandler(f, a[0], a[1])
			return 0
		},
		"irq_raise": func(f *frame, a []uint64) uint64 {
			f.cpu.irqRaise(f, a[0])
			return 0
		},
		"irq_disable": func(f *frame, a []uint64) uint64 {
			f.cpu.irqDisable()
			return 0
		},
		"irq_enable": func(f *frame, a []uint64) uint64 {
			f.cpu.irqEnable(f)
			return 0
		},
		"irq_save": func(f *frame, a []uint64) uint64 { return f.cpu.irqSave() },
		"irq_restore": func(f *frame, a []uint64) uint64 {
			f.cpu.irqRestore(f, a[0])
			return 0
		},
		"irq_masked":   func(f *frame, a []uint64) uint64 { return boolv(f.cpu.irq.mask > 0) },
		"in_interrupt": func(f *frame, a []uint64) uint64 { return boolv(f.cpu.irq.inIRQ > 0) },
		"timer_start": func(f *frame, a []uint64) uint64 {
			f.m.timerStart(f, a[0])
			return 0
		},
		"timer_stop": func(f *frame, a []uint64) uint64 {
			f.cpu.intr.period = 0
			f.cpu.intr.pending &^= 1 << irqTick
			return 0
		},
		"wait_for_interrupt": func(f *frame, a []uint64) uint64 {
			f.cpu.waitForInterrupt(f)
			return 0
		},
		"cpu_clock": func(f *frame, a []uint64) uint64 {
			f.cpu.account()
			return uint64(f.cpu.clock)
		},
	}
}
