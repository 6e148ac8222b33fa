package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/upsynth/upsynth/analyze/classify"
	"github.com/upsynth/upsynth/analyze/store"
	"github.com/upsynth/upsynth/report"
)

func newReportCommitCmd(io streams, opts *reportOptions) *cobra.Command {
	return &cobra.Command{
		Use:   "commit REV",
		Short: "Print one commit's classification with every change and its reason",
		Long: `commit prints the class, purpose, hazards and changed entities recorded for
one analyzed commit and the repository it comes from. REV is resolved with
git's rules in the analyzed repository (the one --repo names when the
database holds several): a branch, a tag, HEAD~2, a SHA prefix of at least 4
digits; a prefix several commits start with is refused with the candidates,
as git refuses it. --format json prints the stable JSON form documented in
docs/database.md.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := opts.open(cmd.Context())
			if err != nil {
				return err
			}
			defer st.Close()
			c, repo, err := findCommit(cmd.Context(), st, opts, args[0])
			if err != nil {
				return err
			}
			if opts.format == "json" {
				return writeReportJSON(io.Out, c)
			}
			problems, err := st.CommitProblems(cmd.Context(), c.Sha)
			if err != nil {
				return err
			}
			return printCommit(io.Out, repo, c, problems)
		},
	}
}

func printCommit(w io.Writer, repo string, c *store.Commit, problems []store.Problem) error {
	// Text from the repository is escaped: a file name cannot forge lines.
	P := report.Printable
	fmt.Fprintf(w, "commit  %s\n", c.Sha)
	if repo != "" {
		fmt.Fprintf(w, "repo    %s\n", P(repo))
	}
	if c.Parent != "" {
		fmt.Fprintf(w, "parent  %s\n", strings.Join(c.Parents, " "))
	}
	fmt.Fprintf(w, "author  %s  %s\n", P(c.Author), c.AuthorTime.Format("2006-01-02"))
	fmt.Fprintf(w, "subject %s\n", P(c.Subject))
	if c.Merge {
		_, err := fmt.Fprintf(w, "class   merge (recorded, not classified)\n")
		return err
	}
	printClassification(w, c)
	if len(problems) > 0 {
		fmt.Fprintf(w, "problems\n")
	}
	for _, p := range problems {
		fmt.Fprintf(w, "  %-11s %s %s\n", p.Kind, P(p.Path), P(p.Message))
	}
	return nil
}

// printClassification prints a commit's class, hazards, purpose, reason and
// changes.
func printClassification(w io.Writer, c *store.Commit) {
	P := report.Printable
	fmt.Fprintf(w, "class   %s", c.Class)
	if len(c.Hazards) > 0 {
		fmt.Fprintf(w, "  hazards: %s", strings.Join(c.Hazards, ", "))
	}
	fmt.Fprintf(w, "\npurpose %s (%s)\nreason  %s\n", c.Purpose, P(c.PurposeReason), P(c.Reason))
	if len(c.Changes) > 0 {
		fmt.Fprintf(w, "changes\n")
	}
	for _, ch := range c.Changes {
		fmt.Fprintf(w, "  %-11s %s: %s %s %s", ch.Class, P(ch.File), ch.Entity, P(ch.Name), ch.Change)
		if ch.Engine != "" {
			fmt.Fprintf(w, " [%s]", ch.Engine)
		}
		if len(ch.Hazards) > 0 {
			fmt.Fprintf(w, " {%s}", classify.JoinHazards(ch.Hazards, ", "))
		}
		fmt.Fprintf(w, "\n              %s\n", P(ch.Reason))
		if ch.Detail != "" {
			fmt.Fprintf(w, "              (%s)\n", P(ch.Detail))
		}
	}
}
