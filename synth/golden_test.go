package synth

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/upsynth/upsynth/kernel"
	"github.com/upsynth/upsynth/runtime"
	"github.com/upsynth/upsynth/runtime/plan"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// richPlan plans the fixture testdata/rich: one object type whose members
// are widened, narrowed, renamed, resized, nested, added with a constructor
// default, removed and bitfields; one method whose signature changes.
func richPlan(t testing.TB) *Plan {
	t.Helper()
	p, err := MakePlan(Input{Name: "acct: v2", OldRev: "v1", NewRev: "v2",
		Old: kernel.TreeOf(os.DirFS("testdata/rich/old"), "old", kernel.Config{Include: []string{"include"}}), New: kernel.TreeOf(os.DirFS("testdata/rich/new"), "new", kernel.Config{Include: []string{"include"}}),
		Changes: ChangeSet{Class: "interface"},
		Mode:    runtime.Lazy})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestGoldenRich compares the package generated for the fixture with the
// one checked in under internal/rich (which the benchmarks and the
// equivalence test compile): go test ./synth -run Golden -update rewrites it.
func TestGoldenRich(t *testing.T) {
	p := richPlan(t)
	files, err := Generate(p)
	if err != nil {
		t.Fatal(err)
	}
	files["PLAN.md"] = []byte(PlanMarkdown(p))
	planJSON, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	files["testdata/plan.json"] = append(planJSON, '\n')
	delete(files, "update_test.go") // the fixture has no old tree to boot
	src, err := os.ReadFile("testdata/rich/new/acct.c")
	if err != nil {
		t.Fatal(err)
	}
	files[filepath.Join(plan.NewSourcesDir, "acct.c")] = src
	for name, b := range files {
		path := filepath.Join("internal", "rich", name)
		if *update {
			os.MkdirAll(filepath.Dir(path), 0o755)
			if err := os.WriteFile(path, b, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run with -update)", err)
		}
		if !bytes.Equal(want, b) {
			t.Errorf("%s differs from the golden file (run with -update and review the diff)", path)
		}
	}
}

func TestRichPlan(t *testing.T) {
	p := richPlan(t)
	if len(p.Types) != 1 || len(p.Adapters) != 1 {
		t.Fatalf("%d types, %d adapters; want 1 and 1", len(p.Types), len(p.Adapters))
	}
	tp := p.Types[0]
	kinds := map[string]OpKind{}
	for _, op := range tp.Forward {
		kinds[op.Field] = op.Kind
	}
	for field, want := range map[string]OpKind{"id": plan.OpCopy, "balance": plan.OpInt, "limit": plan.OpInt, "owner": plan.OpCopy,
		"name": plan.OpPrefix, "last.amount": plan.OpInt, "log": plan.OpArray, "cursor": plan.OpConst, "mode": plan.OpBits} {
		if kinds[field] != want {
			t.Errorf("field %s: step %q, want %q (all: %v)", field, kinds[field], want, kinds)
		}
	}
	if len(tp.Guesses) != 1 || tp.Guesses[0] != "owner <- ownr" {
		t.Errorf("guesses %v, want the owner rename", tp.Guesses)
	}
	if len(tp.Removed) != 1 || tp.Removed[0] != "obsolete" {
		t.Errorf("removed %v, want obsolete", tp.Removed)
	}
	a := p.Adapters[0]
	if a.Func != "Acct_deposit" || !a.Method || len(a.Forward) != 3 || a.Forward[2].From != -1 || a.Forward[1].Conv != nil {
		t.Errorf("adapter %+v", a)
	}
	if len(a.Reverse) != 2 || a.Reverse[1].Conv == nil {
		t.Errorf("reverse adapter must narrow amount (long -> int) with a check: %+v", a.Reverse)
	}
}
