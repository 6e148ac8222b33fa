package kernel_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/upsynth/upsynth/internal/gittest"
	"github.com/upsynth/upsynth/kernel"
)

// TestAmbiguousPrefix: a SHA prefix shared by two commits is refused with
// both as candidates, as git refuses it; a longer prefix, a ref and a
// suffix resolve; a name shorter than kernel.MinAbbrev is never a SHA.
func TestAmbiguousPrefix(t *testing.T) {
	g, err := gittest.Init(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	// Commits are deterministic (fixed clock), so the first 4-digit
	// prefix two of them share is too; 1000 commits share one with
	// near certainty (65536 prefixes).
	seen := map[string]string{}
	var a, b string
	for i := 0; a == ""; i++ {
		if i == 1000 {
			t.Fatal("no two of 1000 commits share a 4-digit prefix")
		}
		h, err := g.Commit(fmt.Sprintf("commit %d", i), map[string][]byte{"f.c": []byte(fmt.Sprintf("int v = %d;\n", i))})
		if err != nil {
			t.Fatal(err)
		}
		p := h.String()[:4]
		if o, ok := seen[p]; ok {
			a, b = o, h.String()
		}
		seen[p] = h.String()
	}
	r, err := kernel.Open(g.Dir)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	prefix := a[:4]
	_, err = r.Resolve(prefix)
	var amb *kernel.AmbiguousError
	if !errors.As(err, &amb) {
		t.Fatalf("Resolve(%s) = %v, want an *AmbiguousError", prefix, err)
	}
	if len(amb.Candidates) != 2 || !strings.Contains(err.Error(), a) || !strings.Contains(err.Error(), b) {
		t.Errorf("candidates %q, want %s and %s", amb.Candidates, a, b)
	}
	if _, err := r.Resolve(prefix + "~1"); !errors.As(err, &amb) {
		t.Errorf("%s~1: %v, want the prefix refused", prefix, err)
	}
	// The shortest unique prefix of a resolves to it, with suffixes too.
	n := 5
	for strings.HasPrefix(b, a[:n]) {
		n++
	}
	if h, err := r.Resolve(a[:n]); err != nil || h.String() != a {
		t.Errorf("Resolve(%s) = %v, %v; want %s", a[:n], h, err, a)
	}
	if h, err := r.Resolve("HEAD"); err != nil || h != g.Head {
		t.Errorf("HEAD = %v, %v", h, err)
	}
	if _, err := r.Resolve(a[:3]); err == nil {
		t.Errorf("a 3-digit name resolved as a SHA")
	}
	var unknown *kernel.UnknownRevisionError
	if _, err := r.Resolve("nosuch"); !errors.As(err, &unknown) || !strings.Contains(err.Error(), "revision nosuch") {
		t.Errorf("nosuch: %v", err)
	}
}

func TestSplitRange(t *testing.T) {
	for _, c := range []struct{ spec, from, to string }{
		{"", "", "HEAD"}, {"v1", "", "v1"}, {"a..b", "a", "b"}, {"a..", "a", "HEAD"}, {"..b", "HEAD", "b"},
	} {
		from, to, err := kernel.SplitRange(c.spec)
		if err != nil || from != c.from || to != c.to {
			t.Errorf("SplitRange(%q) = %q, %q, %v", c.spec, from, to, err)
		}
	}
	if _, _, err := kernel.SplitRange("a...b"); err == nil {
		t.Error("a...b accepted")
	}
}
