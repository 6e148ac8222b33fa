package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"
)

// streams are the command's standard streams, injected so tests can capture
// what a command prints.
type streams struct {
	In  io.Reader
	Out io.Writer
	Err io.Writer
}

// globalOptions are the flags every command shares.
type globalOptions struct {
	quiet bool
}

// exitError carries a specific process exit status (e.g. the status of a C
// program run by `target exec`) without printing anything more.
type exitError struct{ code int }

func (e *exitError) Error() string { return fmt.Sprintf("exit status %d", e.code) }

// run executes one upsynth invocation and returns the process exit status.
func run(ctx context.Context, args []string, io streams) int {
	root := newRootCmd(io)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return 0
	}
	var exit *exitError
	if errors.As(err, &exit) {
		return exit.code
	}
	fmt.Fprintln(io.Err, "upsynth:", err)
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
	}
	root.SetIn(io.In)
	root.SetOut(io.Out)
	root.SetErr(io.Err)
	root.PersistentFlags().BoolVarP(&opts.quiet, "quiet", "q", false, "no progress output")

	root.AddCommand(
		newVersionCmd(io),
		newSummarizeCmd(io),
		newDiffCmd(io),
		newAnalyzeCmd(io),
		newReportCmd(io),
		newCorpusCmd(io),
		newTargetCmd(io),
		newEmitCmd(io), newVerifyCmd(io), newReplayCmd(io),
	)
	return root
}
