package classify

import (
	"strings"
	"testing"

	"github.com/upsynth/upsynth/cparse"
	"github.com/upsynth/upsynth/kernel"
)

// TestPurposeRoundFourteen: rules added in issue 17's fourteenth round,
// from the errors of the samples held back in the thirteenth (the s16
// samples, tuning samples since), read from the message alone.
func TestPurposeRoundFourteen(t *testing.T) {
	cfg, _ := kernel.Parse("upsynth.yaml", nil)
	cases := []struct {
		msg  string
		want Purpose
		why  string
	}{
		// Letter case is cosmetic.
		{"Correct ARM port folder capitalization (#981)", Cleanup, "capitalization"},
		// A revert written by hand is an undoing, as git's reverts are;
		// reverting a tidying is read as one.
		{"Revert pthread_attr_setstacksize", Other, "revert written by hand"},
		{"Revert formatting on Tasking ports (#887)", Cleanup, "formatting"},
		{"Revert the broken lock change", Fix, "broken"},
		// A first implementation of something named is new.
		{"Initial mbus implementation", Feature, "first implementation"},
		{"Initial import", Other, "initial import"},
		{"Initial fix for the timer", Fix, "fix"},
		// Honouring what was ignored mends it.
		{"Honor EPT access permissions in vTLB.", Fix, "honor"},
		{"x86: Respect the guest's CR0.WP", Fix, "respect"},
		// A print removed is diagnostics dropped, whatever was wrong
		// with it.
		{"riscv: Remove incorrectly formatted printf", Cleanup, "diagnostics dropped"},
		{"Remove debug output from the scheduler", Cleanup, "diagnostics dropped"},
		{"Remove all printf() statements from the demo as they prevent the code running without a debugger", Fix, "prevent"},
		// A cast added makes a conversion explicit (MISRA's are
		// cleanups).
		{"Add cast in stack allocation for task creation (#1340)", Fix, "cast"},
		{"Add casts for MISRA rule 10.3", Cleanup, "misra"},
		// A development checkpoint is work on something new.
		{"checkpoint. booting second processor.  stack is messed up", Feature, "checkpoint"},
		// Saying what the code means is a tidying.
		{"be clear what the root i-number is", Cleanup, "be clear"},
		// Restructuring verbs read like a move: a cleanup unless the
		// subject says something went wrong (from seL4's whole history,
		// where the last rule read them as features).
		{"Split fault types into arch/generic", Cleanup, "split"},
		{"Merge exynos debug serial drivers", Cleanup, "merge"},
		{"SELFOUR-557: s/isIOSpaceFrame/isIOSpaceFrameCap/", Cleanup, "s/isiospaceframe/isiospaceframecap/"},
		{"separate atomic test-and-set from memory barrier", Fix, "barrier"},
		{"thor: Split the page lock to fix a race", Fix, "fix"},
		{"Merged the dev branch", Feature, "development branch"},
		// Something that now works did not before.
		{"Small change to support RWMUL and WRMUL.  Now xv6 truly works with a block size", Fix, "now xv6 truly works"},
	}
	for _, c := range cases {
		got, why := PurposeOf(cfg, "1", c.msg, nil)
		if got != c.want || !strings.Contains(strings.ToLower(why), c.why) {
			t.Errorf("PurposeOf(%q) = %s (%s), want %s (%s)", c.msg, got, why, c.want, c.why)
		}
	}
}

// TestNewFunctionsAmongOtherEdits: a message that names no purpose over a
// diff that adds functions beside other edits is a feature; an import says
// so in its subject, and a diff that adds no function tells nothing.
func TestNewFunctionsAmongOtherEdits(t *testing.T) {
	cfg, _ := kernel.Parse("upsynth.yaml", nil)
	fn := func(name, body string) cparse.Function {
		return cparse.Function{Name: name, Signature: "void (void)", Definition: true, BodyHash: body}
	}
	summary := func(fns ...cparse.Function) *Version {
		return &Version{Summary: &cparse.Summary{Lang: cparse.LangC, TokenHash: bodiesOf(fns), Functions: fns}}
	}
	file := func(old, new *Version) []File {
		f := File{Path: "kernel/entry.c", Old: old, New: new}
		f.Changes = cparse.Diff(old.Summary, new.Summary)
		return []File{f}
	}
	more := file(summary(fn("start", "1"), fn("old", "9")), summary(fn("start", "2"), fn("parse_args", "3"), fn("parse_env", "4")))
	if got, why := PurposeOf(cfg, "1", "rtdl/posix: Expect args and environment on stack", more); got != Feature || !strings.Contains(why, "parse_args, parse_env among other changes") {
		t.Errorf("two added, one removed: %s (%s), want feature", got, why)
	}
	none := file(summary(fn("start", "1"), fn("old", "9")), summary(fn("start", "2")))
	if got, why := PurposeOf(cfg, "1", "rtdl/posix: Expect args on stack", none); got != Other {
		t.Errorf("nothing added: %s (%s), want other", got, why)
	}
	if got, why := PurposeOf(cfg, "1", "Initial kernel", more); got != Other {
		t.Errorf("an import: %s (%s), want other", got, why)
	}
}

// bodiesOf gives a summary's token hash from its functions' bodies.
func bodiesOf(fns []cparse.Function) string {
	var b strings.Builder
	for _, f := range fns {
		b.WriteString(f.Name + f.BodyHash)
	}
	return b.String()
}

// TestPrototypeStillDeclared: a prototype dropped from one header while
// another header of the commit declared it before and still does changes
// no entity; moved to a header that did not have it, it is moved.
func TestPrototypeStillDeclared(t *testing.T) {
	proto := cparse.Function{Name: "c_handle_syscall", Signature: "void (word_t)"}
	other := cparse.Function{Name: "c_handle_interrupt", Signature: "void (void)"}
	header := func(hash string, fns ...cparse.Function) *Version {
		return &Version{Summary: &cparse.Summary{Lang: cparse.LangC, Header: true, TokenHash: hash, Functions: fns}}
	}
	file := func(path string, old, new *Version) File {
		return File{Path: path, Old: old, New: new, Changes: cparse.Diff(old.Summary, new.Summary)}
	}
	kept := []File{
		file("include/kernel/traps.h", header("1", proto), header("2")),
		file("include/arch/arm/arch/kernel/traps.h", header("3", proto), header("4", proto, other)),
	}
	got := MatchMoves(kept)
	if len(got[0].Changes) != 0 {
		t.Errorf("still declared in the arch header: changes %v, want none", got[0].Changes)
	}
	if len(got[1].Changes) != 1 || got[1].Changes[0].Name != "c_handle_interrupt" {
		t.Errorf("arch header: changes %v, want c_handle_interrupt added", got[1].Changes)
	}
	if len(kept[0].Changes) != 1 {
		t.Errorf("the caller's list was written into: %v", kept[0].Changes)
	}
	moved := []File{
		file("include/kernel/traps.h", header("1", proto), header("2")),
		file("include/arch/arm/arch/kernel/traps.h", header("3"), header("4", proto)),
	}
	got = MatchMoves(moved)
	if len(got[1].Changes) != 1 || got[1].Changes[0].Change != cparse.ChangeMoved {
		t.Errorf("moved to a header that lacked it: %v, want moved", got[1].Changes)
	}
}
