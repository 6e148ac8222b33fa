// Package replay replays a kernel's history live: it boots revision A on the
// emulated target, keeps a workload running, and takes the running machine
// through every first-parent commit of A..B in order — skipping commits that
// change nothing compiled, applying code, state and interface changes as
// live updates planned in memory (synth's plan, run by synth/verify's
// interpreter or by a package compiled with a person's hooks), rebooting
// into a revision only where its commit is unsupported or its update fails
// — and at B compares the running machine with a fresh boot of B. It owns
// the replay's rows and summary (text, JSON, HTML) and its progress file,
// from which an interrupted replay resumes.
//
// Where the history comes from (a git repository and the analysis database)
// is history.go alone, so that it can move to the kernel package (which
// will own opening repositories, resolving A..B and trees) in one place.
package replay
