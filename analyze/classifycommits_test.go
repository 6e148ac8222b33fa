package analyze

import (
	"context"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/upsynth/upsynth/analyze/store"
	"github.com/upsynth/upsynth/corpus"
	"github.com/upsynth/upsynth/kernel"
)

// remake makes in memory the commit that the changes of commit h make to
// its parent, with its author and message: what applying its patch gives.
func remake(t *testing.T, r *kernel.Repo, h plumbing.Hash) plumbing.Hash {
	t.Helper()
	c, err := r.Commit(h)
	if err != nil {
		t.Fatal(err)
	}
	p, err := r.Commit(c.ParentHashes[0])
	if err != nil {
		t.Fatal(err)
	}
	ds, err := r.DiffTrees(p.TreeHash, c.TreeHash)
	if err != nil {
		t.Fatal(err)
	}
	var edits []kernel.Edit
	for _, d := range ds {
		if d.To.IsZero() {
			edits = append(edits, kernel.Edit{Path: d.Path, Delete: true})
			continue
		}
		b, err := r.Blob(d.To, 0)
		if err != nil {
			t.Fatal(err)
		}
		edits = append(edits, kernel.Edit{Path: d.Path, Data: b, Mode: d.ToMode})
	}
	m, err := r.CommitInMemory(p.Hash, edits, kernel.CommitInfo{Author: c.Author, Message: c.Message})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// classification is what a commit's record says about its change, not
// about which commit it is.
func classification(c *store.Commit) *store.Commit {
	return &store.Commit{Class: c.Class, Reason: c.Reason, Hazards: c.Hazards, Purpose: c.Purpose,
		PurposeReason: c.PurposeReason, Subject: c.Subject, Changes: c.Changes}
}

// TestClassifyMatchesRun: every corpus commit, remade in memory from its
// changes as a patch is and classified alone by Classify, gets the record
// Run gave it in the whole history's analysis, with the database's
// memoized summaries; some also classified as themselves, and without the
// database.
func TestClassifyMatchesRun(t *testing.T) {
	dir := t.TempDir()
	repoDir := filepath.Join(dir, "kernel")
	built, err := corpus.Build(repoDir)
	if err != nil {
		t.Fatal(err)
	}
	labels, err := corpus.Labels()
	if err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "a.db")
	ctx := context.Background()
	if _, err := Run(ctx, Options{Repo: repoDir, DB: db}); err != nil {
		t.Fatal(err)
	}
	st, err := store.OpenReader(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	r, err := kernel.Open(repoDir)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	fresh := map[string]bool{"0014-dir-hash-table": true, "0020-process-state-long": true, "0040-x86-entry-save-regs": true}
	checked := 0
	for _, l := range labels {
		h, _ := built.HashOf(l.ID)
		c, err := r.Commit(h)
		if err != nil || len(c.ParentHashes) != 1 {
			continue
		}
		stored, err := st.FindCommits(ctx, h.String())
		if err != nil || len(stored) != 1 {
			t.Fatalf("%s: %v %v", l.ID, stored, err)
		}
		want := classification(stored[0])
		ways := []struct {
			name string
			h    plumbing.Hash
		}{{"remade in memory", remake(t, r, h)}}
		if fresh[l.ID] {
			ways = append(ways, struct {
				name string
				h    plumbing.Hash
			}{"itself", h})
		}
		for _, as := range ways {
			res, err := Classify(ctx, r, []plumbing.Hash{as.h}, Options{DB: db})
			if err != nil {
				t.Fatalf("%s %s: %v", l.ID, as.name, err)
			}
			if got := classification(res[0].Commit); !reflect.DeepEqual(got, want) {
				t.Errorf("%s %s: Classify gives\n%+v\nRun recorded\n%+v", l.ID, as.name, got, want)
			}
		}
		if fresh[l.ID] {
			res, err := Classify(ctx, r, []plumbing.Hash{remake(t, r, h)}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if got := classification(res[0].Commit); !reflect.DeepEqual(got, want) {
				t.Errorf("%s without the database: Classify gives\n%+v\nRun recorded\n%+v", l.ID, got, want)
			}
		}
		checked++
	}
	t.Logf("%d commits classified alone as Run classified them", checked)
	if checked < 80 {
		t.Errorf("only %d commits compared", checked)
	}
}
