// This file implements switching a kernel's execution contexts to new code
// one at a time: the consistency model of Linux's livepatch, for kernels
// whose tasks are parked inside the functions an update replaces.

package emu

import (
	"errors"
	"fmt"
	"sort"
)

// A code swap normally waits for a safe point: no CPU and no parked
// context executes a replaced function. A real kernel's tasks park inside
// its blocking calls (a FreeRTOS task waiting on a queue sits in
// xQueueReceive), so a change to one of them may never see that point.
// A transition swaps the code table at once and lets every context whose
// stack holds replaced code keep calling the code it started with
// ("lagging"); each context moves to the new code the next time it is
// switched out, or calls replaced code, with none of that code on its
// stack. A context therefore runs the old code or the new, never a mixture
// (an interrupt handler runs with the code of the context it interrupted),
// and the update is complete
// when no context lags.
//
// One activation is exempt: a task's entry function (the outermost frame of
// a context the kernel created), which never returns. Were it counted, a
// change to a task's loop, or to a header its module includes, would keep
// its context lagging forever. That activation keeps running its old body
// and calls the new code; tasks started later run the new body. The
// update's report names every such function (KeptEntries), as the change
// to its loop does not reach the running task.

// codeTransition is a code swap in progress, context by context.
type codeTransition struct {
	// previous maps a function id to the code lagging contexts still
	// run for it.
	previous map[int]*Func
	// inside are the functions a context must not have on its stack to
	// stop lagging: the code it runs the old way.
	inside map[*Func]bool
	// keptEntries are the entry functions whose old body running
	// contexts keep.
	keptEntries map[string]bool
}

// ErrNotInContext says a transition cannot start now: a CPU executes a
// replaced function outside any execution context (a request on a CPU whose
// stack the kernel never switched), which only returning can end.
var ErrNotInContext = errors.New("a CPU executes a replaced function outside an execution context")

// resolveLagging returns the code CPU c runs for the function id, fn in
// the code table.
func (m *Machine) resolveLagging(c *CPU, id int, fn *Func) *Func {
	x := c.ctx
	if x == nil || !x.lagging {
		return fn
	}
	t := m.transition
	p := t.previous[id]
	if p == nil {
		return fn
	}
	// About to enter replaced code: when none is on the stack now, this
	// is the context's point to move (a task that loops over a blocking
	// call never parks outside it).
	if !t.holds(x, c.frames, c.depth) {
		x.lagging = false
		return fn
	}
	return p
}

// startTransition begins moving the contexts to the code now in the code
// table: previous is what lagging contexts keep running, inside the code
// whose presence on a context's stack makes it lag. It fails, changing
// nothing, when a CPU runs such code outside a context.
func (m *Machine) startTransition(previous map[int]*Func, inside map[*Func]bool) error {
	for _, c := range m.cpus {
		if c.ctx == nil && holds(c.frames, c.depth, inside) {
			return ErrNotInContext
		}
	}
	t := &codeTransition{previous: previous, inside: inside, keptEntries: map[string]bool{}}
	lagging := 0
	for _, x := range m.port.order {
		x.lagging = false
		var in bool
		switch x.state {
		case ctxRunning:
			in = t.holds(x, x.cpu.frames, x.cpu.depth)
		case ctxSuspended:
			in = t.holds(x, x.frames, x.depth)
		}
		if in {
			x.lagging = true
			lagging++
		}
	}
	m.transition, m.keptByLast = t, nil
	if lagging == 0 {
		m.transition, m.keptByLast = nil, t.kept()
	}
	return nil
}

// parked is called when a context is switched out or dies: a lagging
// context without the previous code on its stack now runs the new code.
func (m *Machine) parked(x *execCtx) {
	t := m.transition
	if t == nil || !x.lagging {
		return
	}
	if x.state == ctxDead || !t.holds(x, x.frames, x.depth) {
		x.lagging = false
	}
}

// lagging lists the contexts still running the previous code and where
// the first of them is.
func (m *Machine) lagging() (n int, where string) {
	t := m.transition
	if t == nil {
		return 0, ""
	}
	// Counted from the contexts' flags: contexts die, and a fault that
	// stops the machine ends them all.
	n = 0
	for _, x := range m.port.order {
		if x.lagging && x.state == ctxDead {
			x.lagging = false
		}
		if x.lagging {
			n++
		}
	}
	if n == 0 {
		m.keptByLast = t.kept()
		m.transition = nil
		return 0, ""
	}
	for _, x := range m.port.order {
		if !x.lagging {
			continue
		}
		frames, depth := x.frames, x.depth
		if x.state == ctxRunning {
			frames, depth = x.cpu.frames, x.cpu.depth
		}
		var in []string
		for i := depth - 1; i >= 0; i-- {
			if fr := frames[i]; fr.fn != nil && t.inside[fr.fn] {
				in = append(in, fr.fn.Name)
			}
		}
		sort.Strings(in)
		return n, fmt.Sprintf("context %d (%s, cpu %d) is in %v", x.id, ctxStateNames[x.state], x.cpu.id, in)
	}
	return n, ""
}

// holds reports whether context x, whose frames these are, executes code
// that makes it lag: any of the inside functions above its entry
// function's activation (which is exempt, and recorded).
func (t *codeTransition) holds(x *execCtx, frames []*frame, depth int) bool {
	entry := !x.boot // the first activation is the entry function's
	for i := 0; i < depth && i < len(frames); i++ {
		fr := frames[i]
		if fr.fn == nil {
			continue
		}
		if entry {
			entry = false
			if t.inside[fr.fn] {
				t.keptEntries[fr.fn.Name] = true
			}
			continue
		}
		if t.inside[fr.fn] {
			return true
		}
	}
	return false
}

// keptEntries lists the entry functions whose old body a running context
// keeps (see above).
func (m *Machine) keptEntries() []string {
	if m.transition == nil {
		return m.keptByLast
	}
	return m.transition.kept()
}

func (t *codeTransition) kept() []string {
	var out []string
	for f := range t.keptEntries {
		out = append(out, f)
	}
	sort.Strings(out)
	return out
}

// holds reports whether a frame stack executes any of the functions.
func holds(frames []*frame, depth int, funcs map[*Func]bool) bool {
	for i := 0; i < depth && i < len(frames); i++ {
		if fr := frames[i]; fr.fn != nil && funcs[fr.fn] {
			return true
		}
	}
	return false
}
