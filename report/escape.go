package report

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/jedib0t/go-pretty/v6/table"
)

// Printable returns s with what a terminal or a line-oriented reader would
// act on escaped: control characters (newlines and tabs included), C1
// controls, bidirectional overrides and invalid UTF-8 are written as Go
// escapes (\n, \x1b, \u202e). A file name or subject from the repository
// can then neither forge report lines nor drive the terminal.
func Printable(s string) string {
	clean := true
	for _, r := range s {
		if !printableRune(r) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n <= 1:
			b.WriteString(`\x` + strconv.FormatUint(uint64(s[i]), 16))
		case printableRune(r):
			b.WriteString(s[i : i+n])
		default:
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
		}
		i += n
	}
	return b.String()
}

func printableRune(r rune) bool {
	if r == utf8.RuneError {
		return false
	}
	if r < 0x80 {
		return r >= 0x20 && r != 0x7f
	}
	return unicode.IsPrint(r) || r == ' '
}

// printableRow escapes the string cells of a table row.
func printableRow(r table.Row) table.Row {
	for i, c := range r {
		if s, ok := c.(string); ok {
			r[i] = Printable(s)
		}
	}
	return r
}

// csvCell neutralises a cell a spreadsheet would run as a formula (it
// starts with = + - @, or a tab or carriage return that hides one): it is
// prefixed with a single quote, as OWASP recommends.
func csvCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// csvRecord neutralises every cell of a record.
func csvRecord(rec []string) []string {
	for i, c := range rec {
		rec[i] = csvCell(c)
	}
	return rec
}
