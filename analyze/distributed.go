package analyze

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/upsynth/upsynth/analyze/store"
	"github.com/upsynth/upsynth/cparse"
	"github.com/upsynth/upsynth/kernel"
)

// A distributed run (package analyze/distribute puts it on a job queue)
// splits what Run does in one process into units any process holding a
// clone can do: summarizing a batch of distinct blobs (Worker.Summarize),
// then classifying a segment of consecutive commits once the blobs are in
// (Worker.ClassifySegment). Both reuse Run's own machinery — the producer
// that diffs commits and asks the memo for summaries, the memo's parse,
// the classifier and the batch writer — so a distributed run records what
// Run would, row for row:
//
//   - PlanRun walks the range with Run's producer, its memo recording the
//     blobs each commit needs instead of parsing them: the same blobs, each
//     first met at the same path and tree (whose headers the parse
//     reads), so each summary is the one Run would compute; a blob met
//     again in a tree where a header its parse read differs is parsed
//     there again by the segment that meets it, as Run would, and that
//     version memoized with the segment's commits (its problems, if any,
//     are not recorded: its first version's were);
//   - the problems a blob causes are recorded once, with the commit that
//     first used it (BlobTask.FirstSha), as Run's batcher records them;
//   - a segment starts its index from its first commit's parent tree, as
//     Classify does; the index counts facts, so it holds what Run's index,
//     moved commit by commit, holds there;
//   - each commit gets its place in analysis order when planned
//     (store.ReserveOrds), so reports list commits in Run's order.

// BlobTask is one distinct blob a distributed run summarizes: where it was
// first met, and the commit whose classification first uses it.
type BlobTask struct {
	Blob     string `json:"blob"`
	Path     []byte `json:"path"` // bytes: a path need not be UTF-8
	Root     string `json:"root"` // the tree it was met in
	FirstSha string `json:"first_sha"`
}

// Settings are what every job of a distributed run is done with: the
// range's tip (its upsynth.yaml), the options that change what is parsed
// or classified, and the parse fingerprint they give, which a worker
// checks so that a clone or build set up otherwise refuses the job.
type Settings struct {
	RepoID      int64               `json:"repo_id"`
	Run         int64               `json:"run"`
	Tip         string              `json:"tip"`
	Include     []string            `json:"include,omitempty"`
	Exclude     []string            `json:"exclude,omitempty"`
	ConfigFile  string              `json:"config,omitempty"`
	Engine      cparse.EngineChoice `json:"engine"`
	MaxFileSize int64               `json:"max_file_size"`
	Fingerprint string              `json:"fingerprint"`
}

// Plan is a distributed run's work.
type Plan struct {
	Settings
	Blobs   []BlobTask // distinct blobs no earlier run summarized
	Commits []string   // to classify, in analysis order
	Ords    []int64    // their places in analysis order
	Skipped int        // commits of the range already recorded
}

// PlanRun records a new run of opts.Rev in opts.DB (PostgreSQL) and plans
// its work: the blobs to summarize and the commits to classify. It holds
// the analysis lock while planning, as Run does while analyzing, and
// records the commits that cannot be read at all at once.
func PlanRun(ctx context.Context, opts Options) (*Plan, error) {
	if !store.IsPostgres(opts.DB) {
		return nil, fmt.Errorf("a distributed run needs a PostgreSQL database that every worker reaches (--db postgres://…), not %s", opts.DB)
	}
	r, rng, end, err := begin(ctx, opts, "distributed ")
	if err != nil {
		return nil, err
	}
	defer end()
	r.planning = true
	opts = r.opts // defaults applied
	p := &Plan{Settings: Settings{RepoID: r.repoID, Run: r.runID, Tip: rng.Tip.String(), Include: opts.Include, Exclude: opts.Exclude,
		ConfigFile: opts.ConfigFile, Engine: opts.Engine, MaxFileSize: opts.MaxFileSize, Fingerprint: parseSettings(r.cfg, opts.Engine).Fingerprint()}}
	err = r.plan(ctx, rng, p)
	if err == nil && len(p.Commits) == 0 {
		err = r.st.FinishRun(r.runID, store.RunStats{}, nil)
	} else if err != nil {
		r.st.FinishRun(r.runID, store.RunStats{}, err)
	}
	if err != nil {
		return nil, err
	}
	return p, nil
}

// plan walks the range as Run's walk does, with the memo in planning mode.
func (r *run) plan(ctx context.Context, rng *kernel.Range, p *Plan) error {
	analyzed, err := r.st.Analyzed(ctx, r.repoID)
	if err != nil {
		return err
	}
	var todo []*object.Commit
	for _, c := range rng.Commits {
		if analyzed[c.Hash.String()] {
			p.Skipped++
			continue
		}
		todo = append(todo, c)
		p.Commits = append(p.Commits, c.Hash.String())
	}
	early := r.unreadableCommits(ctx, rng, analyzed)
	if len(early) > 0 {
		if err := r.st.Write(ctx, &store.Batch{Repo: r.repoID, Run: r.runID, Problems: early}); err != nil {
			return err
		}
	}
	if len(todo) == 0 {
		return nil
	}
	if p.Ords, err = r.st.ReserveOrds(ctx, len(todo)); err != nil {
		return err
	}
	first := map[string]string{}
	err = r.pipeline(ctx, todo, func(pctx context.Context, jobs <-chan *job) error {
		// Run's batcher records a blob's problems with the first commit
		// whose classification uses it: the index moves, then the files.
		for j := range jobs {
			sha := j.commit.Hash.String()
			use := func(s *summary) {
				if s != nil && !s.stored {
					s.stored = true
					first[s.blob.Blob] = sha
				}
			}
			for _, f := range j.move {
				use(f.new)
			}
			if j.failure == "" {
				for _, f := range j.files {
					use(f.old)
					use(f.new)
				}
			}
		}
		return pctx.Err()
	})
	if err != nil {
		return err
	}
	for _, t := range r.memo.tasks {
		t.FirstSha = first[t.Blob]
		p.Blobs = append(p.Blobs, t)
	}
	return nil
}

// Worker does a distributed run's jobs on its own clone of the repository.
// It is safe for concurrent use: jobs run side by side.
type Worker struct {
	repo *kernel.Repo
	st   *store.Store
	jobs int

	mu   sync.Mutex
	cfgs map[string]*kernel.Config // by tip and config file
}

// NewWorker makes a worker for the repository at path, writing to st;
// jobs is the number of parse workers each Summarize uses.
func NewWorker(path string, st *store.Store, jobs int) (*Worker, error) {
	repo, err := kernel.Open(path)
	if err != nil {
		return nil, err
	}
	return &Worker{repo: repo, st: st, jobs: max(jobs, 1), cfgs: map[string]*kernel.Config{}}, nil
}

// Close releases the repository.
func (w *Worker) Close() error { return w.repo.Close() }

// ErrSettings is returned when a job's settings give this worker another
// parse fingerprint than the planner's: its clone's upsynth.yaml or its
// --config differs, or its upsynth is another version. The job fails
// rather than record summaries the other workers would not.
var ErrSettings = errors.New("this worker's parse settings differ from the run's (another upsynth.yaml, --config or upsynth version)")

// run is a run of the job's settings on the worker's clone.
func (w *Worker) run(set Settings) (*run, error) {
	key := set.Tip + "\x00" + set.ConfigFile
	w.mu.Lock()
	cfg := w.cfgs[key]
	w.mu.Unlock()
	if cfg == nil {
		tip, err := tipTree(w.repo, plumbing.NewHash(set.Tip), "")
		if err != nil {
			return nil, fmt.Errorf("the run's tip %s in this clone: %w", set.Tip, err)
		}
		cfg = tip.Config
		if set.ConfigFile != "" {
			if cfg, err = kernel.Load(set.ConfigFile); err != nil {
				return nil, fmt.Errorf("%w: %v", ErrSettings, err)
			}
		}
		w.mu.Lock()
		w.cfgs[key] = cfg
		w.mu.Unlock()
	}
	opts := Options{Include: set.Include, Exclude: set.Exclude, ConfigFile: set.ConfigFile, Engine: set.Engine,
		MaxFileSize: set.MaxFileSize, Jobs: w.jobs}
	opts.defaults()
	if fp := parseSettings(cfg, opts.Engine).Fingerprint(); fp != set.Fingerprint {
		return nil, fmt.Errorf("%w: fingerprint %s, the run's %s", ErrSettings, fp, set.Fingerprint)
	}
	return &run{opts: opts, repo: w.repo, st: w.st, cfg: cfg, repoID: set.RepoID, runID: set.Run,
		stats: Stats{Classes: map[string]int{}}, probe: true}, nil
}

// Summarize parses the blobs of tasks and returns the batch that records
// them and their problems (a blob's problems with its FirstSha).
func (w *Worker) Summarize(ctx context.Context, set Settings, tasks []BlobTask) (*store.Batch, error) {
	r, err := w.run(set)
	if err != nil {
		return nil, err
	}
	b := &batcher{r: r, batch: &store.Batch{Repo: set.RepoID, Run: set.Run}}
	err = r.pipeline(ctx, nil, func(pctx context.Context, _ <-chan *job) error {
		got := make([]*summary, len(tasks))
		for i, t := range tasks {
			if got[i], err = r.memo.get(plumbing.NewHash(t.Blob), string(t.Path), plumbing.NewHash(t.Root), inTree, nil); err != nil {
				return err
			}
		}
		for i, s := range got {
			if err := r.memo.wait(s); err != nil {
				return err
			}
			if s.stored { // summarized by an earlier job or run
				continue
			}
			b.remember(s, tasks[i].FirstSha)
		}
		return nil
	})
	return b.batch, err
}

// ClassifySegment classifies commits (consecutive in analysis order) with
// the summaries in the database, parsing any that are missing, and
// returns the batch recording them at their places ords.
func (w *Worker) ClassifySegment(ctx context.Context, set Settings, commits []string, ords []int64) (*store.Batch, error) {
	if len(ords) != len(commits) {
		return nil, fmt.Errorf("%d commits but %d places in analysis order", len(commits), len(ords))
	}
	r, err := w.run(set)
	if err != nil {
		return nil, err
	}
	todo := make([]*object.Commit, len(commits))
	for i, sha := range commits {
		if todo[i], err = w.repo.Commit(plumbing.NewHash(sha)); err != nil {
			return nil, fmt.Errorf("commit %s in this clone: %w", sha, err)
		}
	}
	batch := &store.Batch{Repo: set.RepoID, Run: set.Run}
	i := 0
	err = r.pipeline(ctx, todo, func(pctx context.Context, jobs <-chan *job) error {
		// A blob's problems were recorded by the job that summarized it.
		// A version of it the segment parsed — met in a tree where a
		// header its first version read differs — is memoized for the
		// segments and runs after.
		remember := func(s *summary, _ string) {
			if s != nil && !s.stored && !s.transient {
				s.stored = true
				batch.Blobs = append(batch.Blobs, s.blob)
			}
		}
		return r.classifyJobs(pctx, jobs, remember, func(j *job, rec *store.Commit) error {
			rec.Ord = ords[i]
			i++
			batch.Commits = append(batch.Commits, rec)
			batch.Problems = append(batch.Problems, j.problems...)
			return nil
		})
	})
	return batch, err
}
