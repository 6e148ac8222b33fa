package emu

import (
	"fmt"
	"strings"
)

// Fault is why the emulated machine stopped executing C code: a bad memory
// access, a division by zero, a stack overflow, an exhausted step budget, a
// call to panic() or abort(), a deadlock, or a bug the machine caught in
// itself. It never takes the host down; it is returned as an error.
type Fault struct {
	Kind      string       // "memory", "div0", "overflow", "stack", "budget", "panic", "abort", "deadlock", "call", "free", "object", "internal"
	Msg       string       // what happened, e.g. "load of 4 bytes at 0x0 (null pointer)"
	Pos       string       // file:line:col of the C statement that faulted, if known
	CPU       int          // the emulated CPU that faulted
	Backtrace []StackFrame // innermost first
}

// StackFrame is one active C call on an emulated CPU.
type StackFrame struct {
	Func string // function name
	Pos  string // file:line:col of the statement being executed
	// Version is the object-type version of a method implementation
	// (1 for the loaded image's), 0 for other functions.
	Version int
}

func (f *Fault) Error() string {
	var b strings.Builder
	if f.Pos != "" {
		b.WriteString(f.Pos)
		b.WriteString(": ")
	}
	fmt.Fprintf(&b, "%s fault: %s", f.Kind, f.Msg)
	return b.String()
}

// Report formats the fault with its backtrace, one frame per line.
func (f *Fault) Report() string {
	var b strings.Builder
	b.WriteString(f.Error())
	fmt.Fprintf(&b, "\n  on cpu %d", f.CPU)
	for _, fr := range f.Backtrace {
		fmt.Fprintf(&b, "\n  at %s (%s)", fr.Func, fr.Pos)
	}
	return b.String()
}

// exitSignal unwinds a hosted program's Go stack when it calls exit().
type exitSignal struct{ status int }

// killSignal unwinds an emulated CPU's Go stack when the machine stops.
type killSignal struct{}
