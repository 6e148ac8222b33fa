package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/upsynth/upsynth/analyze/classify"
	"github.com/upsynth/upsynth/cparse"
)

const commitColumns = `repo_id, sha, parent, parents, is_merge, author, author_time, subject, message,
	coalesce(class, ''), coalesce(purpose, ''), coalesce(purpose_reason, ''), hazards, reason`

func splitList[T ~string](s, sep string) []T {
	if s == "" {
		return []T{}
	}
	parts := strings.Split(s, sep)
	list := make([]T, len(parts))
	for i, p := range parts {
		list[i] = T(p)
	}
	return list
}

func scanCommit(rows interface{ Scan(...any) error }) (int64, *Commit, error) {
	var c Commit
	var repo int64
	var parents, when, hazards string
	if err := rows.Scan(&repo, &c.Sha, &c.Parent, &parents, &c.Merge, &c.Author, &when, &c.Subject, &c.Message,
		&c.Class, &c.Purpose, &c.PurposeReason, &hazards, &c.Reason); err != nil {
		return 0, nil, err
	}
	c.Parents = splitList[string](parents, " ")
	c.Hazards = splitList[string](hazards, ",")
	c.AuthorTime, _ = time.Parse(time.RFC3339, when)
	c.Changes = []Change{}
	return repo, &c, nil
}

// FindCommits returns the commits whose sha starts with prefix (at least 4
// hex digits), across repositories, with their changes.
func (s *Store) FindCommits(ctx context.Context, prefix string) ([]*Commit, error) {
	prefix = strings.ToLower(prefix)
	if len(prefix) < 4 || strings.Trim(prefix, "0123456789abcdef") != "" {
		return nil, fmt.Errorf("%q is not a commit sha prefix", prefix)
	}
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT `+commitColumns+` FROM commits WHERE sha >= ? AND sha < ? ORDER BY rowid`), prefix, prefix+"g")
	if err != nil {
		return nil, err
	}
	return s.collect(ctx, rows)
}

// Commits returns every commit of a repository (0: all repositories) in
// analysis order, with their changes.
func (s *Store) Commits(ctx context.Context, repo int64) ([]*Commit, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT `+commitColumns+` FROM commits WHERE ? = 0 OR repo_id = ? ORDER BY rowid`), repo, repo)
	if err != nil {
		return nil, err
	}
	return s.collect(ctx, rows)
}

type commitKey struct {
	repo int64
	sha  string
}

func (s *Store) collect(ctx context.Context, rows *sql.Rows) ([]*Commit, error) {
	defer rows.Close()
	out := []*Commit{}
	byKey := map[commitKey]*Commit{}
	repos := map[int64]bool{}
	for rows.Next() {
		repo, c, err := scanCommit(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
		byKey[commitKey{repo, c.Sha}] = c
		repos[repo] = true
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	if len(out) == 0 {
		return out, nil
	}
	// One pass over the changes of the repositories involved is cheaper
	// than a query per commit when reporting a whole history.
	q := `SELECT repo_id, sha, file, entity, name, change, class, hazards, engine, reason, detail FROM changes`
	var args []any
	if len(out) < 50 {
		var ors []string
		for k := range byKey {
			ors = append(ors, "(repo_id = ? AND sha = ?)")
			args = append(args, k.repo, k.sha)
		}
		q += " WHERE " + strings.Join(ors, " OR ")
	}
	q += " ORDER BY repo_id, sha, seq"
	crows, err := s.db.QueryContext(ctx, s.q(q), args...)
	if err != nil {
		return nil, err
	}
	defer crows.Close()
	for crows.Next() {
		var k commitKey
		var ch Change
		var hazards string
		if err := crows.Scan(&k.repo, &k.sha, &ch.File, &ch.Entity, &ch.Name, &ch.Change, &ch.Class, &hazards, &ch.Engine, &ch.Reason, &ch.Detail); err != nil {
			return nil, err
		}
		ch.Hazards = splitList[classify.Hazard](hazards, ",")
		if c := byKey[k]; c != nil {
			c.Changes = append(c.Changes, ch)
		}
	}
	return out, crows.Err()
}

// Problems lists the problems recorded for a commit ("" for all of a repo).
func (s *Store) Problems(ctx context.Context, repo int64, sha string) ([]Problem, error) {
	return s.queryProblems(ctx, `SELECT sha, path, blob, kind, message, engine, limit_name, limit_value, figure, unit FROM problems
		WHERE repo_id = ? AND (? = '' OR sha = ?) ORDER BY id`, repo, sha, sha)
}

// queryProblems runs a query selecting sha, path, blob, kind, message and
// the limit's engine, name, value, figure and unit.
func (s *Store) queryProblems(ctx context.Context, query string, args ...any) ([]Problem, error) {
	rows, err := s.db.QueryContext(ctx, s.q(query), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Problem
	for rows.Next() {
		var p Problem
		var lim cparse.LimitError
		if err := rows.Scan(&p.Sha, &p.Path, &p.Blob, &p.Kind, &p.Message, &lim.Engine, &lim.Limit, &lim.Max, &lim.Figure, &lim.Unit); err != nil {
			return nil, err
		}
		if lim.Limit != "" {
			p.Limit = &lim
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// HasProblem reports whether a problem was ever recorded for a commit.
func (s *Store) HasProblem(ctx context.Context, repo int64, sha string) (bool, error) {
	var n int
	err := s.db.QueryRowContext(ctx, s.q(`SELECT count(*) FROM problems WHERE repo_id = ? AND sha = ?`), repo, sha).Scan(&n)
	return n > 0, err
}

// BlobHashes lists the blobs memoized under a schema and fingerprint, so a
// run asks the database only for summaries it knows are there.
func (s *Store) BlobHashes(ctx context.Context, schema int, fingerprint string) (map[string]bool, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT blob FROM blobs WHERE schema = ? AND fingerprint = ?`), schema, fingerprint)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var b string
		if err := rows.Scan(&b); err != nil {
			return nil, err
		}
		out[b] = true
	}
	return out, rows.Err()
}

// CommitProblems lists the problems recorded for a commit in any repository.
func (s *Store) CommitProblems(ctx context.Context, sha string) ([]Problem, error) {
	return s.queryProblems(ctx, `SELECT sha, path, blob, kind, message, engine, limit_name, limit_value, figure, unit FROM problems WHERE sha = ? ORDER BY id`, sha)
}
