package report

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
	"time"

	"github.com/upsynth/upsynth/analyze/store"
)

func TestPrintable(t *testing.T) {
	for in, want := range map[string]string{
		"kernel/sched.c":           "kernel/sched.c",
		"ünïcode ok.c":             "ünïcode ok.c",
		"a\nfix+perf 9 9 9":        `a\nfix+perf 9 9 9`,
		"tab\there":                `tab\there`,
		"\x1b[31mred":              `\x1b[31mred`,
		"bidi\u202eevil":           `bidi\u202eevil`,
		"bad\xffutf8":              `bad\xffutf8`,
		"del\x7f and c1 \u0085end": `del\x7f and c1 \u0085end`,
	} {
		if got := Printable(in); got != want {
			t.Errorf("Printable(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestCommitsReportsEscape: a subject or file name with a newline cannot
// forge a line of a text report, and a CSV cell starting with = + - @ is
// not a formula (issue 21).
func TestCommitsReportsEscape(t *testing.T) {
	c := &store.Commit{Sha: strings.Repeat("ab", 20), Class: "code", Purpose: "fix", AuthorTime: time.Unix(0, 0),
		Subject: "=HYPERLINK(\"http://x\")\nabcdef0 interface fix    forged", Reason: "@SUM(1)",
		Changes: []store.Change{{File: "-evil\r\n.c", Class: "code"}}}
	var text bytes.Buffer
	if err := WriteCommits(&text, []*store.Commit{c}, "text", "", 0); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(text.String(), "\n"); n != 2 {
		t.Errorf("%d lines, want 2 (commit and reason):\n%s", n, text.String())
	}
	var out bytes.Buffer
	if err := WriteCommits(&out, []*store.Commit{c}, "csv", "", 0); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&out).ReadAll()
	if err != nil || len(recs) != 2 {
		t.Fatalf("%v %v", recs, err)
	}
	for i, cell := range recs[1] {
		if cell != "" && strings.ContainsRune("=+-@", rune(cell[0])) {
			t.Errorf("column %s is a formula: %q", commitsCSVHeader[i], cell)
		}
	}
}
