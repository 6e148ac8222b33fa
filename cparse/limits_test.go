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

// TestIncludeBudget: the precise engine reads at most IncludeBudget bytes
// of headers for a file. A header every translation reads that passes it
// is refused before cc/v4 runs; one reached under a condition stops the
// translation when opened; a larger file may read more.
func TestIncludeBudget(t *testing.T) {
	big := []byte(strings.Repeat("/* a register of a vendor header */\n", 300<<10/37+1)) // about 300 KB
	fsys := fstest.MapFS{"big.h": {Data: big}}
	for _, tc := range []struct {
		name         string
		src          []byte
		limit        bool // the include-bytes limit is reached
		translations int64
	}{
		{"every translation reads it", []byte("#include \"big.h\"\nint x;\n"), true, 0},
		{"reached under a condition", []byte("#define USE_BIG\n#ifdef USE_BIG\n#include \"big.h\"\n#endif\nint x;\n"), true, 1},
		{"under a condition not taken", []byte("#ifdef USE_BIG\n#include \"big.h\"\n#endif\nint x;\n"), false, 1},
		{"a file of half its size", append([]byte("#include \"big.h\"\n"), bigC(150<<10)...), false, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := translations.Load()
			sum := Parse(context.Background(), "f.c", tc.src, Config{Predefined: abi.Predefined, FS: fsys})
			if got := translations.Load() - before; got != tc.translations {
				t.Errorf("%d translations, want %d", got, tc.translations)
			}
			if !tc.limit {
				if sum.Engine != EnginePrecise {
					t.Fatalf("engine %s, errors %v: want the precise engine", sum.Engine, sum.Errors)
				}
				return
			}
			if sum.Engine != EngineTolerant || len(sum.Errors) == 0 || sum.Errors[0].Limit == nil {
				t.Fatalf("engine %s, errors %v: want the tolerant engine and a limit", sum.Engine, sum.Errors)
			}
			le := sum.Errors[0].Limit
			if le.Limit != "include-bytes" || le.Max != IncludeBudget(len(tc.src)) || le.Figure < int64(len(big)) {
				t.Errorf("limit %+v, want include-bytes %d reached by big.h's %d bytes", le, IncludeBudget(len(tc.src)), len(big))
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

// TestMissingIncludeFoundBeforeTranslation checks the include walk that
// spares cc/v4 a translation bound to fail: a header that every
// translation reaches includes one the tree does not have. An include
// under a condition, or named by a macro, is left to the preprocessor.
func TestMissingIncludeFoundBeforeTranslation(t *testing.T) {
	fsys := fstest.MapFS{
		"inc/guarded.h": {Data: []byte("#ifndef GUARDED_H\n#define GUARDED_H\n#include <types.h>\n#include <arch/missing.h>\n#endif\n")},
		"inc/types.h":   {Data: []byte("typedef unsigned u32;\n")},
		"inc/cond.h":    {Data: []byte("#pragma once\n#ifdef CONFIG_X\n#include <arch/missing.h>\n#endif\n#include HEADER_MACRO\ntypedef int cond_t;\n")},
		"inc/viacond.h": {Data: []byte("#if 0\n#include \"guarded.h\"\n#endif\n")},
	}
	incs := []string{"", "inc"}
	cases := []struct {
		name, src string
		want      string // the error, "" for none
	}{
		{"unconditional chain", "#include <guarded.h>\nint x;\n", "inc/guarded.h:4:10: include file not found: <arch/missing.h>"},
		{"in the file itself", "int a;\n#  include \"nothere.h\"\n", "f.c:2:12: include file not found: \"nothere.h\""},
		{"under a condition", "#include <cond.h>\nint x;\n", ""},
		{"chain through a condition", "#include <viacond.h>\nint x;\n", ""},
		{"guarded header reached conditionally first", "#ifdef A\n#include <guarded.h>\n#endif\n#include <guarded.h>\n", "inc/guarded.h:4:10: include file not found: <arch/missing.h>"},
		{"include_next is left to the preprocessor", "#include_next <nothere.h>\n", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := checkIncludes(fsys, "f.c", []byte(tc.src), incs)
			got := ""
			if err != nil {
				var missing *MissingIncludeError
				if !errors.As(err, &missing) {
					t.Fatalf("error %v is not a *MissingIncludeError", err)
				}
				got = err.Error()
			}
			if got != tc.want {
				t.Errorf("checkIncludes = %q, want %q", got, tc.want)
			}
		})
	}

	// Through Parse: the tolerant engine summarizes, and the summary says
	// why the precise engine was not used.
	sum := Parse(context.Background(), "f.c", []byte("#include <guarded.h>\nint x;\n"), Config{Predefined: abi.Predefined, FS: fsys, IncludePaths: []string{"inc"}})
	if sum.Engine != EngineTolerant || len(sum.Errors) == 0 || !strings.Contains(sum.Errors[0].Msg, "inc/guarded.h:4:10: include file not found: <arch/missing.h>") {
		t.Errorf("Parse: engine %s, errors %+v", sum.Engine, sum.Errors)
	}
	// The conditional case still goes to cc/v4, which succeeds.
	sum = Parse(context.Background(), "f.c", []byte("#include <viacond.h>\nint x;\n"), Config{Predefined: abi.Predefined, FS: fsys, IncludePaths: []string{"inc"}})
	if sum.Engine != EnginePrecise {
		t.Errorf("Parse through a false condition: engine %s, errors %+v", sum.Engine, sum.Errors)
	}
}

// TestPreciseHeaderSize: a header above MaxPreciseHeaderSize (a generated
// register header) goes the tolerant way with a file-size limit, never
// through cc/v4; a C file of that size still gets the precise engine.
func TestPreciseHeaderSize(t *testing.T) {
	src := bigC(MaxPreciseHeaderSize + 4096)
	for _, tc := range []struct {
		path    string
		precise bool
	}{{"regs.h", false}, {"regs.c", true}} {
		t.Run(tc.path, func(t *testing.T) {
			before := translations.Load()
			sum := Parse(context.Background(), tc.path, src, Config{Predefined: abi.Predefined, FS: fstest.MapFS{}})
			translated := translations.Load() - before
			if tc.precise {
				if sum.Engine != EnginePrecise {
					t.Fatalf("engine %s, errors %v: want the precise engine", sum.Engine, sum.Errors)
				}
				return
			}
			if translated != 0 || sum.Engine != EngineTolerant || len(sum.Errors) == 0 || sum.Errors[0].Limit == nil {
				t.Fatalf("%d translations, engine %s, errors %v: want none, the tolerant engine and a limit", translated, sum.Engine, sum.Errors)
			}
			if le := sum.Errors[0].Limit; le.Limit != "file-size" || le.Max != MaxPreciseHeaderSize || le.Figure != int64(len(src)) {
				t.Errorf("limit %+v, want file-size %d reached by %d bytes", le, MaxPreciseHeaderSize, len(src))
			}
		})
	}
}

// TestConditionalWalkBound: the include walk stops following conditional
// includes once it has read conditionalWalkBytes (a device header per
// part number), and the translation still runs, cc/v4 opening only the
// header its condition selects.
func TestConditionalWalkBound(t *testing.T) {
	device := []byte(strings.Repeat("#define REGISTER_OF_A_DEVICE 0x40000000\n", 100<<10/40)) // about 100 KB
	fsys := fstest.MapFS{}
	var src strings.Builder
	src.WriteString("#define PART_7\n")
	for i := range 12 {
		name := fmt.Sprintf("part%d.h", i)
		fsys[name] = &fstest.MapFile{Data: device}
		fmt.Fprintf(&src, "#%s defined(PART_%d)\n#include \"%s\"\n", map[bool]string{true: "if", false: "elif"}[i == 0], i, name)
	}
	src.WriteString("#endif\nint device_ready;\n")
	walk := walkIncludes(fsys, "em_device.h", []byte(src.String()), []string{""})
	if walk.err() != nil || walk.bytes > conditionalWalkBytes(src.Len())+int64(len(device)) {
		t.Errorf("the walk read %d bytes (error %v), want at most %d and no error", walk.bytes, walk.err(), conditionalWalkBytes(src.Len())+int64(len(device)))
	}
	sum := Parse(context.Background(), "em_device.h", []byte(src.String()), Config{Predefined: abi.Predefined, FS: fsys})
	if sum.Engine != EnginePrecise {
		t.Fatalf("engine %s, errors %v: want the precise engine, reading part7.h only", sum.Engine, sum.Errors)
	}
}
