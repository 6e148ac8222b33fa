package verify_test

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/upsynth/upsynth/runtime/plan"
	"github.com/upsynth/upsynth/synth"
	"github.com/upsynth/upsynth/synth/internal/imports"
)

// TestOnePlanType: synth's plan is runtime/plan's type (what the harness
// and emitted packages read), and the generated tests verify with the
// harness.
func TestOnePlanType(t *testing.T) {
	if reflect.TypeOf(synth.Plan{}) != reflect.TypeOf(plan.Plan{}) {
		t.Error("synth.Plan is not runtime/plan's Plan")
	}
	if synth.VerifyPkg != imports.Module+"/runtime/emu/verify" || synth.PlanPkg != imports.Module+"/runtime/plan" {
		t.Errorf("generated tests verify with %s and read %s", synth.VerifyPkg, synth.PlanPkg)
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
