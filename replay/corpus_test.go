package replay_test

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/upsynth/upsynth/analyze"
	"github.com/upsynth/upsynth/corpus"
	"github.com/upsynth/upsynth/replay"
	"github.com/upsynth/upsynth/runtime"
	"github.com/upsynth/upsynth/synth"
)

// corpusRepo is the corpus built as a git repository and analyzed, once
// per test binary.
var corpusRepo = sync.OnceValues(func() (*corpusFixture, error) {
	dir, err := os.MkdirTemp("", "replay-corpus-")
	if err != nil {
		return nil, err
	}
	repo := filepath.Join(dir, "corpus.git")
	built, err := corpus.Build(repo)
	if err != nil {
		return nil, err
	}
	db := filepath.Join(dir, "upsynth.db")
	if _, err := analyze.Run(context.Background(), analyze.Options{Repo: repo, DB: db, FirstParent: true}); err != nil {
		return nil, err
	}
	return &corpusFixture{dir: dir, repo: repo, db: db, built: built}, nil
})

type corpusFixture struct {
	dir, repo, db string
	built         *corpus.Built
}

func fixture(t testing.TB) *corpusFixture {
	t.Helper()
	f, err := corpusRepo()
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func abi(t testing.TB) fs.FS {
	root, err := synth.SourceRoot()
	if err != nil {
		t.Fatal(err)
	}
	return os.DirFS(filepath.Join(root, "runtime", "emu", "include"))
}

func TestProbe(t *testing.T) {
	f := fixture(t)
	first := f.built.Commits[0].Hash.String()
	h, err := replay.Open(context.Background(), f.repo, f.db, first+"..HEAD")
	if err != nil {
		t.Fatal(err)
	}
	res, err := replay.Run(context.Background(), h, replay.Options{Mode: runtime.Eager, ABI: abi(t),
		Progress: func(i, n int, r replay.Row) { t.Logf("%d/%d %s %s %s %s", i+1, n, r.Sha[:8], r.Class, r.Action, r.Reason) }})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	res.Text(&b)
	t.Log(b.String())
}

func TestProbeHooks(t *testing.T) {
	f := fixture(t)
	first := f.built.Commits[0].Hash.String()
	h, err := replay.Open(context.Background(), f.repo, f.db, first+"..HEAD")
	if err != nil {
		t.Fatal(err)
	}
	hooks, err := replay.FindHooks("../synth/verify/testdata/hooks", h)
	if err != nil {
		t.Fatal(err)
	}
	t.Log(hooks)
	bin, err := replay.BuildHost(context.Background(), t.TempDir(), h, hooks, runtime.Eager, os.Stderr)
	if err != nil {
		t.Fatal(err)
	}
	res, err := replay.RunHost(context.Background(), bin, replay.HostRequest{Repo: f.repo, DB: f.db, Range: first + "..HEAD", Mode: "eager"},
		func(i, n int, r replay.Row) { t.Logf("%d/%d %s %s %s %v %s", i+1, n, r.Sha[:8], r.Class, r.Action, r.Hooks, r.Reason) }, os.Stderr)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	res.Text(&b)
	t.Log(b.String())
}
