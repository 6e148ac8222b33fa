package cparse

import (
	"context"
	"testing"
)

// A defaulted function is a definition, whose body the compiler writes:
// one written out later changes its body, nothing else (managarm's
// "Pipe() = default;" given a member initializer list).
func TestDefaultedFunction(t *testing.T) {
	parse := func(src string) *Summary {
		return Parse(context.Background(), "socket.cpp", []byte(src), Config{Engine: EngineChoiceTolerant})
	}
	defaulted := parse("struct Pipe {\n  Pipe() = default;\n  Pipe(const Pipe &) = delete;\n  int inSeq;\n};\n")
	written := parse("struct Pipe {\n  Pipe()\n  : inSeq{0} { }\n  Pipe(const Pipe &) = delete;\n  int inSeq;\n};\n")
	for _, f := range defaulted.Functions {
		if f.Name == "Pipe::Pipe" && (!f.Definition || !f.Inline || f.BodyHash == "") {
			t.Errorf("defaulted constructor %+v, want an inline definition with a body hash", f)
		}
	}
	var changes []string
	for _, c := range Diff(defaulted, written) {
		changes = append(changes, string(c.Entity)+" "+c.Name+" "+string(c.Change))
	}
	if len(changes) != 1 || changes[0] != "function Pipe::Pipe body" {
		t.Errorf("changes %q, want only Pipe::Pipe's body", changes)
	}
}
