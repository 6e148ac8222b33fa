package classify

import (
	"strings"
	"testing"

	"github.com/upsynth/upsynth/cparse"
	"github.com/upsynth/upsynth/kernel"
)

// TestPurposeRoundEight: rules added in issue 17's eighth round, from the
// errors of the samples held back in the seventh (the s10 samples, tuning
// samples since).
func TestPurposeRoundEight(t *testing.T) {
	cfg, _ := kernel.Parse("upsynth.yaml", nil)
	cases := []purposeCase{
		// Less memory is a performance aim, as less time is.
		{"Reduce memory usage of ACL. (#809)", Perf, "reduce memory usage"},
		{"heap: shrink the TCB footprint", Perf, "shrink the tcb footprint"},
		{"x86: Use lower memory region for AP boot code", Other, "no purpose keyword"},
		{"Reduce stack usage to fix an overflow", Fix, "fix"},
		// Documentation added is a cleanup, whatever it documents.
		{"seL4_DebugDumpScheduler: add docs", Cleanup, "add docs"},
		{"Add configCHECK_HANDLER_INSTALLATION description in template file", Cleanup, "description"},
		{"Add support for the HiFive board", Feature, "add"},
		// An attribute marked on a function is an annotation.
		{"x86: Mark idle_thread() as NORETURN", Cleanup, "as noreturn"},
		{"mark the helpers as static inline", Cleanup, "as static"},
		{"mark the page as dirty", Other, "no purpose keyword"},
		// Code extracted or factored out is a refactoring.
		{"core/virtio: Extract to library", Cleanup, "extract to"},
		{"factor the page walk out into a helper", Cleanup, "factor"},
		// Aligning a check or a name with the others is consistency, not
		// memory alignment.
		{"Aligned nullptr check for heap3. (#493)", Cleanup, "aligned nullptr check"},
		{"align the stack to 16 bytes", Other, "no purpose keyword"},
		// Better checking is a correction.
		{"Improved checking of physical memory type.", Fix, "improved checking"},
		{"vspace: stricter validation of the cap rights", Fix, "stricter validation"},
		// A feature subject over a body saying what it mends.
		{"Add .syntax unified to GCC assembly functions (#538)\n\nThis fixes the compilation issue with XC32 compiler.", Fix, "this fixes the compilation issue"},
		{"Add .syntax unified to GCC assembly functions (#538)", Feature, "add"},
	}
	expectPurposes(t, cfg, cases)
}

// TestWeakFixWordOverNewFiles: a weaker fix word naming a mechanism
// ("barriers") over a diff that only adds new files corrects nothing that
// existed: a feature. A file a commit forgot ("missing") or a "don't"
// stays a fix, and the word keeps its meaning over an edit of existing
// code.
func TestWeakFixWordOverNewFiles(t *testing.T) {
	cfg, _ := kernel.Parse("upsynth.yaml", nil)
	added := &Version{Summary: &cparse.Summary{Lang: cparse.LangCPP, TokenHash: "b",
		Types: []cparse.Type{{Kind: cparse.KindClass, Name: "Barrier"}}}}
	newFile := []File{{Path: "inc/aarch64/barrier.hpp", New: added, DeriveChanges: true}}
	if got, why := purposeByRules(cfg, "1", "ARM: Added barriers.", newFile); got != Feature || !strings.Contains(why, "only adds new files") {
		t.Errorf("new file: %s (%s), want feature", got, why)
	}
	if got, why := purposeByRules(cfg, "1", "Add missing barrier header", newFile); got != Fix {
		t.Errorf("missing: %s (%s), want fix", got, why)
	}
	if got, why := purposeByRules(cfg, "1", "imx8mm-evk: Don't use symlink for constants.h", newFile); got != Fix {
		t.Errorf("don't: %s (%s), want fix", got, why)
	}
	fn := func(body string) *Version {
		return &Version{Summary: &cparse.Summary{Lang: cparse.LangC, TokenHash: body,
			Functions: []cparse.Function{{Name: "sched", Signature: "void (void)", Definition: true, BodyHash: body}}}}
	}
	edited := []File{{Path: "src/sched.c", Old: fn("1"), New: fn("2"), DeriveChanges: true}}
	if got, why := purposeByRules(cfg, "1", "ARM: Added barriers.", edited); got != Fix {
		t.Errorf("edited: %s (%s), want fix", got, why)
	}
}

// TestGenericFixesOverCleanupList: "assorted fixes:" whose body lists
// renames, comments and formatting is a cleanup; a list naming a bug is a
// fix, and without a body the subject's word stands.
func TestGenericFixesOverCleanupList(t *testing.T) {
	cfg, _ := kernel.Parse("upsynth.yaml", nil)
	cases := []struct {
		msg  string
		want Purpose
	}{
		{"assorted fixes:\n * rename c/cp to cpu/proc\n * rename cpu.context to cpu.scheduler\n * fix some comments\n * formatting for printout", Cleanup},
		{"assorted fixes:\n * rename c/cp to cpu/proc\n * fix a race in wakeup", Fix},
		{"assorted fixes:\n * rename c/cp to cpu/proc\n * fix the pipe reader", Fix},
		{"assorted fixes", Fix},
	}
	for _, c := range cases {
		if got, why := purposeByRules(cfg, "1", c.msg, nil); got != c.want {
			t.Errorf("purposeByRules(%q) = %s (%s), want %s", c.msg, got, why, c.want)
		}
	}
}
