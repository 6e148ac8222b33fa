package distribute

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivertype"

	"github.com/upsynth/upsynth/analyze"
	"github.com/upsynth/upsynth/analyze/store"
)

// WorkOptions configure a worker process.
type WorkOptions struct {
	DB   string // the PostgreSQL database of the runs
	Repo string // this machine's clone of the repository
	// ID names the worker in river (default: the host name). A worker
	// restarted under the same ID puts back the jobs its previous
	// incarnation was running when it died; give workers on one machine
	// different IDs.
	ID string
	// Concurrency is the number of jobs run at once (0: 1).
	Concurrency int
	// RescueAfter is how long a job may run before river's rescuer gives
	// it to another worker (0: 30 minutes): longer than the longest job.
	RescueAfter time.Duration
	// UntilIdle stops the worker once the queue holds no unfinished job.
	UntilIdle bool
	// Log receives river's warnings and errors (nil: discarded).
	Log io.Writer
	// Done, when set, is called after each job this worker completes.
	Done func(kind string)
	// Started, when set, is called once the worker takes jobs.
	Started func()
}

// Work runs jobs until ctx is cancelled (or, with UntilIdle, until the
// queue is empty). Jobs interrupted by the cancellation are put back at
// once for another worker.
func Work(ctx context.Context, o WorkOptions) error {
	if o.ID == "" {
		o.ID, _ = os.Hostname()
	}
	if o.Concurrency <= 0 {
		o.Concurrency = 1
	}
	if o.RescueAfter <= 0 {
		o.RescueAfter = 30 * time.Minute
	}
	if o.Log == nil {
		o.Log = io.Discard
	}
	if !store.IsPostgres(o.DB) {
		return fmt.Errorf("workers need the PostgreSQL database of the run (--db postgres://…), not %s", o.DB)
	}
	st, err := store.Open(ctx, o.DB)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := Migrate(ctx, st.Pool()); err != nil {
		return err
	}
	w, err := analyze.NewWorker(o.Repo, st, 1)
	if err != nil {
		return err
	}
	defer w.Close()
	if err := putBackOwn(ctx, st, o.ID); err != nil {
		return err
	}
	workers := river.NewWorkers()
	river.AddWorker(workers, &summarizeWorker{st: st, w: w, done: o.Done})
	river.AddWorker(workers, &classifyWorker{st: st, w: w, done: o.Done})
	client, err := river.NewClient(riverpgxv5.New(st.Pool()), &river.Config{
		ID:                   o.ID,
		Queues:               map[string]river.QueueConfig{Queue: {MaxWorkers: o.Concurrency}},
		Workers:              workers,
		JobTimeout:           -1, // a job takes what it takes; the rescuer bounds it
		RescueStuckJobsAfter: o.RescueAfter,
		FetchCooldown:        20 * time.Millisecond,
		FetchPollInterval:    200 * time.Millisecond,
		Logger:               quietLogger(o.Log),
	})
	if err != nil {
		return err
	}
	// A job that failed for good may be its run's last: the run ends
	// then too (failed), as finishIfLast records it for completed jobs.
	events, unsubscribe := client.Subscribe(river.EventKindJobCancelled, river.EventKindJobFailed)
	defer unsubscribe()
	go func() {
		for ev := range events {
			if ev.Job.State != rivertype.JobStateCancelled && ev.Job.State != rivertype.JobStateDiscarded {
				continue
			}
			var set analyze.Settings
			if json.Unmarshal(ev.Job.EncodedArgs, &set) == nil {
				endRun(context.WithoutCancel(ctx), st, set.Run)
			}
		}
	}()
	if err := client.Start(ctx); err != nil {
		return err
	}
	if o.Started != nil {
		o.Started()
	}
	if o.UntilIdle {
		err = waitIdle(ctx, st)
	} else {
		<-ctx.Done()
	}
	// Jobs still running are cancelled and snooze (put back at once).
	stopCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	if serr := client.StopAndCancel(stopCtx); err == nil && ctx.Err() == nil {
		err = serr
	}
	if err == nil {
		err = ctx.Err()
	}
	return err
}

// putBackOwn makes the jobs a previous incarnation of this worker (the
// same ID) was running when it died available again: nothing else is
// running them, as river's rescuer would decide only after RescueAfter.
func putBackOwn(ctx context.Context, st *store.Store, id string) error {
	_, err := st.Pool().Exec(ctx, `UPDATE river_job SET state = 'available', scheduled_at = now()
		WHERE state = 'running' AND queue = $1 AND attempted_by[cardinality(attempted_by)] = $2`, Queue, id)
	return err
}

// waitIdle returns once the queue has held no unfinished job for a moment.
func waitIdle(ctx context.Context, st *store.Store) error {
	idle := 0
	for idle < 3 {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
		var n int
		if err := st.Pool().QueryRow(ctx, `SELECT count(*) FROM river_job WHERE queue = $1
			AND state NOT IN ('completed', 'cancelled', 'discarded')`, Queue).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			idle++
		} else {
			idle = 0
		}
	}
	return nil
}

// complete writes a job's batch and marks the job completed in one
// transaction, then ends the run if this was its last job.
func complete[T river.JobArgs](ctx context.Context, st *store.Store, job *river.Job[T], set analyze.Settings, b *store.Batch) error {
	tx, err := st.Pool().Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	if err := st.WriteTx(ctx, tx, b); err != nil {
		return err
	}
	if _, err := river.JobCompleteTx[*riverpgxv5.Driver](ctx, tx, job); err != nil {
		return err
	}
	if err := finishIfLast(ctx, tx, set.Run); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

// endRun records the end of run if none of its jobs is left.
func endRun(ctx context.Context, st *store.Store, run int64) error {
	tx, err := st.Pool().Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx)
	if err := finishIfLast(ctx, tx, run); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

// finishIfLast records the end of run when none of its jobs is left
// unfinished. Jobs finishing at once take turns on an advisory lock per
// run, so the last of them sees the others finished.
func finishIfLast(ctx context.Context, tx pgx.Tx, run int64) error {
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('upsynth run'), $1::int)`, run); err != nil {
		return err
	}
	var left, discarded int
	if err := tx.QueryRow(ctx, `SELECT count(*) FILTER (WHERE state NOT IN ('completed', 'cancelled', 'discarded')),
		count(*) FILTER (WHERE state IN ('cancelled', 'discarded'))
		FROM river_job WHERE queue = $1 AND (args->>'run')::bigint = $2`, Queue, run).Scan(&left, &discarded); err != nil {
		return err
	}
	if left > 0 {
		return nil
	}
	status, msg := "done", ""
	if discarded > 0 {
		status, msg = "failed", fmt.Sprintf("%d jobs failed for good (river_job: state discarded or cancelled)", discarded)
	}
	_, err := tx.Exec(ctx, `UPDATE runs SET finished_at = $1, status = $2, error = $3,
		commits_analyzed = (SELECT count(*) FROM commits WHERE run_id = $4 AND is_merge = 0),
		merges = (SELECT count(*) FROM commits WHERE run_id = $4 AND is_merge = 1),
		blobs_parsed = (SELECT count(*) FROM river_job j, jsonb_array_elements(j.args->'blobs')
			WHERE j.queue = $5 AND j.kind = 'upsynth_summarize' AND (j.args->>'run')::bigint = $4),
		problems = (SELECT count(*) FROM problems WHERE run_id = $4)
		WHERE id = $4 AND status = 'running'`,
		time.Now().UTC().Format(time.RFC3339), status, msg, run, Queue)
	return err
}

// outcome turns a job's error into river's verdict: settings that differ
// fail the job for good; a job cut short by the worker's shutdown goes
// back to the queue at once.
func outcome(ctx context.Context, err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, analyze.ErrSettings):
		return river.JobCancel(err)
	case ctx.Err() != nil:
		return river.JobSnooze(0)
	}
	return err
}

type summarizeWorker struct {
	river.WorkerDefaults[SummarizeArgs]
	st   *store.Store
	w    *analyze.Worker
	done func(string)
}

func (s *summarizeWorker) Work(ctx context.Context, job *river.Job[SummarizeArgs]) error {
	b, err := s.w.Summarize(ctx, job.Args.Settings, job.Args.Blobs)
	if err == nil {
		err = complete(ctx, s.st, job, job.Args.Settings, b)
	}
	if err == nil && s.done != nil {
		s.done(job.Kind)
	}
	return outcome(ctx, err)
}

type classifyWorker struct {
	river.WorkerDefaults[ClassifyArgs]
	st   *store.Store
	w    *analyze.Worker
	done func(string)
}

func (c *classifyWorker) Work(ctx context.Context, job *river.Job[ClassifyArgs]) error {
	// Commits are classified once their blobs are in.
	var pending int
	if err := c.st.Pool().QueryRow(ctx, `SELECT count(*) FROM river_job WHERE queue = $1 AND kind = 'upsynth_summarize'
		AND (args->>'run')::bigint = $2 AND state NOT IN ('completed', 'cancelled', 'discarded')`, Queue, job.Args.Run).Scan(&pending); err != nil {
		return outcome(ctx, err)
	}
	if pending > 0 {
		return river.JobSnooze(300 * time.Millisecond)
	}
	b, err := c.w.ClassifySegment(ctx, job.Args.Settings, job.Args.Commits, job.Args.Ords)
	if err == nil {
		err = complete(ctx, c.st, job, job.Args.Settings, b)
	}
	if err == nil && c.done != nil {
		c.done(job.Kind)
	}
	return outcome(ctx, err)
}
