package analyze

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/upsynth/upsynth/analyze/store"
	"github.com/upsynth/upsynth/corpus"
)

// TestReleasedSummariesChangeNothing: releasing every commit's summaries
// once it is classified (as a commit whose summaries weigh releaseWeight or more does),
// and decoding them again where a later commit needs them, gives the same
// commits, changes and stored summaries as keeping them.
func TestReleasedSummariesChangeNothing(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	repo := filepath.Join(dir, "kernel")
	if _, err := corpus.Build(repo); err != nil {
		t.Fatal(err)
	}
	kept := filepath.Join(dir, "kept.db")
	if _, err := Run(ctx, Options{Repo: repo, DB: kept}); err != nil {
		t.Fatal(err)
	}
	defer func(w int64) { releaseWeight = w }(releaseWeight)
	releaseWeight = 1
	released := filepath.Join(dir, "released.db")
	st, err := Run(ctx, Options{Repo: repo, DB: released})
	if err != nil {
		t.Fatal(err)
	}
	if st.Commits == 0 {
		t.Fatal("no commits analyzed")
	}
	if want, got := commitsJSON(t, kept), commitsJSON(t, released); got != want {
		t.Error("releasing summaries changed the commits")
		diffLines(t, want, got)
	}
	if want, got := blobRows(t, kept), blobRows(t, released); got != want {
		t.Error("releasing summaries changed the stored summaries")
		diffLines(t, want, got)
	}
}

// blobRows lists the blobs table, parse times left out.
func blobRows(t *testing.T, db string) string {
	t.Helper()
	s, err := store.OpenReader(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	rows, err := s.DB().Query(`SELECT blob, path, lang, engine, size, status, reason, n_errors, hex(summary) FROM blobs ORDER BY blob`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := ""
	for rows.Next() {
		var blob, path, lang, engine, status, reason, summary string
		var size, nerr int64
		if err := rows.Scan(&blob, &path, &lang, &engine, &size, &status, &reason, &nerr, &summary); err != nil {
			t.Fatal(err)
		}
		out += fmt.Sprintln(blob, path, lang, engine, size, status, reason, nerr, summary)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
