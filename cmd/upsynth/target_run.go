package main

import "github.com/spf13/cobra"

func newTargetRunCmd(io streams) *cobra.Command {
	return &cobra.Command{Use: "run", Short: "Boot a kernel and run a workload"}
}
