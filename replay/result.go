package replay

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
)

// Actions of a row.
const (
	ActionLive   = "live"   // applied live to the running machine
	ActionReboot = "reboot" // the machine was rebooted into the revision
	ActionSkip   = "skip"   // nothing compiled changed
)

// Row is what the replay did at one commit.
type Row struct {
	Sha     string `json:"sha"`
	Subject string `json:"subject"`
	Class   string `json:"class"`
	Action  string `json:"action"`
	// Reason says why: the class's reason for a skip or a reboot at an
	// unsupported commit, what failed for a failed update, what the
	// update did for a live one.
	Reason string `json:"reason,omitempty"`
	// Failed is set when a live update failed (rolled back, or its checks
	// failed) and the machine was rebooted into the revision.
	Failed bool `json:"failed,omitempty"`
	// Hooks is set when the update ran a person's hooks (--hooks).
	Hooks bool `json:"hooks,omitempty"`
	// Apply is the update's time from start to commit; Pause the longest
	// pause a call saw (both zero unless live, or failed live).
	Apply time.Duration `json:"apply_ns"`
	Pause time.Duration `json:"longest_pause_ns"`
	// Uptime is how many commits the running machine has been taken
	// through since it last booted, after this one.
	Uptime int `json:"uptime_commits"`
}

// Summary counts a replay.
type Summary struct {
	Commits int `json:"commits"`
	Live    int `json:"applied_live"`
	Skipped int `json:"skipped"`
	Reboots int `json:"reboots"`
	// Failures are the reboots after a live update failed (counted in
	// Reboots too).
	Failures int `json:"failures"`
	// LongestUptime is the most commits one boot of the machine was taken
	// through; LongestUptimeFrom and To are that boot's first and last
	// revision.
	LongestUptime     int    `json:"longest_uptime_commits"`
	LongestUptimeFrom string `json:"longest_uptime_from"`
	LongestUptimeTo   string `json:"longest_uptime_to"`
}

// Check is one comparison at B.
type Check struct {
	Name   string `json:"name"`
	OK     bool   `json:"ok"`
	Detail string `json:"detail,omitempty"`
}

// End is the comparison of the running machine at B with a fresh boot of B.
type End struct {
	Checks []Check `json:"checks"`
	// Differences are the requests whose result or console output differs.
	Differences []string `json:"differences,omitempty"`
	// Interleaving lists, per workload with concurrent streams, results
	// that differ while every expectation holds on both machines.
	Interleaving []string `json:"interleaving,omitempty"`
}

// OK reports whether every check at B passed.
func (e *End) OK() bool {
	for _, c := range e.Checks {
		if !c.OK {
			return false
		}
	}
	return true
}

// Result is a whole replay.
type Result struct {
	// Version of this JSON (docs/replay-json.md).
	Version int    `json:"version"`
	Repo    string `json:"repo,omitempty"`
	From    string `json:"from"`
	To      string `json:"to"`
	Mode    string `json:"mode"`
	Target  string `json:"target"`
	// Resumed says the replay continued from a progress file, and from
	// which commit.
	Resumed string  `json:"resumed,omitempty"`
	Rows    []Row   `json:"rows"`
	Summary Summary `json:"summary"`
	End     *End    `json:"end,omitempty"`
}

// ResultVersion is the version of Result's JSON.
const ResultVersion = 1

// OK reports whether the replay had no failed update and ended agreeing
// with a fresh boot of B.
func (r *Result) OK() bool { return r.Summary.Failures == 0 && r.End != nil && r.End.OK() }

// summarize computes the summary from the rows.
func summarize(from string, rows []Row) Summary {
	s := Summary{Commits: len(rows)}
	bootFrom, up := from, 0
	best := func(to string) {
		if up > s.LongestUptime || s.LongestUptimeFrom == "" {
			s.LongestUptime, s.LongestUptimeFrom, s.LongestUptimeTo = up, short(bootFrom), short(to)
		}
	}
	last := from
	for _, r := range rows {
		switch r.Action {
		case ActionLive:
			s.Live++
		case ActionSkip:
			s.Skipped++
		case ActionReboot:
			s.Reboots++
			if r.Failed {
				s.Failures++
			}
			best(last)
			bootFrom, up = r.Sha, 0
			last = r.Sha
			continue
		}
		up++
		last = r.Sha
	}
	best(last)
	return s
}

// JSON writes the result as indented JSON.
func (r *Result) JSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// Text writes one row per commit, the summary and the comparison at B.
func (r *Result) Text(w io.Writer) error {
	fmt.Fprintf(w, "replay %s..%s (%s, %s)\n", short(r.From), short(r.To), r.Mode, r.Target)
	if r.Resumed != "" {
		fmt.Fprintf(w, "resumed after %s\n", r.Resumed)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "SHA\tCLASS\tACTION\tAPPLY\tPAUSE\tSUBJECT\tREASON")
	for _, row := range r.Rows {
		act := row.Action
		if row.Failed {
			act += " (failed)"
		}
		apply, pause := "-", "-"
		if row.Apply > 0 || row.Pause > 0 {
			apply, pause = dur(row.Apply), dur(row.Pause)
		}
		reason := row.Reason
		if row.Hooks {
			reason = "with hooks; " + reason
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", short(row.Sha), row.Class, act, apply, pause, clip(row.Subject, 48), clip(reason, 100))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	s := r.Summary
	fmt.Fprintf(w, "\n%d commits: %d applied live, %d skipped, %d reboots (%d after a failed update)\n", s.Commits, s.Live, s.Skipped, s.Reboots, s.Failures)
	fmt.Fprintf(w, "longest uptime kept: %d commits (%s..%s)\n", s.LongestUptime, s.LongestUptimeFrom, s.LongestUptimeTo)
	if r.End != nil {
		fmt.Fprintf(w, "at %s, compared with a fresh boot of it:\n", short(r.To))
		for _, c := range r.End.Checks {
			st := "ok  "
			if !c.OK {
				st = "FAIL"
			}
			fmt.Fprintf(w, "  %s %s", st, c.Name)
			if c.Detail != "" {
				fmt.Fprintf(w, ": %s", c.Detail)
			}
			fmt.Fprintln(w)
		}
		for _, d := range r.End.Differences {
			fmt.Fprintf(w, "  difference: %s\n", d)
		}
		for _, d := range r.End.Interleaving {
			fmt.Fprintf(w, "  interleaving: %s\n", d)
		}
	}
	return nil
}

func dur(d time.Duration) string {
	switch {
	case d >= time.Second:
		return d.Round(time.Millisecond).String()
	case d >= time.Millisecond:
		return d.Round(10 * time.Microsecond).String()
	}
	return d.Round(time.Microsecond).String()
}

func clip(s string, n int) string {
	s = strings.ReplaceAll(s, "\n", " ")
	if len(s) > n {
		return s[:n-1] + "…"
	}
	return s
}
