// Package verify is the verification harness of emitted update packages: it
// proves an update on the emulated target by booting the old revision,
// running a workload, applying the update in the middle of it, finishing,
// and checking the kernel's self-check, that no object was left behind, and
// that results agree with a fresh boot of the new revision wherever the old
// and the new revision agree. With an injected fault (Options.Fault) it
// proves the update's rollback instead: the update must roll back and leave
// the old revision as a fresh boot of it behaves.
//
// It reads the package's plan.json through runtime/plan (which owns the
// schema and the directory layout). It imports upsynth's runtime,
// runtime/plan and runtime/emu and nothing else of upsynth, so an emitted
// package's own test (update_test.go) verifies it with the same code as
// upsynth verify, depending on nothing but the runtime. The update itself
// comes from the caller: the compiled package's Update function, or the
// interpreter of plan.json in synth/verify (a different package of the
// same name: that one builds updates, this one runs them).
package verify

import (
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strings"

	"github.com/upsynth/upsynth/runtime"
	"github.com/upsynth/upsynth/runtime/emu"
	"github.com/upsynth/upsynth/runtime/plan"
)

// Options configure a verification run.
type Options struct {
	Mode runtime.Mode
	CPUs int    // emulated CPUs; 0 means 2
	Seed uint64 // scheduler seed; 0 means 1
	// Fault, when set, makes the update fail on purpose: the run then
	// verifies the rollback (see Fault).
	Fault *Fault
}

// Fault is a failure injected into an update to verify its rollback: the
// update must be rolled back, the workload must go on without a failed
// expectation, every instance must be back at its old version, the
// self-check must pass, and afterwards the workloads must give the results
// a fresh boot of the old revision gives.
type Fault struct {
	// Transfer fails the Transfer-th conversion of an instance (counting
	// from 1 over every changed type) before its transfer runs: the
	// instances converted before it go back through the reverse transfer.
	// When the update converts fewer instances, its After hook fails
	// instead (the result's Fault says so).
	Transfer int
	// After fails the update's After hook before it runs: every instance
	// was converted and goes back. (An After hook fails before it does
	// what cannot be undone, as runtime.Update says.)
	After bool
}

// ErrInjected is the error an injected fault fails the update with.
var ErrInjected = errors.New("fault injected by the verification")

func (f *Fault) String() string {
	var parts []string
	if f.Transfer > 0 {
		parts = append(parts, fmt.Sprintf("transfer %d fails", f.Transfer))
	}
	if f.After {
		parts = append(parts, "after hook fails")
	}
	return strings.Join(parts, ", ")
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
	// Fault is the injected fault ("" for a verification of the update).
	Fault  string
	Report *runtime.Report
	Checks []Check
	// Differences are requests whose expectation fails after the update
	// (the rollback) but holds on a fresh boot of the new (old) revision:
	// failures. Values lists, per workload, results that differ from the
	// fresh boot's although both hold their expectations: where the old and
	// the new revision agree these come from the interleaving (the updated
	// machine ran other steps), which the workloads' expectations are
	// written to tolerate.
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
	if r.Fault != "" {
		fmt.Fprintf(&b, "verify %s (%s, rollback: %s):\n", r.Update, r.Mode, r.Fault)
	} else {
		fmt.Fprintf(&b, "verify %s (%s):\n", r.Update, r.Mode)
	}
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

// machine is one booted kernel.
type machine struct {
	m *emu.Machine
	t *emu.Target
}

func boot(tree fs.FS, mods []string, p *plan.Plan, o Options, updatable bool) (*machine, error) {
	img, err := emu.Load(tree, mods, LoadOptions(p.Build))
	if err != nil {
		return nil, err
	}
	m, err := emu.BootedMachine(img, emu.MachineConfig{CPUs: o.CPUs, Seed: o.Seed, MemoryLimit: 256 << 20})
	if err != nil {
		return nil, err
	}
	k := &machine{m: m}
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

// Run verifies the package in dir with the update mk builds (the compiled
// package's Update function).
func Run(dir string, mk func(runtime.Mode) *runtime.Update, o Options) (*Result, error) {
	p, err := plan.Read(dir)
	if err != nil {
		return nil, err
	}
	return RunWith(nil, dir, p, mk, o)
}

// References are the runs an update is compared with: the old and the new
// revision booted fresh, under the same load, then each of the new
// revision's workloads. They do not depend on the update's mode or on a
// fault, so one set serves every run of a package with the same CPUs and
// seed.
type References struct {
	opts             Options
	oldTree, newTree fs.FS
	load             *emu.Workload
	loadSteps        int64
	oldPost, newPost map[string]*emu.WorkloadResult
	oldErrs, newErrs map[string]error
	// oldEnd and newEnd are the self-checks after the workloads.
	oldEnd, newEnd selfcheck
	workloads      []string
}

// selfcheck is the result of kernel_selfcheck.
type selfcheck struct {
	n   int64
	err error
}

func (s selfcheck) String() string {
	if s.err != nil {
		return s.err.Error()
	}
	return fmt.Sprint(s.n)
}

// NewReferences runs the reference machines of a package.
func NewReferences(dir string, p *plan.Plan, o Options) (*References, error) {
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
	run := func(tree fs.FS, mods []string, post map[string]*emu.WorkloadResult, errs map[string]error, end *selfcheck) (int64, error) {
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
		end.n, end.err = k.selfcheck()
		return lr.Stats.Steps, nil
	}
	if r.loadSteps, err = run(oldTree, p.OldModules, r.oldPost, r.oldErrs, &r.oldEnd); err != nil {
		return nil, fmt.Errorf("the old revision under load: %w", err)
	}
	if _, err = run(newTree, p.NewModules, r.newPost, r.newErrs, &r.newEnd); err != nil {
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

// RunWith verifies the package in dir, whose plan is p, with the update mk
// builds, against references computed before (refs may be nil: they are
// computed; or computed with other CPUs or seed: computed again).
func RunWith(refs *References, dir string, p *plan.Plan, mk func(runtime.Mode) *runtime.Update, o Options) (*Result, error) {
	o = o.withDefaults()
	if refs == nil || refs.opts.CPUs != o.CPUs || refs.opts.Seed != o.Seed {
		var err error
		if refs, err = NewReferences(dir, p, o); err != nil {
			return nil, err
		}
	}
	res := &Result{Update: p.Name, Mode: o.Mode}
	if o.Fault != nil {
		res.Fault = o.Fault.String()
	}
	check := func(name string, ok bool, detail string) { res.Checks = append(res.Checks, Check{name, ok, detail}) }
	// The updated run: the old revision, the update applied halfway.
	k, err := boot(refs.oldTree, p.OldModules, p, o, true)
	if err != nil {
		return nil, err
	}
	u := mk(o.Mode)
	u.Mode = o.Mode
	fired, late := inject(u, o.Fault)
	var undo undoErrors
	undo.watch(u)
	a, err := runtime.Prepare(k.t, u)
	if err != nil {
		check("prepare", false, err.Error())
		return res, nil
	}
	var before map[string]int
	oldVersion := map[string]int{}
	at := k.m.Stats().Steps + refs.loadSteps/2
	k.t.At(at, func() {
		before = map[string]int{}
		for _, tu := range u.Types {
			for _, n := range k.t.OTT().CountByVersion(tu.Name) {
				before[tu.Name] += n
			}
			if f := k.t.OTT().Factory(tu.Name); f != nil {
				oldVersion[tu.Name] = f.Current
			}
		}
		a.Start()
	})
	wr, runErr := k.m.RunWorkload(refs.load)
	rep := a.Wait()
	res.Report = rep
	if *late {
		res.Fault += fmt.Sprintf(" (fewer than %d instances converted: the after hook failed instead)", o.Fault.Transfer)
	}
	if o.Fault != nil {
		check("update rolled back", rep.Outcome == "rolled back" && *fired && strings.Contains(rep.Err, ErrInjected.Error()),
			fmt.Sprintf("%s (fault fired: %v): %s", rep.Outcome, *fired, rep.Err))
		check("reverse transfers and undo hooks succeeded", len(undo.errs) == 0, summarize(undo.errs))
	} else {
		check("update applied", rep.Outcome == "applied", strings.TrimSpace(map[bool]string{true: "", false: rep.Outcome + ": " + rep.Err}[rep.Outcome == "applied"]))
	}
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
	if o.Fault != nil {
		var moved []string
		for _, tu := range u.Types {
			f := k.t.OTT().Factory(tu.Name)
			if f != nil && f.Current != oldVersion[tu.Name] {
				moved = append(moved, fmt.Sprintf("%s is at version %d, was %d", tu.Name, f.Current, oldVersion[tu.Name]))
			}
			for v, n := range k.t.OTT().CountByVersion(tu.Name) {
				if v != oldVersion[tu.Name] && n > 0 {
					moved = append(moved, fmt.Sprintf("%d %s instances at version %d", n, tu.Name, v))
				}
			}
		}
		check("every object at its old version", len(moved) == 0, strings.Join(moved, "; "))
	} else {
		var lost []string
		for _, tu := range u.Types {
			f := k.t.OTT().Factory(tu.Name)
			for v, n := range k.t.OTT().CountByVersion(tu.Name) {
				if f != nil && v != f.Current && n > 0 {
					lost = append(lost, fmt.Sprintf("%d %s instances left at version %d", n, tu.Name, v))
				}
			}
			if before != nil && before[tu.Name] > 0 && rep.Objects[tu.Name] == 0 && rep.Outcome == "applied" {
				lost = append(lost, fmt.Sprintf("%s: %d instances at the start, none converted", tu.Name, before[tu.Name]))
			}
		}
		check("every object converted", len(lost) == 0, strings.Join(lost, "; "))
	}
	// Afterwards: the new revision's workloads, compared with the fresh
	// boot of the revision that should be running (the new one, or the
	// old one after a rollback).
	want, wantErrs, other, otherErrs, wantName, wantEnd := refs.newPost, refs.newErrs, refs.oldPost, refs.oldErrs, "new", refs.newEnd
	if o.Fault != nil {
		want, wantErrs, other, otherErrs, wantName, wantEnd = refs.oldPost, refs.oldErrs, refs.newPost, refs.newErrs, "old", refs.oldEnd
	}
	for _, name := range refs.workloads {
		w, err := workload(refs.newTree, name)
		if err != nil {
			res.Notes = append(res.Notes, fmt.Sprintf("%s: %v", name, err))
			continue
		}
		wr, werr := want[name], wantErrs[name]
		if wr == nil || werr != nil {
			res.Notes = append(res.Notes, fmt.Sprintf("%s: the %s revision itself fails it: %v", name, wantName, werr))
			continue
		}
		ur, uerr := k.m.RunWorkload(w)
		if uerr != nil {
			res.Differences = append(res.Differences, fmt.Sprintf("%s: %v", name, uerr))
			break
		}
		or := other[name]
		compare(res, name, wantName, ur, wr, or, or != nil && otherErrs[name] == nil)
	}
	check("agrees with the "+wantName+" revision", len(res.Differences) == 0, summarize(res.Differences))
	// A revision whose own self-check fails after these workloads (the bug
	// a fix removes) is not held against the update: the check then wants
	// the fresh boot's result.
	end := selfcheck{}
	end.n, end.err = k.selfcheck()
	switch {
	case end.err == nil && end.n == 0:
		check("self-check at the end", true, "")
	case end.err == nil && wantEnd.err == nil && end.n == wantEnd.n:
		check("self-check at the end", true, fmt.Sprintf("%d, as on a fresh boot of the %s revision", end.n, wantName))
	default:
		check("self-check at the end", false, fmt.Sprintf("%v (a fresh boot of the %s revision: %v)", end, wantName, wantEnd))
	}
	return res, nil
}

// undoErrors collects what the reverse transfers and UndoBefore of a
// rollback report: the runtime adds them to the report's error, a check
// lists them.
type undoErrors struct{ errs []string }

// watch wraps u's reverse transfers and UndoBefore to collect their errors.
func (ue *undoErrors) watch(u *runtime.Update) {
	for i := range u.Types {
		rev, name := u.Types[i].Reverse, u.Types[i].Name
		if rev == nil { // the runtime's default
			rev = func(new, old runtime.State) error { runtime.CopyFields(new, old); return nil }
		}
		u.Types[i].Reverse = func(new, old runtime.State) (err error) {
			defer func() {
				if r := recover(); r != nil {
					err = fmt.Errorf("panic: %v", r)
				}
				if err != nil {
					ue.errs = append(ue.errs, fmt.Sprintf("reverse of %s %d: %v", name, new.Ref, err))
				}
			}()
			return rev(new, old)
		}
	}
	if undo := u.UndoBefore; undo != nil {
		u.UndoBefore = func(env *runtime.Env) (err error) {
			defer func() {
				if r := recover(); r != nil {
					err = fmt.Errorf("panic: %v", r)
				}
				if err != nil {
					ue.errs = append(ue.errs, fmt.Sprintf("undo before: %v", err))
				}
			}()
			return undo(env)
		}
	}
}

// inject wraps u's transfers and After hook with the fault f; fired says
// whether it fired, late whether a transfer fault fell back to After.
func inject(u *runtime.Update, f *Fault) (fired, late *bool) {
	fired, late = new(bool), new(bool)
	if f == nil {
		return fired, late
	}
	if f.Transfer > 0 {
		n := 0
		for i := range u.Types {
			tr := u.Types[i].Transfer
			if tr == nil { // the runtime's default
				tr = func(old, new runtime.State) error { runtime.CopyFields(old, new); return nil }
			}
			u.Types[i].Transfer = func(old, new runtime.State) error {
				if n++; n == f.Transfer {
					*fired = true
					return fmt.Errorf("instance %d of %s: %w", old.Ref, old.Layout.Name, ErrInjected)
				}
				return tr(old, new)
			}
		}
	}
	if f.After || f.Transfer > 0 {
		after := u.After
		u.After = func(env *runtime.Env) error {
			if !f.After && *fired {
				// Unreachable (a failed transfer rolls back before
				// After), but After must stay the update's own then.
				if after != nil {
					return after(env)
				}
				return nil
			}
			*fired = true
			if !f.After {
				*late = true
			}
			return ErrInjected
		}
	}
	return fired, late
}

// compare sets the results ur of one workload after the update (or the
// rollback) against want, the fresh boot of the revision that should be
// running (named wantName), and other, the other revision's.
func compare(res *Result, name, wantName string, ur, want, other *emu.WorkloadResult, haveOther bool) {
	n := min(len(ur.Requests), len(want.Requests))
	same, revDiffer, neither, interleaving := 0, 0, 0, 0
	var example string
	for i := 0; i < n; i++ {
		u, w := ur.Requests[i], want.Requests[i]
		if u.Failed != "" && w.Failed == "" {
			res.Differences = append(res.Differences, fmt.Sprintf("%s: fails here (%s), holds on the %s revision", w.Pos, u.Failed, wantName))
			continue
		}
		if u.Result == w.Result {
			same++
			continue
		}
		agreeOther := haveOther && i < len(other.Requests) && other.Requests[i].Result == w.Result
		switch {
		case !agreeOther && haveOther && i < len(other.Requests) && u.Result == other.Requests[i].Result:
			revDiffer++
		case !agreeOther:
			neither++
		default:
			interleaving++
			if example == "" {
				example = fmt.Sprintf("e.g. %s: %d, fresh boots %d", w.Pos, u.Result, w.Result)
			}
		}
	}
	if len(ur.Requests) != len(want.Requests) {
		res.Differences = append(res.Differences, fmt.Sprintf("%s: %d requests here, %d on the %s revision", name, len(ur.Requests), len(want.Requests), wantName))
	}
	if revDiffer+neither+interleaving > 0 {
		otherName := map[string]string{"new": "old", "old": "new"}[wantName]
		res.Values = append(res.Values, fmt.Sprintf("%s: %d of %d results as on the %s revision; where the revisions differ %d as the %s one, %d neither; where they agree %d differ (interleaving) %s",
			name, same, n, wantName, revDiffer, otherName, neither, interleaving, example))
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

// LoadOptions are the options the emulated target loads a kernel built as
// b with.
func LoadOptions(b plan.Build) emu.LoadOptions {
	o := emu.LoadOptions{IncludePaths: b.IncludePaths, Defines: b.Defines}
	for _, a := range b.Allocators {
		o.Allocators = append(o.Allocators, emu.Allocator{Alloc: a.Alloc, Free: a.Free})
	}
	return o
}
