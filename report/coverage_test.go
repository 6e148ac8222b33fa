package report

import (
	"context"
	"testing"
)

func loadFixture(t testing.TB, name string) Dataset {
	t.Helper()
	ds, err := Load(context.Background(), Source{DB: fixtureDB(t, name, fixtureCommits())})
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

func rowOf(t *testing.T, rep *Report, group, purpose string) Row {
	t.Helper()
	for _, r := range rep.Rows {
		if r.Group == group && r.Purpose == purpose {
			return r
		}
	}
	t.Fatalf("no row %q/%q", group, purpose)
	return Row{}
}

// TestFixtureNumbers checks the table against numbers derived by hand from
// fixtureCommits.
func TestFixtureNumbers(t *testing.T) {
	rep := Compute([]Dataset{loadFixture(t, "kernel")}, Options{})
	type want struct{ total, none, code, state, iface, unsup int }
	for purpose, w := range map[string]want{
		"fix":      {11, 0, 3, 2, 3, 3},
		"perf":     {5, 0, 2, 2, 0, 1},
		"fix+perf": {16, 0, 5, 4, 3, 4},
		"feature":  {3, 0, 1, 1, 1, 0},
		"cleanup":  {2, 1, 1, 0, 0, 0},
		"other":    {2, 1, 1, 0, 0, 0},
		"all":      {23, 2, 8, 5, 4, 4},
	} {
		r := rowOf(t, rep, "", purpose)
		got := want{r.Total, r.None, r.Code, r.State, r.Interface, r.Unsupported}
		if got != w {
			t.Errorf("%s: got %+v, want %+v", purpose, got, w)
		}
	}
	h := rep.Headline("kernel")
	if h.Source != 16 || *h.UpdatableOriginal != 56.25 || *h.UpdatableWithAdapters != 75 {
		t.Errorf("headline: source %d, original %v, with adapters %v; want 16, 56.25, 75", h.Source, *h.UpdatableOriginal, *h.UpdatableWithAdapters)
	}
	s := rep.Datasets[0]
	if s.Commits != 23 || s.Merges != 1 || s.First != "2021-01-10" || s.Last != "2024-02-01" || s.Period != PeriodYear {
		t.Errorf("summary: %+v", s)
	}
	// Every unsupported commit has its own kind of reason.
	if len(s.UnsupportedReasons) != 4 {
		t.Errorf("unsupported reasons: %+v", s.UnsupportedReasons)
	}
	// include/fs.h blocked commits 3, 12 and 19; the type inode 3 and 19.
	if f := s.BlockingFiles[0]; f.Name != "include/fs.h" || f.Commits != 3 || f.Interface != 3 {
		t.Errorf("top blocking file: %+v", f)
	}
	if ty := s.BlockingTypes[0]; ty.Name != "inode" || ty.Commits != 2 {
		t.Errorf("top blocking type: %+v", ty)
	}
	if hz := s.Hazards[0]; hz.Name != "global-data" || hz.Commits != 2 {
		t.Errorf("top hazard: %+v", hz)
	}
}

func TestByYearAndPath(t *testing.T) {
	ds := loadFixture(t, "kernel")
	rep := Compute([]Dataset{ds}, Options{By: ByYear})
	// 2021: fix 1,2,3,7 and perf 4 → code 2, state 1, interface 1, unsupported 1.
	r := rowOf(t, rep, "2021", PurposeFixPerf)
	if r.Total != 5 || r.Code != 2 || r.State != 1 || r.Interface != 1 || r.Unsupported != 1 {
		t.Errorf("2021 fix+perf: %+v", r)
	}
	if r := rowOf(t, rep, AllGroups, PurposeAll); r.Total != 23 {
		t.Errorf("all years: %+v", r)
	}
	rep = Compute([]Dataset{ds}, Options{By: ByPath})
	// include: commits 3, 9, 12, 19 — all interface there.
	if r := rowOf(t, rep, "include", PurposeAll); r.Total != 4 || r.Interface != 4 {
		t.Errorf("include: %+v", r)
	}
	// kernel: commit 12 is interface by its vfs_read change; 15 (init) and 23
	// (unreadable) are unsupported.
	if r := rowOf(t, rep, "kernel", PurposeAll); r.Total != 16 || r.Code != 8 || r.State != 5 || r.Interface != 1 || r.Unsupported != 2 {
		t.Errorf("kernel: %+v", r)
	}
	if r := rowOf(t, rep, NoSourceGroup, PurposeAll); r.Total != 2 || r.None != 2 {
		t.Errorf("no source: %+v", r)
	}
	rep = Compute([]Dataset{ds}, Options{By: ByPath, PathDepth: 2})
	if r := rowOf(t, rep, "kernel/fs", PurposeAll); r.Total != 7 {
		t.Errorf("kernel/fs: %+v", r)
	}
}

func TestFilter(t *testing.T) {
	cs := fixtureCommits()
	for _, tc := range []struct {
		f    Filter
		want int
	}{
		{Filter{}, 23},
		{Filter{Merges: true}, 24},
		{Filter{Purpose: PurposeFixPerf, Class: ClassUpdatableOrig}, 9},
		{Filter{Purpose: PurposeFixPerf, Class: ClassUpdatableAdapter}, 12},
		{Filter{Class: ClassSource}, 21},
		{Filter{Hazard: "global-data"}, 2},
		{Filter{Path: "include/**"}, 4},
		{Filter{Path: "*.S"}, 1},
		{Filter{Since: must(ParseDate("2023-01-01", false)), Until: must(ParseDate("2023-12-31", true))}, 8},
		{Filter{Until: must(ParseDate("2021-01-10", true))}, 1},
	} {
		if got := len(tc.f.Select(cs)); got != tc.want {
			t.Errorf("%+v: %d commits, want %d", tc.f, got, tc.want)
		}
	}
	f := Filter{Purpose: "fix", Class: "state", Hazard: "init", Path: "kernel/**", Since: must(ParseDate("2021-01-01", false)), Until: must(ParseDate("2021-12-31", true))}
	if got, want := f.Describe(), "purpose fix, class state, hazard init, path kernel/**, since 2021-01-01, before 2022-01-01"; got != want {
		t.Errorf("Describe: %q, want %q", got, want)
	}
	if got := (Filter{}).Describe(); got != "all commits" {
		t.Errorf("Describe: %q", got)
	}
	for _, bad := range []Filter{{Class: "swap"}, {Purpose: "bugfix"}, {Hazard: "asm2"},
		{Since: must(ParseDate("2022-01-01", false)), Until: must(ParseDate("2021-01-01", true))}} {
		if bad.Validate() == nil {
			t.Errorf("%+v: no error", bad)
		}
	}
	if _, err := ParseDate("yesterday", false); err == nil {
		t.Error("ParseDate accepted yesterday")
	}
}

func TestWrap(t *testing.T) {
	if got, want := wrap("aa bb cc dd", 5), "aa bb\ncc dd"; got != want {
		t.Errorf("wrap: %q, want %q", got, want)
	}
	if got := wrap("averyveryverylongword x", 5); got != "averyveryverylongword\nx" {
		t.Errorf("wrap long word: %q", got)
	}
}

func TestOneDecimal(t *testing.T) {
	for in, want := range map[float64]string{56.25: "56.3%", 0: "0.0%", 100: "100.0%", 33.33: "33.3%", 66.67: "66.7%", 82.35: "82.4%"} {
		if got := oneDecimal(in); got != want {
			t.Errorf("oneDecimal(%v) = %s, want %s", in, got, want)
		}
	}
}

// TestNoDoubleRounding: 14 of 26 is 53.846%, shown as 53.8% although the
// JSON's hundredths say 53.85.
func TestNoDoubleRounding(t *testing.T) {
	r := makeRow("d", "", "fix", counts{0, 14, 0, 12, 0})
	if r.Shares.Code != 53.85 {
		t.Errorf("JSON share %v, want 53.85", r.Shares.Code)
	}
	if got := cell(r, "code"); got != "14 (53.8%)" {
		t.Errorf("cell %q, want 14 (53.8%%)", got)
	}
	if got := originalText(r); got != "53.8%" {
		t.Errorf("original %q, want 53.8%%", got)
	}
}
