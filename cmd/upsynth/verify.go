package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/upsynth/upsynth/runtime"
	harness "github.com/upsynth/upsynth/runtime/emu/verify"
	"github.com/upsynth/upsynth/runtime/plan"
	"github.com/upsynth/upsynth/synth/verify"
)

type verifyOptions struct {
	mode   string
	cpus   int
	seed   uint64
	useGo  bool
	format string
	fault  string
}

func newVerifyCmd(io streams, global *globalOptions) *cobra.Command {
	o := &verifyOptions{}
	cmd := &cobra.Command{
		Use:   "verify DIR... [--mode eager|lazy|both] [--cpus N] [--seed S]",
		Short: "Apply emitted update packages live on the emulated target and check them",
		Long: `verify boots the old revision of each package on the emulated target, runs
the load workload, applies the update halfway through it, finishes the
workload and checks: the update applied, no expectation failed, the kernel's
self-check passes, every object of a changed type was converted, and after
the update the new revision's workloads give the results a fresh boot of the
new revision gives wherever the old and the new revision agree (differences
are listed). It prints the runtime's report.

By default the update is built in-process from the package's plan.json (the
same steps the generated code performs, with the generated hooks); --go
runs 'go test' in the package instead, which compiles the generated code
and the hooks a person wrote (its test verifies the rollback too). The exit
status is 1 when a check failed or a directory is not a package, and 2 when
nothing was verified (every package is one the emulated target cannot run):
nothing verified is not a success.

--fault verifies the rollback instead: the update is made to fail ("after":
its After step, once every instance is converted; "transfer:K": the K-th
instance's transfer) and must roll back, leaving the old revision running
as a fresh boot of it does, the self-check passing.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runVerify(cmd.Context(), io, o, global.quiet, args)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.mode, "mode", "both", "conversion mode: "+verifyModes.String())
	verifyModes.complete(cmd, "mode")
	f.IntVar(&o.cpus, "cpus", defaultCPUs, "emulated CPUs")
	f.Uint64Var(&o.seed, "seed", 1, "scheduler seed")
	f.BoolVar(&o.useGo, "go", false, "compile and run the package's own test (go test) instead of the in-process interpreter")
	f.StringVar(&o.format, "format", "text", "output format: text or json (one result per package and mode)")
	textOrJSON.complete(cmd, "format")
	f.StringVar(&o.fault, "fault", "", "verify the rollback: make the update fail at \"after\" or \"transfer:K\"")
	return cmd
}

// parseFault reads --fault.
func parseFault(s string) (*harness.Fault, error) {
	switch {
	case s == "":
		return nil, nil
	case s == "after":
		return &harness.Fault{After: true}, nil
	case strings.HasPrefix(s, "transfer:"):
		k, err := strconv.Atoi(strings.TrimPrefix(s, "transfer:"))
		if err != nil || k < 1 {
			return nil, fmt.Errorf("--fault %q: K in transfer:K is a count from 1", s)
		}
		return &harness.Fault{Transfer: k}, nil
	}
	return nil, fmt.Errorf("--fault %q: want after or transfer:K", s)
}

func runVerify(ctx context.Context, io streams, o *verifyOptions, quiet bool, dirs []string) error {
	var modes []runtime.Mode
	if err := verifyModes.check("mode", o.mode); err != nil {
		return err
	}
	switch o.mode {
	case "both":
		modes = []runtime.Mode{runtime.Eager, runtime.Lazy}
	default:
		m, err := runtime.ParseMode(o.mode)
		if err != nil {
			return err
		}
		modes = []runtime.Mode{m}
	}
	if err := textOrJSON.check("format", o.format); err != nil {
		return err
	}
	if o.format == "json" && o.useGo {
		return fmt.Errorf("--format json reports in-process verifications; --go prints go test's output")
	}
	fault, err := parseFault(o.fault)
	if err != nil {
		return err
	}
	if fault != nil && o.useGo {
		return fmt.Errorf("--fault verifies in process; --go runs the package's own test, which verifies the rollback itself")
	}
	var results []jsonResult
	passed, total, skipped := 0, 0, 0
	progress := newVerifyProgress(io, quiet, len(dirs))
	for i, dir := range dirs {
		progress(i, dir)
		// The update from plan.json (synth's interpreter), run by the
		// harness the packages' own tests use.
		p, err := plan.Read(dir)
		if err != nil {
			// Not a package: a failure of its own, and the others'
			// results are still summed up.
			total++
			fmt.Fprintf(io.Out, "FAIL %s: %v\n", dir, err)
			continue
		}
		if p.Unverifiable != "" {
			skipped++
			w := io.Out
			if o.format == "json" {
				w = io.Err // stdout holds the JSON results
			}
			fmt.Fprintf(w, "SKIP %s: cannot be verified on the emulated target: %s\n", filepath.Base(dir), p.Unverifiable)
			continue
		}
		if o.useGo {
			total++
			cmd := exec.CommandContext(ctx, "go", "test", "-count=1", "-v", ".")
			cmd.Dir = dir
			cmd.Stdout, cmd.Stderr = io.Out, io.Err
			if err := cmd.Run(); err != nil {
				fmt.Fprintf(io.Out, "FAIL %s: %v\n", dir, err)
				continue
			}
			passed++
			continue
		}
		mk, err := verify.FromPlan(dir, p)
		if err != nil {
			return err
		}
		refs, err := harness.NewReferences(dir, p, harness.Options{CPUs: o.cpus, Seed: o.seed})
		if err != nil {
			total += len(modes)
			fmt.Fprintf(io.Out, "FAIL %s: %v\n", filepath.Base(dir), err)
			continue
		}
		for _, mode := range modes {
			total++
			res, err := harness.RunWith(refs, dir, p, mk, harness.Options{Mode: mode, CPUs: o.cpus, Seed: o.seed, Fault: fault})
			if err != nil {
				fmt.Fprintf(io.Out, "FAIL %s (%s): %v\n", filepath.Base(dir), mode, err)
				continue
			}
			if o.format == "json" {
				results = append(results, toJSON(dir, res))
			} else if len(dirs) == 1 || !res.OK() {
				fmt.Fprint(io.Out, res.Text())
			}
			if res.OK() {
				passed++
				if len(dirs) > 1 && o.format == "text" {
					fmt.Fprintf(io.Out, "ok   %s (%s)\n", strings.TrimSpace(p.Name), mode)
				}
			}
		}
	}
	progress(len(dirs), "")
	if o.format == "json" {
		enc := json.NewEncoder(io.Out)
		enc.SetIndent("", "  ")
		if err := enc.Encode(results); err != nil {
			return err
		}
	} else {
		fmt.Fprintf(io.Out, "verified %d of %d", passed, total)
		if skipped > 0 {
			fmt.Fprintf(io.Out, " (%d skipped: not verifiable on the emulated target)", skipped)
		}
		fmt.Fprintln(io.Out)
	}
	if passed != total {
		return &exitError{code: 1}
	}
	if total == 0 {
		fmt.Fprintln(io.Err, "upsynth: nothing was verified")
		return &exitError{code: 2}
	}
	return nil
}

// newVerifyProgress returns what shows, on a terminal and unless --quiet,
// which package of how many is being verified; called with i == n it clears
// the line.
func newVerifyProgress(io streams, quiet bool, n int) func(i int, dir string) {
	if quiet || n < 2 || !isTerminal(io.Err) {
		return func(int, string) {}
	}
	return func(i int, dir string) {
		if i == n {
			fmt.Fprint(io.Err, "\r\033[K")
			return
		}
		fmt.Fprintf(io.Err, "\r\033[Kverifying %d/%d %s", i+1, n, filepath.Base(dir))
	}
}

// jsonResult is one verification in --format json.
type jsonResult struct {
	Dir         string          `json:"dir"`
	Update      string          `json:"update"`
	Mode        string          `json:"mode"`
	Fault       string          `json:"fault,omitempty"` // the injected fault: a rollback was verified
	OK          bool            `json:"ok"`
	Outcome     string          `json:"outcome,omitempty"`
	Checks      []harness.Check `json:"checks"`
	Differences []string        `json:"differences,omitempty"`
	Values      []string        `json:"values,omitempty"`
	Report      *runtime.Report `json:"report,omitempty"`
}

func toJSON(dir string, r *harness.Result) jsonResult {
	j := jsonResult{Dir: dir, Update: r.Update, Mode: r.Mode.String(), Fault: r.Fault, OK: r.OK(), Checks: r.Checks,
		Differences: r.Differences, Values: r.Values, Report: r.Report}
	if r.Report != nil {
		j.Outcome = r.Report.Outcome
	}
	return j
}
