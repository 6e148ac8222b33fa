package classify

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/upsynth/upsynth/cparse"
	"github.com/upsynth/upsynth/kernel"
)

// A file added or removed whole may leave its changes to the classifier
// (DeriveChanges). Property: a commit's classification and purpose are
// the same whether its caller diffed such files or not — moves between a
// deleted file and an added or edited one included — and whether the
// caller paired the moves once (MatchMoves) or each pass did.
func TestDerivedChangesClassifyAlike(t *testing.T) {
	cfg, err := kernel.Parse("upsynth.yaml", nil)
	if err != nil {
		t.Fatal(err)
	}
	for seed := range uint64(300) {
		rng := rand.New(rand.NewPCG(seed, 20261205))
		diffed, derived := randomCommit(rng)
		want, got := Commit(cfg, diffed, facts{}), Commit(cfg, derived, facts{})
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("seed %d: derived changes classify as\n%+v\nwant\n%+v", seed, got, want)
		}
		wantPurpose, wantWhy := purposeByRules(cfg, "1", "move things around", diffed)
		gotPurpose, gotWhy := purposeByRules(cfg, "1", "move things around", derived)
		if gotPurpose != wantPurpose || gotWhy != wantWhy {
			t.Fatalf("seed %d: purpose %s (%s), want %s (%s)", seed, gotPurpose, gotWhy, wantPurpose, wantWhy)
		}
		// Moves paired once by the caller (as analyze does) classify the
		// same as moves each pass pairs itself.
		matched := MatchMoves(derived)
		if got := Commit(cfg, matched, facts{}); !reflect.DeepEqual(got, want) {
			t.Fatalf("seed %d: moves paired by MatchMoves classify as\n%+v\nwant\n%+v", seed, got, want)
		}
		if gotPurpose, gotWhy = purposeByRules(cfg, "1", "move things around", matched); gotPurpose != wantPurpose || gotWhy != wantWhy {
			t.Fatalf("seed %d: moves paired by MatchMoves: purpose %s (%s), want %s (%s)", seed, gotPurpose, gotWhy, wantPurpose, wantWhy)
		}
	}
}

// randomCommit is a commit of a few files added, removed or edited, whose
// entities share names often enough to make moves, twice: once with every
// file's changes diffed by the caller, once with the whole files' left to
// the classifier.
func randomCommit(rng *rand.Rand) (diffed, derived []File) {
	names := []string{"alloc", "free", "init", "lock", "tick"}
	summary := func(path string) *cparse.Summary {
		s := sum(path, P)
		s.TokenHash = fmt.Sprint(rng.IntN(3))
		for _, n := range names {
			switch rng.IntN(4) {
			case 0:
				s.Functions = append(s.Functions, def(n, "int (void)"))
			case 1:
				s.Functions = append(s.Functions, cparse.Function{Name: n, Signature: "long (void)", BodyHash: fmt.Sprint(rng.IntN(2)), Definition: true})
			case 2:
				s.Macros = append(s.Macros, cparse.Macro{Name: "CONFIG_" + n, ValueHash: fmt.Sprint(rng.IntN(2))})
			}
		}
		return s
	}
	for i := range 2 + rng.IntN(5) {
		path := fmt.Sprintf("kernel/f%d.%s", i, []string{"c", "h"}[rng.IntN(2)])
		f := File{Path: path}
		switch rng.IntN(3) {
		case 0:
			f.New = &Version{Blob: fmt.Sprint("n", i), Summary: summary(path)}
		case 1:
			f.Old = &Version{Blob: fmt.Sprint("o", i), Summary: summary(path)}
		default:
			f.Old = &Version{Blob: fmt.Sprint("o", i), Summary: summary(path)}
			f.New = &Version{Blob: fmt.Sprint("n", i), Summary: summary(path)}
		}
		whole := f.Old == nil || f.New == nil
		d := f
		d.Changes = cparse.Diff(summaryOf(f.Old), summaryOf(f.New))
		diffed = append(diffed, d)
		if whole {
			f.DeriveChanges = true
		} else {
			f.Changes = d.Changes
		}
		derived = append(derived, f)
	}
	return diffed, derived
}
