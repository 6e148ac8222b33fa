package classify

import (
	"bytes"
	"strings"
	"testing"

	"github.com/upsynth/upsynth/kernel"
)

func trainingSet() []LabelledMessage {
	return []LabelledMessage{
		{"vm: fix crash on unmap\n\nThe page table was freed twice.", Fix},
		{"sched: fix race in wakeup", Fix},
		{"fs: fix leak of inodes\n\nFreed twice before.", Fix},
		{"sched: add priority inheritance", Feature},
		{"net: add a virtio driver\n\nNew hardware support.", Feature},
		{"add priority ceilings", Feature},
		{"style: reindent the scheduler", Cleanup},
		{"reindent vm code\n\nNo functional change.", Cleanup},
		{"tidy the headers, reindent", Cleanup},
	}
}

func TestTrainWordModel(t *testing.T) {
	m, err := TrainWordModel(trainingSet(), 2)
	if err != nil {
		t.Fatal(err)
	}
	if m.Size() != 9 || m.Commits[Fix] != 3 || m.Commits[Feature] != 3 || m.Commits[Cleanup] != 3 {
		t.Fatalf("commits %v, size %d", m.Commits, m.Size())
	}
	// "fix" leads three subjects; "crash" is in one commit only, below
	// the two the model keeps; area prefixes ("vm: ") are not words.
	if got := m.Features["first fix"]; got[0] != 3 {
		t.Errorf(`"first fix" counts %v, want 3 fixes`, got)
	}
	for _, f := range []string{"subject crash", "subject vm", "subject sched"} {
		if m.Features[f] != nil {
			t.Errorf("feature %q kept", f)
		}
	}
	if m.Features["body twice"][0] != 2 {
		t.Errorf(`"body twice" counts %v, want 2 fixes`, m.Features["body twice"])
	}
	for msg, want := range map[string]Purpose{
		"fix the timer":                  Fix,
		"add a timer":                    Feature,
		"reindent the timer":             Cleanup,
		"timer\n\nit was freed twice":    Fix,
		"kernel: add priority to timers": Feature,
	} {
		p, margin, evidence, ok := m.Predict(msg)
		if !ok || p != want || margin <= 0 || len(evidence) == 0 {
			t.Errorf("Predict(%q) = %s, %.2f, %v, %v; want %s", msg, p, margin, evidence, ok, want)
		}
		for i, e := range evidence {
			if e.Weight <= 0 || i > 0 && e.Weight > evidence[i-1].Weight {
				t.Errorf("Predict(%q): evidence %v not positive, strongest first", msg, evidence)
			}
		}
	}
	if _, _, _, ok := m.Predict("zzz qqq"); ok {
		t.Error("a message of unknown words predicted")
	}
	if _, err := TrainWordModel([]LabelledMessage{{"x", "bugfix"}}, 1); err == nil {
		t.Error("an unknown purpose accepted")
	}
}

func TestWordModelEncoding(t *testing.T) {
	m, err := TrainWordModel(trainingSet(), 1)
	if err != nil {
		t.Fatal(err)
	}
	data, err := m.Encode()
	if err != nil {
		t.Fatal(err)
	}
	back, err := ReadWordModel(data)
	if err != nil {
		t.Fatalf("%v\n%s", err, data)
	}
	again, err := back.Encode()
	if err != nil || !bytes.Equal(data, again) {
		t.Fatalf("encoding not stable (%v):\n%s\n---\n%s", err, data, again)
	}
	for _, msg := range []string{"fix the timer", "add a timer", "reindent"} {
		p1, m1, _, _ := m.Predict(msg)
		p2, m2, _, _ := back.Predict(msg)
		if p1 != p2 || m1 != m2 {
			t.Errorf("Predict(%q): %s %.3f before encoding, %s %.3f after", msg, p1, m1, p2, m2)
		}
	}
	if _, err := ReadWordModel([]byte(`{"features": {"subject x": [1, 2]}}`)); err == nil {
		t.Error("a feature with too few counts accepted")
	}
	if _, err := ReadWordModel([]byte(`{`)); err == nil {
		t.Error("broken JSON accepted")
	}
}

// TestPurposeOfWordModel: PurposeOf asks the embedded word model only
// when the rules find no evidence, and names its words.
func TestPurposeOfWordModel(t *testing.T) {
	cfg, _ := kernel.Parse("upsynth.yaml", nil)
	m, err := BuiltinWordModel()
	if err != nil {
		t.Fatalf("embedded word model: %v", err)
	}
	if m.Size() < 1000 || len(m.Features) < 1000 {
		t.Fatalf("embedded word model trained on %d commits, %d features: retrain it (TestWordModelTrained in ./analyze)", m.Size(), len(m.Features))
	}
	// Messages the rules cannot place.
	for _, msg := range []string{"Make RAM regions non-executable", "Improvement for 64bit Windows port", "s/IRQ_OFFSET/T_IRQ0/: it's a trap number, not an irq number."} {
		if p, why := purposeByRules(cfg, "1", msg, nil); p != Other || why != noEvidence {
			t.Fatalf("rules place %q: %s (%s); pick another message", msg, p, why)
		}
		want, _, evidence, ok := m.Predict(msg)
		got, why := PurposeOf(cfg, "1", msg, nil)
		if !ok || got != want || !strings.HasPrefix(why, noEvidence+"; word model of ") || !strings.Contains(why, describeFeature(evidence[0].Feature)) {
			t.Errorf("PurposeOf(%q) = %s (%s), want the word model's %s naming %v", msg, got, why, want, evidence)
		}
	}
	// Words the model never saw leave the commit other.
	if got, why := PurposeOf(cfg, "1", "Qwzx vbnm", nil); got != Other || why != noEvidence {
		t.Errorf("PurposeOf(unknown words) = %s (%s), want other (%s)", got, why, noEvidence)
	}
	// The rules' evidence is never overruled.
	if got, why := PurposeOf(cfg, "1", "Fix a race in the scheduler", nil); got != Fix || strings.Contains(why, "word model") {
		t.Errorf("PurposeOf(a fix) = %s (%s)", got, why)
	}
}

// FuzzWordModel: any message gets a purpose of the model's, evidence that
// favours it, and no panic.
func FuzzWordModel(f *testing.F) {
	m, err := TrainWordModel(trainingSet(), 1)
	if err != nil {
		f.Fatal(err)
	}
	f.Add("fix the timer")
	f.Add("\n\n  \n")
	f.Add("a: b: c:\n\nbody only")
	f.Fuzz(func(t *testing.T, msg string) {
		p, margin, evidence, ok := m.Predict(msg)
		if !ok {
			return
		}
		if m.Commits[p] == 0 || margin < 0 {
			t.Fatalf("Predict(%q) = %s, margin %.3f", msg, p, margin)
		}
		for _, e := range evidence {
			if e.Weight <= 0 || m.Features[e.Feature] == nil {
				t.Fatalf("Predict(%q): evidence %v", msg, e)
			}
		}
	})
}
