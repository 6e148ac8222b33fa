package classify

import (
	"testing"

	"github.com/upsynth/upsynth/kernel"
)

// TestPurposeRoundTen: rules added in issue 17's tenth round, from the
// errors of the samples held back in the ninth (the s12 samples, tuning
// samples since), read from the message alone.
func TestPurposeRoundTen(t *testing.T) {
	cfg, _ := kernel.Parse("upsynth.yaml", nil)
	cases := []purposeCase{
		// Allowing or building something only under a condition narrows
		// it: a hole closed or a build failure mended.
		{"Allow binding PT to EC only if both will be in the same PD.\n\nOtherwise the holder of an EC capability can create a portal with an arbitrary EIP.", Fix, "only if"},
		{"Define vApplicationGetTimerTaskMemory only when configUSE_TIMERS is set (#1104)", Fix, "only when"},
		{"arm: build the SMMU driver only for platforms that have one", Fix, "only for"},
		// "allow" alone still adds something.
		{"Allow binding PT to EC", Feature, "allow"},
		{"allow user to map pages", Feature, "allow"},
		// Forced inlining and branch hints make code faster.
		{"x86: Add FORCE_INLINE to some fastpath functions", Perf, "force_inline"},
		{"fastpath: use likely() on the common branch", Perf, "likely"},
		// ("Mark X as FORCE_INLINE" was, and stays, a cleanup word.)
		{"Mark vcpu helpers as FORCE_INLINE", Cleanup, "mark"},
		// Internal linkage given to a name whose users are all in its file.
		{"pc99: Make acpi_table_init static", Cleanup, "make acpi_table_init static"},
		{"Make the idle thread's stack static.", Cleanup, "static"},
		// (A static made to mend something says so.)
		{"Make the buffer static to avoid a stack overflow", Fix, "overflow"},
		// Something taken into account that was not.
		{"ARM/SMP: Re-implement atomic exchange taking sel4 IPI into account", Fix, "into account"},
		{"sched: take the domain's budget into account", Fix, "into account"},
		// One definition of what was defined several times is a tidying.
		{"One definition of several macros and constants", Cleanup, "one definition"},
		{"deduplicate the page-table walkers", Cleanup, "deduplicate"},
	}
	expectPurposes(t, cfg, cases)
}
