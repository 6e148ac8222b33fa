package cputime

import (
	"syscall"
	"time"
	"unsafe"
)

// Supported reports whether Thread measures anything on this platform.
const Supported = true

// clockThreadCPUTime is CLOCK_THREAD_CPUTIME_ID, which package syscall does
// not name: user and system time, in nanoseconds.
const clockThreadCPUTime = 3

// Thread returns the CPU time the calling OS thread has used; ok is false
// when it cannot be read.
func Thread() (d time.Duration, ok bool) {
	var ts syscall.Timespec
	if _, _, errno := syscall.Syscall(syscall.SYS_CLOCK_GETTIME, clockThreadCPUTime, uintptr(unsafe.Pointer(&ts)), 0); errno != 0 {
		return 0, false
	}
	return time.Duration(ts.Nano()), true
}
