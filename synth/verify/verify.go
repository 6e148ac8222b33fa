// Package verify proves an emitted update package on the emulated target:
// it boots the old revision, runs a workload, applies the update in the
// middle of it, finishes, and checks the kernel's self-check, that no object
// was left behind, and that results agree with a fresh boot of the new
// revision wherever the old and the new revision agree. It also builds an
// update straight from a package's plan.json (the interpreter of the same
// transfer and adapter steps the generated Go code performs), so many
// packages can be verified in one process.
package verify

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"

	"path/filepath"
	"sort"
	"strings"
	"testing/fstest"

	"github.com/upsynth/upsynth/runtime"
	"github.com/upsynth/upsynth/runtime/emu"
	"github.com/upsynth/upsynth/synth"
)

// Options configure a verification run.
type Options struct {
	Mode runtime.Mode
	CPUs int
	Seed uint64
}

// Check is one verified property.
type Check struct {
	Name   string `json:"name"`
	OK     bool   `json:"ok"`
	Detail string `json:"detail,omitempty"`
}

// Result is what a verification found.
type Result struct {
	Update string
	Mode   runtime.Mode
	Report *runtime.Report
	Checks []Check
	// Differences are requests whose expectation fails after the update but
	// holds on a fresh boot of the new revision (failures). Values lists,
	// per workload, results that differ from the new revision's although
	// both hold their expectations: where the old and the new revision agree
	// these come from the interleaving (the updated machine ran other steps),
	// which the workloads' expectations are written to tolerate.
	Differences []string
	Values      []string
	Notes       []string
}

// OK reports whether every check passed.
func (r *Result) OK() bool {
	for _, c := range r.Checks {
		if !c.OK {
			return false
		}
	}
	return true
}

// Text renders the result with the runtime's report.
func (r *Result) Text() string {
	var b strings.Builder
	fmt.Fprintf(&b, "verify %s (%s):\n", r.Update, r.Mode)
	if r.Report != nil {
		r.Report.Print(&b)
	}
	for _, c := range r.Checks {
		st := "ok  "
		if !c.OK {
			st = "FAIL"
		}
		fmt.Fprintf(&b, "  %s %s", st, c.Name)
		if c.Detail != "" {
			fmt.Fprintf(&b, ": %s", c.Detail)
		}
		b.WriteByte('\n')
	}
	for _, d := range r.Differences {
		fmt.Fprintf(&b, "  difference: %s\n", d)
	}
	for _, d := range r.Values {
		fmt.Fprintf(&b, "  results: %s\n", d)
	}
	for _, d := range r.Notes {
		fmt.Fprintf(&b, "  note: %s\n", d)
	}
	return b.String()
}

// ReadPlan reads an emitted package's plan.json.
func ReadPlan(dir string) (*synth.Plan, error) {
	b, err := os.ReadFile(filepath.Join(dir, "plan.json"))
	if err != nil {
		return nil, fmt.Errorf("%s is not an emitted update package: %w", dir, err)
	}
	var p synth.Plan
	if err := json.Unmarshal(b, &p); err != nil {
		return nil, fmt.Errorf("%s/plan.json: %w", dir, err)
	}
	if p.Version != synth.PlanVersion {
		return nil, fmt.Errorf("%s/plan.json: plan version %d, this upsynth reads %d: emit again", dir, p.Version, synth.PlanVersion)
	}
	return &p, nil
}

// Trees returns the old and new kernel trees of a package directory.
func Trees(dir string, p *synth.Plan) (old, new fs.FS, err error) {
	old = os.DirFS(filepath.Join(dir, filepath.FromSlash(synth.OldTreeDir)))
	over := fstest.MapFS{}
	newDir := filepath.Join(dir, filepath.FromSlash(synth.NewSourcesDir))
	err = filepath.WalkDir(newDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(newDir, p)
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		over[filepath.ToSlash(rel)] = &fstest.MapFile{Data: b}
		return nil
	})
	if err != nil && !os.IsNotExist(err) {
		return nil, nil, err
	}
	return old, overlay{base: old, files: over, deleted: setOf(p.Deleted)}, nil
}

func setOf(xs []string) map[string]bool {
	m := map[string]bool{}
	for _, x := range xs {
		m[x] = true
	}
	return m
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

// machine is one booted kernel.
type machine struct {
	m    *emu.Machine
	t    *emu.Target
	tree fs.FS
}

func boot(tree fs.FS, mods []string, p *synth.Plan, o Options, updatable bool) (*machine, error) {
	img, err := emu.Load(tree, mods, emu.LoadOptions{IncludePaths: p.Build.IncludePaths, Defines: p.Build.Defines})
	if err != nil {
		return nil, err
	}
	m, err := emu.NewMachine(img, emu.MachineConfig{CPUs: o.CPUs, Seed: o.Seed, MemoryLimit: 256 << 20})
	if err != nil {
		return nil, err
	}
	if err := m.Boot(); err != nil {
		return nil, fmt.Errorf("boot: %w", err)
	}
	k := &machine{m: m, tree: tree}
	if updatable {
		if k.t, err = emu.NewTarget(m, tree); err != nil {
			return nil, err
		}
	}
	return k, nil
}

func workload(tree fs.FS, name string) (*emu.Workload, error) {
	src, err := fs.ReadFile(tree, name)
	if err != nil {
		return nil, err
	}
	return emu.ParseWorkload(name, src)
}

func (k *machine) selfcheck() (int64, error) {
	r, err := k.m.Call("kernel_selfcheck")
	return int64(r), err
}

// Run verifies the package in dir with the update mk builds.
func Run(dir string, mk func(runtime.Mode) *runtime.Update, o Options) (*Result, error) {
	p, err := ReadPlan(dir)
	if err != nil {
		return nil, err
	}
	return RunPlan(dir, p, mk, o)
}

// References are the runs an update is compared with: the old and the new
// revision booted fresh, under the same load, then each of the new
// revision's workloads. They do not depend on the update's mode, so one set
// serves both modes.
type References struct {
	opts             Options
	oldTree, newTree fs.FS
	load             *emu.Workload
	loadSteps        int64
	oldPost, newPost map[string]*emu.WorkloadResult
	oldErrs, newErrs map[string]error
	workloads        []string
}

// NewReferences runs the reference machines of a package.
func NewReferences(dir string, p *synth.Plan, o Options) (*References, error) {
	o = o.withDefaults()
	oldTree, newTree, err := Trees(dir, p)
	if err != nil {
		return nil, err
	}
	if p.Load == "" {
		return nil, fmt.Errorf("%s: the new revision has no workloads/*.wl to run", p.Name)
	}
	loadTree := oldTree
	if _, err := fs.Stat(oldTree, p.Load); err != nil {
		loadTree = newTree
	}
	load, err := workload(loadTree, p.Load)
	if err != nil {
		return nil, err
	}
	r := &References{opts: o, oldTree: oldTree, newTree: newTree, load: load,
		oldPost: map[string]*emu.WorkloadResult{}, newPost: map[string]*emu.WorkloadResult{},
		oldErrs: map[string]error{}, newErrs: map[string]error{}}
	for _, name := range p.Workloads {
		if name != p.Load {
			r.workloads = append(r.workloads, name)
		}
	}
	run := func(tree fs.FS, mods []string, post map[string]*emu.WorkloadResult, errs map[string]error) (int64, error) {
		k, err := boot(tree, mods, p, o, false)
		if err != nil {
			return 0, err
		}
		lr, err := k.m.RunWorkload(load)
		if err != nil {
			return 0, err
		}
		for _, name := range r.workloads {
			w, err := workload(newTree, name)
			if err != nil {
				errs[name] = err
				continue
			}
			post[name], errs[name] = k.m.RunWorkload(w)
			if errs[name] != nil {
				break // the machine stopped
			}
		}
		return lr.Stats.Steps, nil
	}
	if r.loadSteps, err = run(oldTree, p.OldModules, r.oldPost, r.oldErrs); err != nil {
		return nil, fmt.Errorf("the old revision under load: %w", err)
	}
	if _, err = run(newTree, p.NewModules, r.newPost, r.newErrs); err != nil {
		return nil, fmt.Errorf("the new revision under load: %w", err)
	}
	return r, nil
}

func (o Options) withDefaults() Options {
	if o.CPUs <= 0 {
		o.CPUs = 2
	}
	if o.Seed == 0 {
		o.Seed = 1
	}
	return o
}

// RunPlan is Run with the plan already read; refs may be nil (they are
// computed) or shared between the modes of one package (same CPUs and seed).
func RunPlan(dir string, p *synth.Plan, mk func(runtime.Mode) *runtime.Update, o Options) (*Result, error) {
	return RunWith(nil, dir, p, mk, o)
}

// RunWith verifies against references computed before.
func RunWith(refs *References, dir string, p *synth.Plan, mk func(runtime.Mode) *runtime.Update, o Options) (*Result, error) {
	o = o.withDefaults()
	if refs == nil || refs.opts.CPUs != o.CPUs || refs.opts.Seed != o.Seed {
		var err error
		if refs, err = NewReferences(dir, p, o); err != nil {
			return nil, err
		}
	}
	oldTree, newTree, load := refs.oldTree, refs.newTree, refs.load
	res := &Result{Update: p.Name, Mode: o.Mode}
	check := func(name string, ok bool, detail string) { res.Checks = append(res.Checks, Check{name, ok, detail}) }
	// The updated run: the old revision, the update applied halfway.
	k, err := boot(oldTree, p.OldModules, p, o, true)
	if err != nil {
		return nil, err
	}
	u := mk(o.Mode)
	u.Mode = o.Mode
	a, err := runtime.Prepare(k.t, u)
	if err != nil {
		check("prepare", false, err.Error())
		return res, nil
	}
	var before map[string]int
	at := k.m.Stats().Steps + refs.loadSteps/2
	k.t.At(at, func() {
		before = map[string]int{}
		for _, tu := range u.Types {
			for _, n := range k.t.OTT().CountByVersion(tu.Name) {
				before[tu.Name] += n
			}
		}
		a.Start()
	})
	wr, runErr := k.m.RunWorkload(load)
	rep := a.Wait()
	res.Report = rep
	check("update applied", rep.Outcome == "applied", strings.TrimSpace(map[bool]string{true: "", false: rep.Outcome + ": " + rep.Err}[rep.Outcome == "applied"]))
	if runErr != nil {
		check("workload during the update", false, runErr.Error())
		return res, nil
	}
	var failed []string
	for _, r := range wr.Requests {
		if r.Failed != "" {
			failed = append(failed, r.Pos+": "+r.Failed)
		}
	}
	check("workload during the update", len(failed) == 0, summarize(failed))
	if n, err := k.selfcheck(); err != nil || n != 0 {
		check("self-check", false, fmt.Sprintf("%d, %v", n, err))
	} else {
		check("self-check", true, "")
	}
	var lost []string
	for _, tu := range u.Types {
		f := k.t.OTT().Factory(tu.Name)
		byV := k.t.OTT().CountByVersion(tu.Name)
		for v, n := range byV {
			if f != nil && v != f.Current && n > 0 {
				lost = append(lost, fmt.Sprintf("%d %s instances left at version %d", n, tu.Name, v))
			}
		}
		if before != nil && before[tu.Name] > 0 && rep.Objects[tu.Name] == 0 && rep.Outcome == "applied" {
			lost = append(lost, fmt.Sprintf("%s: %d instances at the start, none converted", tu.Name, before[tu.Name]))
		}
	}
	check("every object converted", len(lost) == 0, strings.Join(lost, "; "))
	// After the update: the new revision's workloads, compared with the
	// reference runs.
	for _, name := range refs.workloads {
		w, err := workload(newTree, name)
		if err != nil {
			res.Notes = append(res.Notes, fmt.Sprintf("%s: %v", name, err))
			continue
		}
		nr, nerr := refs.newPost[name], refs.newErrs[name]
		if nr == nil || nerr != nil {
			res.Notes = append(res.Notes, fmt.Sprintf("%s: the new revision itself fails it: %v", name, nerr))
			continue
		}
		ur, uerr := k.m.RunWorkload(w)
		if uerr != nil {
			res.Differences = append(res.Differences, fmt.Sprintf("%s: %v", name, uerr))
			break
		}
		or := refs.oldPost[name]
		compare(res, name, ur, nr, or, or != nil && refs.oldErrs[name] == nil)
	}
	check("agrees with the new revision", len(res.Differences) == 0, summarize(res.Differences))
	if n, err := k.selfcheck(); err != nil || n != 0 {
		check("self-check at the end", false, fmt.Sprintf("%d, %v", n, err))
	} else {
		check("self-check at the end", true, "")
	}
	return res, nil
}

func compare(res *Result, name string, ur, nr, or *emu.WorkloadResult, haveOld bool) {
	n := min(len(ur.Requests), len(nr.Requests))
	same, revDiffer, asNew, other := 0, 0, 0, 0
	var example string
	for i := 0; i < n; i++ {
		u, nw := ur.Requests[i], nr.Requests[i]
		if u.Failed != "" && nw.Failed == "" {
			res.Differences = append(res.Differences, fmt.Sprintf("%s: fails after the update (%s), holds on the new revision", nw.Pos, u.Failed))
			continue
		}
		if u.Result == nw.Result {
			same++
			continue
		}
		agreeOld := haveOld && i < len(or.Requests) && or.Requests[i].Result == nw.Result
		switch {
		case !agreeOld && haveOld && i < len(or.Requests) && u.Result == or.Requests[i].Result:
			revDiffer++
		case !agreeOld:
			asNew++
		default:
			other++
			if example == "" {
				example = fmt.Sprintf("e.g. %s: %d, fresh boots %d", nw.Pos, u.Result, nw.Result)
			}
		}
	}
	if len(ur.Requests) != len(nr.Requests) {
		res.Differences = append(res.Differences, fmt.Sprintf("%s: %d requests after the update, %d on the new revision", name, len(ur.Requests), len(nr.Requests)))
	}
	if revDiffer+asNew+other > 0 {
		res.Values = append(res.Values, fmt.Sprintf("%s: %d of %d results as on the new revision; where the revisions differ %d as the old one, %d neither; where they agree %d differ (interleaving) %s",
			name, same, n, revDiffer, asNew, other, example))
	}
}

func summarize(xs []string) string {
	if len(xs) == 0 {
		return ""
	}
	sort.Strings(xs)
	if len(xs) > 3 {
		return strings.Join(xs[:3], "; ") + fmt.Sprintf(" (and %d more)", len(xs)-3)
	}
	return strings.Join(xs, "; ")
}
