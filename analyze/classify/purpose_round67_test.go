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

// TestPurposeRoundSixtyNine: rules from the errors of the s70 and s71
// samples (the sixty-ninth round): a revert that says why, an attribute
// named "execute never", cache management, a type turned into another.
func TestPurposeRoundSixtyNine(t *testing.T) {
	cfg, _ := kernel.Parse("upsynth.yaml", nil)
	expectPurposes(t, cfg, []purposeCase{
		{"FreeRTOS MPU: Add Privileged eXecute Never MPU attribute support (#1092)", Feature, "add"},
		{"Never call the hook from an ISR", Fix, "never"},
		{"SELFOUR-634: support for TLB and cache management", Feature, "support"},
		{"thor: Turn Error into an enum class", Cleanup, "turn error into"},
		{"Revert \"Introduce and use sleeplocks instead of BUSY flags\"\nMy changes have a race with re-used bufs and the code doesn't seem to get shorter\n\nThis reverts commit 3a5fa7ed9020eaf8ab843a16d26db7393b2ec072.\n\nConflicts:\n\n\tdefs.h\n\tfile.c\n", Fix, "it says why: race"},
		// git's own lines and the sign-offs say no reason.
		{"Revert \"Cache FPU enable state on all platforms\"\n\nThis reverts commit 186180cf309b365b45c162f7a1f5931f0fc05d7c.\n\nSigned-off-by: A Developer <a@example.org>\n", Other, "a revert"},
	})
	// A reason for undoing comments, the diff changing only comments.
	const msg = "Revert the change introduced in PR #1051 (#1056)\n\nAs pointed out by Jeff Tenney, the comment introduced in the PR is not\naccurate.\n\nSigned-off-by: A Developer <a@example.org>"
	comments := []File{fileOf("tasks.c", moduleOf("1"), moduleOf("1"))}
	if got, why := purposeByRules(cfg, "1", msg, comments); got != Cleanup || !strings.Contains(why, "it says why") {
		t.Errorf("a revert of comments that says why: %s (%s), want cleanup", got, why)
	}
	if got, why := purposeByRules(cfg, "1", msg, bodyChanged("tasks.c", "vTaskDelete")); got != Other {
		t.Errorf("a revert of code whose reason names no fault: %s (%s), want other", got, why)
	}
}

// TestPurposeRoundSeventyOne: rules from the errors of the s72 and s73
// samples (the seventy-first round).
func TestPurposeRoundSeventyOne(t *testing.T) {
	cfg, _ := kernel.Parse("upsynth.yaml", nil)
	expectPurposes(t, cfg, []purposeCase{
		{"thor: Map pages eagerly in touchVirtualPage()", Perf, "map pages eagerly"},
		{"Eagerly map pages from CowMapping root view", Perf, "eagerly map"},
		// What went wrong is read before how pages are mapped.
		{"Map pages eagerly to fix a lost fault", Fix, "fix"},
	})
}

// TestPurposeRoundSeventyThree: rules from the errors of the s74 and s75
// samples (the seventy-third round): a later clause that mends or adds
// after a tidying, support a tracker issue asked for, a capability given
// back.
func TestPurposeRoundSeventyThree(t *testing.T) {
	cfg, _ := kernel.Parse("upsynth.yaml", nil)
	expectPurposes(t, cfg, []purposeCase{
		{"thor/arm: clean up and refactor GIC a bit, correctly detect iface numbers", Fix, "correctly detect"},
		{"thor/arm: clean up and refactor GIC a bit", Cleanup, "clean up"},
		{"Move keyboard code into kbd.c; add backspace handling.", Feature, "add"},
		{"Move keyboard code into kbd.c", Cleanup, "move"},
		{"posix: Add basic support for inotify on tmpfs\n\nFix #16", Feature, "what the issue it closes asked for"},
		{"posix: Add FS link to anonymous pipes\n\nFixes #12", Fix, "closes a bug report"},
		{"allow long names again", Fix, "allow long names again"},
		{"Fit exec on a page.  Again", Cleanup, ""},
	})
}

// TestPurposeRoundSeventyFive: rules from the errors of the s76 and s77
// samples (the seventy-fifth round).
func TestPurposeRoundSeventyFive(t *testing.T) {
	cfg, _ := kernel.Parse("upsynth.yaml", nil)
	expectPurposes(t, cfg, []purposeCase{
		{"Update kernel version v11.1.0+ in tasks.h (#1043)", Other, "update kernel version"},
		{"risc-v: use word_t type for register variables", Cleanup, "use word_t type for"},
		{"posix: Add --debug to udevd to debug hangs", Feature, "add"},
		{"posix: Fix hangs in udevd", Fix, "fix"},
		{"posix: traverse multiple links on the same mountpoint in one request", Perf, "in one request"},
	})
}

// TestPurposeRoundSeventySeven: rules from the errors of the s78 and s79
// samples (the seventy-seventh round).
func TestPurposeRoundSeventySeven(t *testing.T) {
	cfg, _ := kernel.Parse("upsynth.yaml", nil)
	expectPurposes(t, cfg, []purposeCase{
		{"Implemented signal fastpath on AARCH64 (#793)", Perf, "implemented signal fastpath"},
		{"ia32: fix duplicate update of NextIP on fastpath", Fix, "fix"},
		{"Added better pointer declaration readability (#567)", Cleanup, "better pointer declaration readability"},
	})
}

// TestPurposeRoundSeventyNine: rules from the errors of the s80 to s83
// samples (the seventy-ninth round): interfaces and mechanisms taken up,
// data protected against interrupts, code hidden behind preprocessor
// guards, constness and inlining said in the subject.
func TestPurposeRoundSeventyNine(t *testing.T) {
	cfg, _ := kernel.Parse("upsynth.yaml", nil)
	expectPurposes(t, cfg, []purposeCase{
		{"general: Update to new libasync mechanism", Cleanup, "update to new libasync mechanism"},
		{"Change Hashmap::get() signature", Cleanup, "change hashmap::get() signature"},
		{"Change signature of vTaskDelay", Cleanup, "change signature of vtaskdelay"},
		// A signature said to be wrong is mended.
		{"Fix wrong signature of vTaskDelay", Fix, "fix"},
		{"thor: Protect memory allocators against IRQs/SMP", Fix, "protect memory allocators against irqs/smp"},
		{"thor: Provide a truly async handleFault() impl.", Cleanup, "provide a truly async handlefault() impl."},
		{"SELFOUR-1062: Hide all IOMMU related code behind #ifdef guards", Cleanup, "#ifdef guards"},
		{"AArch32: Add __ASSEMBLER__ preprocessor guards for kernelBase", Cleanup, "preprocessor guards"},
		// Guards that were missing are a fix.
		{"fix: Add missing macro guards in task.h", Fix, "fix"},
		{"Add missing #ifdef guards around the MPU code", Fix, "missing"},
		{"Remove redundant IRQInterruptControl invocation, and replace with a mechanism to actually decode arch specific IRQ invocations", Feature, "replace with a mechanism"},
		{"thor: Make getPlatformCpuData() inline", Perf, "make getplatformcpudata() inline"},
		{"kernel/common: make DeviceTreeProperty data const", Cleanup, "make devicetreeproperty data const"},
		{"Mark some constant address pointers as const.", Cleanup, "as const"},
		{"riscv: use `uint8_t` for `register_t`", Cleanup, "use `uint8_t` for"},
	})
}

// TestPurposeRoundEightyOne: rules from the errors of the s84 and s85
// samples (the eighty-first round).
func TestPurposeRoundEightyOne(t *testing.T) {
	cfg, _ := kernel.Parse("upsynth.yaml", nil)
	expectPurposes(t, cfg, []purposeCase{
		{"posix: Support new poll API for devices", Cleanup, "support new poll api for devices"},
		{"posix: Support poll for devices", Feature, "support"},
		{"Mark UnsafePtr -> SharedPtr conversion as explicit", Cleanup, "as explicit"},
		{"thor: Abstract uncachePage() logic into EvictionQueue", Cleanup, "abstract uncachepage() logic into"},
	})
}

// TestPurposeAbstractionTakenUp: a class or helper added that two existing
// functions now call in place of code they had is existing code reshaped,
// a cleanup ("x86: Added Cache class."); one that existing code only
// starts calling is new capability ("ARM: Added Timer class.").
func TestPurposeAbstractionTakenUp(t *testing.T) {
	cfg, _ := kernel.Parse("upsynth.yaml", nil)
	fn := func(name, body string, calls ...string) cparse.Function {
		return cparse.Function{Name: name, Signature: "void ()", BodyHash: body, Definition: true, Calls: calls}
	}
	version := func(fns ...cparse.Function) *Version {
		s := &cparse.Summary{Lang: cparse.LangCPP}
		for _, f := range fns {
			s.TokenHash += f.Name + f.BodyHash
		}
		s.Functions = fns
		return &Version{Summary: s}
	}
	commit := func(newCalls ...string) []File {
		// Two existing functions: each swaps its calls for newCalls.
		old := version(fn("Dmar::flush", "1", "wbinvd"), fn("Pte::set", "2", "clflush"))
		new := version(fn("Dmar::flush", "3", newCalls...), fn("Pte::set", "4", newCalls...), fn("Cache::data_clean", "5"))
		files := []File{{Path: "src/cache.cpp", Old: old, New: new}}
		files[0].Changes = cparse.Diff(old.Summary, new.Summary)
		return files
	}
	if got, why := purposeByRules(cfg, "1", "x86: Added Cache class.", commit("data_clean")); got != Cleanup || !strings.Contains(why, "existing code now calls it") {
		t.Errorf("a class existing code takes up: %s (%s), want cleanup", got, why)
	}
	if got, why := purposeByRules(cfg, "1", "x86: Added Cache class.", commit("wbinvd2")); got != Feature {
		t.Errorf("a class no existing code calls: %s (%s), want feature", got, why)
	}
	// Existing code that keeps what it did and calls the class too.
	old := version(fn("Cpu::init", "1", "wbinvd"), fn("Cpu::fini", "2", "clflush"))
	new := version(fn("Cpu::init", "3", "wbinvd", "init"), fn("Cpu::fini", "4", "clflush", "fini"), fn("Timer::init", "5"), fn("Timer::fini", "6"))
	files := []File{{Path: "src/timer.cpp", Old: old, New: new}}
	files[0].Changes = cparse.Diff(old.Summary, new.Summary)
	if got, why := purposeByRules(cfg, "1", "ARM: Added Timer class.", files); got != Feature {
		t.Errorf("a class existing code starts calling: %s (%s), want feature", got, why)
	}
}

// TestPurposeRoundEightyThree: rules from the errors of the s86 and s87
// samples (the eighty-third round).
func TestPurposeRoundEightyThree(t *testing.T) {
	cfg, _ := kernel.Parse("upsynth.yaml", nil)
	expectPurposes(t, cfg, []purposeCase{
		{`Replace frigg "ASSERT" by standard "assert"`, Cleanup, `replace frigg "assert" by standard`},
		{"Replace broken ASSERT by standard assert", Fix, "broken"},
		{"hel: Hackish performance fix", Perf, "performance fix"},
	})
}

// TestPurposeRoundEightyFive: rules from the errors of the s88 and s89
// samples (the eighty-fifth round).
func TestPurposeRoundEightyFive(t *testing.T) {
	cfg, _ := kernel.Parse("upsynth.yaml", nil)
	expectPurposes(t, cfg, []purposeCase{
		{"libsel4: Provide a layer of indirection around types.bf and shared_types.bf to allow for 64-bit variants", Cleanup, "provide a layer of indirection"},
		{"Query scheduler in fastpath to increase fastpath cases", Perf, "increase fastpath cases"},
	})
}

// TestPurposeRoundEightySeven: rules from the errors of the s90 and s91
// samples (the eighty-seventh round).
func TestPurposeRoundEightySeven(t *testing.T) {
	cfg, _ := kernel.Parse("upsynth.yaml", nil)
	expectPurposes(t, cfg, []purposeCase{
		{"drivers/nvme: Update after async::make_result changes", Cleanup, "update after async::make_result changes"},
		{"thor: Adapt to frigg rcu_radixtree changes", Cleanup, "adapt to frigg rcu_radixtree changes"},
		// A change that broke something is mended.
		{"thor: Fix build after frigg rcu_radixtree changes", Fix, "fix"},
	})
}

// TestInterfaceAdaptedSpellings: every spelling of the verb adapts, "adapt"
// with no ending as well.
func TestInterfaceAdaptedSpellings(t *testing.T) {
	cfg, _ := kernel.Parse("upsynth.yaml", nil)
	expectPurposes(t, cfg, []purposeCase{
		{"drivers/kbd: Adapt to new async::queue interface", Cleanup, "adapt to new async::queue interface"},
		{"drivers/kbd: Adapted to new async::queue interface", Cleanup, "adapted to new async::queue interface"},
		{"drivers/kbd: Update async::queue interface", Cleanup, "update async::queue interface"},
	})
}

// TestPurposeRoundEightyNine: from the s92/s93 errors.
func TestPurposeRoundEightyNine(t *testing.T) {
	cfg, _ := kernel.Parse("upsynth.yaml", nil)
	expectPurposes(t, cfg, []purposeCase{
		// A tag before the areas a change is in is a prefix too.
		{"trivial, gic_v2: Use CURRENT_CPU_INDEX()", Cleanup, "prefix trivial"},
		// A trivial change may mend a build.
		{"trivial: Fix semicolon error and missing symbol", Fix, "semicolon error"},
		{"trivial: style", Cleanup, "prefix trivial"},
		// A tool's edit is a tidying, whatever it calls a fix; a bug a
		// tool found is still a bug.
		{"thor: Fix nullptr usage using clang-tidy", Cleanup, "using clang-tidy"},
		{"Fix use-after-free found by clang-tidy", Fix, "fix"},
		{"Fix crash in scheduler, found with cppcheck", Fix, "fix"},
	})
}

// TestPurposeRoundNinetyOne: from the s94/s95 errors.
func TestPurposeRoundNinetyOne(t *testing.T) {
	cfg, _ := kernel.Parse("upsynth.yaml", nil)
	expectPurposes(t, cfg, []purposeCase{
		{"Use copy-and-swap in helx", Cleanup, "copy-and-swap"},
		{"trivial: negate flipped assertion", Fix, "flipped"},
		{"SELFOUR-365: libsel4: Use compile time offsets instead of hard coding offsets", Cleanup, "instead of"},
	})
}

// TestPurposeRoundNinetyThree: from the s96/s97 errors.
func TestPurposeRoundNinetyThree(t *testing.T) {
	cfg, _ := kernel.Parse("upsynth.yaml", nil)
	expectPurposes(t, cfg, []purposeCase{
		{"Add extra DSB to seL4_ARM_Page_Unify_Instruction", Fix, "add extra dsb to"},
		{"riscv: Add missing sfence on PT map", Fix, "missing"},
		{"Treat optimize attribute as gcc specific", Fix, "gcc specific"},
		{"libsel4: adjust asm immediate syntax for clang", Fix, "for clang"},
		{"arm: Use #define for tcbArchCNodeEntries", Cleanup, "use #define for"},
	})
}

// TestCosmeticRevert: a revert that gives no reason has the reverted
// commit's purpose undone (other), unless what it changes is cosmetic.
func TestCosmeticRevert(t *testing.T) {
	cfg, _ := kernel.Parse("upsynth.yaml", nil)
	// The same tokens, other bytes: whitespace changed.
	styled := []File{fileOf("src/kernel/thread.c", moduleOf("1"), moduleOf("1"))}
	if p, why := PurposeOf(cfg, "1", "Revert \"[STYLE_FIX]\"\n\nThis reverts commit d29f743bbcc3acff2f61b40dedb4fe0839db38b8.\n", styled); p != Cleanup {
		t.Errorf("a reformatting reverted: %s (%s), want cleanup", p, why)
	}
	if p, why := PurposeOf(cfg, "2", "Revert \"Cache FPU enable state on all platforms\"\n\nThis reverts commit 0123456789abcdef0123456789abcdef01234567.\n", bodyChanged("src/arch/arm/fpu.c", "enableFpu")); p != Other {
		t.Errorf("code reverted: %s (%s), want other", p, why)
	}
}

// TestIssueClosedBySupport: a subject that leads with supporting something
// closes an issue that asked for it.
func TestIssueClosedBySupport(t *testing.T) {
	cfg, _ := kernel.Parse("upsynth.yaml", nil)
	if p, why := PurposeOf(cfg, "1", "block/ata: Support writes\n\nFix #116.\n", nil); p != Feature {
		t.Errorf("support closing an issue: %s (%s), want feature", p, why)
	}
	if p, why := PurposeOf(cfg, "2", "block/ata: Check the status register\n\nFix #116.\n", nil); p != Fix {
		t.Errorf("a check closing an issue: %s (%s), want fix", p, why)
	}
}

// TestRuleOverruledByModel: a rule's verdict stands when the purpose
// model is unsure of the commit, and gives way when the model reads it
// confidently as another purpose, the reason naming both.
func TestRuleOverruledByModel(t *testing.T) {
	cfg, _ := kernel.Parse("upsynth.yaml", nil)
	files := bodyChanged("src/arch/arm/gic_v3.c", "timer_init")
	m, _ := BuiltinPurposeModel()
	for _, c := range []struct {
		msg       string
		overruled bool
	}{
		// Few words the model knows: the body rule's fix stands.
		{"gic_v3: CNT_CT\n", false},
		// A replacement that simplifies is a cleanup to the model,
		// confidently.
		{"gic_v3: use CNT_CT instead of CNTFRQ\n\nSimplify the code and remove the duplicated read.\n", true},
	} {
		ruled, _ := purposeByRules(cfg, "1", c.msg, files)
		q, margin, _, _ := m.Predict(PurposeFeatures(cfg, c.msg, files))
		if confident := q != ruled && margin >= confidentMargin; confident != c.overruled {
			t.Fatalf("%q: the rules say %s, the model %s (margin %.1f): the case no longer tests what it says", c.msg, ruled, q, margin)
		}
		p, why := PurposeOf(cfg, "1", c.msg, files)
		switch {
		case !c.overruled && (p != ruled || strings.Contains(why, "purpose model")):
			t.Errorf("%q: %s (%s), want the rule's %s", c.msg, p, why, ruled)
		case c.overruled && (p != q || !strings.Contains(why, ", but the purpose model says "+string(q)+" (margin")):
			t.Errorf("%q: %s (%s), want the model's %s over the rule's %s", c.msg, p, why, q, ruled)
		}
	}
}

// TestPurposeRoundNinetyFive: from the s98 to s101 errors.
func TestPurposeRoundNinetyFive(t *testing.T) {
	cfg, _ := kernel.Parse("upsynth.yaml", nil)
	expectPurposes(t, cfg, []purposeCase{
		// A build broken is no cosmetic fix, warnings beside it or not.
		{"frigg: Fix GCC 7 compilation errors/warnings", Fix, "fix"},
		{"Fix compilation warnings with Clang (#721)", Cleanup, "warnings"},
		{"x86: Move hwASIDInvalidate inside condition in deleteASID", Fix, "inside condition"},
		{"drivers/ata: Refactor IRQ handling\n\nThis fixes ATA on VirtualBox.\n", Fix, "this fixes"},
		{"drivers/ata: Refactor IRQ handling\n\nThe handler now runs in a fiber.\n", Cleanup, "refactor"},
	})
}

// TestPurposeRoundNinetyNine: from the s102 to s105 errors.
func TestPurposeRoundNinetyNine(t *testing.T) {
	cfg, _ := kernel.Parse("upsynth.yaml", nil)
	expectPurposes(t, cfg, []purposeCase{
		{"frigg: Small printf() TODO clarity improvement", Cleanup, "clarity improvement"},
		{"clang-tidy: Apply auto fixes to use nullptr", Cleanup, "clang-tidy"},
		{"hel: Initial documentation support", Cleanup, "documentation"},
		{"posix: Initial epoll support", Feature, "initial epoll support"},
		{"Close hel descriptors after using them", Fix, "after using"},
		{`posix: Remove "untested cancellation" message`, Cleanup, "remove"},
		{"ARM platforms: use auto-generated kernel_devices", Cleanup, "auto-generated"},
		{"mcs: rephrase invokeSchedControl_ConfigureFlags", Cleanup, "rephrase"},
		{"arm: Add NODE_LOCK_SYS for VCPU fault entry.", Fix, "node_lock_sys for"},
		// A clock is no lock.
		{"arm: Add clock for the timer", Feature, "add"},
	})
}

// TestPurposeRoundHundredThree: from the s106 to s109 errors.
func TestPurposeRoundHundredThree(t *testing.T) {
	cfg, _ := kernel.Parse("upsynth.yaml", nil)
	expectPurposes(t, cfg, []purposeCase{
		{"Update to new cofiber version", Cleanup, "update to new cofiber version"},
		{"thor: Make IRQ enable/disable functions inline", Perf, "inline"},
		{"thor: Log server name on userspace panic", Feature, "on userspace panic"},
		{"Avoid adding thread without budget to scheduler", Fix, "avoid adding"},
		// Work saved is performance.
		{"Avoid copying the buffer twice", Perf, "avoid"},
		{"arm: flush cache to RAM on retype reset", Fix, "flush cache"},
		{"arm: avoid flushing the cache on every switch", Perf, "avoid"},
	})
}

// TestPurposeRoundHundredSeven: from the s110 to s113 errors.
func TestPurposeRoundHundredSeven(t *testing.T) {
	cfg, _ := kernel.Parse("upsynth.yaml", nil)
	expectPurposes(t, cfg, []purposeCase{
		{"thor: Rewrite fragile IrqPin::raise() function", Fix, "fragile"},
		{"gfx/plainfb: Use SSE-based memory copy", Perf, "use sse"},
		{"kernel: Use __builtin_{memcpy,memset}", Perf, "use __builtin_"},
		{"kernel: Add 'final' annotations", Cleanup, "annotations"},
	})
}
