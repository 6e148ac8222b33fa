// This file lays out an emitted package's two kernel trees from its plan
// (runtime/plan owns plan.json and the directory layout).

package verify

import (
	"io/fs"
	"os"
	"path/filepath"
	"testing/fstest"

	"github.com/upsynth/upsynth/runtime/plan"
)

// Trees returns the old and new kernel trees of a package directory: the
// old tree as it was emitted, the new one the new sources laid over it
// without the deleted paths.
func Trees(dir string, p *plan.Plan) (old, new fs.FS, err error) {
	old = os.DirFS(filepath.Join(dir, filepath.FromSlash(plan.OldTreeDir)))
	over := fstest.MapFS{}
	newDir := filepath.Join(dir, filepath.FromSlash(plan.NewSourcesDir))
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
