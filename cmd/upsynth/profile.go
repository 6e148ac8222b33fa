// This file implements the --cpuprofile and --memprofile flags every command
// takes: pprof profiles of one run, for finding where analyze (or any
// command) spends its time on a real history.
package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"

	"github.com/spf13/cobra"
)

// addProfileFlags registers the profiling flags on root, starts the profiles
// before whichever command runs and returns what stops them. Cobra runs no
// post-run hook after a failing RunE, and a profile of a failed or
// interrupted run is still wanted, so the caller stops them.
func addProfileFlags(root *cobra.Command) (stop func() error) {
	var cpuPath, memPath string
	var cpuFile *os.File
	root.PersistentFlags().StringVar(&cpuPath, "cpuprofile", "", "write a CPU profile of this run to `FILE` (go tool pprof)")
	root.PersistentFlags().StringVar(&memPath, "memprofile", "", "write an allocation profile of this run to `FILE` at its end (go tool pprof)")
	root.PersistentPreRunE = func(cmd *cobra.Command, args []string) error {
		if cpuPath == "" {
			return nil
		}
		f, err := os.Create(cpuPath)
		if err != nil {
			return fmt.Errorf("--cpuprofile: %w", err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			f.Close()
			return fmt.Errorf("--cpuprofile: %w", err)
		}
		cpuFile = f
		return nil
	}
	return func() error {
		if cpuFile != nil {
			pprof.StopCPUProfile()
			if err := cpuFile.Close(); err != nil {
				return fmt.Errorf("--cpuprofile: %w", err)
			}
			cpuFile = nil
		}
		if memPath != "" {
			f, err := os.Create(memPath)
			if err != nil {
				return fmt.Errorf("--memprofile: %w", err)
			}
			defer f.Close()
			runtime.GC()
			if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
				return fmt.Errorf("--memprofile: %w", err)
			}
		}
		return nil
	}
}
