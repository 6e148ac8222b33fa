package cparse

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/upsynth/upsynth/runtime/emu/abi"
)

// A header whose every declaration lies under a configuration conditional
// that is off (seL4's SMP header inside "#if CONFIG_MAX_NUM_NODES > 1")
// is compiled only in another configuration: the precise engine keeps the
// entities the text shows, so a commit adding it adds them. So does a file
// with active declarations besides (seL4's vcpu.h, whose #else declares
// VGICMaintenance): its inactive functions change like any other.
func TestWhollyInactiveFileKeepsItsEntities(t *testing.T) {
	const smp = "#ifndef SMP_H\n#define SMP_H\n#if CONFIG_MAX_NUM_NODES > 1\n" +
		"typedef struct nodeInfo {\n    void *stackTop;\n    unsigned long index;\n} nodeInfo_t;\n" +
		"extern nodeInfo_t node_info[CONFIG_MAX_NUM_NODES];\n" +
		"static inline unsigned long getCurrentCPUIndex(void)\n{\n    return node_info[0].index;\n}\n" +
		"#endif\n#endif\n"
	cfg := Config{Predefined: abi.Predefined, FS: fstest.MapFS{}, Engine: EngineChoicePrecise}
	sum := Parse(context.Background(), "smp.h", []byte(smp), cfg)
	if sum.Engine != EnginePrecise {
		t.Fatalf("engine %s (%v), want precise", sum.Engine, sum.Errors)
	}
	if len(sum.Functions) != 1 || sum.Functions[0].Name != "getCurrentCPUIndex" || !sum.Functions[0].Static {
		t.Errorf("functions %+v, want the static getCurrentCPUIndex", sum.Functions)
	}
	if len(sum.Globals) != 1 || sum.Globals[0].Name != "node_info" {
		t.Errorf("globals %+v, want node_info", sum.Globals)
	}
	var types []string
	for _, ty := range sum.Types {
		types = append(types, ty.Name)
	}
	for _, ty := range sum.Typedefs {
		types = append(types, ty.Name)
	}
	if len(types) != 2 {
		t.Errorf("types %v, want nodeInfo and nodeInfo_t", types)
	}
	// One active declaration: the inactive ones stay.
	mixed := "int counter;\n" + smp
	sum = Parse(context.Background(), "smp.h", []byte(mixed), cfg)
	if len(sum.Functions) != 1 || len(sum.Globals) != 2 || sum.Globals[0].Name != "counter" {
		t.Errorf("mixed file: functions %+v, globals %+v, want getCurrentCPUIndex, counter and node_info", sum.Functions, sum.Globals)
	}
}

// Where a conditional's branches define the same function, the precise
// engine keeps the definition in effect (its layout and linkage are
// cc/v4's); a function only an inactive branch defines stays as the text
// shows it.
func TestInactiveAlternativeGivesWayToTheActive(t *testing.T) {
	const src = "#ifdef CONFIG_SMP\nint ncpu(void) { return 8; }\nint smp_only(void) { return 1; }\n" +
		"#else\nint ncpu(void) { return 1; }\n#endif\n"
	cfg := Config{Predefined: abi.Predefined, FS: fstest.MapFS{}, Engine: EngineChoicePrecise}
	sum := Parse(context.Background(), "cpu.c", []byte(src), cfg)
	if sum.Engine != EnginePrecise {
		t.Fatalf("engine %s (%v), want precise", sum.Engine, sum.Errors)
	}
	var got []string
	for _, f := range sum.Functions {
		got = append(got, fmt.Sprintf("%s@%d", f.Name, f.Span.StartLine))
	}
	if want := []string{"smp_only@3", "ncpu@5"}; !slices.Equal(got, want) && !slices.Equal(got, []string{"ncpu@5", "smp_only@3"}) {
		t.Errorf("functions %v, want %v", got, want)
	}
}

// The branch around a piece of text is its innermost one, found past
// nested branches that closed before it; a branch is active when cc/v4
// declared something on one of its lines, and the include guard is none.
func TestInactiveBranchesInnermost(t *testing.T) {
	src := "#ifndef G\n#define G\n#if A\nint a;\n#if B\nint b;\n#endif\nint c;\n#else\nint d;\n#endif\nint e;\n#endif\n"
	lineOf := func(text string) int { return strings.Count(src[:strings.Index(src, text)], "\n") + 1 }
	ib := findInactiveBranches(newSource([]byte(src)), []int{lineOf("int d"), lineOf("int e")})
	for _, c := range []struct {
		text     string
		inactive bool
	}{{"int a", true}, {"int b", true}, {"int c", true}, {"int d", false}, {"int e", false}} {
		if got := ib.inactive(strings.Index(src, c.text)); got != c.inactive {
			t.Errorf("%q: inactive %v, want %v", c.text, got, c.inactive)
		}
	}
}
