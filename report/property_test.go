package report

import (
	"bytes"
	"encoding/json"
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

// checkRow checks that a row's numbers add up.
func checkRow(t *testing.T, r Row) {
	t.Helper()
	if sum := r.None + r.Code + r.State + r.Interface + r.Unsupported; sum != r.Total {
		t.Errorf("%s/%s/%s: classes sum to %d, total %d", r.Dataset, r.Group, r.Purpose, sum, r.Total)
	}
	if r.Source != r.Total-r.None {
		t.Errorf("%s/%s/%s: source %d, want %d", r.Dataset, r.Group, r.Purpose, r.Source, r.Total-r.None)
	}
	shares := r.Shares.None + r.Shares.Code + r.Shares.State + r.Shares.Interface + r.Shares.Unsupported
	// Five shares rounded to hundredths are each off by at most 0.005.
	if r.Total > 0 && math.Abs(shares-100) > 0.025+1e-9 {
		t.Errorf("%s/%s/%s: shares sum to %v", r.Dataset, r.Group, r.Purpose, shares)
	}
	if r.Total == 0 && shares != 0 {
		t.Errorf("%s/%s/%s: empty row has shares %v", r.Dataset, r.Group, r.Purpose, shares)
	}
	if (r.Source == 0) != (r.UpdatableOriginal == nil) || (r.Source == 0) != (r.UpdatableWithAdapters == nil) {
		t.Errorf("%s/%s/%s: source %d but headline shares %v %v", r.Dataset, r.Group, r.Purpose, r.Source, r.UpdatableOriginal, r.UpdatableWithAdapters)
	}
	if r.Source > 0 {
		orig := 100 * float64(r.Code+r.State) / float64(r.Source)
		adapt := 100 * float64(r.Code+r.State+r.Interface) / float64(r.Source)
		if math.Abs(*r.UpdatableOriginal-orig) > 0.005+1e-9 || math.Abs(*r.UpdatableWithAdapters-adapt) > 0.005+1e-9 || *r.UpdatableOriginal > *r.UpdatableWithAdapters {
			t.Errorf("%s/%s/%s: headline %v %v, want %v %v", r.Dataset, r.Group, r.Purpose, *r.UpdatableOriginal, *r.UpdatableWithAdapters, orig, adapt)
		}
	}
}

// yearFilter selects the commits of one year, as a --by year cell does.
func yearFilter(year string) Filter {
	since := must(time.Parse("2006", year))
	return Filter{Since: since, Until: since.AddDate(1, 0, 0)}
}

// TestNumbersAddUp checks, over random histories, that rows add up, that
// every cell counts exactly the commits `report commits` lists for it, and
// that the JSON carries the same numbers.
func TestNumbersAddUp(t *testing.T) {
	for seed := uint64(1); seed <= 25; seed++ {
		rng := rand.New(rand.NewPCG(seed, seed*31))
		cs := randomCommits(rng, 50+rng.IntN(400))
		ds := Dataset{Label: "r", Commits: cs}
		classified := Filter{}.Select(cs)

		rep := Compute([]Dataset{ds}, Options{})
		for _, r := range rep.Rows {
			checkRow(t, r)
			for _, class := range append(append([]string{}, Classes...), ClassSource, ClassUpdatableOrig, ClassUpdatableAdapter) {
				listed := len(Filter{Purpose: r.Purpose, Class: class}.Select(cs))
				want := r.Count(class)
				switch class {
				case ClassSource:
					want = r.Source
				case ClassUpdatableOrig:
					want = r.Code + r.State
				case ClassUpdatableAdapter:
					want = r.Code + r.State + r.Interface
				}
				if listed != want {
					t.Fatalf("seed %d: %s/%s: table %d, report commits %d", seed, r.Purpose, class, want, listed)
				}
			}
		}
		if all := rowByKey(rep, "", PurposeAll); all.Total != len(classified) {
			t.Fatalf("seed %d: all row %d, %d classified commits", seed, all.Total, len(classified))
		}
		fix, perf, fp := rowByKey(rep, "", "fix"), rowByKey(rep, "", "perf"), rowByKey(rep, "", PurposeFixPerf)
		if fix.Total+perf.Total != fp.Total || fix.Unsupported+perf.Unsupported != fp.Unsupported {
			t.Fatalf("seed %d: fix+perf is not fix plus perf", seed)
		}

		byYear := Compute([]Dataset{ds}, Options{By: ByYear})
		sum := 0
		for _, r := range byYear.Rows {
			checkRow(t, r)
			if r.Group == AllGroups {
				continue
			}
			f := yearFilter(r.Group)
			f.Purpose = r.Purpose
			if listed := len(f.Select(cs)); listed != r.Total {
				t.Fatalf("seed %d: %s/%s: table %d, report commits --since --until %d", seed, r.Group, r.Purpose, r.Total, listed)
			}
			if r.Purpose == PurposeAll {
				sum += r.Total
			}
		}
		if sum != len(classified) {
			t.Fatalf("seed %d: years sum to %d, %d classified commits", seed, sum, len(classified))
		}

		byPath := Compute([]Dataset{ds}, Options{By: ByPath})
		for _, r := range byPath.Rows {
			checkRow(t, r)
			if r.Group == AllGroups || r.Group == NoSourceGroup || r.Purpose != PurposeAll {
				continue
			}
			if listed := len(Filter{Path: r.Group + "/**"}.Select(cs)); listed != r.Total {
				t.Fatalf("seed %d: %s: table %d, report commits --path %d", seed, r.Group, r.Total, listed)
			}
		}

		var buf bytes.Buffer
		if err := Write(&buf, rep, "json", nil); err != nil {
			t.Fatal(err)
		}
		var back Report
		if err := json.Unmarshal(buf.Bytes(), &back); err != nil {
			t.Fatal(err)
		}
		for i, r := range back.Rows {
			if r.Total != rep.Rows[i].Total || r.Code != rep.Rows[i].Code || r.Shares != rep.Rows[i].Shares {
				t.Fatalf("seed %d: JSON row %d differs: %+v", seed, i, r)
			}
		}
	}
}

func rowByKey(rep *Report, group, purpose string) Row {
	for _, r := range rep.Rows {
		if r.Group == group && r.Purpose == purpose {
			return r
		}
	}
	return Row{}
}

var benchSink *Report

// BenchmarkCoverage computes the full report (all sections, timeline) of
// a history of 5000 commits loaded from a database.
func BenchmarkCoverage(b *testing.B) {
	cs := randomCommits(rand.New(rand.NewPCG(7, 7)), 5000)
	path := fixtureDB(b, "bench", cs)
	b.ResetTimer()
	for b.Loop() {
		ds, err := Load(b.Context(), Source{DB: path})
		if err != nil {
			b.Fatal(err)
		}
		benchSink = Compute([]Dataset{ds}, Options{})
	}
}

// BenchmarkCoverageHTML renders the page of 5000 commits.
func BenchmarkCoverageHTML(b *testing.B) {
	ds := Dataset{Label: "bench", Commits: randomCommits(rand.New(rand.NewPCG(7, 7)), 5000)}
	rep := Compute([]Dataset{ds}, Options{})
	for b.Loop() {
		var buf bytes.Buffer
		if err := Write(&buf, rep, "html", []Dataset{ds}); err != nil {
			b.Fatal(err)
		}
	}
}
