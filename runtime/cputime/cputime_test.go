package cputime

import (
	"runtime"
	"sync/atomic"
	"testing"
	"time"
)

// TestThreadCountsOwnWork: a thread's reading grows by the CPU it spins,
// never by more than the wall time that passed.
func TestThreadCountsOwnWork(t *testing.T) {
	if !Supported {
		t.Skip("thread CPU time is not measured on this platform")
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	begin := time.Now()
	start, ok := Thread()
	if !ok {
		t.Fatal("Thread: cannot read the thread's CPU time")
	}
	for {
		now, ok := Thread()
		if !ok {
			t.Fatal("Thread: cannot read the thread's CPU time")
		}
		if now < start {
			t.Fatalf("Thread went back from %v to %v", start, now)
		}
		if now-start >= 20*time.Millisecond {
			if wall := time.Since(begin); now-start > wall+time.Millisecond {
				t.Errorf("%v of CPU time in %v of wall time", now-start, wall)
			}
			return
		}
		if time.Since(begin) > time.Minute {
			t.Fatalf("%v of CPU time after a minute of spinning", now-start)
		}
	}
}

// TestThreadIgnoresOtherThreads: a thread that sleeps while another one
// spins uses almost no CPU time, as process CPU time or wall time would
// not show.
func TestThreadIgnoresOtherThreads(t *testing.T) {
	if !Supported {
		t.Skip("thread CPU time is not measured on this platform")
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var stop atomic.Bool
	defer stop.Store(true)
	go func() {
		for !stop.Load() { // spin
		}
	}()
	start, _ := Thread()
	time.Sleep(100 * time.Millisecond)
	if used, _ := Thread(); used-start > 20*time.Millisecond {
		t.Errorf("a thread sleeping 100 ms used %v of CPU time", used-start)
	}
}

// TestProcessCountsWork: the process's reading grows by the CPU a goroutine
// spins, and never goes back.
func TestProcessCountsWork(t *testing.T) {
	if !Supported {
		t.Skip("process CPU time is not measured on this platform")
	}
	start := Process()
	if start <= 0 {
		t.Fatal("Process: cannot read the process's CPU time")
	}
	deadline := time.Now().Add(5 * time.Second)
	for Process()-start < 20*time.Millisecond {
		if time.Now().After(deadline) {
			t.Fatalf("Process stayed at %v for 5 s of spinning", Process())
		}
	}
	if now := Process(); now < start {
		t.Fatalf("Process went back from %v to %v", start, now)
	}
}
