package cparse

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/upsynth/upsynth/runtime/cputime"
	"github.com/upsynth/upsynth/runtime/emu/abi"
)

// benchCorpus is the files of one language in dir: testdata/src holds
// the short, declaration-dense test fixtures; testdata/bench holds
// kernel-style C with long function bodies, closer to what callers parse.
func benchCorpus(b *testing.B, dir string, lang Lang) (files []string, srcs [][]byte, total int64) {
	var all []string
	err := fs.WalkDir(os.DirFS(dir), ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			all = append(all, p)
		}
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	for _, file := range all {
		switch path.Ext(file) {
		case ".c", ".h", ".cc", ".hpp":
		default:
			continue
		}
		if l, _ := LangOf(file); l != lang {
			continue
		}
		src, err := os.ReadFile(filepath.Join(dir, file))
		if err != nil {
			b.Fatal(err)
		}
		files = append(files, file)
		srcs = append(srcs, src)
		total += int64(len(src))
	}
	return files, srcs, total
}

func benchEngine(b *testing.B, dir string, lang Lang, cfg Config, want Engine) {
	files, srcs, total := benchCorpus(b, dir, lang)
	b.SetBytes(total)
	b.ResetTimer()
	cpu := cputime.Process()
	for i := 0; i < b.N; i++ {
		for j, src := range srcs {
			if sum := Parse(context.Background(), files[j], src, cfg); sum.Engine != want {
				b.Fatalf("%s: engine %s, errors %v", files[j], sum.Engine, sum.Errors)
			}
		}
	}
	if used := cputime.Process() - cpu; used > 0 {
		b.ReportMetric(float64(total)*float64(b.N)/used.Seconds()/1e6, "MB/cpu-s")
	}
}

func BenchmarkTolerantC(b *testing.B) {
	benchEngine(b, "testdata/src", LangC, Config{Engine: EngineChoiceTolerant}, EngineTolerant)
}

// BenchmarkTolerantKernelC parses kernel-style C (testdata/bench).
func BenchmarkTolerantKernelC(b *testing.B) {
	benchEngine(b, "testdata/bench", LangC, Config{Engine: EngineChoiceTolerant}, EngineTolerant)
}

// BenchmarkTolerantDirC parses the C files under $CPARSE_BENCH_DIR (a
// kernel checkout, say), to compare with the fixtures' figures.
func BenchmarkTolerantDirC(b *testing.B) {
	dir := os.Getenv("CPARSE_BENCH_DIR")
	if dir == "" {
		b.Skip("CPARSE_BENCH_DIR not set")
	}
	benchEngine(b, dir, LangC, Config{Engine: EngineChoiceTolerant}, EngineTolerant)
}

func BenchmarkTolerantCPP(b *testing.B) {
	benchEngine(b, "testdata/src", LangCPP, Config{Engine: EngineChoiceTolerant}, EngineTolerant)
}

func BenchmarkPreciseC(b *testing.B) {
	benchEngine(b, "testdata/src", LangC, Config{Engine: EngineChoicePrecise, FS: os.DirFS("testdata/src"), Predefined: abi.Predefined}, EnginePrecise)
}

func BenchmarkDiff(b *testing.B) {
	old := summarizeFixture(b, "testdata/diff/c_entities/old", "fs.c", EngineChoicePrecise)
	new := summarizeFixture(b, "testdata/diff/c_entities/new", "fs.c", EngineChoicePrecise)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		Diff(old, new)
	}
}

// BenchmarkDiffWholeFile diffs a vendor register header against nothing,
// as when a commit deletes it whole (FreeRTOS's 210b1ffcc87b deletes
// thousands, 838,445 macros in all): the classifier derives such a file's
// removals from its summary every time it needs them.
func BenchmarkDiffWholeFile(b *testing.B) {
	var src strings.Builder
	for i := range 10_000 {
		fmt.Fprintf(&src, "#define REG_%d_BIT_%d (*(volatile unsigned long *)0x%08x)\n", i/8, i%8, 0x40000000+4*i)
	}
	for i := range 200 {
		fmt.Fprintf(&src, "struct regs_%d { unsigned long a, b; };\nvoid handler_%d(void) { }\n", i, i)
	}
	sum := Parse(context.Background(), "Demo/vendor/regs.h", []byte(src.String()), Config{Engine: EngineChoiceTolerant})
	if len(sum.Macros) != 10_000 {
		b.Fatalf("macros = %d, want 10000", len(sum.Macros))
	}
	b.ResetTimer()
	for b.Loop() {
		Diff(sum, nil)
	}
	b.ReportMetric(float64(b.N*len(sum.Macros))/b.Elapsed().Seconds(), "macros/s")
}

// manyParams is a prototype with n parameters: "int f(int, int, ...);",
// or "int f(int a0, int a1, ...);" when named.
func manyParams(n int, named bool) []byte {
	var b strings.Builder
	b.WriteString("int f(")
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("int")
		if named {
			fmt.Fprintf(&b, " a%d", i)
		}
	}
	b.WriteString(");\n")
	return []byte(b.String())
}

// BenchmarkManyParams is issue 21's hang: a prototype with 100,000
// parameters, which a child walk by index (and a scan of every excluded
// parameter name per token) made quadratic.
func BenchmarkManyParams(b *testing.B) {
	for _, named := range []bool{false, true} {
		for _, engine := range []EngineChoice{EngineChoiceTolerant, EngineChoicePrecise} {
			src := manyParams(100_000, named)
			if engine == EngineChoicePrecise && len(src) > MaxPreciseSize {
				continue // the precise engine refuses it (TestPreciseLimits)
			}
			b.Run(fmt.Sprintf("named=%v/%s", named, engine), func(b *testing.B) {
				cfg := Config{Engine: engine, FS: fstest.MapFS{}, Predefined: abi.Predefined}
				b.SetBytes(int64(len(src)))
				for b.Loop() {
					sum := Parse(context.Background(), "many.c", src, cfg)
					if len(sum.Functions) != 1 || len(sum.Errors) != 0 {
						b.Fatalf("unexpected summary: %d functions, errors %v", len(sum.Functions), sum.Errors)
					}
				}
			})
		}
	}
}
