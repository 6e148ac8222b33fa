package verify

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"testing/fstest"
)

// The layout of an emitted package directory: plan.json at its root, the
// new C sources under NewSourcesDir (by tree path) and the old revision's
// kernel tree under OldTreeDir. upsynth's generator (package synth) writes
// the same layout; a test there checks both agree.
const (
	PlanFile      = "plan.json"
	NewSourcesDir = "kernel/new"
	OldTreeDir    = "kernel/old"
)

// PlanVersion is the version of plan.json this harness reads.
const PlanVersion = 1

// Plan is what the harness reads from a package's plan.json: how to boot
// each revision and which workloads to run. The generator's plan holds
// much more (the steps of the update); those fields are ignored here.
type Plan struct {
	Version int    `json:"version"`
	Name    string `json:"name"`
	Build   Build  `json:"Build"`
	// Deleted are tree paths the new revision no longer has.
	Deleted []string `json:"deleted,omitempty"`
	// OldModules and NewModules are the kernel's C modules at each
	// revision.
	OldModules []string `json:"old_modules"`
	NewModules []string `json:"new_modules"`
	// Workloads are the new revision's request scripts (tree paths); Load
	// is the one run while the update is applied.
	Workloads []string `json:"workloads,omitempty"`
	Load      string   `json:"load,omitempty"`
}

// Build is how the kernel's modules are compiled.
type Build struct {
	IncludePaths []string `json:"IncludePaths"`
	Defines      []string `json:"Defines"`
}

// ReadPlan reads the plan.json of the package in dir.
func ReadPlan(dir string) (*Plan, error) {
	b, err := os.ReadFile(filepath.Join(dir, PlanFile))
	if err != nil {
		return nil, fmt.Errorf("%s is not an emitted update package: %w", dir, err)
	}
	var p Plan
	if err := json.Unmarshal(b, &p); err != nil {
		return nil, fmt.Errorf("%s/%s: %w", dir, PlanFile, err)
	}
	if p.Version != PlanVersion {
		return nil, fmt.Errorf("%s/%s: plan version %d, this upsynth reads %d: emit again", dir, PlanFile, p.Version, PlanVersion)
	}
	return &p, nil
}

// Trees returns the old and new kernel trees of a package directory: the
// old tree as it was emitted, the new one the new sources laid over it
// without the deleted paths.
func Trees(dir string, p *Plan) (old, new fs.FS, err error) {
	old = os.DirFS(filepath.Join(dir, filepath.FromSlash(OldTreeDir)))
	over := fstest.MapFS{}
	newDir := filepath.Join(dir, filepath.FromSlash(NewSourcesDir))
	err = filepath.WalkDir(newDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(newDir, p)
		tp, err := TreePath(filepath.ToSlash(rel))
		if err != nil {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		over[tp] = &fstest.MapFile{Data: b}
		return nil
	})
	if err != nil && !os.IsNotExist(err) {
		return nil, nil, err
	}
	deleted := map[string]bool{}
	for _, d := range p.Deleted {
		deleted[d] = true
	}
	return old, overlay{base: old, files: over, deleted: deleted}, nil
}

// overlay lays the new files over the old tree.
type overlay struct {
	base    fs.FS
	files   fstest.MapFS
	deleted map[string]bool
}

func (o overlay) Open(name string) (fs.File, error) {
	if _, ok := o.files[name]; ok {
		return o.files.Open(name)
	}
	if o.deleted[name] {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return o.base.Open(name)
}
