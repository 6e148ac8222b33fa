package cparse

import (
	"bytes"
	"io"
	"testing"
	"testing/iotest"
	"time"
)

// TestReadUpToAsReadAll checks readUpTo against io.ReadAll over a limited
// reader, whatever size the reader claims: right, short, long, unknown.
func TestReadUpToAsReadAll(t *testing.T) {
	for _, n := range []int{0, 1, 511, 512, 513, 4096, 100_000} {
		data := bytes.Repeat([]byte("#define X 1\n"), n/12+1)[:n]
		for _, limit := range []int64{int64(n) + 1, int64(n), int64(n / 2), 1} {
			want, _ := io.ReadAll(io.LimitReader(bytes.NewReader(data), limit))
			for _, size := range []int64{int64(n), int64(n / 3), int64(2*n + 7), -1} {
				for _, r := range []io.Reader{bytes.NewReader(data), iotest.OneByteReader(bytes.NewReader(data)), iotest.HalfReader(bytes.NewReader(data))} {
					got, err := readUpTo(r, size, limit)
					if err != nil || !bytes.Equal(got, want) {
						t.Fatalf("n %d limit %d size %d: %d bytes, %v; want %d bytes", n, limit, size, len(got), err, len(want))
					}
				}
			}
		}
	}
	if _, err := readUpTo(iotest.ErrReader(io.ErrUnexpectedEOF), 10, 100); err != io.ErrUnexpectedEOF {
		t.Errorf("error %v, want %v", err, io.ErrUnexpectedEOF)
	}
}

// TestReadUpToOneBuffer checks that a reader of the size it says is read
// into one buffer: io.ReadAll's start at 512 bytes and doubling made a
// header of 100 KB cost 8 allocations and about 2.5 times its size.
//
// testing.AllocsPerRun counts the whole process's allocations, so it waits
// for translations an earlier test abandoned at their time budget (they
// go on until cc/v4 returns; CI once counted 86 of theirs per run) and
// keeps the least of a few measurements: other work only adds.
func TestReadUpToOneBuffer(t *testing.T) {
	for deadline := time.Now().Add(time.Minute); translationsRunning.Load() > 0 && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
	data := bytes.Repeat([]byte("x"), 100_000)
	r := bytes.NewReader(data)
	allocs := 1e9
	for range 5 {
		allocs = min(allocs, testing.AllocsPerRun(20, func() {
			r.Reset(data)
			if b, err := readUpTo(r, int64(len(data)), MaxIncludeBytes+1); err != nil || len(b) != len(data) {
				t.Fatalf("%d bytes, %v", len(b), err)
			}
		}))
		if allocs <= 1 {
			break
		}
	}
	if allocs > 1 {
		t.Errorf("%v allocations, want 1", allocs)
	}
}
