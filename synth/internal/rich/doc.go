// Package update is the golden output of the generator for the fixture
// synth/testdata/rich (regenerate with go test ./synth -run Golden -update).
// Its tests compare the generated transfer with the plan interpreter and
// benchmark it against a generic reflection-style copier.
package update
