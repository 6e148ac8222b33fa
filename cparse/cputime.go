package cparse

// This file implements the CPU-time accounting of one Parse: the time its
// engines spent on their own threads, which a loaded machine does not
// inflate the way it inflates wall time.

import (
	"context"
	"runtime"
	"sync/atomic"
	"time"

	"github.com/upsynth/upsynth/runtime/cputime"
)

// cpuMeter sums the thread CPU time of one Parse's goroutines. A precise
// translation abandoned at its deadline may still add to it afterwards.
type cpuMeter struct{ nanos atomic.Int64 }

type cpuMeterKey struct{}

// measured runs f on a locked OS thread and adds the thread CPU time it
// used to the meter in ctx, if any.
func measured(ctx context.Context, f func()) {
	meter, _ := ctx.Value(cpuMeterKey{}).(*cpuMeter)
	if meter == nil || !cputime.Supported {
		f()
		return
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	start, _ := cputime.Thread()
	defer func() {
		if end, ok := cputime.Thread(); ok {
			meter.nanos.Add(int64(end - start))
		}
	}()
	f()
}

// withCPUMeter returns ctx carrying a fresh meter.
func withCPUMeter(ctx context.Context) (context.Context, *cpuMeter) {
	m := &cpuMeter{}
	return context.WithValue(ctx, cpuMeterKey{}, m), m
}

func (m *cpuMeter) total() time.Duration { return time.Duration(m.nanos.Load()) }
