package emu

import (
	"context"
	"errors"
	"io"
	"runtime"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// runHosted runs a hosted C program with opts, returning its output and
// error.
func runHosted(t *testing.T, ctx context.Context, src string, opts ProgramOptions) (string, error) {
	t.Helper()
	var out strings.Builder
	_, err := RunProgram(ctx, fstest.MapFS{"p.c": {Data: []byte(src)}}, []string{"p.c"}, nil, &out, opts)
	return out.String(), err
}

// TestBuiltinsChargeBytes: a builtin costs steps by the bytes it touches,
// so a loop of big memsets (or memcpys, strlens) runs out of its step
// budget like the C loop it stands for (issue 21: one step per call let
// a memset loop of 512 MiB run for 12 minutes).
func TestBuiltinsChargeBytes(t *testing.T) {
	for name, body := range map[string]string{
		"memset": "memset(p, 1, N);",
		"memcpy": "memcpy(p, p + N / 2, N / 2);",
		"strlen": "p[N - 1] = 0; n += strlen(p);",
	} {
		src := `#include <stdlib.h>
#include <string.h>
#define N (8 << 20)
int main(void) {
	char *p = malloc(N);
	unsigned long n = 0;
	memset(p, 'x', N);
	for (int i = 0; i < 100000; i++) { ` + body + ` }
	return (int)n;
}`
		_, err := runHosted(t, context.Background(), src, ProgramOptions{StepBudget: 2_000_000})
		var f *Fault
		if !errors.As(err, &f) || f.Kind != "budget" {
			t.Errorf("%s: %v, want a budget fault", name, err)
		}
	}
}

// TestCancelStopsBuiltinLoop: a cancelled context stops an endless loop of
// 16 MiB memsets (cmd/upsynth's TestSIGTERMStops measures the time).
func TestCancelStopsBuiltinLoop(t *testing.T) {
	src := `#include <stdlib.h>
#include <string.h>
int main(void) {
	char *p = malloc(16 << 20);
	for (;;) memset(p, 1, 16 << 20);
}`
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(200*time.Millisecond, cancel)
	done := make(chan error, 1)
	go func() {
		_, err := runHosted(t, ctx, src, ProgramOptions{})
		done <- err
	}()
	select {
	case err := <-done:
		var f *Fault
		if !errors.As(err, &f) || f.Kind != "budget" || !strings.Contains(f.Msg, "canceled") {
			t.Errorf("%v, want a fault saying the run was stopped", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the memset loop ignores cancellation")
	}
}

// TestEndlessPrintfKeepsHostMemory: a hosted program printing without
// end keeps no copy of its output (issue 21: 21 GB in 26 s).
func TestEndlessPrintfKeepsHostMemory(t *testing.T) {
	src := `#include <stdio.h>
int main(void) { for (;;) printf("%65536d", 1); }`
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := RunProgram(context.Background(), fstest.MapFS{"p.c": {Data: []byte(src)}}, []string{"p.c"}, nil, io.Discard, ProgramOptions{StepBudget: 2_000_000})
	var f *Fault
	if !errors.As(err, &f) || f.Kind != "budget" {
		t.Fatalf("%v, want a budget fault", err)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	if grown := int64(after.HeapAlloc) - int64(before.HeapAlloc); grown > 64<<20 {
		t.Errorf("the host heap grew by %d MiB", grown>>20)
	}
}

// TestCapturedOutputIsCapped: a request's output kept for checks stops at
// MaxCapturedOutput and says it was truncated.
func TestCapturedOutputIsCapped(t *testing.T) {
	var o capturedOutput
	chunk := []byte(strings.Repeat("x", 4096))
	for range 1000 {
		o.Write(chunk)
	}
	got := o.Bytes()
	if len(got) > MaxCapturedOutput+100 || !strings.Contains(string(got), "output truncated: 3047424 more bytes") {
		t.Errorf("%d bytes, ending %q", len(got), got[max(0, len(got)-80):])
	}
	o.Reset()
	o.Write([]byte("ok"))
	if string(o.Bytes()) != "ok" {
		t.Errorf("after Reset: %q", o.Bytes())
	}
}

// TestMallocCeiling: allocating a byte at a time reaches the machine's
// ceiling (malloc returns NULL) with the host's bookkeeping counted.
func TestMallocCeiling(t *testing.T) {
	src := `#include <stdlib.h>
int main(void) {
	long n = 0;
	while (malloc(1)) n++;
	return n > 100000 && n < (64 << 20) / 64;
}`
	var out strings.Builder
	status, err := RunProgram(context.Background(), fstest.MapFS{"p.c": {Data: []byte(src)}}, []string{"p.c"}, nil, &out, ProgramOptions{MemoryLimit: 64 << 20})
	if err != nil || status != 1 {
		t.Errorf("status %d, %v: want malloc to fail between 100,000 and 1M blocks", status, err)
	}
}
