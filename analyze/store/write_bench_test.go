package store

import (
	"context"
	"fmt"
	"github.com/upsynth/upsynth/analyze/classify"
	"path/filepath"
	"testing"
	"time"
)

// BenchmarkWriteChanges writes one commit of 100,000 entity changes, the
// shape of a commit that deletes a vendor tree (FreeRTOS's 210b1ffcc87b
// has a million): the writer's cost per change row.
func BenchmarkWriteChanges(b *testing.B) {
	ctx := context.Background()
	s, repo, run := benchStore(b, "w.db")
	defer s.Close()
	const rows = 100_000
	changes := make([]Change, rows)
	for i := range changes {
		changes[i] = Change{File: fmt.Sprintf("Demo/vendor/include/regs%d.h", i/500), Entity: "macro",
			Name: fmt.Sprintf("REG_%d_BIT_%d", i, i%8), Change: "removed", Class: "none", Hazards: []classify.Hazard{}, Reason: "a macro no module uses was removed"}
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c := &Commit{Sha: fmt.Sprintf("%040x", i+1), Parents: []string{}, AuthorTime: time.Unix(0, 0), Class: "none", Purpose: "cleanup",
			Hazards: []string{}, Changes: changes}
		if err := s.Write(ctx, &Batch{Repo: repo, Run: run, Commits: []*Commit{c}}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(rows*b.N)/b.Elapsed().Seconds(), "rows/s")
}

// benchStore opens a new database named name in a temporary directory,
// with a repository and a run to write under.
func benchStore(b *testing.B, name string) (s *Store, repo, run int64) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(b.TempDir(), name))
	if err != nil {
		b.Fatal(err)
	}
	if repo, err = s.Repo(ctx, "/src/kernel"); err != nil {
		b.Fatal(err)
	}
	if run, err = s.StartRun(ctx, repo, "HEAD"); err != nil {
		b.Fatal(err)
	}
	return s, repo, run
}
