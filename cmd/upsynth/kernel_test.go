package main

import (
	"context"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/upsynth/upsynth/analyze"
	"github.com/upsynth/upsynth/cparse"
	"github.com/upsynth/upsynth/internal/gittest"
	"github.com/upsynth/upsynth/kernel"
	"github.com/upsynth/upsynth/runtime/emu/abi"
	"github.com/upsynth/upsynth/runtime/plan"
	"github.com/upsynth/upsynth/synth"
)

// abiProbe is a kernel whose struct probe has a size that depends on the
// target's predefined macros, on __typeof__ and __alignof__, on a define
// of its upsynth.yaml, on a header under its include path and on the
// target's kernel.h (found under the ABI's root, not in the tree).
var abiProbe = map[string]string{
	"upsynth.yaml": "include: [inc]\ndefines: [\"EXTRA=3\"]\n",
	"inc/probe.h": `#include <kernel.h>
struct probe {
	char a[__SIZEOF_LONG_DOUBLE__ + EXTRA];
	__typeof__(ncpus()) n;
	char b[__alignof__(long) * __GNUC__];
	ref_t r;
};
`,
	"k.c": `#include "probe.h"
struct probe probes[2];
void kernel_boot(void) { }
long kernel_syscall(long nr, long a0, long a1, long a2, long a3, long a4, long a5) { return sizeof(struct probe); }
`,
}

// TestOneABI: the analysis's precise engine, the generator's layout model
// and the emulated target's loader (target run, verify) compile the same
// kernel with the same macros, include paths and headers, so they compute
// the same layout.
func TestOneABI(t *testing.T) {
	fsys := fstest.MapFS{}
	for p, s := range abiProbe {
		fsys[p] = &fstest.MapFile{Data: []byte(s)}
	}
	tree, err := kernel.NewTree(fsys, "probe")
	if err != nil {
		t.Fatal(err)
	}
	// analyze
	pc := analyze.ParseConfig(tree.Config)
	pc.FS, pc.Engine = kernel.WithABI(tree.FS), cparse.EngineChoicePrecise
	sum := cparse.Parse(context.Background(), "k.c", fsys["k.c"].Data, pc)
	if sum.Engine != cparse.EnginePrecise {
		t.Fatalf("analysis: %v", sum.Errors)
	}
	sizes := map[string]int64{}
	if sum2 := cparse.Parse(context.Background(), "inc/probe.h", fsys["inc/probe.h"].Data, pc); sum2.Engine == cparse.EnginePrecise {
		for _, ty := range sum2.Types {
			if ty.Name == "probe" {
				sizes["analyze"] = ty.Size
			}
		}
	} else {
		t.Fatalf("analysis of the header: %v", sum2.Errors)
	}
	// emit
	m, err := synth.InspectIn(tree, "k.c")
	if err != nil {
		t.Fatal(err)
	}
	if s := m.Structs["probe"]; s != nil {
		sizes["emit"] = int64(s.Layout.Size)
	}
	// target run and verify
	img, _, err := loadKernel(tree)
	if err != nil {
		t.Fatal(err)
	}
	if l, ok := img.Layout("probe"); ok {
		sizes["target"] = int64(l.Size)
	}
	// 16+3 chars, pad to 4, int, 8*4 chars, pad to 8, a ref_t.
	want := int64(16 + 3 + 1 + 4 + 32 + 8)
	for _, who := range []string{"analyze", "emit", "target"} {
		if sizes[who] != want {
			t.Errorf("%s: struct probe is %d bytes, want %d (all: %v)", who, sizes[who], want, sizes)
		}
	}
	if pc.Predefined != abi.Predefined {
		t.Error("the analysis does not start from the target's predefined macros")
	}
}

// TestSameKernelEverywhere: one upsynth.yaml and revision give the same
// module list and include paths to emit, verify (through the plan emit
// writes) and target run, and analyze reads the same files with the same
// include paths.
func TestSameKernelEverywhere(t *testing.T) {
	dir := t.TempDir()
	g, err := gittest.Init(filepath.Join(dir, "repo"))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{
		"upsynth.yaml":       []byte("include: [inc]\ndefines: [\"N=2\"]\nexclude: [\"*_test.c\", \"**/host/*.c\", \"docs/**\"]\n"),
		"inc/k.h":            []byte("#include <kernel.h>\nlong f(long x);\n"),
		"kernel/k.c":         []byte("#include <k.h>\nvoid kernel_boot(void) { }\nlong kernel_syscall(long nr, long a0, long a1, long a2, long a3, long a4, long a5) { return f(a0); }\n"),
		"kernel/f.c":         []byte("#include <k.h>\nlong f(long x) { return x + N; }\n"),
		"kernel/f_test.c":    []byte("int test_f(void) { return 0; }\n"),
		"host/mkfs.c":        []byte("int main(void) { return 0; }\n"),
		"tools/host/gen.c":   []byte("int main(void) { return 0; }\n"),
		"kernel/port.c":      []byte("void spin(void) { __asm__ volatile(\"pause\"); }\n"),
		"tools/dump.c":       []byte("#include <stdio.h>\nint main(void) { return 0; }\n"),
		"docs/example.c":     []byte("int example;\n"),
		"workloads/smoke.wl": []byte("stream a\n  sys 1 1 -> 3\nend\n"),
	}
	if _, err := g.Commit("one", files); err != nil {
		t.Fatal(err)
	}
	files["kernel/f.c"] = []byte("#include <k.h>\nlong f(long x) { return x + N + 0; }\n")
	files["kernel/f_test.c"] = []byte("int test_f(void) { return 1; }\n")
	if _, err := g.Commit("two", files); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "k.db")
	ctx := context.Background()
	if _, err := analyze.Run(ctx, analyze.Options{Repo: g.Dir, DB: db}); err != nil {
		t.Fatal(err)
	}
	wantMods := []string{"kernel/f.c", "kernel/k.c"}
	wantInc := []string{"inc"}

	// target run
	tree, closeTree, err := openTree(&targetRunOptions{repo: g.Dir, rev: "HEAD"})
	if err != nil {
		t.Fatal(err)
	}
	defer closeTree()
	_, runMods, err := loadKernel(tree)
	if err != nil {
		t.Fatal(err)
	}
	check := func(who string, mods, inc []string) {
		t.Helper()
		if !reflect.DeepEqual(mods, wantMods) {
			t.Errorf("%s: modules %v, want %v", who, mods, wantMods)
		}
		if !reflect.DeepEqual(inc, wantInc) {
			t.Errorf("%s: include paths %v, want %v", who, inc, wantInc)
		}
	}
	check("target run", runMods, tree.IncludePaths())

	// emit, and verify reading what emit wrote
	req, err := resolveEmit(ctx, &emitOptions{repo: g.Dir, db: db, mode: "eager", out: filepath.Join(dir, "pkg")}, "HEAD")
	if err != nil {
		t.Fatal(err)
	}
	defer req.repo.Close()
	p, err := synth.MakePlan(req.in)
	if err != nil {
		t.Fatal(err)
	}
	check("emit (new)", p.NewModules, p.Build.IncludePaths)
	check("emit (old)", p.OldModules, p.Build.IncludePaths)
	gen, err := synth.Generate(p)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := synth.Write(synth.Output{Dir: req.out, Plan: p, Files: gen, Old: req.in.Old, New: req.in.New, SrcRoot: req.srcRoot}); err != nil {
		t.Fatal(err)
	}
	vp, err := plan.Read(req.out)
	if err != nil {
		t.Fatal(err)
	}
	check("verify", vp.NewModules, vp.Build.IncludePaths)
	if !reflect.DeepEqual(vp.Build.Defines, []string{"N=2"}) {
		t.Errorf("verify: defines %v", vp.Build.Defines)
	}

	// analyze: the same settings, the same files read, the same include
	// paths (then the target's headers).
	pc := analyze.ParseConfig(tree.Config)
	if !reflect.DeepEqual(pc.IncludePaths, append(append([]string(nil), wantInc...), abi.IncludePaths...)) {
		t.Errorf("analyze: include paths %v", pc.IncludePaths)
	}
	var read []string
	if err := tree.Walk(func(p string) error {
		if analyze.Wanted(analyze.Options{}, tree.Config, p) && kernel.KindOf(p) == kernel.KindModule {
			read = append(read, p)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	// Analysis reads test code, assembly and host tools too (it classifies
	// their changes), but not what upsynth.yaml excludes.
	if want := []string{"kernel/f.c", "kernel/k.c", "kernel/port.c", "tools/dump.c"}; !reflect.DeepEqual(read, want) {
		t.Errorf("analyze reads %v, want %v", read, want)
	}
	// The same globs given as analyze --exclude instead of in upsynth.yaml.
	var flagRead []string
	noExclude := kernel.Default()
	if err := tree.Walk(func(p string) error {
		if analyze.Wanted(analyze.Options{Exclude: tree.Config.Exclude}, noExclude, p) && kernel.KindOf(p) == kernel.KindModule {
			flagRead = append(flagRead, p)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(flagRead, read) {
		t.Errorf("analyze --exclude reads %v, upsynth.yaml's exclude %v", flagRead, read)
	}
}

// TestReportCommitAmbiguous: report commit refuses a SHA prefix two
// analyzed commits share, listing both, as git does; and a name shorter
// than git's minimum is not taken as a SHA.
func TestReportCommitAmbiguous(t *testing.T) {
	dir := t.TempDir()
	g, err := gittest.Init(filepath.Join(dir, "repo"))
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]string{}
	var a, b string
	for i := 0; a == ""; i++ {
		if i == 2000 {
			t.Fatal("no shared 4-digit prefix")
		}
		h, err := g.Commit("c", map[string][]byte{"README": []byte(strings.Repeat("x", i))})
		if err != nil {
			t.Fatal(err)
		}
		if o, ok := seen[h.String()[:4]]; ok {
			a, b = o, h.String()
		}
		seen[h.String()[:4]] = h.String()
	}
	db := filepath.Join(dir, "k.db")
	ctx := context.Background()
	if _, err := analyze.Run(ctx, analyze.Options{Repo: g.Dir, DB: db}); err != nil {
		t.Fatal(err)
	}
	var out, errb strings.Builder
	code := run(ctx, []string{"report", "commit", a[:4], "--db", db}, streams{Out: &out, Err: &errb})
	if code == 0 || !strings.Contains(errb.String(), "is ambiguous") || !strings.Contains(errb.String(), a) || !strings.Contains(errb.String(), b) {
		t.Errorf("report commit %s: exit %d\n%s%s", a[:4], code, out.String(), errb.String())
	}
	out.Reset()
	errb.Reset()
	if code := run(ctx, []string{"report", "commit", a[:12], "--db", db}, streams{Out: &out, Err: &errb}); code != 0 || !strings.Contains(out.String(), a) {
		t.Errorf("report commit %s: exit %d\n%s%s", a[:12], code, out.String(), errb.String())
	}
	errb.Reset()
	if code := run(ctx, []string{"report", "commit", a[:2], "--db", db}, streams{Out: &out, Err: &errb}); code == 0 {
		t.Errorf("report commit %s (2 digits) succeeded", a[:2])
	}
}
