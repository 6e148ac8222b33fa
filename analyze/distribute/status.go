package distribute

import (
	"context"
	"fmt"
	"time"

	"github.com/upsynth/upsynth/analyze/store"
)

// JobCounts are a run's jobs of one kind by state.
type JobCounts struct {
	Total     int `json:"total"`
	Completed int `json:"completed"`
	Running   int `json:"running"`
	Waiting   int `json:"waiting"` // available, scheduled, retryable or pending
	Failed    int `json:"failed"`  // discarded or cancelled
	Items     int `json:"items"`   // blobs or commits in all of them
	ItemsDone int `json:"items_done"`
}

// RunStatus is the progress of one run.
type RunStatus struct {
	ID        int64     `json:"id"`
	Repo      string    `json:"repo"`
	Status    string    `json:"status"` // running | done | failed | interrupted
	Started   string    `json:"started"`
	Finished  string    `json:"finished,omitempty"`
	Args      string    `json:"args"`
	Commits   int       `json:"commits_recorded"`
	Summarize JobCounts `json:"summarize"`
	Classify  JobCounts `json:"classify"`
	Error     string    `json:"error,omitempty"`
}

// Status lists the last n runs of the database, newest first, with the
// progress of their jobs (a run made in one process has none).
func Status(ctx context.Context, db string, n int64) ([]RunStatus, error) {
	st, err := store.OpenReader(ctx, db)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	return status(ctx, st, "", n)
}

// status lists runs of st: the last n, or (where is "r.id = ?") run n.
func status(ctx context.Context, st *store.Store, where string, n int64) ([]RunStatus, error) {
	cond, limit := "", " LIMIT ?"
	if where != "" {
		cond, limit = " WHERE "+where, ""
	}
	rows, err := st.DB().QueryContext(ctx, st.Rebind(`SELECT r.id, p.path, r.status, r.started_at, coalesce(r.finished_at, ''), r.args, coalesce(r.error, ''),
		(SELECT count(*) FROM commits c WHERE c.run_id = r.id)
		FROM runs r JOIN repos p ON p.id = r.repo_id`+cond+` ORDER BY r.id DESC`+limit), n)
	if err != nil {
		return nil, err
	}
	var out []RunStatus
	for rows.Next() {
		var r RunStatus
		if err := rows.Scan(&r.ID, &r.Repo, &r.Status, &r.Started, &r.Finished, &r.Args, &r.Error, &r.Commits); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil || !st.Postgres() {
		return out, err
	}
	var queue bool
	if err := st.DB().QueryRowContext(ctx, `SELECT to_regclass('river_job') IS NOT NULL`).Scan(&queue); err != nil || !queue {
		return out, err
	}
	for i := range out {
		r := &out[i]
		jrows, err := st.DB().QueryContext(ctx, `SELECT kind, state::text, count(*),
			sum(coalesce(jsonb_array_length(args->'blobs'), 0) + coalesce(jsonb_array_length(args->'commits'), 0))
			FROM river_job WHERE queue = $1 AND (args->>'run')::bigint = $2 GROUP BY kind, state`, Queue, r.ID)
		if err != nil {
			return nil, err
		}
		for jrows.Next() {
			var kind, state string
			var count, items int
			if err := jrows.Scan(&kind, &state, &count, &items); err != nil {
				jrows.Close()
				return nil, err
			}
			c := &r.Classify
			if kind == (SummarizeArgs{}).Kind() {
				c = &r.Summarize
			}
			c.Total += count
			c.Items += items
			switch state {
			case "completed":
				c.Completed += count
				c.ItemsDone += items
			case "running":
				c.Running += count
			case "discarded", "cancelled":
				c.Failed += count
			default:
				c.Waiting += count
			}
		}
		jrows.Close()
		if err := jrows.Err(); err != nil {
			return nil, err
		}
		// A run whose jobs all ended but whose end no worker recorded (the
		// worker died right after its last job failed) has ended all the
		// same.
		failed := r.Summarize.Failed + r.Classify.Failed
		if left := r.Summarize.Running + r.Summarize.Waiting + r.Classify.Running + r.Classify.Waiting; r.Status == "running" && r.Classify.Total > 0 && left == 0 && failed > 0 {
			r.Status, r.Error = "failed", fmt.Sprintf("%d jobs failed for good (river_job: state discarded or cancelled)", failed)
		}
	}
	return out, nil
}

// Wait blocks until run has ended (its last job records that), calling
// progress with its status every interval.
func Wait(ctx context.Context, db string, run int64, interval time.Duration, progress func(RunStatus)) (RunStatus, error) {
	st, err := store.OpenReader(ctx, db)
	if err != nil {
		return RunStatus{}, err
	}
	defer st.Close()
	for {
		all, err := status(ctx, st, "r.id = ?", run)
		if err != nil {
			return RunStatus{}, err
		}
		if len(all) == 0 {
			return RunStatus{}, fmt.Errorf("%s has no run %d", st.Name(), run)
		}
		cur := all[0]
		if progress != nil {
			progress(cur)
		}
		if cur.Status != "running" {
			return cur, nil
		}
		select {
		case <-ctx.Done():
			return cur, ctx.Err()
		case <-time.After(interval):
		}
	}
}
