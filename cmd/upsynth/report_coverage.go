package main

import (
	"fmt"
	goio "io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/upsynth/upsynth/report"
)

func newReportCoverageCmd(io streams) *cobra.Command {
	var (
		dbs, revs    []string
		repo         string
		since, until string
		opts         report.Options
		format, out  string
	)
	cmd := &cobra.Command{
		Use:   "coverage",
		Short: "Print which share of past commits a dynamic update could have applied",
		Long: `coverage prints the paper's table for an analyzed history: per purpose (fix,
perf, fix+perf, feature, cleanup, other, all) the commits of each update class
(none, code, state, interface, unsupported) with their shares, and the two
headline shares over the commits that changed source: applicable by code swap
and state transfer (the original mechanism: code + state) and with interface
adapters as well (code + state + interface). Then the top reasons for
unsupported, the hazards seen, and the files and types whose changes most
often blocked an update.

--by year or --by path (top-level directory; --depth for more levels) groups
the rows instead, each group with a fix+perf and an all row. Give --db or
--rev twice or more to compare databases or ranges side by side.

--format html writes one self-contained page (no network needed) with the
table, charts and every commit, each number linking to its commits. The JSON
form is documented in docs/report-json.md.`,
		Example: `  upsynth report coverage --db kernel.db
  upsynth report coverage --db kernel.db --by year --format markdown
  upsynth report coverage --db a.db --db b.db --format html -o compare.html
  upsynth report coverage --db kernel.db --rev v1.0..v2.0 --rev v2.0..v3.0`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := opts.Validate(); err != nil {
				return err
			}
			if err := reportFormat.check("format", format); err != nil {
				return err
			}
			var filter report.Filter
			var err error
			if filter.Since, err = report.ParseDate(since, false); err != nil {
				return fmt.Errorf("--since: %w", err)
			}
			if filter.Until, err = report.ParseDate(until, true); err != nil {
				return fmt.Errorf("--until: %w", err)
			}
			if err := filter.Validate(); err != nil {
				return err
			}
			filter.Merges = true
			if len(dbs) == 0 {
				dbs = []string{"upsynth.db"}
			}
			if len(revs) == 0 {
				revs = []string{""}
			}
			var srcs []report.Source
			for _, db := range dbs {
				for _, rev := range revs {
					srcs = append(srcs, report.Source{DB: db, Repo: repo, Rev: rev})
				}
			}
			labels := report.Label(srcs)
			var datasets []report.Dataset
			for i, src := range srcs {
				ds, err := report.Load(cmd.Context(), src)
				if err != nil {
					return err
				}
				ds.Label = labels[i]
				ds.Commits = filter.Select(ds.Commits)
				if since != "" || until != "" {
					ds.Range = strings.TrimSpace(ds.Range + " " + dateRange(since, until))
				}
				datasets = append(datasets, ds)
			}
			opts.Width = outputWidth(io.Out, out)
			rep := report.Compute(datasets, opts)
			return writeOutput(io.Out, out, func(w goio.Writer) error { return report.Write(w, rep, format, datasets) })
		},
	}
	f := cmd.Flags()
	f.StringArrayVar(&dbs, "db", nil, "analysis database (repeat to compare databases; default upsynth.db)")
	f.StringVar(&repo, "repo", "", "report only this analyzed repository (needed for --rev when the database holds several)")
	f.StringArrayVar(&revs, "rev", nil, "revision range A..B or revision (repeat to compare ranges)")
	f.StringVar(&since, "since", "", "only commits authored on or after this date (YYYY-MM-DD or RFC 3339)")
	f.StringVar(&until, "until", "", "only commits authored on or before this date")
	f.StringVar(&opts.By, "by", report.ByPurpose, "rows by purpose, year or path")
	f.IntVar(&opts.PathDepth, "depth", 1, "directory levels that make a group with --by path")
	f.IntVar(&opts.Top, "top", 10, "how many reasons, files and types to list")
	f.StringVar(&format, "format", "text", "output format: "+strings.Join(report.Formats, ", "))
	f.StringVarP(&out, "output", "o", "", "write to this file instead of standard output")
	byChoice.complete(cmd, "by")
	reportFormat.complete(cmd, "format")
	return cmd
}

func dateRange(since, until string) string {
	switch {
	case since != "" && until != "":
		return since + ".." + until
	case since != "":
		return "since " + since
	}
	return "until " + until
}

// writeOutput sends a rendering to stdout or, with -o, to a file that is
// only left behind complete.
func writeOutput(stdout goio.Writer, file string, render func(goio.Writer) error) error {
	if file == "" || file == "-" {
		return render(stdout)
	}
	tmp, err := os.CreateTemp(filepath.Dir(file), ".upsynth-report-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := render(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), file)
}
