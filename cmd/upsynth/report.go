package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"

	"github.com/spf13/cobra"

	"github.com/upsynth/upsynth/analyze/store"
	"github.com/upsynth/upsynth/kernel"
	"github.com/upsynth/upsynth/report"
)

// reportOptions are the flags every report subcommand shares.
type reportOptions struct {
	db     string
	repo   string
	format string
}

func newReportCmd(io streams) *cobra.Command {
	opts := &reportOptions{}
	cmd := &cobra.Command{
		Use:   "report",
		Short: "Print what `upsynth analyze` recorded",
		Long: `report reads the analysis database written by ` + "`upsynth analyze`" + `.
Its subcommands print one commit's classification, or all of them.`,
	}
	cmd.PersistentFlags().StringVar(&opts.db, "db", "upsynth.db", "analysis database: a SQLite file or a postgres:// URL")
	cmd.PersistentFlags().StringVar(&opts.repo, "repo", "", "the analyzed repository to report on (needed when the database holds several)")
	cmd.PersistentFlags().StringVar(&opts.format, "format", "text", "output format: text or json (report commits and coverage: also csv, markdown, html)")
	// report commit prints text or JSON, report commits every format.
	err := cmd.RegisterFlagCompletionFunc("format", func(c *cobra.Command, _ []string, _ string) ([]string, cobra.ShellCompDirective) {
		if c.Name() == "commit" {
			return textOrJSON, cobra.ShellCompDirectiveNoFileComp
		}
		return reportFormat, cobra.ShellCompDirectiveNoFileComp
	})
	if err != nil {
		panic(err)
	}
	cmd.AddCommand(newReportCommitCmd(io, opts), newReportCommitsCmd(io, opts), newReportCoverageCmd(io))
	return cmd
}

// open opens an existing database read for reporting.
func (o *reportOptions) open(ctx context.Context) (*store.Store, error) {
	if err := textOrJSON.check("format", o.format); err != nil {
		return nil, err
	}
	return store.OpenReader(ctx, o.db)
}

// findCommit finds rev in the database's repository that --repo names (or
// its only one) and returns it with that repository's path. rev is resolved
// with git's rules (package kernel) in the repository: a ref, or a SHA
// prefix of at least kernel.MinAbbrev digits, refused with the candidates
// when several commits of the repository start with it, as git refuses it.
// When the repository cannot be opened any more, a SHA prefix is looked up
// among the analyzed commits, with the same refusal.
func findCommit(ctx context.Context, st *store.Store, o *reportOptions, rev string) (*store.Commit, string, error) {
	_, path, err := report.SelectRepo(ctx, st, o.db, o.repo)
	if err != nil {
		return nil, "", err
	}
	c, err := resolveCommit(ctx, st, path, rev)
	return c, path, err
}

func resolveCommit(ctx context.Context, st *store.Store, path, rev string) (*store.Commit, error) {
	var resolveErr error
	if r, err := kernel.Open(path); path != "" && err == nil {
		h, err := r.Resolve(rev)
		r.Close()
		var amb *kernel.AmbiguousError
		if errors.As(err, &amb) {
			return nil, err
		}
		if err == nil {
			if cs, err := st.FindCommits(ctx, h.String()); err == nil && len(cs) > 0 {
				return cs[0], nil
			}
			return nil, fmt.Errorf("%s (%s) has not been analyzed", rev, h.String()[:12])
		}
		resolveErr = err
	}
	if kernel.IsSHAPrefix(rev) {
		cs, err := st.FindCommits(ctx, rev)
		if err != nil {
			return nil, err
		}
		bySha := map[string]*store.Commit{}
		var shas []string
		for _, c := range cs {
			if bySha[c.Sha] == nil {
				bySha[c.Sha] = c
				shas = append(shas, c.Sha)
			}
		}
		switch {
		case len(shas) == 1:
			return bySha[shas[0]], nil
		case len(shas) > 1:
			e := &kernel.AmbiguousError{Prefix: rev}
			sort.Strings(shas)
			for _, sha := range shas {
				c := bySha[sha]
				e.Candidates = append(e.Candidates, kernel.Candidate(sha, c.AuthorTime.Format("2006-01-02"), c.Subject))
			}
			return nil, e
		}
	}
	if resolveErr != nil {
		return nil, fmt.Errorf("no analyzed commit matches %q: %w", rev, resolveErr)
	}
	return nil, fmt.Errorf("no analyzed commit matches %q", rev)
}

// writeReportJSON prints indented JSON without HTML escaping ("<" in
// author addresses stays readable).
func writeReportJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
