package store

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestOddDatabaseNames: ? # % in a database path name that file (issue
// 21: "we?ird.db" created "we", the rest taken for URI parameters).
func TestOddDatabaseNames(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"we?ird.db", "a#b.db", "100%.db", "sp ace&x=y.db"} {
		p := filepath.Join(dir, name)
		s, err := Open(context.Background(), p)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		s.Close()
		if _, err := os.Stat(p); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		r, err := OpenReader(context.Background(), p)
		if err != nil {
			t.Errorf("%s: reader: %v", name, err)
		} else {
			r.Close()
		}
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if n := e.Name(); n == "we" || n == "a" || n == "100" {
			t.Errorf("stray file %s", n)
		}
	}
}

// TestReaderNeverWrites: a reader refuses a 0-byte file and leaves it as
// it was (issue 21: it was migrated into a database).
func TestReaderNeverWrites(t *testing.T) {
	p := filepath.Join(t.TempDir(), "empty.db")
	if err := os.WriteFile(p, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := OpenReader(context.Background(), p); err == nil || !strings.Contains(err.Error(), "not an analysis database") {
		t.Errorf("%v, want a refusal", err)
	}
	if st, err := os.Stat(p); err != nil || st.Size() != 0 {
		t.Errorf("the file changed: %v %v", st.Size(), err)
	}
	entries, _ := os.ReadDir(filepath.Dir(p))
	if len(entries) != 1 {
		t.Errorf("files beside it: %v", entries)
	}
	if _, err := OpenReader(context.Background(), filepath.Join(t.TempDir(), "missing.db")); err == nil {
		t.Error("a missing database opened")
	}
}

// TestCorruptDatabaseRefused: a database whose pages were damaged is
// refused for writing and Check lists the damage.
func TestCorruptDatabaseRefused(t *testing.T) {
	p := filepath.Join(t.TempDir(), "c.db")
	s, err := Open(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	repo, err := s.Repo(ctx, "/r")
	if err != nil {
		t.Fatal(err)
	}
	run, err := s.StartRun(ctx, repo, "x")
	if err != nil {
		t.Fatal(err)
	}
	var b Batch
	b.Repo, b.Run = repo, run
	for i := range 400 {
		b.Problems = append(b.Problems, Problem{Sha: strings.Repeat("a", 40), Path: "p" + strings.Repeat("x", i%50), Kind: "path", Message: strings.Repeat("m", 200)})
	}
	if err := s.Write(ctx, &b); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
		t.Fatal(err)
	}
	s.Close()
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	// Damage an index page's cell pointers: the b-tree no longer agrees
	// with itself.
	for off := 4096 * 3; off < len(data); off += 4096 {
		for k := 8; k < 40; k++ {
			data[off+k] ^= 0x5a
		}
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(ctx, p); !errors.Is(err, ErrCorrupt) {
		t.Errorf("open for writing: %v, want ErrCorrupt", err)
	}
	r, err := OpenReader(ctx, p)
	if err != nil {
		t.Fatalf("reader: %v", err)
	}
	defer r.Close()
	rep, err := r.Check(ctx)
	if err != nil || rep.OK() {
		t.Errorf("check: %+v, %v: want damage listed", rep, err)
	}
}

// TestPageSizeOfNewDatabases: a database Open creates has pageSize pages
// and WAL journaling (the driver runs a DSN's pragmas sorted by name,
// journal_mode first, after which the page size cannot change); one made
// before keeps its own page size, and is in WAL mode from then on.
func TestPageSizeOfNewDatabases(t *testing.T) {
	ctx := context.Background()
	pragmas := func(path string) (size int, mode string) {
		t.Helper()
		db, err := sql.Open("sqlite", fileURI(path))
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if err := db.QueryRow("PRAGMA page_size").Scan(&size); err != nil {
			t.Fatal(err)
		}
		if err := db.QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil {
			t.Fatal(err)
		}
		return size, mode
	}
	fresh := filepath.Join(t.TempDir(), "new.db")
	s, err := Open(ctx, fresh)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if size, mode := pragmas(fresh); size != pageSize || mode != "wal" {
		t.Errorf("new database: page size %d, journal %s; want %d, wal", size, mode, pageSize)
	}

	old := filepath.Join(t.TempDir(), "old.db")
	db, err := sql.Open("sqlite", fileURI(old))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("PRAGMA page_size = 4096; CREATE TABLE made_before(x)"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if s, err = Open(ctx, old); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if size, mode := pragmas(old); size != 4096 || mode != "wal" {
		t.Errorf("database made before: page size %d, journal %s; want 4096, wal", size, mode)
	}
}
