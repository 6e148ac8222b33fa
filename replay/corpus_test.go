package replay_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/upsynth/upsynth/analyze"
	"github.com/upsynth/upsynth/corpus"
	"github.com/upsynth/upsynth/replay"
	"github.com/upsynth/upsynth/runtime"
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

// corpusRange is the whole corpus history: its first commit..HEAD.
func corpusRange(f *corpusFixture) string { return f.built.Commits[0].Hash.String() + "..HEAD" }

// TestCorpusReplay replays the corpus's whole history in both modes, with
// the hooks a person wrote for the updates that need them (run by the hook
// host): the machine reboots exactly at the commits classified
// unsupported, no update fails, and at HEAD it agrees with a fresh boot.
func TestCorpusReplay(t *testing.T) {
	if testing.Short() {
		t.Skip("replays the corpus history twice")
	}
	f := fixture(t)
	ctx := context.Background()
	h, err := replay.Open(ctx, f.repo, f.db, corpusRange(f), nil)
	if err != nil {
		t.Fatal(err)
	}
	hooks, err := replay.FindHooks("../synth/verify/testdata/hooks", h)
	if err != nil {
		t.Fatal(err)
	}
	if len(hooks) != 5 {
		t.Fatalf("%d commits with hooks in the corpus, want 5: %v", len(hooks), hooks)
	}
	for _, mode := range []runtime.Mode{runtime.Eager, runtime.Lazy} {
		t.Run(mode.String(), func(t *testing.T) {
			bin, err := replay.BuildHost(ctx, t.TempDir(), h, hooks, mode, os.Stderr)
			if err != nil {
				t.Fatal(err)
			}
			res, err := replay.RunHost(ctx, bin, replay.HostRequest{Repo: f.repo, DB: f.db, Range: corpusRange(f), Mode: mode.String()}, nil, os.Stderr)
			if err != nil {
				t.Fatal(err)
			}
			checkCorpusResult(t, h, res, hooks)
			t.Logf("%d commits: %d live, %d skipped, %d reboots, %d failures; longest uptime %d commits",
				res.Summary.Commits, res.Summary.Live, res.Summary.Skipped, res.Summary.Reboots, res.Summary.Failures, res.Summary.LongestUptime)
		})
	}
}

func checkCorpusResult(t *testing.T, h *replay.History, res *replay.Result, hooks map[string]string) {
	t.Helper()
	if len(res.Rows) != len(h.Commits) {
		t.Fatalf("%d rows for %d commits", len(res.Rows), len(h.Commits))
	}
	unsupported := 0
	for i, r := range res.Rows {
		c := h.Commits[i]
		want := map[string]string{"none": replay.ActionSkip, "unsupported": replay.ActionReboot}[c.Class]
		if want == "" {
			want = replay.ActionLive
		}
		if c.Class == "unsupported" {
			unsupported++
		}
		if r.Action != want || r.Failed {
			t.Errorf("%s %s (%s): %s (failed %v), want %s: %s", c.Short(), c.Subject, c.Class, r.Action, r.Failed, want, r.Reason)
		}
		if _, ok := hooks[c.Hash]; ok != r.Hooks {
			t.Errorf("%s: ran with hooks %v, has hooks %v", c.Short(), r.Hooks, ok)
		}
	}
	if res.Summary.Failures != 0 || res.Summary.Reboots != unsupported {
		t.Errorf("summary %+v: want %d reboots (the unsupported commits), no failure", res.Summary, unsupported)
	}
	if res.End == nil || !res.End.OK() {
		var b strings.Builder
		_ = res.Text(&b)
		t.Errorf("at HEAD the replayed machine disagrees with a fresh boot:\n%s", b.String())
	}
}

// TestResume interrupts a replay and runs it again with its journal: it
// continues after the last commit done, and its result is the
// uninterrupted replay's (but for times).
func TestResume(t *testing.T) {
	f := fixture(t)
	ctx := context.Background()
	// The first 24 commits: live updates, skips and reboots.
	rng := f.built.Commits[0].Hash.String() + ".." + f.built.Commits[24].Hash.String()
	h, err := replay.Open(ctx, f.repo, f.db, rng, nil)
	if err != nil {
		t.Fatal(err)
	}
	whole, err := replay.Run(ctx, h, replay.Options{Mode: runtime.Lazy})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "progress.json")
	j, err := replay.OpenJournal(path, "key")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := replay.Run(ctx, h, replay.Options{Mode: runtime.Lazy, Journal: j, Stop: func(done int) bool { return done == 17 }}); !errors.Is(err, replay.ErrInterrupted) {
		t.Fatalf("interrupted run: %v, want ErrInterrupted", err)
	}
	if _, err := replay.OpenJournal(path, "another replay"); err == nil {
		t.Error("the progress of another replay was accepted")
	}
	j, err = replay.OpenJournal(path, "key")
	if err != nil {
		t.Fatal(err)
	}
	if n := len(j.Rows()); n != 17 {
		t.Fatalf("%d rows kept, want 17", n)
	}
	var fresh []string
	resumed, err := replay.Run(ctx, h, replay.Options{Mode: runtime.Lazy, Journal: j,
		Progress: func(i, n int, r replay.Row) { fresh = append(fresh, r.Sha) }})
	if err != nil {
		t.Fatal(err)
	}
	if len(fresh) != len(h.Commits)-17 {
		t.Errorf("the resumed run made %d rows, want %d (the rest)", len(fresh), len(h.Commits)-17)
	}
	if resumed.Resumed == "" {
		t.Error("the resumed result does not say so")
	}
	strip := func(r *replay.Result) *replay.Result {
		c := *r
		c.Resumed = ""
		c.Rows = nil
		for _, row := range r.Rows {
			row.Apply, row.Pause = 0, 0
			c.Rows = append(c.Rows, row)
		}
		return &c
	}
	if a, b := strip(whole), strip(resumed); !reflect.DeepEqual(a, b) {
		var wa, wb strings.Builder
		_ = a.Text(&wa)
		_ = b.Text(&wb)
		t.Errorf("resumed replay differs from the uninterrupted one:\n%s\nresumed:\n%s", wa.String(), wb.String())
	}
	if whole.Summary.Live == 0 || whole.Summary.Reboots == 0 || whole.Summary.Skipped == 0 {
		t.Errorf("the range should have live, skipped and rebooting commits: %+v", whole.Summary)
	}
}

// BenchmarkReplayCorpus replays the corpus's whole history (in process,
// without hooks) and reports commits per minute.
func BenchmarkReplayCorpus(b *testing.B) {
	f := fixture(b)
	ctx := context.Background()
	h, err := replay.Open(ctx, f.repo, f.db, corpusRange(f), nil)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := replay.Run(ctx, h, replay.Options{Mode: runtime.Eager}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(h.Commits)*b.N)/b.Elapsed().Minutes(), "commits/min")
}
