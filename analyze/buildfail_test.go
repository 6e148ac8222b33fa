package analyze

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/upsynth/upsynth/analyze/store"
)

const devH = `struct dev {
	int n;
};
int dev_read(struct dev *d);
`

const devC = `#include "dev.h"

int dev_read(struct dev *d)
{
	return d->n;
}
`

const timerC = `#include <autoconf.h>

int timer_hz(void)
{
	return CONFIG_HZ;
}
`

const schedCPP = `class Sched {
	int q;
public:
	int pick();
};

int Sched::pick()
{
	return q;
}
`

// buildHistory is a kernel whose C does not always compile: revisions with
// a syntax error, an undefined name or an #include of a file the tree
// lacks (the commit's own errors), a module that includes a header the
// build generates (never in the tree), and C++.
func buildHistory() []step {
	return []step{
		{msg: "Initial kernel", class: "code", hazards: "imprecise", purpose: "other", files: map[string]string{
			"upsynth.yaml": "include: [include]\n", "include/dev.h": devH, "dev/dev.c": devC,
			"gen/timer.c": timerC, "cpp/sched.cpp": schedCPP}},
		{msg: "dev: read one more", class: "unsupported", hazards: "imprecise", purpose: "other", why: "dev/dev.c:5:",
			subs: []sub{{"dev/dev.c", "return d->n;", "return d->n +;"}}},
		{msg: "dev: repair the read", class: "code", hazards: "imprecise", purpose: "other",
			subs: []sub{{"dev/dev.c", "return d->n +;", "return d->n + 1;"}}},
		{msg: "dev: include the generated table", class: "unsupported", hazards: "imprecise", purpose: "other", why: `#include "devtab.h": the file is not in the tree`,
			subs: []sub{{"dev/dev.c", `#include "dev.h"`, "#include \"dev.h\"\n#include \"devtab.h\""}}},
		// Only an #include line changes: nothing compiled changed.
		{msg: "dev: drop the generated table", class: "none", purpose: "other",
			subs: []sub{{"dev/dev.c", "#include \"dev.h\"\n#include \"devtab.h\"", `#include "dev.h"`}}},
		{msg: "dev: read the limit", class: "unsupported", hazards: "imprecise", purpose: "other", why: "undefined: dev_limit",
			subs: []sub{{"dev/dev.c", "return d->n + 1;", "return d->n + dev_limit;"}}},
		// A module that starts to include a header the build generates:
		// the analysis's environment, not the commit's code.
		{msg: "dev: read two more", class: "code", hazards: "imprecise", purpose: "other",
			subs: []sub{{"dev/dev.c", "return d->n + dev_limit;", "return d->n + 2;"}}},
		{msg: "dev: read the generated limit", class: "code", hazards: "imprecise", purpose: "other",
			subs: []sub{{"dev/dev.c", "#include \"dev.h\"\n\nint", "#include \"dev.h\"\n#include <devgen.h>\n\nint"}, {"dev/dev.c", "return d->n + 2;", "return d->n + DEV_LIMIT;"}}},
		// Precise at neither revision: the generated header is never there.
		{msg: "timer: tick twice as often", class: "code", hazards: "imprecise", purpose: "other",
			subs: []sub{{"gen/timer.c", "return CONFIG_HZ;", "return 2 * CONFIG_HZ;"}}},
		{msg: "sched: pick the next", class: "code", hazards: "imprecise", purpose: "other",
			subs: []sub{{"cpp/sched.cpp", "return q;", "return q + 1;"}}},
	}
}

// A C module that compiled at the parent but not at the commit makes the
// commit unsupported, with the compiler's error in the reason; one the
// precise engine never read keeps its class with the imprecise hazard.
func TestBuildFailureClassification(t *testing.T) {
	steps := buildHistory()
	dir := t.TempDir()
	repo := filepath.Join(dir, "repo")
	shas := applySteps(t, repo, steps)
	db := filepath.Join(dir, "a.db")
	if _, err := Run(context.Background(), Options{Repo: repo, DB: db, Jobs: 2}); err != nil {
		t.Fatal(err)
	}
	s, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, step := range steps {
		cs, err := s.FindCommits(context.Background(), shas[step.msg].String())
		if err != nil || len(cs) != 1 {
			t.Fatalf("%s: %v %v", step.msg, cs, err)
		}
		c := cs[0]
		var changes []string
		for _, ch := range c.Changes {
			changes = append(changes, string(ch.Class)+" "+ch.File+" "+ch.Entity+" "+ch.Name+" "+ch.Change+" ["+ch.Engine+"]: "+ch.Reason)
		}
		if c.Class != step.class {
			t.Errorf("%q: class %s, want %s (%s)\n\t%s", step.msg, c.Class, step.class, c.Reason, strings.Join(changes, "\n\t"))
		}
		if got := strings.Join(c.Hazards, ","); got != step.hazards {
			t.Errorf("%q: hazards %q, want %q\n\t%s", step.msg, got, step.hazards, strings.Join(changes, "\n\t"))
		}
		if !strings.Contains(c.Reason, step.why) {
			t.Errorf("%q: reason %q does not say %q", step.msg, c.Reason, step.why)
		}
		if c.Class == "unsupported" && !strings.Contains(c.Reason, "does not compile at this revision") {
			t.Errorf("%q: reason %q does not say the revision does not compile", step.msg, c.Reason)
		}
		if strings.Contains(c.Reason, "check.go") || strings.Contains(c.Reason, "TODO") {
			t.Errorf("%q: reason %q carries the front end's internals", step.msg, c.Reason)
		}
	}
}
