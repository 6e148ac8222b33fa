package replay

import (
	"os/exec"
	"syscall"
)

// dieWithParent makes the hook host die when upsynth does (kill -9
// included), so that a rerun never races an orphaned host for the progress
// file.
func dieWithParent(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
