package cparse

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
)

// pairVisit is one call of pairByName's visit.
type pairVisit struct {
	name     string
	o, n     int
	oin, nin bool
}

type namedItem struct {
	name string
	id   int
}

// pairsOf records what pair visits, in order.
func pairsOf(pair func([]namedItem, []namedItem, func(namedItem) string, func(string, namedItem, namedItem, bool, bool)), old, new []namedItem) []pairVisit {
	var out []pairVisit
	pair(old, new, func(x namedItem) string { return x.name }, func(name string, o, n namedItem, oin, nin bool) {
		out = append(out, pairVisit{name, o.id, n.id, oin, nin})
	})
	return out
}

// TestPairByNameAsKeyed checks pairByName against pairing by keyed's keys
// on random sides that repeat names, share a prefix, differ past it, and
// sometimes hold a name with '#' (which keyed's keys can collide with).
func TestPairByNameAsKeyed(t *testing.T) {
	names := []string{"a", "b", "c", "d", "e", "f"}
	for seed := range uint64(3000) {
		rng := rand.New(rand.NewPCG(seed, 7))
		id := 0
		side := func(n int) []namedItem {
			var out []namedItem
			for range n {
				id++
				name := names[rng.IntN(len(names))]
				if rng.IntN(40) == 0 {
					name += "#2"
				}
				out = append(out, namedItem{name, id})
			}
			return out
		}
		old := side(rng.IntN(12))
		// The new side: the old one's names, edited (most versions of a
		// file keep most of its entities in order).
		var new []namedItem
		for _, o := range old {
			switch rng.IntN(6) {
			case 0: // removed
			case 1: // another entity in its place
				new = append(new, side(1)...)
			default:
				id++
				new = append(new, namedItem{o.name, id})
			}
			if rng.IntN(8) == 0 {
				new = append(new, side(1)...)
			}
		}
		if rng.IntN(4) == 0 {
			rng.Shuffle(len(new), func(i, j int) { new[i], new[j] = new[j], new[i] })
		}
		got := pairsOf(pairByName[namedItem], old, new)
		want := pairsOf(pairByKeys[namedItem], old, new)
		if len(old) == 0 || len(new) == 0 {
			continue // pairByName's shortcut for a side empty, checked by TestDiffWholeFileAsGeneral
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("seed %d: old %v new %v\npairByName: %v\nby keys:    %v", seed, old, new, got, want)
		}
	}
}

// BenchmarkDiffModifiedHeader diffs two versions of a vendor register
// header that differ in a few of their 10,000 macros, as FreeRTOS's demo
// trees change them commit after commit.
func BenchmarkDiffModifiedHeader(b *testing.B) {
	header := func(version int) *Summary {
		s := &Summary{Lang: LangC, Engine: EngineTolerant, Header: true}
		for i := range 10_000 {
			value := fmt.Sprintf("%08x", 0x40000000+4*i)
			if i%1000 == 999 {
				value += fmt.Sprint(version)
			}
			s.Macros = append(s.Macros, Macro{Name: fmt.Sprintf("REG_%d_BIT_%d", i/8, i%8), ValueHash: value})
		}
		if version > 0 {
			// One register added in the middle: the names past it no longer
			// line up by position.
			s.Macros = append(s.Macros[:5000], append([]Macro{{Name: "REG_NEW", ValueHash: "1"}}, s.Macros[5000:]...)...)
		}
		return s
	}
	old, new := header(0), header(1)
	if n := len(Diff(old, new)); n != 11 {
		b.Fatalf("%d changes, want 11 (10 values changed, 1 macro added)", n)
	}
	b.ReportAllocs()
	for b.Loop() {
		Diff(old, new)
	}
}
