//go:build !linux

package cparse

import "time"

// Elsewhere Summary.CPU stays zero and callers fall back to wall time.
const threadCPUSupported = false

func threadCPU() time.Duration { return 0 }
