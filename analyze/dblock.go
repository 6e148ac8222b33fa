package analyze

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/upsynth/upsynth/analyze/store"
)

// openLocked opens the database for a run that writes it, once no other
// run holds it: SQLite's lock file, or PostgreSQL's advisory lock.
func openLocked(ctx context.Context, db string, waiting func()) (*store.Store, func(), error) {
	if store.IsPostgres(db) {
		st, err := store.Open(ctx, db)
		if err != nil {
			return nil, nil, err
		}
		release, err := st.LockAnalysis(ctx, waiting)
		if err != nil {
			st.Close()
			return nil, nil, err
		}
		return st, release, nil
	}
	release, err := lockDB(ctx, db, waiting)
	if err != nil {
		return nil, nil, err
	}
	st, err := store.Open(ctx, db)
	if err != nil {
		release()
		return nil, nil, err
	}
	return st, release, nil
}

// lockDB makes analyze runs on one database take turns: a second run waits
// for the first (then finds its commits recorded and analyzes only what is
// left) instead of doing all the work again. The lock is an advisory lock
// on DB.lock beside the database (not the database file: closing another
// descriptor of it would drop SQLite's own POSIX locks); the kernel
// releases it when a run ends, however it ends.
func lockDB(ctx context.Context, db string, waiting func()) (release func(), err error) {
	f, err := os.OpenFile(db+".lock", os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("lock for %s: %w", db, err)
	}
	told := false
	for {
		ok, err := tryLock(f)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("lock for %s: %w", db, err)
		}
		if ok {
			return func() { unlock(f); f.Close() }, nil
		}
		if !told && waiting != nil {
			waiting()
			told = true
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}
