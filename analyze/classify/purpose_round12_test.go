package classify

import (
	"strings"
	"testing"

	"github.com/upsynth/upsynth/cparse"
	"github.com/upsynth/upsynth/kernel"
)

// TestPurposeRoundTwelve: rules added in issue 17's twelfth round, from
// the errors of the samples held back in the eleventh (the s14 samples,
// tuning samples since), read from the message alone.
func TestPurposeRoundTwelve(t *testing.T) {
	cfg, _ := kernel.Parse("upsynth.yaml", nil)
	cases := []purposeCase{
		// MISRA named with its rule set is MISRA: a cosmetic fix.
		{"Fix MISRA_C_2012 rule 17.7 violation (#848)", Cleanup, "misra_c_2012"},
		{"Fix MISRA 2012 rule 11.5 deviations", Cleanup, "misra"},
		// A change whose stated purpose is to simplify tidies, whatever
		// it introduces.
		{"thor: Introduce ThreadBlocker to simplify blocking", Cleanup, "to simplify"},
		{"Add a helper to reduce duplication in the page walkers", Cleanup, "to reduce duplication"},
		// (unless the message says what went wrong, or what it is for is
		// something else.)
		{"Simplify locking to fix a race in the timer list", Fix, "fix"},
		{"Introduce ThreadBlocker to fix lost wakeups", Fix, "fix"},
		{"Introduce ThreadBlocker for futex waits", Feature, "introduce"},
		// Diagnostics that say more are new behaviour.
		{"posix: Some debugging fixes", Feature, "debugging fixes"},
		{"Improved trace message.", Feature, "improved trace message"},
		{"kernel: more verbose debug output on page faults", Feature, "debug output"},
		// (A trace hook reporting a wrong figure is a fix; debug output
		// reformatted is a cleanup.)
		{"Fix traceMALLOC() allocated bytes", Fix, "fix"},
		{"Reformat debug output", Cleanup, "reformat"},
		// C++ friendship narrowed: access tightened, a tidying.
		{"Restrict friendship to template specializations.", Cleanup, "restrict friendship"},
		{"Limit friends of Queue to Ec and Sc", Cleanup, "limit friends"},
	}
	expectPurposes(t, cfg, cases)
}

// TestRenameArrowMerging: "a + b -> c" over a diff that removes a or b and
// adds c merges routines into one, a cleanup; C++ names match by their
// last part (thor::forkAndSchedule).
func TestRenameArrowMerging(t *testing.T) {
	cfg, _ := kernel.Parse("upsynth.yaml", nil)
	fns := func(names ...string) *Version {
		s := &cparse.Summary{Lang: cparse.LangCPP, TokenHash: strings.Join(names, ",")}
		for _, n := range names {
			s.Functions = append(s.Functions, cparse.Function{Name: n, Signature: "void ()", BodyHash: n, Definition: true})
		}
		return &Version{Summary: s}
	}
	merged := []File{{Path: "thor/schedule.cpp", Old: fns("thor::forkExecutor", "thor::doSchedule", "thor::run"), New: fns("thor::forkAndSchedule", "thor::run")}}
	merged[0].Changes = cparse.Diff(merged[0].Old.Summary, merged[0].New.Summary)
	if got, why := purposeByRules(cfg, "1", "forkExecutor + doSchedule -> forkAndSchedule", merged); got != Cleanup || !strings.Contains(why, "renames") {
		t.Errorf("merged: %s (%s), want cleanup", got, why)
	}
	other := []File{{Path: "thor/schedule.cpp", Old: fns("thor::forkExecutor", "thor::run"), New: fns("thor::forkExecutor", "thor::spawn", "thor::run")}}
	other[0].Changes = cparse.Diff(other[0].Old.Summary, other[0].New.Summary)
	if got, why := purposeByRules(cfg, "1", "forkExecutor + doSchedule -> forkAndSchedule", other); got == Cleanup {
		t.Errorf("the diff merges nothing of the subject's: %s (%s), want no rename read", got, why)
	}
}

// TestRenameArrowHelper: "a + b -> c" over a diff that adds c calling a
// and b, which stay (managarm's forkAndSchedule over forkExecutor and
// doSchedule): a helper does what callers did by hand, a cleanup.
func TestRenameArrowHelper(t *testing.T) {
	cfg, _ := kernel.Parse("upsynth.yaml", nil)
	summary := func(fns ...cparse.Function) *Version {
		s := &cparse.Summary{Lang: cparse.LangCPP, TokenHash: ""}
		for _, f := range fns {
			s.TokenHash += f.Name + f.BodyHash
		}
		s.Functions = fns
		return &Version{Summary: s}
	}
	fork := cparse.Function{Name: "thor::forkExecutor", Signature: "bool ()", Definition: true, BodyHash: "f"}
	schedule := cparse.Function{Name: "thor::doSchedule", Signature: "void ()", Definition: true, BodyHash: "s"}
	helper := cparse.Function{Name: "thor::forkAndSchedule", Signature: "void (F)", Definition: true, BodyHash: "h", Calls: []string{"forkExecutor", "doSchedule"}}
	lone := cparse.Function{Name: "thor::forkAndSchedule", Signature: "void (F)", Definition: true, BodyHash: "h", Calls: []string{"spawn"}}
	for _, c := range []struct {
		added cparse.Function
		want  bool
	}{{helper, true}, {lone, false}} {
		files := []File{{Path: "thor/schedule.hpp", Old: summary(fork, schedule), New: summary(fork, schedule, c.added)}}
		files[0].Changes = cparse.Diff(files[0].Old.Summary, files[0].New.Summary)
		got, why := purposeByRules(cfg, "1", "forkExecutor + doSchedule -> forkAndSchedule", files)
		if (got == Cleanup) != c.want {
			t.Errorf("helper calling %q: %s (%s), want cleanup %t", c.added.Calls, got, why, c.want)
		}
	}
}
