package analyze

import (
	"fmt"
	"os"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/upsynth/upsynth/analyze/classify"
	"github.com/upsynth/upsynth/kernel"
)

func TestZZCrossValidatedWordModel(t *testing.T) {
	out := os.Getenv("ZZ_CV_OUT")
	if out == "" {
		t.Skip("ZZ_CV_OUT unset")
	}
	repos := map[string]*kernel.Repo{}
	type ex struct {
		sample, sha string
		m           classify.LabelledMessage
	}
	var all []ex
	for _, lf := range readLabelFiles(t) {
		path := os.Getenv(lf.set.Env)
		repo, ok := repos[path]
		if !ok {
			var err error
			if repo, err = kernel.Open(path); err != nil {
				t.Fatal(err)
			}
			repos[path] = repo
		}
		for _, l := range lf.set.Commits {
			c, err := repo.Commit(plumbing.NewHash(l.Sha))
			if err != nil {
				t.Fatal(err)
			}
			all = append(all, ex{lf.path, l.Sha, classify.LabelledMessage{Message: c.Message, Purpose: classify.Purpose(l.Purpose)}})
		}
	}
	f, _ := os.Create(out)
	defer f.Close()
	samples := map[string]bool{}
	for _, e := range all {
		samples[e.sample] = true
	}
	for s := range samples {
		var train []classify.LabelledMessage
		for _, e := range all {
			if e.sample != s {
				train = append(train, e.m)
			}
		}
		m, err := classify.TrainWordModel(train, wordModelMinCommits)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range all {
			if e.sample == s {
				p, margin, _, ok := m.Predict(e.m.Message)
				fmt.Fprintf(f, "%s\t%s\t%s\t%s\t%.2f\t%v\n", s, e.sha[:10], e.m.Purpose, p, margin, ok)
			}
		}
	}
}
