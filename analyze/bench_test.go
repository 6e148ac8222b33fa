package analyze

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"

	"github.com/upsynth/upsynth/internal/gittest"
	"github.com/upsynth/upsynth/internal/pgtest"
	"github.com/upsynth/upsynth/kernel"
)

// benchCommits is the size of the generated kernel.
const benchCommits = 2000

var (
	benchOnce sync.Once
	benchDir  string // removed by TestMain
	benchErr  error
)

// syntheticRepo generates the benchmark history once per process.
func syntheticRepo(b *testing.B) string {
	b.Helper()
	benchOnce.Do(func() {
		if benchDir, benchErr = os.MkdirTemp("", "upsynth-bench-"); benchErr == nil {
			_, benchErr = gittest.Synthetic(filepath.Join(benchDir, "repo"), benchCommits, 120, 1)
		}
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return filepath.Join(benchDir, "repo")
}

func TestMain(m *testing.M) {
	code := pgtest.Main(m)
	if benchDir != "" {
		os.RemoveAll(benchDir)
	}
	os.Exit(code)
}

// BenchmarkColdAnalysis analyzes the whole generated history into a new
// database: parsing, classification and storage.
func BenchmarkColdAnalysis(b *testing.B) {
	repo := syntheticRepo(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		db := filepath.Join(b.TempDir(), "cold.db")
		st, err := Run(context.Background(), Options{Repo: repo, DB: db})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(st.Commits)/b.Elapsed().Seconds()*float64(i+1), "commits/s")
	}
}

// BenchmarkWarmAnalysis re-runs over a fully analyzed history: nothing is
// parsed or classified.
func BenchmarkWarmAnalysis(b *testing.B) {
	repo := syntheticRepo(b)
	db := filepath.Join(b.TempDir(), "warm.db")
	if _, err := Run(context.Background(), Options{Repo: repo, DB: db}); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		st, err := Run(context.Background(), Options{Repo: repo, DB: db})
		if err != nil {
			b.Fatal(err)
		}
		if st.Parsed != 0 || st.Commits != 0 {
			b.Fatalf("warm run parsed %d and analyzed %d", st.Parsed, st.Commits)
		}
	}
}

// BenchmarkHistoryWalk is the walk alone — every commit diffed against its
// parent — next to `git log --raw` on the same repository.
func BenchmarkHistoryWalk(b *testing.B) {
	repo := syntheticRepo(b)
	b.Run("go-git", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			r, err := kernel.Open(repo)
			if err != nil {
				b.Fatal(err)
			}
			rng, err := r.Commits("", false)
			if err != nil {
				b.Fatal(err)
			}
			for _, c := range rng.Commits {
				parent := c.TreeHash
				if len(c.ParentHashes) > 0 {
					p, err := r.Commit(c.ParentHashes[0])
					if err != nil {
						b.Fatal(err)
					}
					parent = p.TreeHash
				}
				if _, err := r.DiffTrees(parent, c.TreeHash); err != nil {
					b.Fatal(err)
				}
			}
			r.Close()
		}
	})
	b.Run("git-log-raw", func(b *testing.B) {
		if _, err := exec.LookPath("git"); err != nil {
			b.Skip("no git")
		}
		for i := 0; i < b.N; i++ {
			if err := exec.Command("git", "-C", repo, "log", "--raw", "--no-abbrev").Run(); err != nil {
				b.Fatal(err)
			}
		}
	})
}
