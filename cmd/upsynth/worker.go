package main

import (
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/upsynth/upsynth/analyze/distribute"
)

func newWorkerCmd(io streams, global *globalOptions) *cobra.Command {
	var o distribute.WorkOptions
	cmd := &cobra.Command{
		Use:   "worker --db postgres://… --repo REPO",
		Short: "Run the jobs of distributed analyses (analyze --distribute) from a PostgreSQL database",
		Long: `worker takes the jobs that analyze --distribute put in the database's river
queue — batches of blobs to summarize, segments of commits to classify — and
runs them on REPO, this machine's clone of the analyzed repository (any
clone holding the run's commits). Start any number, on any number of
machines; each job's rows are written in the transaction that completes it,
so a job is done once, whole, however often a worker dies.

A worker killed mid-job loses nothing: restarted with the same --id it puts
its unfinished jobs back at once; otherwise river's rescuer gives them to
another worker after --rescue-after (longer than any job can take). Ctrl-C
or SIGTERM cancels the running jobs, which go back to the queue (one that
cannot stop within upsynth's half second waits as a killed one does), and
exits. Without --until-idle a
worker waits for new runs until it is stopped.`,
		Example: `  upsynth worker --db postgres://upsynth@db/linux --repo ~/src/linux -j 8
  upsynth worker --db "$UPSYNTH_DB" --repo /clone --id "$HOSTNAME" --until-idle`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if o.Repo == "" {
				return errors.New("worker needs --repo, this machine's clone of the analyzed repository")
			}
			o.Log = io.Err
			if !global.quiet {
				o.Done = func(kind string) { fmt.Fprintf(io.Err, "%s done\n", kind) }
			}
			setInterruptHint("the worker's unfinished jobs went back to the queue")
			err := distribute.Work(cmd.Context(), o)
			if err == nil && o.UntilIdle && !global.quiet {
				_, err = fmt.Fprintln(io.Out, "queue empty")
			}
			return err
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.DB, "db", "", "the PostgreSQL database of the runs (postgres://…)")
	f.StringVar(&o.Repo, "repo", "", "this machine's clone of the analyzed repository")
	f.StringVar(&o.ID, "id", "", "this worker's name in the queue (default: the host name); unique per worker")
	f.IntVarP(&o.Concurrency, "jobs", "j", 1, "jobs run at once (one CPU each)")
	f.DurationVar(&o.RescueAfter, "rescue-after", 30*time.Minute, "give a job another worker when it has run this long")
	f.BoolVar(&o.UntilIdle, "until-idle", false, "exit once the queue holds no unfinished job")
	cmd.MarkFlagRequired("db")
	return cmd
}
