package report

import (
	"bytes"
	"fmt"
	"html"
	"html/template"
	"math"
	"regexp"
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
// to fit but never enlarges it, so its text keeps its size. The elements
// that marks matches, in drawing order, get the hover titles in order.
func renderSVG(width int, render func(*bytes.Buffer) error, marks *regexp.Regexp, titles []string) (template.HTML, error) {
	var buf bytes.Buffer
	if err := render(&buf); err != nil {
		return "", err
	}
	svg := strings.Replace(buf.String(), "<svg ", fmt.Sprintf(`<svg style="max-width: %dpx" `, width), 1)
	if marks != nil {
		svg = addTitles(svg, marks, titles)
	}
	// The SVG is the charting library's output from escaped labels.
	return template.HTML(svg), nil
}

// The elements of go-chart's SVG that carry data, told apart by their
// style: a segment of a stacked bar (white outline, a class colour), a bar
// (outline and fill of one colour, 3 wide), a dot of a line.
var (
	segmentPath = regexp.MustCompile(`<path [^>]*style="stroke-width:1;stroke:rgba\(255,255,255,1\.0\);fill:rgba\((?:\d+,){3}1\.0\)"/>`)
	barPath     = regexp.MustCompile(`<path [^>]*style="stroke-width:3;stroke:rgba\((\d+,\d+,\d+),1\.0\);fill:rgba\((\d+,\d+,\d+),1\.0\)"/>`)
	dotCircle   = regexp.MustCompile(`<circle [^>]*/>`)
)

// addTitles gives the elements marks matches a <title> each, which browsers
// show on hover. go-chart draws no titles; when the elements are not as
// many as the titles (another go-chart), the chart stays without them.
func addTitles(svg string, marks *regexp.Regexp, titles []string) string {
	found := marks.FindAllStringIndex(svg, -1)
	if len(found) != len(titles) {
		return svg
	}
	var b strings.Builder
	last := 0
	for i, m := range found {
		elem := svg[m[0]:m[1]]
		name := elem[1:strings.IndexByte(elem, ' ')]
		b.WriteString(svg[last:m[0]])
		b.WriteString(strings.TrimSuffix(elem, "/>"))
		fmt.Fprintf(&b, "><title>%s</title></%s>", html.EscapeString(titles[i]), name)
		last = m[1]
	}
	b.WriteString(svg[last:])
	return b.String()
}

// sharesChart draws one bar per dataset and purpose (per group's fix+perf
// commits in a --by year or path report), split by class share.
func sharesChart(rep *Report) (template.HTML, error) {
	var bars []chart.StackedBar
	var titles []string // one per segment, in drawing order
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
		var tips []string
		for i, class := range Classes {
			// Stacked bars draw the first value at the top: strongest
			// class first puts none at the bottom, as readers expect.
			j := len(Classes) - 1 - i
			class = Classes[j]
			if r.Count(class) == 0 {
				continue // go-chart draws no segment for it: no title either
			}
			label := ""
			// Segments under 6% are too thin for a label.
			if s := 100 * float64(r.Count(class)) / float64(r.Total); s >= 6 {
				label = fmt.Sprintf("%.0f%%", math.Round(s))
			}
			tips = append(tips, fmt.Sprintf("%s: %d of %s %s (%s)", name, r.Count(class), Counted(r.Total, "commit"), class,
				ratio(r.Count(class), r.Total)))
			vals = append(vals, chart.Value{Label: label, Value: float64(r.Count(class)),
				Style: chart.Style{FillColor: classColors[j], StrokeColor: drawing.ColorWhite, StrokeWidth: 1,
					FontColor: drawing.ColorWhite, FontSize: 9}})
		}
		bars = append(bars, chart.StackedBar{Name: svgText(name), Width: 60, Values: vals})
		titles = append(titles, tips...)
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
	return renderSVG(c.Width, func(b *bytes.Buffer) error { return c.Render(chart.SVG, b) }, segmentPath, titles)
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
	var titles []string // one per dot, in drawing order
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
					titles = append(titles, fmt.Sprintf("%s: %s %s of %s that changed source", r.Group,
						html.UnescapeString(s.Name), oneDecimal(*v), Counted(r.Source, "bug-fix and performance commit")))
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
	// The paper's figures for K42, as thin lines across the whole chart
	// (no dots: they are not measured per period).
	for _, ref := range []struct {
		name  string
		value float64
		color drawing.Color
	}{
		{fmt.Sprintf("K42 in the paper, original: about %d%%", PaperOriginal), PaperOriginal, classColors[2]},
		{fmt.Sprintf("K42 in the paper, with adapters: about %d%%", PaperWithAdapters), PaperWithAdapters, classColors[3]},
	} {
		color := ref.color.WithAlpha(170)
		series = append(series, chart.ContinuousSeries{Name: ref.name,
			Style:   chart.Style{StrokeColor: color, StrokeWidth: 2, StrokeDashArray: []float64{2, 4}},
			XValues: []float64{-0.3, float64(len(periods)-1) + 0.3}, YValues: []float64{ref.value, ref.value}})
		legend = append(legend, legendItem{ref.name, "#" + hex(ref.color) + "aa", "dotted"})
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
		// No series uses the second axis: hidden, go-chart would still
		// draw its labels (far off the canvas) and keep room for it.
		YAxisSecondary: chart.YAxis{Style: chart.Style{Hidden: true}},
		Series:         series,
	}
	svg, err := renderSVG(c.Width, func(b *bytes.Buffer) error { return c.Render(chart.SVG, b) }, dotCircle, titles)
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
	var titles []string
	top := 0
	for _, b := range bs {
		titles = append(titles, fmt.Sprintf("%s: %s blocked (%d interface, %d unsupported)", b.Name, Counted(b.Commits, "commit"), b.Interface, b.Unsupported))
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
	return renderSVG(c.Width, func(b *bytes.Buffer) error { return c.Render(chart.SVG, b) }, barPath, titles)
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

// Counted is n followed by noun, in the plural unless n is 1: "1 change",
// "2 changes". Every noun the reports and commands count takes a plain -s.
func Counted(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
