// Package class is the vocabulary of update classes: the weakest mechanism
// that can apply a change, in order of strength (docs/classification.md).
// The classifier (analyze/classify), the analysis database, the reports,
// the update generator and the corpus labels all spell the classes and
// their order from here.
package class

import (
	"fmt"
	"strings"
)

// Class is an update class.
type Class string

// The classes, weakest first.
const (
	None        Class = "none"        // no compiled entity changed: nothing to do
	Code        Class = "code"        // function bodies: swap code
	State       Class = "state"       // also module-private data: swap + state transfer
	Interface   Class = "interface"   // an interface changed: adapters (+ transfer)
	Unsupported Class = "unsupported" // a reboot
)

// All are the classes, weakest first.
var All = []Class{None, Code, State, Interface, Unsupported}

// Names are the classes' names, weakest first.
func Names() []string {
	out := make([]string, len(All))
	for i, c := range All {
		out[i] = string(c)
	}
	return out
}

// Rank is the class's place in All (0 for None), -1 for a name that is not
// a class.
func (c Class) Rank() int {
	for i, d := range All {
		if c == d {
			return i
		}
	}
	return -1
}

// Stronger reports whether c needs a stronger mechanism than d.
func (c Class) Stronger(d Class) bool { return c.Rank() > d.Rank() }

// Valid reports whether c is a class.
func (c Class) Valid() bool { return c.Rank() >= 0 }

// Parse reads a class name.
func Parse(s string) (Class, error) {
	if c := Class(s); c.Valid() {
		return c, nil
	}
	return "", fmt.Errorf("unknown class %q (want %s)", s, strings.Join(Names(), ", "))
}

// Updatable reports whether a running kernel can take the change without
// a reboot: code, state or interface (none needs nothing).
func (c Class) Updatable() bool { return c == Code || c == State || c == Interface }
