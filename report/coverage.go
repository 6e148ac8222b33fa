package report

import (
	"cmp"
	"fmt"
	"math"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/upsynth/upsynth/analyze/store"
	"github.com/upsynth/upsynth/class"
)

// JSONVersion is the version of the coverage JSON documented in
// docs/report-json.md; it changes only when a field changes meaning or goes.
const JSONVersion = 1

// Groupings of the coverage table (--by).
const (
	ByPurpose = "purpose"
	ByYear    = "year"
	ByPath    = "path"
)

// PaperOriginal and PaperWithAdapters are the paper's own figures for K42
// (Baumann et al., "Reboots are for Hardware", USENIX ATC 2007), in
// percent of K42's past bug-fix and performance changes: about half could
// be applied by its original update mechanism (hot-swap with state
// transfer), about 79% with interface adapters as well. The page shows
// them beside the analysed kernel's headline shares.
const (
	PaperOriginal     = 50
	PaperWithAdapters = 79
)

// NoSourceGroup is the --by path group of commits that changed no source
// file (docs, build files, tests).
const NoSourceGroup = "(no source change)"

// AllGroups names the row that totals every group of a --by year or
// --by path table.
const AllGroups = "all"

// Dataset is one column of a comparison: the commits of one database,
// restricted to one range.
type Dataset struct {
	Label   string          // how tables name it
	Source  string          // the database file
	Repo    string          // the analyzed repository the commits come from
	Range   string          // the revision range or dates it was restricted to, if any
	Commits []*store.Commit // analysis order; merges are counted, never classified
}

// Options shape a coverage report.
type Options struct {
	By        string // ByPurpose (default), ByYear or ByPath
	PathDepth int    // directory levels that make a --by path group (default 1)
	Top       int    // reasons, files and types listed (default 10)
	// Width is the text form's width: its tables are fitted to it (cells
	// wrapped at spaces) and its paragraphs wrapped; 0 leaves the tables
	// as wide as their cells and wraps paragraphs at 100 columns.
	Width int
}

func (o Options) withDefaults() Options {
	if o.By == "" {
		o.By = ByPurpose
	}
	if o.PathDepth <= 0 {
		o.PathDepth = 1
	}
	if o.Top <= 0 {
		o.Top = 10
	}
	return o
}

// Validate rejects unknown groupings.
func (o Options) Validate() error {
	switch o.By {
	case "", ByPurpose, ByYear, ByPath:
		return nil
	}
	return fmt.Errorf("--by %q: want purpose, year or path", o.By)
}

// Report is the coverage report; its JSON form is documented in
// docs/report-json.md.
type Report struct {
	Version int    `json:"version"`
	By      string `json:"by"`
	// PathDepth is how many directory levels make a --by path group.
	PathDepth int       `json:"path_depth,omitempty"`
	Datasets  []Summary `json:"datasets"`
	Rows      []Row     `json:"rows"`
	// Width is the text form's width in columns (Options.Width).
	Width int `json:"-"`
}

// Row is one line of the coverage table: the commits of one dataset, group
// and purpose, counted by class.
type Row struct {
	Dataset string `json:"dataset"`
	// Group is "" in a --by purpose table, else the year or directory (or
	// AllGroups for the row over every group).
	Group       string `json:"group"`
	Purpose     string `json:"purpose"`
	Total       int    `json:"total"`
	None        int    `json:"none"`
	Code        int    `json:"code"`
	State       int    `json:"state"`
	Interface   int    `json:"interface"`
	Unsupported int    `json:"unsupported"`
	// Source counts the commits that changed compiled source: all but none.
	Source int    `json:"source"`
	Shares Shares `json:"shares"`
	// The headline shares, in percent of Source; nil when Source is 0.
	UpdatableOriginal     *float64 `json:"updatable_original"`
	UpdatableWithAdapters *float64 `json:"updatable_with_adapters"`
}

// Shares are each class's percentage of a row's total (0 when it is empty),
// rounded to hundredths.
type Shares struct {
	None        float64 `json:"none"`
	Code        float64 `json:"code"`
	State       float64 `json:"state"`
	Interface   float64 `json:"interface"`
	Unsupported float64 `json:"unsupported"`
}

// Count returns the row's count of a class.
func (r *Row) Count(class string) int {
	switch class {
	case "none":
		return r.None
	case "code":
		return r.Code
	case "state":
		return r.State
	case "interface":
		return r.Interface
	case "unsupported":
		return r.Unsupported
	}
	return 0
}

// Share returns the row's share of a class.
func (r *Row) Share(class string) float64 {
	switch class {
	case "none":
		return r.Shares.None
	case "code":
		return r.Shares.Code
	case "state":
		return r.Shares.State
	case "interface":
		return r.Shares.Interface
	case "unsupported":
		return r.Shares.Unsupported
	}
	return 0
}

// Summary is what a report says about one dataset beyond its rows.
type Summary struct {
	Label   string `json:"label"`
	Source  string `json:"source"`
	Repo    string `json:"repo,omitempty"` // the analyzed repository
	Range   string `json:"range,omitempty"`
	Commits int    `json:"commits"` // classified (non-merge) commits
	Merges  int    `json:"merges"`
	First   string `json:"first,omitempty"` // earliest author date, YYYY-MM-DD
	Last    string `json:"last,omitempty"`
	// UnsupportedReasons count the unsupported commits per kind of reason
	// (a change's reason up to its first "; ").
	UnsupportedReasons []Count `json:"unsupported_reasons"`
	// Hazards count the commits carrying each hazard.
	Hazards []Count `json:"hazards"`
	// BlockingFiles and BlockingTypes are the files and types whose changes
	// most often kept a commit from the original mechanism: changes of
	// class interface or unsupported.
	BlockingFiles []Blocker `json:"blocking_files"`
	BlockingTypes []Blocker `json:"blocking_types"`
	// Period is the timeline's granularity: year, month, week or day,
	// whichever gives the commits' span several points.
	Period   string `json:"period"`
	Timeline []Row  `json:"timeline"`
}

// Count is a number of commits for a name.
type Count struct {
	Name    string `json:"name"`
	Commits int    `json:"commits"`
}

// Blocker is a file or type and the commits whose changes to it were of
// class interface or unsupported (a commit counts under its stronger one).
type Blocker struct {
	Name        string `json:"name"`
	Commits     int    `json:"commits"`
	Interface   int    `json:"interface"`
	Unsupported int    `json:"unsupported"`
}

// Membership is where a commit is counted in a table: one group and the
// class it has there. --by path puts a commit in every directory it
// changed, with the strongest class of its changes there.
type Membership struct {
	Group string
	Class string
}

// Groups returns the memberships of a classified commit under a grouping.
func Groups(c *store.Commit, by string, depth int) []Membership {
	switch by {
	case ByYear:
		return []Membership{{c.AuthorTime.UTC().Format("2006"), c.Class}}
	case ByPath:
		if depth <= 0 {
			depth = 1
		}
		var out []Membership
		for _, ch := range c.Changes {
			g := Directory(ch.File, depth)
			i := slices.IndexFunc(out, func(m Membership) bool { return m.Group == g })
			if i < 0 {
				out = append(out, Membership{g, string(ch.Class)})
			} else if classRank(string(ch.Class)) > classRank(out[i].Class) {
				out[i].Class = string(ch.Class)
			}
		}
		if len(out) == 0 {
			return []Membership{{NoSourceGroup, c.Class}}
		}
		slices.SortFunc(out, func(a, b Membership) int { return strings.Compare(a.Group, b.Group) })
		return out
	}
	return []Membership{{"", c.Class}}
}

// Directory is the first depth directories of a slash-separated file path,
// "." for a file at the root.
func Directory(file string, depth int) string {
	dir := path.Dir(file)
	if dir == "." {
		return "."
	}
	parts := strings.Split(dir, "/")
	if len(parts) > depth {
		parts = parts[:depth]
	}
	return strings.Join(parts, "/")
}

func classRank(c string) int { return class.Class(c).Rank() }

// counts are commits per class, in Classes order.
type counts [5]int

func (n *counts) add(class string) {
	if i := classRank(class); i >= 0 {
		n[i]++
	}
}

func round2(x float64) float64 { return math.Round(x*100) / 100 }

func percent(part, whole int) float64 {
	if whole == 0 {
		return 0
	}
	return round2(100 * float64(part) / float64(whole))
}

func makeRow(dataset, group, purpose string, n counts) Row {
	r := Row{Dataset: dataset, Group: group, Purpose: purpose,
		None: n[0], Code: n[1], State: n[2], Interface: n[3], Unsupported: n[4]}
	for _, v := range n {
		r.Total += v
	}
	r.Source = r.Total - r.None
	r.Shares = Shares{percent(r.None, r.Total), percent(r.Code, r.Total), percent(r.State, r.Total),
		percent(r.Interface, r.Total), percent(r.Unsupported, r.Total)}
	if r.Source > 0 {
		orig, adapt := percent(r.Code+r.State, r.Source), percent(r.Code+r.State+r.Interface, r.Source)
		r.UpdatableOriginal, r.UpdatableWithAdapters = &orig, &adapt
	}
	return r
}

// tally counts commits per group and row purpose.
type tally map[string]map[string]*counts

func (t tally) add(group, purpose, class string) {
	byPurpose := t[group]
	if byPurpose == nil {
		byPurpose = map[string]*counts{}
		t[group] = byPurpose
	}
	for _, rp := range RowPurposes {
		if MatchPurpose(rp, purpose) {
			n := byPurpose[rp]
			if n == nil {
				n = &counts{}
				byPurpose[rp] = n
			}
			n.add(class)
		}
	}
}

func (t tally) get(group, purpose string) counts {
	if n := t[group][purpose]; n != nil {
		return *n
	}
	return counts{}
}

// groupPurposes are the rows per group of a --by year or --by path table:
// the paper's headline purposes and everything.
var groupPurposes = []string{PurposeFixPerf, PurposeAll}

// Compute builds the coverage report of datasets.
func Compute(datasets []Dataset, opts Options) *Report {
	opts = opts.withDefaults()
	rep := &Report{Version: JSONVersion, By: opts.By, Datasets: []Summary{}, Rows: []Row{}, Width: opts.Width}
	if opts.By == ByPath {
		rep.PathDepth = opts.PathDepth
	}
	// One period for all datasets, so that their timelines share an axis.
	var first, last time.Time
	for _, ds := range datasets {
		for _, c := range ds.Commits {
			if c.Merge {
				continue
			}
			if first.IsZero() || c.AuthorTime.Before(first) {
				first = c.AuthorTime
			}
			if c.AuthorTime.After(last) {
				last = c.AuthorTime
			}
		}
	}
	period := periodFor(first, last)
	for _, ds := range datasets {
		rep.Datasets = append(rep.Datasets, summarize(ds, opts, period))
		rep.Rows = append(rep.Rows, rows(ds, opts)...)
	}
	return rep
}

func rows(ds Dataset, opts Options) []Row {
	t := tally{}
	for _, c := range ds.Commits {
		if c.Merge {
			continue
		}
		for _, m := range Groups(c, opts.By, opts.PathDepth) {
			t.add(m.Group, c.Purpose, m.Class)
		}
		if opts.By != ByPurpose {
			t.add(AllGroups, c.Purpose, c.Class)
		}
	}
	var out []Row
	if opts.By == ByPurpose {
		for _, p := range RowPurposes {
			out = append(out, makeRow(ds.Label, "", p, t.get("", p)))
		}
		return out
	}
	groups := make([]string, 0, len(t))
	for g := range t {
		if g != AllGroups {
			groups = append(groups, g)
		}
	}
	slices.Sort(groups)
	for _, g := range append(groups, AllGroups) {
		for _, p := range groupPurposes {
			out = append(out, makeRow(ds.Label, g, p, t.get(g, p)))
		}
	}
	return out
}

func summarize(ds Dataset, opts Options, period string) Summary {
	s := Summary{Label: ds.Label, Source: ds.Source, Repo: ds.Repo, Range: ds.Range,
		UnsupportedReasons: []Count{}, Hazards: []Count{}, BlockingFiles: []Blocker{}, BlockingTypes: []Blocker{}, Timeline: []Row{}}
	reasons, hazards := map[string]int{}, map[string]int{}
	files, types := map[string]*Blocker{}, map[string]*Blocker{}
	var first, last time.Time
	for _, c := range ds.Commits {
		if c.Merge {
			s.Merges++
			continue
		}
		s.Commits++
		if first.IsZero() || c.AuthorTime.Before(first) {
			first = c.AuthorTime
		}
		if c.AuthorTime.After(last) {
			last = c.AuthorTime
		}
		for _, h := range c.Hazards {
			hazards[h]++
		}
		if c.Class == "unsupported" {
			for _, r := range unsupportedReasons(c) {
				reasons[r]++
			}
		}
		if c.Class == "interface" || c.Class == "unsupported" {
			countBlockers(c, files, types)
		}
	}
	if s.Commits > 0 {
		s.First, s.Last = first.UTC().Format(time.DateOnly), last.UTC().Format(time.DateOnly)
	}
	s.UnsupportedReasons = topCounts(reasons, opts.Top)
	s.Hazards = topCounts(hazards, len(hazards))
	s.BlockingFiles = topBlockers(files, opts.Top)
	s.BlockingTypes = topBlockers(types, opts.Top)
	s.Period = period
	s.Timeline = timeline(ds, period)
	return s
}

// ReasonKind is the kind of a change's reason: up to its first "; ", so
// that the names a reason mentions do not split the count.
func ReasonKind(reason string) string {
	if i := strings.Index(reason, "; "); i >= 0 {
		return reason[:i]
	}
	return reason
}

func unsupportedReasons(c *store.Commit) []string {
	var out []string
	for _, ch := range c.Changes {
		if ch.Class == "unsupported" {
			if k := ReasonKind(ch.Reason); !slices.Contains(out, k) {
				out = append(out, k)
			}
		}
	}
	if len(out) == 0 {
		out = append(out, ReasonKind(c.Reason))
	}
	return out
}

func countBlockers(c *store.Commit, files, types map[string]*Blocker) {
	fileClass, typeClass := map[string]string{}, map[string]string{}
	for _, ch := range c.Changes {
		if ch.Class != "interface" && ch.Class != "unsupported" {
			continue
		}
		if classRank(string(ch.Class)) > classRank(fileClass[ch.File]) {
			fileClass[ch.File] = string(ch.Class)
		}
		if ch.Entity == "type" && classRank(string(ch.Class)) > classRank(typeClass[ch.Name]) {
			typeClass[ch.Name] = string(ch.Class)
		}
	}
	tally := func(m map[string]*Blocker, name, class string) {
		b := m[name]
		if b == nil {
			b = &Blocker{Name: name}
			m[name] = b
		}
		b.Commits++
		if class == "interface" {
			b.Interface++
		} else {
			b.Unsupported++
		}
	}
	for f, cl := range fileClass {
		tally(files, f, cl)
	}
	for ty, cl := range typeClass {
		tally(types, ty, cl)
	}
}

func topCounts(m map[string]int, n int) []Count {
	out := make([]Count, 0, len(m))
	for k, v := range m {
		out = append(out, Count{k, v})
	}
	slices.SortFunc(out, func(a, b Count) int {
		return cmp.Or(cmp.Compare(b.Commits, a.Commits), strings.Compare(a.Name, b.Name))
	})
	return out[:min(n, len(out))]
}

func topBlockers(m map[string]*Blocker, n int) []Blocker {
	out := make([]Blocker, 0, len(m))
	for _, b := range m {
		out = append(out, *b)
	}
	slices.SortFunc(out, func(a, b Blocker) int {
		return cmp.Or(cmp.Compare(b.Commits, a.Commits), cmp.Compare(b.Unsupported, a.Unsupported), strings.Compare(a.Name, b.Name))
	})
	return out[:min(n, len(out))]
}

// Timeline periods.
const (
	PeriodYear  = "year"
	PeriodMonth = "month"
	PeriodWeek  = "week"
	PeriodDay   = "day"
)

// periodFor picks the coarsest period that still gives a span of commits
// several points.
func periodFor(first, last time.Time) string {
	switch span := last.Sub(first); {
	case span >= 3*365*24*time.Hour:
		return PeriodYear
	case span >= 90*24*time.Hour:
		return PeriodMonth
	case span >= 21*24*time.Hour:
		return PeriodWeek
	}
	return PeriodDay
}

// PeriodOf is the timeline period a commit falls in.
func PeriodOf(c *store.Commit, period string) string {
	switch period {
	case PeriodYear:
		return c.AuthorTime.UTC().Format("2006")
	case PeriodMonth:
		return c.AuthorTime.UTC().Format("2006-01")
	case PeriodWeek:
		year, week := c.AuthorTime.UTC().ISOWeek()
		return fmt.Sprintf("%d-W%02d", year, week)
	}
	return c.AuthorTime.UTC().Format(time.DateOnly)
}

func timeline(ds Dataset, period string) []Row {
	t := tally{}
	for _, c := range ds.Commits {
		if !c.Merge {
			t.add(PeriodOf(c, period), c.Purpose, c.Class)
		}
	}
	periods := make([]string, 0, len(t))
	for p := range t {
		periods = append(periods, p)
	}
	slices.Sort(periods)
	out := []Row{}
	for _, p := range periods {
		for _, pur := range groupPurposes {
			out = append(out, makeRow(ds.Label, p, pur, t.get(p, pur)))
		}
	}
	return out
}
