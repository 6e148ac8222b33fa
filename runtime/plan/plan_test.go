package plan_test

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/upsynth/upsynth/runtime"
	"github.com/upsynth/upsynth/runtime/plan"
)

func write(t *testing.T, dir, data string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, plan.File), []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestReadRefuses(t *testing.T) {
	dir := t.TempDir()
	if _, err := plan.Read(dir); err == nil || !strings.Contains(err.Error(), "not an emitted update package") {
		t.Errorf("no plan.json: %v", err)
	}
	for _, c := range []struct{ data, want string }{
		{`{"version": 99, "name": "x"}`, "plan version 99"},
		{`{"version": 1, "name": "x", "Build": {"IncludePaths": ["include"]}}`, "plan version 1"},
		{`{"version": 2, "name": `, plan.File},
		{`{"version": 2, "name": "x", "bogus": {}}`, `unknown field "bogus"`},
		{`{"version": 2, "types": [{"name": "T", "old": {"tag": "T"}}]}`, `unknown field "tag"`},
	} {
		write(t, dir, c.data)
		if _, err := plan.Read(dir); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err %v, want %q", c.data, err, c.want)
		}
	}
}

// TestRoundTrip: what Marshal writes, Read gives back, every key
// snake_case.
func TestRoundTrip(t *testing.T) {
	p := &plan.Plan{Version: plan.Version, Name: "n", OldRev: "a", NewRev: "b", Class: "state", Mode: "lazy",
		Build:   plan.Build{IncludePaths: []string{"include", "."}, Defines: []string{"N=1"}},
		Modules: []string{"k.c"}, OldModules: []string{"k.c"}, NewModules: []string{"k.c"},
		Types: []plan.TypePlan{{Name: "T", Old: runtime.Layout{Name: "T", Size: 8, Fields: []runtime.Field{{Name: "x", Size: 4, Kind: runtime.Int, BitWidth: 3}}},
			Forward: []plan.Op{{Kind: plan.OpBits, Field: "x", SrcBit: 1, SrcBits: 3, DstBits: 3}}}},
		Adapters: []plan.AdapterPlan{{Func: "f", Forward: []plan.ArgMap{{Param: "a", From: 0, Conv: &plan.Conv{SrcSize: 4, DstSize: 8}}}}},
		Globals:  []plan.GlobalPlan{{Name: "g", Module: "k.c", Static: true, Patches: []plan.Patch{{Offset: 8, Size: 8, Old: 1, New: 2}}}},
	}
	b, err := p.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(line)
		if !strings.HasPrefix(line, `"`) {
			continue
		}
		key, _, ok := strings.Cut(line[1:], `":`)
		if ok && key != strings.ToLower(key) {
			t.Errorf("key %q is not snake_case", key)
		}
	}
	dir := t.TempDir()
	write(t, dir, string(b))
	got, err := plan.Read(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, p) {
		t.Errorf("read back\n%+v\nwant\n%+v", got, p)
	}
	if got.Globals[0].Symbol() != "k.c:g" {
		t.Errorf("symbol %q", got.Globals[0].Symbol())
	}
}
