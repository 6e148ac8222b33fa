package verify_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/upsynth/upsynth/runtime/emu/verify"
	"github.com/upsynth/upsynth/synth"
	"github.com/upsynth/upsynth/synth/internal/imports"
)

// TestHarnessReadsSynthPlan: the harness (runtime/emu/verify) reads the
// plan.json synth writes with a struct of its own; every field it reads
// must come through with the value synth wrote, and the package layout
// both use must agree, so they cannot drift apart.
func TestHarnessReadsSynthPlan(t *testing.T) {
	p := &synth.Plan{Version: synth.PlanVersion, Name: "0042-x: y", OldRev: "a", NewRev: "b", Class: "state",
		Build:      synth.BuildOptions{IncludePaths: []string{"include", "arch/include"}, Defines: []string{"NDEBUG", "N=4"}},
		Modules:    []string{"kernel/fs.c"},
		Deleted:    []string{"kernel/old.c", "include/old.h"},
		OldModules: []string{"kernel/fs.c", "kernel/old.c"}, NewModules: []string{"kernel/fs.c"},
		Workloads: []string{"workloads/a.wl", "workloads/b.wl"}, Load: "workloads/a.wl"}
	dir := t.TempDir()
	b, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, synth.PlanFile), b, 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := verify.ReadPlan(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := &verify.Plan{Version: p.Version, Name: p.Name,
		Build:   verify.Build{IncludePaths: p.Build.IncludePaths, Defines: p.Build.Defines},
		Deleted: p.Deleted, OldModules: p.OldModules, NewModules: p.NewModules, Workloads: p.Workloads, Load: p.Load}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("the harness read\n%+v\nfrom synth's plan.json, want\n%+v", got, want)
	}
	// Every field of the harness's Plan is checked above with a non-zero
	// value: a field added to it must be added here too.
	v := reflect.ValueOf(*got)
	for i := 0; i < v.NumField(); i++ {
		if v.Field(i).IsZero() {
			t.Errorf("harness Plan field %s is not covered by this test", v.Type().Field(i).Name)
		}
	}
	for _, c := range []struct{ name, synth, harness string }{
		{"plan file", synth.PlanFile, verify.PlanFile},
		{"new sources", synth.NewSourcesDir, verify.NewSourcesDir},
		{"old tree", synth.OldTreeDir, verify.OldTreeDir},
	} {
		if c.synth != c.harness {
			t.Errorf("%s: synth writes %q, the harness reads %q", c.name, c.synth, c.harness)
		}
	}
	if synth.PlanVersion != verify.PlanVersion {
		t.Errorf("plan version: synth writes %d, the harness reads %d", synth.PlanVersion, verify.PlanVersion)
	}
	if synth.VerifyPkg != imports.Module+"/runtime/emu/verify" {
		t.Errorf("generated tests verify with %s, not the harness", synth.VerifyPkg)
	}
}

// checkImports: an emitted package's Go files import nothing of upsynth
// but runtime and runtime/emu[/...].
func checkImports(t *testing.T, dir string) {
	t.Helper()
	names, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	if len(names) == 0 {
		t.Errorf("%s: no Go files", dir)
	}
	for _, name := range names {
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := imports.Check(name, src); err != nil {
			t.Error(err)
		}
	}
}

// TestPersonHooksImports: the hooks a person wrote for the corpus keep to
// the same imports.
func TestPersonHooksImports(t *testing.T) {
	dirs, err := filepath.Glob(filepath.Join(hooksDir, "*"))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, d := range dirs {
		if st, err := os.Stat(d); err == nil && st.IsDir() {
			checkImports(t, d)
			n++
		}
	}
	if n == 0 {
		t.Fatalf("no hooks under %s", hooksDir)
	}
}
