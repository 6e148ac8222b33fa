package store

import (
	"context"
	"fmt"
	"path/filepath"
	"reflect"
	"testing"
	"time"
	"unsafe"

	"github.com/upsynth/upsynth/analyze/classify"
	"github.com/upsynth/upsynth/cparse"
)

func TestRoundTripAndReopen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "a.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	repo, err := s.Repo(ctx, "/src/kernel")
	if err != nil {
		t.Fatal(err)
	}
	run, err := s.StartRun(ctx, repo, "HEAD")
	if err != nil {
		t.Fatal(err)
	}
	sum := &cparse.Summary{Version: cparse.SchemaVersion, Path: "a.c", Lang: cparse.LangC, Engine: cparse.EnginePrecise,
		Functions: []cparse.Function{{Name: "f", Signature: "int (void)", Definition: true}}}
	key := BlobKey{Blob: "abcd", Schema: cparse.SchemaVersion, Fingerprint: "fp"}
	c := &Commit{Sha: "abcdef0123", Parent: "0123", Parents: []string{"0123"}, Author: "A", AuthorTime: time.Unix(100, 0).UTC(),
		Subject: "fix: x", Message: "fix: x\n", Class: "code", Purpose: "fix", PurposeReason: "prefix", Hazards: []string{"asm", "init"},
		Reason: "r", Changes: []Change{{File: "a.c", Entity: "function", Name: "f", Change: "body", Engine: "precise", Class: "code", Hazards: []classify.Hazard{}, Reason: "body"}}}
	b := &Batch{Repo: repo, Run: run, Commits: []*Commit{c}, Blobs: []*Blob{{BlobKey: key, Path: "a.c", Size: 10, Status: "ok", Summary: sum}},
		Problems: []Problem{{Sha: c.Sha, Path: "a.c", Kind: "parse", Message: "m"}}}
	if err := s.Write(ctx, b); err != nil {
		t.Fatal(err)
	}
	if err := s.FinishRun(run, RunStats{Commits: 1}, nil); err != nil {
		t.Fatal(err)
	}
	s.Close()

	s, err = Open(ctx, path) // reopening must not re-run migrations
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	got, err := s.FindCommits(ctx, "abcd")
	if err != nil || len(got) != 1 {
		t.Fatalf("FindCommits = %v, %v", got, err)
	}
	if !reflect.DeepEqual(got[0], c) {
		t.Errorf("commit round trip:\n got %+v\nwant %+v", got[0], c)
	}
	bl, err := s.LoadBlob(ctx, key)
	if err != nil || bl == nil || !reflect.DeepEqual(bl.Summary, sum) {
		t.Fatalf("LoadBlob = %+v, %v", bl, err)
	}
	if bl, _ := s.LoadBlob(ctx, BlobKey{Blob: "abcd", Schema: cparse.SchemaVersion, Fingerprint: "other"}); bl != nil {
		t.Error("a different fingerprint must miss")
	}
	done, _ := s.Analyzed(ctx, repo)
	if !done[c.Sha] {
		t.Error("Analyzed misses the commit")
	}
	if ps, _ := s.Problems(ctx, repo, c.Sha); len(ps) != 1 {
		t.Errorf("problems = %v", ps)
	}
	var v int
	s.DB().QueryRow("PRAGMA user_version").Scan(&v)
	if v != SchemaVersion() {
		t.Errorf("user_version = %d", v)
	}
}

func TestFailedBatchWritesNothing(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "a.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	repo, _ := s.Repo(ctx, "/r")
	good := &Commit{Sha: "aaaa", Hazards: []string{}}
	// Run 999 does not exist: the foreign key fails the whole batch.
	err = s.Write(ctx, &Batch{Repo: repo, Run: 999, Commits: []*Commit{good}})
	if err == nil {
		t.Fatal("write with a dangling run id succeeded")
	}
	if done, _ := s.Analyzed(ctx, repo); len(done) != 0 {
		t.Errorf("partial batch stored: %v", done)
	}
}

func TestNewerSchemaRefused(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "a.db")
	s, _ := Open(ctx, path)
	s.DB().Exec("PRAGMA user_version = 99")
	s.Close()
	if _, err := Open(ctx, path); err == nil {
		t.Fatal("opened a database from the future")
	}
}

func TestConcurrentOpenMigratesOnce(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "a.db")
	errs := make(chan error, 4)
	for i := 0; i < 4; i++ {
		go func() {
			s, err := Open(ctx, path)
			if err == nil {
				s.Close()
			}
			errs <- err
		}()
	}
	for i := 0; i < 4; i++ {
		if err := <-errs; err != nil {
			t.Errorf("concurrent open: %v", err)
		}
	}
}

// TestDecodedSummaryHasNoSpareCapacity: a summary read back holds its
// entities without the spare capacity encoding/json leaves (up to half of
// a decoded summary's memory).
func TestDecodedSummaryHasNoSpareCapacity(t *testing.T) {
	// A vendor register header's thousand macros, and a file's few tens.
	for _, n := range []int{1000, 20} {
		sum := &cparse.Summary{Lang: cparse.LangC}
		for i := 0; i < n; i++ {
			sum.Macros = append(sum.Macros, cparse.Macro{Name: fmt.Sprintf("REG%d", i), ValueHash: "h"})
		}
		data, err := EncodeSummary(sum)
		if err != nil {
			t.Fatal(err)
		}
		got, err := DecodeSummary(data)
		if err != nil {
			t.Fatal(err)
		}
		spare := (cap(got.Macros) - len(got.Macros)) * int(unsafe.Sizeof(cparse.Macro{}))
		if len(got.Macros) != n || spare >= 256 {
			t.Errorf("%d macros decoded, capacity %d: %d bytes spare", len(got.Macros), cap(got.Macros), spare)
		}
	}
}
