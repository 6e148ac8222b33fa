package pgtest

import "syscall"

// sysProcAttr runs the server as cred (nil: as this process's user), and
// kills it when the test binary dies without stopping it.
func sysProcAttr(cred *syscall.Credential) *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Credential: cred, Pdeathsig: syscall.SIGKILL}
}
