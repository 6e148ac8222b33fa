package report

import (
	"bytes"
	"fmt"
	"html"
	"html/template"
	"math"
	"slices"
	"strings"

	chart "github.com/wcharczuk/go-chart/v2"
	"github.com/wcharczuk/go-chart/v2/drawing"
)

// classColors are the page's colours per class, weakest first: grey for
// nothing to do, greens and blue for what a running system can take,
// orange for adapters, red for a reboot.
var classColors = []drawing.Color{
	drawing.ColorFromHex("b8bec6"),
	drawing.ColorFromHex("2e9e5b"),
	drawing.ColorFromHex("3b7dd8"),
	drawing.ColorFromHex("f0a030"),
	drawing.ColorFromHex("d9463b"),
}

// ClassColor is the CSS colour of a class on the page.
func ClassColor(class string) string {
	if i := classRank(class); i >= 0 {
		return "#" + hex(classColors[i])
	}
	return "#888"
}

func hex(c drawing.Color) string { return fmt.Sprintf("%02x%02x%02x", c.R, c.G, c.B) }

// svgText escapes a label for the SVG renderer, which writes text verbatim.
func svgText(s string) string { return html.EscapeString(s) }

// renderSVG renders a chart drawn width pixels wide; the page may shrink it
// to fit but never enlarges it, so its text keeps its size.
func renderSVG(width int, render func(*bytes.Buffer) error) (template.HTML, error) {
	var buf bytes.Buffer
	if err := render(&buf); err != nil {
		return "", err
	}
	svg := strings.Replace(buf.String(), "<svg ", fmt.Sprintf(`<svg style="max-width: %dpx" `, width), 1)
	// The SVG is the charting library's output from escaped labels.
	return template.HTML(svg), nil
}

// sharesChart draws one bar per dataset and purpose (per group's fix+perf
// commits in a --by year or path report), split by class share.
func sharesChart(rep *Report) (template.HTML, error) {
	var bars []chart.StackedBar
	multi := len(rep.Datasets) > 1
	for _, r := range rep.Rows {
		if r.Total == 0 || (rep.By != ByPurpose && (r.Purpose != PurposeFixPerf || r.Group == AllGroups)) {
			continue
		}
		name := r.Purpose
		if rep.By != ByPurpose {
			name = r.Group
		}
		if multi {
			name = r.Dataset + " " + name
		}
		var vals []chart.Value
		for i, class := range Classes {
			// Stacked bars draw the first value at the top: strongest
			// class first puts none at the bottom, as readers expect.
			j := len(Classes) - 1 - i
			class = Classes[j]
			label := ""
			// Segments under 6% are too thin for a label.
			if s := 100 * float64(r.Count(class)) / float64(r.Total); s >= 6 {
				label = fmt.Sprintf("%.0f%%", math.Round(s))
			}
			vals = append(vals, chart.Value{Label: label, Value: float64(r.Count(class)),
				Style: chart.Style{FillColor: classColors[j], StrokeColor: drawing.ColorWhite, StrokeWidth: 1,
					FontColor: drawing.ColorWhite, FontSize: 9}})
		}
		bars = append(bars, chart.StackedBar{Name: svgText(name), Width: 60, Values: vals})
	}
	if len(bars) == 0 {
		return "", nil
	}
	c := chart.StackedBarChart{
		Width:      max(480, len(bars)*100+80),
		Height:     380,
		BarSpacing: 40,
		Bars:       bars,
		Background: chart.Style{Padding: chart.Box{Top: 20, Left: 20, Right: 20, Bottom: 20}},
	}
	return renderSVG(c.Width, func(b *bytes.Buffer) error { return c.Render(chart.SVG, b) })
}

// legendItem is a line of a chart's legend, drawn in HTML so that it never
// covers the data.
type legendItem struct {
	Label, Color, Dash string // Dash is a CSS border style: solid, dashed, dotted
}

// timelineChart draws the headline shares of fix+perf commits per period,
// one pair of lines per dataset.
func timelineChart(rep *Report) (template.HTML, []legendItem, error) {
	var legend []legendItem
	var periods []string
	for _, ds := range rep.Datasets {
		for _, r := range ds.Timeline {
			if !slices.Contains(periods, r.Group) {
				periods = append(periods, r.Group)
			}
		}
	}
	slices.Sort(periods)
	if len(periods) < 2 {
		return "", nil, nil
	}
	var series []chart.Series
	var ticks []chart.Tick
	step := max(1, len(periods)/12)
	for i, p := range periods {
		if i%step == 0 {
			ticks = append(ticks, chart.Tick{Value: float64(i), Label: svgText(p)})
		}
	}
	dashes := [][]float64{nil, {6, 3}, {2, 2}, {8, 2, 2, 2}}
	cssDashes := []string{"solid", "dashed", "dotted", "dashed"}
	for di, ds := range rep.Datasets {
		for _, line := range []struct {
			name  string
			value func(Row) *float64
			color drawing.Color
		}{
			{"original", func(r Row) *float64 { return r.UpdatableOriginal }, classColors[2]},
			{"with adapters", func(r Row) *float64 { return r.UpdatableWithAdapters }, classColors[3]},
		} {
			s := chart.ContinuousSeries{Name: line.name, Style: chart.Style{StrokeColor: line.color, StrokeWidth: 2.5,
				DotColor: line.color, DotWidth: 3, StrokeDashArray: dashes[di%len(dashes)]}}
			if len(rep.Datasets) > 1 {
				s.Name = svgText(ds.Label) + ": " + line.name
			}
			for _, r := range ds.Timeline {
				if r.Purpose != PurposeFixPerf {
					continue
				}
				if v := line.value(r); v != nil {
					s.XValues = append(s.XValues, float64(slices.Index(periods, r.Group)))
					s.YValues = append(s.YValues, *v)
				}
			}
			if len(s.XValues) > 0 {
				series = append(series, s)
				legend = append(legend, legendItem{html.UnescapeString(s.Name), "#" + hex(line.color), cssDashes[di%len(cssDashes)]})
			}
		}
	}
	if len(series) == 0 {
		return "", nil, nil
	}
	c := chart.Chart{
		Width:      1100,
		Height:     340,
		Background: chart.Style{Padding: chart.Box{Top: 20, Left: 20, Right: 20, Bottom: 20}},
		XAxis:      chart.XAxis{Ticks: ticks, Range: &chart.ContinuousRange{Min: -0.3, Max: float64(len(periods)-1) + 0.3}},
		YAxis: chart.YAxis{Range: &chart.ContinuousRange{Min: 0, Max: 100},
			Style:          chart.Style{FontSize: 10},
			Ticks:          percentTicks(),
			GridMajorStyle: chart.Style{StrokeColor: drawing.ColorFromHex("e4e7eb"), StrokeWidth: 1},
			GridLines:      gridLines(0, 100, 20)},
		Series: series,
	}
	svg, err := renderSVG(c.Width, func(b *bytes.Buffer) error { return c.Render(chart.SVG, b) })
	return svg, legend, err
}

func percentTicks() []chart.Tick {
	var out []chart.Tick
	for v := 0; v <= 100; v += 20 {
		out = append(out, chart.Tick{Value: float64(v), Label: fmt.Sprintf("%d%%", v)})
	}
	return out
}

func gridLines(lo, hi, step float64) []chart.GridLine {
	var out []chart.GridLine
	for v := lo; v <= hi; v += step {
		out = append(out, chart.GridLine{Value: v})
	}
	return out
}

// blockersChart draws how many commits each file or type blocked; a bar is
// red when most of them needed a reboot, orange when adapters would have
// carried most of them.
func blockersChart(bs []Blocker, label func(string) string) (template.HTML, error) {
	if len(bs) == 0 {
		return "", nil
	}
	var bars []chart.Value
	top := 0
	for _, b := range bs {
		color := classColors[3]
		if b.Unsupported > b.Interface {
			color = classColors[4]
		}
		bars = append(bars, chart.Value{Value: float64(b.Commits), Label: svgText(label(b.Name)),
			Style: chart.Style{FillColor: color, StrokeColor: color}})
		top = max(top, b.Commits)
	}
	c := chart.BarChart{
		Width:      640,
		Height:     300,
		BarWidth:   50,
		BarSpacing: 40,
		Background: chart.Style{Padding: chart.Box{Top: 20, Left: 20, Right: 20, Bottom: 20}},
		XAxis:      chart.Style{FontSize: 9},
		YAxis: chart.YAxis{Range: &chart.ContinuousRange{Min: 0, Max: float64(top)},
			Style: chart.Style{FontSize: 9},
			Ticks: countTicks(top)},
		Bars: bars,
	}
	return renderSVG(c.Width, func(b *bytes.Buffer) error { return c.Render(chart.SVG, b) })
}

// countTicks are whole-number ticks from 0 to top, at most about six.
func countTicks(top int) []chart.Tick {
	step := max(1, (top+5)/6)
	var out []chart.Tick
	for v := 0; v <= top; v += step {
		out = append(out, chart.Tick{Value: float64(v), Label: fmt.Sprint(v)})
	}
	return out
}
