package analyze

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/upsynth/upsynth/analyze/store"
)

// respellChecker collects, for every summary derived from a previous
// version, whether it is the one a parse gives.
type respellChecker struct {
	mu         sync.Mutex
	derived    int
	mismatches []string
}

func (c *respellChecker) check(path string, derived, parsed *store.Blob) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.derived++
	if sameSummary(derived, parsed) {
		return
	}
	dj, _ := json.Marshal(derived.Summary)
	pj, _ := json.Marshal(parsed.Summary)
	c.mismatches = append(c.mismatches, fmt.Sprintf("%s (blob %s): derived %s %q\n  %s\nparsed %s %q\n  %s",
		path, derived.Blob, derived.Status, derived.Reason, firstDifference(dj, pj), parsed.Status, parsed.Reason, firstDifference(pj, dj)))
}

// firstDifference shows a's text around where it first differs from b's.
func firstDifference(a, b []byte) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	return string(a[max(0, i-120):min(len(a), i+120)])
}

func (c *respellChecker) report(t *testing.T) {
	t.Helper()
	t.Logf("%d summaries derived from a previous version, %d differ from a parse", c.derived, len(c.mismatches))
	for i, m := range c.mismatches {
		if i == 10 {
			t.Errorf("… and %d more", len(c.mismatches)-10)
			break
		}
		t.Errorf("respelled summary differs from a parse: %s", m)
	}
}

// TestRespelledSummariesAreParses analyzes a fixture history whose commits
// change comments (a version bump in every header comment, comments added
// between declarations and after a macro) among code changes, and checks
// that each summary derived from a previous version is the summary a
// parse gives, and which versions are derived: not a precise summary whose
// header changed in the same commit, nor one whose parse recovered from an
// error.
func TestRespelledSummariesAreParses(t *testing.T) {
	g := newRepo(t)
	header := func(version string) string {
		return "/*\n * Kernel " + version + "\n * Copyright (C) 2020 Someone\n */\n"
	}
	sched := func(version, doc, tick string) string {
		return header(version) + `#include "sched.h"
static ` + tick + ` ticks;
` + doc + `
int next_task(struct task *t)
{
	return t->prio + ticks;
}
`
	}
	util := `#define MAX_TASKS 8 /* most */
struct queue { int head; int tail; };
int queue_len(struct queue *q)
{
	return q->tail - q->head;
}
`
	commit(t, g, "initial", map[string]string{
		"kernel/sched.c":  sched("V1.0", "", "int"),
		"kernel/sched.h":  header("V1.0") + "#ifndef SCHED_H\n#define SCHED_H\nstruct task { int prio; int state; };\nint next_task(struct task *t);\n#endif\n",
		"kernel/util.c":   header("V1.0") + util,
		"kernel/broken.c": header("V1.0") + "int ok(void) { return 1; }\nint broken( { ;\n",
		// One blob at two paths of two languages: the memo hands the
		// C++ path the summary parsed at the C one.
		"kernel/twice.c":  "int twice(int x) { return 2 * x; }\n",
		"kernel/twice.cc": "int twice(int x) { return 2 * x; }\n",
	})
	commit(t, g, "Update version number to V1.1", map[string]string{
		"kernel/sched.c": sched("V1.1", "", "int"),
		"kernel/sched.h": "/* Kernel V1.1, reflowed\n   over three lines\n   of comment */\n" +
			"#ifndef SCHED_H\n#define SCHED_H\n\n/* A task. */\nstruct task { int prio; int state; };\n\nint next_task(struct task *t);\n#endif\n",
		"kernel/util.c":   header("V1.1") + strings.Replace(util, "/* most */", "/* at most */\n// queues", 1),
		"kernel/broken.c": header("V1.1") + "\n\nint ok(void) { return 1; }\nint broken( { ;\n",
		"kernel/twice.cc": "// V1.1\nint twice(int x) { return 2 * x; }\n",
	})
	commit(t, g, "Document next_task", map[string]string{
		"kernel/sched.c": sched("V1.1", "/*\n * next_task picks the task to run.\n */", "int"),
	})
	commit(t, g, "Change the tick", map[string]string{
		"kernel/sched.c": sched("V1.1", "/*\n * next_task picks the task to run.\n */", "long"),
	})
	var c respellChecker
	stats, _, _ := analyzeAll(t, g.Dir, Options{checkRespelled: c.check})
	c.report(t)
	// The version bump's sched.h and util.c (sched.c's header changed
	// with it; broken.c's parse recovered from an error; twice.cc's
	// summary was made at twice.c, in C), and the documented sched.c.
	if c.derived != 3 || stats.Respelled != 3 {
		t.Errorf("derived %d summaries (stats: %d), want 3", c.derived, stats.Respelled)
	}
}

// TestRespelledOnRealKernel checks derivation over a real kernel's whole
// history (UPSYNTH_RESPELL_REPO, e.g. FreeRTOS-Kernel, whose version bumps
// rewrite every file's header comment): every summary derived from a
// previous version must be the one a parse gives.
func TestRespelledOnRealKernel(t *testing.T) {
	repo := os.Getenv("UPSYNTH_RESPELL_REPO")
	if repo == "" {
		t.Skip("UPSYNTH_RESPELL_REPO unset: set it to a kernel clone (e.g. FreeRTOS-Kernel) to check respelled summaries against parses over its history")
	}
	var c respellChecker
	stats, err := Run(context.Background(), Options{Repo: repo, DB: filepath.Join(t.TempDir(), "a.db"), Rev: os.Getenv("UPSYNTH_RESPELL_REV"), checkRespelled: c.check})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d commits: %d blobs parsed, %d respelled", stats.Commits, stats.Parsed, stats.Respelled)
	c.report(t)
}

// sameSummary reports whether two records of a blob say the same: status,
// reason and summary (its CPU time aside).
func sameSummary(a, b *store.Blob) bool {
	if a.Status != b.Status || a.Reason != b.Reason || a.Size != b.Size || (a.Summary == nil) != (b.Summary == nil) {
		return false
	}
	if a.Summary == nil {
		return true
	}
	ja, err1 := json.Marshal(a.Summary)
	jb, err2 := json.Marshal(b.Summary)
	return err1 == nil && err2 == nil && bytes.Equal(ja, jb)
}
