package report

import (
	"fmt"
	"io"
)

// Formats are the renderings of a coverage report.
var Formats = []string{"text", "json", "csv", "markdown", "html"}

// Write renders a coverage report in a format.
// The HTML page also lists the datasets' commits, so that every cell links
// to the commits behind it.
func Write(w io.Writer, rep *Report, format string, datasets []Dataset) error {
	switch format {
	case "text", "":
		return writeDocument(w, rep, false)
	case "markdown", "md":
		return writeDocument(w, rep, true)
	case "json":
		return writeJSON(w, rep)
	case "csv":
		return writeCSV(w, rep)
	case "html":
		return WriteHTML(w, rep, datasets)
	}
	return fmt.Errorf("--format %q: want %s", format, WordList(Formats))
}

// ValidFormat reports whether format names a rendering.
func ValidFormat(format string) bool {
	for _, f := range Formats {
		if f == format {
			return true
		}
	}
	return format == "md"
}
