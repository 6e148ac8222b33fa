package classify

import (
	"fmt"
	"strings"
	"testing"

	"github.com/upsynth/upsynth/cparse"
	"github.com/upsynth/upsynth/kernel"
)

// TestPurposeRoundFour: rules added in issue 17's fourth round, from the
// errors of managarm's tuning sample and the already-studied samples.
func TestPurposeRoundFour(t *testing.T) {
	cfg, _ := kernel.Parse("upsynth.yaml", nil)
	cases := []purposeCase{
		// A GitHub issue the commit closes, whatever the subject says.
		{"posix: Add FS link to anonymous pipes\n\nFix #101.", Fix, "fix #101"},
		{"vfs: handle long names\n\nFixes managarm/managarm#12", Fix, "fixes managarm/managarm#12"},
		{"vfs: long names (#12)", Other, "no purpose keyword"}, // a pull request number is no bug report
		// Removing a workaround tidies, even when it names a bug.
		{"eir/raspi4: remove workaround for QEMU bug", Cleanup, "workaround"},
		{"x86: drop the APIC timer hack", Cleanup, "hack"},
		{"Fix the workaround for the erratum", Fix, "fix"},
		// Moving off an API, converting code to a library.
		{"protocols/fs: Avoid usage of cancelable_result", Cleanup, "avoid usage of"},
		{"thor: Convert HPET code to libarch", Cleanup, "convert"},
		{"Migrate the timers to the new clock API", Cleanup, "migrate"},
		// Adding annotations is no feature.
		{"boot: add UNREACHABLE statements", Cleanup, "add unreachable statements"},
		{"Add const qualifiers to the getters", Cleanup, "qualifiers"},
		{"Add a statement of work", Feature, "add"},
		// "Use X" alone says nothing; its diff may (TestUseBringsCode).
		{"Use per-cpu tables", Other, "no purpose keyword"},
		{"Use a lock to fix the race", Fix, "fix"},
	}
	expectPurposes(t, cfg, cases)
}

// TestLockCalls: a lock call is one whose name has a word of locking, not
// one that merely contains "lock" ("blockCurrent", "clock_gettime").
func TestLockCalls(t *testing.T) {
	cases := map[string]bool{
		"acquire": true, "release": true, "spin_lock_irqsave": true, "mutex_lock": true,
		"irqMutex": true, "frigg::guard": false, "taskENTER_CRITICAL": true, "vTaskSuspendAll": true,
		"xTaskResumeAll": true, "xSemaphoreTake": true, "lapic_disableintr": true, "pushcli": true,
		"Lock_guard": true, "spinlock_acquire": true, "portDISABLE_INTERRUPTS": true,
		"Thread::blockCurrent": false, "clock_gettime": false, "blocked": false, "unblock": false,
		"brelse": false, "bread": false, "Scheduler::resume": false,
	}
	for name, want := range cases {
		if got := lockCallRe.MatchString(identifierWords(name)); got != want {
			t.Errorf("lock call %q (%s): %v, want %v", name, identifierWords(name), got, want)
		}
	}
	if got := identifierWords("Thread::blockCurrent"); got != "thread_block_current" {
		t.Errorf("identifierWords: %q", got)
	}
}

// TestRenamedAsmFile: an assembly file renamed with the same bytes changes
// nothing, although without global symbols its changes would be the file
// itself; a commit of such renames and build files changes nothing
// compiled.
func TestRenamedAsmFile(t *testing.T) {
	cfg, _ := kernel.Parse("upsynth.yaml", nil)
	asm := &cparse.Summary{Lang: cparse.LangAsm, Engine: cparse.EngineAsm, TokenHash: "t"}
	files := []File{
		{Path: "ld-init/src/linker/runtime.s", Old: &Version{Blob: "b1", Summary: asm}},
		{Path: "ld-init/linker/src/runtime.s", New: &Version{Blob: "b1", Summary: asm}},
		{Path: "ld-init/makefile", Old: &Version{Blob: "m1"}},
		{Path: "ld-init/linker/dir.makefile", New: &Version{Blob: "m2"}},
	}
	if r := Commit(cfg, files, facts{}); len(r.Changes) != 0 {
		t.Errorf("renamed assembly file: %+v", r.Changes)
	}
	if got, why := purposeByRules(cfg, "1", "Use non-recursive make", files); got != Cleanup || !strings.Contains(why, "nothing compiled") {
		t.Errorf("renames and build files: %s (%s), want cleanup (nothing compiled)", got, why)
	}
	files[1].New = &Version{Blob: "b2", Summary: &cparse.Summary{Lang: cparse.LangAsm, Engine: cparse.EngineAsm, TokenHash: "u"}}
	if r := Commit(cfg, files, facts{}); len(r.Changes) != 2 {
		t.Errorf("renamed and edited assembly file: %+v, want the old file removed and the new one added", r.Changes)
	}
}

// TestUseBringsCode: "Use X" with new code in the diff is a feature.
func TestUseBringsCode(t *testing.T) {
	cfg, _ := kernel.Parse("upsynth.yaml", nil)
	v := func(fns ...cparse.Function) *Version {
		return &Version{Summary: &cparse.Summary{Lang: cparse.LangCPP, Functions: fns, TokenHash: fmt.Sprint(len(fns))}}
	}
	f := cparse.Function{Name: "thor::localScheduler", Signature: "Scheduler * ()", BodyHash: "1", Definition: true}
	g := cparse.Function{Name: "thor::Scheduler::reschedule", Signature: "void ()", BodyHash: "2", Definition: true}
	g2 := g
	g2.BodyHash = "3"
	files := []File{{Path: "thor/schedule.cpp", Old: v(g), New: v(g2, f), Changes: []cparse.Change{
		{Entity: cparse.EntityFunction, Name: g.Name, Change: cparse.ChangeBody},
		{Entity: cparse.EntityFunction, Name: f.Name, Change: cparse.ChangeAdded},
	}}}
	if got, why := purposeByRules(cfg, "1", "thor: Use per-cpu scheduler", files); got != Feature || !strings.Contains(why, "adds thor::localScheduler") {
		t.Errorf("use with new code: %s (%s), want feature", got, why)
	}
	if got, why := purposeByRules(cfg, "1", "thor: Use per-cpu scheduler", files[:0]); got != Other {
		t.Errorf("use, diff unknown: %s (%s), want other", got, why)
	}
	// In place of another thing, "use" is as often a fix as a cleanup:
	// the rule leaves it to the others.
	if got, why := purposeByRules(cfg, "1", "gic: use CNT_CT instead of CNTFRQ", files); strings.Contains(why, "subject says use") {
		t.Errorf("use … instead of: %s (%s), want another rule's verdict", got, why)
	}
}
