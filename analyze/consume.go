package analyze

import (
	"context"
	"errors"
	"sync/atomic"
	"time"

	"github.com/upsynth/upsynth/analyze/index"
	"github.com/upsynth/upsynth/analyze/store"
)

// batcher accumulates what one transaction writes: classified commits,
// the summaries they needed that the database lacks, and problems. A full
// batch goes to the writer, a goroutine of its own, while the next one
// fills: the database's work (a fifth of FreeRTOS's CPU time) runs beside
// classification instead of after it. One batch is written while one
// fills, no more, so the memory held stays that of two batches.
type batcher struct {
	r       *run
	ctx     context.Context // not cancelled with the run: a batch is written whole or not at all
	batch   *store.Batch
	pending []*summary // summaries in batch, moved to the memo's cache once written
	rows    int        // change rows in batch
	last    time.Time

	writes  chan writing // to the writer; unbuffered
	written chan error   // the writer's first error, or nil, once writes is closed
	failed  atomic.Pointer[error]
}

// writing is a batch handed to the writer, with the summaries it stores.
type writing struct {
	batch   *store.Batch
	pending []*summary
}

// newBatcher starts the writer of r's batches; finish stops it.
func newBatcher(r *run, ctx context.Context, early []store.Problem) *batcher {
	b := &batcher{r: r, ctx: context.WithoutCancel(ctx), last: time.Now(),
		batch:  &store.Batch{Repo: r.repoID, Run: r.runID, Problems: early},
		writes: make(chan writing), written: make(chan error, 1)}
	go b.write()
	return b
}

// write writes the batches handed to it in order. After a failure it
// writes nothing more (a later batch may hold summaries the failed one
// was to store) and only drains what is handed to it.
func (b *batcher) write() {
	var first error
	for w := range b.writes {
		if first != nil {
			continue
		}
		if err := b.r.st.Write(b.ctx, w.batch); err != nil {
			first = err
			b.failed.Store(&err)
			continue
		}
		// Written: the summaries are the database's now, and the memo
		// may let them go to its cache.
		b.r.memo.storedAll(w.pending)
	}
	b.written <- first
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

// flush hands the batch to the writer and starts the next one. It returns
// the writer's error once one has failed.
func (b *batcher) flush() error {
	b.last = time.Now()
	if err := b.failed.Load(); err != nil {
		return *err
	}
	if b.batch.Len() == 0 {
		return nil
	}
	b.r.stats.Problems += len(b.batch.Problems)
	b.writes <- writing{batch: b.batch, pending: b.pending}
	b.pending = nil
	b.rows = 0
	b.batch = &store.Batch{Repo: b.r.repoID, Run: b.r.runID}
	return nil
}

// finish hands over the last batch and waits until every batch is
// written, returning the writer's error if one failed.
func (b *batcher) finish() error {
	err := b.flush()
	close(b.writes)
	if werr := <-b.written; werr != nil {
		return werr
	}
	return err
}

// consume classifies jobs in order, keeping the index at each commit's
// tree, and writes them in batches. An interrupted run still writes the
// commits it has classified.
func (r *run) consume(ctx context.Context, total int, jobs <-chan *job, early []store.Problem) error {
	b := newBatcher(r, ctx, early)
	err := r.consumeJobs(ctx, total, jobs, b)
	if err != nil && ctx.Err() == nil {
		// What was handed to the writer is still written.
		b.batch = &store.Batch{Repo: r.repoID, Run: r.runID}
		return errors.Join(err, b.finish())
	}
	if ferr := b.finish(); ferr != nil {
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
