package synth

import (
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/upsynth/upsynth/kernel"
	"github.com/upsynth/upsynth/runtime"
)

// TestPlanGlobalGrows: globals whose size changes (the runtime's globals
// test kernel grows a function-pointer table and a counter array) are
// planned as new storage, not as something the update cannot do.
func TestPlanGlobalGrows(t *testing.T) {
	read := func(p string) *fstest.MapFile {
		b, err := os.ReadFile("../runtime/testdata/tables/" + p)
		if err != nil {
			t.Fatal(err)
		}
		return &fstest.MapFile{Data: b}
	}
	old := fstest.MapFS{"kernel.c": read("kernel.c"), "tables.c": read("tables.c"), "include/tables.h": read("include/tables.h"),
		"workloads/t.wl": &fstest.MapFile{Data: []byte("stream a\n  sys 3 0 -> >=0\nend\n")}}
	new := fstest.MapFS{}
	for k, v := range old {
		new[k] = v
	}
	new["tables.c"] = read("v2/tables.c")
	p, err := MakePlan(Input{Name: "grow", Old: kernel.TreeOf(old, "old", kernel.Config{Include: []string{"include"}}), New: kernel.TreeOf(new, "new", kernel.Config{Include: []string{"include"}}), Changes: ChangeSet{Class: "code"}, Mode: runtime.Eager})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Cannot) > 0 {
		t.Errorf("cannot: %q", p.Cannot)
	}
	sized := map[string]bool{}
	for _, g := range p.Globals {
		if g.Change == "size" {
			sized[g.Name] = strings.Contains(g.Note, "new storage")
		}
	}
	if !sized["op_table"] || !sized["counters"] || len(sized) != 2 {
		t.Errorf("globals %+v, want op_table and counters with new storage", p.Globals)
	}
	for _, n := range p.Needs {
		if strings.Contains(n, "changes type and size") {
			t.Errorf("a growing array of the same element type needs no person: %s", n)
		}
	}
	for typ, want := range map[string]string{"array of 22 syscall_fn": "syscall_fn", "array of 4 struct foo": "struct foo", "long": "", "array of": ""} {
		if got := arrayElem(typ); got != want {
			t.Errorf("arrayElem(%q) = %q, want %q", typ, got, want)
		}
	}
}
