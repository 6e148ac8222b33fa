package report

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strings"

	"github.com/jedib0t/go-pretty/v6/table"
	"github.com/jedib0t/go-pretty/v6/text"
)

// oneDecimal formats a percentage to a tenth, halves rounded away from
// zero (56.25 is 56.3, as a reader rounds, not 56.2 as %.1f does).
func oneDecimal(p float64) string { return fmt.Sprintf("%.1f%%", math.Round(p*10)/10) }

// ratio formats part/whole as a percentage, "-" when whole is 0. Tables
// compute it from the counts: rounding the JSON's hundredths again would
// round twice (53.846 → 53.85 → 53.9).
func ratio(part, whole int) string {
	if whole == 0 {
		return "-"
	}
	return oneDecimal(100 * float64(part) / float64(whole))
}

// originalText and adaptersText are a row's headline shares for people.
func originalText(r Row) string { return ratio(r.Code+r.State, r.Source) }
func adaptersText(r Row) string { return ratio(r.Code+r.State+r.Interface, r.Source) }

// cell is a class's count and share of a row.
func cell(r Row, class string) string {
	n := r.Count(class)
	if n == 0 {
		return "0"
	}
	return fmt.Sprintf("%d (%s)", n, ratio(n, r.Total))
}

// textTable is a go-pretty table in the report's plain style (no borders,
// a rule under the header, numbers right-aligned) that keeps its cells, so
// that render can fit it to a width.
type textTable struct {
	t      table.Writer
	header []string
	rows   []table.Row
	cfgs   []table.ColumnConfig
}

func newTable(header []string, numeric ...int) *textTable {
	t := table.NewWriter()
	style := table.StyleDefault
	style.Options = table.Options{SeparateHeader: true}
	style.Box.PaddingLeft, style.Box.PaddingRight = "", columnGap
	style.Format.Header = text.FormatDefault
	t.SetStyle(style)
	row := make(table.Row, len(header))
	for i, h := range header {
		row[i] = h
	}
	t.AppendHeader(row)
	tt := &textTable{t: t, header: header}
	for _, n := range numeric {
		tt.cfgs = append(tt.cfgs, table.ColumnConfig{Number: n, Align: text.AlignRight, AlignHeader: text.AlignRight})
	}
	return tt
}

// columnGap separates the columns of a text table.
const columnGap = "  "

// AppendRow adds a row of cells.
func (t *textTable) AppendRow(r table.Row) {
	t.rows = append(t.rows, r)
	t.t.AppendRow(r)
}

// render renders the table as Markdown, or as text fitted to width
// columns (0: as wide as its cells).
func (t *textTable) render(md bool, width int) string {
	if md {
		t.t.SetColumnConfigs(t.cfgs)
		return t.t.RenderMarkdown() + "\n"
	}
	t.t.SetColumnConfigs(t.fit(width))
	var b strings.Builder
	for _, line := range strings.Split(t.t.Render(), "\n") {
		b.WriteString(strings.TrimRight(line, " ") + "\n")
	}
	return b.String()
}

// fit returns the column configurations that make the table at most width
// columns wide: the columns with the most room are narrowed in turn and
// their cells wrapped at spaces, never below their longest word (a table
// whose words do not fit stays wider than width).
func (t *textTable) fit(width int) []table.ColumnConfig {
	n := len(t.header)
	natural, least := make([]int, n), make([]int, n)
	measure := func(i int, cell string) {
		natural[i] = max(natural[i], text.RuneWidthWithoutEscSequences(cell))
		for _, w := range strings.Fields(cell) {
			least[i] = max(least[i], text.RuneWidthWithoutEscSequences(w))
		}
	}
	for i, h := range t.header {
		measure(i, h)
	}
	for _, r := range t.rows {
		for i, c := range r {
			if i < n {
				measure(i, fmt.Sprint(c))
			}
		}
	}
	widths := slices.Clone(natural)
	total := len(columnGap) * n // the rule under the header spans the last gap too
	for _, w := range widths {
		total += w
	}
	for width > 0 && total > width {
		j := -1
		for i := range widths {
			if widths[i] > least[i] && (j < 0 || widths[i]-least[i] > widths[j]-least[j]) {
				j = i
			}
		}
		if j < 0 {
			break
		}
		widths[j]--
		total--
	}
	cfgs := slices.Clone(t.cfgs)
	for i := range widths {
		if widths[i] == natural[i] {
			continue
		}
		k := slices.IndexFunc(cfgs, func(c table.ColumnConfig) bool { return c.Number == i+1 })
		if k < 0 {
			cfgs = append(cfgs, table.ColumnConfig{Number: i + 1})
			k = len(cfgs) - 1
		}
		// Wrapped at spaces, each line aligned on its own (text.WrapSoft
		// pads the lines, which keeps a number from aligning right).
		cfgs[k].WidthMax, cfgs[k].WidthMaxEnforcer = widths[i], wrap
	}
	return cfgs
}

// coverageTable is the main table with dataset and group columns only when
// they say something.
func coverageTable(rep *Report, md bool, width int) string {
	multi := len(rep.Datasets) > 1
	var header []string
	if multi {
		header = append(header, "dataset")
	}
	if rep.By != ByPurpose {
		header = append(header, rep.By)
	}
	first := len(header) + 2 // 1-based number of the commits column
	header = append(append(append(header, "purpose", "commits"), Classes...), "source", "original", "with adapters")
	var numeric []int
	for i := first; i <= len(header); i++ {
		numeric = append(numeric, i)
	}
	t := newTable(header, numeric...)
	for _, r := range rep.Rows {
		var row table.Row
		if multi {
			row = append(row, r.Dataset)
		}
		if rep.By != ByPurpose {
			row = append(row, r.Group)
		}
		row = append(row, r.Purpose, r.Total)
		for _, c := range Classes {
			row = append(row, cell(r, c))
		}
		row = append(row, r.Source, originalText(r), adaptersText(r))
		t.AppendRow(printableRow(row))
	}
	return t.render(md, width)
}

// Headline returns a dataset's row of the paper's headline: fix+perf over
// the whole dataset.
func (rep *Report) Headline(dataset string) Row {
	for _, r := range rep.Rows {
		if r.Dataset == dataset && r.Purpose == PurposeFixPerf && (r.Group == "" || r.Group == AllGroups) {
			return r
		}
	}
	return Row{Dataset: dataset, Purpose: PurposeFixPerf}
}

func headlineSentence(rep *Report, s Summary) string {
	h := rep.Headline(s.Label)
	if h.Source == 0 {
		return "No bug-fix or performance commit changed source, so there is no headline share."
	}
	return fmt.Sprintf("Of %d bug-fix and performance commits that changed source, %s could have been applied by "+
		"code swap and state transfer (the original mechanism), %s with interface adapters as well.",
		h.Source, originalText(h), adaptersText(h))
}

func describe(s Summary) string {
	var b strings.Builder
	b.WriteString(s.Source)
	if s.Repo != "" {
		b.WriteString(" (" + s.Repo + ")")
	}
	if s.Range != "" {
		b.WriteString(" " + s.Range)
	}
	fmt.Fprintf(&b, ": %d commit", s.Commits)
	if s.Commits != 1 {
		b.WriteString("s")
	}
	if s.First != "" {
		fmt.Fprintf(&b, " from %s to %s", s.First, s.Last)
	}
	switch {
	case s.Merges == 1:
		b.WriteString(" (and 1 merge, not classified)")
	case s.Merges > 1:
		fmt.Fprintf(&b, " (and %d merges, not classified)", s.Merges)
	}
	return b.String()
}

func countsTable(name string, cs []Count, md bool, width int) string {
	t := newTable([]string{"commits", name}, 1)
	for _, c := range cs {
		t.AppendRow(printableRow(table.Row{c.Commits, c.Name}))
	}
	return t.render(md, width)
}

func blockersTable(name string, bs []Blocker, md bool, width int) string {
	t := newTable([]string{"commits", "interface", "unsupported", name}, 1, 2, 3)
	for _, b := range bs {
		t.AppendRow(printableRow(table.Row{b.Commits, b.Interface, b.Unsupported, b.Name}))
	}
	return t.render(md, width)
}

// textWidth is where text paragraphs wrap when no width is given.
const textWidth = 100

// wrap breaks a paragraph into lines of at most width columns at spaces.
func wrap(s string, width int) string {
	var b strings.Builder
	n := 0
	for i, word := range strings.Fields(s) {
		if i > 0 && n+1+len(word) > width {
			b.WriteString("\n")
			n = 0
		} else if i > 0 {
			b.WriteString(" ")
			n++
		}
		b.WriteString(word)
		n += len(word)
	}
	return b.String()
}

func writeDocument(w io.Writer, rep *Report, md bool) error {
	width := rep.Width
	paragraph := textWidth
	if width > 0 {
		paragraph = width
	}
	var b strings.Builder
	heading := func(level int, s string) {
		if md {
			fmt.Fprintf(&b, "%s %s\n\n", strings.Repeat("#", level), s)
		} else if level == 1 {
			fmt.Fprintf(&b, "%s\n%s\n\n", s, strings.Repeat("=", len(s)))
		} else {
			fmt.Fprintf(&b, "%s\n\n", s)
		}
	}
	heading(1, "Dynamic-update coverage by "+rep.By)
	for _, s := range rep.Datasets {
		if md {
			b.WriteString("- ")
		}
		b.WriteString(describe(s) + "\n")
	}
	b.WriteString("\n")
	b.WriteString(coverageTable(rep, md, width))
	b.WriteString("\nShares are of each row's commits; original (code + state) and with adapters\n" +
		"(code + state + interface) are of its commits that changed source.\n\n")
	for _, s := range rep.Datasets {
		prefix := ""
		if len(rep.Datasets) > 1 {
			prefix = s.Label + ": "
			heading(2, "Dataset "+s.Label)
		}
		if md {
			b.WriteString(prefix + headlineSentence(rep, s) + "\n\n")
		} else {
			b.WriteString(wrap(prefix+headlineSentence(rep, s), paragraph) + "\n\n")
		}
		if len(s.UnsupportedReasons) > 0 {
			heading(3, "Top reasons for unsupported")
			b.WriteString(countsTable("reason", s.UnsupportedReasons, md, width) + "\n")
		}
		if len(s.Hazards) > 0 {
			heading(3, "Hazards seen")
			b.WriteString(countsTable("hazard", s.Hazards, md, width) + "\n")
		}
		if len(s.BlockingFiles) > 0 {
			heading(3, "Files whose changes most often block updates")
			b.WriteString(blockersTable("file", s.BlockingFiles, md, width) + "\n")
		}
		if len(s.BlockingTypes) > 0 {
			heading(3, "Types whose changes most often block updates")
			b.WriteString(blockersTable("type", s.BlockingTypes, md, width) + "\n")
		}
	}
	hint := "The commits behind a cell: upsynth report commits --purpose P --class C " +
		"(also --hazard H, --path GLOB, --since, --until)."
	if !md {
		hint = wrap(hint, paragraph)
	}
	b.WriteString(hint + "\n")
	_, err := io.WriteString(w, b.String())
	return err
}
