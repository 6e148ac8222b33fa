package patch_test

import (
	"errors"
	"fmt"
	"math/rand"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/upsynth/upsynth/patch"
)

// hunkPatch writes the git diff that replaces old[i:j] by repl in file f,
// with up to ctx lines of context on each side.
func hunkPatch(f string, old []string, i, j int, repl []string, ctx int) string {
	lo, hi := max(0, i-ctx), min(len(old), j+ctx)
	var b strings.Builder
	fmt.Fprintf(&b, "diff --git a/%s b/%s\n--- a/%s\n+++ b/%s\n", f, f, f, f)
	oldN, newN := hi-lo, hi-lo-(j-i)+len(repl)
	oldStart, newStart := lo+1, lo+1
	if oldN == 0 {
		oldStart = lo
	}
	if newN == 0 {
		newStart = lo
	}
	fmt.Fprintf(&b, "@@ -%d,%d +%d,%d @@\n", oldStart, oldN, newStart, newN)
	for _, l := range old[lo:i] {
		b.WriteString(" " + l + "\n")
	}
	for _, l := range old[i:j] {
		b.WriteString("-" + l + "\n")
	}
	for _, l := range repl {
		b.WriteString("+" + l + "\n")
	}
	for _, l := range old[j:hi] {
		b.WriteString(" " + l + "\n")
	}
	return b.String()
}

func lines(rng *rand.Rand, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("line %d", rng.Intn(1000000))
	}
	return out
}

func join(ls []string) string {
	if len(ls) == 0 {
		return ""
	}
	return strings.Join(ls, "\n") + "\n"
}

// TestApplyProperty: a one-hunk patch that replaces lines of a file gives
// the edited file, where it was made and on a file with lines added above
// the hunk (found at its offset); on a file where the replaced lines differ
// it is refused naming hunk 1.
func TestApplyProperty(t *testing.T) {
	rng := rand.New(rand.NewSource(22))
	for n := 0; n < 500; n++ {
		old := lines(rng, 1+rng.Intn(30))
		i := rng.Intn(len(old) + 1)
		j := i + rng.Intn(len(old)-i+1)
		repl := lines(rng, rng.Intn(4))
		if i == j && len(repl) == 0 {
			continue
		}
		want := append(append(append([]string{}, old[:i]...), repl...), old[j:]...)
		ps, err := patch.Parse("p.patch", []byte(hunkPatch("k/f.c", old, i, j, repl, 3)))
		if err != nil {
			t.Fatalf("case %d: %v", n, err)
		}
		for _, above := range [][]string{nil, lines(rng, 1+rng.Intn(5))} {
			fsys := fstest.MapFS{"k/f.c": {Data: []byte(join(append(append([]string{}, above...), old...)))}}
			es, err := ps[0].Edits(fsys)
			if err != nil {
				t.Fatalf("case %d (%d lines above): %v\n%s", n, len(above), err, hunkPatch("k/f.c", old, i, j, repl, 3))
			}
			if got := string(es[0].Data); got != join(append(append([]string{}, above...), want...)) {
				t.Fatalf("case %d (%d lines above): got\n%s\nwant\n%s", n, len(above), got, join(want))
			}
		}
		if i < j {
			changed := append([]string{}, old...)
			changed[i] = "something else"
			_, err := ps[0].Edits(fstest.MapFS{"k/f.c": {Data: []byte(join(changed))}})
			var ae *patch.ApplyError
			if !errors.As(err, &ae) || ae.Hunk != 1 || ae.File != "k/f.c" {
				t.Fatalf("case %d: a changed line: %v, want hunk 1 of k/f.c refused", n, err)
			}
		}
	}
}
