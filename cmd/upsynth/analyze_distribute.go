package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/upsynth/upsynth/analyze"
	"github.com/upsynth/upsynth/analyze/distribute"
	"github.com/upsynth/upsynth/analyze/store"
)

// distributeFlags are analyze's flags for distributed runs.
type distributeFlags struct {
	distribute, detach, status bool
	sizes                      distribute.Sizes
}

// analyzeDistributed plans the run as jobs and, unless detached, waits for
// the workers to finish it.
func analyzeDistributed(ctx context.Context, io streams, opts analyze.Options, dist distributeFlags, format string, quiet bool) error {
	if !store.IsPostgres(opts.DB) {
		return fmt.Errorf("--distribute needs a PostgreSQL --db (postgres://…) that every worker reaches, not %s", opts.DB)
	}
	if !quiet {
		opts.Waiting = func() {
			fmt.Fprintf(io.Err, "waiting for another analyze of %s to finish\n", store.Display(opts.DB))
		}
	}
	plan, err := distribute.Enqueue(ctx, opts, dist.sizes)
	if err != nil {
		return err
	}
	if !quiet {
		fmt.Fprintf(io.Err, "run %d: %d commits to classify (%d already in %s), %d blobs to summarize; queued for upsynth worker --db … --repo …\n",
			plan.Run, len(plan.Commits), plan.Skipped, store.Display(opts.DB), len(plan.Blobs))
	}
	if dist.detach || len(plan.Commits) == 0 {
		return nil
	}
	setInterruptHint("the run goes on in the workers; upsynth analyze --status shows it")
	var last string
	st, err := distribute.Wait(ctx, opts.DB, plan.Run, time.Second, func(r distribute.RunStatus) {
		line := progressLine(r)
		if !quiet && line != last && isTerminal(io.Err) {
			fmt.Fprintf(io.Err, "\r%s", line)
			last = line
		}
	})
	if last != "" {
		fmt.Fprintln(io.Err)
	}
	if err != nil {
		return err
	}
	if quiet {
		return runError(st)
	}
	if format == "json" {
		if err := writeReportJSON(io.Out, st); err != nil {
			return err
		}
	} else {
		printRun(io.Out, st)
	}
	return runError(st)
}

func runError(r distribute.RunStatus) error {
	if r.Status != "done" {
		return fmt.Errorf("run %d %s: %s", r.ID, r.Status, r.Error)
	}
	return nil
}

func progressLine(r distribute.RunStatus) string {
	return fmt.Sprintf("run %d %s: blobs %d/%d (jobs %d/%d, %d running), commits %d/%d (jobs %d/%d, %d running)",
		r.ID, r.Status, r.Summarize.ItemsDone, r.Summarize.Items, r.Summarize.Completed, r.Summarize.Total, r.Summarize.Running,
		r.Classify.ItemsDone, r.Classify.Items, r.Classify.Completed, r.Classify.Total, r.Classify.Running)
}

func printRun(w io.Writer, r distribute.RunStatus) {
	fmt.Fprintf(w, "%s\n", progressLine(r))
	fmt.Fprintf(w, "  %s, started %s", r.Repo, r.Started)
	if r.Finished != "" {
		fmt.Fprintf(w, ", finished %s", r.Finished)
	}
	fmt.Fprintf(w, "; %d commits recorded\n", r.Commits)
	if r.Summarize.Failed+r.Classify.Failed > 0 {
		fmt.Fprintf(w, "  failed jobs: %d summarize, %d classify (SELECT errors FROM river_job WHERE state = 'discarded')\n", r.Summarize.Failed, r.Classify.Failed)
	}
	if r.Error != "" {
		fmt.Fprintf(w, "  error: %s\n", r.Error)
	}
}

// printRunStatus shows the last runs of a database.
func printRunStatus(ctx context.Context, w io.Writer, db, format string) error {
	runs, err := distribute.Status(ctx, db, 10)
	if err != nil {
		return err
	}
	if format == "json" {
		if runs == nil {
			runs = []distribute.RunStatus{}
		}
		return writeReportJSON(w, runs)
	}
	if len(runs) == 0 {
		_, err := fmt.Fprintf(w, "%s: no runs\n", store.Display(db))
		return err
	}
	for _, r := range runs {
		printRun(w, r)
	}
	return nil
}
