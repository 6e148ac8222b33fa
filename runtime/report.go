package runtime

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"time"
)

// Report is what one update did.
type Report struct {
	Update string
	Mode   Mode
	// Outcome is "applied", "rolled back" or "failed".
	Outcome string
	Err     string // why it was rolled back or failed
	// Prepare is the time spent loading the new code (before the update
	// started; nothing paused). Apply is from start to commit.
	Prepare, Apply time.Duration
	Functions      int // functions swapped
	// Contexts counts the execution contexts that were inside replaced
	// code at the swap and moved to the new code one at a time
	// (ContextCode).
	Contexts int
	// KeptEntries are replaced functions that running contexts execute as
	// their entry (a task's loop, which never returns): those activations
	// keep the old body; the change reaches tasks started later.
	KeptEntries  []string
	Objects      map[string]int // instances converted, per type
	Transferred  int            // all types
	RolledBack   int            // instances converted back during a rollback
	UndoneBefore bool           // a rollback ran UndoBefore
	Held         int            // calls held by a mediator
	Recursive    int            // calls let through because the CPU was already inside
	LazyOnCall   int            // instances converted on their next call
	Swept        int            // instances converted by the background sweeper
	Tasks        int            // scheduler tasks the update ran
	// LongestTask is the longest of them: the longest the machine stood
	// still for the update, whether or not a CPU was running a request.
	LongestTask time.Duration
	Pauses      Pauses // every pause a call saw
	Adapters    []AdapterUse
	// Atomic lists the changed types whose state code outside their
	// methods uses: the update swapped the code and converted all their
	// instances in one step, whatever the mode.
	Atomic []string
	// NewTypes lists the object types the update's code added to the
	// kernel (registered at version 1).
	NewTypes []string
	// Globals lists the globals that got new storage (their size
	// changed) and what the default transfer kept.
	Globals []string
	// Heap says what the conversion of each type without an object table
	// did (heap.go): instances moved, pointers fixed.
	Heap []HeapReport
}

// Pauses summarizes the pauses calls saw: a held call waiting for its
// instance, a call converting its instance (lazy), a CPU stopped by an
// update task.
//
// Every pause is measured on the wall clock; the CPU figures measure the
// update's own work in each (CPU time of the thread doing it), which the
// host's preemption by other processes does not inflate. A held call's
// pause is wall time in both.
type Pauses struct {
	Count              int
	Max, P50, P90, P99 time.Duration
	Total              time.Duration
	CPUMax, CPUP99     time.Duration
	HeldMax, TaskMax   time.Duration
	OnCallMax          time.Duration
	samples            []time.Duration
	cpu                []time.Duration
}

func (p *Pauses) add(d, cpu time.Duration, kind byte) {
	p.samples = append(p.samples, d)
	p.cpu = append(p.cpu, cpu)
	switch kind {
	case 'h':
		p.HeldMax = max(p.HeldMax, d)
	case 't':
		p.TaskMax = max(p.TaskMax, d)
	case 'c':
		p.OnCallMax = max(p.OnCallMax, d)
	}
}

func (p *Pauses) finish() {
	s := p.samples
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	p.Count = len(s)
	p.Total = 0
	for _, d := range s {
		p.Total += d
	}
	if len(s) == 0 {
		return
	}
	q := func(s []time.Duration, f float64) time.Duration { return s[min(len(s)-1, int(f*float64(len(s))))] }
	p.P50, p.P90, p.P99, p.Max = q(s, 0.50), q(s, 0.90), q(s, 0.99), s[len(s)-1]
	c := p.cpu
	sort.Slice(c, func(i, j int) bool { return c[i] < c[j] })
	p.CPUP99, p.CPUMax = q(c, 0.99), c[len(c)-1]
}

// CountOverCPU is the number of pauses whose update work (CPU time) took
// longer than d.
func (p *Pauses) CountOverCPU(d time.Duration) int {
	n := 0
	for _, s := range p.cpu {
		if s > d {
			n++
		}
	}
	return n
}

// CountOver is the number of pauses longer than d.
func (p *Pauses) CountOver(d time.Duration) int {
	n := 0
	for _, s := range p.samples {
		if s > d {
			n++
		}
	}
	return n
}

// Print writes the report as text.
func (r *Report) Print(w io.Writer) {
	fmt.Fprintf(w, "update %s (%s): %s\n", r.Update, r.Mode, r.Outcome)
	if r.Err != "" {
		fmt.Fprintf(w, "  reason: %s\n", r.Err)
	}
	fmt.Fprintf(w, "  prepare %v, apply %v, %d scheduler tasks (longest %v)\n", round(r.Prepare), round(r.Apply), r.Tasks, round(r.LongestTask))
	fmt.Fprintf(w, "  functions swapped: %d\n", r.Functions)
	if r.Contexts > 0 {
		fmt.Fprintf(w, "  contexts moved to the new code one at a time: %d\n", r.Contexts)
	}
	for _, f := range r.KeptEntries {
		fmt.Fprintf(w, "  running tasks keep the old body of their entry function %s (it never returns; new tasks run the new one)\n", f)
	}
	for _, t := range r.Atomic {
		fmt.Fprintf(w, "  converted in one step with the code swap: %s\n", t)
	}
	for _, t := range r.NewTypes {
		fmt.Fprintf(w, "  new object type: %s\n", t)
	}
	for _, h := range r.Heap {
		fmt.Fprintf(w, "  typed heap: %s\n", h)
	}
	for _, g := range r.Globals {
		fmt.Fprintf(w, "  global %s\n", g)
	}
	var types []string
	for t := range r.Objects {
		types = append(types, t)
	}
	sort.Strings(types)
	var objs []string
	for _, t := range types {
		objs = append(objs, fmt.Sprintf("%s %d", t, r.Objects[t]))
	}
	what := ""
	if len(objs) > 0 {
		what = " (" + strings.Join(objs, ", ") + ")"
	}
	fmt.Fprintf(w, "  objects converted: %d%s; on call %d, swept %d, rolled back %d\n",
		r.Transferred, what, r.LazyOnCall, r.Swept, r.RolledBack)
	if r.UndoneBefore {
		fmt.Fprintf(w, "  before hook undone\n")
	}
	fmt.Fprintf(w, "  calls held: %d, let through (recursive): %d\n", r.Held, r.Recursive)
	p := r.Pauses
	fmt.Fprintf(w, "  pauses: %d, max %v, p50 %v, p90 %v, p99 %v (held max %v, on-call max %v, task max %v)\n",
		p.Count, round(p.Max), round(p.P50), round(p.P90), round(p.P99), round(p.HeldMax), round(p.OnCallMax), round(p.TaskMax))
	fmt.Fprintf(w, "  update work per pause (CPU time): max %v, p99 %v\n", round(p.CPUMax), round(p.CPUP99))
	if len(r.Adapters) == 0 {
		fmt.Fprintf(w, "  adapters: none\n")
	}
	for _, a := range r.Adapters {
		dir := "forward"
		if a.Reverse {
			dir = "reverse"
		}
		state := "in use"
		if a.Retired {
			state = "retired"
		}
		fmt.Fprintf(w, "  adapter %s (%s): %d calls, %s", a.Func, dir, a.Calls, state)
		if len(a.Bindings) > 0 {
			fmt.Fprintf(w, ", bound by %s", strings.Join(a.Bindings, ", "))
		}
		fmt.Fprintln(w)
	}
}

func round(d time.Duration) time.Duration {
	switch {
	case d > time.Second:
		return d.Round(time.Millisecond)
	case d > time.Millisecond:
		return d.Round(time.Microsecond)
	}
	return d
}
