package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"sort"
	"strings"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/spf13/cobra"
	"gopkg.in/yaml.v3"

	"github.com/upsynth/upsynth/runtime"
	"github.com/upsynth/upsynth/runtime/emu"
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
		Long: `run loads every .c file of a kernel tree (a directory, or a git revision read
straight from the repository without a checkout), boots it (kernel_boot),
runs the workload (format: runtime/emu/WORKLOAD.md) on N emulated CPUs
interleaved by a seeded scheduler, and prints each failed expectation, the
console output and statistics. Include paths: the tree's include/ (and those
of its upsynth.yaml), then the machine's kernel.h. With --update, the update
package is applied live once the machine has run --at steps, while the
workload goes on, and its report (objects converted, time to apply, pauses,
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
	f.IntVar(&o.cpus, "cpus", 1, "emulated CPUs")
	f.Uint64Var(&o.seed, "seed", 1, "scheduler seed")
	f.Int64Var(&o.budget, "budget", 0, "step budget per request (0: the machine's default)")
	f.StringVar(&o.format, "format", "text", "output format: text or json")
	o.update.flags(cmd)
	return cmd
}

// kernelTree is what the tree's upsynth.yaml says about building it.
type kernelTree struct {
	Include []string `yaml:"include"`
	Defines []string `yaml:"defines"`
	Exclude []string `yaml:"exclude"`
}

func openTree(o *targetRunOptions) (fs.FS, string, error) {
	switch {
	case o.dir != "" && o.repo != "":
		return nil, "", errors.New("--dir and --repo are exclusive")
	case o.dir != "":
		return os.DirFS(o.dir), o.dir, nil
	case o.repo != "":
		r, err := git.PlainOpen(o.repo)
		if err != nil {
			return nil, "", err
		}
		h, err := r.ResolveRevision(plumbing.Revision(o.rev))
		if err != nil {
			return nil, "", fmt.Errorf("revision %s: %w", o.rev, err)
		}
		c, err := r.CommitObject(*h)
		if err != nil {
			return nil, "", err
		}
		t, err := c.Tree()
		if err != nil {
			return nil, "", err
		}
		return gitTreeFS{t}, o.repo + "@" + h.String()[:12], nil
	}
	return nil, "", errors.New("give --dir or --repo")
}

// gitTreeFS reads a git tree as a file system, without a checkout.
type gitTreeFS struct{ t *object.Tree }

func (g gitTreeFS) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	f, err := g.t.File(name)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	s, err := f.Contents()
	if err != nil {
		return nil, err
	}
	return &memFile{name: path.Base(name), r: strings.NewReader(s), size: int64(len(s))}, nil
}

// ReadFile lets fs.ReadFile avoid a copy.
func (g gitTreeFS) ReadFile(name string) ([]byte, error) {
	f, err := g.t.File(name)
	if err != nil {
		return nil, &fs.PathError{Op: "read", Path: name, Err: fs.ErrNotExist}
	}
	s, err := f.Contents()
	return []byte(s), err
}

func (g gitTreeFS) files() ([]string, error) {
	var out []string
	err := g.t.Files().ForEach(func(f *object.File) error {
		out = append(out, f.Name)
		return nil
	})
	return out, err
}

type memFile struct {
	name string
	r    *strings.Reader
	size int64
}

func (f *memFile) Stat() (fs.FileInfo, error) { return f, nil }
func (f *memFile) Read(b []byte) (int, error) { return f.r.Read(b) }
func (f *memFile) Close() error               { return nil }
func (f *memFile) Name() string               { return f.name }
func (f *memFile) Size() int64                { return f.size }
func (f *memFile) Mode() fs.FileMode          { return 0o444 }
func (f *memFile) ModTime() time.Time         { return time.Time{} }
func (f *memFile) IsDir() bool                { return false }
func (f *memFile) Sys() any                   { return nil }

// kernelFiles lists the tree's C files and reads its build settings.
func kernelFiles(fsys fs.FS) ([]string, emu.LoadOptions, error) {
	var cfg kernelTree
	if b, err := fs.ReadFile(fsys, "upsynth.yaml"); err == nil {
		if err := yaml.Unmarshal(b, &cfg); err != nil {
			return nil, emu.LoadOptions{}, fmt.Errorf("upsynth.yaml: %w", err)
		}
	}
	var all []string
	if g, ok := fsys.(gitTreeFS); ok {
		var err error
		if all, err = g.files(); err != nil {
			return nil, emu.LoadOptions{}, err
		}
	} else {
		err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() && p != "." && strings.HasPrefix(d.Name(), ".") {
				return fs.SkipDir
			}
			all = append(all, p)
			return nil
		})
		if err != nil {
			return nil, emu.LoadOptions{}, err
		}
	}
	var files []string
	for _, p := range all {
		if !strings.HasSuffix(p, ".c") {
			continue
		}
		excluded := false
		for _, g := range cfg.Exclude {
			if ok, _ := path.Match(strings.TrimSuffix(g, "/**"), p); ok || strings.HasSuffix(g, "/**") && strings.HasPrefix(p, strings.TrimSuffix(g, "**")) {
				excluded = true
			}
		}
		if !excluded {
			files = append(files, p)
		}
	}
	sort.Strings(files)
	inc := cfg.Include
	if len(inc) == 0 {
		inc = []string{"include"}
	}
	return files, emu.LoadOptions{IncludePaths: inc, Defines: cfg.Defines}, nil
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
	fsys, label, err := openTree(o)
	if err != nil {
		return err
	}
	files, lo, err := kernelFiles(fsys)
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return fmt.Errorf("%s: no C files", label)
	}
	img, err := emu.Load(fsys, files, lo)
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
		upd, err := o.update.prepare(m, fsys)
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
