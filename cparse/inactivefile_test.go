package cparse

import (
	"context"
	"testing"
	"testing/fstest"

	"github.com/upsynth/upsynth/runtime/emu/abi"
)

// A header whose every declaration lies under a configuration conditional
// that is off (seL4's SMP header inside "#if CONFIG_MAX_NUM_NODES > 1")
// is compiled only in another configuration: the precise engine keeps the
// entities the text shows, so a commit adding it adds them. A file with
// one active declaration still loses its inactive ones.
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
	// One active declaration: the inactive ones go, as before.
	mixed := "int counter;\n" + smp
	sum = Parse(context.Background(), "smp.h", []byte(mixed), cfg)
	if len(sum.Functions) != 0 || len(sum.Globals) != 1 || sum.Globals[0].Name != "counter" {
		t.Errorf("mixed file: functions %+v, globals %+v, want only the active global counter", sum.Functions, sum.Globals)
	}
}
