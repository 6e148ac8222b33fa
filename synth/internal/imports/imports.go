// Package imports checks what an emitted package may depend on: of upsynth,
// only the runtime, its plan.json schema (runtime/plan) and the emulated
// target (runtime/emu and the packages under it, such as the verification
// harness), as DESIGN.md says. It is
// shared by synth's and synth/verify's tests.
package imports

import (
	"fmt"
	"go/parser"
	"go/token"
	"strconv"
	"strings"
)

// Module is upsynth's module path.
const Module = "github.com/upsynth/upsynth"

// Allowed reports whether an emitted package may import path.
func Allowed(path string) bool {
	if path != Module && !strings.HasPrefix(path, Module+"/") {
		return true // the standard library or a third party
	}
	return path == Module+"/runtime" || path == Module+"/runtime/plan" || path == Module+"/runtime/emu" || strings.HasPrefix(path, Module+"/runtime/emu/")
}

// Check parses one Go file of an emitted package and returns an error
// naming every import of upsynth it may not have; ours lists the upsynth
// packages it imports.
func Check(name string, src []byte) (ours []string, err error) {
	f, err := parser.ParseFile(token.NewFileSet(), name, src, parser.ImportsOnly)
	if err != nil {
		return nil, err
	}
	var bad []string
	for _, imp := range f.Imports {
		path, err := strconv.Unquote(imp.Path.Value)
		if err != nil {
			return nil, fmt.Errorf("%s: import %s: %w", name, imp.Path.Value, err)
		}
		if strings.HasPrefix(path, Module) {
			ours = append(ours, path)
		}
		if !Allowed(path) {
			bad = append(bad, path)
		}
	}
	if len(bad) > 0 {
		return ours, fmt.Errorf("%s imports %s: an emitted package may import only runtime, runtime/plan and runtime/emu of upsynth", name, strings.Join(bad, ", "))
	}
	return ours, nil
}
