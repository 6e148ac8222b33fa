package cparse

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// benchCorpus is the fixtures of one language, concatenated per file.
func benchCorpus(b *testing.B, lang Lang) (files []string, srcs [][]byte, total int64) {
	for _, file := range sourceFixtures(b) {
		if l, _ := LangOf(file); l != lang {
			continue
		}
		src, err := os.ReadFile(filepath.Join("testdata/src", file))
		if err != nil {
			b.Fatal(err)
		}
		files = append(files, file)
		srcs = append(srcs, src)
		total += int64(len(src))
	}
	return files, srcs, total
}

func benchEngine(b *testing.B, lang Lang, cfg Config, want Engine) {
	files, srcs, total := benchCorpus(b, lang)
	b.SetBytes(total)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for j, src := range srcs {
			if sum := Parse(context.Background(), files[j], src, cfg); sum.Engine != want {
				b.Fatalf("%s: engine %s, errors %v", files[j], sum.Engine, sum.Errors)
			}
		}
	}
}

func BenchmarkTolerantC(b *testing.B) {
	benchEngine(b, LangC, Config{Engine: EngineChoiceTolerant}, EngineTolerant)
}

func BenchmarkTolerantCPP(b *testing.B) {
	benchEngine(b, LangCPP, Config{Engine: EngineChoiceTolerant}, EngineTolerant)
}

func BenchmarkPreciseC(b *testing.B) {
	benchEngine(b, LangC, Config{Engine: EngineChoicePrecise, FS: os.DirFS("testdata/src")}, EnginePrecise)
}

func BenchmarkDiff(b *testing.B) {
	old := summarizeFixture(b, "testdata/diff/c_entities/old", "fs.c", EngineChoicePrecise)
	new := summarizeFixture(b, "testdata/diff/c_entities/new", "fs.c", EngineChoicePrecise)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		Diff(old, new)
	}
}
