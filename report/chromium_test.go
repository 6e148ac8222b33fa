package report

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
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

var filterCount = regexp.MustCompile(`id="filter-count">(\d+)<`)

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

	// Each link is a cell of the --by year table and what the list must show.
	cases := []struct {
		group, purpose, class string
		want                  int
	}{
		{"2021", PurposeFixPerf, "code", rowOf(t, rep, "2021", PurposeFixPerf).Code},
		{"2023", PurposeFixPerf, "unsupported", rowOf(t, rep, "2023", PurposeFixPerf).Unsupported},
		{"2022", PurposeAll, ClassUpdatableAdapter, 5},
		{"", PurposeFixPerf, ClassUpdatableOrig, 9},
		{"", PurposeAll, "", 23},
	}
	for _, tc := range cases {
		href := filterHref(0, "g", tc.group, "p", tc.purpose, "c", tc.class)
		if !strings.Contains(buf.String(), `href="`+strings.ReplaceAll(href, "&", "&amp;")+`"`) {
			t.Errorf("the page has no link %s", href)
			continue
		}
		dom := chromium(t, "--dump-dom", "file://"+page+href)
		m := filterCount.FindSubmatch(dom)
		if m == nil {
			t.Fatalf("%s: no commit count in the rendered page", href)
		}
		if got := string(m[1]); got != fmt.Sprint(tc.want) {
			t.Errorf("%s: the page lists %s commits, the table says %d", must(url.QueryUnescape(href)), got, tc.want)
		}
	}
}

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
