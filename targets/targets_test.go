package targets_test

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/upsynth/upsynth/kernel"
	"github.com/upsynth/upsynth/targets"
)

// TestLookup: a bundled port by name, a port directory by path, and a
// clear error for anything else.
func TestLookup(t *testing.T) {
	tg, err := targets.Lookup("freertos")
	if err != nil {
		t.Fatal(err)
	}
	if tg.Name != "freertos" || !slices.Contains(tg.Config.Modules, "tasks.c") || len(tg.Config.Allocators) != 1 {
		t.Errorf("freertos port: %+v", tg.Config)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, kernel.FileName), []byte("modules: [a.c]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tg, err = targets.Lookup(dir)
	if err != nil {
		t.Fatal(err)
	}
	if tg.Name != dir || !slices.Equal(tg.Config.Modules, []string{"a.c"}) {
		t.Errorf("port directory: %s %+v", tg.Name, tg.Config)
	}
	if tg, err := targets.Lookup(""); tg != nil || err != nil {
		t.Errorf("no target: %v, %v", tg, err)
	}
	var unknown *targets.UnknownError
	if _, err := targets.Lookup("nosuch"); !errors.As(err, &unknown) {
		t.Errorf("unknown target: %v", err)
	}
	file := filepath.Join(dir, kernel.FileName)
	if _, err := targets.Lookup(file); err == nil {
		t.Errorf("a file taken as a port directory")
	}
}
