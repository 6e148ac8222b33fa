package distribute

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/upsynth/upsynth/analyze"
	"github.com/upsynth/upsynth/analyze/store"
	"github.com/upsynth/upsynth/internal/gittest"
	"github.com/upsynth/upsynth/internal/pgtest"
	"github.com/upsynth/upsynth/runtime/cputime"
)

// workerEnv makes the test binary a worker process (url, repo and id
// on lines of their own) for the benchmarks: workers in processes of their own,
// as deployed (in one process, two workers' parsers slow each other).
const workerEnv = "UPSYNTH_TEST_WORKER"

func TestMain(m *testing.M) {
	if w := os.Getenv(workerEnv); w != "" {
		a := strings.Split(w, "\n")
		ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
		defer stop()
		err := Work(ctx, WorkOptions{DB: a[0], Repo: a[1], ID: a[2], Concurrency: 1, Log: os.Stderr,
			Started: func() { fmt.Println("started") }})
		if err != nil && !errors.Is(err, context.Canceled) {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
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

// startProcesses starts n worker processes on url and returns once they
// take jobs; stop stops them.
func startProcesses(tb testing.TB, url, repo string, n int) (stop func()) {
	tb.Helper()
	var procs []*exec.Cmd
	for i := range n {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), workerEnv+"="+url+"\n"+repo+"\n"+fmt.Sprint("bench", i))
		cmd.Stderr = os.Stderr
		out, err := cmd.StdoutPipe()
		if err != nil {
			tb.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			tb.Fatal(err)
		}
		if line, err := bufio.NewReader(out).ReadString('\n'); line != "started\n" {
			tb.Fatalf("worker process: %q, %v", line, err)
		}
		procs = append(procs, cmd)
	}
	return func() {
		for _, p := range procs {
			p.Process.Signal(syscall.SIGTERM)
			p.Wait()
		}
	}
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

// benchSizes cut the generated history into jobs small enough that two
// workers share them (about 60 jobs).
var benchSizes = Sizes{Blobs: 16, Commits: 40}

// queued analyzes the generated history into url through the queue, with
// the workers already running, and returns the plan.
func queued(b *testing.B, repo, url string) *analyze.Plan {
	plan, err := Enqueue(context.Background(), analyze.Options{Repo: repo, DB: url}, benchSizes)
	if err != nil {
		b.Fatal(err)
	}
	st, err := Wait(context.Background(), url, plan.Run, 50*time.Millisecond, nil)
	if err != nil {
		b.Fatal(err)
	}
	if st.Status != "done" {
		b.Fatalf("run %d %s: %s", plan.Run, st.Status, st.Error)
	}
	return plan
}

// direct does the same units of work as the queue's jobs, one after the
// other in this process, without river: what the queue adds is the
// difference.
func direct(b *testing.B, repo, url string) (plan *analyze.Plan, summarize, classify, sumCPU, classCPU time.Duration, jobs int) {
	ctx := context.Background()
	plan, err := analyze.PlanRun(ctx, analyze.Options{Repo: repo, DB: url})
	if err != nil {
		b.Fatal(err)
	}
	st, err := store.Open(ctx, url)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	w, err := analyze.NewWorker(repo, st, 1)
	if err != nil {
		b.Fatal(err)
	}
	defer w.Close()
	start, cpu := time.Now(), cputime.Process()
	for i := 0; i < len(plan.Blobs); i += benchSizes.Blobs {
		batch, err := w.Summarize(ctx, plan.Settings, plan.Blobs[i:min(i+benchSizes.Blobs, len(plan.Blobs))])
		if err == nil {
			err = st.Write(ctx, batch)
		}
		if err != nil {
			b.Fatal(err)
		}
		jobs++
	}
	summarize, sumCPU = time.Since(start), cputime.Process()-cpu
	start, cpu = time.Now(), cputime.Process()
	for i := 0; i < len(plan.Commits); i += benchSizes.Commits {
		end := min(i+benchSizes.Commits, len(plan.Commits))
		batch, err := w.ClassifySegment(ctx, plan.Settings, plan.Commits[i:end], plan.Ords[i:end])
		if err == nil {
			err = st.Write(ctx, batch)
		}
		if err != nil {
			b.Fatal(err)
		}
		jobs++
	}
	classify, classCPU = time.Since(start), cputime.Process()-cpu
	if err := st.FinishRun(plan.Run, store.RunStats{}, nil); err != nil {
		b.Fatal(err)
	}
	return plan, summarize, classify, sumCPU, classCPU, jobs
}

// BenchmarkWorkers measures a distributed analysis of the generated
// history: with 1 and 2 worker processes (commits/s; their ratio is the
// speed-up on this machine), the same units of work done directly (the
// per-blob and per-commit costs the sizing model in docs/scale-out.md
// uses), and the queue's coordination overhead per job (one worker's time
// less the direct time, over the jobs).
func BenchmarkWorkers(b *testing.B) {
	repo := syntheticRepo(b)
	for _, n := range []int{1, 2} {
		b.Run(fmt.Sprintf("workers=%d", n), func(b *testing.B) {
			var commits, blobs int
			for b.Loop() {
				b.StopTimer()
				url := pgtest.DB(b)
				stop := startProcesses(b, url, repo, n)
				b.StartTimer()
				plan := queued(b, repo, url)
				b.StopTimer()
				stop()
				b.StartTimer()
				commits += len(plan.Commits)
				blobs += len(plan.Blobs)
			}
			b.ReportMetric(float64(commits)/b.Elapsed().Seconds(), "commits/s")
			b.ReportMetric(float64(blobs)/b.Elapsed().Seconds(), "blobs/s")
		})
	}
	b.Run("direct", func(b *testing.B) {
		var commits, blobs int
		var summarize, classify, sumCPU, classCPU time.Duration
		for b.Loop() {
			b.StopTimer()
			url := pgtest.DB(b)
			b.StartTimer()
			plan, s, c, sc, cc, _ := direct(b, repo, url)
			summarize += s
			classify += c
			sumCPU += sc
			classCPU += cc
			commits += len(plan.Commits)
			blobs += len(plan.Blobs)
		}
		b.ReportMetric(float64(commits)/b.Elapsed().Seconds(), "commits/s")
		b.ReportMetric(float64(summarize.Microseconds())/1000/float64(blobs), "ms/blob")
		b.ReportMetric(float64(classify.Microseconds())/1000/float64(commits), "ms/commit")
		b.ReportMetric(float64(sumCPU.Microseconds())/1000/float64(blobs), "cpu-ms/blob")
		b.ReportMetric(float64(classCPU.Microseconds())/1000/float64(commits), "cpu-ms/commit")
	})
	b.Run("overhead", func(b *testing.B) {
		var over time.Duration
		var jobs int
		for b.Loop() {
			b.StopTimer()
			u1, u2 := pgtest.DB(b), pgtest.DB(b)
			stop := startProcesses(b, u2, repo, 1)
			b.StartTimer()
			start := time.Now()
			_, _, _, _, _, n := direct(b, repo, u1)
			d := time.Since(start)
			start = time.Now()
			queued(b, repo, u2)
			over += time.Since(start) - d
			b.StopTimer()
			stop()
			b.StartTimer()
			jobs += n
		}
		b.ReportMetric(float64(over.Microseconds())/1000/float64(jobs), "ms-overhead/job")
		b.ReportMetric(float64(jobs)/float64(b.N), "jobs/op")
	})
}
