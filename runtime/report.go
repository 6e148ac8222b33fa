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
	Functions      int            // functions swapped
	Objects        map[string]int // instances converted, per type
	Transferred    int            // all types
	RolledBack     int            // instances converted back during a rollback
	Held           int            // calls held by a mediator
	Recursive      int            // calls let through because the CPU was already inside
	LazyOnCall     int            // instances converted on their next call
	Swept          int            // instances converted by the background sweeper
	Tasks          int            // scheduler tasks the update ran
	Pauses         Pauses         // every pause a call saw
	Adapters       []AdapterUse
}

// Pauses summarizes the pauses calls saw: a held call waiting for its
// instance, a call converting its instance (lazy), a CPU stopped by an
// update task.
type Pauses struct {
	Count               int
	Max, P50, P90, P99  time.Duration
	Total               time.Duration
	samples             []time.Duration
	HeldMax, TaskMax    time.Duration
	OnCallMax           time.Duration
	heldN, taskN, callN int
}

func (p *Pauses) add(d time.Duration, kind byte) {
	p.samples = append(p.samples, d)
	switch kind {
	case 'h':
		p.HeldMax = max(p.HeldMax, d)
		p.heldN++
	case 't':
		p.TaskMax = max(p.TaskMax, d)
		p.taskN++
	case 'c':
		p.OnCallMax = max(p.OnCallMax, d)
		p.callN++
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
	q := func(f float64) time.Duration { return s[min(len(s)-1, int(f*float64(len(s))))] }
	p.P50, p.P90, p.P99, p.Max = q(0.50), q(0.90), q(0.99), s[len(s)-1]
}

// Print writes the report as text.
func (r *Report) Print(w io.Writer) {
	fmt.Fprintf(w, "update %s (%s): %s\n", r.Update, r.Mode, r.Outcome)
	if r.Err != "" {
		fmt.Fprintf(w, "  reason: %s\n", r.Err)
	}
	fmt.Fprintf(w, "  prepare %v, apply %v, %d scheduler tasks\n", round(r.Prepare), round(r.Apply), r.Tasks)
	fmt.Fprintf(w, "  functions swapped: %d\n", r.Functions)
	var types []string
	for t := range r.Objects {
		types = append(types, t)
	}
	sort.Strings(types)
	var objs []string
	for _, t := range types {
		objs = append(objs, fmt.Sprintf("%s %d", t, r.Objects[t]))
	}
	fmt.Fprintf(w, "  objects converted: %d (%s); on call %d, swept %d, rolled back %d\n",
		r.Transferred, strings.Join(objs, ", "), r.LazyOnCall, r.Swept, r.RolledBack)
	fmt.Fprintf(w, "  calls held: %d, let through (recursive): %d\n", r.Held, r.Recursive)
	p := r.Pauses
	fmt.Fprintf(w, "  pauses: %d, max %v, p50 %v, p90 %v, p99 %v (held max %v, on-call max %v, task max %v)\n",
		p.Count, round(p.Max), round(p.P50), round(p.P90), round(p.P99), round(p.HeldMax), round(p.OnCallMax), round(p.TaskMax))
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
