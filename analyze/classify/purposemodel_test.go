package classify

import (
	"bytes"
	"strings"
	"testing"

	"github.com/upsynth/upsynth/cparse"
	"github.com/upsynth/upsynth/kernel"
)

// trainingSet is a few labelled messages, their diffs unknown.
func trainingSet() []LabelledCommit {
	var set []LabelledCommit
	for _, e := range []struct {
		msg     string
		purpose Purpose
	}{
		{"vm: fix crash on unmap\n\nThe page table was freed twice.", Fix},
		{"sched: fix race in wakeup", Fix},
		{"fs: fix leak of inodes\n\nFreed twice before.", Fix},
		{"sched: add priority inheritance", Feature},
		{"net: add a virtio driver\n\nNew hardware support.", Feature},
		{"add priority ceilings", Feature},
		{"style: reindent the scheduler", Cleanup},
		{"reindent vm code\n\nNo functional change.", Cleanup},
		{"tidy the headers, reindent", Cleanup},
	} {
		set = append(set, LabelledCommit{PurposeFeatures(nil, e.msg, nil), e.purpose})
	}
	return set
}

// predict is m's reading of a message whose diff is unknown.
func predict(m *PurposeModel, msg string) (Purpose, float64, []Evidence, bool) {
	return m.Predict(PurposeFeatures(nil, msg, nil))
}

func TestTrainPurposeModel(t *testing.T) {
	m, err := TrainPurposeModel(trainingSet(), 2)
	if err != nil {
		t.Fatal(err)
	}
	if m.Size() != 9 || m.Commits[Fix] != 3 || m.Commits[Feature] != 3 || m.Commits[Cleanup] != 3 {
		t.Fatalf("commits %v, size %d", m.Commits, m.Size())
	}
	// "fix" leads three subjects, for fix; "crash" is in one commit only,
	// below the two the model keeps; area prefixes ("vm: ") are not words.
	if w := m.Weights["first fix"]; w == nil || w[0] <= w[1] || w[0] <= w[3] {
		t.Errorf(`"first fix" weighs %v, want most for fix`, w)
	}
	for _, f := range []string{"subject crash", "subject vm", "subject sched"} {
		if m.Weights[f] != nil {
			t.Errorf("feature %q kept", f)
		}
	}
	for msg, want := range map[string]Purpose{
		"fix the timer":                  Fix,
		"add a timer":                    Feature,
		"reindent the timer":             Cleanup,
		"timer\n\nit was freed twice":    Fix,
		"kernel: add priority to timers": Feature,
	} {
		p, margin, evidence, ok := predict(m, msg)
		if !ok || p != want || margin <= 0 || len(evidence) == 0 {
			t.Errorf("Predict(%q) = %s, %.2f, %v, %v; want %s", msg, p, margin, evidence, ok, want)
		}
		for i, e := range evidence {
			if e.Weight <= 0 || i > 0 && e.Weight > evidence[i-1].Weight {
				t.Errorf("Predict(%q): evidence %v not positive, strongest first", msg, evidence)
			}
		}
	}
	if _, _, _, ok := predict(m, "zzz qqq"); ok {
		t.Error("a message of unknown words predicted")
	}
	if _, err := TrainPurposeModel([]LabelledCommit{{[]string{"subject x"}, "bugfix"}}, 1); err == nil {
		t.Error("an unknown purpose accepted")
	}
	// Training is reproducible: the same examples give the same model.
	again, _ := TrainPurposeModel(trainingSet(), 2)
	a, _ := m.Encode()
	b, _ := again.Encode()
	if !bytes.Equal(a, b) {
		t.Error("two trainings on the same examples differ")
	}
}

// TestDiffFeatures: the model sees what kinds of entity changed, how many
// files of which kinds, and the diff's telling facts.
func TestDiffFeatures(t *testing.T) {
	cfg, _ := kernel.Parse("upsynth.yaml", nil)
	files := bodyChanged("src/arch/arm/gic_v3.c", "timer_init")
	files = append(files, File{Path: "docs/irq.md", Old: &Version{Blob: "1"}, New: &Version{Blob: "2"}})
	got := strings.Join(PurposeFeatures(cfg, "gic_v3: timer\n", files), "|")
	for _, want := range []string{"diff function body", "diff only function bodies", "diff 1 entity changed", "diff docs", "diff 2-3 files", "subject timer", "first timer"} {
		if !strings.Contains("|"+got+"|", "|"+want+"|") {
			t.Errorf("features %s lack %q", got, want)
		}
	}
	if got := PurposeFeatures(cfg, "timer", nil); len(got) != 2 {
		t.Errorf("an unknown diff gives features %v, want the message's only", got)
	}
	added := []File{{Path: "kernel/new.c", New: &Version{Blob: "1", Summary: &cparse.Summary{Functions: []cparse.Function{{Name: "f", Definition: true}}}}, DeriveChanges: true}}
	got = strings.Join(PurposeFeatures(cfg, "x", added), "|")
	if !strings.Contains(got, "diff new files") || !strings.Contains(got, "diff function added") {
		t.Errorf("a new file's features: %s", got)
	}
}

func TestPurposeModelEncoding(t *testing.T) {
	m, err := TrainPurposeModel(trainingSet(), 1)
	if err != nil {
		t.Fatal(err)
	}
	data, err := m.Encode()
	if err != nil {
		t.Fatal(err)
	}
	back, err := ReadPurposeModel(data)
	if err != nil {
		t.Fatalf("%v\n%s", err, data)
	}
	again, err := back.Encode()
	if err != nil || !bytes.Equal(data, again) {
		t.Fatalf("encoding not stable (%v):\n%s\n---\n%s", err, data, again)
	}
	for _, msg := range []string{"fix the timer", "add a timer", "reindent"} {
		p1, m1, _, _ := predict(m, msg)
		p2, m2, _, _ := predict(back, msg)
		if p1 != p2 || m1 != m2 {
			t.Errorf("Predict(%q): %s %.3f before encoding, %s %.3f after", msg, p1, m1, p2, m2)
		}
	}
	for _, bad := range []string{
		`{"bias": [0, 0, 0, 0, 0], "weights": {"subject x": [1, 2]}}`,
		`{"bias": [0, 0], "weights": {}}`,
		`{`,
	} {
		if _, err := ReadPurposeModel([]byte(bad)); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
}

// TestPurposeOfModel: PurposeOf asks the embedded purpose model when the
// rules find no evidence, and names its features.
func TestPurposeOfModel(t *testing.T) {
	cfg, _ := kernel.Parse("upsynth.yaml", nil)
	m, err := BuiltinPurposeModel()
	if err != nil {
		t.Fatalf("embedded purpose model: %v", err)
	}
	if m.Size() < 1000 || len(m.Weights) < 1000 {
		t.Fatalf("embedded purpose model trained on %d commits, %d features: retrain it (TestPurposeModelTrained in ./analyze)", m.Size(), len(m.Weights))
	}
	// Messages the rules cannot place.
	for _, msg := range []string{"Make RAM regions non-executable", "Improvement for 64bit Windows port", "s/IRQ_OFFSET/T_IRQ0/: it's a trap number, not an irq number."} {
		if p, why := purposeByRules(cfg, "1", msg, nil); p != Other || why != noEvidence {
			t.Fatalf("rules place %q: %s (%s); pick another message", msg, p, why)
		}
		want, _, evidence, ok := predict(m, msg)
		got, why := PurposeOf(cfg, "1", msg, nil)
		if !ok || got != want || !strings.HasPrefix(why, noEvidence+"; purpose model of ") || !strings.Contains(why, describeFeature(evidence[0].Feature)) {
			t.Errorf("PurposeOf(%q) = %s (%s), want the purpose model's %s naming %v", msg, got, why, want, evidence)
		}
	}
	// Words the model never saw leave the commit other.
	if got, why := PurposeOf(cfg, "1", "Qwzx vbnm", nil); got != Other || why != noEvidence {
		t.Errorf("PurposeOf(unknown words) = %s (%s), want other (%s)", got, why, noEvidence)
	}
}

// TestSettledEvidenceNeverOverruled: a trailer, a conventional prefix, a
// revert, an override or a diff of only comments decides alone, however
// the model reads the words.
func TestSettledEvidenceNeverOverruled(t *testing.T) {
	cfg, err := kernel.Parse("upsynth.yaml", []byte("purpose:\n  abc123: perf\n"))
	if err != nil {
		t.Fatal(err)
	}
	m, err := BuiltinPurposeModel()
	if err != nil {
		t.Fatal(err)
	}
	overrulable := 0 // cases the model would overrule if the evidence were not settled
	for _, c := range []struct {
		sha, msg string
		want     Purpose
	}{
		{"1", "Add a new scheduler class\n\nFixes: 1234abcd (\"sched: x\")\n", Fix},
		{"1", "docs: add a new scheduler class", Cleanup},
		{"1", "Revert \"Add a new scheduler class\"", Other},
		{"abc123", "Add a new scheduler class", Perf},
		{"1", "Add a new scheduler class\n\nCVE-2021-1234\n", Fix},
	} {
		if q, margin, _, _ := m.Predict(PurposeFeatures(cfg, c.msg, nil)); q != c.want && margin >= confidentMargin {
			overrulable++
		}
		if p, why := PurposeOf(cfg, c.sha, c.msg, nil); p != c.want || strings.Contains(why, "purpose model") {
			t.Errorf("PurposeOf(%q) = %s (%s), want %s by the rules alone", c.msg, p, why, c.want)
		}
	}
	if overrulable == 0 {
		t.Error("the model agrees with every case, or is unsure of it: the cases no longer test that settled evidence is kept from it")
	}
}

// FuzzPurposeModel: any message gets a purpose of the model's, evidence
// that favours it, and no panic.
func FuzzPurposeModel(f *testing.F) {
	m, err := TrainPurposeModel(trainingSet(), 1)
	if err != nil {
		f.Fatal(err)
	}
	f.Add("fix the timer")
	f.Add("\n\n  \n")
	f.Add("a: b: c:\n\nbody only")
	f.Fuzz(func(t *testing.T, msg string) {
		p, margin, evidence, ok := predict(m, msg)
		if !ok {
			return
		}
		if m.Commits[p] == 0 || margin < 0 {
			t.Fatalf("Predict(%q) = %s, margin %.3f", msg, p, margin)
		}
		for _, e := range evidence {
			if e.Weight <= 0 || m.Weights[e.Feature] == nil {
				t.Fatalf("Predict(%q): evidence %v", msg, e)
			}
		}
	})
}
