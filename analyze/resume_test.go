package analyze

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/upsynth/upsynth/analyze/store"
	"github.com/upsynth/upsynth/cparse"
)

// classes returns sha -> class of every commit in a database.
func classes(t *testing.T, db string) map[string]string {
	t.Helper()
	s, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	cs, err := s.Commits(context.Background(), 0)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, c := range cs {
		out[c.Sha] = c.Class + " " + c.Reason
	}
	return out
}

func fixtureRepo(t *testing.T) (string, int) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "repo")
	steps := fixtureHistory()
	applySteps(t, dir, steps)
	return dir, len(steps)
}

func sameClasses(t *testing.T, got, want map[string]string) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%d commits recorded, want %d", len(got), len(want))
	}
	for sha, w := range want {
		if got[sha] != w {
			t.Errorf("%s: %q, want %q", sha[:8], got[sha], w)
		}
	}
}

func TestInterruptedRunResumes(t *testing.T) {
	repo, n := fixtureRepo(t)
	clean := filepath.Join(t.TempDir(), "clean.db")
	if _, err := Run(context.Background(), Options{Repo: repo, DB: clean}); err != nil {
		t.Fatal(err)
	}
	want := classes(t, clean)

	db := filepath.Join(t.TempDir(), "a.db")
	ctx, cancel := context.WithCancel(context.Background())
	_, err := Run(ctx, Options{Repo: repo, DB: db, BatchSize: 3, Progress: func(done, total int) {
		if done == n/2 {
			cancel()
		}
	}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted run: %v", err)
	}
	// Everything classified before the interruption is kept, even the
	// commits of the batch that was not full yet.
	partial := len(classes(t, db))
	if partial < n/2 || partial >= n {
		t.Fatalf("interrupted run kept %d of %d commits, want at least %d", partial, n, n/2)
	}
	st, err := Run(context.Background(), Options{Repo: repo, DB: db})
	if err != nil {
		t.Fatal(err)
	}
	if st.Skipped != partial || st.Commits+st.Merges != n-partial {
		t.Errorf("resumed run: skipped %d, analyzed %d+%d; want %d skipped", st.Skipped, st.Commits, st.Merges, partial)
	}
	sameClasses(t, classes(t, db), want)
}

func TestNewCommitsAnalyzedIncrementally(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "repo")
	steps := fixtureHistory()
	shas := applySteps(t, dir, steps)
	clean := filepath.Join(t.TempDir(), "clean.db")
	if _, err := Run(context.Background(), Options{Repo: dir, DB: clean}); err != nil {
		t.Fatal(err)
	}
	want := classes(t, clean)

	db := filepath.Join(t.TempDir(), "a.db")
	mid := shas["Raise MAXFILE"].String()
	st, err := Run(context.Background(), Options{Repo: dir, DB: db, Rev: mid})
	if err != nil {
		t.Fatal(err)
	}
	first := st.Commits + st.Merges
	var parses atomic.Int64
	st, err = Run(context.Background(), Options{Repo: dir, DB: db, Parse: countingParse(&parses)})
	if err != nil {
		t.Fatal(err)
	}
	if st.Skipped != first || first+st.Commits+st.Merges != len(steps) {
		t.Errorf("second run skipped %d and analyzed %d; first run did %d of %d", st.Skipped, st.Commits+st.Merges, first, len(steps))
	}
	// Only blobs new since the first range are parsed; the index is
	// rebuilt from memoized summaries.
	if p := parses.Load(); p == 0 || p > 12 {
		t.Errorf("second run parsed %d blobs", p)
	}
	sameClasses(t, classes(t, db), want)

	// A range A..B analyzes only what B adds.
	db2 := filepath.Join(t.TempDir(), "b.db")
	st, err = Run(context.Background(), Options{Repo: dir, DB: db2, Rev: mid + "..HEAD"})
	if err != nil {
		t.Fatal(err)
	}
	if st.Commits+st.Merges != len(steps)-first {
		t.Errorf("range run analyzed %d commits, want %d", st.Commits+st.Merges, len(steps)-first)
	}
}

// TestKilledRunResumes kills an analysis with SIGKILL mid-run: the database
// keeps the batches already committed and the next run completes it with
// the same classifications as an uninterrupted run.
func TestKilledRunResumes(t *testing.T) {
	if os.Getenv("UPSYNTH_KILL_HELPER_DB") != "" {
		t.Skip("helper process")
	}
	repo, n := fixtureRepo(t)
	clean := filepath.Join(t.TempDir(), "clean.db")
	if _, err := Run(context.Background(), Options{Repo: repo, DB: clean}); err != nil {
		t.Fatal(err)
	}
	want := classes(t, clean)

	db := filepath.Join(t.TempDir(), "a.db")
	cmd := exec.Command(os.Args[0], "-test.run=^TestKillHelper$")
	cmd.Env = append(os.Environ(), "UPSYNTH_KILL_HELPER_DB="+db, "UPSYNTH_KILL_HELPER_REPO="+repo)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(3 * time.Minute)
	for {
		if _, err := os.Stat(db); err == nil && countCommits(db) > 0 {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatal("helper recorded nothing")
		}
		time.Sleep(20 * time.Millisecond)
	}
	cmd.Process.Kill() // SIGKILL: no cleanup runs
	cmd.Wait()
	partial := countCommits(db)
	if partial >= n {
		t.Skipf("the helper finished (%d commits) before it was killed", partial)
	}
	st, err := Run(context.Background(), Options{Repo: repo, DB: db})
	if err != nil {
		t.Fatal(err)
	}
	if st.Skipped != partial {
		t.Errorf("resumed run skipped %d, want %d", st.Skipped, partial)
	}
	sameClasses(t, classes(t, db), want)
}

func countCommits(db string) int {
	s, err := store.Open(context.Background(), db)
	if err != nil {
		return 0
	}
	defer s.Close()
	var n int
	s.DB().QueryRow("SELECT count(*) FROM commits").Scan(&n)
	return n
}

// TestKillHelper is the process TestKilledRunResumes kills: a slow
// analysis writing one commit per batch.
func TestKillHelper(t *testing.T) {
	db := os.Getenv("UPSYNTH_KILL_HELPER_DB")
	if db == "" {
		t.Skip("only run by TestKilledRunResumes")
	}
	slow := func(ctx context.Context, path string, src []byte, cfg cparse.Config) *cparse.Summary {
		time.Sleep(10 * time.Millisecond)
		return cparse.Parse(ctx, path, src, cfg)
	}
	Run(context.Background(), Options{Repo: os.Getenv("UPSYNTH_KILL_HELPER_REPO"), DB: db, BatchSize: 1, Jobs: 1, Parse: slow})
	t.Log("finished: " + strconv.Itoa(countCommits(db)))
}
