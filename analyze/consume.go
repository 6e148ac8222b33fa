package analyze

import (
	"context"
	"errors"
	"time"

	"github.com/upsynth/upsynth/analyze/index"
	"github.com/upsynth/upsynth/analyze/store"
)

// batcher accumulates what one transaction writes: classified commits,
// the summaries they needed that the database lacks, and problems.
type batcher struct {
	r       *run
	ctx     context.Context // not cancelled with the run: a batch is written whole or not at all
	batch   *store.Batch
	pending []*summary // summaries in batch, moved to the memo's cache once written
	rows    int        // change rows in batch
	last    time.Time
}

// A batch is also written once it holds this many change rows or new
// summaries, whatever its number of commits: the commits that add or
// delete vendor trees bring tens of thousands of each, and a batch of them
// held in memory is what took FreeRTOS's analysis past a gigabyte.
const (
	flushRows  = 100_000
	flushBlobs = 2_000
)

func (b *batcher) remember(s *summary, sha string) {
	if s == nil || s.stored {
		return
	}
	s.stored = true
	if s.blob.Status == "unreadable" {
		b.batch.Problems = append(b.batch.Problems, store.Problem{Sha: sha, Path: s.blob.Path, Blob: s.blob.Blob, Kind: "unreadable", Message: s.blob.Reason})
	}
	if sum, _ := s.decoded(); sum != nil {
		for _, e := range sum.Errors {
			if e.Limit != nil {
				b.batch.Problems = append(b.batch.Problems, store.Problem{Sha: sha, Path: s.blob.Path, Blob: s.blob.Blob, Kind: "limit", Message: e.Limit.Error(), Limit: e.Limit})
			}
		}
	}
	if !s.transient {
		b.batch.Blobs = append(b.batch.Blobs, s.blob)
		b.pending = append(b.pending, s)
	}
}

func (b *batcher) flush() error {
	b.last = time.Now()
	if b.batch.Len() == 0 {
		return nil
	}
	if err := b.r.st.Write(b.ctx, b.batch); err != nil {
		return err
	}
	b.r.stats.Problems += len(b.batch.Problems)
	b.r.memo.storedAll(b.pending)
	b.pending = b.pending[:0]
	b.rows = 0
	b.batch = &store.Batch{Repo: b.r.repoID, Run: b.r.runID}
	return nil
}

// consume classifies jobs in order, keeping the index at each commit's
// tree, and writes them in batches. An interrupted run still writes the
// commits it has classified.
func (r *run) consume(ctx context.Context, total int, jobs <-chan *job, early []store.Problem) error {
	b := &batcher{r: r, ctx: context.WithoutCancel(ctx), last: time.Now(),
		batch: &store.Batch{Repo: r.repoID, Run: r.runID, Problems: early}}
	err := r.consumeJobs(ctx, total, jobs, b)
	if err != nil && ctx.Err() == nil {
		return err
	}
	if ferr := b.flush(); ferr != nil {
		return errors.Join(err, ferr)
	}
	if err == nil {
		err = ctx.Err()
	}
	return err
}

func (r *run) consumeJobs(ctx context.Context, total int, jobs <-chan *job, b *batcher) error {
	n := 0
	return r.classifyJobs(ctx, jobs, b.remember, func(j *job, rec *store.Commit) error {
		b.batch.Commits = append(b.batch.Commits, rec)
		b.batch.Problems = append(b.batch.Problems, j.problems...)
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
		b.rows += len(rec.Changes)
		if len(b.batch.Commits) >= r.opts.BatchSize || b.rows >= flushRows || len(b.pending) >= flushBlobs || time.Since(b.last) > 5*time.Second {
			return b.flush()
		}
		return nil
	})
}

// releaseWeight is the estimated memory of a commit's summaries (weight)
// from which they are released once it is classified (summary.release):
// the commits that add or delete vendor trees. A commit of a few files
// keeps them decoded for the next commits, which change the same files.
var releaseWeight int64 = 16 << 20

// classifyJobs classifies jobs in order, keeping the index at each commit's
// tree. remember is given every summary a commit's classification used;
// done each commit's record with its job.
func (r *run) classifyJobs(ctx context.Context, jobs <-chan *job, remember func(s *summary, sha string), done func(*job, *store.Commit) error) error {
	idx := index.New()
	for j := range jobs {
		if err := ctx.Err(); err != nil {
			return err
		}
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

		if err := done(j, rec); err != nil {
			return err
		}
	}
	return nil
}
