package classify

import (
	"strings"
	"testing"

	"github.com/upsynth/upsynth/cparse"
	"github.com/upsynth/upsynth/kernel"
)

// TestPurposeRoundSeven: rules added in issue 17's seventh round, from the
// errors of the samples held back in the sixth (the s9 samples, tuning
// samples since).
func TestPurposeRoundSeven(t *testing.T) {
	cfg, _ := kernel.Parse("upsynth.yaml", nil)
	cases := []purposeCase{
		// Normalizing and line endings are cleanups; "introduced" in the
		// same subject says where the mess came from.
		{"Normalize files with mixed line endings (introduced in commit 3a413d1)", Cleanup, "normalize"},
		{"convert CRLF line-endings in the ports", Cleanup, "crlf"},
		// A check added is a check added, whatever adjective it carries.
		{"add extra check for compiler time (#499)", Fix, "add extra check"},
		{"Add additional assertions to the queue code", Fix, "add additional assertions"},
		// Combining or coalescing operations batches them.
		{"Combine reads in ext2fs", Perf, "combine reads"},
		{"block: coalesce adjacent requests", Perf, "coalesce"},
		// A performance word that names a kind of thing is no speed-up.
		{"GEN: Added hash functions.", Feature, "added"},
		{"Use a hash table for the page lookup", Perf, "hash"},
		{"x86: Always eliminate prologue for idle_thread()\n\nPreviously we relied on the -O2 optimization flag for this.", Other, "no purpose keyword"},
		// A feature subject over a body giving performance as the aim.
		{"Implement prvYieldCore with macro (#785)\n\n* Implement prvYieldCore with macro for performance and memory", Perf, "for performance"},
		{"Implement prvYieldCore with macro", Feature, "implement"},
		// Shuffling and rearranging are cleanups.
		{"shuffle fs.c in bottom-up order", Cleanup, "shuffle"},
		{"rearrange the scheduler's helpers", Cleanup, "rearrange"},
		// A library's facility taken up is a migration; one mechanism in
		// place of another, with no reason given, a cleanup.
		{"USB: Use libarch DMA structs in API", Cleanup, "libarch"},
		{"rtdl: Use FD instead of lane from OPEN", Cleanup, "instead of"},
		{"use CNT_CT instead of CNTFRQ\n\nCNTFRQ gave the wrong frequency.", Fix, "wrong"},
	}
	expectPurposes(t, cfg, cases)
}

// TestUseWhileRemoving: "use X" over a diff that only removes code drops
// one's own copy of X (headers replaced by a generated default).
func TestUseWhileRemoving(t *testing.T) {
	cfg, _ := kernel.Parse("upsynth.yaml", nil)
	old := &Version{Summary: &cparse.Summary{Lang: cparse.LangC, TokenHash: "a",
		Macros: []cparse.Macro{{Name: "TIMER_IRQ", ValueHash: "1"}}}}
	files := []File{{Path: "include/plat/x/timer.h", Old: old}}
	if got, why := purposeByRules(cfg, "1", "apq8064: use declare_default_headers", files); got != Cleanup || !strings.Contains(why, "only removes") {
		t.Errorf("got %s (%s), want cleanup (only removes code)", got, why)
	}
	// Without the diff, nothing tells.
	if got, _ := purposeByRules(cfg, "1", "apq8064: use declare_default_headers", nil); got != Other {
		t.Errorf("without a diff: %s, want other", got)
	}
}

// TestTestProgramsAreTests: a commit touching only a program named as a
// test (xv6's usertests.c) adds tests, a cleanup, though no test
// directory holds it; "latest.c" or "contest.c" is not one.
func TestTestProgramsAreTests(t *testing.T) {
	cfg, _ := kernel.Parse("upsynth.yaml", nil)
	v := func(n int) *Version {
		return &Version{Summary: &cparse.Summary{Lang: cparse.LangC, TokenHash: strings.Repeat("x", n)}}
	}
	for _, p := range []string{"usertests.c", "src/test_queue.c", "lib/list-test.cpp"} {
		files := []File{{Path: p, Old: v(1), New: v(2)}}
		if got, why := purposeByRules(cfg, "1", "test concurrent open/unlink of same file", files); got != Cleanup || !strings.Contains(why, "tests") {
			t.Errorf("%s: %s (%s), want cleanup (only tests)", p, got, why)
		}
	}
	for _, p := range []string{"latest.c", "contest.c", "attest.h"} {
		if isTestProgram(p) {
			t.Errorf("%s taken for a test program", p)
		}
	}
}

// TestReplacementOverSmallBodyChange: "use X instead of Y" is a cleanup
// when the diff re-declares things, and is left to the body rule when it
// only touches the code of a few functions.
func TestReplacementOverSmallBodyChange(t *testing.T) {
	cfg, _ := kernel.Parse("upsynth.yaml", nil)
	fn := func(body string) *Version {
		return &Version{Summary: &cparse.Summary{Lang: cparse.LangC, TokenHash: body,
			Functions: []cparse.Function{{Name: "timer_init", Signature: "void (void)", Definition: true, BodyHash: body}}}}
	}
	files := []File{{Path: "src/timer.c", Old: fn("1"), New: fn("2"), DeriveChanges: true}}
	// The body rule decides; its verdict, a fix, is weak, and the words of
	// this subject alone overrule it (TestWeakDiffRuleOverruledByWords).
	if got, why := purposeByRules(cfg, "1", "gic_v3: use CNT_CT instead of CNTFRQ", files); !strings.Contains(why, "only changes the body") || got != Fix && !strings.Contains(why, "but the words say") {
		t.Errorf("body-only: %s (%s), want the body rule's verdict", got, why)
	}
	if got, why := purposeByRules(cfg, "1", "gic_v3: use CNT_CT instead of CNTFRQ", nil); got != Cleanup {
		t.Errorf("no diff: %s (%s), want cleanup", got, why)
	}
}
