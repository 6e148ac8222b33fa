package analyze

import (
	"context"
	"fmt"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	"golang.org/x/sync/errgroup"

	"github.com/upsynth/upsynth/analyze/store"
	"github.com/upsynth/upsynth/cparse"
	"github.com/upsynth/upsynth/internal/lru"
	"github.com/upsynth/upsynth/kernel"
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
	// renamedFrom is the path of the file deleted that git would show
	// this added file renamed from (kernel.Repo.Renames).
	renamedFrom string
}

func (r *run) walk(ctx context.Context, rng *kernel.Range) error {
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
	early := r.unreadableCommits(ctx, rng, analyzed)
	if len(todo) == 0 && len(early) == 0 {
		return nil
	}
	return r.pipeline(ctx, todo, func(pctx context.Context, jobs <-chan *job) error {
		return r.consume(pctx, len(todo), jobs, early)
	})
}

// unreadableCommits are the problems of the range's commits that could not
// be read at all, not recorded before.
func (r *run) unreadableCommits(ctx context.Context, rng *kernel.Range, analyzed map[string]bool) []store.Problem {
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
	return early
}

// pipeline starts the memo's parse workers, produces the jobs of todo on one
// goroutine and hands them to consume on another.
func (r *run) pipeline(ctx context.Context, todo []*object.Commit, consume func(context.Context, <-chan *job) error) error {
	fp := parseSettings(r.cfg, r.opts.Engine)
	known := map[string]bool{}
	if r.st != nil && !r.probe {
		var err error
		if known, err = r.st.BlobHashes(ctx, cparse.SchemaVersion, fp.Fingerprint()); err != nil {
			return err
		}
	}
	workers, wctx := errgroup.WithContext(ctx)
	workers.SetLimit(r.opts.Jobs)
	r.memo = &memo{ctx: wctx, repo: r.repo, st: r.st, parse: r.opts.Parse, pcfg: fp, fp: fp.Fingerprint(),
		maxFile: r.opts.MaxFileSize, workers: workers, known: known, inflight: map[plumbing.Hash][]*summary{},
		cache: lru.NewWeighted[plumbing.Hash, *summary](2048, summaryCacheBytes, (*summary).weight), planning: r.planning, probe: r.probe, checkRespelled: r.opts.checkRespelled}

	jobs := make(chan *job, 64)
	pipeline, pctx := errgroup.WithContext(wctx)
	pipeline.Go(func() error {
		defer close(jobs)
		return r.produce(pctx, todo, jobs)
	})
	pipeline.Go(func() error { return consume(pctx, jobs) })
	err := pipeline.Wait()
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
		var deltas []kernel.Delta
		if deltas, err = r.repo.DiffTrees(parentTree, c.TreeHash); err == nil {
			if j.move, err = r.refs(move, *indexTree, parentTree, j, false); err == nil {
				j.files, err = r.refs(deltas, parentTree, c.TreeHash, j, true)
			}
			if err == nil {
				r.markRenames(j, deltas)
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
func (r *run) refs(ds []kernel.Delta, oldRoot, newRoot plumbing.Hash, j *job, withOld bool) ([]fileRef, error) {
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
		source := kernel.IsSource(d.Path) || kernel.KindOf(d.Path) == kernel.KindAsm
		if !source && !withOld {
			continue
		}
		if source {
			var err error
			n := inTree
			if !withOld {
				n = anyVersion // an index move
			}
			if withOld && !d.From.IsZero() && kernel.IsFileMode(d.FromMode) {
				if f.old, err = r.memo.get(d.From, d.Path, oldRoot, inTree, nil); err != nil {
					return nil, err
				}
			}
			if !d.To.IsZero() && kernel.IsFileMode(d.ToMode) {
				if f.new, err = r.memo.get(d.To, d.Path, newRoot, n, f.old); err != nil {
					return nil, err
				}
			}
		}
		out = append(out, f)
	}
	return out, nil
}

// markRenames marks the commit's added source files that git would show
// renamed from a deleted one, so that their entities are compared with
// their old selves. A blob that cannot be read leaves its file unpaired,
// recorded as a problem.
func (r *run) markRenames(j *job, deltas []kernel.Delta) {
	renames, err := r.repo.Renames(deltas, func(p string) bool {
		return r.wanted(p) && (kernel.IsSource(p) || kernel.KindOf(p) == kernel.KindAsm)
	})
	if err != nil {
		j.problems = append(j.problems, store.Problem{Sha: j.commit.Hash.String(), Kind: "missing-object",
			Message: "renames not followed for a file that could not be read: " + err.Error()})
	}
	from := map[string]string{}
	for _, rn := range renames {
		from[rn.To] = rn.From
	}
	for i := range j.files {
		if p, ok := from[j.files[i].path]; ok {
			j.files[i].renamedFrom = p
		}
	}
}
