package cparse

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/upsynth/upsynth/runtime/cputime"
)

// TestParseMeasuresCPU checks that Summary.CPU counts the parse's own CPU
// time, not the wall time spent waiting: a parse blocked on nothing but a
// busy machine must not look slow.
func TestParseMeasuresCPU(t *testing.T) {
	if !cputime.Supported {
		t.Skip("thread CPU time is not measured on this platform")
	}
	var b strings.Builder
	for i := range 3000 {
		b.WriteString("static int f")
		b.WriteString(strings.Repeat("x", i%7))
		b.WriteString(string(rune('a' + i%26)))
		b.WriteString("(int a) { return a * 3 + 1; }\n")
	}
	start := time.Now()
	sum := Parse(context.Background(), "big.c", []byte(b.String()), Config{Engine: EngineChoiceTolerant})
	wall := time.Since(start)
	if sum.CPU <= 0 {
		t.Fatalf("Summary.CPU = %v, want the parse's CPU time", sum.CPU)
	}
	// Thread CPU time can exceed wall time only by the clock's granularity.
	if sum.CPU > wall+10*time.Millisecond {
		t.Errorf("Summary.CPU = %v exceeds the wall time %v", sum.CPU, wall)
	}
}

// TestMeasuredAddsOtherThreads checks that work done on another goroutine
// under the same meter (as the precise engine's translation is) counts.
func TestMeasuredAddsOtherThreads(t *testing.T) {
	if !cputime.Supported {
		t.Skip("thread CPU time is not measured on this platform")
	}
	ctx, meter := withCPUMeter(context.Background())
	done := make(chan struct{})
	go func() {
		measured(ctx, func() { spin(50 * time.Millisecond) })
		close(done)
	}()
	<-done
	if got := meter.total(); got < 30*time.Millisecond {
		t.Errorf("meter = %v after 50 ms of spinning on another goroutine", got)
	}
}

func spin(d time.Duration) {
	start, _ := cputime.Thread()
	for now, _ := cputime.Thread(); now-start < d; now, _ = cputime.Thread() {
	}
}
