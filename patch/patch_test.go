package patch_test

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/upsynth/upsynth/kernel"
	"github.com/upsynth/upsynth/patch"
)

const counterC = `#include "counter.h"

struct Counter {
	int hits;
};

void counter_add(struct Counter *c)
{
	c->hits++;
}

int counter_get(struct Counter *c)
{
	return c->hits;
}
`

func tree() fstest.MapFS {
	return fstest.MapFS{
		"kernel/counter.c": {Data: []byte(counterC)},
		"kernel/boot.S":    {Data: []byte("start:\n\tjmp main\n"), Mode: 0o755},
		"README":           {Data: []byte("kernel\n")},
	}
}

// series is what git format-patch --stdout writes for two commits, after a
// cover letter.
const series = `From 1111111111111111111111111111111111111111 Mon Sep 17 00:00:00 2001
From: Kernel Hacker <k@example.com>
Date: Mon, 1 Jan 2024 00:00:00 +0000
Subject: [PATCH 0/2] counters

Two fixes.

From 2222222222222222222222222222222222222222 Mon Sep 17 00:00:00 2001
From: Kernel Hacker <k@example.com>
Date: Mon, 1 Jan 2024 00:00:00 +0000
Subject: [PATCH 1/2] counter: add twice

The counter lost hits.

Fixes: 123456789abc ("counter")
---
 kernel/counter.c | 2 +-
 1 file changed, 1 insertion(+), 1 deletion(-)

diff --git a/kernel/counter.c b/kernel/counter.c
index 1111111..2222222 100644
--- a/kernel/counter.c
+++ b/kernel/counter.c
@@ -7,7 +7,7 @@ struct Counter {
 void counter_add(struct Counter *c)
 {
-	c->hits++;
+	c->hits += 2;
 }
 
 int counter_get(struct Counter *c)
 {
-- 
2.43.0

From 3333333333333333333333333333333333333333 Mon Sep 17 00:00:00 2001
From: Other <o@example.com>
Date: Tue, 2 Jan 2024 10:00:00 +0100
Subject: [PATCH 2/2] move the readme

---
 README => docs/README | 0
 1 file changed, 0 insertions(+), 0 deletions(-)
 rename README => docs/README (100%)

diff --git a/README b/docs/README
similarity index 100%
rename from README
rename to docs/README
-- 
2.43.0
`

// TestParseSeries: a mailbox is split into its mails, the cover letter
// skipped, subjects cleaned of [PATCH n/m], the message is what git am
// records.
func TestParseSeries(t *testing.T) {
	ps, err := patch.Parse("s.mbox", []byte(series))
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 2 {
		t.Fatalf("%d patches, want 2", len(ps))
	}
	p := ps[0]
	if p.Name != "s.mbox#2" || p.Subject != "counter: add twice" || p.Author.Email != "k@example.com" || p.SHA != strings.Repeat("2", 40) {
		t.Errorf("patch 1: name %q subject %q author %v sha %q", p.Name, p.Subject, p.Author, p.SHA)
	}
	if want := "counter: add twice\n\nThe counter lost hits.\n\nFixes: 123456789abc (\"counter\")\n"; p.Message != want {
		t.Errorf("message %q, want %q", p.Message, want)
	}
	if ps[1].Author.When.Hour() != 10 || ps[1].Subject != "move the readme" {
		t.Errorf("patch 2: %+v", ps[1])
	}
}

func editsOf(t *testing.T, es []kernel.Edit) map[string]string {
	t.Helper()
	m := map[string]string{}
	for _, e := range es {
		if e.Delete {
			m[e.Path] = "<deleted>"
		} else {
			m[e.Path] = string(e.Data)
		}
	}
	return m
}

// TestEdits: hunks apply where they say, or moved (an offset, as git apply
// finds them); renames, new and deleted files become edits.
func TestEdits(t *testing.T) {
	ps, err := patch.Parse("s.mbox", []byte(series))
	if err != nil {
		t.Fatal(err)
	}
	es, err := ps[0].Edits(tree())
	if err != nil {
		t.Fatal(err)
	}
	got := editsOf(t, es)
	if !strings.Contains(got["kernel/counter.c"], "c->hits += 2;") || strings.Contains(got["kernel/counter.c"], "c->hits++") {
		t.Errorf("counter.c after the patch:\n%s", got["kernel/counter.c"])
	}
	// The same hunk on a file with three more lines at the top.
	moved := tree()
	moved["kernel/counter.c"] = &fstest.MapFile{Data: []byte("/* a */\n/* b */\n/* c */\n" + counterC)}
	es, err = ps[0].Edits(moved)
	if err != nil {
		t.Fatalf("a hunk three lines further down: %v", err)
	}
	if got := editsOf(t, es)["kernel/counter.c"]; !strings.HasPrefix(got, "/* a */") || !strings.Contains(got, "c->hits += 2;") {
		t.Errorf("moved hunk applied as:\n%s", got)
	}
	es, err = ps[1].Edits(tree())
	if err != nil {
		t.Fatal(err)
	}
	if got := editsOf(t, es); got["README"] != "<deleted>" || got["docs/README"] != "kernel\n" || len(got) != 2 {
		t.Errorf("rename: %v", got)
	}
}

// TestPlainDiff: a diff -u between two directories names files by their
// path in the tree (-p1), and keeps an executable file executable.
func TestPlainDiff(t *testing.T) {
	d := `--- old/kernel/boot.S	2024-01-01 00:00:00.000000000 +0000
+++ new/kernel/boot.S	2024-01-02 00:00:00.000000000 +0000
@@ -1,2 +1,3 @@
 start:
+	cli
 	jmp main
--- old/kernel/new.c	1970-01-01 00:00:00.000000000 +0000
+++ new/kernel/new.c	2024-01-02 00:00:00.000000000 +0000
@@ -0,0 +1 @@
+int fresh;
`
	ps, err := patch.Parse("fix.diff", []byte(d))
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 1 || ps[0].Subject != "" || ps[0].Author != patch.Unknown {
		t.Fatalf("%+v", ps)
	}
	es, err := ps[0].Edits(tree())
	if err != nil {
		t.Fatal(err)
	}
	got := editsOf(t, es)
	if got["kernel/boot.S"] != "start:\n\tcli\n\tjmp main\n" || got["kernel/new.c"] != "int fresh;\n" {
		t.Errorf("edits %q", got)
	}
	for _, e := range es {
		if e.Path == "kernel/boot.S" && e.Mode.String() != "0100755" {
			t.Errorf("boot.S mode %v, want executable", e.Mode)
		}
	}
}

// TestApplyErrors: a patch that does not apply names its file and hunk.
func TestApplyErrors(t *testing.T) {
	conflict := strings.Replace(series, "-\tc->hits++;", "-\tc->hits--;", 1)
	conflict = strings.Replace(conflict, "@@ -7,7 +7,7 @@ struct Counter {", "@@ -1,1 +1,1 @@\n-#include \"counter.h\"\n+#include \"counter.h\"\n@@ -7,7 +7,7 @@ struct Counter {", 1)
	cases := []struct {
		name, text string
		file       string
		hunk       int
		reason     string
	}{
		{"context differs", conflict, "kernel/counter.c", 2, `line 9 is "\tc->hits++;", the hunk expects "\tc->hits--;"`},
		{"missing file", strings.ReplaceAll(series, "kernel/counter.c", "kernel/gone.c"), "kernel/gone.c", 0, "not in the tree"},
		{"file exists", "diff --git a/README b/README\nnew file mode 100644\nindex 0000000..1111111\n--- /dev/null\n+++ b/README\n@@ -0,0 +1 @@\n+x\n", "README", 0, "already in the tree"},
		{"binary without data", "diff --git a/fw.bin b/fw.bin\nindex 1111111..2222222 100644\nBinary files a/fw.bin and b/fw.bin differ\n", "fw.bin", 0, "without its data"},
	}
	fsys := tree()
	fsys["fw.bin"] = &fstest.MapFile{Data: []byte{0, 1, 2}}
	for _, c := range cases {
		ps, err := patch.Parse("p.patch", []byte(c.text))
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		_, err = ps[0].Edits(fsys)
		var ae *patch.ApplyError
		if !errors.As(err, &ae) {
			t.Fatalf("%s: %v, want an *ApplyError", c.name, err)
		}
		if ae.File != c.file || ae.Hunk != c.hunk || !strings.Contains(ae.Reason, c.reason) {
			t.Errorf("%s: file %q hunk %d reason %q; want %q, %d, %q", c.name, ae.File, ae.Hunk, ae.Reason, c.file, c.hunk, c.reason)
		}
		if c.hunk > 0 && !strings.Contains(err.Error(), "hunk 2 (@@ -7,7 +7,7 @@ struct Counter {)") {
			t.Errorf("%s: %v does not name the hunk", c.name, err)
		}
	}
}

// TestNotAPatch: text without a diff is refused naming the file.
func TestNotAPatch(t *testing.T) {
	_, err := patch.Parse("notes.txt", []byte("just some text\n"))
	var pe *patch.ParseError
	if !errors.As(err, &pe) || pe.Name != "notes.txt" {
		t.Errorf("%v, want a *ParseError naming notes.txt", err)
	}
}

// FuzzApply: no patch text, however malformed, crashes the parser or the
// applier; a patch either applies or says why.
func FuzzApply(f *testing.F) {
	f.Add([]byte(series))
	f.Add([]byte("--- a/README\n+++ b/README\n@@ -1 +1 @@\n-kernel\n+kernel!\n"))
	f.Add([]byte("diff --git a/README b/README\n--- a/README\n+++ b/README\n@@ -5,3 +0,0 @@\n-x\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		ps, err := patch.Parse("fuzz.patch", b)
		if err != nil {
			return
		}
		for _, p := range ps {
			if _, err := p.Edits(tree()); err != nil && err.Error() == "" {
				t.Error("an error without a message")
			}
		}
	})
}

// TestCoverLetter: a cover letter alone (0000-cover-letter.patch of a
// series) gives no patch and no error, so a series' files can be given
// with it.
func TestCoverLetter(t *testing.T) {
	letter := series[:strings.Index(series, "From 2222")]
	ps, err := patch.Parse("0000-cover-letter.patch", []byte(letter))
	if err != nil || len(ps) != 0 {
		t.Errorf("cover letter: %d patches, %v; want none and no error", len(ps), err)
	}
}
