package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/upsynth/upsynth/analyze/store"
	"github.com/upsynth/upsynth/replay"
	"github.com/upsynth/upsynth/runtime"
	"github.com/upsynth/upsynth/targets"
)

type replayOptions struct {
	repo, db, mode, hooks, format, out, target string
	cpus                                       int
	seed                                       uint64
}

func newReplayCmd(io streams) *cobra.Command {
	o := &replayOptions{}
	cmd := &cobra.Command{
		Use:   "replay A..B [--repo R] [--db X] [--target PORT] [--mode eager|lazy] [--hooks DIR] [--format text|json|html] [-o FILE]",
		Short: "Take a running kernel from A to B live, rebooting only where a commit needs it",
		Long: `replay boots revision A on the emulated target, runs its load workload
(workloads/mixed.wl, or the port's) and takes the running machine through every
first-parent commit of A..B in order: a commit of class none is skipped;
code, state and interface commits are planned in memory and applied live
while the load runs, then the self-check runs; at an unsupported commit
the machine reboots into it (with the class's reasons); an update that
fails (rolled back, or its checks fail) is followed by a reboot into the
commit, counted as a failure with why. At B the running machine is
compared with a fresh boot of B: B's workloads must give the same checks,
results and console output on both, and the self-checks must agree.

The classes come from the analysis database (run 'upsynth analyze' first).
--hooks DIR holds hooks a person wrote, DIR/<commit>/hooks.go, <commit> a
hash prefix (or a corpus id such as 0014-dir-hash-table): those updates run
with their hooks compiled in — the replay then runs in a program built for
it (go build, offline, against this binary's source). A kernel written for
real hardware runs with a port, as for emit: --target freertos (bundled)
or a port directory.

Progress is kept in a file beside the database: a replay interrupted
(Ctrl-C, kill -9) continues, when run again with the same arguments, after
the last commit it finished — the machine is booted where it last booted
and the commits it had applied since are applied again — and gives the
result an uninterrupted replay gives. The exit status is 1 when an update
failed or the machine at B disagrees with a fresh boot of B.`,
		Example: `  upsynth replay v1.0..v1.1 --repo ~/src/kernel --db k.db
  upsynth replay V10.4.0-kernel-only..main --repo ~/src/FreeRTOS-Kernel --db rtos.db --target freertos
  upsynth replay $(git -C corpus.git rev-list --max-parents=0 HEAD)..HEAD --repo corpus.git --db upsynth.db \
      --hooks synth/verify/testdata/hooks --format html -o replay.html`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			quiet, _ := cmd.Flags().GetBool("quiet")
			setInterruptHint("rerun the same command to continue after the last commit it finished")
			return runReplay(cmd.Context(), io, o, args[0], quiet)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.repo, "repo", ".", "git repository of the kernel")
	f.StringVar(&o.db, "db", "upsynth.db", "analysis database: a SQLite file or a postgres:// URL")
	f.StringVar(&o.mode, "mode", "eager", "conversion mode: "+updateModes.String())
	updateModes.complete(cmd, "mode")
	f.StringVar(&o.hooks, "hooks", "", "directory of hooks a person wrote: DIR/<commit>/hooks.go")
	f.StringVar(&o.format, "format", "text", "output format: "+replayFormat.String())
	replayFormat.complete(cmd, "format")
	f.StringVarP(&o.out, "output", "o", "", "write the output to this file instead of standard output")
	f.StringVar(&o.target, "target", "", "port the kernel runs with on the emulated target: "+strings.Join(targets.Names(), ", ")+" or a port directory")
	completeTarget(cmd)
	f.IntVar(&o.cpus, "cpus", defaultCPUs, "emulated CPUs")
	f.Uint64Var(&o.seed, "seed", 1, "scheduler seed")
	return cmd
}

func runReplay(ctx context.Context, io streams, o *replayOptions, rangeSpec string, quiet bool) error {
	mode, err := runtime.ParseMode(o.mode)
	if err != nil || mode == runtime.StopTheWorld {
		return updateModes.check("mode", o.mode)
	}
	switch {
	case o.target == replay.Target:
		o.target = "" // the emulated target itself: no port
	case strings.ContainsAny(o.target, `/\.`):
		// A port directory: the hook host runs elsewhere.
		if o.target, err = filepath.Abs(o.target); err != nil {
			return err
		}
	}
	port, err := targets.Lookup(o.target)
	if err != nil {
		return err
	}
	if err := replayFormat.check("format", o.format); err != nil {
		return err
	}
	h, err := replay.Open(ctx, o.repo, o.db, rangeSpec, port)
	if err != nil {
		return err
	}
	var hooks map[string]string
	if o.hooks != "" {
		if hooks, err = replay.FindHooks(o.hooks, h); err != nil {
			return err
		}
	}
	key, err := replayKey(h, mode, o, hooks)
	if err != nil {
		return err
	}
	// Beside a SQLite file; a PostgreSQL database has no beside: the
	// current directory.
	base := o.db
	if store.IsPostgres(o.db) {
		base = "upsynth"
	}
	journalPath := fmt.Sprintf("%s.replay-%s.json", base, key[:12])
	journal, err := replay.OpenJournal(journalPath, key)
	if err != nil {
		return err
	}
	if n := len(journal.Rows()); n > 0 && !quiet {
		fmt.Fprintf(io.Err, "resuming after %d of %d commits (%s)\n", n, len(h.Commits), journalPath)
	}
	var bar *progressbar.ProgressBar
	progress := func(i, n int, r replay.Row) {}
	if !quiet && isTerminal(io.Err) {
		progress = func(i, n int, r replay.Row) {
			if bar == nil {
				bar = progressbar.NewOptions(n, progressbar.OptionSetWriter(io.Err),
					progressbar.OptionSetDescription("replaying"), progressbar.OptionShowCount(),
					progressbar.OptionShowIts(), progressbar.OptionSetItsString("commits"),
					progressbar.OptionSetPredictTime(true), progressbar.OptionThrottle(100*time.Millisecond),
					progressbar.OptionClearOnFinish())
			}
			bar.Set(i + 1)
		}
	}
	var res *replay.Result
	if len(hooks) > 0 {
		work := fmt.Sprintf("%s.replay-%s.hooks", base, key[:12])
		var goLog strings.Builder
		bin, err := replay.BuildHost(ctx, work, h, hooks, mode, &goLog)
		if err != nil {
			return fmt.Errorf("%w\n%s", err, goLog.String())
		}
		res, err = replay.RunHost(ctx, bin, replay.HostRequest{Repo: o.repo, DB: o.db, Range: rangeSpec, Target: o.target, Mode: mode.String(),
			CPUs: o.cpus, Seed: o.seed, Journal: journalPath, Key: key}, progress, io.Err)
		if err != nil {
			return interrupted(err, journalPath)
		}
		os.RemoveAll(work)
	} else {
		res, err = replay.Run(ctx, h, replay.Options{Mode: mode, CPUs: o.cpus, Seed: o.seed,
			Journal: journal, Progress: progress})
		if err != nil {
			return interrupted(err, journalPath)
		}
	}
	if bar != nil {
		bar.Finish()
	}
	res.Repo = o.repo
	if err := journal.Remove(); err != nil {
		return err
	}
	w := io.Out
	var file *os.File
	if o.out != "" {
		if file, err = os.Create(o.out); err != nil {
			return err
		}
		w = file
	}
	if err := writeReplay(w, res, o.format); err != nil {
		if file != nil {
			file.Close()
		}
		return err
	}
	if file != nil {
		if err := file.Close(); err != nil {
			return err
		}
		if !quiet {
			fmt.Fprintf(io.Out, "%d commits: %d applied live, %d reboots (%d failures); wrote %s\n",
				res.Summary.Commits, res.Summary.Live, res.Summary.Reboots, res.Summary.Failures, o.out)
		}
	}
	if !res.OK() {
		return &exitError{code: 1}
	}
	return nil
}

func writeReplay(w io.Writer, res *replay.Result, format string) error {
	switch format {
	case "json":
		return res.JSON(w)
	case "html":
		return res.HTML(w)
	}
	return res.Text(w)
}

// interrupted says where an interrupted replay's progress is.
func interrupted(err error, journal string) error {
	if errors.Is(err, replay.ErrInterrupted) {
		return fmt.Errorf("%w: run the same command again to continue (progress in %s)", err, journal)
	}
	return err
}

// replayKey identifies a replay: the resolved range, the options that change
// its outcome and the hooks' contents.
func replayKey(h *replay.History, mode runtime.Mode, o *replayOptions, hooks map[string]string) (string, error) {
	s := sha256.New()
	to := h.Base.Hash
	if n := len(h.Commits); n > 0 {
		to = h.Commits[n-1].Hash
	}
	fmt.Fprintf(s, "%s..%s %s cpus=%d seed=%d target=%s\n", h.Base.Hash, to, mode, o.cpus, o.seed, h.TargetName())
	var shas []string
	for sha := range hooks {
		shas = append(shas, sha)
	}
	sort.Strings(shas)
	for _, sha := range shas {
		b, err := os.ReadFile(hooks[sha])
		if err != nil {
			return "", err
		}
		fmt.Fprintf(s, "%s %x\n", sha, sha256.Sum256(b))
	}
	return hex.EncodeToString(s.Sum(nil)), nil
}
