package main

import (
	"fmt"
	goio "io"

	"github.com/spf13/cobra"

	"github.com/upsynth/upsynth/analyze/store"
	"github.com/upsynth/upsynth/report"
)

func newReportCommitsCmd(io streams, opts *reportOptions) *cobra.Command {
	var filter commitFilterFlags
	var out string
	cmd := &cobra.Command{
		Use:   "commits",
		Short: "Print every analyzed commit, parents first",
		Long: `commits prints all analyzed commits in analysis order (parents before
children): one line each as text, or with --format json an array of the
stable per-commit JSON (the same form as ` + "`report commit --format json`" + `).
--class, --purpose, --hazard, --path, --since and --until select the
commits behind a cell of ` + "`report coverage`" + `; --format also takes csv,
markdown and html; -o writes to a file instead of standard output. The text,
Markdown and HTML forms first name the database and the repository; a
database that holds several repositories needs --repo.`,
		Example: `  upsynth report commits --db k.db --purpose fix+perf --class interface
  upsynth report commits --db k.db --format html -o commits.html`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := filter.open(cmd.Context(), opts)
			if err != nil {
				return err
			}
			defer st.Close()
			id, repo, err := report.SelectRepo(cmd.Context(), st, opts.db, opts.repo)
			if err != nil {
				return err
			}
			cs, err := st.Commits(cmd.Context(), id)
			if err != nil {
				return err
			}
			cs = filter.filter.Select(cs)
			what := filter.filter.Describe()
			if repo != "" {
				what += " of " + repo
			}
			return writeOutput(io.Out, out, func(w goio.Writer) error {
				// Text and Markdown say first which repository the rows
				// come from; JSON and CSV stay one record per commit.
				switch opts.format {
				case "text", "markdown", "md":
					if _, err := fmt.Fprintf(w, "%s (%s): %s%s\n", store.Display(opts.db), report.Printable(repo), report.Counted(len(cs), "commit"), markdownBreak(opts.format)); err != nil {
						return err
					}
				}
				return report.WriteCommits(w, cs, opts.format, what, outputWidth(io.Out, out))
			})
		},
	}
	filter.add(cmd)
	cmd.Flags().StringVarP(&out, "output", "o", "", "write to this file instead of standard output")
	return cmd
}

// markdownBreak ends a Markdown paragraph before a table.
func markdownBreak(format string) string {
	if format == "text" {
		return ""
	}
	return "\n"
}
