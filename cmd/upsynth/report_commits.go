package main

import (
	"fmt"

	"github.com/spf13/cobra"
)

func newReportCommitsCmd(io streams, opts *reportOptions) *cobra.Command {
	return &cobra.Command{
		Use:   "commits",
		Short: "Print every analyzed commit, parents first",
		Long: `commits prints all analyzed commits in analysis order (parents before
children): one line each as text, or with --format json an array of the
stable per-commit JSON (the same form as ` + "`report commit --format json`" + `).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := opts.open(cmd.Context())
			if err != nil {
				return err
			}
			defer st.Close()
			cs, err := st.Commits(cmd.Context(), 0)
			if err != nil {
				return err
			}
			if opts.format == "json" {
				return writeReportJSON(io.Out, cs)
			}
			for _, c := range cs {
				if _, err := fmt.Fprintf(io.Out, "%s %-11s %-8s %s\n", short(c.Sha), classOf(c), c.Purpose, c.Subject); err != nil {
					return err
				}
			}
			return nil
		},
	}
}
