// Package verify builds the update of an emitted package straight from its
// plan.json: an interpreter of the same transfer and adapter steps the
// generated Go code performs (FromPlan, RunOps, MapArgs), so upsynth verify
// and the corpus test verify many packages in one process without compiling
// them. Running an update on the emulated target — booting the old
// revision, applying the update under load, the checks and the reference
// runs — is the harness in runtime/emu/verify, which emitted packages'
// own tests use too.
package verify

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/upsynth/upsynth/synth"
)

// ReadPlan reads an emitted package's plan.json as the generator wrote it.
func ReadPlan(dir string) (*synth.Plan, error) {
	b, err := os.ReadFile(filepath.Join(dir, synth.PlanFile))
	if err != nil {
		return nil, fmt.Errorf("%s is not an emitted update package: %w", dir, err)
	}
	var p synth.Plan
	if err := json.Unmarshal(b, &p); err != nil {
		return nil, fmt.Errorf("%s/%s: %w", dir, synth.PlanFile, err)
	}
	if p.Version != synth.PlanVersion {
		return nil, fmt.Errorf("%s/%s: plan version %d, this upsynth reads %d: emit again", dir, synth.PlanFile, p.Version, synth.PlanVersion)
	}
	return &p, nil
}
