package analyze

import (
	"context"
	"encoding/json"
	"maps"
	"path/filepath"
	"strings"
	"testing"

	"github.com/upsynth/upsynth/analyze/store"
	"github.com/upsynth/upsynth/corpus"
	"github.com/upsynth/upsynth/internal/pgtest"
)

// commitsJSON is what `report commits --format json` is made of: every
// commit in analysis order, with its changes.
func commitsJSON(t *testing.T, db string) string {
	t.Helper()
	st, err := store.OpenReader(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	cs, err := st.Commits(context.Background(), 0)
	if err != nil {
		t.Fatal(err)
	}
	out, err := json.MarshalIndent(cs, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

func problemCount(t *testing.T, db string) map[string]int {
	t.Helper()
	st, err := store.OpenReader(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ps, err := st.Problems(context.Background(), 1, "")
	if err != nil {
		t.Fatal(err)
	}
	n := map[string]int{}
	for _, p := range ps {
		n[p.Sha+" "+p.Kind+" "+p.Path+" "+p.Message]++
	}
	return n
}

// TestDistributedEqualsRun: a run planned, summarized in batches and
// classified in segments — in any order of the jobs, some done twice —
// records exactly what one Run records: the same commits, in the same
// order, with the same changes, and the same problems.
func TestDistributedEqualsRun(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	repo := filepath.Join(dir, "kernel")
	if _, err := corpus.Build(repo); err != nil {
		t.Fatal(err)
	}
	lite := filepath.Join(dir, "a.db")
	if _, err := Run(ctx, Options{Repo: repo, DB: lite}); err != nil {
		t.Fatal(err)
	}
	want, wantProblems := commitsJSON(t, lite), problemCount(t, lite)
	t.Logf("%d problems recorded", len(wantProblems))

	for _, seg := range []int{1, 7, 1000} {
		url := distributedRun(t, Options{Repo: repo}, 10, seg)
		if got := commitsJSON(t, url); got != want {
			t.Errorf("segments of %d: the distributed run's commits differ from one Run's", seg)
			diffLines(t, want, got)
		}
		if got := problemCount(t, url); !maps.Equal(got, wantProblems) {
			t.Errorf("segments of %d: problems %v, want %v", seg, got, wantProblems)
		}
	}
}

// distributedRun plans a run of opts into a new PostgreSQL database and
// does its jobs — blob batches of blobBatch, segments of seg commits — in
// reverse order, the first blob batch and every other segment twice (a
// retried job), and returns the database's URL.
func distributedRun(t *testing.T, opts Options, blobBatch, seg int) string {
	t.Helper()
	ctx := context.Background()
	url := pgtest.DB(t)
	opts.DB = url
	plan, err := PlanRun(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	w, err := NewWorker(opts.Repo, st, 2)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	var batches [][]BlobTask
	for i := 0; i < len(plan.Blobs); i += blobBatch {
		batches = append(batches, plan.Blobs[i:min(i+blobBatch, len(plan.Blobs))])
	}
	if len(batches) > 0 {
		batches = append(batches, batches[0])
	}
	for i := len(batches) - 1; i >= 0; i-- {
		b, err := w.Summarize(ctx, plan.Settings, batches[i])
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 && len(b.Blobs) != 0 {
			t.Errorf("a batch done again writes %d blobs again", len(b.Blobs))
		}
		if i == 0 {
			continue // as a retried job whose first run completed: not written twice
		}
		if err := st.Write(ctx, b); err != nil {
			t.Fatal(err)
		}
	}
	for i := (len(plan.Commits) - 1) / seg * seg; i >= 0; i -= seg {
		end := min(i+seg, len(plan.Commits))
		for range 1 + i%2 {
			b, err := w.ClassifySegment(ctx, plan.Settings, plan.Commits[i:end], plan.Ords[i:end])
			if err != nil {
				t.Fatal(err)
			}
			if err := st.Write(ctx, b); err != nil {
				t.Fatal(err)
			}
		}
	}
	return url
}

// TestDistributedHostileFiles: files too large, binary, with a path that
// is not UTF-8, and a history that does not start at its root record the
// same commits and problems distributed as in one Run.
func TestDistributedHostileFiles(t *testing.T) {
	ctx := context.Background()
	g := newRepo(t)
	commit(t, g, "one", map[string]string{"ok.c": small})
	commit(t, g, "huge", map[string]string{"gen/table.c": strings.Repeat("int x;\n", 2000)})
	commit(t, g, "binary", map[string]string{"fw/blob.c": "\x7fELF\x02\x01\x01\x00\x00\x00binary"})
	commit(t, g, "latin1 name", map[string]string{"fs/caf\xe9.c": small})
	commit(t, g, "after", map[string]string{"ok.c": strings.Replace(small, "1", "2", 1), "fw/blob.c": "int fw;\n"})
	opts := Options{Repo: g.Dir, MaxFileSize: 4096}
	lite := opts
	lite.DB = filepath.Join(t.TempDir(), "a.db")
	if _, err := Run(ctx, lite); err != nil {
		t.Fatal(err)
	}
	want, wantProblems := commitsJSON(t, lite.DB), problemCount(t, lite.DB)
	if len(wantProblems) < 3 {
		t.Fatalf("the one-process run recorded %d problems, want the path, too-large and binary ones: %v", len(wantProblems), wantProblems)
	}
	for _, seg := range []int{1, 2} {
		url := distributedRun(t, opts, 1, seg)
		if got := commitsJSON(t, url); got != want {
			t.Errorf("segments of %d: the distributed run's commits differ from one Run's", seg)
			diffLines(t, want, got)
		}
		if got := problemCount(t, url); !maps.Equal(got, wantProblems) {
			t.Errorf("segments of %d: problems\n%v\nwant\n%v", seg, got, wantProblems)
		}
	}
}

func diffLines(t *testing.T, want, got string) {
	t.Helper()
	w, g := []rune(want), []rune(got)
	for i := range min(len(w), len(g)) {
		if w[i] != g[i] {
			lo := max(0, i-300)
			t.Logf("first difference at %d:\nwant …%s…\n got …%s…", i, string(w[lo:min(len(w), i+200)]), string(g[lo:min(len(g), i+200)]))
			return
		}
	}
	t.Logf("lengths %d and %d", len(w), len(g))
}
