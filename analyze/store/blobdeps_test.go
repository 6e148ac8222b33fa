package store

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/upsynth/upsynth/cparse"
	"github.com/upsynth/upsynth/internal/pgtest"
)

// oldBlobRows are two memoized summaries as schema version 4 stored them:
// one precise, one tolerant, without what their parses looked up.
func oldBlobRows(t *testing.T, db *sql.DB, q func(string) string) {
	t.Helper()
	for _, row := range []struct{ blob, engine string }{{"aaaa", "precise"}, {"bbbb", "tolerant"}} {
		data, err := EncodeSummary(&cparse.Summary{Version: cparse.SchemaVersion, Path: row.blob + ".c", Lang: cparse.LangC, Engine: cparse.Engine(row.engine)})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(q(`INSERT INTO blobs(blob, schema, fingerprint, path, lang, engine, size, status, summary)
			VALUES (?, ?, 'fp', ?, 'c', ?, 10, 'ok', ?)`), row.blob, cparse.SchemaVersion, row.blob+".c", row.engine, data); err != nil {
			t.Fatal(err)
		}
	}
}

// checkMigratedBlobs: after migration 5 the old rows say DepsUnknown, keep
// their checksums right, and a version of the same blob with its
// dependencies recorded is memoized beside them.
func checkMigratedBlobs(t *testing.T, s *Store) {
	t.Helper()
	ctx := context.Background()
	vs, err := s.BlobVersions(ctx, "aaaa", cparse.SchemaVersion, "fp")
	if err != nil || len(vs) != 1 {
		t.Fatalf("versions of aaaa: %v, %v", vs, err)
	}
	if v := vs[0]; v.Deps != DepsUnknown || v.DepState != nil || v.Engine() != cparse.EnginePrecise || v.Path != "aaaa.c" {
		t.Errorf("migrated row: deps %q %q, engine %s, path %s", v.Deps, v.DepState, v.Engine(), v.Path)
	}
	if sum, err := vs[0].Decoded(); err != nil || sum.Path != "aaaa.c" {
		t.Errorf("migrated summary: %v, %v", sum, err)
	}
	again := &Blob{BlobKey: BlobKey{Blob: "aaaa", Schema: cparse.SchemaVersion, Fingerprint: "fp", Deps: "0123"}, Path: "aaaa.c", Status: "ok",
		Summary: &cparse.Summary{Path: "aaaa.c", Lang: cparse.LangC, Engine: cparse.EnginePrecise}, DepState: []byte("c 0000000000000000000000000000000000000001 a.h\n")}
	if err := s.Write(ctx, &Batch{Blobs: []*Blob{again}}); err != nil {
		t.Fatal(err)
	}
	if vs, err = s.BlobVersions(ctx, "aaaa", cparse.SchemaVersion, "fp"); err != nil || len(vs) != 2 {
		t.Fatalf("versions of aaaa after a new one: %d, %v", len(vs), err)
	}
	got := map[string]string{}
	for _, v := range vs {
		got[v.Deps] = string(v.DepState)
	}
	if got[DepsUnknown] != "" || got["0123"] != string(again.DepState) {
		t.Errorf("versions: %q", got)
	}
	if b, err := s.LoadBlob(ctx, again.BlobKey); err != nil || b == nil || string(b.DepState) != string(again.DepState) {
		t.Errorf("LoadBlob of the new version: %v, %v", b, err)
	}
	if rep, err := s.Check(ctx); err != nil || !rep.OK() {
		t.Errorf("check: %+v, %v", rep, err)
	}
}

func TestBlobDepsMigration(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	db, err := sql.Open("sqlite", fileURI(path))
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range migrations[:4] {
		if _, err := db.Exec(m); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.Exec(`PRAGMA user_version = 4`); err != nil {
		t.Fatal(err)
	}
	oldBlobRows(t, db, func(q string) string { return q })
	db.Close()
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	checkMigratedBlobs(t, s)
}

func TestPostgresBlobDepsMigration(t *testing.T) {
	ctx := context.Background()
	url := pgtest.DB(t)
	old, err := openPostgres(ctx, url, false)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range pgMigrations[:4] {
		if _, err := old.db.ExecContext(ctx, m); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := old.db.ExecContext(ctx, `CREATE TABLE upsynth_schema (version INTEGER NOT NULL); INSERT INTO upsynth_schema VALUES (4)`); err != nil {
		t.Fatal(err)
	}
	oldBlobRows(t, old.db, old.q)
	old.Close()
	s, err := Open(ctx, url)
	if err != nil {
		t.Fatal(fmt.Errorf("migrating: %w", err))
	}
	defer s.Close()
	checkMigratedBlobs(t, s)
}
