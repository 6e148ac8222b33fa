// Package distribute runs an analysis on many machines through river
// (github.com/riverqueue/river), a job queue kept in the same PostgreSQL
// database as the analysis: Enqueue plans a run (analyze.PlanRun) and
// inserts its jobs — batches of distinct blobs to summarize, then segments
// of consecutive commits to classify — and Work runs them in a worker
// process holding a clone of the repository, on any number of machines.
//
// What makes the result equal a one-process run is analyze's (see
// analyze.PlanRun). What this package adds is the queue's guarantees:
//
//   - a job's rows and its completion are one transaction
//     (river.JobCompleteTx with store.WriteTx): a job is done, rows and
//     all, or not at all, so a retried job never writes twice;
//   - a worker killed mid-job loses nothing: its job stays running until
//     the worker comes back under the same --id (it puts its own running
//     jobs back at start) or river's rescuer gives it to another worker
//     after --rescue-after; rows are upserts, so even a job done twice by
//     two workers leaves one copy;
//   - commits are classified once their blobs are in: classify jobs have a
//     lower priority than summarize jobs, and one that finds summarize jobs
//     of its run unfinished snoozes;
//   - the last job of a run records the run's end (runs.status), under an
//     advisory lock per run so exactly one job does.
package distribute
