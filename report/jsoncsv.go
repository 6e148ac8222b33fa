package report

import (
	"encoding/csv"
	"encoding/json"
	"io"
	"strconv"
)

// writeJSON prints indented JSON without HTML escaping, as `report commit`
// does ("<" in author addresses stays readable).
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// csvHeader are the columns of the coverage CSV: the JSON row's fields,
// shares flattened.
var csvHeader = []string{"dataset", "group", "purpose", "total",
	"none", "code", "state", "interface", "unsupported",
	"none_share", "code_share", "state_share", "interface_share", "unsupported_share",
	"source", "updatable_original", "updatable_with_adapters"}

func writeCSV(w io.Writer, rep *Report) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(csvHeader); err != nil {
		return err
	}
	num := func(f float64) string { return strconv.FormatFloat(f, 'f', 2, 64) }
	opt := func(p *float64) string {
		if p == nil {
			return ""
		}
		return num(*p)
	}
	for _, r := range rep.Rows {
		rec := []string{csvCell(r.Dataset), csvCell(r.Group), csvCell(r.Purpose), strconv.Itoa(r.Total)}
		for _, c := range Classes {
			rec = append(rec, strconv.Itoa(r.Count(c)))
		}
		for _, c := range Classes {
			rec = append(rec, num(r.Share(c)))
		}
		rec = append(rec, strconv.Itoa(r.Source), opt(r.UpdatableOriginal), opt(r.UpdatableWithAdapters))
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
