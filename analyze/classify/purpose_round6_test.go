package classify

import (
	"strings"
	"testing"

	"github.com/upsynth/upsynth/cparse"
	"github.com/upsynth/upsynth/kernel"
)

// TestPurposeRoundSix: rules added in issue 17's sixth round, from the
// errors of the samples held back in the fifth (the s8 samples, tuning
// samples since).
func TestPurposeRoundSix(t *testing.T) {
	cfg, _ := kernel.Parse("upsynth.yaml", nil)
	cases := []purposeCase{
		// A C++ null pointer is spelled nullptr; dereferencing it is a
		// bug whatever verb removes it.
		{"x86: Removed Refptr nullptr dereference.", Fix, "nullptr dereference"},
		{"fs: avoid a null pointer dereference in lookup", Fix, "null pointer dereference"},
		// A subject that starts by checking a condition adds a check.
		{"Check if CPU is online before creating objects on it.", Fix, "check if"},
		{"vfs: check whether the inode is a directory", Fix, "check whether"},
		{"Checked that the buffer is large enough", Fix, "checked that"},
		// Standardizing and modernizing are cleanups, and a lock guard is
		// a class, not a guard added.
		{"standardize various * conventions", Cleanup, "standardize"},
		{"x86: Modernized lock guard.", Cleanup, "modernized"},
		{"Modernize the scheduler to fix a race", Fix, "fix"},
		{"Refactor the allocator; it leaked on the error path", Fix, "leak"},
		{"guard against a zero divisor", Fix, "guard"},
	}
	expectPurposes(t, cfg, cases)
}

// TestTestSuitesAreTests: a commit touching only a test suite's files
// ("testsuites/kernel-bench/src/main.cpp") is a cleanup, whatever its
// subject says it added, as one touching only tests/ is.
func TestTestSuitesAreTests(t *testing.T) {
	cfg, _ := kernel.Parse("upsynth.yaml", nil)
	v := func(n int) *Version {
		return &Version{Summary: &cparse.Summary{Lang: cparse.LangCPP, TokenHash: strings.Repeat("x", n)}}
	}
	for _, p := range []string{"testsuites/kernel-bench/src/main.cpp", "lib/testsuite/run.c", "tests/a.c"} {
		files := []File{{Path: p, Old: v(1), New: v(2)}}
		if got, why := purposeByRules(cfg, "1", "testsuites/kernel-bench: add missing include", files); got != Cleanup || !strings.Contains(why, "tests") {
			t.Errorf("%s: %s (%s), want cleanup (only tests)", p, got, why)
		}
	}
	files := []File{{Path: "kernel/src/main.cpp", Old: v(1), New: v(2)}}
	if got, _ := purposeByRules(cfg, "1", "kernel: add missing include", files); got == Cleanup {
		t.Errorf("kernel code: cleanup, want what the subject says")
	}
}
