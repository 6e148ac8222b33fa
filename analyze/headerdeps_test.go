package analyze

import (
	"context"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/upsynth/upsynth/analyze/store"
	"github.com/upsynth/upsynth/cparse"
)

// A struct defined in a .c file whose member's type comes from a header:
// the header's commit changes its layout, and later commits that edit the
// .c file elsewhere must not report that change again (xv6 9e9bcaf1's
// struct pipe), each side of a commit being summarized in its own tree.
const depsPipeC = `#include "types.h"

struct pipe {
	count_t nread;
	int nwrite;
};

int pipe_read(struct pipe *p)
{
	return p->nread;
}
`

func headerDepsHistory() []step {
	return []step{
		{msg: "Initial kernel", files: map[string]string{
			"upsynth.yaml":    "include: [include]\n",
			"include/types.h": "typedef int count_t;\n",
			"fs/pipe.c":       depsPipeC,
			"fs/other.c":      "int other(void)\n{\n\treturn 0;\n}\n",
			"lib/util.cc":     "int util()\n{\n\treturn 0;\n}\n"}},
		// The layout of struct pipe changes here, reported as the
		// header's typedef.
		{msg: "Widen count_t", subs: []sub{{"include/types.h", "typedef int", "typedef long"}}},
		{msg: "pipe_read adds one", subs: []sub{{"fs/pipe.c", "return p->nread;", "return p->nread + 1;"}}},
		{msg: "Tweak other", subs: []sub{{"fs/other.c", "return 0;", "return 1;"}}},
		// The old pipe.c's summary, parsed in the tree before, holds in
		// this one's parent (only other.c changed): reused, not parsed.
		{msg: "pipe_read adds two", subs: []sub{{"fs/pipe.c", "p->nread + 1;", "p->nread + 2;"}}},
		// A header where pipe.c's #include "types.h" now finds one first
		// (its own directory): a lookup that found nothing before.
		{msg: "Shadow types.h in fs", files: map[string]string{"fs/types.h": "typedef short count_t;\n"}},
		{msg: "pipe_read adds three", subs: []sub{{"fs/pipe.c", "p->nread + 2;", "p->nread + 3;"}}},
		// C++, summarized by the tolerant engine, which reads no header.
		{msg: "util returns one", subs: []sub{{"lib/util.cc", "return 0;", "return 1;"}}},
	}
}

// pathCountingParse counts cparse.Parse's calls per path.
type pathCountingParse struct {
	mu sync.Mutex
	n  map[string]int
}

func (p *pathCountingParse) parse(ctx context.Context, path string, src []byte, cfg cparse.Config) *cparse.Summary {
	p.mu.Lock()
	if p.n == nil {
		p.n = map[string]int{}
	}
	p.n[path]++
	p.mu.Unlock()
	return cparse.Parse(ctx, path, src, cfg)
}

func (p *pathCountingParse) count(path string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.n[path]
}

// commitChanges is the class and the changes of one commit, as lines.
func commitChanges(t *testing.T, db string, sha plumbing.Hash) (string, []string) {
	t.Helper()
	s, err := store.OpenReader(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	cs, err := s.FindCommits(context.Background(), sha.String())
	if err != nil || len(cs) != 1 {
		t.Fatalf("%s: %v %v", sha, cs, err)
	}
	var out []string
	for _, ch := range cs[0].Changes {
		out = append(out, ch.File+" "+ch.Entity+" "+ch.Name+" "+ch.Change+" ("+ch.Engine+")")
	}
	return cs[0].Class, out
}

func TestHeaderChangeNotReportedAgain(t *testing.T) {
	steps := headerDepsHistory()
	dir := t.TempDir()
	repo := filepath.Join(dir, "repo")
	shas := applySteps(t, repo, steps)

	check := func(t *testing.T, db string) {
		t.Helper()
		for _, msg := range []string{"pipe_read adds one", "pipe_read adds two", "pipe_read adds three"} {
			class, changes := commitChanges(t, db, shas[msg])
			if class != "code" || len(changes) != 1 || changes[0] != "fs/pipe.c function pipe_read body (precise)" {
				t.Errorf("%q: %s\n\t%s\nwant code, pipe_read's body alone", msg, class, strings.Join(changes, "\n\t"))
			}
		}
		// The header's commit reports the header's change, as it did
		// before summaries were kept per dependency state: a typedef of
		// a header one module uses names another type.
		class, changes := commitChanges(t, db, shas["Widen count_t"])
		if class != "state" || strings.Join(changes, ";") != "include/types.h type count_t type (precise)" {
			t.Errorf("Widen count_t: %s\n\t%s", class, strings.Join(changes, "\n\t"))
		}
	}

	t.Run("one run", func(t *testing.T) {
		db := filepath.Join(t.TempDir(), "a.db")
		var p pathCountingParse
		st, err := Run(context.Background(), Options{Repo: repo, DB: db, Jobs: 2, Parse: p.parse})
		if err != nil {
			t.Fatal(err)
		}
		check(t, db)
		// pipe.c: each new side once (4), and the old side again where a
		// header it read changed (adds one) or one appeared where it
		// looked (adds three); not where nothing it looked up changed
		// (adds two).
		if n := p.count("fs/pipe.c"); n != 6 {
			t.Errorf("pipe.c parsed %d times, want 6", n)
		}
		if st.Reparsed != 2 {
			t.Errorf("%d blobs parsed again, want 2", st.Reparsed)
		}
	})

	// Run commit by commit, each run finding the summaries the ones
	// before memoized in the database: the same records, the same parses.
	t.Run("commit by commit", func(t *testing.T) {
		db := filepath.Join(t.TempDir(), "b.db")
		var p pathCountingParse
		reparsed := 0
		for _, s := range steps {
			st, err := Run(context.Background(), Options{Repo: repo, DB: db, Rev: shas[s.msg].String(), Parse: p.parse})
			if err != nil {
				t.Fatal(err)
			}
			reparsed += st.Reparsed
		}
		check(t, db)
		if n := p.count("fs/pipe.c"); n != 6 || reparsed != 2 {
			t.Errorf("pipe.c parsed %d times (%d again), want 6 (2)", n, reparsed)
		}
		// Every summary parsed is memoized, the versions of one blob side
		// by side: the four blobs, two of them twice.
		s, err := store.OpenReader(context.Background(), db)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		var rows, keys int
		if err := s.DB().QueryRow(`SELECT count(*), count(DISTINCT deps_key) FROM blobs WHERE path = 'fs/pipe.c' AND deps_key != ''`).Scan(&rows, &keys); err != nil {
			t.Fatal(err)
		}
		if rows != 6 || keys != 3 {
			t.Errorf("%d summaries of pipe.c's blobs memoized under %d dependency keys, want 6 under 3 (int, long, short count_t)", rows, keys)
		}
	})
}

// A database from before dependencies were recorded: its precise
// summaries are parsed again where needed (which headers they read is not
// known), its tolerant ones reused.
func TestSummariesWithoutDependenciesRecorded(t *testing.T) {
	steps := headerDepsHistory()
	dir := t.TempDir()
	repo := filepath.Join(dir, "repo")
	shas := applySteps(t, repo, steps)
	db := filepath.Join(dir, "a.db")
	if _, err := Run(context.Background(), Options{Repo: repo, DB: db, Rev: shas["Tweak other"].String()}); err != nil {
		t.Fatal(err)
	}
	s, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	// As migration 5 leaves rows written before it (one of a blob's
	// versions, where it has several).
	if _, err := s.DB().Exec(`UPDATE OR REPLACE blobs SET deps_key = ?, deps = NULL`, store.DepsUnknown); err != nil {
		t.Fatal(err)
	}
	s.Close()
	var p pathCountingParse
	st, err := Run(context.Background(), Options{Repo: repo, DB: db, Parse: p.parse})
	if err != nil {
		t.Fatal(err)
	}
	for _, msg := range []string{"pipe_read adds two", "pipe_read adds three", "util returns one"} {
		class, changes := commitChanges(t, db, shas[msg])
		if class != "code" || len(changes) != 1 {
			t.Errorf("%q: %s\n\t%s", msg, class, strings.Join(changes, "\n\t"))
		}
	}
	// pipe.c: the old side of "adds two" again (its record says nothing
	// of its headers), each new side, the old side of "adds three"
	// again (a header appeared); util.cc: the new side only. The index,
	// started from the first commit's parent tree, takes the memoized
	// summaries whatever their headers: types.h and other.c are not
	// parsed again.
	if pipe, util := p.count("fs/pipe.c"), p.count("lib/util.cc"); pipe != 4 || util != 1 || st.Reparsed != 2 {
		t.Errorf("parsed pipe.c %d times, util.cc %d (%d again); want 4, 1 (2)", pipe, util, st.Reparsed)
	}
	if n := p.count("include/types.h") + p.count("fs/other.c"); n != 0 {
		t.Errorf("types.h and other.c parsed %d times", n)
	}
}

// A distributed run records what one Run records when a blob needs a
// version per dependency state: a classify segment parses the versions
// its blob batches did not.
func TestDistributedHeaderDeps(t *testing.T) {
	dir := t.TempDir()
	repo := filepath.Join(dir, "repo")
	applySteps(t, repo, headerDepsHistory())
	lite := filepath.Join(dir, "a.db")
	if _, err := Run(context.Background(), Options{Repo: repo, DB: lite}); err != nil {
		t.Fatal(err)
	}
	want := commitsJSON(t, lite)
	for _, seg := range []int{1, 3} {
		url := distributedRun(t, Options{Repo: repo}, 2, seg)
		if got := commitsJSON(t, url); got != want {
			t.Errorf("segments of %d: the distributed run's commits differ from one Run's", seg)
			diffLines(t, want, got)
		}
	}
}
