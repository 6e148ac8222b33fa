package analyze

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/upsynth/upsynth/analyze/classify"
	"github.com/upsynth/upsynth/analyze/store"
	"github.com/upsynth/upsynth/cparse"
	"github.com/upsynth/upsynth/kernel"
)

// labelSet is a hand-labelled sample of a real kernel's history
// (testdata/labels/*.yaml): commit SHAs with the purpose and the changed
// entities a person read from each commit's message and diff, written
// before looking at upsynth's output. It holds no code of the kernel.
type labelSet struct {
	Kernel      string `yaml:"kernel"`
	Env         string `yaml:"env"`
	Rev         string `yaml:"rev"`
	FirstParent bool   `yaml:"first_parent"`
	// HeldBack marks a sample labelled after the rules were tuned and
	// committed before upsynth ran on its commits: its figures measure
	// the rules, the tuning samples' only how well they were fitted.
	HeldBack bool `yaml:"held_back"`
	// Floors are the figures this sample reached when its file last
	// changed: the test fails when upsynth falls below them, so a change
	// that makes a real kernel's analysis worse is caught. The issue's
	// targets, which most samples miss, are reported beside them.
	Floors  *floors       `yaml:"floors"`
	Commits []commitLabel `yaml:"commits"`
}

// floors bound a sample's figures: purpose right at least, left other at
// most, fix+perf membership F1 and entity F1 (overall and of every kind)
// at least.
type floors struct {
	Purpose   float64 `yaml:"purpose"`
	Other     float64 `yaml:"other"`
	FixPerfF1 float64 `yaml:"fix_perf_f1"`
	EntityF1  float64 `yaml:"entity_f1"`
	KindF1    float64 `yaml:"kind_f1"`
}

type commitLabel struct {
	Sha     string `yaml:"sha"`
	Purpose string `yaml:"purpose"`
	// Entities are the changed entities; nil (the key left out) when the
	// commit's entities were not labelled, [] when none changed.
	Entities *[]entityLabel `yaml:"entities"`
	Note     string         `yaml:"note"`
}

type entityLabel struct {
	Kind   string `yaml:"kind"`
	Name   string `yaml:"name"`
	Change string `yaml:"change"`
}

// Targets of issue 17 on hand-labelled samples of real kernels.
const (
	targetPurpose   = 0.85
	targetOther     = 0.10
	targetFixPerfF1 = 0.85
	targetEntityF1  = 0.95
	targetKindF1    = 0.85
)

// labelFile is a label file read: its path and what it holds.
type labelFile struct {
	path string
	set  labelSet
}

// readLabelFiles reads every label file in testdata/labels, failing the
// test when there is none or one does not parse.
func readLabelFiles(t *testing.T) []labelFile {
	t.Helper()
	paths, err := filepath.Glob("testdata/labels/*.yaml")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no label files: %v", err)
	}
	files := make([]labelFile, 0, len(paths))
	for _, path := range paths {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var ls labelSet
		if err := yaml.Unmarshal(data, &ls); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		files = append(files, labelFile{path, ls})
	}
	return files
}

// TestRealKernelLabels analyzes a real kernel's clone (its path in the
// label file's environment variable) and measures upsynth against the
// hand labels: purpose accuracy, the share left `other`, fix+perf
// membership F1 and entity F1 per kind. It fails when a figure falls below
// the floor its label file records, and reports where a held-back sample
// misses issue 17's targets. The variables are UPSYNTH_FREERTOS,
// UPSYNTH_XV6, UPSYNTH_NOVA, UPSYNTH_SEL4 and UPSYNTH_MANAGARM (managarm's
// master, C++); a sample whose variable is unset skips, naming it.
func TestRealKernelLabels(t *testing.T) {
	// The tuning and the held-back sample of a kernel share one analysis.
	dbs := map[string]string{}
	dir := t.TempDir()
	for _, lf := range readLabelFiles(t) {
		file, ls := lf.path, lf.set
		sample := strings.TrimSuffix(filepath.Base(file), ".yaml") + ", tuning"
		if ls.HeldBack {
			sample = strings.TrimSuffix(filepath.Base(file), ".yaml") + ", held back"
		}
		t.Run(strings.TrimSuffix(filepath.Base(file), ".yaml"), func(t *testing.T) {
			repo := os.Getenv(ls.Env)
			if repo == "" {
				t.Skipf("%s unset: set it to a clone of %s to measure upsynth against %s", ls.Env, ls.Kernel, file)
			}
			key := fmt.Sprintf("%s\x00%s\x00%v", repo, ls.Rev, ls.FirstParent)
			db, ok := dbs[key]
			if !ok {
				db = filepath.Join(dir, fmt.Sprintf("%d.db", len(dbs)))
				if _, err := Run(context.Background(), Options{Repo: repo, DB: db, Rev: ls.Rev, FirstParent: ls.FirstParent}); err != nil {
					t.Fatal(err)
				}
				dbs[key] = db
			}
			measureLabels(t, db, sample, ls)
		})
	}
}

// dumpPurpose appends a labelled commit's sample, label, purpose, reason
// and subject as a tab-separated line to the file UPSYNTH_LABEL_DUMP names,
// if it is set: the table to study which evidence the purpose rules get
// right, right or wrong.
func dumpPurpose(t *testing.T, sample string, l commitLabel, c *store.Commit) {
	name := os.Getenv("UPSYNTH_LABEL_DUMP")
	if name == "" {
		return
	}
	f, err := os.OpenFile(name, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err == nil {
		_, err = fmt.Fprintf(f, "%s\t%.10s\t%s\t%s\t%s\t%s\n", sample, l.Sha, l.Purpose, c.Purpose, c.PurposeReason, c.Subject)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		t.Fatalf("UPSYNTH_LABEL_DUMP: %v", err)
	}
}

func measureLabels(t *testing.T, db, sample string, ls labelSet) {
	ctx := context.Background()
	s, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var right, other int
	var fp prf
	kinds := map[string]*prf{}
	all := &prf{}
	for _, l := range ls.Commits {
		cs, err := s.FindCommits(ctx, l.Sha)
		if err != nil || len(cs) != 1 {
			t.Fatalf("%s: not analyzed in %s (%v)", l.Sha, ls.Rev, err)
		}
		c := cs[0]
		dumpPurpose(t, sample, l, c)
		if c.Purpose == l.Purpose {
			right++
		} else {
			t.Logf("%.10s purpose %s (%s), label %s — %q", l.Sha, c.Purpose, c.PurposeReason, l.Purpose, c.Subject)
		}
		if c.Purpose == string(classify.Other) {
			other++
		}
		fp.add(isFixPerf(l.Purpose), isFixPerf(c.Purpose))
		if c.Class == string(classify.None) || c.Class == string(classify.Code) {
			// An interface change is never applied by a code swap: a
			// header's type whose layout, or typedef whose target,
			// changed, or a header function re-signed (an overload added
			// or removed beside others changes no caller's call).
			for _, ch := range c.Changes {
				interfaceChange := ch.Entity == "type" && (ch.Change == "layout" || ch.Change == "type") ||
					ch.Entity == "function" && ch.Change == "signature" && ch.Detail != cparse.DetailOverloadAdded && ch.Detail != cparse.DetailOverloadRemoved
				if kernel.KindOf(ch.File) == kernel.KindHeader && interfaceChange {
					t.Errorf("%.10s: class %s, but %s %s in %s changed its %s", l.Sha, c.Class, ch.Entity, ch.Name, ch.File, ch.Change)
				}
			}
		}
		if l.Entities == nil {
			continue
		}
		want := map[entityLabel]bool{}
		for _, e := range *l.Entities {
			want[e] = true
		}
		got := map[entityLabel]bool{}
		for _, ch := range c.Changes {
			if ch.Entity == classify.EntityFile {
				continue
			}
			got[entityLabel{ch.Entity, ch.Name, ch.Change}] = true
		}
		var missed, extra []string
		for e := range want {
			k := kinds[e.Kind]
			if k == nil {
				k = &prf{}
				kinds[e.Kind] = k
			}
			k.add(true, got[e])
			all.add(true, got[e])
			if !got[e] {
				missed = append(missed, e.Kind+" "+e.Name+" "+e.Change)
			}
		}
		for e := range got {
			if want[e] {
				continue
			}
			k := kinds[e.Kind]
			if k == nil {
				k = &prf{}
				kinds[e.Kind] = k
			}
			k.add(false, true)
			all.add(false, true)
			extra = append(extra, e.Kind+" "+e.Name+" "+e.Change)
		}
		if len(missed)+len(extra) > 0 {
			sort.Strings(missed)
			sort.Strings(extra)
			t.Logf("%.10s entities: missed [%s], extra [%s]", l.Sha, strings.Join(missed, "; "), strings.Join(extra, "; "))
		}
	}
	n := float64(len(ls.Commits))
	var kindLine []string
	for _, k := range sortedKeys(kinds) {
		kindLine = append(kindLine, fmt.Sprintf("%s %.2f (%d labelled)", k, kinds[k].f1(), kinds[k].tp+kinds[k].fn))
	}
	t.Logf("%s (%s sample): %d commits; purpose right %.0f%%, other %.0f%%, fix+perf F1 %.2f; entity F1 %.2f; per kind: %s",
		ls.Kernel, sample, len(ls.Commits), 100*float64(right)/n, 100*float64(other)/n, fp.f1(), all.f1(), strings.Join(kindLine, ", "))
	minKind, minKindName := 1.0, ""
	for _, k := range sortedKeys(kinds) {
		if v := kinds[k]; v.tp+v.fn > 0 && v.f1() < minKind {
			minKind, minKindName = v.f1(), k
		}
	}
	t.Logf("as floors: {purpose: %.2f, other: %.2f, fix_perf_f1: %.2f, entity_f1: %.2f, kind_f1: %.2f}",
		floorDown(float64(right)/n), ceilUp(float64(other)/n), floorDown(fp.f1()), floorDown(all.f1()), floorDown(minKind))
	// The targets, met or not, are reported; a tuning sample's
	// figures say only how well the rules were fitted.
	var missed []string
	if float64(right)/n < targetPurpose {
		missed = append(missed, fmt.Sprintf("purpose right %.0f%% < %.0f%%", 100*float64(right)/n, 100*targetPurpose))
	}
	if float64(other)/n > targetOther {
		missed = append(missed, fmt.Sprintf("other %.0f%% > %.0f%%", 100*float64(other)/n, 100*targetOther))
	}
	if fp.f1() < targetFixPerfF1 {
		missed = append(missed, fmt.Sprintf("fix+perf F1 %.2f < %.2f", fp.f1(), targetFixPerfF1))
	}
	if all.f1() < targetEntityF1 {
		missed = append(missed, fmt.Sprintf("entity F1 %.2f < %.2f", all.f1(), targetEntityF1))
	}
	if minKind < targetKindF1 {
		missed = append(missed, fmt.Sprintf("entity F1 of %s %.2f < %.2f", minKindName, minKind, targetKindF1))
	}
	if len(missed) > 0 && ls.HeldBack {
		t.Logf("%s misses issue 17's targets: %s", sample, strings.Join(missed, "; "))
	}
	f := ls.Floors
	if f == nil {
		t.Fatalf("%s: no floors: add the figures above to the label file", sample)
	}
	// A hundredth of slack: the floors are written rounded.
	const eps = 0.005
	if got := float64(right) / n; got < f.Purpose-eps {
		t.Errorf("purpose right %.2f, below the sample's floor %.2f", got, f.Purpose)
	}
	if got := float64(other) / n; got > f.Other+eps {
		t.Errorf("left other %.2f, above the sample's ceiling %.2f", got, f.Other)
	}
	if got := fp.f1(); got < f.FixPerfF1-eps {
		t.Errorf("fix+perf F1 %.2f, below the sample's floor %.2f", got, f.FixPerfF1)
	}
	if got := all.f1(); got < f.EntityF1-eps {
		t.Errorf("entity F1 %.2f, below the sample's floor %.2f", got, f.EntityF1)
	}
	if minKind < f.KindF1-eps {
		t.Errorf("entity F1 of %s %.2f, below the sample's floor %.2f", minKindName, minKind, f.KindF1)
	}
}

// floorDown and ceilUp round a share to hundredths, towards the side a
// floor or a ceiling allows.
func floorDown(v float64) float64 { return math.Floor(v*100+1e-9) / 100 }
func ceilUp(v float64) float64    { return math.Max(0, math.Ceil(v*100-1e-9)/100) }

func isFixPerf(p string) bool { return p == string(classify.Fix) || p == string(classify.Perf) }

// prf counts a binary decision: true positives, false positives and false
// negatives.
type prf struct{ tp, fp, fn int }

func (p *prf) add(want, got bool) {
	switch {
	case want && got:
		p.tp++
	case got:
		p.fp++
	case want:
		p.fn++
	}
}

func (p prf) f1() float64 {
	if p.tp == 0 {
		if p.fp+p.fn == 0 {
			return 1
		}
		return 0
	}
	return 2 * float64(p.tp) / float64(2*p.tp+p.fp+p.fn)
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// TestLabelFiles checks the label files themselves, so a typo in a purpose
// or an entity kind is caught without a clone.
func TestLabelFiles(t *testing.T) {
	purposes := map[string]bool{"fix": true, "perf": true, "feature": true, "cleanup": true, "other": true}
	kinds := map[string]bool{"function": true, "type": true, "global": true, "macro": true, "asm": true}
	for _, lf := range readLabelFiles(t) {
		file, ls := lf.path, lf.set
		if ls.Env == "" || ls.Kernel == "" || len(ls.Commits) == 0 || ls.Floors == nil {
			t.Errorf("%s: kernel, env, floors and commits are required", file)
		}
		if f := ls.Floors; f != nil {
			for _, v := range []float64{f.Purpose, f.Other, f.FixPerfF1, f.EntityF1, f.KindF1} {
				if v < 0 || v > 1 {
					t.Errorf("%s: floors %+v: each is a share between 0 and 1", file, *f)
				}
			}
		}
		seen := map[string]bool{}
		for _, c := range ls.Commits {
			if len(c.Sha) != 40 || seen[c.Sha] {
				t.Errorf("%s: %q is not a full SHA or is repeated", file, c.Sha)
			}
			seen[c.Sha] = true
			if !purposes[c.Purpose] {
				t.Errorf("%s: %.10s: purpose %q", file, c.Sha, c.Purpose)
			}
			if c.Entities != nil {
				for _, e := range *c.Entities {
					if !kinds[e.Kind] || e.Name == "" || e.Change == "" {
						t.Errorf("%s: %.10s: entity %+v", file, c.Sha, e)
					}
				}
			}
		}
	}
}
