package analyze

import (
	"context"
	"errors"
	"io/fs"
	"os"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/upsynth/upsynth/analyze/store"
	"github.com/upsynth/upsynth/kernel"
)

// Result is one commit's classification, as Run records it, and the
// problems met classifying it.
type Result struct {
	Commit   *store.Commit
	Problems []store.Problem
}

// Classify classifies commits of repo exactly as Run does — the same
// summaries, diffs, index of cross-module facts and rules — without writing
// a database: commits made in memory (kernel.Repo.CommitInMemory, a patch
// applied to a revision) as well as real ones. hashes are a chain, each the
// parent of the next; the index starts at the first one's parent, built
// from all its files. Settings come from the last commit's upsynth.yaml, or
// opts.ConfigFile, as they come from the tip of a range for Run; opts.Repo
// is not used. When opts.DB names an analysis database, the summaries
// memoized there are reused (it is only read), so only the files that
// differ from what was analyzed are parsed.
func Classify(ctx context.Context, repo *kernel.Repo, hashes []plumbing.Hash, opts Options) ([]Result, error) {
	if len(hashes) == 0 {
		return nil, nil
	}
	opts.defaults()
	tip, err := tipTree(repo, hashes[len(hashes)-1], opts.ConfigFile)
	if err != nil {
		return nil, err
	}
	r := &run{opts: opts, repo: repo, cfg: tip.Config, stats: Stats{Classes: map[string]int{}}}
	if opts.DB != "" {
		if _, err := os.Stat(opts.DB); err == nil || store.IsPostgres(opts.DB) {
			if r.st, err = store.OpenReader(ctx, opts.DB); err != nil {
				return nil, err
			}
			defer r.st.Close()
		} else if !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
	}
	todo := make([]*object.Commit, len(hashes))
	for i, h := range hashes {
		if todo[i], err = repo.Commit(h); err != nil {
			return nil, err
		}
	}
	var out []Result
	err = r.pipeline(ctx, todo, func(pctx context.Context, jobs <-chan *job) error {
		return r.classifyJobs(pctx, jobs, func(*summary, string) {}, func(j *job, rec *store.Commit) error {
			out = append(out, Result{Commit: rec, Problems: append(j.problems, unreadableFiles(j)...)})
			return nil
		})
	})
	return out, err
}

// unreadableFiles are the problems of the files a commit changed that could
// not be read: what Run records for them when it first meets them.
func unreadableFiles(j *job) []store.Problem {
	var out []store.Problem
	for _, f := range j.files {
		for _, s := range []*summary{f.old, f.new} {
			if s != nil && s.blob.Status == "unreadable" {
				out = append(out, store.Problem{Sha: j.commit.Hash.String(), Path: s.blob.Path, Blob: s.blob.Blob, Kind: "unreadable", Message: s.blob.Reason})
			}
		}
	}
	return out
}
