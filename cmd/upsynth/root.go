package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"
)

// streams are the command's standard streams, injected so tests can capture
// what a command prints.
type streams struct {
	In  io.Reader
	Out io.Writer
	Err io.Writer
}

// globalOptions are the flags every command shares. quiet silences
// progress output (analyze's progress bar and its closing summary).
type globalOptions struct {
	quiet bool
}

// exitError carries a specific process exit status (e.g. the status of a C
// program run by `target exec`) without printing anything more.
type exitError struct{ code int }

func (e *exitError) Error() string { return fmt.Sprintf("exit status %d", e.code) }

// statusError is an error printed like any other that ends the process with
// a status of its own: commands whose status says something (diff: 1 means
// changes) fail with another status (2) on trouble.
type statusError struct {
	code int
	err  error
}

func (e *statusError) Error() string { return e.err.Error() }
func (e *statusError) Unwrap() error { return e.err }

// failingWith makes every error of a command's Args check or RunE, except an
// exitError, end the process with status code.
func failingWith[F ~func(*cobra.Command, []string) error](code int, f F) F {
	return func(cmd *cobra.Command, args []string) error {
		err := f(cmd, args)
		var exit *exitError
		if err == nil || errors.As(err, &exit) {
			return err
		}
		return &statusError{code: code, err: err}
	}
}

// run executes one upsynth invocation and returns the process exit status.
func run(ctx context.Context, args []string, io streams) int {
	root := newRootCmd(io)
	stopProfiles := addProfileFlags(root)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if perr := stopProfiles(); err == nil {
		err = perr
	}
	if err == nil {
		return 0
	}
	var exit *exitError
	if errors.As(err, &exit) {
		return exit.code
	}
	if ctx.Err() != nil {
		// A signal stopped the command (runWithSignals): not a failure of
		// its own, and not "context canceled".
		fmt.Fprintln(io.Err, interruptedMessage())
		return exitInterrupted
	}
	fmt.Fprintln(io.Err, "upsynth:", err)
	var status *statusError
	if errors.As(err, &status) {
		return status.code
	}
	return 1
}

func newRootCmd(io streams) *cobra.Command {
	opts := &globalOptions{}
	root := &cobra.Command{
		Use:   "upsynth",
		Short: "Revision-history analysis and dynamic-update synthesis for kernels",
		Long: `upsynth mines a kernel's git history, classifies every change by the
mechanism a dynamic update would need (code swap, state transfer, interface
adapters, or a reboot), reports coverage statistics, and emits and verifies
dynamic-update packages on an emulated target.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       versionString(),
	}
	root.SetVersionTemplate("upsynth {{.Version}}\n")
	root.SetIn(io.In)
	root.SetOut(io.Out)
	root.SetErr(io.Err)
	root.PersistentFlags().BoolVarP(&opts.quiet, "quiet", "q", false, "no progress output (analyze: no progress bar and no summary)")

	root.AddCommand(
		newVersionCmd(io),
		newSummarizeCmd(io),
		newDiffCmd(io),
		newAnalyzeCmd(io, opts),
		newReportCmd(io),
		newCorpusCmd(io),
		newTargetCmd(io),
		newCheckCmd(io), newEmitCmd(io), newVerifyCmd(io, opts), newReplayCmd(io),
		newDBCmd(io), newWorkerCmd(io, opts),
	)
	requireSubcommands(root)
	return root
}

// requireSubcommands makes every command that only groups others (report,
// target, ...) refuse what is not one of its subcommands, with git's kind of
// suggestion, instead of printing its help and succeeding; run bare, it still
// prints its help.
func requireSubcommands(cmd *cobra.Command) {
	for _, sub := range cmd.Commands() {
		requireSubcommands(sub)
	}
	if !cmd.HasSubCommands() || cmd.Runnable() || cmd == cmd.Root() {
		return
	}
	if cmd.SuggestionsMinimumDistance <= 0 {
		cmd.SuggestionsMinimumDistance = 2 // cobra's default, set only on the root's own path
	}
	cmd.Args = func(c *cobra.Command, args []string) error {
		if len(args) == 0 {
			return nil
		}
		msg := fmt.Sprintf("unknown command %q for %q", args[0], c.CommandPath())
		if suggestions := c.SuggestionsFor(args[0]); len(suggestions) > 0 {
			msg += "\n\nDid you mean this?\n\t" + strings.Join(suggestions, "\n\t")
		}
		return fmt.Errorf("%s\nRun '%s --help' for usage", msg, c.CommandPath())
	}
	cmd.RunE = func(c *cobra.Command, args []string) error { return c.Help() }
}
