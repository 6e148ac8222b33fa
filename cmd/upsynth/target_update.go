package main

import (
	"fmt"
	"io/fs"

	"github.com/spf13/cobra"

	"github.com/upsynth/upsynth/runtime"
	"github.com/upsynth/upsynth/runtime/emu"
	"github.com/upsynth/upsynth/runtime/plan"
	"github.com/upsynth/upsynth/synth/verify"
)

// targetUpdateOptions are target run's flags for applying an update while
// the workload runs.
type targetUpdateOptions struct {
	pkg  string
	at   int64
	mode string
}

func (o *targetUpdateOptions) flags(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringVar(&o.pkg, "update", "", "update package directory (what upsynth emit writes) to apply while the workload runs")
	f.Int64Var(&o.at, "at", 0, "start the update once the machine has executed this many steps (at the end of the workload if it is shorter)")
	f.StringVar(&o.mode, "mode", "", "how instances are converted: "+applyModes.String()+" (default: the package's)")
	applyModes.complete(cmd, "mode")
}

// prepare builds the package's update from its plan.json (as upsynth verify
// does) and schedules its start; the update then runs as tasks of the
// machine while the workload runs.
func (o *targetUpdateOptions) prepare(m *emu.Machine, tree fs.FS) (*runtime.Applier, error) {
	if o.pkg == "" {
		return nil, nil
	}
	p, err := plan.Read(o.pkg)
	if err != nil {
		return nil, err
	}
	mk, err := verify.FromPlan(o.pkg, p)
	if err != nil {
		return nil, fmt.Errorf("update package %s: %w", o.pkg, err)
	}
	mode := p.Mode
	if o.mode != "" {
		if err := applyModes.check("mode", o.mode); err != nil {
			return nil, err
		}
		mode = o.mode
	}
	md, err := runtime.ParseMode(mode)
	if err != nil {
		return nil, err
	}
	t, err := emu.NewTarget(m, tree)
	if err != nil {
		return nil, err
	}
	a, err := runtime.Prepare(t, mk(md))
	if err != nil {
		return nil, err
	}
	t.At(o.at, a.Start)
	return a, nil
}
