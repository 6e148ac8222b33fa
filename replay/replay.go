package replay

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strings"

	"github.com/upsynth/upsynth/class"
	"github.com/upsynth/upsynth/runtime"
	"github.com/upsynth/upsynth/runtime/emu"
	emuverify "github.com/upsynth/upsynth/runtime/emu/verify"
	"github.com/upsynth/upsynth/synth"
	"github.com/upsynth/upsynth/synth/verify"
)

// UpdateFunc builds a commit's update for a mode: an emitted package's
// compiled Update (with a person's hooks), or the interpreter's.
type UpdateFunc func(runtime.Mode) *runtime.Update

// Options configure a replay.
type Options struct {
	Mode runtime.Mode
	CPUs int    // emulated CPUs; 0 means 2
	Seed uint64 // scheduler seed; 0 means 1
	// Compiled are updates compiled with a person's hooks, by full commit
	// hash: they replace the interpreter's update of that commit.
	Compiled map[string]UpdateFunc
	// Progress, when set, is called after each commit with its row.
	Progress func(i, n int, r Row)
	// Journal, when set, keeps the rows as they are made and gives back
	// those of an interrupted run (see Journal).
	Journal *Journal
	// modules keeps the modules planning translated, by content: each
	// revision's unchanged modules are reused (one cache per Run).
	modules *synth.ModuleCache
	// Stop, when set, stops the replay (as an interrupt) once it returns
	// true for the commits done so far: how tests interrupt a replay.
	Stop func(done int) bool
}

// ErrInterrupted is returned when a replay is stopped before B; its progress
// is in the journal.
var ErrInterrupted = errors.New("replay interrupted")

// Target is "emu": the emulated target of runtime/emu.
const Target = "emu"

// machine is the running kernel.
type machine struct {
	m    *emu.Machine
	t    *emu.Target
	boot fs.FS // the tree it booted
	// control is the same revision booted alike and never updated: it
	// runs every load the machine runs (see run).
	control *emu.Machine
	steps   map[string]int64 // steps of the last run of each workload
	// ran are the loads run since boot, in order.
	ran []*load
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

// boot loads a tree's kernel modules, boots them and makes the machine
// updatable.
func boot(tree fs.FS, o Options) (*machine, error) {
	k, err := kernelOf(tree, "the booted revision")
	if err != nil {
		return nil, err
	}
	mods, err := k.Modules()
	if err != nil {
		return nil, err
	}
	img, err := emu.Load(tree, mods, emuverify.LoadOptions(k.Build()))
	if err != nil {
		return nil, err
	}
	cfg := emu.MachineConfig{CPUs: o.CPUs, Seed: o.Seed, MemoryLimit: 256 << 20}
	m, err := emu.BootedMachine(img, cfg)
	if err != nil {
		return nil, err
	}
	t, err := emu.NewTarget(m, tree)
	if err != nil {
		return nil, err
	}
	// The control machine: the same revision, never updated (doc.go).
	control, err := emu.BootedMachine(img, cfg)
	if err != nil {
		return nil, err
	}
	return &machine{m: m, t: t, boot: tree, control: control, steps: map[string]int64{}}, nil
}

// loadOf picks the workload run during updates, as synth's plan does
// (kernel.Tree.Load).
func loadOf(tree fs.FS) (string, error) {
	k, err := kernelOf(tree, "the revision")
	if err != nil {
		return "", err
	}
	name, err := k.Load()
	if err == nil && name == "" {
		err = fmt.Errorf("the revision has no workloads (%s) to run", strings.Join(k.Config.Workloads, ", "))
	}
	return name, err
}

// load is a workload and the text it was parsed from.
type load struct {
	w   *emu.Workload
	src string
}

func workload(tree fs.FS, name string) (*load, error) {
	src, err := fs.ReadFile(tree, name)
	if err != nil {
		return nil, err
	}
	w, err := emu.ParseWorkload(name, src)
	if err != nil {
		return nil, err
	}
	return &load{w: w, src: string(src)}, nil
}

// run runs a load on the machine and on its control, and returns the
// failed expectations the control's run did not have. The load runs again
// and again on a live machine and finds what its earlier runs made (a
// directory it creates exists, a file it appends to reaches its size
// limit): the control, the revision the machine booted, never updated and
// given the same loads, fails those alike, so only a failure it does not
// have comes from the updates.
func (k *machine) run(l *load) (newFails []string, err error) {
	before := k.m.Stats().Steps
	r, err := k.m.RunWorkload(l.w)
	if err != nil {
		return nil, err
	}
	// The steps of this run (the machine's counter is cumulative): the
	// next update starts halfway through the next one.
	k.steps[l.w.Name] = r.Stats.Steps - before
	k.ran = append(k.ran, l)
	c, err := k.control.RunWorkload(l.w)
	if err != nil {
		return nil, fmt.Errorf("the control machine: %w", err)
	}
	control := map[string]bool{}
	for _, q := range c.Requests {
		if q.Failed != "" {
			control[q.Pos] = true
		}
	}
	for _, q := range r.Requests {
		if q.Failed != "" && !control[q.Pos] {
			newFails = append(newFails, q.Pos+": "+q.Failed)
		}
	}
	return newFails, nil
}

func (k *machine) selfcheck() (int64, error) {
	r, err := k.m.Call("kernel_selfcheck")
	return int64(r), err
}

// sources are the new sources an update is compiled with: the plan's
// modules and headers, and every header the running image booted with
// that an earlier live update changed (the target compiles new code
// against the tree it booted, with these laid over it).
func sources(p *synth.Plan, bootTree, tree fs.FS) ([]runtime.Source, error) {
	seen := map[string]bool{}
	var srcs []runtime.Source
	add := func(name string) error {
		if seen[name] {
			return nil
		}
		seen[name] = true
		b, err := fs.ReadFile(tree, name)
		if err != nil {
			return err
		}
		srcs = append(srcs, runtime.Source{Path: name, Code: b})
		return nil
	}
	for _, s := range append(append([]string(nil), p.Modules...), p.Headers...) {
		if err := add(s); err != nil {
			return nil, err
		}
	}
	err := fs.WalkDir(tree, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(name, ".h") {
			return err
		}
		now, err := fs.ReadFile(tree, name)
		if err != nil {
			return err
		}
		if was, err := fs.ReadFile(bootTree, name); err == nil && bytes.Equal(was, now) {
			return nil
		}
		return add(name)
	})
	return srcs, err
}

// Run replays the history h. A journal with rows of an interrupted run of
// the same replay resumes it: the machine is booted where that run last
// booted and taken live through the commits it had applied since, then the
// replay goes on.
func Run(ctx context.Context, h *History, o Options) (*Result, error) {
	o = o.withDefaults()
	o.modules = synth.NewModuleCache()
	res := &Result{Version: ResultVersion, From: h.Base.Hash, To: h.Base.Hash, Mode: o.Mode.String(), Target: h.TargetName()}
	if n := len(h.Commits); n > 0 {
		res.To = h.Commits[n-1].Hash
	}
	var done []Row
	if o.Journal != nil {
		done = o.Journal.Rows()
		if len(done) > len(h.Commits) {
			return nil, fmt.Errorf("%s: %d rows for a range of %d commits: another replay's progress", o.Journal.path, len(done), len(h.Commits))
		}
		for i, r := range done {
			if r.Sha != h.Commits[i].Hash {
				return nil, fmt.Errorf("%s: row %d is commit %s, the range has %s there: another replay's progress", o.Journal.path, i+1, short(r.Sha), h.Commits[i].Short())
			}
		}
		if len(done) > 0 {
			res.Resumed = fmt.Sprintf("%s (%d of %d commits done)", short(done[len(done)-1].Sha), len(done), len(h.Commits))
		}
	}
	// Where the machine last booted among the rows done: the replay of the
	// rows after it re-establishes the running machine.
	bootAt := -1
	for i, r := range done {
		if r.Action == ActionReboot {
			bootAt = i
		}
	}
	bootRev := h.Base.Revision()
	if bootAt >= 0 {
		bootRev = h.Commits[bootAt].Revision
	}
	tree, err := bootRev.Tree()
	if err != nil {
		return nil, err
	}
	k, err := startMachine(tree, o)
	if err != nil {
		return nil, fmt.Errorf("booting %s: %w", short(bootRev.Hash), err)
	}
	rows := append([]Row(nil), done[:max(bootAt+1, 0)]...)
	uptime := 0
	for i := bootAt + 1; i < len(h.Commits); i++ {
		if err := ctx.Err(); err != nil {
			return res, fmt.Errorf("%w: %v", ErrInterrupted, err)
		}
		if o.Stop != nil && i >= len(done) && o.Stop(len(rows)) {
			return res, ErrInterrupted
		}
		c := h.Commits[i]
		next, err := c.Tree()
		if err != nil {
			return nil, fmt.Errorf("commit %s: %w", c.Short(), err)
		}
		row, nk := step(k, c, tree, next, o)
		if nk != nil {
			k, uptime = nk, 0
		} else {
			uptime++
		}
		row.Uptime = uptime
		if k == nil {
			return nil, fmt.Errorf("commit %s: %s", c.Short(), row.Reason)
		}
		tree = next
		if i < len(done) {
			// Re-establishing the machine of an interrupted run: the
			// recorded row stands (the replay is deterministic but for
			// times); a different outcome is said.
			if done[i].Action != row.Action || done[i].Failed != row.Failed {
				return nil, fmt.Errorf("resuming: commit %s was %s before, %s now (%s): remove %s to start over", c.Short(), done[i].Action, row.Action, row.Reason, o.Journal.path)
			}
			rows = append(rows, done[i])
			continue
		}
		rows = append(rows, row)
		if o.Journal != nil {
			if err := o.Journal.Append(row); err != nil {
				return nil, err
			}
		}
		if o.Progress != nil {
			o.Progress(i, len(h.Commits), row)
		}
	}
	res.Rows = rows
	res.Summary = summarize(h.Base.Hash, rows)
	end, err := compareEnd(k, tree, o)
	if err != nil {
		return nil, fmt.Errorf("at %s: %w", short(res.To), err)
	}
	res.End = end
	return res, nil
}

// Revision returns the base as a revision.
func (r Revision) Revision() Revision { return r }

// startMachine boots a tree and runs its load: the load keeps running
// around every update after it. Its first run must hold every expectation.
func startMachine(tree fs.FS, o Options) (*machine, error) {
	k, err := boot(tree, o)
	if err != nil {
		return nil, err
	}
	name, err := loadOf(tree)
	if err != nil {
		return nil, err
	}
	l, err := workload(tree, name)
	if err != nil {
		return nil, err
	}
	before := k.m.Stats().Steps
	r, err := k.m.RunWorkload(l.w)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	k.steps[name] = r.Stats.Steps - before
	k.ran = append(k.ran, l)
	var fails []string
	for _, q := range r.Requests {
		if q.Failed != "" {
			fails = append(fails, q.Pos+": "+q.Failed)
		}
	}
	if _, err := k.control.RunWorkload(l.w); err != nil {
		return nil, fmt.Errorf("%s on the control machine: %w", name, err)
	}
	if len(fails) > 0 {
		return nil, fmt.Errorf("%s fails on a fresh boot: %s", name, summary(fails))
	}
	return k, nil
}

// step takes the machine k, running tree, through commit c (whose tree is
// next). It returns the row and, when it rebooted, the new machine.
func step(k *machine, c Commit, tree, next fs.FS, o Options) (Row, *machine) {
	row := Row{Sha: c.Hash, Subject: c.Subject, Class: c.Class}
	// note says why a commit of class unsupported is applied live.
	var note string
	reboot := func(why string, failed bool) (Row, *machine) {
		row.Action, row.Failed = ActionReboot, failed
		row.Reason = why
		nk, err := startMachine(next, o)
		if err != nil {
			row.Reason = fmt.Sprintf("%s; the reboot failed: %v", why, err)
			return row, nil
		}
		return row, nk
	}
	switch {
	case c.Merge:
		return reboot("merge commit: the analysis does not classify merges", false)
	case c.Class == "none":
		row.Action, row.Reason = ActionSkip, c.Reason
		return row, nil
	case c.Class == "unsupported":
		// A port builds a few files of a large tree: what another CPU's
		// port needs does not decide for this one.
		files, err := imageChanges(tree, next)
		if err != nil {
			return reboot(c.Reason, false)
		}
		if len(files) == 0 {
			row.Action = ActionSkip
			row.Reason = "no file of the kernel image on this target changes (" + c.Reason + ")"
			return row, nil
		}
		inImage, ok := imageOnly(c, files)
		if !ok {
			return reboot(c.Reason, false)
		}
		note = "unsupported only outside the kernel image on this target (" + c.Reason + ")"
		if inImage.Class == string(class.None) {
			row.Action, row.Reason = ActionSkip, note+"; the image's files change no compiled entity"
			return row, nil
		}
		c = inImage
	case c.Class != "code" && c.Class != "state" && c.Class != "interface":
		return reboot(fmt.Sprintf("class %q: not one upsynth knows", c.Class), false)
	}
	oldK, err := kernelOf(tree, "the running revision")
	if err != nil {
		return reboot(err.Error(), true)
	}
	newK, err := kernelOf(next, c.Short())
	if err != nil {
		return reboot(err.Error(), true)
	}
	p, err := synth.MakePlan(synth.Input{Name: c.Short() + " " + c.Subject, OldRev: "", NewRev: c.Hash, Old: oldK, New: newK,
		Changes: synth.ChangeSet{Class: c.Class, Reason: c.Reason, Hazards: c.Hazards, Changes: c.Changes},
		Mode:    o.Mode, Cache: o.modules})
	if err != nil {
		return reboot("plan: "+err.Error(), true)
	}
	if p.Unverifiable != "" {
		return reboot("the update cannot run on the emulated target: "+p.Unverifiable, true)
	}
	srcs, err := sources(p, k.boot, next)
	if err != nil {
		return reboot("sources: "+err.Error(), true)
	}
	mk := verify.FromSources(p, srcs)
	if f := o.Compiled[c.Hash]; f != nil {
		mk, row.Hooks = func(m runtime.Mode) *runtime.Update {
			u := f(m)
			// The compiled package holds the sources of its own
			// commit; the headers earlier live updates changed come
			// from here.
			have := map[string]bool{}
			for _, s := range u.Sources {
				have[s.Path] = true
			}
			for _, s := range srcs {
				if !have[s.Path] {
					u.Sources = append(u.Sources, s)
				}
			}
			return u
		}, true
	}
	u := mk(o.Mode)
	u.Mode = o.Mode
	a, err := runtime.Prepare(k.t, u)
	if err != nil {
		return reboot("the new code does not load into the running kernel: "+err.Error(), true)
	}
	load, err := loadOf(next)
	if err != nil {
		return reboot(err.Error(), true)
	}
	lw, err := workload(next, load)
	if err != nil {
		return reboot(err.Error(), true)
	}
	// The update starts halfway through the load's run.
	half := max(k.steps[load]/2, 1)
	k.t.At(k.m.Stats().Steps+half, a.Start)
	fails, runErr := k.run(lw)
	rep := a.Wait()
	row.Apply, row.Pause = rep.Apply, rep.Pauses.Max
	var why []string
	switch {
	case rep.Outcome != "applied":
		why = append(why, fmt.Sprintf("%s: %s", rep.Outcome, rep.Err))
	case runErr != nil:
		why = append(why, "the machine stopped: "+runErr.Error())
	}
	if runErr == nil {
		if len(fails) > 0 {
			why = append(why, fmt.Sprintf("%d requests of %s failed: %s", len(fails), load, summary(fails)))
		}
		if n, err := k.selfcheck(); err != nil || n != 0 {
			why = append(why, fmt.Sprintf("self-check %d, %v", n, err))
		}
	}
	if len(why) > 0 {
		if rep.Outcome == "applied" {
			why = append([]string{"applied, then"}, why...)
		}
		return reboot(strings.Join(why, "; "), true)
	}
	row.Action = ActionLive
	row.Reason = describe(rep)
	if note != "" {
		row.Reason = note + "; " + row.Reason
	}
	return row, nil
}

// describe says what a live update did.
func describe(r *runtime.Report) string {
	parts := []string{fmt.Sprintf("%d functions", r.Functions)}
	if r.Transferred > 0 {
		var types []string
		for t, n := range r.Objects {
			types = append(types, fmt.Sprintf("%s %d", t, n))
		}
		sort.Strings(types)
		parts = append(parts, fmt.Sprintf("%d objects converted (%s)", r.Transferred, strings.Join(types, ", ")))
	}
	if len(r.Adapters) > 0 {
		parts = append(parts, fmt.Sprintf("%d adapters", len(r.Adapters)))
	}
	if len(r.Globals) > 0 {
		parts = append(parts, fmt.Sprintf("%d globals moved", len(r.Globals)))
	}
	return strings.Join(parts, ", ")
}

func summary(xs []string) string {
	if len(xs) > 3 {
		return strings.Join(xs[:3], "; ") + fmt.Sprintf(" (and %d more)", len(xs)-3)
	}
	return strings.Join(xs, "; ")
}

// imageChanges lists the files of the kernel image (kernel.Tree.ImageFiles,
// at either revision) that differ between two trees.
func imageChanges(tree, next fs.FS) ([]string, error) {
	files := map[string]bool{}
	for _, t := range []fs.FS{tree, next} {
		k, err := kernelOf(t, "the revision")
		if err != nil {
			return nil, err
		}
		image, err := k.ImageFiles()
		if err != nil {
			return nil, err
		}
		for _, f := range image {
			files[f] = true
		}
	}
	var changed []string
	for f := range files {
		a, errA := fs.ReadFile(tree, f)
		b, errB := fs.ReadFile(next, f)
		if (errA == nil) != (errB == nil) || !bytes.Equal(a, b) {
			changed = append(changed, f)
		}
	}
	sort.Strings(changed)
	return changed, nil
}

// imageOnly is the commit reduced to its changes in the image's files, when
// none of those is unsupported: its class is the strongest of theirs.
func imageOnly(c Commit, files []string) (Commit, bool) {
	inImage := map[string]bool{}
	for _, f := range files {
		inImage[f] = true
	}
	strongest := class.None
	var kept []synth.Change
	for _, ch := range c.Changes {
		if !inImage[ch.File] {
			continue
		}
		cl := class.Class(ch.Class)
		if cl == class.Unsupported || !cl.Valid() {
			return c, false
		}
		if cl.Stronger(strongest) {
			strongest = cl
		}
		kept = append(kept, ch)
	}
	c.Changes, c.Class, c.Reason = kept, string(strongest), ""
	return c, true
}
