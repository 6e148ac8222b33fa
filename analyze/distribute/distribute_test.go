package distribute

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/upsynth/upsynth/analyze"
	"github.com/upsynth/upsynth/analyze/store"
	"github.com/upsynth/upsynth/internal/gittest"
	"github.com/upsynth/upsynth/internal/pgtest"
)

func TestMain(m *testing.M) {
	code := pgtest.Main(m)
	if benchDir != "" {
		os.RemoveAll(benchDir)
	}
	os.Exit(code)
}

var (
	benchOnce sync.Once
	benchDir  string
	benchErr  error
)

// benchCommits and benchModules size the generated history of the
// benchmarks: a few hundred commits keep one iteration at seconds.
const benchCommits, benchModules = 400, 60

func syntheticRepo(tb testing.TB) string {
	tb.Helper()
	benchOnce.Do(func() {
		if benchDir, benchErr = os.MkdirTemp("", "upsynth-dist-"); benchErr == nil {
			_, benchErr = gittest.Synthetic(filepath.Join(benchDir, "repo"), benchCommits, benchModules, 1)
		}
	})
	if benchErr != nil {
		tb.Fatal(benchErr)
	}
	return filepath.Join(benchDir, "repo")
}

// runWorkers runs the queued run with n in-process workers (each its own
// river client and pool, one job at a time) until it has ended.
func runWorkers(tb testing.TB, url, repo string, run int64, n int) RunStatus {
	tb.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			err := Work(ctx, WorkOptions{DB: url, Repo: repo, ID: fmt.Sprint("bench", i), Concurrency: 1})
			if err != nil && !errors.Is(err, context.Canceled) {
				tb.Error(err)
			}
		})
	}
	st, err := Wait(context.Background(), url, run, 20*time.Millisecond, nil)
	cancel()
	wg.Wait()
	if err != nil {
		tb.Fatal(err)
	}
	if st.Status != "done" {
		tb.Fatalf("run %d %s: %s", run, st.Status, st.Error)
	}
	return st
}

// TestWorkersFinishRun: in-process workers on the generated history end
// the run with its counts, and a worker whose settings differ (another
// --config) fails its jobs for good instead of recording other summaries.
func TestWorkersFinishRun(t *testing.T) {
	if testing.Short() {
		t.Skip("generates a history and starts a PostgreSQL server")
	}
	ctx := context.Background()
	repo := syntheticRepo(t)
	url := pgtest.DB(t)
	plan, err := Enqueue(ctx, analyze.Options{Repo: repo, DB: url, Rev: "HEAD~40..HEAD"}, Sizes{Blobs: 16, Commits: 10})
	if err != nil {
		t.Fatal(err)
	}
	st := runWorkers(t, url, repo, plan.Run, 2)
	if st.Commits != len(plan.Commits) || st.Summarize.ItemsDone != len(plan.Blobs) || st.Classify.Failed+st.Summarize.Failed != 0 {
		t.Errorf("status %+v for a plan of %d commits, %d blobs", st, len(plan.Commits), len(plan.Blobs))
	}
	// Another range whose jobs say another config file than the workers'
	// clone gives: the settings differ.
	cfg := filepath.Join(t.TempDir(), "other.yaml")
	if err := os.WriteFile(cfg, []byte("defines: [\"OTHER=1\"]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	plan, err = Enqueue(ctx, analyze.Options{Repo: repo, DB: url, Rev: "HEAD~60..HEAD~40", ConfigFile: cfg}, Sizes{})
	if err != nil {
		t.Fatal(err)
	}
	// The workers' copy of the file says otherwise.
	if err := os.WriteFile(cfg, []byte("defines: [\"OTHER=2\"]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx2, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- Work(ctx2, WorkOptions{DB: url, Repo: repo, ID: "w", UntilIdle: true}) }()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	all, err := Status(ctx, url, 10)
	if err != nil {
		t.Fatal(err)
	}
	if r := all[0]; r.ID != plan.Run || r.Status != "failed" || r.Summarize.Failed == 0 || r.Commits != 0 {
		t.Errorf("a run whose settings differ: %+v", r)
	}
	// The worker recorded the end itself.
	rd, err := store.OpenReader(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer rd.Close()
	var status string
	if err := rd.DB().QueryRow(`SELECT status FROM runs WHERE id = $1`, plan.Run).Scan(&status); err != nil || status != "failed" {
		t.Errorf("runs.status = %q, %v; want failed", status, err)
	}
}

// BenchmarkWorkers measures a distributed analysis of the generated
// history with 1 and 2 workers (commits/s; their ratio is the speed-up),
// and the same units of work done directly, without the queue: per-blob
// and per-commit costs, and the queue's overhead per job.
func BenchmarkWorkers(b *testing.B) {
	repo := syntheticRepo(b)
	ctx := context.Background()
	sizes := Sizes{}
	for _, n := range []int{1, 2} {
		b.Run(fmt.Sprintf("workers=%d", n), func(b *testing.B) {
			var commits, blobs int
			for b.Loop() {
				b.StopTimer()
				url := pgtest.DB(b)
				b.StartTimer()
				plan, err := Enqueue(ctx, analyze.Options{Repo: repo, DB: url}, sizes)
				if err != nil {
					b.Fatal(err)
				}
				runWorkers(b, url, repo, plan.Run, n)
				commits += len(plan.Commits)
				blobs += len(plan.Blobs)
			}
			b.ReportMetric(float64(commits)/b.Elapsed().Seconds(), "commits/s")
			b.ReportMetric(float64(blobs)/b.Elapsed().Seconds(), "blobs/s")
		})
	}
	b.Run("direct", func(b *testing.B) {
		var commits, blobs, jobs int
		var summarize, classify time.Duration
		for b.Loop() {
			b.StopTimer()
			url := pgtest.DB(b)
			b.StartTimer()
			plan, err := analyze.PlanRun(ctx, analyze.Options{Repo: repo, DB: url})
			if err != nil {
				b.Fatal(err)
			}
			st, err := store.Open(ctx, url)
			if err != nil {
				b.Fatal(err)
			}
			w, err := analyze.NewWorker(repo, st, 1)
			if err != nil {
				b.Fatal(err)
			}
			sizes.defaults()
			start := time.Now()
			for i := 0; i < len(plan.Blobs); i += sizes.Blobs {
				batch, err := w.Summarize(ctx, plan.Settings, plan.Blobs[i:min(i+sizes.Blobs, len(plan.Blobs))])
				if err == nil {
					err = st.Write(ctx, batch)
				}
				if err != nil {
					b.Fatal(err)
				}
				jobs++
			}
			summarize += time.Since(start)
			start = time.Now()
			for i := 0; i < len(plan.Commits); i += sizes.Commits {
				end := min(i+sizes.Commits, len(plan.Commits))
				batch, err := w.ClassifySegment(ctx, plan.Settings, plan.Commits[i:end], plan.Ords[i:end])
				if err == nil {
					err = st.Write(ctx, batch)
				}
				if err != nil {
					b.Fatal(err)
				}
				jobs++
			}
			classify += time.Since(start)
			w.Close()
			st.Close()
			commits += len(plan.Commits)
			blobs += len(plan.Blobs)
		}
		b.ReportMetric(float64(commits)/b.Elapsed().Seconds(), "commits/s")
		b.ReportMetric(float64(summarize.Milliseconds())/float64(blobs), "ms/blob")
		b.ReportMetric(float64(classify.Milliseconds())/float64(commits), "ms/commit")
		b.ReportMetric(float64(jobs)/float64(b.N), "jobs/op")
	})
}
