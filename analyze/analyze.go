package analyze

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
	"golang.org/x/sync/errgroup"

	"github.com/upsynth/upsynth/analyze/classify"
	"github.com/upsynth/upsynth/analyze/config"
	"github.com/upsynth/upsynth/analyze/gitfs"
	"github.com/upsynth/upsynth/analyze/history"
	"github.com/upsynth/upsynth/analyze/index"
	"github.com/upsynth/upsynth/analyze/internal/lru"
	"github.com/upsynth/upsynth/analyze/store"
	"github.com/upsynth/upsynth/cparse"
)

// Options configure one analysis run.
type Options struct {
	Repo        string   // path of the repository (work tree or bare)
	DB          string   // database file
	Rev         string   // "", "REV" or "A..B"
	FirstParent bool     // follow first parents only
	Include     []string // when set, only paths matching one of these globs
	Exclude     []string // paths never analyzed (added to upsynth.yaml's)
	Jobs        int      // parse workers (0: number of CPUs)
	ConfigFile  string   // settings file instead of the repo's upsynth.yaml
	Engine      cparse.EngineChoice
	// MaxFileSize is the largest file parsed (0: 8 MiB); larger files are
	// recorded as unreadable.
	MaxFileSize int64
	// BatchSize is the number of commits written per transaction (0: 200).
	BatchSize int
	// Parse replaces cparse.Parse (nil: cparse.Parse).
	Parse ParseFunc
	// Progress, when set, is called after each commit with the number done
	// and the number this run will analyze.
	Progress func(done, total int)
}

// Stats summarize a run.
type Stats struct {
	Commits  int            // non-merge commits classified this run
	Merges   int            // merge commits recorded this run
	Skipped  int            // commits of the range already in the database
	Parsed   int            // blobs parsed this run
	Reused   int            // blobs whose summary came from the database
	Problems int            // problems recorded this run
	Classes  map[string]int // classified commits per class
	Elapsed  time.Duration
}

// Parser limits per file. cc/v4 cannot be interrupted, so a translation
// that times out keeps running until its expansion limit: both are kept
// well below cparse's defaults so that an abandoned one costs little.
const (
	expansionLimit = 2_000_000
	parseTimeout   = 10 * time.Second
)

// job is one commit on its way from the producer to the classifier.
type job struct {
	commit *object.Commit
	// resetIndex starts the index from an empty tree (after an error left
	// it in an unknown state).
	resetIndex bool
	move       []fileRef // moves the index from its tree to the parent's
	files      []fileRef // the commit's own changes
	// failure, when set, is why the commit could not be diffed.
	failure  string
	problems []store.Problem
}

// fileRef is one changed path with the summaries of its two sides (nil:
// absent, or not C/C++).
type fileRef struct {
	path     string
	old, new *summary
	oldHash  plumbing.Hash
	newHash  plumbing.Hash
}

type run struct {
	opts   Options
	repo   *history.Repo
	st     *store.Store
	cfg    *config.Config
	memo   *memo
	repoID int64
	runID  int64
	stats  Stats
}

// Run analyzes the commits of opts.Rev not yet in the database.
func Run(ctx context.Context, opts Options) (*Stats, error) {
	start := time.Now()
	if opts.Jobs <= 0 {
		opts.Jobs = runtime.NumCPU()
	}
	if opts.MaxFileSize <= 0 {
		opts.MaxFileSize = 8 << 20
	}
	if opts.BatchSize <= 0 {
		opts.BatchSize = 200
	}
	if opts.Parse == nil {
		opts.Parse = cparse.Parse
	}
	if opts.Engine == "" {
		opts.Engine = cparse.EngineAuto
	}
	abs, err := filepath.Abs(opts.Repo)
	if err != nil {
		return nil, err
	}
	repo, err := history.Open(abs)
	if err != nil {
		return nil, err
	}
	defer repo.Close()
	rng, err := repo.Commits(opts.Rev, opts.FirstParent)
	if err != nil {
		return nil, err
	}
	cfg, err := loadConfig(repo, rng.Tip, opts.ConfigFile)
	if err != nil {
		return nil, err
	}
	st, err := store.Open(ctx, opts.DB)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	r := &run{opts: opts, repo: repo, st: st, cfg: cfg, stats: Stats{Classes: map[string]int{}}}
	if r.repoID, err = st.Repo(ctx, abs); err != nil {
		return nil, err
	}
	args := fmt.Sprintf("rev=%q first-parent=%v include=%q exclude=%q config=%q", opts.Rev, opts.FirstParent, opts.Include, opts.Exclude, opts.ConfigFile)
	if r.runID, err = st.StartRun(ctx, r.repoID, args); err != nil {
		return nil, err
	}
	err = r.walk(ctx, rng)
	r.stats.Elapsed = time.Since(start)
	if r.memo != nil {
		r.stats.Parsed, r.stats.Reused = int(r.memo.parsed.Load()), int(r.memo.reused.Load())
	}
	if ferr := st.FinishRun(r.runID, store.RunStats{Commits: r.stats.Commits, Merges: r.stats.Merges,
		Parsed: r.stats.Parsed, Reused: r.stats.Reused, Problems: r.stats.Problems}, err); ferr != nil && err == nil {
		err = ferr
	}
	return &r.stats, err
}

// loadConfig reads --config, else upsynth.yaml at the tip of the range,
// else the defaults.
func loadConfig(repo *history.Repo, tip plumbing.Hash, file string) (*config.Config, error) {
	if file != "" {
		return config.Load(file)
	}
	c, err := repo.Commit(tip)
	if err != nil {
		return nil, err
	}
	data, err := gitfs.New(repo, c.TreeHash).ReadFile(config.FileName)
	if err != nil {
		return config.Default(), nil
	}
	return config.Parse(config.FileName+" at "+tip.String()[:12], data)
}

// wanted reports whether a path takes part in the analysis at all.
func (r *run) wanted(p string) bool {
	if len(r.opts.Include) > 0 && !config.MatchAny(r.opts.Include, p) {
		return false
	}
	return !config.MatchAny(r.opts.Exclude, p) && !r.cfg.Excluded(p)
}

// displayPath makes a path printable: invalid UTF-8 bytes become \xNN.
func displayPath(p string) string {
	if utf8.ValidString(p) {
		return p
	}
	var b strings.Builder
	for i := 0; i < len(p); {
		r, n := utf8.DecodeRuneInString(p[i:])
		if r == utf8.RuneError && n == 1 {
			fmt.Fprintf(&b, `\x%02x`, p[i])
		} else {
			b.WriteString(p[i : i+n])
		}
		i += n
	}
	return b.String()
}

func (r *run) walk(ctx context.Context, rng *history.Range) error {
	analyzed, err := r.st.Analyzed(ctx, r.repoID)
	if err != nil {
		return err
	}
	var todo []*object.Commit
	for _, c := range rng.Commits {
		if analyzed[c.Hash.String()] {
			r.stats.Skipped++
			continue
		}
		todo = append(todo, c)
	}
	var early []store.Problem
	for h, e := range rng.Unreadable {
		if analyzed[h.String()] {
			continue
		}
		if seen, err := r.st.HasProblem(ctx, r.repoID, h.String()); err != nil || seen {
			continue
		}
		kind := "missing-object"
		if strings.Contains(e.Error(), "shallow") {
			kind = "shallow"
		}
		early = append(early, store.Problem{Sha: h.String(), Kind: kind, Message: e.Error()})
	}
	if len(todo) == 0 && len(early) == 0 {
		return nil
	}
	// FS is set per parse (the revision's tree); it is set here too because
	// whether a tree is given is part of the fingerprint.
	fp := cparse.Config{IncludePaths: r.cfg.Include, Defines: r.cfg.Defines, Engine: r.opts.Engine, FS: &gitfs.FS{},
		ExpansionLimit: expansionLimit, Timeout: parseTimeout}
	workers, wctx := errgroup.WithContext(ctx)
	workers.SetLimit(r.opts.Jobs)
	r.memo = &memo{ctx: wctx, repo: r.repo, st: r.st, parse: r.opts.Parse, pcfg: fp, fp: fp.Fingerprint(),
		maxFile: r.opts.MaxFileSize, workers: workers, inflight: map[plumbing.Hash]*summary{},
		cache: lru.New[plumbing.Hash, *summary](2048)}

	jobs := make(chan *job, 64)
	pipeline, pctx := errgroup.WithContext(wctx)
	pipeline.Go(func() error {
		defer close(jobs)
		return r.produce(pctx, todo, jobs)
	})
	pipeline.Go(func() error { return r.consume(pctx, len(todo), jobs, early) })
	err = pipeline.Wait()
	if werr := workers.Wait(); err == nil {
		err = werr
	}
	return err
}

// produce diffs each commit against its parent (and the index's tree
// against the parent's) and starts the parses those diffs need.
func (r *run) produce(ctx context.Context, todo []*object.Commit, jobs chan<- *job) error {
	indexTree, indexOK := plumbing.ZeroHash, false
	for _, c := range todo {
		j := &job{commit: c}
		if len(c.ParentHashes) <= 1 {
			if !indexOK {
				j.resetIndex, indexTree = true, plumbing.ZeroHash
			}
			if err := r.prepare(j, &indexTree); err != nil {
				return err
			}
			indexOK = j.failure == ""
		}
		select {
		case jobs <- j:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

// prepare fills a non-merge commit's job; a failure to read its objects
// is recorded on the job, not returned.
func (r *run) prepare(j *job, indexTree *plumbing.Hash) error {
	c := j.commit
	parentTree := plumbing.ZeroHash
	if len(c.ParentHashes) == 1 {
		p, err := r.repo.Commit(c.ParentHashes[0])
		if err != nil {
			j.failure = fmt.Sprintf("parent %s is not available (shallow clone or missing object): %v", c.ParentHashes[0], err)
			j.problems = append(j.problems, store.Problem{Sha: c.Hash.String(), Kind: "shallow", Message: j.failure})
			return nil
		}
		parentTree = p.TreeHash
	}
	move, err := r.repo.DiffTrees(*indexTree, parentTree)
	if err == nil {
		var deltas []history.Delta
		if deltas, err = r.repo.DiffTrees(parentTree, c.TreeHash); err == nil {
			if j.move, err = r.refs(move, *indexTree, parentTree, j, false); err == nil {
				j.files, err = r.refs(deltas, parentTree, c.TreeHash, j, true)
			}
		}
	}
	if err != nil {
		if ctxErr := r.memo.ctx.Err(); ctxErr != nil {
			return ctxErr
		}
		j.failure = "could not read the commit's trees: " + err.Error()
		j.problems = append(j.problems, store.Problem{Sha: c.Hash.String(), Kind: "missing-object", Message: j.failure})
		return nil
	}
	*indexTree = c.TreeHash
	return nil
}

// refs turns tree deltas into file references, starting the parses of the
// C/C++ sides. For index moves (withOld false) only new sides are needed.
func (r *run) refs(ds []history.Delta, oldRoot, newRoot plumbing.Hash, j *job, withOld bool) ([]fileRef, error) {
	var out []fileRef
	for _, d := range ds {
		if !r.wanted(d.Path) {
			continue
		}
		shown := displayPath(d.Path)
		if shown != d.Path && withOld {
			j.problems = append(j.problems, store.Problem{Sha: j.commit.Hash.String(), Path: shown, Kind: "path",
				Message: "path is not valid UTF-8; shown with \\x escapes"})
		}
		f := fileRef{path: d.Path, oldHash: d.From, newHash: d.To}
		source := classify.IsSource(d.Path)
		if !source && !withOld {
			continue
		}
		if source {
			var err error
			if !d.To.IsZero() && isFile(d.ToMode) {
				if f.new, err = r.memo.get(d.To, d.Path, newRoot); err != nil {
					return nil, err
				}
			}
			if withOld && !d.From.IsZero() && isFile(d.FromMode) {
				if f.old, err = r.memo.get(d.From, d.Path, oldRoot); err != nil {
					return nil, err
				}
			}
		}
		out = append(out, f)
	}
	return out, nil
}

func isFile(m filemode.FileMode) bool {
	return m == filemode.Regular || m == filemode.Executable || m == filemode.Deprecated
}

// consume classifies jobs in order, keeping the index at each commit's
// tree, and writes them in batches.
func (r *run) consume(ctx context.Context, total int, jobs <-chan *job, early []store.Problem) error {
	idx := index.New()
	batch := &store.Batch{Repo: r.repoID, Run: r.runID, Problems: early}
	var pending []*summary
	lastFlush := time.Now()
	flush := func(ctx context.Context) error {
		if batch.Len() == 0 {
			return nil
		}
		if err := r.st.Write(ctx, batch); err != nil {
			return err
		}
		r.stats.Problems += len(batch.Problems)
		r.memo.storedAll(pending)
		pending = pending[:0]
		batch = &store.Batch{Repo: r.repoID, Run: r.runID}
		lastFlush = time.Now()
		return nil
	}
	remember := func(s *summary, sha string) {
		if s == nil || s.stored {
			return
		}
		s.stored = true
		if s.blob.Status == "unreadable" {
			batch.Problems = append(batch.Problems, store.Problem{Sha: sha, Path: s.blob.Path, Blob: s.blob.Blob, Kind: "unreadable", Message: s.blob.Reason})
		}
		if !s.transient {
			batch.Blobs = append(batch.Blobs, s.blob)
			pending = append(pending, s)
		}
	}
	n := 0
	for j := range jobs {
		sha := j.commit.Hash.String()
		if j.resetIndex {
			idx = index.New()
		}
		for _, f := range j.move {
			if f.new == nil {
				idx.Set(f.path, nil)
				continue
			}
			if err := r.memo.wait(f.new); err != nil {
				return err
			}
			remember(f.new, sha)
			idx.Set(f.path, f.new.factsFor(f.path))
		}
		rec, err := r.classify(j, idx, func(s *summary) { remember(s, sha) })
		if err != nil {
			return err
		}
		batch.Commits = append(batch.Commits, rec)
		batch.Problems = append(batch.Problems, j.problems...)
		if rec.Merge {
			r.stats.Merges++
		} else {
			r.stats.Commits++
			r.stats.Classes[rec.Class]++
		}
		n++
		if r.opts.Progress != nil {
			r.opts.Progress(n, total)
		}
		if len(batch.Commits) >= r.opts.BatchSize || time.Since(lastFlush) > 5*time.Second {
			if err := flush(ctx); err != nil {
				return err
			}
		}
	}
	if err := ctx.Err(); err != nil {
		// Interrupted: what is fully classified is still worth keeping.
		if ferr := flush(context.Background()); ferr != nil {
			return errors.Join(err, ferr)
		}
		return err
	}
	return flush(ctx)
}

// classify turns one job into a commit record and moves the index to the
// commit's tree.
func (r *run) classify(j *job, idx *index.Index, remember func(*summary)) (*store.Commit, error) {
	c := j.commit
	rec := &store.Commit{Sha: c.Hash.String(), Parents: []string{}, Author: c.Author.Name + " <" + c.Author.Email + ">",
		AuthorTime: c.Author.When, Subject: classify.Subject(c.Message), Message: c.Message, Hazards: []string{}, Changes: []store.Change{}}
	for _, p := range c.ParentHashes {
		rec.Parents = append(rec.Parents, p.String())
	}
	if len(rec.Parents) > 0 {
		rec.Parent = rec.Parents[0]
	}
	if len(c.ParentHashes) > 1 {
		rec.Merge, rec.Reason = true, "merge commit: recorded, not classified"
		return rec, nil
	}
	purpose, why := classify.PurposeOf(r.cfg, rec.Sha, c.Message)
	rec.Purpose, rec.PurposeReason = string(purpose), why
	if j.failure != "" {
		rec.Class, rec.Reason = string(classify.Unsupported), j.failure
		return rec, nil
	}
	files := make([]classify.File, 0, len(j.files))
	changed := map[string]*index.FileFacts{}
	for _, f := range j.files {
		cf := classify.File{Path: displayPath(f.path)}
		for _, side := range []struct {
			s    *summary
			h    plumbing.Hash
			into **classify.Version
		}{{f.old, f.oldHash, &cf.Old}, {f.new, f.newHash, &cf.New}} {
			switch {
			case side.s != nil:
				if err := r.memo.wait(side.s); err != nil {
					return nil, err
				}
				remember(side.s)
				*side.into = side.s.version()
			case !side.h.IsZero():
				*side.into = &classify.Version{Blob: side.h.String()}
			}
		}
		if cf.Old != nil && cf.New != nil && cf.Old.Summary == nil && cf.New.Summary == nil && classify.IsSource(f.path) &&
			cf.Old.Unreadable == "" && cf.New.Unreadable == "" {
			// A symlink or submodule change of a .c path: nothing compiled.
			continue
		}
		if classify.IsSource(f.path) && unreadable(cf.Old) == "" && unreadable(cf.New) == "" {
			changes, err := diff(summaryOf(cf.Old), summaryOf(cf.New))
			if err != nil {
				side := cf.New
				if side == nil {
					side = cf.Old
				}
				side.Unreadable = err.Error()
			}
			cf.Changes = changes
		}
		if f.new != nil {
			changed[f.path] = f.new.factsFor(f.path)
		}
		files = append(files, cf)
	}
	res := classify.Commit(r.cfg, files, index.Overlay{Base: idx, Changed: changed})
	for _, f := range j.files {
		if classify.IsSource(f.path) {
			if f.new == nil {
				idx.Set(f.path, nil)
			} else {
				idx.Set(f.path, f.new.factsFor(f.path))
			}
		}
	}
	rec.Class, rec.Reason = string(res.Class), res.Reason
	for _, h := range res.Hazards {
		rec.Hazards = append(rec.Hazards, string(h))
	}
	for _, ch := range res.Changes {
		sc := store.Change{File: ch.File, Entity: ch.Entity, Name: ch.Name, Change: ch.Change, Engine: ch.Engine,
			Class: string(ch.Class), Hazards: []string{}, Reason: ch.Reason, Detail: ch.Detail}
		for _, h := range ch.Hazards {
			sc.Hazards = append(sc.Hazards, string(h))
		}
		rec.Changes = append(rec.Changes, sc)
	}
	return rec, nil
}

func unreadable(v *classify.Version) string {
	if v == nil {
		return ""
	}
	return v.Unreadable
}

func summaryOf(v *classify.Version) *cparse.Summary {
	if v == nil {
		return nil
	}
	return v.Summary
}

// diff is cparse.Diff that cannot take the run down.
func diff(old, new *cparse.Summary) (changes []cparse.Change, err error) {
	defer func() {
		if r := recover(); r != nil {
			changes, err = nil, fmt.Errorf("comparing the versions crashed: %v", r)
		}
	}()
	return cparse.Diff(old, new), nil
}
