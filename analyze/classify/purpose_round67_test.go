package classify

import (
	"strings"
	"testing"

	"github.com/upsynth/upsynth/cparse"
	"github.com/upsynth/upsynth/kernel"
)

// This file holds the purpose rules written from the errors of the s68
// and s69 samples (the sixty-seventh round) on.

// TestPurposeRoundSixtySeven: names for code added, a squashed list's
// fix of the writing, and a test mended with the kernel's comments.
func TestPurposeRoundSixtySeven(t *testing.T) {
	cfg, _ := kernel.Parse("upsynth.yaml", nil)
	expectPurposes(t, cfg, []purposeCase{
		{"Add macro taskTASK_IS_RUNNING_OR_SCHEDULED_TO_YIELD (#780)", Cleanup, "named constant or macro"},
		{"arm: add LD_EX, ST_EX, OP_WIDTH macros for ARM", Cleanup, "named constant or macro"},
		// A list of words is no list of names.
		{"Add trace hook macros for most ports", Feature, "add"},
		// The writing mended is no fix: with no diff, nothing tells.
		{"vTaskDelayUntil improvement (#77)\n\n* vTaskDelayUntil improvement\n\n* doc small fix\n\n* small formatting stuff", Other, "no purpose keyword"},
		{"Fix the scheduler\n\n* doc small fix\n\n* fix lost wakeup", Fix, "fix"},
	})
	// usertests mended; entry.S, proc.c and vm.c touched in comments.
	same := func(path string) File {
		if kernel.KindOf(path) == kernel.KindAsm {
			v := &Version{Summary: &cparse.Summary{Lang: cparse.LangAsm, TokenHash: "asm"}}
			return File{Path: path, Old: v, New: v}
		}
		return fileOf(path, moduleOf("1"), moduleOf("1"))
	}
	files := []File{same("entry.S"), same("proc.c"), same("vm.c"), bodyChanged("usertests.c", "bigargtest")[0]}
	const msg = "fix usertests to correctly test what happens when you call\nexec() with arguments that don't fit on a single page."
	if got, why := purposeByRules(cfg, "1", msg, files); got != Cleanup || !strings.Contains(why, "only tests changed") {
		t.Errorf("a test mended, the kernel's comments touched: %s (%s), want cleanup", got, why)
	}
	// The kernel's code changed too: the fix stands.
	files[1] = bodyChanged("proc.c", "allocproc")[0]
	if got, why := purposeByRules(cfg, "1", msg, files); got != Fix {
		t.Errorf("a test and the kernel's code mended: %s (%s), want fix", got, why)
	}
}
