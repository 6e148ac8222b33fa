package report

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/upsynth/upsynth/analyze/store"
	"github.com/upsynth/upsynth/class"
	"github.com/upsynth/upsynth/kernel"
)

// Classes are the update classes, weakest first (package class).
var Classes = class.Names()

// Purposes are the purposes a commit message is classified into.
var Purposes = []string{"fix", "perf", "feature", "cleanup", "other"}

// Purpose rows of the coverage table: the purposes, the paper's headline
// union fix+perf, and all commits.
const (
	PurposeFixPerf = "fix+perf"
	PurposeAll     = "all"
)

// RowPurposes are the purpose rows of a --by purpose table, in order.
var RowPurposes = []string{"fix", "perf", PurposeFixPerf, "feature", "cleanup", "other", PurposeAll}

// Class selections that name the table's headline columns, usable wherever
// a class is: commits that changed source, and the commits each mechanism
// could apply.
const (
	ClassSource           = "source"
	ClassUpdatableOrig    = "updatable-original"
	ClassUpdatableAdapter = "updatable-with-adapters"
)

// MatchPurpose reports whether a commit purpose falls under a row purpose.
func MatchPurpose(row, purpose string) bool {
	switch row {
	case PurposeAll, "":
		return true
	case PurposeFixPerf:
		return purpose == "fix" || purpose == "perf"
	}
	return row == purpose
}

// MatchClass reports whether a commit class falls under a class selection:
// a class, or one of the headline selections.
func MatchClass(sel, c string) bool {
	switch sel {
	case "", PurposeAll:
		return true
	case ClassSource:
		return c != string(class.None) && c != ""
	case ClassUpdatableOrig:
		return c == string(class.Code) || c == string(class.State)
	case ClassUpdatableAdapter:
		return class.Class(c).Updatable()
	}
	return sel == c
}

// ClassFilters are what --class selects: a class or a headline selection.
var ClassFilters = append(append([]string{}, Classes...), ClassSource, ClassUpdatableOrig, ClassUpdatableAdapter)

// WordList lists the words a flag accepts as a sentence: "a, b or c".
func WordList(ws []string) string {
	if len(ws) < 2 {
		return strings.Join(ws, "")
	}
	return strings.Join(ws[:len(ws)-1], ", ") + " or " + ws[len(ws)-1]
}

// Filter selects commits. The zero Filter selects every classified commit.
type Filter struct {
	Class   string    // a class or a headline selection (MatchClass)
	Purpose string    // a purpose, fix+perf or all (MatchPurpose)
	Hazard  string    // a hazard the commit carries
	Path    string    // a glob (analyze/config dialect) some changed file matches
	Since   time.Time // author time on or after (zero: no bound)
	Until   time.Time // author time before (zero: no bound)
	Merges  bool      // keep merges (recorded but never classified)
}

// Validate rejects selections that can never match, so a typo is an error
// rather than an empty report.
func (f Filter) Validate() error {
	if f.Class != "" && f.Class != PurposeAll && !slices.Contains(ClassFilters, f.Class) {
		return fmt.Errorf("--class %q: want %s", f.Class, WordList(ClassFilters))
	}
	if f.Purpose != "" && !slices.Contains(RowPurposes, f.Purpose) {
		return fmt.Errorf("--purpose %q: want %s", f.Purpose, WordList(RowPurposes))
	}
	if f.Hazard != "" && !slices.Contains(Hazards, f.Hazard) {
		return fmt.Errorf("--hazard %q: want %s", f.Hazard, WordList(Hazards))
	}
	if !f.Since.IsZero() && !f.Until.IsZero() && !f.Since.Before(f.Until) {
		return fmt.Errorf("--since %s is not before --until %s", f.Since.Format(time.DateOnly), f.Until.Format(time.DateOnly))
	}
	return nil
}

// Hazards are the hazard flags the analysis records (DESIGN.md).
var Hazards = []string{"asm", "init", "header-inline", "static-local", "vtable", "ops-table",
	"global-data", "syscall-abi", "build-only", "imprecise"}

// Match reports whether the filter selects c.
func (f Filter) Match(c *store.Commit) bool {
	if c.Merge {
		return f.Merges && f.Class == "" && f.Purpose == "" && f.Hazard == "" && f.Path == "" && f.inTime(c)
	}
	if !MatchClass(f.Class, c.Class) || !MatchPurpose(f.Purpose, c.Purpose) || !f.inTime(c) {
		return false
	}
	if f.Hazard != "" && !slices.Contains(c.Hazards, f.Hazard) {
		return false
	}
	if f.Path != "" && !slices.ContainsFunc(c.Changes, func(ch store.Change) bool { return kernel.Match(f.Path, ch.File) }) {
		return false
	}
	return true
}

func (f Filter) inTime(c *store.Commit) bool {
	if !f.Since.IsZero() && c.AuthorTime.Before(f.Since) {
		return false
	}
	return f.Until.IsZero() || c.AuthorTime.Before(f.Until)
}

// Describe names the selection for a heading: "purpose fix, class state".
func (f Filter) Describe() string {
	var parts []string
	for _, kv := range [][2]string{{"purpose", f.Purpose}, {"class", f.Class}, {"hazard", f.Hazard}, {"path", f.Path}} {
		if kv[1] != "" {
			parts = append(parts, kv[0]+" "+kv[1])
		}
	}
	if !f.Since.IsZero() {
		parts = append(parts, "since "+f.Since.Format(time.DateOnly))
	}
	if !f.Until.IsZero() {
		parts = append(parts, "before "+f.Until.Format(time.DateOnly))
	}
	if len(parts) == 0 {
		return "all commits"
	}
	return strings.Join(parts, ", ")
}

// Select returns the commits f selects, in their order.
func (f Filter) Select(cs []*store.Commit) []*store.Commit {
	out := make([]*store.Commit, 0, len(cs))
	for _, c := range cs {
		if f.Match(c) {
			out = append(out, c)
		}
	}
	return out
}

// ParseDate parses a --since/--until value: a date (YYYY-MM-DD, UTC) or an
// RFC 3339 time. A date given as an upper bound (end) includes that whole
// day, as git log --until does.
func ParseDate(s string, end bool) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		if end {
			t = t.AddDate(0, 0, 1)
		}
		return t, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not a date (want YYYY-MM-DD or RFC 3339)", s)
	}
	return t, nil
}
