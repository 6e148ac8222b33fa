package synth

import (
	"testing"
	"testing/fstest"

	"github.com/upsynth/upsynth/corpus"
	"github.com/upsynth/upsynth/kernel"
	"github.com/upsynth/upsynth/runtime"
)

// BenchmarkEmitRich plans and generates the fixture update (one module).
func BenchmarkEmitRich(b *testing.B) {
	for i := 0; i < b.N; i++ {
		p := richPlan(b)
		if _, err := Generate(p); err != nil {
			b.Fatal(err)
		}
		PlanMarkdown(p)
	}
}

// BenchmarkEmitCorpusHeader plans and generates a corpus commit that
// changes a header (include/ipc.h): every module is inspected to find its
// includers, which are all recompiled.
func BenchmarkEmitCorpusHeader(b *testing.B) {
	commits, err := corpus.History()
	if err != nil {
		b.Fatal(err)
	}
	trees, err := corpus.Trees()
	if err != nil {
		b.Fatal(err)
	}
	i := 0
	for i = range commits {
		if commits[i].ID == "0032-pipe-buf-1k" {
			break
		}
	}
	toFS := func(t corpus.Tree) fstest.MapFS {
		m := fstest.MapFS{}
		for p, c := range t {
			m[p] = &fstest.MapFile{Data: c}
		}
		return m
	}
	old, new := toFS(trees[i-1]), toFS(trees[i])
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		p, err := MakePlan(Input{Name: commits[i].ID, Old: kernel.TreeOf(old, "old", kernel.Config{Include: corpus.IncludePaths}), New: kernel.TreeOf(new, "new", kernel.Config{Include: corpus.IncludePaths}), Changes: ChangeSet{Class: "interface"}, Mode: runtime.Eager})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := Generate(p); err != nil {
			b.Fatal(err)
		}
	}
}
