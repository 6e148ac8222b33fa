package replay

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"strings"

	chart "github.com/wcharczuk/go-chart/v2"
	"github.com/wcharczuk/go-chart/v2/drawing"
)

// HTML writes the replay as a page: the summary, a timeline chart of the
// machine's uptime (commits since its last boot) across the history, with
// the reboots marked, the rows, and the comparison at B.
func (r *Result) HTML(w io.Writer) error {
	svg, err := r.timeline()
	if err != nil {
		return err
	}
	return pageTmpl.Execute(w, struct {
		*Result
		Chart template.HTML
	}{r, svg})
}

var (
	liveColor   = drawing.ColorFromHex("2e9e5b")
	rebootColor = drawing.ColorFromHex("d9463b")
	failColor   = drawing.ColorFromHex("7b1fa2")
)

// timeline draws the uptime after each commit, a step back to zero at every
// reboot (red: the commit was unsupported; purple: its update failed).
func (r *Result) timeline() (template.HTML, error) {
	if len(r.Rows) < 2 {
		return "", nil
	}
	xs, ys := []float64{0}, []float64{0}
	var rx, ry, fx, fy []float64
	for i, row := range r.Rows {
		x := float64(i + 1)
		xs, ys = append(xs, x), append(ys, float64(row.Uptime))
		if row.Action == ActionReboot {
			if row.Failed {
				fx, fy = append(fx, x), append(fy, 0)
			} else {
				rx, ry = append(rx, x), append(ry, 0)
			}
		}
	}
	series := []chart.Series{chart.ContinuousSeries{Name: "uptime (commits since boot)", XValues: xs, YValues: ys,
		Style: chart.Style{StrokeColor: liveColor, StrokeWidth: 2, FillColor: liveColor.WithAlpha(60)}}}
	dots := func(name string, x, y []float64, c drawing.Color) {
		if len(x) > 0 {
			series = append(series, chart.ContinuousSeries{Name: name, XValues: x, YValues: y,
				Style: chart.Style{StrokeWidth: chart.Disabled, DotWidth: 5, DotColor: c}})
		}
	}
	dots("reboot (unsupported)", rx, ry, rebootColor)
	dots("reboot (failed update)", fx, fy, failColor)
	c := chart.Chart{Width: 960, Height: 300,
		XAxis:      chart.XAxis{Name: "commit", Range: &chart.ContinuousRange{Min: 0, Max: float64(len(r.Rows))}},
		YAxis:      chart.YAxis{Name: "commits since boot"},
		Background: chart.Style{Padding: chart.Box{Top: 20, Left: 20, Right: 20, Bottom: 20}},
		Series:     series}
	var buf bytes.Buffer
	if err := c.Render(chart.SVG, &buf); err != nil {
		return "", fmt.Errorf("timeline chart: %w", err)
	}
	svg := strings.Replace(buf.String(), "<svg ", `<svg style="max-width: 960px; width: 100%" `, 1)
	// The chart holds numbers and fixed names only.
	return template.HTML(svg), nil
}

var pageTmpl = template.Must(template.New("page").Funcs(template.FuncMap{
	"short": short, "dur": dur,
	"nonzero": func(row Row) bool { return row.Apply > 0 || row.Pause > 0 },
}).Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>upsynth replay {{short .From}}..{{short .To}}</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; font-size: 0.9em; }
td, th { padding: 2px 8px; border-bottom: 1px solid #ddd; text-align: left; vertical-align: top; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.reboot td { background: #fdecea; } tr.failed td { background: #f3e5f5; } tr.skip td { color: #888; }
code { font-size: 0.95em; }
.legend span { display: inline-block; margin-right: 1.5em; }
.sw { display: inline-block; width: 0.8em; height: 0.8em; margin-right: 0.3em; border-radius: 50%; }
</style></head><body>
<h1>Replay {{short .From}}..{{short .To}}</h1>
<p>{{.Mode}} conversion on the {{.Target}} target{{if .Resumed}}; resumed after {{.Resumed}}{{end}}.</p>
<p><b>{{.Summary.Commits}}</b> commits: <b>{{.Summary.Live}}</b> applied live, {{.Summary.Skipped}} skipped,
<b>{{.Summary.Reboots}}</b> reboots ({{.Summary.Failures}} after a failed update).
Longest uptime kept: <b>{{.Summary.LongestUptime}}</b> commits ({{.Summary.LongestUptimeFrom}}..{{.Summary.LongestUptimeTo}}).</p>
{{if .Chart}}<h2>Timeline</h2>{{.Chart}}
<p class="legend"><span><i class="sw" style="background:#2e9e5b"></i>uptime: commits the running machine was taken through since it booted</span>
<span><i class="sw" style="background:#d9463b"></i>reboot at an unsupported commit</span>
<span><i class="sw" style="background:#7b1fa2"></i>reboot after a failed update</span></p>{{end}}
{{with .End}}<h2>At {{short $.To}}, compared with a fresh boot of it</h2><ul>
{{range .Checks}}<li>{{if .OK}}ok{{else}}<b>FAIL</b>{{end}} {{.Name}}{{if .Detail}}: {{.Detail}}{{end}}</li>
{{end}}{{range .Differences}}<li>difference: {{.}}</li>{{end}}{{range .Interleaving}}<li>interleaving: {{.}}</li>{{end}}</ul>{{end}}
<h2>Commits</h2>
<table><tr><th>#</th><th>commit</th><th>subject</th><th>class</th><th>action</th><th>apply</th><th>longest pause</th><th>uptime</th><th>reason</th></tr>
{{range $i, $r := .Rows}}<tr class="{{$r.Action}}{{if $r.Failed}} failed{{end}}"><td class="num">{{$i}}</td><td><code>{{short $r.Sha}}</code></td><td>{{$r.Subject}}</td><td>{{$r.Class}}</td>
<td>{{$r.Action}}{{if $r.Failed}} (failed){{end}}{{if $r.Hooks}} (hooks){{end}}</td>
<td class="num">{{if nonzero $r}}{{dur $r.Apply}}{{end}}</td><td class="num">{{if nonzero $r}}{{dur $r.Pause}}{{end}}</td><td class="num">{{$r.Uptime}}</td><td>{{$r.Reason}}</td></tr>
{{end}}</table>
</body></html>
`))
