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

// Process returns the user and system time the whole process has used, 0
// when it cannot be read.
func Process() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
