// Package verify builds the update of an emitted package straight from its
// plan.json: an interpreter of the same transfer and adapter steps the
// generated Go code performs (FromPlan, RunOps, MapArgs), so upsynth verify
// and the corpus test verify many packages in one process without compiling
// them. Running an update on the emulated target — booting the old
// revision, applying the update under load, the checks and the reference
// runs — is the harness in runtime/emu/verify (a different package of the
// same name), which emitted packages' own tests use too; upsynth target run
// --update builds its update here as well.
package verify
