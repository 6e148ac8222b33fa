package synth

import (
	"go/format"
	"strings"
	"testing"
)

// TestGeneratedIsGofmtClean: every generated Go file is already formatted.
func TestGeneratedIsGofmtClean(t *testing.T) {
	files, err := Generate(richPlan(t))
	if err != nil {
		t.Fatal(err)
	}
	for name, b := range files {
		if !strings.HasSuffix(name, ".go") {
			continue
		}
		f, err := format.Source(b)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if string(f) != string(b) {
			t.Errorf("%s is not gofmt-clean", name)
		}
	}
}
