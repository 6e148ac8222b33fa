package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/upsynth/upsynth/corpus"
	"github.com/upsynth/upsynth/internal/pgtest"
)

// upsynthIn runs upsynth in this process and returns its standard output.
func upsynthIn(t *testing.T, args ...string) []byte {
	t.Helper()
	var out, errb bytes.Buffer
	if code := run(context.Background(), args, streams{In: bytes.NewReader(nil), Out: &out, Err: &errb}); code != 0 {
		t.Fatalf("upsynth %v: exit %d\n%s", args, code, errb.String())
	}
	return out.Bytes()
}

// worker starts `upsynth worker` as a process of its own.
func worker(t *testing.T, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], append([]string{"worker", "-q"}, args...)...)
	cmd.Env = append(os.Environ(), asMainEnv+"=1")
	cmd.Stderr = &bytes.Buffer{}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd
}

// TestDistributedWorkers: the corpus analyzed by 1, 2 and 4 worker
// processes through a real PostgreSQL server reports, byte for byte, what
// one process writing SQLite reports; and a worker SIGKILLed at random
// points ten times, restarted each time, leaves the same result and no
// duplicate row.
func TestDistributedWorkers(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a PostgreSQL server and worker processes")
	}
	srv, err := pgtest.Start()
	if errors.Is(err, pgtest.ErrNoServer) {
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Stop)
	ctx := context.Background()
	dir := t.TempDir()
	repo := filepath.Join(dir, "corpus")
	if _, err := corpus.Build(repo); err != nil {
		t.Fatal(err)
	}
	lite := filepath.Join(dir, "one.db")
	upsynthIn(t, "analyze", repo, "--db", lite, "-q")
	want := upsynthIn(t, "report", "commits", "--db", lite, "--format", "json")

	for _, n := range []int{1, 2, 4} {
		t.Run(fmt.Sprintf("%d workers", n), func(t *testing.T) {
			url, err := srv.NewDB(ctx)
			if err != nil {
				t.Fatal(err)
			}
			upsynthIn(t, "analyze", repo, "--db", url, "--distribute", "--detach", "--blobs-per-job", "16", "--commits-per-job", "10", "-q")
			var ws []*exec.Cmd
			for i := range n {
				ws = append(ws, worker(t, "--db", url, "--repo", repo, "--id", fmt.Sprint("w", i), "--until-idle"))
			}
			for _, w := range ws {
				if err := w.Wait(); err != nil {
					t.Fatalf("worker: %v\n%s", err, w.Stderr)
				}
			}
			if got := upsynthIn(t, "report", "commits", "--db", url, "--format", "json"); !bytes.Equal(got, want) {
				t.Errorf("report commits differs from the one-process SQLite run's")
			}
			status := upsynthIn(t, "analyze", "--status", "--db", url)
			if !bytes.Contains(status, []byte("run 1 done: blobs 187/187")) || !bytes.Contains(status, []byte("commits 95/95")) {
				t.Errorf("status:\n%s", status)
			}
		})
	}

	t.Run("killed", func(t *testing.T) {
		url, err := srv.NewDB(ctx)
		if err != nil {
			t.Fatal(err)
		}
		// Small jobs: many of them, so that kills land inside jobs.
		upsynthIn(t, "analyze", repo, "--db", url, "--distribute", "--detach", "--blobs-per-job", "4", "--commits-per-job", "3", "-q")
		rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 18))
		for i := range 10 {
			w := worker(t, "--db", url, "--repo", repo, "--id", "victim")
			delay := time.Duration(200+rng.IntN(900)) * time.Millisecond
			time.Sleep(delay)
			w.Process.Signal(syscall.SIGKILL)
			w.Wait()
			t.Logf("kill %d after %v", i+1, delay)
		}
		w := worker(t, "--db", url, "--repo", repo, "--id", "victim", "--until-idle")
		if err := w.Wait(); err != nil {
			t.Fatalf("worker: %v\n%s", err, w.Stderr)
		}
		if got := upsynthIn(t, "report", "commits", "--db", url, "--format", "json"); !bytes.Equal(got, want) {
			t.Errorf("after the kills, report commits differs from the one-process SQLite run's")
		}
		conn, err := pgx.Connect(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close(ctx)
		for _, q := range []string{
			`SELECT count(*) - count(DISTINCT (repo_id, sha)) FROM commits`,
			`SELECT count(*) - count(DISTINCT (repo_id, sha, seq)) FROM changes`,
			`SELECT count(*) - count(DISTINCT (blob, schema, fingerprint, deps_key)) FROM blobs`,
			`SELECT count(*) - count(DISTINCT (repo_id, sha, path, blob, kind, message)) FROM problems`,
			`SELECT count(*) FROM river_job WHERE state <> 'completed'`,
		} {
			var n int
			if err := conn.QueryRow(ctx, q).Scan(&n); err != nil || n != 0 {
				t.Errorf("%s = %d, %v; want 0", q, n, err)
			}
		}
		var blobs, retried int
		// A blob has a row per state of the headers its parses read; the
		// planned blobs are the distinct ones.
		conn.QueryRow(ctx, `SELECT count(DISTINCT blob) FROM blobs`).Scan(&blobs)
		conn.QueryRow(ctx, `SELECT count(*) FROM river_job WHERE attempt > 1`).Scan(&retried)
		t.Logf("%d jobs were started again after a kill", retried)
		if blobs != 187 {
			t.Errorf("%d blobs, want 187", blobs)
		}
		if retried == 0 {
			t.Error("no kill landed inside a job: the test proved nothing")
		}
	})
}
