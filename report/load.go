package report

import (
	"context"
	"fmt"
	"net/url"
	"path/filepath"
	"slices"
	"strings"

	"github.com/upsynth/upsynth/analyze/store"
	"github.com/upsynth/upsynth/kernel"
)

// Source names the commits of one dataset: a database, optionally one of
// its repositories and a revision range of it.
type Source struct {
	DB   string
	Repo string // repository path; "" for every repository the database holds
	Rev  string // "REV" or "A..B", resolved in Repo (or the database's only repository)
}

// OpenStore opens an existing analysis database for reading; unlike
// store.Open it never creates, migrates or writes one, so a mistyped path
// or a file that is not a database is an error.
func OpenStore(ctx context.Context, db string) (*store.Store, error) {
	return store.OpenReader(ctx, db)
}

// Load reads the commits of a source.
func Load(ctx context.Context, src Source) (Dataset, error) {
	ds := Dataset{Label: dbName(src.DB), Source: store.Display(src.DB), Range: src.Rev}
	st, err := OpenStore(ctx, src.DB)
	if err != nil {
		return ds, err
	}
	defer st.Close()
	repoID, repoPath, err := SelectRepo(ctx, st, src.DB, src.Repo)
	if err != nil {
		return ds, err
	}
	ds.Repo = repoPath
	cs, err := st.Commits(ctx, repoID)
	if err != nil {
		return ds, fmt.Errorf("%s: %w", store.Display(src.DB), err)
	}
	if src.Rev != "" {
		in, err := revCommits(repoPath, src.Rev)
		if err != nil {
			return ds, err
		}
		cs = slices.DeleteFunc(cs, func(c *store.Commit) bool { return !in[c.Sha] })
	}
	ds.Commits = cs
	return ds, nil
}

// SelectRepo chooses the repository of a database a report covers: the
// one named by want (a path, as given to analyze), or the only one the
// database holds. A database that holds several is refused without a
// choice, listing them: a report never blends two kernels' histories.
func SelectRepo(ctx context.Context, st *store.Store, db, want string) (id int64, path string, err error) {
	db = store.Display(db)
	repos, err := st.Repos(ctx)
	if err != nil {
		return 0, "", fmt.Errorf("%s: %w", db, err)
	}
	if want != "" {
		id, path, err = findRepo(repos, want)
		if err != nil {
			return 0, "", fmt.Errorf("%s: %w", db, err)
		}
		return id, path, nil
	}
	switch len(repos) {
	case 0: // nothing analyzed yet: an empty report
		return 0, "", nil
	case 1:
		for id, p := range repos {
			return id, p, nil
		}
	}
	return 0, "", fmt.Errorf("%s holds %d repositories (%s): choose one with --repo", db, len(repos), strings.Join(sortedPaths(repos), ", "))
}

func sortedPaths(repos map[int64]string) []string {
	var out []string
	for _, p := range repos {
		out = append(out, p)
	}
	slices.Sort(out)
	return out
}

func findRepo(repos map[int64]string, want string) (int64, string, error) {
	abs, err := filepath.Abs(want)
	if err != nil {
		return 0, "", err
	}
	real, _ := filepath.EvalSymlinks(abs)
	for id, p := range repos {
		if p == abs || p == real {
			return id, p, nil
		}
		if r, _ := filepath.EvalSymlinks(p); r != "" && r == real {
			return id, p, nil
		}
	}
	return 0, "", fmt.Errorf("repository %s was not analyzed into it (it holds: %s)", want, strings.Join(sortedPaths(repos), ", "))
}

// revCommits lists the commits of a revision range in a repository.
func revCommits(repoPath, rev string) (map[string]bool, error) {
	r, err := kernel.Open(repoPath)
	if err != nil {
		return nil, fmt.Errorf("--rev %s: %w", rev, err)
	}
	defer r.Close()
	rng, err := r.Commits(rev, false)
	if err != nil {
		return nil, fmt.Errorf("--rev %s in %s: %w", rev, repoPath, err)
	}
	in := make(map[string]bool, len(rng.Commits))
	for _, c := range rng.Commits {
		in[c.Hash.String()] = true
	}
	return in, nil
}

// dbName is a database's short name: a file's without its directory and
// extension, a PostgreSQL database's own name.
func dbName(db string) string {
	if store.IsPostgres(db) {
		if u, err := url.Parse(db); err == nil && strings.Trim(u.Path, "/") != "" {
			return strings.Trim(u.Path, "/")
		}
		return store.Display(db)
	}
	return strings.TrimSuffix(filepath.Base(db), filepath.Ext(db))
}

// Label names datasets for a comparison by what tells them apart: the
// database, the range, or both.
func Label(srcs []Source) []string {
	sameDB, sameRev := true, true
	for _, s := range srcs[1:] {
		sameDB = sameDB && s.DB == srcs[0].DB
		sameRev = sameRev && s.Rev == srcs[0].Rev
	}
	out := make([]string, len(srcs))
	for i, s := range srcs {
		db := dbName(s.DB)
		switch {
		case sameDB && !sameRev:
			out[i] = s.Rev
		case sameRev || s.Rev == "":
			out[i] = db
		default:
			out[i] = db + " " + s.Rev
		}
		if out[i] == "" {
			out[i] = "all"
		}
	}
	// Databases of the same name in different directories: name them by
	// their paths instead.
	seen := map[string]bool{}
	for _, l := range out {
		if seen[l] {
			for i, s := range srcs {
				out[i] = strings.TrimSpace(store.Display(s.DB) + " " + s.Rev)
			}
			break
		}
		seen[l] = true
	}
	return out
}
