package main

import (
	"fmt"
	"io/fs"
	"os"

	"github.com/spf13/cobra"

	"github.com/upsynth/upsynth/runtime"
	"github.com/upsynth/upsynth/runtime/emu"
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
	f.StringVar(&o.pkg, "update", "", "update package directory (its "+runtime.ManifestFile+") to apply while the workload runs")
	f.Int64Var(&o.at, "at", 0, "start the update once the machine has executed this many steps (at the end of the workload if it is shorter)")
	f.StringVar(&o.mode, "mode", "", "how instances are converted: eager, lazy or stop-the-world (default: the package's)")
}

// prepareUpdate loads the package and schedules its start; the update then
// runs as tasks of the machine while the workload runs.
func (o *targetUpdateOptions) prepare(m *emu.Machine, tree fs.FS) (*runtime.Applier, error) {
	if o.pkg == "" {
		return nil, nil
	}
	u, err := runtime.ReadManifest(os.DirFS(o.pkg))
	if err != nil {
		return nil, fmt.Errorf("update package %s: %w", o.pkg, err)
	}
	if o.mode != "" {
		if u.Mode, err = runtime.ParseMode(o.mode); err != nil {
			return nil, err
		}
	}
	t, err := emu.NewTarget(m, tree)
	if err != nil {
		return nil, err
	}
	a, err := runtime.Prepare(t, u)
	if err != nil {
		return nil, err
	}
	t.At(o.at, a.Start)
	return a, nil
}
