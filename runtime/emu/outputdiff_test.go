package emu

import (
	"bytes"
	"fmt"
	"strings"
)

// outputDiff describes where two program outputs part: the first line that
// differs, with a few lines of context from each side. The tests that compare
// the emulator with gcc use it for their failure messages; the runtime module
// takes no test-only dependencies, since emitted update packages copy its
// requirements (see synth.RuntimeModule).
func outputDiff(wantName string, want []byte, gotName string, got []byte) string {
	const context = 3
	wantLines := strings.Split(string(want), "\n")
	gotLines := strings.Split(string(got), "\n")
	first := 0
	for first < len(wantLines) && first < len(gotLines) && wantLines[first] == gotLines[first] {
		first++
	}
	if bytes.Equal(want, got) {
		return "(no difference)"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "first difference at line %d (%s has %d lines, %s has %d)\n", first+1, wantName, len(wantLines), gotName, len(gotLines))
	side := func(name string, lines []string) {
		from := max(first-context, 0)
		to := min(first+context+1, len(lines))
		fmt.Fprintf(&b, "--- %s, lines %d-%d:\n", name, from+1, to)
		for i := from; i < to; i++ {
			mark := " "
			if i == first {
				mark = ">"
			}
			fmt.Fprintf(&b, "%s %s\n", mark, lines[i])
		}
	}
	side(wantName, wantLines)
	side(gotName, gotLines)
	return b.String()
}
