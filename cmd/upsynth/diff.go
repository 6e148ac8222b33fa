package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"
	"github.com/upsynth/upsynth/cparse"
	"github.com/upsynth/upsynth/report"
)

// diffReport is the JSON form of `upsynth diff`.
type diffReport struct {
	Old     string           `json:"old"`
	New     string           `json:"new"`
	Engines [2]cparse.Engine `json:"engines"`
	Errors  []string         `json:"errors,omitempty"`
	Changes []cparse.Change  `json:"changes"`
}

func newDiffCmd(io streams) *cobra.Command {
	opts := &parseOptions{}
	cmd := &cobra.Command{
		Use:   "diff OLD NEW",
		Short: "Print the entity-level changes between two versions of a C or C++ file",
		Long: `diff summarizes two versions of a file and prints what changed, one entity
a line: functions (body, signature, added, removed), types (layout, methods,
enum, added, removed), globals (type, initializer, added, removed), macros
(changed, added, removed) and file-scope asm. Comments and reformatting are
not changes. A parameter renamed where a body or a macro uses it is listed,
marked [cosmetic], but changes no code and does not count.

Each version is parsed in the directory tree that holds it, as summarize
does, so with the precise engine a layout change caused by a header macro
shows when OLD and NEW sit in trees with different headers. The language
comes from NEW's name (a .h file whose code shows C++ classes, namespaces
or templates is C++) unless --lang is given.

As diff(1) and abidiff do, it exits with status 0 when nothing changed, 1
when something did, and 2 on trouble.`,
		Args: failingWith(2, cobra.ExactArgs(2)),
		RunE: failingWith(2, func(cmd *cobra.Command, args []string) error {
			if err := opts.validate(); err != nil {
				return err
			}
			if opts.lang == "" {
				// Both versions must be read as one language, NEW's
				// (a .h file holding C++ is C++).
				lang, _ := cparse.LangOf(args[1])
				if src, err := os.ReadFile(args[1]); err == nil {
					lang = cparse.LangOfSource(args[1], src)
				}
				opts.lang = string(lang)
			}
			old, err := opts.summarizeFile(cmd, args[0])
			if err != nil {
				return err
			}
			new, err := opts.summarizeFile(cmd, args[1])
			if err != nil {
				return err
			}
			rep := diffReport{Old: args[0], New: args[1], Engines: [2]cparse.Engine{old.Engine, new.Engine}, Changes: cparse.Diff(old, new)}
			if rep.Changes == nil {
				rep.Changes = []cparse.Change{}
			}
			for _, s := range []*cparse.Summary{old, new} {
				for _, e := range s.Errors {
					if e.Line > 0 {
						rep.Errors = append(rep.Errors, fmt.Sprintf("%s:%d:%d: %s", s.Path, e.Line, e.Col, e.Msg))
					} else {
						rep.Errors = append(rep.Errors, fmt.Sprintf("%s: %s", s.Path, e.Msg))
					}
				}
			}
			cosmetic := 0
			for _, c := range rep.Changes {
				if c.Cosmetic {
					cosmetic++
				}
			}
			// Like diff(1) and abidiff: 0 the same, 1 changed, 2 trouble.
			changed := error(nil)
			if len(rep.Changes) > cosmetic {
				changed = &exitError{code: 1}
			}
			if opts.format == "json" {
				if err := writeJSON(io.Out, rep); err != nil {
					return err
				}
				return changed
			}
			counted := report.Counted(len(rep.Changes)-cosmetic, "change")
			if cosmetic > 0 {
				counted += fmt.Sprintf(", %d cosmetic", cosmetic)
			}
			fmt.Fprintf(io.Out, "%s -> %s (%s -> %s engine): %s\n", rep.Old, rep.New, old.Engine, new.Engine, counted)
			for _, c := range rep.Changes {
				line := fmt.Sprintf("  %s %s %s", c.Entity, c.Name, c.Change)
				if c.Access != "" {
					line += " [" + c.Access + "]"
				}
				if c.Virtual {
					line += " [virtual]"
				}
				if c.Cosmetic {
					line += " [cosmetic]"
				}
				if c.Detail != "" {
					line += ": " + c.Detail
				}
				fmt.Fprintln(io.Out, line)
			}
			for _, e := range rep.Errors {
				fmt.Fprintln(io.Out, "  error", e)
			}
			return changed
		}),
	}
	opts.register(cmd)
	return cmd
}
