package report

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/upsynth/upsynth/analyze/store"
)

const chromiumPath = "/usr/bin/chromium"

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
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Skipf("headless Chromium is not installed at %s (apt-get install chromium): the page is not rendered", chromiumPath)
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
	checked := strings.Replace(html, "</body>", checkLinks+"</body>", 1)
	if err := os.WriteFile(page, []byte(checked), 0o644); err != nil {
		t.Fatal(err)
	}
	dom := string(chromium(t, "--dump-dom", "file://"+page))
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
