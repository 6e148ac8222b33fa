package synth

import (
	"os"
	"strings"
	"testing"

	"github.com/upsynth/upsynth/kernel"
	"github.com/upsynth/upsynth/runtime"
)

// renamePlan plans the runtime's items kernel going to items/<version>
// (v7: Item_get renamed Item_value, layout kept; v8: the same rename while
// the layout changes), with edit applied to the new items.c.
func renamePlan(t *testing.T, version string, edit func(string) string) *Plan {
	t.Helper()
	old, new := itemsTrees(t)
	b, err := os.ReadFile("../runtime/testdata/items/" + version + "/items.c")
	if err != nil {
		t.Fatal(err)
	}
	new["items.c"].Data = []byte(edit(string(b)))
	p, err := MakePlan(Input{Name: "rename", Old: kernel.TreeOf(old, "old", kernel.Config{Include: []string{"include"}}), New: kernel.TreeOf(new, "new", kernel.Config{Include: []string{"include"}}), Changes: ChangeSet{Class: "state"}, Mode: runtime.Lazy})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func same(s string) string { return s }

func TestRenamedMethodGetsAdapter(t *testing.T) {
	p := renamePlan(t, "v8", same)
	if len(p.Adapters) != 1 || p.Adapters[0].Func != "Item_get" || p.Adapters[0].To != "Item_value" || !p.Adapters[0].Method {
		t.Fatalf("adapters %+v, want Item_get renamed Item_value", p.Adapters)
	}
	for _, r := range p.Removed {
		if r == "Item_get" {
			t.Errorf("Item_get is listed removed although it is renamed: %v", p.Removed)
		}
	}
	if !strings.Contains(strings.Join(p.Notes, "\n"), "Item_get is renamed Item_value (same body)") {
		t.Errorf("notes do not tell the rename: %q", p.Notes)
	}
	files, err := Generate(p)
	if err != nil {
		t.Fatal(err)
	}
	if adapt := string(files["adapt.go"]); !strings.Contains(adapt, `To:`) || !strings.Contains(adapt, `"Item_value"`) {
		t.Errorf("adapt.go does not route Item_get to Item_value:\n%s", adapt)
	}
	if md := PlanMarkdown(p); !strings.Contains(md, "Item_get, renamed Item_value") {
		t.Errorf("PLAN.md does not show the rename:\n%s", md)
	}
}

func TestLikelyRenameNeedsAPerson(t *testing.T) {
	// The body changes too: only the signature pairs the two methods.
	p := renamePlan(t, "v8", func(s string) string {
		return strings.Replace(s, "return DREF(Item, self)->value;", "return DREF(Item, self)->value + 0;", 1)
	})
	if len(p.Adapters) != 1 || p.Adapters[0].To != "Item_value" {
		t.Fatalf("adapters %+v, want the likely rename", p.Adapters)
	}
	if !strings.Contains(strings.Join(p.Needs, "\n"), "taken as a rename") {
		t.Errorf("a guessed rename is not put to a person: %q", p.Needs)
	}
}

func TestGuessedRenameNotUsedWhenLayoutStays(t *testing.T) {
	// The old code still reads the state right: it is kept, not guessed.
	p := renamePlan(t, "v7", func(s string) string {
		return strings.Replace(s, "return DREF(Item, self)->value;", "return DREF(Item, self)->value + 0;", 1)
	})
	if len(p.Adapters) != 0 {
		t.Errorf("adapters %+v, want none", p.Adapters)
	}
	if strings.Join(p.Removed, ",") != "Item_get" {
		t.Errorf("removed %v, want Item_get (keeps its old code)", p.Removed)
	}
	// The same body is a certain rename whatever the layout.
	if p := renamePlan(t, "v7", same); len(p.Adapters) != 1 || p.Adapters[0].To != "Item_value" {
		t.Errorf("adapters %+v, want Item_get renamed Item_value", p.Adapters)
	}
}
