package report

import (
	"strings"
	"testing"

	"github.com/jedib0t/go-pretty/v6/table"
)

// TestTableFitsWidth: a text table fitted to a width is no wider than it
// (while its longest words fit) and loses no word; with width 0 it keeps
// one line per row.
func TestTableFitsWidth(t *testing.T) {
	mk := func() *textTable {
		tt := newTable([]string{"commits", "interface", "reason"}, 1, 2)
		tt.AppendRow(table.Row{12, "3 (25.0%)", "in a non-updatable path: the object system itself (kernel/obj.c)"})
		tt.AppendRow(table.Row{4, "0", "init function: it has already run on a live system"})
		return tt
	}
	words := strings.Fields(mk().render(false, 0))
	for _, width := range []int{40, 50, 60, 80, 120} {
		out := mk().render(false, width)
		for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
			if len(line) > width {
				t.Errorf("width %d: line of %d columns: %q", width, len(line), line)
			}
		}
		if n := len(strings.Fields(out)); n != len(words) {
			t.Errorf("width %d: %d words, want %d:\n%s", width, n, len(words), out)
		}
	}
	if n := strings.Count(mk().render(false, 0), "\n"); n != 4 {
		t.Errorf("unfitted: %d lines, want 4 (header, rule, 2 rows)", n)
	}
	// Narrower than the longest words: as narrow as they allow, no word cut.
	out := mk().render(false, 10)
	for _, w := range []string{"non-updatable", "interface", "(kernel/obj.c)"} {
		if !strings.Contains(out, w) {
			t.Errorf("width 10: %q was cut:\n%s", w, out)
		}
	}
}
