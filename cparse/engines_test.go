package cparse

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/upsynth/upsynth/runtime/emu/abi"
)

// TestEnginesAgree checks that where both engines see an entity they
// describe it the same way, so that a diff across engines (one version
// preprocessable, the other not) reports only real changes.
func TestEnginesAgree(t *testing.T) {
	for _, file := range sourceFixtures(t) {
		if lang, _ := LangOf(file); lang != LangC {
			continue
		}
		p := summarizeFixture(t, "testdata/src", file, EngineChoicePrecise)
		tol := summarizeFixture(t, "testdata/src", file, EngineChoiceTolerant)
		fns := map[string]Function{}
		for _, f := range tol.Functions {
			fns[f.Name+"/"+boolKey(f.Definition)] = f
		}
		compared := 0
		for _, f := range p.Functions {
			g, ok := fns[f.Name+"/"+boolKey(f.Definition)]
			if !ok {
				continue
			}
			compared++
			if f.Signature != g.Signature || f.BodyHash != g.BodyHash {
				t.Errorf("%s: %s: precise %q %s, tolerant %q %s", file, f.Name, f.Signature, f.BodyHash, g.Signature, g.BodyHash)
			}
		}
		if compared == 0 && len(p.Functions) > 0 {
			t.Errorf("%s: no function seen by both engines", file)
		}
		types := map[string]Type{}
		for _, ty := range tol.Types {
			types[ty.Name] = ty
		}
		for _, ty := range p.Types {
			if ty.Kind == KindEnum {
				continue // the precise engine lists enumerators after expansion
			}
			u, ok := types[ty.Name]
			if !ok {
				if !invokesMacroAt(t, file, ty.Span.StartByte) {
					t.Errorf("%s: type %s only seen by the precise engine", file, ty.Name)
				}
				continue // defined wholly inside a macro's expansion
			}
			if len(ty.Members) != len(u.Members) {
				t.Errorf("%s: type %s: %d members vs %d", file, ty.Name, len(ty.Members), len(u.Members))
				continue
			}
			for i := range ty.Members {
				if ty.Members[i].Name != u.Members[i].Name || ty.Members[i].Type != u.Members[i].Type {
					t.Errorf("%s: %s member %d: precise %+v, tolerant %+v", file, ty.Name, i, ty.Members[i], u.Members[i])
				}
			}
		}
		// A diff between the two engines' summaries of one file reports
		// at most what only one of them can see: entities in inactive
		// preprocessor branches (the tolerant engine sees every branch,
		// so it holds a name twice) and what macro expansion reveals.
		seen := map[string]int{}
		for _, g := range tol.Globals {
			seen[g.Name]++
		}
		for _, m := range tol.Macros {
			seen[m.Name]++
		}
		for _, c := range Diff(tol, p) {
			if seen[c.Name] > 1 {
				continue
			}
			if c.Change != ChangeAdded && c.Change != ChangeRemoved && c.Change != ChangeEnum {
				t.Errorf("%s: cross-engine diff reports %+v", file, c)
			}
		}
	}
}

func boolKey(b bool) string {
	if b {
		return "def"
	}
	return "decl"
}

// TestCosmeticEditsAreNoChanges: comments, layout and parameter names
// change no code. A parameter renamed where the body uses it is listed, as
// a reviewer sees the body change, but marked cosmetic; one renamed in a
// prototype only is no change at all.
func TestCosmeticEditsAreNoChanges(t *testing.T) {
	for _, engine := range []EngineChoice{EngineChoicePrecise, EngineChoiceTolerant} {
		changes, _, _ := diffPair(t, "cosmetic", "proc.c", engine)
		var names []string
		for _, c := range changes {
			if !c.Cosmetic || c.Change != ChangeBody || c.Detail != DetailParametersRenamed {
				t.Errorf("%s: comment, layout and parameter-name edits gave a change that is not cosmetic: %+v", engine, c)
			}
			names = append(names, c.Name)
		}
		if want := []string{"findpid", "setstate"}; !slices.Equal(names, want) {
			t.Errorf("%s: cosmetic body changes of %v, want %v", engine, names, want)
		}
	}
}

// TestMacroParametersRenamed: a macro whose parameters are renamed, its
// replacement alike, changes as a reviewer sees it and cosmetically; one
// whose replacement also changes is a real change.
func TestMacroParametersRenamed(t *testing.T) {
	old := Parse(context.Background(), "trace.h", []byte("#define TRACE(a, b)\n#define MAX(x, y) ((x) > (y) ? (x) : (y))\n#define MIN(x, y) ((x) < (y) ? (x) : (y))\n"), Config{Engine: EngineChoiceTolerant})
	new := Parse(context.Background(), "trace.h", []byte("#define TRACE(a, depth)\n#define MAX(p, q) ((p) > (q) ? (p) : (q))\n#define MIN(p, q) ((p) <= (q) ? (p) : (q))\n"), Config{Engine: EngineChoiceTolerant})
	got := map[string]Change{}
	for _, c := range Diff(old, new) {
		got[c.Name] = c
	}
	for _, name := range []string{"TRACE", "MAX"} {
		if c := got[name]; c.Change != ChangeChanged || !c.Cosmetic || c.Detail != DetailParametersRenamed {
			t.Errorf("%s: %+v, want a cosmetic change with parameters renamed only", name, c)
		}
	}
	if c := got["MIN"]; c.Change != ChangeChanged || c.Cosmetic {
		t.Errorf("MIN: %+v, want a real change", c)
	}
}

// TestMacroLayoutNeedsPrecise: file.c is byte-identical in both trees; only
// a header macro it uses for an array size changed.
func TestMacroLayoutNeedsPrecise(t *testing.T) {
	changes, old, _ := diffPair(t, "macro_layout", "file.c", EngineChoicePrecise)
	if len(old.DependsOn) != 1 || old.DependsOn[0] != "include/param.h" {
		t.Errorf("DependsOn = %v, want [include/param.h]", old.DependsOn)
	}
	if len(changes) != 1 || changes[0].Entity != EntityType || changes[0].Change != ChangeLayout || !strings.Contains(changes[0].Detail, "size 264 -> 392") {
		t.Errorf("precise: want one layout change of struct ofile with its size, got:\n%s", formatChanges(changes))
	}
	changes, _, _ = diffPair(t, "macro_layout", "file.c", EngineChoiceTolerant)
	if len(changes) != 0 {
		t.Errorf("tolerant cannot see through the header, yet reported:\n%s", formatChanges(changes))
	}
}

func TestAutoFallsBackWhenIncludeMissing(t *testing.T) {
	src := []byte("#include \"missing.h\"\nint f(int x) { return x; }\n")
	sum := Parse(context.Background(), "a.c", src, Config{Predefined: abi.Predefined, FS: fstest.MapFS{}, Engine: EngineAuto})
	if sum.Engine != EngineTolerant {
		t.Fatalf("engine = %s, want tolerant", sum.Engine)
	}
	if len(sum.Errors) == 0 || !strings.Contains(sum.Errors[0].Msg, "missing.h") {
		t.Errorf("errors %v should say the precise engine failed on missing.h", sum.Errors)
	}
	if len(sum.Functions) != 1 || sum.Functions[0].Name != "f" {
		t.Errorf("functions = %+v, want f", sum.Functions)
	}
	// Without a tree, auto quietly uses the tolerant engine.
	sum = Parse(context.Background(), "a.c", src, Config{})
	if sum.Engine != EngineTolerant || len(sum.Errors) != 0 {
		t.Errorf("no FS: engine %s, errors %v", sum.Engine, sum.Errors)
	}
}

func TestTypeErrorFallsBack(t *testing.T) {
	src := []byte("int f(void) { return undeclared_name; }\n")
	sum := Parse(context.Background(), "a.c", src, Config{Predefined: abi.Predefined, FS: fstest.MapFS{}})
	if sum.Engine != EngineTolerant || len(sum.Errors) == 0 || !strings.Contains(sum.Errors[0].Msg, "undeclared_name") {
		t.Errorf("engine %s, errors %v: want tolerant fallback naming the undefined identifier", sum.Engine, sum.Errors)
	}
}

func TestDefinesReachPrecise(t *testing.T) {
	src := []byte("struct s { char b[N]; };\n")
	sum := Parse(context.Background(), "a.c", src, Config{Predefined: abi.Predefined, FS: fstest.MapFS{}, Defines: []string{"N=12"}, Engine: EngineChoicePrecise})
	if sum.Engine != EnginePrecise || len(sum.Types) != 1 || sum.Types[0].Size != 12 {
		t.Fatalf("engine %s, types %+v, errors %v: want struct s of size 12", sum.Engine, sum.Types, sum.Errors)
	}
}

func TestUnreadableInput(t *testing.T) {
	bin := []byte("\x7fELF\x00\x00\x01int f(void);")
	sum := Parse(context.Background(), "a.c", bin, Config{})
	if len(sum.Errors) != 1 || !strings.Contains(sum.Errors[0].Msg, "binary") || len(sum.Functions) != 0 {
		t.Errorf("binary input: errors %v, functions %v", sum.Errors, sum.Functions)
	}
	huge := make([]byte, MaxFileSize+1)
	for i := range huge {
		huge[i] = ' '
	}
	sum = Parse(context.Background(), "a.c", huge, Config{})
	if len(sum.Errors) != 1 || !strings.Contains(sum.Errors[0].Msg, "too large") {
		t.Errorf("huge input: errors %v", sum.Errors)
	}
}

func TestTimeoutStopsTolerantParse(t *testing.T) {
	var b strings.Builder
	for b.Len() < 4<<20 {
		b.WriteString("int f(int a) { if (a) { return g(a, (b) * c); } return ((((a)))); }\n")
	}
	sum := Parse(context.Background(), "big.c", []byte(b.String()), Config{Timeout: time.Millisecond, Engine: EngineChoiceTolerant})
	if len(sum.Errors) == 0 || !strings.Contains(sum.Errors[0].Msg, "stopped") {
		t.Errorf("errors %v: want the parse reported as stopped", sum.Errors)
	}
}

func TestFingerprint(t *testing.T) {
	base := Config{IncludePaths: []string{"include"}, Defines: []string{"A=1"}}
	if base.Fingerprint() != (Config{IncludePaths: []string{"include"}, Defines: []string{"A=1"}, Engine: EngineAuto}).Fingerprint() {
		t.Error("the default engine and auto should fingerprint alike")
	}
	for name, other := range map[string]Config{
		"define":     {IncludePaths: []string{"include"}, Defines: []string{"A=2"}},
		"include":    {IncludePaths: []string{"inc"}, Defines: []string{"A=1"}},
		"engine":     {IncludePaths: []string{"include"}, Defines: []string{"A=1"}, Engine: EngineChoiceTolerant},
		"fs":         {IncludePaths: []string{"include"}, Defines: []string{"A=1"}, FS: fstest.MapFS{}},
		"lang":       {IncludePaths: []string{"include"}, Defines: []string{"A=1"}, Lang: LangCPP},
		"predefined": {IncludePaths: []string{"include"}, Defines: []string{"A=1"}, Predefined: "#define X 1\n"},
	} {
		if other.Fingerprint() == base.Fingerprint() {
			t.Errorf("changing %s does not change the fingerprint", name)
		}
	}
}

func TestDiffOfNilIsAllAddedOrRemoved(t *testing.T) {
	sum := summarizeFixture(t, "testdata/src", "gnu.c", EngineChoicePrecise)
	added := Diff(nil, sum)
	removed := Diff(sum, nil)
	if len(added) == 0 || len(added) != len(removed) {
		t.Fatalf("%d added, %d removed", len(added), len(removed))
	}
	for i := range added {
		if added[i].Change != ChangeAdded || removed[i].Change != ChangeRemoved {
			t.Errorf("change %d: %+v / %+v", i, added[i], removed[i])
		}
	}
	if len(Diff(sum, sum)) != 0 {
		t.Error("a summary differs from itself")
	}
}

func TestRecursiveIncludesTerminate(t *testing.T) {
	fsys := fstest.MapFS{
		"once.h":  {Data: []byte("#pragma once\n#include \"once.h\"\nstruct once { int a; };\n")},
		"loop.h":  {Data: []byte("#include \"loop.h\"\n")},
		"a.c":     {Data: []byte("#include \"once.h\"\nstruct once o;\n")},
		"b.c":     {Data: []byte("#include \"loop.h\"\nint b;\n")},
		"dir/c.h": {Data: []byte("#include <c.h>\n")},
	}
	a := Parse(context.Background(), "a.c", fsys["a.c"].Data, Config{Predefined: abi.Predefined, FS: fsys})
	if a.Engine != EnginePrecise {
		t.Errorf("#pragma once header: engine %s, errors %v", a.Engine, a.Errors)
	}
	start := time.Now()
	b := Parse(context.Background(), "b.c", fsys["b.c"].Data, Config{Predefined: abi.Predefined, FS: fsys})
	if b.Engine != EngineTolerant || len(b.Errors) == 0 || !strings.Contains(b.Errors[0].Msg, "loop.h") {
		t.Errorf("self-including header: engine %s, errors %v (after %v)", b.Engine, b.Errors, time.Since(start))
	}
	// <c.h> could reach dir/c.h itself through an include path.
	c := Parse(context.Background(), "dir/c.h", fsys["dir/c.h"].Data, Config{Predefined: abi.Predefined, FS: fsys, IncludePaths: []string{"dir"}})
	if c.Engine != EngineTolerant || len(c.Errors) == 0 || !strings.Contains(c.Errors[0].Msg, "c.h") {
		t.Errorf("<c.h> from dir/c.h: engine %s, errors %v", c.Engine, c.Errors)
	}
}

// TestParseConcurrently: the analyzer summarizes files in parallel; the
// engines share parser pools and cc/v4's source cache.
func TestParseConcurrently(t *testing.T) {
	want := map[string]string{}
	for _, file := range sourceFixtures(t) {
		want[file] = formatSummaryKey(summarizeFixture(t, "testdata/src", file, EngineAuto))
	}
	done := make(chan error)
	for g := 0; g < 4; g++ {
		go func() {
			for file, w := range want {
				if got := formatSummaryKey(summarizeFixture(t, "testdata/src", file, EngineAuto)); got != w {
					done <- fmt.Errorf("%s: concurrent summary differs:\n%s\nwant\n%s", file, got, w)
					return
				}
			}
			done <- nil
		}()
	}
	for g := 0; g < 4; g++ {
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
}

func formatSummaryKey(s *Summary) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func TestObsoleteDesignatorsReachPrecise(t *testing.T) {
	src := []byte("enum { A, B };\nstatic char *names[] = {\n  [A]   \"a\",\n  [B] \"b\",\n};\nint table[4] = { [0 ... 2] 1, [3]= 2 };\nint f(int *v) { return v[1] + v [0]; }\n")
	sum := Parse(context.Background(), "a.c", src, Config{Predefined: abi.Predefined, FS: fstest.MapFS{}, Engine: EngineChoicePrecise})
	if sum.Engine != EnginePrecise {
		t.Fatalf("engine %s, errors %v", sum.Engine, sum.Errors)
	}
	tol := Parse(context.Background(), "a.c", src, Config{Engine: EngineChoiceTolerant})
	// The rewrite is for cc/v4 only: hashes come from the text as written.
	if len(sum.Globals) != 2 || len(tol.Globals) != 2 || sum.Globals[0].InitHash != tol.Globals[0].InitHash {
		t.Errorf("globals precise %+v, tolerant %+v", sum.Globals, tol.Globals)
	}
	if got := string(RewriteObsoleteDesignators(src)); strings.Count(got, "]=") != 4 {
		t.Errorf("rewrite gave %q", got)
	}
}

// TestHeaderTranslatedAfterItsIncluders: a header that is not
// self-contained is translated after what a source file including it
// includes first.
func TestHeaderTranslatedAfterItsIncluders(t *testing.T) {
	fsys := fstest.MapFS{
		"k/types.h": {Data: []byte("typedef unsigned int uint;\n")},
		"k/param.h": {Data: []byte("#define NBUF 8\n")},
		"k/buf.h":   {Data: []byte("struct buf { uint flags; uint data[NBUF]; };\n")},
		"k/bio.c":   {Data: []byte("#include \"types.h\"\n#include \"param.h\"\n#include \"buf.h\"\nstruct buf b;\n")},
		"k/main.c":  {Data: []byte("#include \"buf.h\"\n")},
	}
	sum := Parse(context.Background(), "k/buf.h", fsys["k/buf.h"].Data, Config{Predefined: abi.Predefined, FS: fsys})
	if sum.Engine != EnginePrecise {
		t.Fatalf("engine %s, errors %v", sum.Engine, sum.Errors)
	}
	if len(sum.Types) != 1 || sum.Types[0].Size != 36 {
		t.Errorf("types %+v: want struct buf of 36 bytes", sum.Types)
	}
	want := "k/bio.c k/param.h k/types.h"
	if got := strings.Join(sum.DependsOn, " "); got != want {
		t.Errorf("DependsOn %q, want %q", got, want)
	}
	// Entities of the prelude's headers are not the header's.
	if len(sum.Typedefs) != 0 || len(sum.Macros) != 0 {
		t.Errorf("typedefs %v, macros %v leaked from the includes", sum.Typedefs, sum.Macros)
	}
}

func TestAttributeMacrosAfterDeclarators(t *testing.T) {
	src := []byte("void debug_init(void) VISIBLE;\nint set(int v) NONNULL(1) PURE;\nint *p = (int *) NULL;\nint *q = (int *) 0;\nstatic void run(void) NORETURN {\n  for (;;) ;\n}\n")
	sum := Parse(context.Background(), "d.h", src, Config{Engine: EngineChoiceTolerant})
	var names []string
	for _, f := range sum.Functions {
		names = append(names, f.Name+":"+f.Signature)
	}
	if got := strings.Join(names, " "); got != "debug_init:void (void) set:int (int) run:void (void)" {
		t.Errorf("functions %q", got)
	}
	if len(sum.Globals) != 2 || sum.Globals[0].InitHash == sum.Globals[1].InitHash {
		t.Errorf("globals %+v: the casts of NULL and 0 must hash apart", sum.Globals)
	}
}

// TestDanglingPointerDeclarator: cc/v4 never returns on these; the precise
// engine must not hand them to it.
func TestDanglingPointerDeclarator(t *testing.T) {
	for _, src := range []string{"*", "int *;", "struct s { int *; };", "int *}", "int x; /* c */ int * ;\n#define A 1\n"} {
		start := time.Now()
		sum := Parse(context.Background(), "a.c", []byte(src), Config{Predefined: abi.Predefined, FS: fstest.MapFS{}, Engine: EngineChoicePrecise, Timeout: 5 * time.Second})
		if len(sum.Errors) == 0 || !strings.Contains(sum.Errors[0].Msg, "pointer declarator") || time.Since(start) > 4*time.Second {
			t.Errorf("%q: errors %v after %v", src, sum.Errors, time.Since(start))
		}
	}
	for _, src := range []string{"int *x;", "int *; int y;", "int f(int *);", "int *p, **q;\n#define P *\n"} {
		if danglingPointerDeclarator([]byte(src)) {
			t.Errorf("%q flagged", src)
		}
	}
}

func TestOddButValidText(t *testing.T) {
	for name, src := range map[string]string{
		"crlf":     "#define A 1\r\n#define B(x) \\\r\n  ((x) + A)\r\nint f(int a)\r\n{\r\n  return B(a);\r\n}\r\n",
		"bom":      "\xef\xbb\xbf#define A 1\nint f(int a) { return a + A; }\n",
		"empty":    "",
		"comments": "/* nothing */\n// at all\n",
	} {
		for _, engine := range []EngineChoice{EngineChoicePrecise, EngineChoiceTolerant} {
			sum := Parse(context.Background(), "a.c", []byte(src), Config{Predefined: abi.Predefined, FS: fstest.MapFS{}, Engine: engine})
			if string(sum.Engine) != string(engine) || len(sum.Errors) != 0 {
				t.Errorf("%s/%s: engine %s, errors %v", name, engine, sum.Engine, sum.Errors)
			}
			wantFns, wantMacros := 1, 1
			switch name {
			case "empty", "comments":
				wantFns, wantMacros = 0, 0
			case "crlf":
				wantMacros = 2
			}
			if len(sum.Functions) != wantFns || len(sum.Macros) != wantMacros {
				t.Errorf("%s/%s: %d functions, %d macros", name, engine, len(sum.Functions), len(sum.Macros))
			}
		}
	}
}

// TestLineEndingsAreNoChange: converting a file to CRLF is a whitespace
// edit.
func TestLineEndingsAreNoChange(t *testing.T) {
	src, err := os.ReadFile("testdata/src/proc.c")
	if err != nil {
		t.Fatal(err)
	}
	crlf := []byte(strings.ReplaceAll(string(src), "\n", "\r\n"))
	for _, engine := range []EngineChoice{EngineChoicePrecise, EngineChoiceTolerant} {
		cfg := Config{Predefined: abi.Predefined, FS: os.DirFS("testdata/src"), Engine: engine}
		old := Parse(context.Background(), "proc.c", src, cfg)
		new := Parse(context.Background(), "proc.c", crlf, cfg)
		if changes := Diff(old, new); len(changes) != 0 || old.Engine != new.Engine {
			t.Errorf("%s: engines %s/%s, changes:\n%s", engine, old.Engine, new.Engine, formatChanges(changes))
		}
	}
}

// invokesMacroAt reports whether the fixture file holds a function-like
// macro invocation ("COUNTER(hits)") at off.
func invokesMacroAt(t *testing.T, file string, off int) bool {
	src, err := os.ReadFile("testdata/src/" + file)
	if err != nil {
		t.Fatal(err)
	}
	toks := lexTokens(src, off, len(src))
	return len(toks) > 1 && toks[0].start == off && isIdentByte(toks[0].text[0]) && toks[1].text == "(" &&
		toks[0].text != "struct" && toks[0].text != "union" && toks[0].text != "enum"
}

// TestManyParamsFinish guards issue 21's hang: a prototype with 100,000
// parameters took minutes (a quadratic child walk). Both engines must
// summarize it well inside the default per-file budget; the figure is
// BenchmarkManyParams's. (With names it is over MaxPreciseSize, which
// TestPreciseLimits covers.)
func TestManyParamsFinish(t *testing.T) {
	for _, named := range []bool{false, true} {
		src := manyParams(100_000, named)
		for _, engine := range []EngineChoice{EngineChoiceTolerant, EngineChoicePrecise} {
			if engine == EngineChoicePrecise && len(src) > MaxPreciseSize {
				continue
			}
			sum := Parse(context.Background(), "many.c", src, Config{Predefined: abi.Predefined, Engine: engine, FS: fstest.MapFS{}})
			if len(sum.Errors) != 0 || len(sum.Functions) != 1 {
				t.Fatalf("%s, named=%v: errors %v, %d functions", engine, named, sum.Errors, len(sum.Functions))
			}
			if got := strings.Count(sum.Functions[0].Signature, ","); got != 99_999 {
				t.Errorf("%s, named=%v: signature has %d commas, want 99999", engine, named, got)
			}
		}
	}
}
