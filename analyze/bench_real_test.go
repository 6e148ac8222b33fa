package analyze

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkRealHistory analyzes a bounded range of a real kernel's history
// into a new database with one parse worker: UPSYNTH_BENCH_REPO is the
// clone, UPSYNTH_BENCH_REV the range (A..B), first parents only. The
// procedure and the figures are in docs/real-kernels.md.
func BenchmarkRealHistory(b *testing.B) {
	repo, rev := os.Getenv("UPSYNTH_BENCH_REPO"), os.Getenv("UPSYNTH_BENCH_REV")
	if repo == "" || rev == "" {
		b.Skip("UPSYNTH_BENCH_REPO and UPSYNTH_BENCH_REV unset: set them to a kernel clone and a range A..B")
	}
	for i := 0; i < b.N; i++ {
		db := filepath.Join(b.TempDir(), "real.db")
		st, err := Run(context.Background(), Options{Repo: repo, DB: db, Rev: rev, FirstParent: true, Jobs: 1})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(st.Commits), "commits")
	}
}
