package report

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"

	"github.com/go-git/go-git/v5"

	"github.com/upsynth/upsynth/analyze"
	"github.com/upsynth/upsynth/analyze/classify"
	"github.com/upsynth/upsynth/analyze/store"
	"github.com/upsynth/upsynth/corpus"
)

// buildCorpus materializes the corpus history and returns its directory,
// its commits and their labels, in history order.
func buildCorpus(t *testing.T) (string, *corpus.Built, []corpus.Label) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "corpus")
	built, err := corpus.Build(dir)
	if err != nil {
		t.Fatal(err)
	}
	labels, err := corpus.Labels()
	if err != nil {
		t.Fatal(err)
	}
	if len(labels) != len(built.Commits) {
		t.Fatalf("%d labels for %d commits", len(labels), len(built.Commits))
	}
	return dir, built, labels
}

// labelsDB writes the corpus labels as an analysis database: each commit
// with the purpose, class and hazards its label gives. Labels do not class
// each change, so every change carries the commit's class.
func labelsDB(t *testing.T, dir string, built *corpus.Built, labels []corpus.Label) string {
	t.Helper()
	repo, err := git.PlainOpen(dir)
	if err != nil {
		t.Fatal(err)
	}
	var cs []*store.Commit
	for i, l := range labels {
		gc, err := repo.CommitObject(built.Commits[i].Hash)
		if err != nil {
			t.Fatal(err)
		}
		c := &store.Commit{Sha: gc.Hash.String(), Parents: []string{}, Author: gc.Author.String(), AuthorTime: gc.Author.When,
			Subject: l.ID, Message: gc.Message, Class: l.Class, Purpose: l.Purpose, PurposeReason: "label",
			Hazards: append([]string{}, l.Hazards...), Reason: "labels.yaml " + l.ID, Changes: []store.Change{}}
		if len(gc.ParentHashes) > 0 {
			c.Parent = gc.ParentHashes[0].String()
			c.Parents = []string{c.Parent}
		}
		for _, x := range l.Changes {
			c.Changes = append(c.Changes, store.Change{File: x.File, Entity: x.Entity, Name: x.Name, Change: x.Change,
				Class: classify.Class(l.Class), Hazards: []classify.Hazard{}, Reason: "labelled"})
		}
		cs = append(cs, c)
	}
	path := filepath.Join(t.TempDir(), "corpus-labels.db")
	writeDB(t, path, dir, cs)
	return path
}

// TestCorpusLabels checks the coverage table of the corpus labels against
// a plain count of labels.yaml, and the rendering of every format.
func TestCorpusLabels(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: not building the corpus")
	}
	dir, built, labels := buildCorpus(t)
	ds, err := Load(context.Background(), Source{DB: labelsDB(t, dir, built, labels)})
	if err != nil {
		t.Fatal(err)
	}
	if ds.Repo != dir {
		t.Errorf("the dataset covers %s, want %s", ds.Repo, dir)
	}
	ds.Source, ds.Repo = "corpus-labels.db", "corpus" // stable golden files
	rep := Compute([]Dataset{ds}, Options{})

	want := map[string]*counts{}
	for _, p := range RowPurposes {
		want[p] = &counts{}
	}
	for _, l := range labels {
		want[l.Purpose].add(l.Class)
		want[PurposeAll].add(l.Class)
		if l.Purpose == "fix" || l.Purpose == "perf" {
			want[PurposeFixPerf].add(l.Class)
		}
	}
	for _, p := range RowPurposes {
		r := rowOf(t, rep, "", p)
		got := counts{r.None, r.Code, r.State, r.Interface, r.Unsupported}
		if got != *want[p] {
			t.Errorf("%s: table %v, labels.yaml %v", p, got, *want[p])
		}
		checkRow(t, r)
	}
	h := rep.Headline(ds.Label)
	t.Logf("corpus labels: fix+perf %d commits changed source: original %.2f%%, with adapters %.2f%%",
		h.Source, *h.UpdatableOriginal, *h.UpdatableWithAdapters)

	for _, format := range Formats {
		var buf bytes.Buffer
		if err := Write(&buf, rep, format, []Dataset{ds}); err != nil {
			t.Fatal(err)
		}
		golden(t, "corpus-labels."+extensions[format], buf.Bytes())
	}
}

// TestCorpusAnalyzed runs the analyzer over the corpus and checks that the
// report of what it found adds up, in every format.
func TestCorpusAnalyzed(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: not analyzing the corpus")
	}
	dir, _, labels := buildCorpus(t)
	db := filepath.Join(t.TempDir(), "corpus.db")
	if _, err := analyze.Run(context.Background(), analyze.Options{Repo: dir, DB: db}); err != nil {
		t.Fatal(err)
	}
	ds, err := Load(context.Background(), Source{DB: db})
	if err != nil {
		t.Fatal(err)
	}
	if ds.Repo != dir {
		t.Errorf("the dataset covers %s, want %s", ds.Repo, dir)
	}
	ds.Source, ds.Repo = "corpus.db", "corpus" // stable golden files
	rep := Compute([]Dataset{ds}, Options{})
	if s := rep.Datasets[0]; s.Commits+s.Merges != len(labels) {
		t.Errorf("%d commits and %d merges analyzed, %d in the corpus", s.Commits, s.Merges, len(labels))
	}
	for _, r := range rep.Rows {
		checkRow(t, r)
		if n := len(Filter{Purpose: r.Purpose, Class: ClassSource}.Select(ds.Commits)); n != r.Source {
			t.Errorf("%s: source %d, report commits --class source %d", r.Purpose, r.Source, n)
		}
	}
	h := rep.Headline(ds.Label)
	t.Logf("corpus analyzed: fix+perf %d commits changed source: original %.2f%%, with adapters %.2f%%",
		h.Source, *h.UpdatableOriginal, *h.UpdatableWithAdapters)
	for _, format := range Formats {
		var buf bytes.Buffer
		if err := Write(&buf, rep, format, []Dataset{ds}); err != nil {
			t.Fatal(err)
		}
		golden(t, "corpus-analyzed."+extensions[format], buf.Bytes())
	}
}
