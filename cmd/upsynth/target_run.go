package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/upsynth/upsynth/kernel"
	"github.com/upsynth/upsynth/runtime"
	"github.com/upsynth/upsynth/runtime/emu"
	"github.com/upsynth/upsynth/runtime/emu/verify"
)

type targetRunOptions struct {
	dir, repo, rev, workload, format string
	cpus                             int
	seed                             uint64
	budget                           int64
	update                           targetUpdateOptions
}

func newTargetRunCmd(io streams) *cobra.Command {
	o := &targetRunOptions{}
	cmd := &cobra.Command{
		Use:   "run (--dir DIR | --repo PATH --rev REV) [--workload FILE] [--cpus N] [--seed S] [--update PKG --at STEP --mode eager|lazy]",
		Short: "Boot a kernel on the emulated machine and run a workload",
		Long: `run loads the C modules of a kernel tree (a directory, or a git revision read
straight from the repository without a checkout; the modules are those emit
and verify use: every .c file upsynth.yaml does not exclude, without test
code, inline assembly or host tools), boots it (kernel_boot),
runs the workload (format: runtime/emu/WORKLOAD.md) on N emulated CPUs
interleaved by a seeded scheduler, and prints each failed expectation, the
console output and statistics. Include paths: those of its upsynth.yaml
(default include and the tree's root), then the machine's headers. With
--update, an update package (the directory upsynth emit writes, read
from its plan.json and C sources as verify reads it) is applied live once
the machine has run --at steps, while the workload goes on, and its report (objects converted, time to apply, pauses,
calls held, adapters) is printed. The exit status is 1 when an expectation
failed or the kernel faulted.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runTarget(io, o) },
	}
	f := cmd.Flags()
	f.StringVar(&o.dir, "dir", "", "kernel source directory")
	f.StringVar(&o.repo, "repo", "", "git repository of the kernel")
	f.StringVar(&o.rev, "rev", "HEAD", "revision to run (with --repo)")
	f.StringVar(&o.workload, "workload", "", "workload file (default: boot and self-check only)")
	f.IntVar(&o.cpus, "cpus", defaultCPUs, "emulated CPUs")
	f.Uint64Var(&o.seed, "seed", 1, "scheduler seed")
	f.Int64Var(&o.budget, "budget", 0, "step budget per request (0: the machine's default)")
	f.StringVar(&o.format, "format", "text", "output format: text or json")
	textOrJSON.complete(cmd, "format")
	o.update.flags(cmd)
	return cmd
}

// openTree is the kernel target run boots: a directory, or a revision of a
// repository read without a checkout. close releases the repository.
func openTree(o *targetRunOptions) (t *kernel.Tree, close func(), err error) {
	switch {
	case o.dir != "" && o.repo != "":
		return nil, nil, errors.New("--dir and --repo are exclusive")
	case o.dir != "":
		t, err := kernel.FromDir(o.dir)
		return t, func() {}, err
	case o.repo != "":
		r, err := kernel.Open(o.repo)
		if err != nil {
			return nil, nil, err
		}
		t, err := r.At(o.rev)
		if err != nil {
			r.Close()
			return nil, nil, err
		}
		return t, func() { r.Close() }, nil
	}
	return nil, nil, errors.New("give --dir or --repo")
}

// loadKernel loads a kernel's modules on the emulated target, as verify's
// harness does from an emitted plan: the module list, include paths and
// defines of package kernel.
func loadKernel(tree *kernel.Tree) (*emu.Image, []string, error) {
	files, err := tree.Modules()
	if err != nil {
		return nil, nil, err
	}
	if len(files) == 0 {
		return nil, nil, fmt.Errorf("%s: no C modules", tree.Label)
	}
	img, err := emu.Load(tree.FS, files, verify.LoadOptions(tree.Build()))
	return img, files, err
}

type runReport struct {
	Kernel   string              `json:"kernel"`
	Files    int                 `json:"files"`
	CPUs     int                 `json:"cpus"`
	Seed     uint64              `json:"seed"`
	Requests int                 `json:"requests"`
	Failures int                 `json:"failures"`
	Failed   []emu.RequestResult `json:"failed,omitempty"`
	Fault    string              `json:"fault,omitempty"`
	Console  string              `json:"console"`
	Stats    emu.Stats           `json:"stats"`
	Update   *runtime.Report     `json:"update,omitempty"`
}

func runTarget(io streams, o *targetRunOptions) error {
	tree, closeTree, err := openTree(o)
	if err != nil {
		return err
	}
	defer closeTree()
	label := tree.Label
	img, files, err := loadKernel(tree)
	if err != nil {
		var le *emu.LoadError
		if errors.As(err, &le) {
			return fmt.Errorf("%s does not load:\n  %s", label, strings.Join(le.Problems, "\n  "))
		}
		return err
	}
	var w *emu.Workload
	if o.workload != "" {
		src, err := os.ReadFile(o.workload)
		if err != nil {
			return err
		}
		if w, err = emu.ParseWorkload(o.workload, src); err != nil {
			return err
		}
	} else {
		w = &emu.Workload{Name: "(self-check)"}
	}
	if img.HasFunction("kernel_selfcheck") {
		w.Streams = append(w.Streams, &emu.Stream{Name: "final", Lines: []*emu.Line{{Pos: "(final self-check)", Kind: emu.LineCheck}}})
	}
	var console bytes.Buffer
	m, err := emu.NewMachine(img, emu.MachineConfig{CPUs: o.cpus, Seed: o.seed, StepBudget: o.budget, Console: &console})
	if err != nil {
		return err
	}
	rep := runReport{Kernel: label, Files: len(files), CPUs: o.cpus, Seed: o.seed}
	var fault *emu.Fault
	if err := m.Boot(); err != nil {
		if !errors.As(err, &fault) {
			return err
		}
	} else {
		upd, err := o.update.prepare(m, tree.FS)
		if err != nil {
			return err
		}
		res, err := m.RunWorkload(w)
		if upd != nil {
			rep.Update = upd.Wait()
		}
		if err != nil && !errors.As(err, &fault) {
			return err
		}
		if res != nil {
			rep.Requests, rep.Failures = len(res.Requests), res.Failures
			for _, r := range res.Requests {
				if r.Failed != "" {
					rep.Failed = append(rep.Failed, r)
				}
			}
		}
	}
	if fault != nil {
		rep.Fault = fault.Report()
	}
	rep.Console = console.String()
	rep.Stats = m.Stats()
	if err := printRunReport(io.Out, o.format, &rep); err != nil {
		return err
	}
	if rep.Failures > 0 || fault != nil || (rep.Update != nil && rep.Update.Outcome != "applied") {
		return &exitError{code: 1}
	}
	return nil
}

func printRunReport(w io.Writer, format string, r *runReport) error {
	switch format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(r)
	case "text":
	default:
		return fmt.Errorf("unknown format %q (text or json)", format)
	}
	fmt.Fprintf(w, "kernel %s: %d files, %d cpus, seed %d\n", r.Kernel, r.Files, r.CPUs, r.Seed)
	if r.Console != "" {
		fmt.Fprintf(w, "--- console\n%s", r.Console)
		if !strings.HasSuffix(r.Console, "\n") {
			fmt.Fprintln(w)
		}
		fmt.Fprintln(w, "---")
	}
	for _, f := range r.Failed {
		fmt.Fprintf(w, "FAIL %s [%s]: %s\n", f.Pos, f.Stream, f.Failed)
	}
	if r.Fault != "" {
		fmt.Fprintf(w, "FAULT %s\n", r.Fault)
	}
	s := r.Stats
	fmt.Fprintf(w, "requests %d, failed %d; steps %d, calls %d, switches %d, objects %d, faults %d\n",
		r.Requests, r.Failures, s.Steps, s.Calls, s.Switches, s.Objects, s.Faults)
	if r.Update != nil {
		r.Update.Print(w)
	}
	return nil
}
