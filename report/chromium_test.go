package report

import (
	"bytes"
	"context"
	"fmt"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/upsynth/upsynth/analyze/store"
)

// chromiumPath is the browser that renders the page: Debian's chromium
// (which .ci/run installs when it is missing) or another Chromium on PATH.
var chromiumPath = func() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "/usr/bin/chromium"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}()

// chromium runs headless Chromium with no network, no profile and no
// background services, returning its standard output.
func chromium(t *testing.T, args ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	base := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
		"--disable-component-update", "--disable-sync", "--no-first-run", "--user-data-dir=" + t.TempDir()}
	cmd := exec.CommandContext(ctx, chromiumPath, append(base, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("chromium %v: %v\n%s", args, err, stderr.Bytes())
	}
	return out
}

// TestPageInChromium renders the coverage page in headless Chromium, takes
// a screenshot (kept in $REPORT_SCREENSHOT when set), and follows links of
// the table: the commit list the page's script filters must hold as many
// commits as the cell says.
func TestPageInChromium(t *testing.T) {
	if chromiumPath == "" {
		t.Skip("no Chromium on PATH (chromium, chromium-browser, google-chrome; apt-get install chromium): the page is not rendered")
	}
	if testing.Short() {
		t.Skip("-short: not starting Chromium")
	}
	ds := stableFixture(t, "kernel", 24)
	rep := Compute([]Dataset{ds}, Options{By: ByYear})
	page := filepath.Join(t.TempDir(), "coverage.html")
	var buf bytes.Buffer
	if err := Write(&buf, rep, "html", []Dataset{ds}); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(page, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	shot := os.Getenv("REPORT_SCREENSHOT")
	if shot == "" {
		shot = filepath.Join(t.TempDir(), "coverage.png")
	}
	chromium(t, "--screenshot="+shot, "--window-size=1280,2400", "file://"+page)
	if fi, err := os.Stat(shot); err != nil || fi.Size() < 20000 {
		t.Fatalf("screenshot %s: %v (%d bytes): the page did not render", shot, err, fi.Size())
	}
	var drawn []string // the classes of the shares chart's bars (fix+perf by year)
	headline := rep.Headline(ds.Label)
	for _, cls := range Classes {
		if headline.Count(cls) > 0 {
			drawn = append(drawn, cls)
		}
	}
	checkScreenshot(t, shot, drawn)

	// Follow every count link of the table in the page itself: the commit
	// list the page's script filters must hold as many commits as the cell
	// says. The check writes its findings into the page Chromium dumps.
	// 10 rows (4 years + all, fix+perf and all) × 7 count cells.
	dom := checkPageLinks(t, page, buf.String(), 70)
	// Two datasets by directory: groups and dataset indexes in the links.
	early := stableFixture(t, "kernel-2022", 14)
	var cmp bytes.Buffer
	two := []Dataset{ds, early}
	if err := Write(&cmp, Compute(two, Options{By: ByPath, PathDepth: 2}), "html", two); err != nil {
		t.Fatal(err)
	}
	checkPageLinks(t, filepath.Join(t.TempDir(), "compare.html"), cmp.String(), -1)
	// Opening a link from outside applies its filter on load.
	href := filterHref(0, "g", "2022", "p", PurposeAll, "c", ClassUpdatableAdapter)
	if !strings.Contains(dom, `href="`+strings.ReplaceAll(href, "&", "&amp;")+`"`) {
		t.Errorf("the page has no link %s", href)
	}
	if err := os.WriteFile(page, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	// 2022: commits 8-14 less the none commit 13 and the unsupported 11.
	if m := filterCount.FindSubmatch(chromium(t, "--dump-dom", "file://"+page+href)); m == nil || string(m[1]) != "5" {
		t.Errorf("%s opened: %q commits listed, want 5", href, m)
	}
}

var filterCount = regexp.MustCompile(`id="filter-count">(\d+)<`)

// checkPageLinks writes the page with checkLinks added, has Chromium run
// it, and fails the test for every link whose list differs from its cell;
// wantLinks < 0 accepts any number of links above zero. It returns the DOM.
func checkPageLinks(t *testing.T, page, html string, wantLinks int) string {
	t.Helper()
	checked := strings.Replace(html, "<head>", "<head>"+catchErrors, 1)
	checked = strings.Replace(checked, "</body>", checkLinks+reportErrors+"</body>", 1)
	if err := os.WriteFile(page, []byte(checked), 0o644); err != nil {
		t.Fatal(err)
	}
	dom := string(chromium(t, "--dump-dom", "file://"+page))
	checkRendered(t, page, dom)
	m := checkResult.FindStringSubmatch(dom)
	if m == nil {
		t.Fatalf("%s: the link check did not run; the page's script failed", page)
	}
	var links, bad int
	if _, err := fmt.Sscanf(m[1], "%d %d", &links, &bad); err != nil {
		t.Fatal(err)
	}
	if (wantLinks >= 0 && links != wantLinks) || links == 0 {
		t.Errorf("%s: %d count links followed, want %d", page, links, wantLinks)
	}
	if bad != 0 {
		t.Errorf("%s: %d links list a different number of commits than their cell:\n%s", page, bad, m[2])
	}
	return dom
}

// checkLinks follows every link of the coverage table whose text is a count
// and reports "links mismatches" and the mismatches.
const checkLinks = `<script>
(function () {
  var links = 0, bad = [];
  document.querySelectorAll('#coverage a').forEach(function (a) {
    var m = /^(\d+)( \(|$)/.exec(a.textContent);
    if (!m) return;
    links++;
    // Not through location.hash: Chromium throttles hundreds of changes.
    window.upsynthFilter(a.getAttribute('href'));
    var got = document.getElementById('filter-count').textContent;
    if (got !== m[1]) bad.push(a.getAttribute('href') + ': cell ' + m[1] + ', list ' + got);
  });
  var pre = document.createElement('pre');
  pre.id = 'link-check';
  pre.textContent = links + ' ' + bad.length + '\n' + bad.join('\n');
  document.body.appendChild(pre);
})();
</script>
`

// catchErrors, first in the page's head, records every script error and
// console.error of the page; reportErrors, last in its body, writes them
// into the DOM Chromium dumps.
const catchErrors = `<script>
window.upsynthErrors = [];
window.addEventListener('error', function (e) { window.upsynthErrors.push('error: ' + e.message); });
(function (orig) {
  console.error = function () { window.upsynthErrors.push('console.error: ' + Array.prototype.join.call(arguments, ' ')); orig.apply(console, arguments); };
})(console.error);
</script>
`

const reportErrors = `<script>
(function () {
  var pre = document.createElement('pre');
  pre.id = 'console-errors';
  pre.textContent = window.upsynthErrors.length + '\n' + window.upsynthErrors.join('\n');
  document.body.appendChild(pre);
})();
</script>
`

var consoleErrors = regexp.MustCompile(`(?s)<pre id="console-errors">(\d+)\n(.*?)</pre>`)

// checkRendered checks the page Chromium ran: no script error, its charts
// there with a hover title on every data element, and (on a coverage page)
// the paper's K42 figures beside the headline shares.
func checkRendered(t *testing.T, page, dom string) {
	t.Helper()
	m := consoleErrors.FindStringSubmatch(dom)
	if m == nil {
		t.Fatalf("%s: the error report did not run", page)
	}
	if m[1] != "0" {
		t.Errorf("%s: %s script errors:\n%s", page, m[1], m[2])
	}
	svgs := regexp.MustCompile(`(?s)<svg.*?</svg>`).FindAllString(dom, -1)
	if len(svgs) < 3 {
		t.Errorf("%s: %d charts rendered, want the shares, the timeline and what blocks updates", page, len(svgs))
	}
	for i, svg := range svgs {
		if !strings.Contains(svg, "<title>") {
			t.Errorf("%s: chart %d has no hover titles", page, i)
		}
		// go-chart's unused second axis drew labels far off the canvas.
		if strings.Contains(svg, `y="-9223372036854775`) {
			t.Errorf("%s: chart %d draws an axis off its canvas", page, i)
		}
	}
	if !strings.Contains(dom, `id="paper"`) || !strings.Contains(dom, fmt.Sprintf("≈%d%%", PaperOriginal)) ||
		!strings.Contains(dom, fmt.Sprintf("≈%d%%", PaperWithAdapters)) {
		t.Errorf("%s: the paper's K42 figures are not on the page", page)
	}
}

// checkScreenshot decodes the screenshot and looks for the colours of the
// classes the charts draw: the page was drawn, not just laid out.
func checkScreenshot(t *testing.T, shot string, classes []string) {
	t.Helper()
	f, err := os.Open(shot)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("screenshot %s: %v", shot, err)
	}
	seen := map[string]int{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			c := fmt.Sprintf("%02x%02x%02x", r>>8, g>>8, bl>>8)
			for _, cls := range Classes {
				if "#"+c == ClassColor(cls) {
					seen[cls]++
				}
			}
		}
	}
	// Each colour fills at least a bar segment's worth of pixels (the
	// legends' swatches are 100 each).
	if len(classes) < 3 {
		t.Fatalf("the fixture draws %v only", classes)
	}
	for _, cls := range classes {
		if seen[cls] < 1000 {
			t.Errorf("screenshot %s: %d pixels of %s's colour: its chart segments were not drawn", shot, seen[cls], cls)
		}
	}
}

var checkResult = regexp.MustCompile(`(?s)<pre id="link-check">(\d+ \d+)\n(.*?)</pre>`)

// TestPageSelfContained checks that the page loads nothing: no scripts,
// styles or images from elsewhere, no URL but the SVG namespaces.
func TestPageSelfContained(t *testing.T) {
	ds := stableFixture(t, "kernel", 24)
	var buf bytes.Buffer
	if err := Write(&buf, Compute([]Dataset{ds}, Options{}), "html", []Dataset{ds}); err != nil {
		t.Fatal(err)
	}
	page := buf.String()
	for _, bad := range []string{"<link", " src=", "@import", "url("} {
		if strings.Contains(page, bad) {
			t.Errorf("the page contains %q", bad)
		}
	}
	urls := regexp.MustCompile(`https?://[^"' )]+`).FindAllString(page, -1)
	for _, u := range urls {
		if u != "http://www.w3.org/2000/svg" && u != "http://www.w3.org/1999/xlink" {
			t.Errorf("the page refers to %s", u)
		}
	}
	if n := strings.Count(page, "<svg"); n != 4 {
		t.Errorf("%d charts, want 4 (shares, timeline, files, types)", n)
	}
}

// TestPageEscapes puts markup in every string a page shows: subjects,
// reasons, file and type names (which also label the charts).
func TestPageEscapes(t *testing.T) {
	const evil = `<script>alert("x")</script>&`
	c := commit(1, "2022-01-01", "fix", evil, ch("kernel/"+evil+".c", "type", evil, "layout", "interface", evil))
	d := commit(2, "2023-01-01", "fix", "ok", ch("boot/a.c", "function", "f", "body", "unsupported", evil+"; more"))
	ds := Dataset{Label: evil, Source: evil, Commits: []*store.Commit{c, d}}
	var buf bytes.Buffer
	if err := Write(&buf, Compute([]Dataset{ds}, Options{By: ByPath}), "html", []Dataset{ds}); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(buf.String(), "<script>"); n != 1 {
		t.Errorf("%d <script> tags, want the page's own one", n)
	}
	buf.Reset()
	if err := WriteCommits(&buf, ds.Commits, "html", evil, 0); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(buf.String(), "<script>"); n != 1 {
		t.Errorf("commits page: %d <script> tags, want the page's own one", n)
	}
}
