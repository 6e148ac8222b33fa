package cparse

import (
	"context"
	"slices"
	"testing"
	"testing/fstest"

	"github.com/upsynth/upsynth/runtime/emu/abi"
)

// seL4's per-node state: globals declared and defined through macros whose
// definitions sit in a header both files include.
const stateMacros = `#ifdef ENABLE_SMP_SUPPORT
#define NODE_STATE_BEGIN(_name)                 typedef struct _name {
#define NODE_STATE_END(_name)                   } _name ## _t
#define NODE_STATE_DECLARE(_type, _state)       _type _state
#define UP_STATE_DEFINE(_type, _state)
#else
#define NODE_STATE_BEGIN(_name)
#define NODE_STATE_END(_name)
#define NODE_STATE_DECLARE(_type, _state)       extern _type _state VISIBLE
#define UP_STATE_DEFINE(_type, _state)          _type _state
#endif
#define DECLARE_BITMAP(name, bits) unsigned long name[bits]
`

func TestGlobalsDeclaredThroughMacros(t *testing.T) {
	fsys := fstest.MapFS{
		"include/model/smp.h": {Data: []byte(stateMacros)},
	}
	parse := func(name, src string) *Summary {
		s := Parse(context.Background(), name, []byte(src), Config{Engine: EngineChoiceTolerant, FS: fsys, IncludePaths: []string{"include"}})
		if len(s.Errors) > 0 {
			t.Fatalf("%s: %v", name, s.Errors)
		}
		return s
	}
	type global struct {
		name, typ string
		extern    bool
	}
	globalsOf := func(s *Summary) []global {
		var out []global
		for _, g := range s.Globals {
			out = append(out, global{g.Name, g.Type, g.Extern})
		}
		return out
	}
	header := parse("include/model/statedata.h", "#include <model/smp.h>\n"+
		"NODE_STATE_BEGIN(nodeState)\n"+
		"NODE_STATE_DECLARE(tcb_queue_t, ksReadyQueues[NUM_READY_QUEUES]);\n"+
		"NODE_STATE_DECLARE(tcb_t, *ksCurThread);\n"+
		"NODE_STATE_END(nodeState);\n"+
		"extern word_t ksNumCPUs;\n")
	want := []global{
		{"ksReadyQueues", "tcb_queue_t[NUM_READY_QUEUES]", true},
		{"ksCurThread", "tcb_t *", true},
		{"ksNumCPUs", "word_t", true},
	}
	if got := globalsOf(header); !slices.Equal(got, want) {
		t.Errorf("header globals %+v, want %+v", got, want)
	}
	if len(header.DependsOn) != 1 || header.DependsOn[0] != "include/model/smp.h" {
		t.Errorf("header depends on %q, want the header defining the macros", header.DependsOn)
	}
	source := parse("src/model/statedata.c", "#include <model/smp.h>\n"+
		"UP_STATE_DEFINE(tcb_t *, ksCurThread);\n"+
		"UP_STATE_DEFINE(interrupt_t, x86KScurInterrupt VISIBLE);\n"+
		"DECLARE_BITMAP(cpus, 64);\n"+
		"UNKNOWN_DEFINE(word_t, nothing);\n"+
		"word_t ksNumCPUs;\n")
	want = []global{
		{"ksCurThread", "tcb_t *", false},
		{"x86KScurInterrupt", "interrupt_t", false},
		{"ksNumCPUs", "word_t", false},
	}
	if got := globalsOf(source); !slices.Equal(got, want) {
		t.Errorf("source globals %+v, want %+v (DECLARE_BITMAP's definition is no declarator's, UNKNOWN_DEFINE has none)", got, want)
	}

	// The type changed in the invocation is the global's type changed.
	changed := parse("src/model/statedata.c", "#include <model/smp.h>\n"+
		"UP_STATE_DEFINE(sched_context_t *, ksCurThread);\n"+
		"UP_STATE_DEFINE(interrupt_t, x86KScurInterrupt VISIBLE);\n"+
		"word_t ksNumCPUs;\n")
	var changes []string
	for _, c := range Diff(source, changed) {
		if c.Entity == EntityGlobal {
			changes = append(changes, c.Name+" "+string(c.Change))
		}
	}
	if len(changes) != 1 || changes[0] != "ksCurThread "+string(ChangeType) {
		t.Errorf("global changes %q, want only ksCurThread's type", changes)
	}
}

// The precise engine expands the macros itself; the source-text pass must
// not add the globals a second time.
func TestGlobalsDeclaredThroughMacrosPrecise(t *testing.T) {
	fsys := fstest.MapFS{"include/smp.h": {Data: []byte("#define UP_STATE_DEFINE(_type, _state) _type _state\n")}}
	s := Parse(context.Background(), "statedata.c", []byte("#include <smp.h>\ntypedef struct tcb tcb_t;\nUP_STATE_DEFINE(tcb_t *, ksCurThread);\n"),
		Config{Engine: EngineChoicePrecise, FS: fsys, IncludePaths: []string{"include"}, Predefined: abi.Predefined})
	if s.Engine != EnginePrecise {
		t.Fatalf("precise engine failed: %v", s.Errors)
	}
	if len(s.Globals) != 1 || s.Globals[0].Name != "ksCurThread" || s.Globals[0].Type != "tcb_t *" {
		t.Errorf("globals %+v, want ksCurThread of tcb_t * once", s.Globals)
	}
}
