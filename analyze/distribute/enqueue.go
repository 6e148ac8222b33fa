package distribute

import (
	"context"
	"fmt"
	"io"
	"log/slog"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivermigrate"

	"github.com/upsynth/upsynth/analyze"
	"github.com/upsynth/upsynth/analyze/store"
)

// Sizes are how a run is cut into jobs.
type Sizes struct {
	Blobs   int // distinct blobs per summarize job (0: 64)
	Commits int // commits per classify job (0: 200)
}

func (s *Sizes) defaults() {
	if s.Blobs <= 0 {
		s.Blobs = 64
	}
	if s.Commits <= 0 {
		s.Commits = 200
	}
}

// Migrate creates or upgrades river's tables in the database, once at a
// time across processes.
func Migrate(ctx context.Context, pool *pgxpool.Pool) error {
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return err
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock(hashtext('upsynth river migrate'))`); err != nil {
		return err
	}
	defer conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock(hashtext('upsynth river migrate'))`)
	m, err := rivermigrate.New(riverpgxv5.New(pool), &rivermigrate.Config{Logger: quietLogger(io.Discard)})
	if err != nil {
		return err
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("river's tables: %w", err)
	}
	return nil
}

func quietLogger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelWarn}))
}

// Enqueue plans a run of opts (analyze.PlanRun) and inserts its jobs, all
// in one transaction. The plan says what was enqueued; a plan without
// commits has no jobs (its run is already recorded as done).
func Enqueue(ctx context.Context, opts analyze.Options, sizes Sizes) (*analyze.Plan, error) {
	sizes.defaults()
	st, err := store.Open(ctx, opts.DB)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	if !st.Postgres() {
		return nil, store.ErrNotPostgres
	}
	if err := Migrate(ctx, st.Pool()); err != nil {
		return nil, err
	}
	plan, err := analyze.PlanRun(ctx, opts)
	if err != nil || len(plan.Commits) == 0 {
		return plan, err
	}
	var params []river.InsertManyParams
	for i := 0; i < len(plan.Blobs); i += sizes.Blobs {
		params = append(params, river.InsertManyParams{Args: SummarizeArgs{Settings: plan.Settings, Blobs: plan.Blobs[i:min(i+sizes.Blobs, len(plan.Blobs))]}})
	}
	for i := 0; i < len(plan.Commits); i += sizes.Commits {
		end := min(i+sizes.Commits, len(plan.Commits))
		params = append(params, river.InsertManyParams{Args: ClassifyArgs{Settings: plan.Settings, Commits: plan.Commits[i:end], Ords: plan.Ords[i:end]}})
	}
	client, err := river.NewClient(riverpgxv5.New(st.Pool()), &river.Config{Logger: quietLogger(io.Discard)})
	if err != nil {
		return nil, err
	}
	tx, err := st.Pool().Begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback(ctx)
	if _, err := client.InsertManyTx(ctx, tx, params); err != nil {
		return nil, err
	}
	return plan, tx.Commit(ctx)
}
