package analyze

import (
	"context"
	"encoding/json"
	"maps"
	"path/filepath"
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
		url := pgtest.DB(t)
		plan, err := PlanRun(ctx, Options{Repo: repo, DB: url})
		if err != nil {
			t.Fatal(err)
		}
		if len(plan.Commits) != 95 || len(plan.Blobs) == 0 {
			t.Fatalf("plan: %d commits, %d blobs", len(plan.Commits), len(plan.Blobs))
		}
		st, err := store.Open(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		w, err := NewWorker(repo, st, 2)
		if err != nil {
			t.Fatal(err)
		}
		// Blob batches last first; the first done twice (a retried job).
		var batches [][]BlobTask
		for i := 0; i < len(plan.Blobs); i += 10 {
			batches = append(batches, plan.Blobs[i:min(i+10, len(plan.Blobs))])
		}
		batches = append(batches, batches[0])
		for i := len(batches) - 1; i >= 0; i-- {
			b, err := w.Summarize(ctx, plan.Settings, batches[i])
			if err != nil {
				t.Fatal(err)
			}
			if i == 0 && len(b.Blobs)+len(b.Problems) != 0 {
				t.Errorf("a batch done again writes %d blobs, %d problems again", len(b.Blobs), len(b.Problems))
			}
			if err := st.Write(ctx, b); err != nil {
				t.Fatal(err)
			}
		}
		// Segments in reverse order, one classified twice.
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
		w.Close()
		st.Close()
		if got := commitsJSON(t, url); got != want {
			t.Errorf("segments of %d: the distributed run's commits differ from one Run's", seg)
			diffLines(t, want, got)
		}
		if got := problemCount(t, url); !maps.Equal(got, wantProblems) {
			t.Errorf("segments of %d: problems %v, want %v", seg, got, wantProblems)
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
