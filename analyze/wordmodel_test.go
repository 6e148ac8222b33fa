package analyze

import (
	"bytes"
	"flag"
	"os"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/upsynth/upsynth/analyze/classify"
	"github.com/upsynth/upsynth/kernel"
)

var update = flag.Bool("update", false, "retrain classify/wordmodel.json from the hand labels (TestWordModelTrained)")

// wordModelMinCommits is the fewest labelled commits a word must appear in
// to enter the word model: rarer words are one commit's text, not a sign
// of a purpose.
const wordModelMinCommits = 3

// TestWordModelTrained retrains the word model PurposeOf consults from
// every hand-labelled commit (testdata/labels: the purpose a person gave
// it, its message read from the kernel's clone) and checks that the
// embedded classify/wordmodel.json is that model; with -update it writes
// it. It needs every label file's clone (UPSYNTH_FREERTOS, UPSYNTH_XV6,
// UPSYNTH_NOVA, UPSYNTH_SEL4, UPSYNTH_MANAGARM) and skips, naming the
// first unset one, otherwise.
func TestWordModelTrained(t *testing.T) {
	repos := map[string]*kernel.Repo{}
	defer func() {
		for _, r := range repos {
			r.Close()
		}
	}()
	var examples []classify.LabelledMessage
	for _, lf := range readLabelFiles(t) {
		file, ls := lf.path, lf.set
		path := os.Getenv(ls.Env)
		if path == "" {
			t.Skipf("%s unset: the word model is trained on every label file's commits; set it to a clone of %s to retrain or check it", ls.Env, ls.Kernel)
		}
		repo, ok := repos[path]
		if !ok {
			var err error
			if repo, err = kernel.Open(path); err != nil {
				t.Fatalf("%s: %v", ls.Env, err)
			}
			repos[path] = repo
		}
		for _, l := range ls.Commits {
			c, err := repo.Commit(plumbing.NewHash(l.Sha))
			if err != nil {
				t.Fatalf("%s: %s: %v", file, l.Sha, err)
			}
			examples = append(examples, classify.LabelledMessage{Message: c.Message, Purpose: classify.Purpose(l.Purpose)})
		}
	}
	m, err := classify.TrainWordModel(examples, wordModelMinCommits)
	if err != nil {
		t.Fatal(err)
	}
	want, err := m.Encode()
	if err != nil {
		t.Fatal(err)
	}
	const embedded = "classify/wordmodel.json"
	if *update {
		if err := os.WriteFile(embedded, want, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: %d commits, %d features", embedded, m.Size(), len(m.Features))
		return
	}
	got, err := os.ReadFile(embedded)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s is not the model of the %d labelled commits: retrain it with go test ./analyze -run TestWordModelTrained -update (the clones named)", embedded, len(examples))
	}
}
