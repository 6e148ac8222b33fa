//go:build !linux

package cputime

import "time"

// Supported reports whether Thread measures anything on this platform:
// callers fall back to wall time.
const Supported = false

// Thread returns 0, false: thread CPU time is read on Linux only.
func Thread() (d time.Duration, ok bool) { return 0, false }

// Process returns 0: process CPU time is read on Linux only.
func Process() time.Duration { return 0 }
