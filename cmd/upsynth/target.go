package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

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
	cmd := &cobra.Command{
		Use:   "exec FILE.c... [-- ARGS]",
		Short: "Run a hosted C program (entry main) on the emulated machine",
		Long: `exec loads the C files (with the machine's own minimal stdio.h, stdlib.h,
string.h, stdint.h, stddef.h, stdarg.h, limits.h and assert.h — no host
headers), runs main with ARGS and exits with the program's status. A fault
(bad memory access, division by zero, stack overflow, abort...) is printed
with its C backtrace and exits with status 134.`,
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
			dir := filepath.Dir(files[0])
			var rel []string
			for _, f := range files {
				r, err := filepath.Rel(dir, f)
				if err != nil || !filepath.IsLocal(r) {
					abs, _ := filepath.Abs(f)
					return fmt.Errorf("%s: all files must be under %s", abs, dir)
				}
				rel = append(rel, filepath.ToSlash(r))
			}
			status, err := emu.RunProgram(cmd.Context(), os.DirFS(dir), rel, progArgs, io.Out, emu.ProgramOptions{
				Load:   emu.LoadOptions{IncludePaths: includes, Defines: defines},
				Stderr: io.Err,
			})
			if err != nil {
				var f *emu.Fault
				if errors.As(err, &f) {
					fmt.Fprintln(io.Err, f.Report())
					return &exitError{code: 134}
				}
				return err
			}
			return &exitError{code: status & 0xff}
		},
	}
	cmd.Flags().StringSliceVarP(&includes, "include", "I", nil, "include directory, relative to the first file's directory")
	cmd.Flags().StringSliceVarP(&defines, "define", "D", nil, "macro definition NAME or NAME=VALUE")
	return cmd
}
