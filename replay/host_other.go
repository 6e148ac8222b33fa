//go:build !linux

package replay

import "os/exec"

// dieWithParent: only Linux kills a child with its parent; elsewhere an
// interrupted upsynth's host finishes its commit and is stopped by the
// interrupt it shares.
func dieWithParent(cmd *exec.Cmd) {}
