// Package analyze mines a kernel's git history into the analysis database:
// it walks the commits of a range parents-first, summarizes every C/C++
// blob once per state of the headers its parse read (memoized in the
// database, parsed on worker goroutines, precisely against the revision's
// own tree when it can: package deps tells where a summary holds), keeps a
// whole-tree index of cross-module facts up to date commit by commit, and
// classifies each non-merge commit per docs/classification.md.
//
// Data flows one way: history (git objects) → memo (summaries) → diff
// (cparse.Diff) → classify (with the index) → store (SQLite or
// PostgreSQL), one transaction per batch of commits. The same steps, cut
// into units other processes can do (distributed.go: PlanRun, Worker), are
// what package analyze/distribute puts on a job queue.
package analyze
