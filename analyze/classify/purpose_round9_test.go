package classify

import (
	"strings"
	"testing"

	"github.com/upsynth/upsynth/cparse"
	"github.com/upsynth/upsynth/kernel"
)

// TestPurposeRoundNine: rules added in issue 17's ninth round, from the
// errors of the samples held back in the eighth (the s11 samples, tuning
// samples since), read from the message alone.
func TestPurposeRoundNine(t *testing.T) {
	cfg, _ := kernel.Parse("upsynth.yaml", nil)
	cases := []purposeCase{
		// A write that could pass its buffer's end, bounded.
		{"Replace sprintf with snprintf (#802)", Fix, "replaces sprintf with snprintf"},
		{"lib: use strlcpy instead of strcpy", Fix, "replaces strcpy with strlcpy"},
		{"riscv: Use strnlen over strlen", Cleanup, "over"},
		// Handling extended to more cases is new behaviour; "handle X"
		// alone still mends X.
		{"thor: Handle more faults and log error codes", Feature, "handle more"},
		{"thor: Handle page faults in the kernel", Fix, "handle"},
		{"RISC-V: handle all faults", Fix, "handle"},
		// Integrating one thing into another is a feature.
		{"thor: Integrate Intel PMCs into profiling", Feature, "integrate"},
		// A cache's control bits, attributes or maintenance are no
		// speed-up.
		{"x86: Make cache control bits host-owned.", Other, "no purpose keyword"},
		{"arm: set the cache attributes of device memory", Other, "no purpose keyword"},
		{"x86: cache the TSC frequency", Perf, "cache"},
		// Reworking is a refactoring.
		{"Reworked setup of boot page tables.", Cleanup, "reworked"},
		// "rm" is remove.
		{"arm_hyp: rm ARM_HYP ifdefs; func inline assembly", Cleanup, "rm"},
		// Logging, with an adverb before the verb, is a feature.
		{"boot: verbosely log boot errors", Feature, "verbosely log"},
		{"boot: log boot errors", Feature, "log"},
		// A cleanup subject over a body saying what it also mends.
		{"thor: Minor renaming of CowChain members\n\nAlso fixes a potential locking issue.", Fix, "also fixes a potential locking issue"},
		{"thor: Minor renaming of CowChain members", Cleanup, "renaming"},
		{"Add .syntax unified\n\nThis fixes the compilation issue with XC32 compiler.", Fix, "this fixes the compilation issue"},
		// A request closed on the tracker is no bug mended.
		{"Manual: Document ARM Virtualisation\n\nThis resolves issue #1083.", Cleanup, "manual"},
	}
	expectPurposes(t, cfg, cases)
}

// TestNewFilesOnly: a diff that only adds files with entities, touching no
// source that existed, is a feature when the message does not say what it
// is ("x64: Mode specific smp file"), and a cleanup word in the subject
// gives way to it ("ARM: Unified MTD class." moving a header unchanged and
// adding the ARM part). A subject that starts a repository ("Initial
// kernel") is an import, and a new file beside an edited one is left to
// the other rules.
func TestNewFilesOnly(t *testing.T) {
	cfg, _ := kernel.Parse("upsynth.yaml", nil)
	header := &Version{Summary: &cparse.Summary{Lang: cparse.LangC, Header: true, TokenHash: "h",
		Types:     []cparse.Type{{Kind: cparse.KindStruct, Name: "nodeInfo"}},
		Functions: []cparse.Function{{Name: "getCurrentCPUIndex", Signature: "cpu_id_t (void)", Definition: true, Static: true, BodyHash: "b"}}}}
	newFile := []File{{Path: "include/arch/x86/arch/64/mode/model/smp.h", New: header, DeriveChanges: true}}
	cases := []purposeCase{
		{"x64: Mode specific smp file", Feature, "only adds new files"},
		{"ARM: Unified MTD class.", Feature, "only adds new files"},
		{"Initial kernel", Other, "no purpose keyword"},
	}
	for _, c := range cases {
		if got, why := purposeByRules(cfg, "1", c.msg, newFile); got != c.want || !strings.Contains(why, c.why) {
			t.Errorf("purposeByRules(%q) over a new file = %s (%s), want %s (%s)", c.msg, got, why, c.want, c.why)
		}
	}
	fn := func(body string) *Version {
		return &Version{Summary: &cparse.Summary{Lang: cparse.LangC, TokenHash: body,
			Functions: []cparse.Function{{Name: "init_cpu", Signature: "void (void)", Definition: true, BodyHash: body}}}}
	}
	withEdit := append([]File{{Path: "src/smp.c", Old: fn("1"), New: fn("2"), DeriveChanges: true}}, newFile...)
	if got, why := purposeByRules(cfg, "1", "ARM: Unified MTD class.", withEdit); got != Cleanup {
		t.Errorf("unified, with an existing file edited: %s (%s), want cleanup", got, why)
	}
	// Assembly files deleted beside the new file: something that existed
	// was replaced.
	asm := &Version{Summary: &cparse.Summary{Lang: cparse.LangAsm, Engine: cparse.EngineAsm, TokenHash: "a"}}
	withAsm := append([]File{{Path: "src/arch/x86/halt.S", Old: asm}}, newFile...)
	if got, why := purposeByRules(cfg, "1", "x86: replace idle/halt[.S] with idle.c", withAsm); strings.Contains(why, "only adds new files") {
		t.Errorf("assembly deleted beside the new file: %s (%s), want no new-files reading", got, why)
	}
}

// TestRenameArrow: a subject that is a rename, "old -> new", over a diff
// that removes the one and adds the other, is a cleanup; the arrow alone,
// the diff saying otherwise, is not read as one.
func TestRenameArrow(t *testing.T) {
	cfg, _ := kernel.Parse("upsynth.yaml", nil)
	global := func(name string) *Version {
		return &Version{Summary: &cparse.Summary{Lang: cparse.LangC, TokenHash: name,
			Globals: []cparse.Global{{Name: name, Type: "pde_t[1024]"}}}}
	}
	renamed := []File{{Path: "main.c", Old: global("enterpgdir"), New: global("entrypgdir"), DeriveChanges: true}}
	if got, why := purposeByRules(cfg, "1", "enterpgdir -> entrypgdir", renamed); got != Cleanup || !strings.Contains(why, "renames enterpgdir to entrypgdir") {
		t.Errorf("rename: %s (%s), want cleanup", got, why)
	}
	other := []File{{Path: "main.c", Old: global("enterpgdir"), New: global("bootpgdir"), DeriveChanges: true}}
	if got, why := purposeByRules(cfg, "1", "enterpgdir -> entrypgdir", other); got == Cleanup {
		t.Errorf("the diff renames something else: %s (%s), want no rename read", got, why)
	}
}
