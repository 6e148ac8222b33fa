package synth

import (
	"slices"
	"strings"
	"testing"

	"github.com/upsynth/upsynth/synth/internal/imports"
)

// TestEmittedImports: the Go files of an emitted package (the rich fixture,
// with its test and hooks) import nothing of upsynth but runtime and the
// verification harness under runtime/emu.
func TestEmittedImports(t *testing.T) {
	files, err := Generate(richPlan(t))
	if err != nil {
		t.Fatal(err)
	}
	var all []string
	for name, src := range files {
		if !strings.HasSuffix(name, ".go") {
			continue
		}
		ours, err := imports.Check(name, src)
		if err != nil {
			t.Error(err)
		}
		all = append(all, ours...)
	}
	// The check must see the imports it guards.
	for _, want := range []string{imports.Module + "/runtime", VerifyPkg} {
		if !slices.Contains(all, want) {
			t.Errorf("no generated file imports %s (imports: %v)", want, all)
		}
	}
}

func TestImportsAllowed(t *testing.T) {
	for path, want := range map[string]bool{
		"fmt": true, "github.com/dave/jennifer/jen": true,
		imports.Module + "/runtime": true, imports.Module + "/runtime/emu": true, imports.Module + "/runtime/emu/verify": true, imports.Module + "/runtime/plan": true,
		imports.Module + "/synth": false, imports.Module + "/synth/verify": false, imports.Module + "/runtimex": false,
		imports.Module + "/analyze": false, imports.Module: false,
	} {
		if got := imports.Allowed(path); got != want {
			t.Errorf("Allowed(%s) = %v, want %v", path, got, want)
		}
	}
}
