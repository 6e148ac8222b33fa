package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/upsynth/upsynth/corpus"
)

func newCorpusCmd(io streams) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "corpus",
		Short: "The bundled kernel and its labeled revision history",
		Long: `The corpus is a small K42-style object kernel in C with a revision history
of about a hundred commits (fixes, performance work, features, interface
changes, cleanups, boot and assembly changes), labeled with the update class
each commit needs. 'upsynth corpus build' writes it as a git repository
(./upsynth-corpus) for analyze, emit and replay to read, as make demo does:

  upsynth corpus build && upsynth analyze upsynth-corpus

'upsynth corpus labels' prints the labels the tests hold the analyzer to.`,
	}
	cmd.AddCommand(newCorpusBuildCmd(io), newCorpusLabelsCmd(io))
	return cmd
}

func newCorpusBuildCmd(io streams) *cobra.Command {
	var out, format string
	cmd := &cobra.Command{
		Use:   "build [-o DIR]",
		Short: "Materialize the corpus history as a git repository",
		Long: `build writes the corpus history as a git repository in DIR (default
./upsynth-corpus) with its branch checked out. Authors, committers and dates
are fixed, so the commit hashes are the same on every machine.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := textOrJSON.check("format", format); err != nil {
				return err
			}
			built, err := corpus.Build(out)
			if err != nil {
				return err
			}
			if format == "json" {
				type commit struct {
					ID   string `json:"id"`
					Hash string `json:"hash"`
				}
				res := struct {
					Dir     string   `json:"dir"`
					Branch  string   `json:"branch"`
					Head    string   `json:"head"`
					Commits []commit `json:"commits"`
				}{Dir: out, Branch: corpus.Branch, Head: built.Head().String()}
				for _, c := range built.Commits {
					res.Commits = append(res.Commits, commit{c.ID, c.Hash.String()})
				}
				enc := json.NewEncoder(io.Out)
				enc.SetIndent("", "  ")
				return enc.Encode(res)
			}
			_, err = fmt.Fprintf(io.Out, "built %d commits in %s, %s at %s\n",
				len(built.Commits), out, corpus.Branch, built.Head())
			return err
		},
	}
	cmd.Flags().StringVarP(&out, "output", "o", "upsynth-corpus", "directory to create the repository in")
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
	textOrJSON.complete(cmd, "format")
	return cmd
}

func newCorpusLabelsCmd(io streams) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "labels",
		Short: "Print the ground-truth label of every corpus commit",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			labels, err := corpus.Labels()
			if err != nil {
				return err
			}
			switch format {
			case "json":
				enc := json.NewEncoder(io.Out)
				enc.SetIndent("", "  ")
				return enc.Encode(labels)
			case "text":
				tw := tabwriter.NewWriter(io.Out, 0, 8, 2, ' ', 0)
				fmt.Fprintln(tw, "ID\tPURPOSE\tCLASS\tHAZARDS\tCHANGES")
				for _, l := range labels {
					hz := strings.Join(l.Hazards, ",")
					if hz == "" {
						hz = "-"
					}
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\n", l.ID, l.Purpose, l.Class, hz, len(l.Changes))
				}
				return tw.Flush()
			}
			return textOrJSON.check("format", format)
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
	textOrJSON.complete(cmd, "format")
	return cmd
}
