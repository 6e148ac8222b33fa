// This file holds Target: a port of a kernel to the emulated target, laid
// over the kernel's tree without touching its files.

package kernel

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"
)

// TargetDir is where a port's files appear in the kernel's tree, so its
// settings name them as "upsynth/port/port.c".
const TargetDir = "upsynth"

// Target is a port of a kernel to the emulated target: the files a kernel
// written for real hardware lacks there (its port layer, its configuration,
// an application and workloads), laid over the kernel's tree under
// TargetDir, and the settings of the build they make (the port's
// upsynth.yaml, which replaces the kernel's own).
type Target struct {
	// Name names the port in messages and plans: a bundled port's name
	// or the directory it was read from.
	Name string
	// Files are the port's files, upsynth.yaml at their root.
	Files fs.FS
	// Config are the port's settings, defaults applied.
	Config *Config
}

// LoadTarget reads a port from its files: upsynth.yaml at the root says how
// the kernel builds with it (its modules, include paths, workloads and
// allocators, naming the port's files under TargetDir).
func LoadTarget(name string, files fs.FS) (*Target, error) {
	b, err := fs.ReadFile(files, FileName)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("target %s: no %s: a port says how the kernel builds with it (docs/upsynth-yaml.md)", name, FileName)
		}
		return nil, fmt.Errorf("target %s: %w", name, err)
	}
	c, err := Parse(FileName+" of target "+name, b)
	if err != nil {
		return nil, err
	}
	return &Target{Name: name, Files: files, Config: c}, nil
}

// On is the tree with the port laid over it: the port's files under
// TargetDir (hiding any the tree has there) and the port's settings.
func (t *Tree) On(target *Target) *Tree {
	if target == nil {
		return t
	}
	return &Tree{FS: target.Over(t.FS), Config: target.Config, Rev: t.Rev,
		Label: t.Label + " on " + target.Name, Target: target}
}

// Over lays the port over a kernel's files: its files under TargetDir,
// and its upsynth.yaml at the root in place of the kernel's, so NewTree of
// the result has the port's settings.
func (tg *Target) Over(kernelFS fs.FS) fs.FS { return targetFS{kernel: kernelFS, port: tg.Files} }

// targetFS lays a port's files over a kernel's tree under TargetDir.
type targetFS struct{ kernel, port fs.FS }

func (o targetFS) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	if rest, ok := strings.CutPrefix(name, TargetDir+"/"); ok {
		return o.port.Open(rest)
	}
	switch name {
	case TargetDir:
		return o.port.Open(".")
	case FileName:
		return o.port.Open(FileName)
	}
	return o.kernel.Open(name)
}

// ReadDir lists a directory of the overlay: the root gains TargetDir.
func (o targetFS) ReadDir(name string) ([]fs.DirEntry, error) {
	if rest, ok := strings.CutPrefix(name, TargetDir+"/"); ok {
		return fs.ReadDir(o.port, rest)
	}
	if name == TargetDir {
		return fs.ReadDir(o.port, ".")
	}
	entries, err := fs.ReadDir(o.kernel, name)
	if err != nil || name != "." {
		return entries, err
	}
	out := entries[:0:0]
	for _, e := range entries {
		if e.Name() != TargetDir && e.Name() != FileName {
			out = append(out, e)
		}
	}
	root, err := fs.Stat(o.port, ".")
	if err != nil {
		return nil, err
	}
	settings, err := fs.Stat(o.port, FileName)
	if err != nil {
		return nil, err
	}
	out = append(out, fs.FileInfoToDirEntry(renamed{root, TargetDir}), fs.FileInfoToDirEntry(settings))
	sortEntries(out)
	return out, nil
}

// renamed is a directory's FileInfo under another name.
type renamed struct {
	fs.FileInfo
	name string
}

func (r renamed) Name() string { return r.name }
