package store

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/upsynth/upsynth/analyze/classify"
	"github.com/upsynth/upsynth/cparse"
	"github.com/upsynth/upsynth/internal/pgtest"
)

// The PostgreSQL tests run against a real server (package pgtest) and
// skip, saying why, where there is none.
func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

func sampleBatch(repo, run int64, sha string) (*Batch, *Commit, *cparse.Summary, BlobKey) {
	sum := &cparse.Summary{Version: cparse.SchemaVersion, Path: "a.c", Lang: cparse.LangC, Engine: cparse.EnginePrecise,
		Functions: []cparse.Function{{Name: "f", Signature: "int (void)", Definition: true}}}
	key := BlobKey{Blob: "abcd" + sha, Schema: cparse.SchemaVersion, Fingerprint: "fp"}
	c := &Commit{Sha: sha, Parent: "0123", Parents: []string{"0123"}, Author: "A", AuthorTime: time.Unix(100, 0).UTC(),
		Subject: "fix: x", Message: "fix: x\n", Class: "code", Purpose: "fix", PurposeReason: "prefix", Hazards: []string{"asm", "init"},
		Reason: "r", Changes: []Change{{File: "a.c", Entity: "function", Name: "f", Change: "body", Engine: "precise", Class: "code", Hazards: []classify.Hazard{}, Reason: "body"}}}
	b := &Batch{Repo: repo, Run: run, Commits: []*Commit{c}, Blobs: []*Blob{{BlobKey: key, Path: "a.c", Size: 10, Status: "ok", Summary: sum, ParseMS: 1.25}},
		Problems: []Problem{{Sha: c.Sha, Path: "a.c", Kind: "limit", Message: "m",
			Limit: &cparse.LimitError{Engine: cparse.EnginePrecise, Limit: "time", Max: 10, Figure: 11, Unit: "ms"}}}}
	return b, c, sum, key
}

// TestPostgresRoundTrip: what one process writes to PostgreSQL, another
// reads back exactly as from SQLite, in analysis order.
func TestPostgresRoundTrip(t *testing.T) {
	ctx := context.Background()
	url := pgtest.DB(t)
	s, err := Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	repo, err := s.Repo(ctx, "/src/kernel")
	if err != nil {
		t.Fatal(err)
	}
	if again, err := s.Repo(ctx, "/src/kernel"); err != nil || again != repo {
		t.Fatalf("Repo again = %d, %v; want %d", again, err, repo)
	}
	run, err := s.StartRun(ctx, repo, "HEAD")
	if err != nil {
		t.Fatal(err)
	}
	// Written in an order other than analysis order, as distributed
	// workers write: Ord decides.
	ords, err := s.ReserveOrds(ctx, 3)
	if err != nil || len(ords) != 3 {
		t.Fatalf("ReserveOrds = %v, %v", ords, err)
	}
	var want []*Commit
	for i, sha := range []string{"ffff01", "aaaa02", "cccc03"} {
		b, c, _, _ := sampleBatch(repo, run, sha)
		c.Ord = ords[2-i]
		want = append([]*Commit{c}, want...)
		if err := s.Write(ctx, b); err != nil {
			t.Fatal(err)
		}
	}
	b, c, sum, key := sampleBatch(repo, run, "abcdef0123")
	if err := s.Write(ctx, b); err != nil { // no Ord: the next of the sequence, last
		t.Fatal(err)
	}
	want = append(want, c)
	if err := s.Write(ctx, b); err != nil { // rewritten: keeps its place
		t.Fatal(err)
	}
	if err := s.FinishRun(run, RunStats{Commits: 4}, nil); err != nil {
		t.Fatal(err)
	}
	s.Close()

	r, err := OpenReader(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	got, err := r.Commits(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range want {
		c.Ord = 0
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Commits:\n got %+v\nwant %+v", got, want)
	}
	found, err := r.FindCommits(ctx, "ABCD")
	if err != nil || len(found) != 1 || !reflect.DeepEqual(found[0], c) {
		t.Errorf("FindCommits = %+v, %v", found, err)
	}
	bl, err := r.LoadBlob(ctx, key)
	if err != nil || bl == nil || !reflect.DeepEqual(bl.Summary, sum) || bl.ParseMS != 1.25 {
		t.Fatalf("LoadBlob = %+v, %v", bl, err)
	}
	ps, err := r.Problems(ctx, repo, c.Sha) // written twice, recorded once
	if err != nil || len(ps) != 1 || ps[0].Limit == nil || *ps[0].Limit != *b.Problems[0].Limit {
		t.Errorf("problems = %+v, %v", ps, err)
	}
	hashes, err := r.BlobHashes(ctx, cparse.SchemaVersion, "fp")
	if err != nil || len(hashes) != 4 {
		t.Errorf("BlobHashes = %v, %v", hashes, err)
	}
	// A reader's sessions are read-only.
	if err := r.Write(ctx, &Batch{Repo: repo, Run: run, Commits: []*Commit{{Sha: "beef", Hazards: []string{}}}}); err == nil ||
		!strings.Contains(err.Error(), "read-only") {
		t.Errorf("a reader wrote: %v", err)
	}
	if rep, err := r.Check(ctx); err != nil || !rep.OK() {
		t.Errorf("Check = %+v, %v", rep, err)
	}
}

// TestPostgresSchemaMatchesSQLite: both engines have the same tables and
// columns at the same version (PostgreSQL adds commits.ord for rowid).
func TestPostgresSchemaMatchesSQLite(t *testing.T) {
	if len(pgMigrations) != len(migrations) {
		t.Fatalf("%d PostgreSQL migrations, %d SQLite ones", len(pgMigrations), len(migrations))
	}
	ctx := context.Background()
	lite, err := Open(ctx, filepath.Join(t.TempDir(), "a.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer lite.Close()
	pg, err := Open(ctx, pgtest.DB(t))
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()
	var v int
	if err := pg.DB().QueryRow(`SELECT version FROM upsynth_schema`).Scan(&v); err != nil || v != SchemaVersion() {
		t.Errorf("PostgreSQL schema version %d, %v; want %d", v, err, SchemaVersion())
	}
	for _, tbl := range []string{"repos", "runs", "commits", "changes", "blobs", "problems"} {
		liteCols := columns(t, lite.DB(), `SELECT name FROM pragma_table_info('`+tbl+`')`)
		pgCols := columns(t, pg.DB(), `SELECT column_name FROM information_schema.columns WHERE table_name = '`+tbl+`'`)
		if tbl == "commits" {
			liteCols = append(liteCols, "ord")
		}
		slices.Sort(liteCols)
		slices.Sort(pgCols)
		if !slices.Equal(liteCols, pgCols) {
			t.Errorf("%s: SQLite columns %v, PostgreSQL %v", tbl, liteCols, pgCols)
		}
	}
}

func columns(t *testing.T, db *sql.DB, q string) []string {
	rows, err := db.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var c string
		rows.Scan(&c)
		out = append(out, c)
	}
	return out
}

// TestPostgresCheckFindsDamage: a cell changed behind the trigger's back
// and a damaged summary are both reported, as on SQLite.
func TestPostgresCheckFindsDamage(t *testing.T) {
	ctx := context.Background()
	url := pgtest.DB(t)
	s, err := Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	repo, _ := s.Repo(ctx, "/r")
	run, _ := s.StartRun(ctx, repo, "")
	b, _, _, key := sampleBatch(repo, run, "abcdef")
	if err := s.Write(ctx, b); err != nil {
		t.Fatal(err)
	}
	// An update through SQL keeps the checksum (the trigger).
	if _, err := s.DB().Exec(`UPDATE commits SET purpose = 'perf'`); err != nil {
		t.Fatal(err)
	}
	if rep, err := s.Check(ctx); err != nil || !rep.OK() {
		t.Fatalf("after writes: %+v, %v", rep, err)
	}
	for _, q := range []string{
		`ALTER TABLE commits DISABLE TRIGGER commits_sum`,
		`UPDATE commits SET subject = 'fix: y'`,
		`UPDATE blobs SET summary = overlay(summary placing '\xff'::bytea from 20 for 1) WHERE blob = '` + key.Blob + `'`,
	} {
		if _, err := s.DB().Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	rep, err := s.Check(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Rows) != 1 || !strings.HasPrefix(rep.Rows[0], `commits row (repo_id 1, sha "abcdef")`) || len(rep.Summaries) != 1 {
		t.Errorf("Check = %+v, want the commit row and the summary", rep)
	}
}

// TestPostgresReaderRefusesEmpty: a database without upsynth's schema is
// no analysis database, and the reader leaves it empty.
func TestPostgresReaderRefusesEmpty(t *testing.T) {
	ctx := context.Background()
	url := pgtest.DB(t)
	_, err := OpenReader(ctx, url)
	var nd *NoDatabaseError
	if !errors.As(err, &nd) {
		t.Fatalf("OpenReader on an empty database = %v, want a NoDatabaseError", err)
	}
	if strings.Contains(err.Error(), "password") {
		t.Errorf("message shows the URL's secrets: %v", err)
	}
	if got := Display("postgres://u:secret@h/db"); strings.Contains(got, "secret") {
		t.Errorf("Display = %s", got)
	}
}

// TestPostgresConcurrentOpenAndLock: processes opening a new database at
// once migrate it once; analyze runs take turns on the advisory lock.
func TestPostgresConcurrentOpenAndLock(t *testing.T) {
	ctx := context.Background()
	url := pgtest.DB(t)
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for range 4 {
		wg.Go(func() {
			s, err := Open(ctx, url)
			if err == nil {
				s.Close()
			}
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("concurrent open: %v", err)
		}
	}
	a, _ := Open(ctx, url)
	defer a.Close()
	b, _ := Open(ctx, url)
	defer b.Close()
	release, err := a.LockAnalysis(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	waited := make(chan bool, 1)
	got := make(chan func(), 1)
	go func() {
		rel, err := b.LockAnalysis(ctx, func() { waited <- true })
		if err != nil {
			t.Error(err)
		}
		got <- rel
	}()
	<-waited
	select {
	case <-got:
		t.Fatal("two runs hold the lock at once")
	case <-time.After(300 * time.Millisecond):
	}
	release()
	(<-got)()
}
