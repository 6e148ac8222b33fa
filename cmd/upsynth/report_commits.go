package main

import (
	goio "io"

	"github.com/spf13/cobra"

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
markdown and html; -o writes to a file instead of standard output.`,
		Example: `  upsynth report commits --db k.db --purpose fix+perf --class interface
  upsynth report commits --db k.db --format html -o commits.html`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := filter.open(cmd.Context(), opts)
			if err != nil {
				return err
			}
			defer st.Close()
			cs, err := st.Commits(cmd.Context(), 0)
			if err != nil {
				return err
			}
			return writeOutput(io.Out, out, func(w goio.Writer) error {
				return report.WriteCommits(w, filter.filter.Select(cs), opts.format, filter.filter.Describe())
			})
		},
	}
	filter.add(cmd)
	cmd.Flags().StringVarP(&out, "output", "o", "", "write to this file instead of standard output")
	return cmd
}
