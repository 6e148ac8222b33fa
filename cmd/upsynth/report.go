package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/upsynth/upsynth/analyze/history"
	"github.com/upsynth/upsynth/analyze/store"
)

// reportOptions are the flags every report subcommand shares.
type reportOptions struct {
	db     string
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
	cmd.PersistentFlags().StringVar(&opts.db, "db", "upsynth.db", "analysis database file")
	cmd.PersistentFlags().StringVar(&opts.format, "format", "text", "output format: text or json (report commits and coverage: also csv, markdown, html)")
	cmd.AddCommand(newReportCommitCmd(io, opts), newReportCommitsCmd(io, opts), newReportCoverageCmd(io))
	return cmd
}

// open opens an existing database read for reporting.
func (o *reportOptions) open(ctx context.Context) (*store.Store, error) {
	if o.format != "text" && o.format != "json" {
		return nil, fmt.Errorf("--format %q: want text or json", o.format)
	}
	return store.OpenReader(ctx, o.db)
}

// findCommit finds rev in the database: a sha prefix, or a revision the
// analyzed repositories resolve (a branch, a tag, HEAD~3).
func findCommit(ctx context.Context, st *store.Store, rev string) (*store.Commit, error) {
	if isHex(rev) && len(rev) >= 4 {
		cs, err := st.FindCommits(ctx, rev)
		if err != nil {
			return nil, err
		}
		switch {
		case len(cs) == 1:
			return cs[0], nil
		case len(cs) > 1:
			return nil, fmt.Errorf("%s is ambiguous: %d analyzed commits start with it", rev, len(cs))
		}
	}
	repos, err := st.Repos(ctx)
	if err != nil {
		return nil, err
	}
	for _, path := range repos {
		r, err := history.Open(path)
		if err != nil {
			continue
		}
		h, err := r.Resolve(rev)
		r.Close()
		if err != nil {
			continue
		}
		if cs, err := st.FindCommits(ctx, h.String()); err == nil && len(cs) > 0 {
			return cs[0], nil
		}
		return nil, fmt.Errorf("%s (%s) has not been analyzed", rev, h.String()[:12])
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

func isHex(s string) bool { return strings.Trim(strings.ToLower(s), "0123456789abcdef") == "" }
