package classify

import (
	"fmt"
	"testing"

	"github.com/upsynth/upsynth/cparse"
	"github.com/upsynth/upsynth/kernel"
)

// TestPurposeRoundFive: rules added in issue 17's fifth round, from the
// errors of the samples held back in the fourth (managarm-new, xv6-s7,
// sel4-s7, tuning samples since) and of the older tuning samples.
func TestPurposeRoundFive(t *testing.T) {
	cfg, _ := kernel.Parse("upsynth.yaml", nil)
	cases := []purposeCase{
		// "invalid" is a word of its own, not the start of
		// "invalidation" or "invalidate".
		{"x86: Improve translation invalidation", Other, "no purpose keyword"},
		{"x86: Improve translation invalidation\n\nA more fine grained approach for the TLB.", Perf, "fine grained"},
		{"vspace: reject invalid mappings", Fix, "invalid"},
		{"Invalidate the TLB on unmap", Other, "no purpose keyword"},
		{"mm: handle allocation failures", Fix, "failures"},
		// Fast paths and finer grain are performance words.
		{"thor: Properly detect fast paths in coroutines", Perf, "fast paths"},
		{"mm: finer-grained locking of the page cache", Perf, "finer-grained"},
		// Freeing what was not freed is a leak fixed.
		{"Free memory in vector and hashmap", Fix, "free memory"},
		{"vm: free the page tables on exit", Fix, "free the"},
		// A reserved entry or padding added to a structure corrects its
		// layout.
		{"SELFOUR-780: Add reserved entry to TK1 SMMU struct", Fix, "add reserved"},
		{"Add padding to the context frame", Fix, "add padding"},
		// Barriers and alignment are added or corrected when something
		// went wrong.
		{"Add portMEMORY_BARRIER() to RX MCU ports", Fix, "portmemory_barrier"},
		{"arm: add a memory barrier after the TLB flush", Fix, "barrier"},
		{"RISC-V: No #error on RV64 regarding byte alignment", Fix, "byte alignment"},
		{"Align comments in the header", Cleanup, "comments"},
		// Moving a thing before another corrects an order; moving it
		// elsewhere tidies.
		{"Move header includes before extern c", Fix, "an order corrected"},
		{"Move configASSERT default definition above before including portable.h.", Fix, "an order corrected"},
		{"move the prototype for vApplicationIdleHook to task.h", Cleanup, "move"},
		// Consistency and regular names are cleanups.
		{"asidpools: consistently use ASID_HIGH macro", Cleanup, "consistently"},
		{"ide.c: make names more regular", Cleanup, "more regular"},
		// Doing as another part does is consistency, even when it adds
		// an entity ("use struct like icache does" adds bcache).
		{"bio.c: use struct like icache does", Cleanup, "like icache does"},
		{"Use TaskFunction_t as other ports do", Cleanup, "as other ports do"},
		// An API migration: switching a component to a library, upgrading
		// to a new API.
		{"thor: Switch mbus to pb2frigg", Cleanup, "switch mbus to"},
		{"posix: Upgrade poll() API in helout", Cleanup, "upgrade poll() api"},
		{"Switch to per-cpu allocators", Other, "no purpose keyword"},
		// A trivial: tag marks a trivial change.
		{"trivial: Fix types when printing", Cleanup, "prefix trivial"},
		// Printing, showing, reporting something new.
		{"Print current CPU in debug messages", Feature, "print"},
		{"kernel: show the faulting address", Feature, "show"},
		{"Fix the printing of negative numbers", Fix, "fix"},
		// A body saying that something now works.
		{"drivers/usb-hid: Rewrite USB -> input translation\n\nDevices now correctly report the input codes that they support.", Fix, "now correctly"},
		{"Rework the scheduler\n\nIt no longer deadlocks when two CPUs yield at once.", Fix, "deadlock"},
	}
	expectPurposes(t, cfg, cases)
}

// TestUseLikeOthers: "use X like Y does" over a diff that adds an entity
// is consistency, not the feature a plain "Use X" with new code is.
func TestUseLikeOthers(t *testing.T) {
	cfg, _ := kernel.Parse("upsynth.yaml", nil)
	v := func(gs ...cparse.Global) *Version {
		return &Version{Summary: &cparse.Summary{Lang: cparse.LangC, Globals: gs, TokenHash: fmt.Sprint(len(gs))}}
	}
	files := []File{{Path: "bio.c", Old: v(), New: v(cparse.Global{Name: "bcache", Type: "struct {...}"}), Changes: []cparse.Change{
		{Entity: cparse.EntityGlobal, Name: "bcache", Change: cparse.ChangeAdded},
	}}}
	if got, why := purposeByRules(cfg, "1", "bio.c: use struct like icache does", files); got != Cleanup {
		t.Errorf("use … like icache does, adding bcache: %s (%s), want cleanup", got, why)
	}
	if got, why := purposeByRules(cfg, "1", "bio.c: use a struct", files); got != Feature {
		t.Errorf("use a struct, adding bcache: %s (%s), want feature", got, why)
	}
}
