package store

import (
	"bytes"
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// writeOne makes a database at path holding one repository, one finished
// run, and one commit with one change and one problem.
func writeOne(t *testing.T, path string) {
	t.Helper()
	ctx := context.Background()
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	repo, err := s.Repo(ctx, "/src/kernel")
	if err != nil {
		t.Fatal(err)
	}
	run, err := s.StartRun(ctx, repo, "HEAD")
	if err != nil {
		t.Fatal(err)
	}
	c := &Commit{Sha: "abcdef0123", Parent: "0123", Parents: []string{"0123"}, Author: "A", AuthorTime: time.Unix(100, 0).UTC(),
		Subject: "fix: scheduler lock order", Message: "m\n", Class: "code", Purpose: "fix",
		Changes: []Change{{File: "a.c", Entity: "function", Name: "f", Change: "body", Class: "code", Reason: "the body of f changed"}}}
	if err := s.Write(ctx, &Batch{Repo: repo, Run: run, Commits: []*Commit{c},
		Problems: []Problem{{Sha: c.Sha, Path: "b.c", Kind: "parse", Message: "unterminated comment"}}}); err != nil {
		t.Fatal(err)
	}
	if err := s.FinishRun(run, RunStats{Commits: 1}, nil); err != nil {
		t.Fatal(err)
	}
}

func check(t *testing.T, path string) *CheckReport {
	t.Helper()
	s, err := OpenReader(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	rep, err := s.Check(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// TestFlippedByteInCellFound: a flipped byte inside a text cell leaves
// SQLite's pages sound (the database still opens for writing) but not the
// row's checksum, and Check names the table and the row (issue 21: the
// subjects came back garbled without complaint).
func TestFlippedByteInCellFound(t *testing.T) {
	for _, tc := range []struct{ text, want string }{
		{"scheduler lock order", `commits row (repo_id 1, sha "abcdef0123")`},
		{"the body of f changed", `changes row (repo_id 1, sha "abcdef0123", seq 0)`},
		{"unterminated comment", `problems row (id 1)`},
	} {
		path := filepath.Join(t.TempDir(), "a.db")
		writeOne(t, path)
		if rep := check(t, path); !rep.OK() {
			t.Fatalf("a sound database: %+v", rep)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		i := bytes.Index(data, []byte(tc.text))
		if i < 0 || bytes.Count(data, []byte(tc.text)) != 1 {
			t.Fatalf("%q occurs %d times in the file", tc.text, bytes.Count(data, []byte(tc.text)))
		}
		data[i+2] ^= 0x01
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		s, err := Open(context.Background(), path) // quick_check cannot see it
		if err != nil {
			t.Fatalf("%s: %v", tc.text, err)
		}
		s.Close()
		rep := check(t, path)
		if len(rep.Integrity) != 0 || len(rep.Rows) != 1 || !strings.HasPrefix(rep.Rows[0], tc.want) || rep.OK() {
			t.Errorf("%s: %+v, want one damaged row %s", tc.text, rep, tc.want)
		}
	}
}

// TestRowSumsKeptByEveryWrite: inserts, replaces and updates all leave
// every row's checksum right, and rows written before the checksums
// existed get theirs when the database is migrated.
func TestRowSumsKeptByEveryWrite(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "a.db")
	// A database at schema version 2 with a row in it.
	db, err := sql.Open("sqlite", fileURI(path))
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range migrations[:2] {
		if _, err := db.Exec(m); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.Exec(`PRAGMA user_version = 2; INSERT INTO repos(path, added_at) VALUES ('/old', 'then')`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	writeOne(t, path) // migrates, then inserts, replaces (runs) and updates
	writeOne(t, path) // the same commit again: INSERT OR REPLACE
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, tbl := range sumTables {
		var n int
		if err := s.DB().QueryRow("SELECT count(*) FROM " + tbl.name + " WHERE cksum IS NULL").Scan(&n); err != nil || n != 0 {
			t.Errorf("%s: %d rows without a checksum (%v)", tbl.name, n, err)
		}
	}
	if _, err := s.DB().Exec(`UPDATE commits SET purpose = 'perf'`); err != nil {
		t.Fatal(err)
	}
	if rep, err := s.Check(ctx); err != nil || !rep.OK() {
		t.Errorf("after writes: %+v, %v", rep, err)
	}
	// A writer that gives a row no checksum has it set by the insert
	// trigger; one that gives a wrong checksum has written a damaged row,
	// which Check names (migration 6: the trigger no longer tests a given
	// sum, which cost a call of the SQL function per row).
	insert := func(sum any) {
		t.Helper()
		if _, err := s.DB().Exec(`INSERT OR REPLACE INTO changes(repo_id, sha, seq, file, entity, name, change, class, reason, cksum)
			SELECT repo_id, sha, 99, 'f.c', 'function', 'f', 'body', 'code', 'r', ? FROM commits LIMIT 1`, sum); err != nil {
			t.Fatal(err)
		}
	}
	insert(nil)
	if rep, err := s.Check(ctx); err != nil || !rep.OK() {
		t.Errorf("a row inserted without a checksum: %+v, %v", rep, err)
	}
	insert(int64(12345))
	if rep, err := s.Check(ctx); err != nil || len(rep.Rows) != 1 || !strings.Contains(rep.Rows[0], "changes row") || !strings.Contains(rep.Rows[0], "seq 99") {
		t.Errorf("a row inserted with a wrong checksum: %+v, %v", rep, err)
	}
	insert(nil)
	// A write that bypasses the triggers is what damage looks like.
	if _, err := s.DB().Exec(`UPDATE commits SET cksum = cksum + 1`); err != nil {
		t.Fatal(err)
	}
	if rep, err := s.Check(ctx); err != nil || len(rep.Rows) != 1 {
		t.Errorf("a wrong checksum: %+v, %v", rep, err)
	}
}
