package analyze

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/upsynth/upsynth/analyze/classify"
)

var update = flag.Bool("update", false, "retrain classify/purposemodel.json from the hand labels (TestPurposeModelTrained)")

// purposeModelMinCommits is the fewest labelled commits a feature must
// appear in to enter the purpose model: rarer words are one commit's text,
// not a sign of a purpose.
const purposeModelMinCommits = 3

// labelledCommit is a hand-labelled commit with the features upsynth's
// analysis gives it.
type labelledCommit struct {
	file, sha string
	example   classify.LabelledCommit
}

// labelledCommits analyzes each label file's kernel once (per clone,
// revision range and first-parent choice) and returns every labelled
// commit with its purpose model features, in label file order. It skips,
// naming the first unset variable, unless every label file's clone is
// named (UPSYNTH_FREERTOS, UPSYNTH_XV6, UPSYNTH_NOVA, UPSYNTH_SEL4,
// UPSYNTH_MANAGARM).
func labelledCommits(t *testing.T) []labelledCommit {
	t.Helper()
	files := readLabelFiles(t)
	for _, lf := range files {
		if os.Getenv(lf.set.Env) == "" {
			t.Skipf("%s unset: the purpose model is trained on every label file's commits; set it to a clone of %s to retrain or check it", lf.set.Env, lf.set.Kernel)
		}
	}
	labelledOnce.Do(func() { labelled, labelledErr = analyzeLabelled(t.TempDir(), files) })
	if labelledErr != nil {
		t.Fatal(labelledErr)
	}
	return labelled
}

var (
	labelledOnce sync.Once
	labelled     []labelledCommit
	labelledErr  error
)

func analyzeLabelled(dir string, files []labelFile) ([]labelledCommit, error) {
	features := map[string]map[string][]string{} // run key → sha → features
	for _, lf := range files {
		ls := lf.set
		key := fmt.Sprintf("%s\x00%s\x00%v", os.Getenv(ls.Env), ls.Rev, ls.FirstParent)
		if features[key] != nil {
			continue
		}
		seen := map[string][]string{}
		var mu sync.Mutex
		opts := Options{Repo: os.Getenv(ls.Env), DB: filepath.Join(dir, fmt.Sprintf("%d.db", len(features))), Rev: ls.Rev, FirstParent: ls.FirstParent,
			observeFeatures: func(sha string, f []string) {
				mu.Lock()
				defer mu.Unlock()
				seen[sha] = f
			}}
		if _, err := Run(context.Background(), opts); err != nil {
			return nil, fmt.Errorf("%s: %w", lf.path, err)
		}
		features[key] = seen
	}
	var out []labelledCommit
	for _, lf := range files {
		ls := lf.set
		seen := features[fmt.Sprintf("%s\x00%s\x00%v", os.Getenv(ls.Env), ls.Rev, ls.FirstParent)]
		for _, l := range ls.Commits {
			f, ok := seen[l.Sha]
			if !ok {
				return nil, fmt.Errorf("%s: %s: not analyzed in %s", lf.path, l.Sha, ls.Rev)
			}
			out = append(out, labelledCommit{lf.path, l.Sha, classify.LabelledCommit{Features: f, Purpose: classify.Purpose(l.Purpose)}})
		}
	}
	return out, nil
}

// TestPurposeModelTrained retrains the purpose model PurposeOf consults
// from every hand-labelled commit (testdata/labels: the purpose a person
// gave it, its features from upsynth's analysis of the kernel's clone)
// and checks that the embedded classify/purposemodel.json is that model;
// with -update it writes it. It needs every label file's clone and skips
// otherwise.
func TestPurposeModelTrained(t *testing.T) {
	commits := labelledCommits(t)
	examples := make([]classify.LabelledCommit, len(commits))
	for i, c := range commits {
		examples[i] = c.example
	}
	m, err := classify.TrainPurposeModel(examples, purposeModelMinCommits)
	if err != nil {
		t.Fatal(err)
	}
	want, err := m.Encode()
	if err != nil {
		t.Fatal(err)
	}
	const embedded = "classify/purposemodel.json"
	if *update {
		if err := os.WriteFile(embedded, want, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: %d commits, %d features", embedded, m.Size(), len(m.Weights))
		return
	}
	got, err := os.ReadFile(embedded)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s is not the model of the %d labelled commits: retrain it with go test ./analyze -run TestPurposeModelTrained -update (the clones named)", embedded, len(examples))
	}
}

// crossValidationFolds is how many parts the label files are dealt into
// for cross-validation: each part is predicted by a model trained on the
// others, so no commit is judged by a model that saw its own sample.
const crossValidationFolds = 10

// crossValidatedFloor is the share of labelled commits the model alone
// must get right when it never saw their label file (0.766 measured at
// 3,578 commits; docs/real-kernels.md).
const crossValidatedFloor = 0.75

// TestPurposeModelCrossValidated measures the purpose model alone on
// commits it was not trained on: the label files are dealt into ten parts,
// and each part's commits are predicted by a model trained on the other
// nine. It fails below crossValidatedFloor. With UPSYNTH_MODEL_DUMP set it
// writes each commit's label file, SHA, label, prediction and margin there
// (tab-separated), the table that sets confidentMargin against the rules'
// first measurements. It needs every label file's clone.
func TestPurposeModelCrossValidated(t *testing.T) {
	commits := labelledCommits(t)
	var names []string
	fold := map[string]int{}
	for _, c := range commits {
		if _, ok := fold[c.file]; !ok {
			fold[c.file] = 0
			names = append(names, c.file)
		}
	}
	sort.Strings(names)
	for i, name := range names {
		fold[name] = i % crossValidationFolds
	}
	var dump strings.Builder
	right := 0
	for k := range crossValidationFolds {
		var training []classify.LabelledCommit
		for _, c := range commits {
			if fold[c.file] != k {
				training = append(training, c.example)
			}
		}
		m, err := classify.TrainPurposeModel(training, purposeModelMinCommits)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range commits {
			if fold[c.file] != k {
				continue
			}
			p, margin, _, _ := m.Predict(c.example.Features)
			if p == c.example.Purpose {
				right++
			}
			fmt.Fprintf(&dump, "%s\t%.10s\t%s\t%s\t%.2f\n", filepath.Base(c.file), c.sha, c.example.Purpose, p, margin)
		}
	}
	share := float64(right) / float64(len(commits))
	t.Logf("cross-validated over %d folds: %d of %d commits right (%.3f)", crossValidationFolds, right, len(commits), share)
	if name := os.Getenv("UPSYNTH_MODEL_DUMP"); name != "" {
		if err := os.WriteFile(name, []byte(dump.String()), 0o644); err != nil {
			t.Fatalf("UPSYNTH_MODEL_DUMP: %v", err)
		}
	}
	if share < crossValidatedFloor {
		t.Errorf("cross-validated accuracy %.3f is below %.2f", share, crossValidatedFloor)
	}
}
