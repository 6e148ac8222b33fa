package synth

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/upsynth/upsynth/kernel"
	"github.com/upsynth/upsynth/runtime"
	"github.com/upsynth/upsynth/runtime/plan"
)

// tree builds a MapFS from path -> content.
func tree(files map[string]string) fstest.MapFS {
	out := fstest.MapFS{}
	for p, c := range files {
		out[p] = &fstest.MapFile{Data: []byte(c), Mode: 0o644}
	}
	return out
}

const devHeader = `struct dev {
	int n;
};
int dev_read(struct dev *d);
`

const devModule = `#include "dev.h"

int dev_read(struct dev *d)
{
	return d->n;
}
`

// timerModule includes a header the kernel's build generates: it is never
// in the tree, as seL4's autoconf.h is not.
const timerModule = `#include <kernel.h>
#include <autoconf.h>

OBJECT_TYPE(Timer) {
	long ticks;
};

long Timer_tick(TimerRef self)
{
	struct Timer *t = obj_state(self);
	t->ticks += CONFIG_HZ;
	return t->ticks;
}
`

const schedModule = `#include "sched.hpp"

int Sched::pick()
{
	return q;
}
`

const schedHeader = `class Sched {
	int q;
public:
	int pick();
};
`

// degradedCase is a commit whose C the front end cannot compile at one of
// its revisions, or which is C++.
type degradedCase struct {
	name     string
	old, new fstest.MapFS
	changes  ChangeSet
	force    bool
	// want are phrases PLAN.md must contain.
	want []string
	// check looks at the plan.
	check func(t *testing.T, p *Plan)
}

func degradedCases() []degradedCase {
	yaml := "include: [include]\n"
	return []degradedCase{{
		name: "syntax-error",
		old:  tree(map[string]string{"upsynth.yaml": yaml, "include/dev.h": devHeader, "dev.c": devModule}),
		new: tree(map[string]string{"upsynth.yaml": yaml, "include/dev.h": devHeader,
			"dev.c": strings.Replace(devModule, "return d->n;", "return d->n +;", 1)}),
		changes: ChangeSet{Class: "unsupported", Changes: []Change{{File: "dev.c", Entity: "file", Name: "dev.c", Change: "changed", Class: "unsupported",
			Reason: "does not compile at this revision, though its parent's version did: dev.c:5:15: unexpected ';'"}}},
		force: true,
		want:  []string{"## Planned without the C front end", "`dev.c`: new: dev.c:5:", "**Cannot be verified on the emulated target**", "This plan was forced"},
		check: func(t *testing.T, p *Plan) {
			if len(p.Functions) != 1 || p.Functions[0].Name != "dev_read" {
				t.Errorf("functions %+v, want dev_read", p.Functions)
			}
		},
	}, {
		name: "repaired",
		old: tree(map[string]string{"upsynth.yaml": yaml, "include/dev.h": devHeader,
			"dev.c": strings.Replace(devModule, "return d->n;", "return d->n +;", 1)}),
		new:     tree(map[string]string{"upsynth.yaml": yaml, "include/dev.h": devHeader, "dev.c": strings.Replace(devModule, "return d->n;", "return d->n + 1;", 1)}),
		changes: ChangeSet{Class: "code", Hazards: []string{"imprecise"}},
		want:    []string{"`dev.c`: old: dev.c:5:", "`dev_read` (dev.c): body changed (tolerant parser)"},
	}, {
		name: "generated-header",
		old:  tree(map[string]string{"upsynth.yaml": yaml, "timer.c": timerModule}),
		new: tree(map[string]string{"upsynth.yaml": yaml,
			"timer.c": strings.Replace(strings.Replace(timerModule, "\tlong ticks;\n", "\tlong ticks;\n\tlong period;\n", 1), "+= CONFIG_HZ", "+= 2 * CONFIG_HZ", 1)}),
		changes: ChangeSet{Class: "state", Hazards: []string{"imprecise"}},
		want: []string{"`timer.c`: new: timer.c:2:10: include file not found: <autoconf.h>", "cannot compile timer.c",
			"### Timer (members changed in timer.c, by the tolerant parser", "new fields, zero unless a hook sets them: `period`", "type Timer: its layouts are not known at emit time"},
		check: func(t *testing.T, p *Plan) {
			if len(p.Types) != 1 || !p.Types[0].ByName || p.Types[0].Old.Size != 0 || strings.Join(p.Types[0].Added, ",") != "period" {
				t.Errorf("types %+v, want Timer by name with period added", p.Types)
			}
			if len(p.Functions) != 0 {
				t.Errorf("functions %+v, want none: the new version of Timer carries its methods", p.Functions)
			}
		},
	}, {
		name:    "cpp",
		old:     tree(map[string]string{"include/sched.hpp": schedHeader, "src/sched.cpp": schedModule}),
		new:     tree(map[string]string{"include/sched.hpp": schedHeader, "src/sched.cpp": strings.Replace(schedModule, "return q;", "return q + 1;", 1)}),
		changes: ChangeSet{Class: "code", Hazards: []string{"imprecise"}},
		want:    []string{"the emulated target runs C only and this update changes C++ (src/sched.cpp)", "`src/sched.cpp`: C++", "`Sched::pick` (src/sched.cpp): body changed"},
		check: func(t *testing.T, p *Plan) {
			if len(p.Modules) != 1 || p.Modules[0] != "src/sched.cpp" {
				t.Errorf("modules %v, want the C++ module carried", p.Modules)
			}
		},
	}}
}

// Commits whose C does not compile, or that are C++, still emit a package
// that builds and vets, whose PLAN.md and plan.json name the problem and
// whose test skips with the reason.
func TestDegradedPackagesBuild(t *testing.T) {
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	var use []string
	for _, c := range degradedCases() {
		p, err := MakePlan(Input{Name: c.name, OldRev: "1111", NewRev: "2222", Old: kernel.TreeOf(c.old, "old", kernel.Config{Include: []string{"include", "."}}), New: kernel.TreeOf(c.new, "new", kernel.Config{Include: []string{"include", "."}}), Changes: c.changes, Mode: runtime.Eager, Force: c.force})
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if p.Unverifiable == "" || len(p.Imprecise) == 0 {
			t.Errorf("%s: unverifiable %q, imprecise %v: want both set", c.name, p.Unverifiable, p.Imprecise)
		}
		if c.check != nil {
			c.check(t, p)
		}
		files, err := Generate(p)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		pkg := filepath.Join(dir, c.name)
		if _, err := Write(Output{Dir: pkg, Plan: p, Files: files, Old: kernel.TreeOf(c.old, "old", kernel.Config{}), New: kernel.TreeOf(c.new, "new", kernel.Config{}), SrcRoot: root}); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		md, _ := os.ReadFile(filepath.Join(pkg, "PLAN.md"))
		for _, w := range c.want {
			if !strings.Contains(string(md), w) {
				t.Errorf("%s: PLAN.md lacks %q:\n%s", c.name, w, md)
			}
		}
		var back Plan
		if b, err := os.ReadFile(filepath.Join(pkg, "plan.json")); err != nil || json.Unmarshal(b, &back) != nil || back.Unverifiable != p.Unverifiable {
			t.Errorf("%s: plan.json does not carry the reason verification cannot run (%v)", c.name, err)
		}
		test, _ := os.ReadFile(filepath.Join(pkg, "update_test.go"))
		if !strings.Contains(string(test), "t.Skip(") {
			t.Errorf("%s: the generated test does not skip", c.name)
		}
		if _, err := os.Stat(filepath.Join(pkg, plan.OldTreeDir)); err == nil {
			t.Errorf("%s: the old tree is copied though verification cannot boot it", c.name)
		}
		use = append(use, "./"+c.name)
	}
	if testing.Short() {
		t.Skip("builds the emitted packages")
	}
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command")
	}
	// One workspace builds every package in one go command.
	mod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	goLine := regexp.MustCompile(`(?m)^go [0-9.]+$`).Find(mod)
	work := fmt.Sprintf("%s\n\nuse (\n\t%s\n)\n", goLine, strings.Join(use, "\n\t"))
	if err := os.WriteFile(filepath.Join(dir, "go.work"), []byte(work), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"build", ModulePath + "/..."}, {"vet", ModulePath + "/..."}, {"test", "-count=1", "-v", ModulePath + "/..."}} {
		cmd := exec.Command("go", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GOFLAGS=", "GOPROXY=off", "GOWORK="+filepath.Join(dir, "go.work"))
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("go %v: %v\n%s", args, err, out)
		}
		if args[0] == "test" {
			if n := strings.Count(string(out), "--- SKIP: TestVerify"); n != len(use) {
				t.Errorf("go test: %d of %d generated tests skipped:\n%s", n, len(use), out)
			}
			if !strings.Contains(string(out), "cannot be verified on the emulated target") {
				t.Errorf("go test: the skip does not say why:\n%s", out)
			}
		}
	}
}
