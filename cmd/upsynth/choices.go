// This file holds what the commands share about their flags and output:
// the flags that take one of a fixed set of words (each list checked and
// completed from one place, a wrong value worded the same way by every
// command: --mode "x": want eager, lazy or both), the --cpus default and the
// width of text tables.
package main

import (
	"fmt"
	goio "io"
	"os"
	"strconv"

	"golang.org/x/term"

	"github.com/spf13/cobra"

	"github.com/upsynth/upsynth/report"
	"github.com/upsynth/upsynth/targets"
)

// choice is the words a flag accepts.
type choice []string

// The choices of the commands' flags.
var (
	textOrJSON   = choice{"text", "json"}
	reportFormat = choice(report.Formats)
	replayFormat = choice{"text", "json", "html"}
	engineChoice = choice{"auto", "precise", "tolerant"}
	langChoice   = choice{"c", "cpp"}
	// updateModes are how an update converts instances: emit and replay
	// plan eager or lazy updates, target update can also stop the world,
	// verify runs a package in either mode or both.
	updateModes  = choice{"eager", "lazy"}
	applyModes   = choice{"eager", "lazy", "stop-the-world"}
	verifyModes  = choice{"eager", "lazy", "both"}
	byChoice     = choice{report.ByPurpose, report.ByYear, report.ByPath}
	classChoice  = choice(report.ClassFilters)
	purposeCh    = choice(report.RowPurposes)
	hazardChoice = choice(report.Hazards)
)

// check refuses a value that is not one of the choice's words.
func (c choice) check(flag, value string) error {
	for _, w := range c {
		if w == value {
			return nil
		}
	}
	return fmt.Errorf("--%s %q: want %s", flag, value, c)
}

// String lists the words as a sentence: "a, b or c".
func (c choice) String() string { return report.WordList(c) }

// complete makes the shell complete the flag's value from the words.
func (c choice) complete(cmd *cobra.Command, flag string) {
	err := cmd.RegisterFlagCompletionFunc(flag, cobra.FixedCompletions(c, cobra.ShellCompDirectiveNoFileComp))
	if err != nil {
		panic(err) // a flag name that is not the command's: a programming error
	}
}

// completeTarget completes --target with the bundled ports' names; a port
// directory completes as a path.
func completeTarget(cmd *cobra.Command) {
	err := cmd.RegisterFlagCompletionFunc("target", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return targets.Names(), cobra.ShellCompDirectiveFilterDirs
	})
	if err != nil {
		panic(err)
	}
}

// defaultCPUs is the emulated CPUs of every command that boots a kernel
// (target run, verify, replay) unless --cpus says otherwise: two, so that
// an update meets calls on another CPU.
const defaultCPUs = 2

// outputWidth is the width text tables are fitted to: 0 (no wrapping) for
// a file named by -o, else textWidth of standard output.
func outputWidth(stdout goio.Writer, file string) int {
	if file != "" && file != "-" {
		return 0
	}
	return textWidth(stdout)
}

// textWidth is the width text tables are fitted to when written to w: the
// terminal's; else $COLUMNS when set (as ls and other tools read it); else
// 0, no wrapping, so that a file or a pipe gets one line per row for grep
// and scripts.
func textWidth(w goio.Writer) int {
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		if cols, _, err := term.GetSize(int(f.Fd())); err == nil && cols > 0 {
			return cols
		}
	}
	if n, err := strconv.Atoi(os.Getenv("COLUMNS")); err == nil && n > 0 {
		return n
	}
	return 0
}
