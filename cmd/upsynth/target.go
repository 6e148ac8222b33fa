package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/upsynth/upsynth/runtime/emu"
)

func newTargetCmd(io streams) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "target",
		Short: "Run C code on the emulated target",
		Long: `target runs C code on upsynth's emulated machine: a kernel under a workload
(target run) or a plain hosted C program (target exec).`,
	}
	cmd.AddCommand(newTargetExecCmd(io), newTargetRunCmd(io))
	return cmd
}

func newTargetExecCmd(io streams) *cobra.Command {
	var includes, defines []string
	var budget int64
	var timeout time.Duration
	cmd := &cobra.Command{
		Use:   "exec FILE.c... [-- ARGS]",
		Short: "Run a hosted C program (entry main) on the emulated machine",
		Long: `exec loads the C files (with the machine's own minimal stdio.h, stdlib.h,
string.h, stdint.h, stddef.h, stdarg.h, limits.h and assert.h — no host
headers), runs main with ARGS and exits with the program's status. A fault
(bad memory access, division by zero, stack overflow, abort...) is printed
with its C backtrace and exits with status 134.

-I and -D work as gcc's do: -I DIR is relative to the current directory and
repeatable, -D NAME=VALUE takes the value whole (commas included).

A runaway program is stopped by the step budget (--budget, in emulated
steps) or by --timeout (exit status 124, as timeout(1)); a note on standard
error says when a program has run for a while.`,
		Example: `  upsynth target exec prog.c -- arg1 arg2
  upsynth target exec -I include -D 'PAIR=1,2' src/main.c src/util.c
  upsynth target exec --timeout 10s --budget 1000000000 loop.c`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			files := args
			var progArgs []string
			if n := cmd.ArgsLenAtDash(); n >= 0 {
				files, progArgs = args[:n], args[n:]
			}
			if len(files) == 0 {
				return errors.New("no C files")
			}
			root, rel, relIncludes, err := execTree(files, includes)
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			if timeout > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, timeout)
				defer cancel()
			}
			// Say so when a program runs for a while: a runaway loop is
			// otherwise silent until its budget runs out.
			slow := time.AfterFunc(execSlowNote, func() {
				fmt.Fprintf(io.Err, "upsynth: %s still running after %s (step budget %d; --budget, --timeout or Ctrl-C stop it)\n", rel[0], execSlowNote, budgetOrDefault(budget))
			})
			status, err := emu.RunProgram(ctx, os.DirFS(root), rel, progArgs, io.Out, emu.ProgramOptions{
				Load:       emu.LoadOptions{IncludePaths: relIncludes, Defines: defines},
				Stderr:     io.Err,
				StepBudget: budget,
			})
			slow.Stop()
			if err != nil {
				var f *emu.Fault
				if cmd.Context().Err() != nil {
					return cmd.Context().Err() // a signal: run says interrupted
				}
				if errors.As(err, &f) {
					if timeout > 0 && errors.Is(ctx.Err(), context.DeadlineExceeded) && cmd.Context().Err() == nil {
						fmt.Fprintf(io.Err, "upsynth: %s timed out after %s\n", rel[0], timeout)
						fmt.Fprintln(io.Err, f.Report())
						return &exitError{code: 124}
					}
					fmt.Fprintln(io.Err, f.Report())
					return &exitError{code: 134}
				}
				return err
			}
			return &exitError{code: status & 0xff}
		},
	}
	cmd.Flags().StringArrayVarP(&includes, "include", "I", nil, "include directory, relative to the current directory (repeatable)")
	cmd.Flags().StringArrayVarP(&defines, "define", "D", nil, "predefined macro NAME or NAME=VALUE (repeatable)")
	cmd.Flags().Int64Var(&budget, "budget", 0, fmt.Sprintf("step budget of the whole run (0: %d)", emu.DefaultProgramBudget))
	cmd.Flags().DurationVar(&timeout, "timeout", 0, "stop the program after this long (0: no limit), exit status 124")
	return cmd
}

// execSlowNote is how long a program runs before exec says it is running.
const execSlowNote = 5 * time.Second

func budgetOrDefault(b int64) int64 {
	if b <= 0 {
		return emu.DefaultProgramBudget
	}
	return b
}

// execTree lays the program's files and include directories over one tree:
// their closest common directory, so that -I may name a directory outside
// the sources' own, as gcc allows. It returns the root and the files and
// include directories relative to it.
func execTree(files, includes []string) (root string, rel, relIncludes []string, err error) {
	var abs, dirs []string
	for i, p := range append(append([]string{}, files...), includes...) {
		a, err := filepath.Abs(p)
		if err != nil {
			return "", nil, nil, err
		}
		abs = append(abs, a)
		if i < len(files) {
			a = filepath.Dir(a)
		}
		dirs = append(dirs, a)
	}
	root = dirs[0]
	for _, d := range dirs {
		for !isWithin(root, d) {
			root = filepath.Dir(root)
		}
	}
	for i, a := range abs {
		r, err := filepath.Rel(root, a)
		if err != nil {
			return "", nil, nil, err
		}
		if i < len(files) {
			rel = append(rel, filepath.ToSlash(r))
		} else {
			relIncludes = append(relIncludes, filepath.ToSlash(r))
		}
	}
	return root, rel, relIncludes, nil
}

// isWithin reports whether path is dir or below it.
func isWithin(dir, path string) bool {
	r, err := filepath.Rel(dir, path)
	return err == nil && (r == "." || filepath.IsLocal(r))
}
