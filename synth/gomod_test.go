package synth

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/mod/modfile"
)

// An emitted package copies the runtime module's requirements, so each must
// be one the runtime's own (non-test) packages build with: a test-only
// requirement would be a module that building upsynth never downloads, and a
// workspace of emitted packages would look it up (offline: fail).
func TestRuntimeModuleRequiresOnlyWhatItBuildsWith(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command")
	}
	runtimeDir := filepath.Join("..", RuntimeDir)
	cmd := exec.Command("go", "list", "-deps", "-f", "{{with .Module}}{{.Path}}{{end}}", "./...")
	cmd.Dir = runtimeDir
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	var used []string
	for _, m := range strings.Fields(string(out)) {
		if m != RuntimeModule && !slices.Contains(used, m) {
			used = append(used, m)
		}
	}
	data, err := os.ReadFile(filepath.Join(runtimeDir, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	f, err := modfile.ParseLax("go.mod", data, nil)
	if err != nil {
		t.Fatal(err)
	}
	var required []string
	for _, r := range f.Require {
		required = append(required, r.Mod.Path)
	}
	slices.Sort(used)
	slices.Sort(required)
	if !slices.Equal(used, required) {
		t.Errorf("runtime/go.mod requires %v; the runtime's packages build with %v (a test-only dependency of the runtime breaks emitted packages offline)", required, used)
	}
}

func TestGoModRequiresTheRuntimeModuleOnly(t *testing.T) {
	mod, err := goMod("..", ModulePath+"/x")
	if err != nil {
		t.Fatal(err)
	}
	f, err := modfile.Parse("go.mod", mod, nil)
	if err != nil {
		t.Fatalf("emitted go.mod does not parse: %v\n%s", err, mod)
	}
	if f.Module.Mod.Path != ModulePath+"/x" {
		t.Errorf("module %q", f.Module.Mod.Path)
	}
	runtimeData, err := os.ReadFile(filepath.Join("..", RuntimeDir, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	runtimeMod, err := modfile.ParseLax("go.mod", runtimeData, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{RuntimeModule}
	for _, r := range runtimeMod.Require {
		want = append(want, r.Mod.Path+"@"+r.Mod.Version)
	}
	var got []string
	for _, r := range f.Require {
		if r.Mod.Path == RuntimeModule {
			got = append(got, r.Mod.Path)
			if r.Indirect {
				t.Errorf("the runtime is required as indirect")
			}
			continue
		}
		if !r.Indirect {
			t.Errorf("%s is required directly; only the runtime is", r.Mod.Path)
		}
		got = append(got, r.Mod.Path+"@"+r.Mod.Version)
	}
	slices.Sort(want)
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("emitted go.mod requires %v, want %v", got, want)
	}
	if len(f.Replace) != 1 || f.Replace[0].Old.Path != RuntimeModule || !filepath.IsAbs(f.Replace[0].New.Path) {
		t.Errorf("emitted go.mod must replace %s with an absolute path:\n%s", RuntimeModule, mod)
	}
	if strings.Contains(string(mod), "github.com/upsynth/upsynth ") {
		t.Errorf("emitted go.mod names the whole upsynth module:\n%s", mod)
	}
}
