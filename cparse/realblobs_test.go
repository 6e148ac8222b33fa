package cparse

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/upsynth/upsynth/runtime/cputime"
)

// realBlobs reads the files of the directory UPSYNTH_BLOBS names: blobs of
// a real history copied out of its repository (never committed), each
// named so that its extension is its path's. It skips when the variable is
// unset.
func realBlobs(tb testing.TB) (names []string, srcs [][]byte, total int64) {
	dir := os.Getenv("UPSYNTH_BLOBS")
	if dir == "" {
		tb.Skip("UPSYNTH_BLOBS (a directory of real blobs) not set")
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		tb.Fatal(err)
	}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		src, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			tb.Fatal(err)
		}
		names = append(names, e.Name())
		srcs = append(srcs, src)
		total += int64(len(src))
	}
	return names, srcs, total
}

// BenchmarkRealBlobsTolerant is the tolerant engine over real blobs
// (UPSYNTH_BLOBS): the rate real histories see, which the fixtures of
// BenchmarkRealistic* stand in for in make bench.
func BenchmarkRealBlobsTolerant(b *testing.B) {
	names, srcs, total := realBlobs(b)
	b.SetBytes(total)
	b.ResetTimer()
	cpu := cputime.Process()
	for i := 0; i < b.N; i++ {
		for j, src := range srcs {
			Parse(context.Background(), names[j], src, Config{Engine: EngineChoiceTolerant})
		}
	}
	if used := cputime.Process() - cpu; used > 0 {
		b.ReportMetric(float64(total)*float64(b.N)/used.Seconds()/1e6, "MB/cpu-s")
	}
}

// TestRealBlobsDigest writes, for each real blob (UPSYNTH_BLOBS), a digest
// of its tolerant summary to the file UPSYNTH_BLOBS_DIGEST, and lists the
// slowest: two runs' files compare the summaries of two versions of this
// package over the same blobs.
func TestRealBlobsDigest(t *testing.T) {
	out := os.Getenv("UPSYNTH_BLOBS_DIGEST")
	if out == "" {
		t.Skip("UPSYNTH_BLOBS_DIGEST (the file to write digests to) not set")
	}
	names, srcs, _ := realBlobs(t)
	type slow struct {
		name string
		cpu  time.Duration
		size int
	}
	var lines []string
	var slowest []slow
	for j, src := range srcs {
		sum := Parse(context.Background(), names[j], src, Config{Engine: EngineChoiceTolerant})
		slowest = append(slowest, slow{names[j], sum.CPU, len(src)})
		data, err := json.Marshal(sum)
		if err != nil {
			t.Fatal(err)
		}
		lines = append(lines, fmt.Sprintf("%x %s", sha256.Sum256(data), names[j]))
	}
	sort.Strings(lines)
	if err := os.WriteFile(out, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	sort.Slice(slowest, func(i, j int) bool { return slowest[i].cpu > slowest[j].cpu })
	for _, s := range slowest[:min(10, len(slowest))] {
		t.Logf("%s: %d bytes, %v", s.name, s.size, s.cpu)
	}
}
