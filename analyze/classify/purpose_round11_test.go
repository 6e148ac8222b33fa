package classify

import (
	"testing"

	"github.com/upsynth/upsynth/kernel"
)

// TestPurposeRoundEleven: rules added in issue 17's eleventh round, from
// the errors of the samples held back in the tenth (the s13 samples,
// tuning samples since), read from the message alone.
func TestPurposeRoundEleven(t *testing.T) {
	cfg, _ := kernel.Parse("upsynth.yaml", nil)
	cases := []purposeCase{
		// Something updated to a newer, numbered version of a protocol
		// or SDK: what the version brings is taken up.
		{"kernel/eir: update stivale to stivale2", Feature, "stivale2"},
		{"Upgrade the USB stack to xHCI 1.2", Feature, "1.2"},
		{"Updated the port layer to ESP-IDF `v4.4.2`", Feature, "v4.4.2"},
		// (A release's version bump stays release housekeeping, an update
		// of tidying words a cleanup, and a value or an alignment set is no
		// version.)
		{"Update seL4_FaultType to 4", Other, "no purpose"},
		{"x64: Update IO port cap type to match ia32", Other, "no purpose"},
		{"Update version number to 10.4.3", Other, "version"},
		{"update comments to C99 style", Cleanup, "comments"},
		// Generalizing and shortening code tidy it.
		{"thor: Generalize runDetached() -> runOnStack()", Cleanup, "generalize"},
		{"armv8: Generalise label names for EL1/2", Cleanup, "generalise"},
		{"Shorten sys_unlink a little; create now fits in column", Cleanup, "shorten"},
		// (A generalization that says what went wrong is a fix, and one
		// that says what it is for a feature.)
		{"Generalize the page walker to fix a crash on 5-level paging", Fix, "fix"},
		{"generalize async read to support write too", Feature, "support"},
		{"riscv: Generalise/SMPify PLIC code\n\nAdd SMP support for PLIC code.", Other, "no purpose"},
		{"arm: Generalise vcpu fields saved when inactive\n\nFixes regression introduced in 454dfd89", Fix, "fixes"},
	}
	expectPurposes(t, cfg, cases)
}
