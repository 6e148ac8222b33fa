package analyze

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/upsynth/upsynth/analyze/store"
	"github.com/upsynth/upsynth/cparse"
	"github.com/upsynth/upsynth/internal/gittest"
	"github.com/upsynth/upsynth/kernel"
)

// looseObject is the file of a loose object in a repository built by gittest.
func looseObject(dir string, h plumbing.Hash) string {
	s := h.String()
	return filepath.Join(dir, ".git", "objects", s[:2], s[2:])
}

// analyzeAll runs an analysis and returns every commit and problem recorded.
func analyzeAll(t *testing.T, repo string, opts Options) (*Stats, map[string]*store.Commit, []store.Problem) {
	t.Helper()
	opts.Repo = repo
	if opts.DB == "" {
		opts.DB = filepath.Join(t.TempDir(), "a.db")
	}
	st, err := Run(context.Background(), opts)
	if err != nil {
		t.Fatalf("run failed: %v", err)
	}
	s, err := store.Open(context.Background(), opts.DB)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	cs, err := s.Commits(context.Background(), 0)
	if err != nil {
		t.Fatal(err)
	}
	bySubject := map[string]*store.Commit{}
	for _, c := range cs {
		bySubject[c.Subject] = c
	}
	ps, err := s.Problems(context.Background(), 1, "")
	if err != nil {
		t.Fatal(err)
	}
	return st, bySubject, ps
}

func hasProblem(ps []store.Problem, kind, text string) bool {
	for _, p := range ps {
		if p.Kind == kind && strings.Contains(p.Message+" "+p.Path, text) {
			return true
		}
	}
	return false
}

func newRepo(t *testing.T) *gittest.Repo {
	t.Helper()
	g, err := gittest.Init(filepath.Join(t.TempDir(), "repo"))
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func commit(t *testing.T, g *gittest.Repo, msg string, files map[string]string) plumbing.Hash {
	t.Helper()
	m := map[string][]byte{}
	for p, c := range files {
		m[p] = []byte(c)
		if c == "" {
			m[p] = nil
		}
	}
	h, err := g.Commit(msg, m)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

const small = "int f(void)\n{\n\treturn 1;\n}\n"

func TestMissingAndCorruptBlobs(t *testing.T) {
	g := newRepo(t)
	commit(t, g, "one", map[string]string{"a.c": small, "b.c": small})
	commit(t, g, "two", map[string]string{"a.c": strings.Replace(small, "1", "2", 1), "b.c": strings.Replace(small, "1", "3", 1)})
	commit(t, g, "three", map[string]string{"c.c": small + "\n"})
	if err := os.Remove(looseObject(g.Dir, gittest.BlobHash([]byte(strings.Replace(small, "1", "2", 1))))); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(looseObject(g.Dir, gittest.BlobHash([]byte(strings.Replace(small, "1", "3", 1)))), []byte("garbage"), 0o644); err != nil {
		t.Fatal(err)
	}
	st, cs, ps := analyzeAll(t, g.Dir, Options{})
	if st.Commits != 3 {
		t.Fatalf("analyzed %d commits, want 3 (the run must go on)", st.Commits)
	}
	two := cs["two"]
	if two.Class != "unsupported" || !strings.Contains(two.Reason, "missing or corrupt object") {
		t.Errorf("two: %s (%s)", two.Class, two.Reason)
	}
	if len(two.Changes) != 2 {
		t.Errorf("two: want both files recorded, got %+v", two.Changes)
	}
	if cs["three"].Class != "code" {
		t.Errorf("three: %s (%s)", cs["three"].Class, cs["three"].Reason)
	}
	if !hasProblem(ps, "unreadable", "a.c") || !hasProblem(ps, "unreadable", "b.c") {
		t.Errorf("problems = %+v", ps)
	}
}

func TestMissingTree(t *testing.T) {
	g := newRepo(t)
	commit(t, g, "one", map[string]string{"src/a.c": small})
	h := commit(t, g, "two", map[string]string{"src/a.c": strings.Replace(small, "1", "2", 1)})
	commit(t, g, "three", map[string]string{"src/a.c": strings.Replace(small, "1", "3", 1)})
	repoTree := func(h plumbing.Hash) plumbing.Hash {
		c, err := gitCommit(g.Dir, h)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	tree := repoTree(h)
	if err := os.Remove(looseObject(g.Dir, tree)); err != nil {
		t.Fatal(err)
	}
	st, cs, ps := analyzeAll(t, g.Dir, Options{})
	if st.Commits != 3 {
		t.Fatalf("analyzed %d commits, want 3", st.Commits)
	}
	if c := cs["two"]; c.Class != "unsupported" || !strings.Contains(c.Reason, "could not read") {
		t.Errorf("two: %s (%s)", c.Class, c.Reason)
	}
	// "three" diffs against the missing tree too.
	if c := cs["three"]; c.Class != "unsupported" {
		t.Errorf("three: %s (%s)", c.Class, c.Reason)
	}
	if !hasProblem(ps, "missing-object", "could not read") {
		t.Errorf("problems = %+v", ps)
	}
}

func TestShallowClone(t *testing.T) {
	g := newRepo(t)
	first := commit(t, g, "one", map[string]string{"a.c": small})
	boundary := commit(t, g, "two", map[string]string{"a.c": strings.Replace(small, "1", "2", 1)})
	commit(t, g, "three", map[string]string{"a.c": strings.Replace(small, "1", "3", 1)})
	// What a shallow clone of depth 2 looks like: the boundary commit is
	// listed in .git/shallow and its parent is absent.
	if err := os.WriteFile(filepath.Join(g.Dir, ".git", "shallow"), []byte(boundary.String()+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(looseObject(g.Dir, first)); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(t.TempDir(), "a.db")
	st, cs, ps := analyzeAll(t, g.Dir, Options{DB: db})
	if st.Commits != 2 {
		t.Fatalf("analyzed %d commits, want 2", st.Commits)
	}
	if c := cs["two"]; c.Class != "unsupported" || !strings.Contains(c.Reason, "shallow") {
		t.Errorf("two: %s (%s)", c.Class, c.Reason)
	}
	if c := cs["three"]; c.Class != "code" {
		t.Errorf("three: %s (%s)", c.Class, c.Reason)
	}
	if !hasProblem(ps, "shallow", first.String()) {
		t.Errorf("problems = %+v", ps)
	}
	// A second run records no duplicate problems.
	_, _, again := analyzeAll(t, g.Dir, Options{DB: db})
	if len(again) != len(ps) {
		t.Errorf("problems grew from %d to %d on a re-run", len(ps), len(again))
	}
}

func TestHostileFiles(t *testing.T) {
	g := newRepo(t)
	commit(t, g, "one", map[string]string{"ok.c": small})
	big := strings.Repeat("int x;\n", 3_000_000) // 21 MB
	commit(t, g, "huge", map[string]string{"gen/table.c": big})
	commit(t, g, "binary", map[string]string{"fw/blob.c": "\x7fELF\x02\x01\x01\x00\x00\x00binary"})
	bomb := "#define A0 x x\n"
	for i := 1; i < 40; i++ {
		bomb += "#define A" + itoa(i) + " A" + itoa(i-1) + " A" + itoa(i-1) + "\n"
	}
	bomb += "int bomb = A39;\nint g(void)\n{\n\treturn 0;\n}\n"
	commit(t, g, "bomb", map[string]string{"bomb.c": bomb})
	commit(t, g, "latin1 name", map[string]string{"fs/caf\xe9.c": small})
	commit(t, g, "after", map[string]string{"ok.c": strings.Replace(small, "1", "2", 1)})

	st, cs, ps := analyzeAll(t, g.Dir, Options{})
	if st.Commits != 6 {
		t.Fatalf("analyzed %d commits, want 6", st.Commits)
	}
	if c := cs["huge"]; c.Class != "unsupported" || !strings.Contains(c.Reason, "too large") {
		t.Errorf("huge: %s (%s)", c.Class, c.Reason)
	}
	if c := cs["binary"]; c.Class != "unsupported" || !strings.Contains(c.Reason, "binary") {
		t.Errorf("binary: %s (%s)", c.Class, c.Reason)
	}
	if c := cs["bomb"]; c.Class == "" || len(c.Changes) == 0 {
		t.Errorf("bomb: %s (%s) %+v", c.Class, c.Reason, c.Changes)
	}
	if c := cs["latin1 name"]; c.Class != "code" || len(c.Changes) == 0 || c.Changes[0].File != `fs/caf\xe9.c` {
		t.Errorf("latin1 name: %s (%s) %+v", c.Class, c.Reason, c.Changes)
	}
	for _, s := range []string{"huge", "binary", "bomb", "latin1 name"} {
		t.Logf("%s: %s %s", s, cs[s].Class, cs[s].Reason)
	}
	if c := cs["after"]; c.Class != "code" {
		t.Errorf("after: %s (%s)", c.Class, c.Reason)
	}
	if !hasProblem(ps, "path", `caf\xe9.c`) || !hasProblem(ps, "unreadable", "too large") || !hasProblem(ps, "unreadable", "binary") {
		t.Errorf("problems = %+v", ps)
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

// gitCommit returns the tree of a commit, read with go-git directly.
func gitCommit(dir string, h plumbing.Hash) (plumbing.Hash, error) {
	r, err := kernel.Open(dir)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	defer r.Close()
	c, err := r.Commit(h)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	return c.TreeHash, nil
}

// TestEngineLimitsRecorded: what a parse engine gave up on is a problem
// row naming the file, the engine, the limit and the figure (issue 21: a
// file including itself ran the precise engine to its timeout unrecorded).
func TestEngineLimitsRecorded(t *testing.T) {
	g := newRepo(t)
	var big strings.Builder
	for i := 0; big.Len() <= 1<<20; i++ {
		big.WriteString("int f" + strconv.Itoa(i) + "(int a) { return a + 1; }\n")
	}
	commit(t, g, "base", map[string]string{"ok.c": "int ok(void) { return 0; }\n"})
	commit(t, g, "hostile", map[string]string{
		"big.c":  big.String(),
		"self.c": "int x;\n#include __FILE__\n",
	})
	_, _, ps := analyzeAll(t, g.Dir, Options{})
	want := map[string]string{"big.c": "file-size", "self.c": "include-depth"}
	for _, p := range ps {
		if p.Kind != "limit" {
			continue
		}
		if p.Limit == nil || p.Limit.Engine != "precise" || p.Limit.Limit != want[p.Path] || p.Limit.Figure <= p.Limit.Max {
			t.Errorf("problem %+v %+v", p, p.Limit)
		}
		delete(want, p.Path)
	}
	if len(want) != 0 {
		t.Errorf("no limit problem for %v; problems %+v", want, ps)
	}
}

// TestConcurrentRunsTakeTurns: two analyze runs on one database do the
// work once: the second waits for the first, then finds every commit
// recorded (issue 21: both did all the work).
func TestConcurrentRunsTakeTurns(t *testing.T) {
	g := newRepo(t)
	for i := range 5 {
		commit(t, g, "c"+strconv.Itoa(i), map[string]string{"f.c": "int f(void) { return " + strconv.Itoa(i) + "; }\n"})
	}
	db := filepath.Join(t.TempDir(), "a.db")
	// Slow parsing keeps the first run inside the lock while the second
	// starts.
	slow := func(ctx context.Context, path string, src []byte, cfg cparse.Config) *cparse.Summary {
		time.Sleep(100 * time.Millisecond)
		return cparse.Parse(ctx, path, src, cfg)
	}
	type result struct {
		st     *Stats
		err    error
		waited bool
	}
	results := make(chan result, 2)
	for range 2 {
		go func() {
			var r result
			r.st, r.err = Run(context.Background(), Options{Repo: g.Dir, DB: db, Parse: slow, Waiting: func() { r.waited = true }})
			results <- r
		}()
	}
	a, b := <-results, <-results
	if a.err != nil || b.err != nil {
		t.Fatal(a.err, b.err)
	}
	if a.st.Commits+b.st.Commits != 5 || a.waited == b.waited {
		t.Errorf("commits analyzed %d and %d, waited %v and %v: want 5 in all, one run waiting", a.st.Commits, b.st.Commits, a.waited, b.waited)
	}
}
