package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
)

// PostgreSQL: a database many machines share (the distributed workers of
// package distribute write to it concurrently). The store reaches it
// through a pgx pool, wrapped as a database/sql handle so that every query
// is the same code as on SQLite; the pool itself is what river and the
// workers' transactions use (Pool, WriteTx).

// openPostgres connects to the database at url. A reader's sessions are
// read-only (default_transaction_read_only): it cannot write even by
// mistake, as SQLite's mode=ro guarantees.
func openPostgres(ctx context.Context, url string, readOnly bool) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", Display(url), err)
	}
	if readOnly {
		cfg.ConnConfig.RuntimeParams["default_transaction_read_only"] = "on"
	}
	cfg.ConnConfig.RuntimeParams["application_name"] = "upsynth"
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", Display(url), err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("%s: %w", Display(url), err)
	}
	return &Store{db: stdlib.OpenDBFromPool(pool), pg: true, pool: pool, name: Display(url)}, nil
}

// pgVersion is the schema version of a PostgreSQL database: 0 when it
// holds no upsynth schema.
func pgVersion(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}) (int, error) {
	var exists bool
	if err := q.QueryRowContext(ctx, `SELECT to_regclass('upsynth_schema') IS NOT NULL`).Scan(&exists); err != nil {
		return 0, err
	}
	if !exists {
		return 0, nil
	}
	var v int
	err := q.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM upsynth_schema`).Scan(&v)
	return v, err
}

// pgMigrate brings a PostgreSQL database to the current schema in one
// transaction (PostgreSQL's DDL is transactional: a failed migration
// leaves the schema as it was), serialized between processes by an
// advisory lock.
func (s *Store) pgMigrate(ctx context.Context) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(hashtext('upsynth schema'))`); err != nil {
		return err
	}
	v, err := pgVersion(ctx, tx)
	if err != nil {
		return err
	}
	if v > len(pgMigrations) {
		return fmt.Errorf("database schema version %d is newer than this upsynth (%d)", v, len(pgMigrations))
	}
	if v == len(pgMigrations) {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS upsynth_schema (version INTEGER NOT NULL)`); err != nil {
		return err
	}
	for ; v < len(pgMigrations); v++ {
		if _, err := tx.ExecContext(ctx, pgMigrations[v]); err != nil {
			return fmt.Errorf("migration %d: %w", v+1, err)
		}
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM upsynth_schema`); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO upsynth_schema(version) VALUES ($1)`, v); err != nil {
		return err
	}
	return tx.Commit()
}

// ErrNotPostgres is returned by what only a PostgreSQL store can do.
var ErrNotPostgres = errors.New("this needs a PostgreSQL database (--db postgres://…)")

// Pool is the PostgreSQL connection pool (nil for SQLite): river's driver
// and the distributed workers' transactions use it.
func (s *Store) Pool() *pgxpool.Pool { return s.pool }

// Postgres reports whether the store is a PostgreSQL database.
func (s *Store) Postgres() bool { return s.pg }

// Name is the database as messages show it (a URL without its password).
func (s *Store) Name() string { return s.name }

// LockAnalysis makes analyze runs on one PostgreSQL database take turns,
// as the lock file beside a SQLite database does: a session-level advisory
// lock, held on one connection until release (or until the process dies
// and the server ends its session).
func (s *Store) LockAnalysis(ctx context.Context, waiting func()) (release func(), err error) {
	if !s.pg {
		return nil, ErrNotPostgres
	}
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return nil, err
	}
	told := false
	for {
		var ok bool
		if err := conn.QueryRow(ctx, `SELECT pg_try_advisory_lock(hashtext('upsynth analyze'))`).Scan(&ok); err != nil {
			conn.Release()
			return nil, err
		}
		if ok {
			return func() {
				conn.Exec(context.Background(), `SELECT pg_advisory_unlock(hashtext('upsynth analyze'))`)
				conn.Release()
			}, nil
		}
		if !told && waiting != nil {
			waiting()
			told = true
		}
		select {
		case <-ctx.Done():
			conn.Release()
			return nil, ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// WriteTx writes a batch inside tx, a transaction on Pool that the caller
// commits: a distributed worker completes its river job in the same
// transaction, so a job's rows and its completion are written together or
// not at all, and a retried job never adds them twice.
func (s *Store) WriteTx(ctx context.Context, tx pgx.Tx, b *Batch) error {
	if !s.pg {
		return ErrNotPostgres
	}
	return s.writeBatch(ctx, pgxExec{tx}, b)
}

// pgxExec runs the store's statements on a pgx transaction (pgx caches
// their prepared forms per connection).
type pgxExec struct{ tx pgx.Tx }

func (e pgxExec) exec(ctx context.Context, query string, args ...any) error {
	_, err := e.tx.Exec(ctx, query, args...)
	return err
}

// sqlExec runs the store's statements on a database/sql transaction,
// preparing each once.
type sqlExec struct {
	tx    *sql.Tx
	stmts map[string]*sql.Stmt
}

func (e *sqlExec) exec(ctx context.Context, query string, args ...any) error {
	st := e.stmts[query]
	if st == nil {
		var err error
		if st, err = e.tx.PrepareContext(ctx, query); err != nil {
			return err
		}
		e.stmts[query] = st
	}
	_, err := st.ExecContext(ctx, args...)
	return err
}

// ReserveOrds takes n places in analysis order (PostgreSQL), increasing: a
// distributed run gives them to its commits when it plans them, so the
// commits are reported in the order a one-process run would write them
// whichever worker classifies them first.
func (s *Store) ReserveOrds(ctx context.Context, n int) ([]int64, error) {
	if !s.pg {
		return nil, ErrNotPostgres
	}
	rows, err := s.db.QueryContext(ctx, `SELECT nextval('commit_ord') FROM generate_series(1, $1)`, n)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make([]int64, 0, n)
	for rows.Next() {
		var v int64
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	slices.Sort(out)
	return out, rows.Err()
}
