package corpus

import (
	"bytes"
	"flag"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/upsynth/upsynth/runtime/emu"
)

// treeFS is a tree as a file system the emulator's loader reads.
func treeFS(t Tree) fstest.MapFS {
	m := fstest.MapFS{}
	for p, b := range t {
		m[p] = &fstest.MapFile{Data: b}
	}
	return m
}

// runOnEmu loads a revision on the emulated machine, boots it and runs the
// named workloads followed by a self-check. It returns a description of
// every failure.
func runOnEmu(tree Tree, workloads []string, cpus int, seed uint64) ([]string, error) {
	img, err := emu.Load(treeFS(tree), EmuSources(tree), emu.LoadOptions{IncludePaths: IncludePaths})
	if err != nil {
		return nil, fmt.Errorf("load: %w", err)
	}
	var console bytes.Buffer
	m, err := emu.NewMachine(img, emu.MachineConfig{CPUs: cpus, Seed: seed, Console: &console})
	if err != nil {
		return nil, err
	}
	if err := m.Boot(); err != nil {
		return nil, fmt.Errorf("boot: %w\nconsole:\n%s", err, tail(console.String()))
	}
	var failures []string
	for _, name := range workloads {
		src, ok := tree[name]
		if !ok {
			return nil, fmt.Errorf("no workload %s", name)
		}
		w, err := emu.ParseWorkload(name, src)
		if err != nil {
			return nil, err
		}
		// the self-check runs once the streams are done: it walks every
		// object and cannot run while other CPUs mutate them
		check, err := emu.ParseWorkload(name+" (final check)", []byte("check\n"))
		if err != nil {
			return nil, err
		}
		for _, w := range []*emu.Workload{w, check} {
			res, err := m.RunWorkload(w)
			if err != nil {
				return nil, fmt.Errorf("%s: %w\nconsole:\n%s", name, err, tail(console.String()))
			}
			for _, r := range res.Requests {
				if r.Failed != "" {
					failures = append(failures, fmt.Sprintf("%s: %s (output %q)", r.Pos, r.Failed, tail(r.Output)))
					if len(failures) > 20 {
						return failures, nil
					}
				}
			}
		}
	}
	return failures, nil
}

// emuSeed seeds the scheduler of the per-commit runs (commit i uses
// emuSeed+i); other seeds give other interleavings, see -emu.seed.
var emuSeedFlag = flag.Uint64("emu.seed", 1, "base scheduler seed of the emulated runs")
var emuSeed uint64

var emuCPUs = flag.Int("emu.cpus", 2, "CPUs of the emulated machine in the per-commit runs")

func tail(s string) string {
	if len(s) > 2000 {
		return "..." + s[len(s)-2000:]
	}
	return s
}

// TestEmuWorkloads runs every revision of the kernel on the emulated target
// with two CPUs (-emu.cpus): it must load (type-check), boot, and pass its workloads
// and the self-check. With -short only the tip runs.
func TestEmuWorkloads(t *testing.T) {
	commits, err := History()
	if err != nil {
		t.Fatal(err)
	}
	trees, err := Trees()
	if err != nil {
		t.Fatal(err)
	}
	emuSeed = *emuSeedFlag
	first := 0
	if testing.Short() {
		first = len(commits) - 1
	}
	for i := first; i < len(commits); i++ {
		c, tree := commits[i], trees[i]
		t.Run(c.ID, func(t *testing.T) {
			t.Parallel()
			workloads := c.Workloads
			if !contains(workloads, MixedWorkload) {
				workloads = append(append([]string{}, workloads...), MixedWorkload)
			}
			failures, err := runOnEmu(tree, workloads, *emuCPUs, emuSeed+uint64(i))
			if err != nil {
				t.Fatal(err)
			}
			if len(failures) > 0 {
				t.Errorf("%d failed expectations:\n%s", len(failures), strings.Join(failures, "\n"))
			}
		})
	}
}
