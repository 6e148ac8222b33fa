package analyze

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/upsynth/upsynth/analyze/store"
)

// TestWriterFailureStopsTheRun: a batch the database refuses (here a
// trigger that fails the fifth commit row) stops the run with the
// database's error, naming it; the batches written before it are kept,
// and nothing after it is written.
func TestWriterFailureStopsTheRun(t *testing.T) {
	repo, n := fixtureRepo(t)
	db := filepath.Join(t.TempDir(), "a.db")
	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.DB().Exec(`CREATE TRIGGER refuse_fifth BEFORE INSERT ON commits
		WHEN (SELECT count(*) FROM commits) >= 4 BEGIN SELECT RAISE(ABORT, 'injected: disk full'); END`); err != nil {
		t.Fatal(err)
	}
	st.Close()
	_, err = Run(context.Background(), Options{Repo: repo, DB: db, BatchSize: 2})
	if err == nil || !strings.Contains(err.Error(), "injected: disk full") {
		t.Fatalf("run over a refusing database: %v, want the database's error", err)
	}
	if got := len(classes(t, db)); got != 4 {
		t.Errorf("%d of %d commits kept, want the 4 of the two batches written before the refused one", got, n)
	}
}
