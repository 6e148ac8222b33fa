package classify

import (
	"strings"
	"testing"

	"github.com/upsynth/upsynth/cparse"
	"github.com/upsynth/upsynth/kernel"
)

// TestPurposeRoundThirteen: rules added in issue 17's thirteenth round,
// from the errors of the samples held back in the twelfth (the s15
// samples, tuning samples since), read from the message alone.
func TestPurposeRoundThirteen(t *testing.T) {
	cfg, _ := kernel.Parse("upsynth.yaml", nil)
	cases := []purposeCase{
		// Error messages that say more are diagnostics too.
		{"Improved error messages.", Feature, "improved error messages"},
		{"Fix error message for a missing CMake keyword", Fix, "fix"},
		// A configuration or build option added is a choice users did
		// not have, whatever it selects.
		{"x86: Config option for branch prediction barrier on context switch", Feature, "config option"},
		{"Add a build option to disable SMP", Feature, "build option"},
		{"Fix config option CONFIG_SMP being ignored", Fix, "fix"},
		// One mechanism replaced with another is a tidying, unless the
		// message says what went wrong or what is gained.
		{"Replace OpenClosure with chains", Cleanup, "replace openclosure with"},
		{"thor: Replace the spinlock with a ticket lock to fix starvation", Fix, "fix"},
		{"Replace linear search with a hash table", Perf, "hash"},
		{"Replace sprintf with snprintf", Fix, "bounded"},
		// A declaration added alone tells the compiler of what exists.
		{"add struct stat decl", Cleanup, "decl"},
		{"Add prototype for vPortSetupTimerInterrupt", Cleanup, "prototype"},
		{"Add missing prototype for vPortSetupTimerInterrupt", Fix, "missing"},
	}
	expectPurposes(t, cfg, cases)
}

// TestRenameArrowToExisting: "p2v -> P2V" over a diff that removes p2v
// while P2V, already defined, stays: the functions dropped for the macros
// that did the same, a cleanup.
func TestRenameArrowToExisting(t *testing.T) {
	cfg, _ := kernel.Parse("upsynth.yaml", nil)
	old := &cparse.Summary{Lang: cparse.LangC, TokenHash: "old",
		Functions: []cparse.Function{{Name: "p2v", Signature: "void *(uint)", Definition: true, BodyHash: "a"}},
		Macros:    []cparse.Macro{{Name: "P2V", FunctionLike: true, Params: []string{"a"}, ValueHash: "m"}}}
	new := &cparse.Summary{Lang: cparse.LangC, TokenHash: "new",
		Macros: []cparse.Macro{{Name: "P2V", FunctionLike: true, Params: []string{"a"}, ValueHash: "m"}}}
	files := []File{{Path: "memlayout.h", Old: &Version{Summary: old}, New: &Version{Summary: new}}}
	files[0].Changes = cparse.Diff(old, new)
	if got, why := purposeByRules(cfg, "1", "p2v -> P2V", files); got != Cleanup || !strings.Contains(why, "renames") {
		t.Errorf("p2v -> P2V: %s (%s), want cleanup", got, why)
	}
	gone := &cparse.Summary{Lang: cparse.LangC, TokenHash: "gone"}
	files = []File{{Path: "memlayout.h", Old: &Version{Summary: old}, New: &Version{Summary: gone}}}
	files[0].Changes = cparse.Diff(old, gone)
	if got, why := purposeByRules(cfg, "1", "p2v -> P2V", files); strings.Contains(why, "renames") {
		t.Errorf("P2V gone too: %s (%s), want no rename read", got, why)
	}
}
