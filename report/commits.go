package report

import (
	"encoding/csv"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/jedib0t/go-pretty/v6/table"

	"github.com/upsynth/upsynth/analyze/store"
)

// WriteCommits renders a list of commits (the commits behind a cell of the
// coverage table) in a format: text, json (the stable per-commit JSON of
// `report commit`), csv, markdown or html; width is the text form's (0: no
// wrapping). The html page is headed by what
// (a Filter's description) selected them.
func WriteCommits(w io.Writer, cs []*store.Commit, format, what string, width int) error {
	switch format {
	case "text", "":
		return commitsText(w, cs, width)
	case "json":
		if cs == nil {
			cs = []*store.Commit{}
		}
		return writeJSON(w, cs)
	case "csv":
		return commitsCSV(w, cs)
	case "markdown", "md":
		return commitsMarkdown(w, cs)
	case "html":
		return commitsHTML(w, cs, what)
	}
	return fmt.Errorf("--format %q: want %s", format, WordList(Formats))
}

func classOf(c *store.Commit) string {
	if c.Merge {
		return "merge"
	}
	return c.Class
}

// commitsText prints a commit per line and its reason indented below it;
// with a width, subjects and reasons longer than the line are wrapped at
// spaces under themselves.
func commitsText(w io.Writer, cs []*store.Commit, width int) error {
	var b strings.Builder
	for _, c := range cs {
		head := fmt.Sprintf("%s %-11s %-8s ", short(c.Sha), classOf(c), c.Purpose)
		b.WriteString(head + hang(Printable(c.Subject), len(head), width) + "\n")
		if c.Reason != "" {
			const indent = "             "
			b.WriteString(indent + hang(Printable(c.Reason), len(indent), width) + "\n")
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// hang wraps s, which starts at column indent, to width columns, with
// every further line indented as far (width 0, or too little room: s as it
// is).
func hang(s string, indent, width int) string {
	if width-indent < 20 || indent+len(s) <= width {
		return s
	}
	return strings.ReplaceAll(wrap(s, width-indent), "\n", "\n"+strings.Repeat(" ", indent))
}

// commitsCSVHeader are the columns of `report commits --format csv`.
var commitsCSVHeader = []string{"sha", "author_time", "purpose", "class", "hazards", "files", "subject", "reason"}

func changedFiles(c *store.Commit) []string {
	var files []string
	for _, ch := range c.Changes {
		if len(files) == 0 || files[len(files)-1] != ch.File {
			files = append(files, ch.File)
		}
	}
	return files
}

func commitsCSV(w io.Writer, cs []*store.Commit) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(commitsCSVHeader); err != nil {
		return err
	}
	for _, c := range cs {
		rec := []string{c.Sha, c.AuthorTime.UTC().Format(time.RFC3339), c.Purpose, classOf(c),
			strings.Join(c.Hazards, " "), strings.Join(changedFiles(c), " "), c.Subject, c.Reason}
		if err := cw.Write(csvRecord(rec)); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func commitsMarkdown(w io.Writer, cs []*store.Commit) error {
	t := newTable([]string{"commit", "date", "purpose", "class", "hazards", "subject", "reason"})
	for _, c := range cs {
		t.AppendRow(printableRow(table.Row{short(c.Sha), c.AuthorTime.UTC().Format(time.DateOnly), c.Purpose, classOf(c),
			strings.Join(c.Hazards, ", "), c.Subject, c.Reason}))
	}
	_, err := io.WriteString(w, t.render(true, 0))
	return err
}

func commitsHTML(w io.Writer, cs []*store.Commit, what string) error {
	d := pageData{Title: "Analyzed commits: " + what, CommitsOnly: true, Classes: Classes}
	for _, c := range cs {
		if !c.Merge {
			d.Commits = append(d.Commits, pageCommitOf(0, "", c, &Report{By: ByPurpose}))
		}
	}
	return pageTemplate.Execute(w, d)
}
