// Package replay replays a kernel's history live: it boots revision A on the
// emulated target, keeps a workload running, and takes the running machine
// through every first-parent commit of A..B in order — skipping commits that
// change nothing compiled, applying code, state and interface changes as
// live updates planned in memory (synth's plan, run by synth/verify's
// interpreter or by a package compiled with a person's hooks), rebooting
// into a revision only where its commit is unsupported or its update fails
// — and at B compares the running machine with a fresh boot of B. It owns
// the replay's rows and summary (text, JSON, HTML), its progress file, from
// which an interrupted replay resumes, and the hook host.
//
// The load. Each boot runs the revision's load (workloads/mixed.wl) once;
// every update is started halfway through another run of it. A load run
// again and again finds what its earlier runs made (a directory exists, a
// file it appends to reaches its size limit), so its expectations start to
// fail by themselves. A control machine — the revision booted last, never
// updated, given the same loads — fails those alike: an update fails only
// on a request that fails on the live machine and not on the control, on a
// stopped machine, a rollback, or a self-check that does not return 0.
//
// At B the load is not compared (its runs left different amounts behind on
// the two machines); every other workload of B runs on both, one after the
// other, and every request must agree.
//
// Resuming. The running machine cannot be saved, so the progress file keeps
// the rows; a resumed replay boots where the interrupted one last booted and
// applies again, live, the commits it had applied since. The emulator is
// deterministic for a seed, so that re-establishes the same machine, and
// each re-applied commit must come out as recorded.
//
// Where the history comes from (a git repository and the analysis database)
// is history.go alone, so that it can move to the kernel package (which
// will own opening repositories, resolving A..B and trees) in one place.
// The target is runtime/emu's (Target); boot and the machine type are the
// places a second target plugs in.
package replay
