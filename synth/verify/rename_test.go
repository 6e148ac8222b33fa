package verify_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/upsynth/upsynth/kernel"
	"github.com/upsynth/upsynth/runtime"
	"github.com/upsynth/upsynth/synth"
)

// itemsLoad makes 60 items, then adds to and reads them on one CPU while
// the other sums them: the update lands in the middle.
const itemsLoad = `stream a
sys 1 60 -> 60
repeat 60
sys 2 $i 3 -> >=3
sys 3 $i -> >=3
end
check
end
stream b
repeat 120
sys 4 -> >=0
end
end
`

// itemsAfter runs on the updated kernel and on a fresh boot of the new one.
const itemsAfter = "stream a\nsys 7 -> 2\nsys 4 -> >=0\ncheck\nend\n"

// TestRenamedMethodVerifies emits the runtime's test kernel going from
// items v1 to v8 (Item gains a field, so every offset moves, and Item_get is
// renamed Item_value, its callers with it) and verifies it in both modes and
// rolled back. Without the rename adapter the runtime refuses the update:
// Item_get's old code could not run on converted instances.
func TestRenamedMethodVerifies(t *testing.T) {
	read := func(p string) []byte {
		b, err := os.ReadFile(filepath.Join("../../runtime/testdata/items", p))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	old := fstest.MapFS{
		"kernel.c":           {Data: read("kernel.c")},
		"items.c":            {Data: read("items.c")},
		"include/items.h":    {Data: read("include/items.h")},
		"include/kernel.h":   {Data: read("../../emu/abi/include/kernel.h")},
		"workloads/mixed.wl": {Data: []byte(itemsLoad)},
		"workloads/after.wl": {Data: []byte(itemsAfter)},
	}
	new := fstest.MapFS{}
	for k, v := range old {
		new[k] = v
	}
	// The commit renames the method everywhere: its callers and its
	// declaration too.
	new["items.c"] = &fstest.MapFile{Data: read("v8/items.c")}
	new["kernel.c"] = &fstest.MapFile{Data: []byte(strings.ReplaceAll(string(read("kernel.c")), "Item_get(", "Item_value("))}
	new["include/items.h"] = &fstest.MapFile{Data: []byte(strings.ReplaceAll(string(read("include/items.h")), "Item_get(", "Item_value("))}
	p, err := synth.MakePlan(synth.Input{Name: "items-v8", OldRev: "v1", NewRev: "v8", Old: kernel.TreeOf(old, "old", kernel.Config{Include: []string{"include"}, Exclude: []string{"workloads/**"}}), New: kernel.TreeOf(new, "new", kernel.Config{Include: []string{"include"}, Exclude: []string{"workloads/**"}}),
		Changes: synth.ChangeSet{Class: "state"}, Mode: runtime.Eager})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Adapters) != 1 || p.Adapters[0].To != "Item_value" {
		t.Fatalf("adapters %+v, want Item_get renamed Item_value", p.Adapters)
	}
	files, err := synth.Generate(p)
	if err != nil {
		t.Fatal(err)
	}
	out := synth.Output{Dir: filepath.Join(t.TempDir(), "items-v8"), Plan: p, Files: files, Old: kernel.TreeOf(old, "old", kernel.Config{}), New: kernel.TreeOf(new, "new", kernel.Config{}), SrcRoot: srcRoot(t)}
	if _, err := synth.Write(out); err != nil {
		t.Fatal(err)
	}
	failed, rollbackFailed := verifyPlan(out.Dir, p, true)
	if len(failed)+len(rollbackFailed) > 0 {
		t.Fatalf("the renamed method's update does not verify:\n%s", strings.Join(append(failed, rollbackFailed...), "\n"))
	}
}
