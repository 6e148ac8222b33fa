package cparse

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/upsynth/upsynth/runtime/emu/abi"
)

// bigC is about size bytes of simple C functions.
func bigC(size int) []byte {
	var b strings.Builder
	for i := 0; b.Len() < size; i++ {
		b.WriteString("int f")
		b.WriteString(strings.Repeat("x", i%7))
		b.WriteString("(int a, int b) { return a * 3 + b; }\n")
	}
	return []byte(b.String())
}

// manyIncludes includes h0.h ... h{n-1}.h.
func manyIncludes(n int) []byte {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "#include \"h%d.h\"\n", i)
	}
	return []byte(b.String())
}

// manyHeaders are n headers of size bytes of comments each.
func manyHeaders(n, size int) fstest.MapFS {
	fsys := fstest.MapFS{}
	data := []byte(strings.Repeat("/* padding */\n", size/14+1))
	for i := range n {
		fsys[fmt.Sprintf("h%d.h", i)] = &fstest.MapFile{Data: data}
	}
	return fsys
}

// TestPreciseLimits: inputs that kept the precise engine busy for its
// whole timeout at 1.3–1.5 GB (issue 21) are refused by a limit, and the
// summary says which limit, with the figure the file reached.
func TestPreciseLimits(t *testing.T) {
	self := []byte("int x;\n#include __FILE__\n")
	for _, tc := range []struct {
		name, file string
		src        []byte
		fsys       fstest.MapFS
		limit      string
	}{
		{"size", "big.c", bigC(MaxPreciseSize + 1), fstest.MapFS{}, "file-size"},
		{"include __FILE__", "self.c", self, fstest.MapFS{"self.c": {Data: self}}, "include-depth"},
		{"header cycle", "a.c", []byte("#include \"a.h\"\n"), fstest.MapFS{"a.h": {Data: []byte("#include \"b.h\"\n")}, "b.h": {Data: []byte("#include <a.h>\n")}}, "include-depth"},
		{"include bytes", "b.c", manyIncludes(34), manyHeaders(34, 1<<20), "include-bytes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sum := Parse(context.Background(), tc.file, tc.src, Config{Predefined: abi.Predefined, FS: tc.fsys})
			if sum.Engine != EngineTolerant || len(sum.Errors) == 0 || sum.Errors[0].Limit == nil {
				t.Fatalf("engine %s, errors %v: want the tolerant engine and a limit", sum.Engine, sum.Errors)
			}
			le := sum.Errors[0].Limit
			if le.Engine != EnginePrecise || le.Limit != tc.limit || le.Figure <= le.Max {
				t.Errorf("limit %+v, want %s reached", le, tc.limit)
			}
		})
	}
}

// TestPreciseTimeoutRecorded: a precise parse cut by its time budget says
// so as a "time" limit with the budget in ms.
func TestPreciseTimeoutRecorded(t *testing.T) {
	sum := Parse(context.Background(), "big.c", bigC(MaxPreciseSize-4096), Config{Predefined: abi.Predefined, FS: fstest.MapFS{}, Engine: EngineChoicePrecise, Timeout: time.Millisecond})
	if len(sum.Errors) == 0 || sum.Errors[0].Limit == nil || sum.Errors[0].Limit.Limit != "time" || sum.Errors[0].Limit.Max != 1 {
		t.Fatalf("errors %+v: want a time limit of 1 ms", sum.Errors)
	}
}

// TestCancelStopsTreeSitter: tree-sitter polls a cancellation flag, so a
// cancelled context (SIGTERM) stops the parse of an 8 MB file at once,
// not at its timeout.
func TestCancelStopsTreeSitter(t *testing.T) {
	src := bigC(MaxFileSize - 4096)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	done := make(chan error, 1)
	go func() {
		tree, err := parseTree(ctx, src, LangC)
		if tree != nil {
			tree.release()
		}
		done <- err
	}()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("%v: want the parse cancelled", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a cancelled tree-sitter parse runs on")
	}
}
