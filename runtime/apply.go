package runtime

import (
	"errors"
	"fmt"
	"maps"
	goruntime "runtime"
	"slices"
	"strings"
	"time"

	"github.com/upsynth/upsynth/runtime/cputime"
)

// Applier applies one Update to a target. Its work runs as tasks of the
// target's scheduler, interleaved with the kernel's own work:
//
//  1. start, at a safe point (no CPU executes a replaced function): the
//     default transfer of the globals that move (GlobalMove), the Before
//     hook, the code swap, the new version of every changed type
//     (calls on old-version instances now reach the type's Gate);
//  2. conversion: eager — a mediator holds calls on unconverted instances
//     (except from a CPU already inside the instance) while tasks convert
//     every instance that has no call in flight, those with held callers
//     first; lazy — each instance is converted on its next call and a
//     background sweeper converts the rest in small slices;
//     stop-the-world — once no CPU is inside the type, one task converts
//     them all;
//  3. commit: the After hook, held calls released, old states freed after
//     the grace period.
//
// Any failure (a transfer or hook error, a timeout waiting for quiescence)
// rolls back: at a safe point, converted instances get their old state
// back (through the Reverse transfer, into the old state that was kept),
// the new versions are removed, UndoBefore reverses the Before hook (when
// it had succeeded), and the new code is removed.
type Applier struct {
	t      Target
	u      *Update
	code   Code
	env    *Env
	types  []*typeState
	byName map[string]*typeState
	report Report

	started  time.Time
	deadline time.Time
	timeout  time.Duration
	// clockStart is the target's emulated clock when the wait began
	// (waitedOut).
	clockStart int64
	clockLast  int64 // the clock at the last check
	// atomic: a changed type's state is used outside its methods, so the
	// code swap and every conversion happen in one task.
	atomic   bool
	phase    phase
	err      error
	gateWord uint64
	waiters  map[int]waiter // held CPUs
	freeAt   time.Time
	// graceQueued is set while a grace task waits to free old states.
	graceQueued bool
	reqAt       []uint64 // each CPU's request at commit, for the grace period
	// swapped: the new code has been switched on (and may have written
	// the new storage of moved globals).
	swapped bool
	// heapConverted says the instances of the heap types moved to the
	// new layouts: a rollback moves them back.
	heapConverted bool
	// movedBack are the globals whose instances the rollback converted
	// back: the default transfer of moved globals must not copy over them.
	movedBack map[string]bool
	// perContext says the code was swapped context by context
	// (ContextCode): the update commits when no context lags.
	perContext bool
	// beforeRan: the Before hook succeeded, so a rollback runs UndoBefore.
	beforeRan bool
	done      bool
	// heap are the changed types without an object table (heap.go).
	heap []*heapType
}

type phase int

const (
	phaseNew phase = iota
	phaseStarting
	phaseConverting
	phaseCommitted
	phaseRollingBack
	phaseDone
)

type waiter struct {
	ref   Ref
	since time.Time
}

// typeState is one changed type during the update.
type typeState struct {
	a        *Applier
	tu       *TypeUpdate
	fac      *Factory
	from, to int
	transfer TransferFunc
	reverse  TransferFunc
	// converted instances and their old state, kept for rollback and freed
	// after the grace period.
	converted []conversion
	cursor    Ref // next OTT entry the sweeper looks at
	installed bool
	// rescan is the first instance skipped because it was in flight: the
	// sweep starts again from there once it reaches the end.
	rescan    Ref
	accessors map[string]bool // plain functions using the type's state
	// sameLayout: the new version keeps the state (a method's signature
	// changed): converting an instance is switching its version.
	sameLayout bool
}

type conversion struct {
	ref      Ref
	oldState uint64
	oldSize  uint64
	inPlace  bool // the state was kept: nothing to free or copy back
}

// lazySlice bounds one sweeper task of a lazy update: the CPUs are stopped
// while it runs, so it must stay well below the pause budget.
const lazySlice = 15 * time.Microsecond

// eagerSlice bounds one conversion task of an eager update.
const eagerSlice = 500 * time.Microsecond

// Prepare validates u, checks it against the target and loads its code.
// Nothing is visible to the running kernel until Start.
func Prepare(t Target, u *Update) (*Applier, error) {
	begin := time.Now()
	if err := u.Validate(); err != nil {
		return nil, err
	}
	a := &Applier{t: t, u: u, byName: map[string]*typeState{}, waiters: map[int]waiter{}}
	a.env = &Env{target: t, update: u}
	a.report = Report{Update: u.Name, Mode: u.Mode, Objects: map[string]int{}}
	ott := t.OTT()
	for i := range u.Types {
		tu := &u.Types[i]
		f := ott.Factory(tu.Name)
		if f == nil {
			if _, ok := heapTarget(t); !ok {
				return nil, fmt.Errorf("update %s: the running kernel has no object type %s", u.Name, tu.Name)
			}
			// No object table: its instances are found through the
			// typed heap and converted at the safe point (heap.go).
			a.heap = append(a.heap, &heapType{tu: tu})
			a.atomic = true
			a.report.Atomic = append(a.report.Atomic, tu.Name+" (no object table: instances found through the typed heap)")
			continue
		}
		for v, n := range ott.CountByVersion(tu.Name) {
			if v != f.Current && n > 0 {
				return nil, fmt.Errorf("update %s: %d instances of %s are still at version %d (an earlier update is not finished)", u.Name, n, tu.Name, v)
			}
		}
		if lt, ok := t.(interface{ Layout(string) (Layout, bool) }); ok {
			running, known := lt.Layout(tu.Name)
			switch {
			case tu.Old.Size == 0:
				tu.Old = running
			case known && f.Current == 1 && !running.Equal(&tu.Old):
				// The loaded image's layout is the instances' while no
				// update has changed the type: a package whose old layout
				// differs was made for another revision.
				return nil, fmt.Errorf("update %s: the package's old layout of %s (%d bytes) is not the running kernel's (%d bytes): built for another revision?",
					u.Name, tu.Name, tu.Old.Size, running.Size)
			}
		}
		ts := &typeState{a: a, tu: tu, fac: f, from: f.Current, to: f.Current + 1, transfer: tu.Transfer, reverse: tu.Reverse, cursor: 1}
		if ts.transfer == nil {
			ts.transfer = copyTransfer
		}
		if ts.reverse == nil {
			ts.reverse = copyTransfer
		}
		a.types = append(a.types, ts)
		a.byName[tu.Name] = ts
	}
	code, err := t.Load(u)
	if err != nil {
		return nil, fmt.Errorf("update %s: loading the new code: %w", u.Name, err)
	}
	a.code = code
	a.env.code = code
	for _, g := range code.Moves() {
		a.report.Globals = append(a.report.Globals, fmt.Sprintf("%s: %d -> %d bytes, new storage (%s)", g.Name, g.OldSize, g.NewSize, g.Rule))
	}
	for _, name := range code.Types() {
		if a.byName[name] != nil {
			continue
		}
		// Only a method's signature changes: a new version whose
		// instances keep their state.
		l, _ := code.Layout(name)
		f := t.OTT().Factory(name)
		u.Types = append(u.Types, TypeUpdate{Name: name, Old: l, New: l})
		tu := &u.Types[len(u.Types)-1]
		ts := &typeState{a: a, tu: tu, fac: f, from: f.Current, to: f.Current + 1, transfer: copyTransfer, reverse: copyTransfer, cursor: 1, sameLayout: true}
		a.types = append(a.types, ts)
		a.byName[name] = ts
	}
	// u.Types may have moved: point every type state at its entry again.
	for _, ts := range a.types {
		ts.tu = u.TypeByName(ts.tu.Name)
	}
	for _, ht := range a.heap {
		ht.tu = u.TypeByName(ht.tu.Name)
		if ht.tu.Old.Size == 0 {
			if lt, ok := t.(interface{ Layout(string) (Layout, bool) }); ok {
				ht.tu.Old, _ = lt.Layout(ht.tu.Name)
			}
		}
		l, ok := code.Layout(ht.tu.Name)
		if !ok || ht.tu.Old.Size == 0 {
			return nil, fmt.Errorf("update %s: struct %s is neither an object type nor a struct of the running kernel and the new code", u.Name, ht.tu.Name)
		}
		if ht.tu.New.Size == 0 {
			ht.tu.New = l
		}
		if !l.Equal(&ht.tu.New) {
			return nil, fmt.Errorf("update %s: the package's new layout of %s (%d bytes) is not the one the new code has (%d bytes): built for another revision?",
				u.Name, ht.tu.Name, ht.tu.New.Size, l.Size)
		}
	}
	for _, ts := range a.types {
		ts.accessors = map[string]bool{}
		for _, f := range code.Accessors(ts.tu.Name) {
			ts.accessors[f] = true
		}
		if len(ts.accessors) > 0 {
			// Code outside the type's methods holds pointers to its
			// state (DREF): converting instances one by one under it
			// would leave it writing to old states. Swap the code and
			// convert every instance in one step instead.
			a.atomic = true
			a.report.Atomic = append(a.report.Atomic, fmt.Sprintf("%s (used by %s)", ts.tu.Name, strings.Join(slices.Sorted(maps.Keys(ts.accessors)), ", ")))
		}
		l, ok := code.Layout(ts.tu.Name)
		if !ok {
			return nil, fmt.Errorf("update %s: the new code does not define struct %s", u.Name, ts.tu.Name)
		}
		if ts.tu.New.Size == 0 {
			ts.tu.New = l // an Update may leave it to the new code
		}
		if !l.Equal(&ts.tu.New) {
			return nil, fmt.Errorf("update %s: the package's new layout of %s (%d bytes) is not the one the new code has (%d bytes): built for another revision?",
				u.Name, ts.tu.Name, ts.tu.New.Size, l.Size)
		}
	}
	// Grow the target's memory now rather than in a conversion task, where
	// every CPU would wait for the copy.
	for _, ts := range a.types {
		// Grown now, not while the CPUs wait for a conversion task.
		ts.converted = make([]conversion, 0, ts.fac.Count()+ts.fac.Count()/8+16)
	}
	if r, ok := t.(interface{ ReserveFrees(uint64, int) }); ok {
		for _, ts := range a.types {
			r.ReserveFrees(ts.tu.Old.Size, ts.fac.Count())
		}
	}
	if r, ok := t.(interface{ ReserveAllocs(uint64, int) }); ok {
		for _, ts := range a.types {
			if !ts.sameLayout {
				r.ReserveAllocs(ts.tu.New.Size, ts.fac.Count())
			}
		}
	}
	a.report.Prepare = time.Since(begin)
	return a, nil
}

func copyTransfer(old, new State) error {
	CopyFields(old, new)
	return nil
}

// Apply prepares u and starts it.
func Apply(t Target, u *Update) (*Applier, error) {
	a, err := Prepare(t, u)
	if err != nil {
		return nil, err
	}
	a.Start()
	return a, nil
}

// Start begins the update: its first task runs at the scheduler's next
// round. It may be called from a task.
func (a *Applier) Start() {
	if a.phase != phaseNew {
		return
	}
	a.phase = phaseStarting
	a.started = time.Now()
	timeout := a.u.QuiesceTimeout
	if timeout <= 0 {
		timeout = time.Second
	}
	a.timeout = timeout
	a.setDeadline(a.started)
	a.post(a.startTask)
}

// stepsPerSecond converts a timeout into emulated progress: a little below
// what one host core emulates (the FreeRTOS application runs 7.6 million
// steps a second, docs/real-kernels.md), so an idle host reaches the wall
// deadline first and behaves as before.
const stepsPerSecond = 5_000_000

// setDeadline starts the wait the timeout bounds.
func (a *Applier) setDeadline(now time.Time) {
	a.deadline = now.Add(a.timeout)
	if c, ok := a.t.(EmulatedClock); ok {
		a.clockStart = c.Clock()
		a.clockLast = -1
	}
}

// waitedOut reports whether a wait for the kernel outlasted the timeout:
// on a target with an emulated clock, when both the wall time and the
// emulated progress the timeout stands for have passed (or, should the
// machine stop, 30 times the wall time).
func (a *Applier) waitedOut() bool {
	now := time.Now()
	if !now.After(a.deadline) {
		return false
	}
	c, ok := a.t.(EmulatedClock)
	if !ok || now.After(a.deadline.Add(29*a.timeout)) {
		return true
	}
	clock := c.Clock()
	if clock == a.clockLast {
		// The kernel does not run (Wait between runs): only wall
		// time passes.
		return true
	}
	a.clockLast = clock
	steps := max(int64(a.timeout.Seconds()*stepsPerSecond), 1)
	return clock-a.clockStart >= steps
}

// Done reports whether the update has finished (applied, rolled back or
// failed), old states included.
func (a *Applier) Done() bool { return a.done }

// Committed reports whether the update has been applied.
func (a *Applier) Committed() bool {
	return a.phase == phaseCommitted || (a.phase == phaseDone && a.err == nil)
}

// Err is why the update was rolled back, or nil.
func (a *Applier) Err() error { return a.err }

// Wait drives the update to its end while no run is in progress (every CPU
// is idle, so quiescence is immediate) and returns its report.
func (a *Applier) Wait() *Report {
	a.Start()
	for i := 0; !a.done; i++ {
		a.t.RunTasks()
		if i > 1_000_000 {
			a.fail(errors.New("the update made no progress"))
			break
		}
	}
	return a.Report()
}

// Report returns the update's report so far.
func (a *Applier) Report() *Report {
	r := a.report
	r.Pauses.samples = append([]time.Duration(nil), a.report.Pauses.samples...)
	r.Pauses.cpu = append([]time.Duration(nil), a.report.Pauses.cpu...)
	r.Pauses.finish()
	r.Adapters = a.code.Adapters()
	switch {
	case a.err != nil && a.phase == phaseDone:
		r.Outcome = "rolled back"
		r.Err = a.err.Error()
	case a.err != nil:
		r.Outcome = "rolling back"
		r.Err = a.err.Error()
	case a.phase >= phaseCommitted:
		r.Outcome = "applied"
	default:
		r.Outcome = "in progress"
	}
	return &r
}

// post queues a task, accounting its duration as a pause of every CPU that
// was running a request.
func (a *Applier) post(task func(stacks []CPUStack)) {
	a.t.Post(func() {
		m := startMeasure()
		stacks := a.t.Stacks()
		task(stacks)
		d, cpu := m.stop()
		a.report.Tasks++
		a.report.LongestTask = max(a.report.LongestTask, d)
		for _, s := range stacks {
			if s.Request != 0 {
				if _, held := a.waiters[s.CPU]; !held {
					a.report.Pauses.add(d, cpu, 't')
				}
			}
		}
	})
}

// safe reports whether no CPU executes a function the update replaces (the
// old code before the swap, the new code after it) or, when withTypes, a
// method of a changed type at the given side of the update.
func (a *Applier) safe(stacks []CPUStack, newSide bool) (bool, string) {
	replaced := map[string]bool{}
	for _, f := range a.code.Replaced() {
		replaced[f] = true
	}
	for _, s := range stacks {
		for _, f := range s.Frames {
			if replaced[f.Func] {
				if s.Context != 0 {
					return false, fmt.Sprintf("context %d (parked, cpu %d) is in %s", s.Context, s.CPU, f.Func)
				}
				return false, fmt.Sprintf("cpu %d executes %s", s.CPU, f.Func)
			}
			if a.atomic {
				for _, ts := range a.types {
					if ts.accessors[f.Func] || f.Type == ts.tu.Name {
						return false, fmt.Sprintf("cpu %d executes %s, which uses the state of %s", s.CPU, f.Func, ts.tu.Name)
					}
				}
			}
			if newSide && f.Type != "" {
				if ts := a.byName[f.Type]; ts != nil && ts.installed && f.Version == ts.to {
					return false, fmt.Sprintf("cpu %d executes %s of %s version %d", s.CPU, f.Func, f.Type, f.Version)
				}
			}
		}
	}
	return true, ""
}

func (a *Applier) startTask(stacks []CPUStack) {
	ok, why := a.safe(stacks, false)
	var heapErr error
	if len(a.heap) > 0 {
		// The instances can move with contexts parked in code using
		// them when that code reads the layout the instances have
		// (the target's HeapSafe says); the code is then swapped
		// context by context.
		if heapErr = a.heapSafe(false); heapErr != nil {
			ok, why = false, heapErr.Error()
		}
	}
	if !ok && heapErr == nil && a.contextCode() != nil {
		if a.startPerContext(stacks) {
			return
		}
	}
	if !ok {
		if a.waitedOut() {
			a.fail(fmt.Errorf("no safe point within %v: %s", a.timeout, why))
			a.finishRollback()
			return
		}
		a.post(a.startTask)
		return
	}
	plan, err := a.planHeap(false)
	if err != nil {
		a.fail(err)
		a.finishRollback()
		return
	}
	if err := a.moveGlobals(false); err != nil {
		a.fail(err)
		a.finishRollback()
		return
	}
	if a.u.Before != nil {
		if err := a.runHook("before", a.u.Before); err != nil {
			a.fail(err)
			a.finishRollback()
			return
		}
		a.beforeRan = true
	}
	if err := a.code.SwapFunctions(); err != nil {
		a.fail(fmt.Errorf("swapping code: %w", err))
		a.finishRollback()
		return
	}
	a.swapped = true
	a.report.Functions = len(a.code.Replaced())
	if err := a.convertHeapTypes(plan); err != nil {
		a.fail(err)
		a.rollbackTask(stacks)
		return
	}
	a.heapConverted = plan != nil
	if nt, ok := a.code.(interface{ NewTypes() []string }); ok {
		a.report.NewTypes = nt.NewTypes()
	}
	a.gateWordAlloc()
	for _, ts := range a.types {
		if err := a.code.InstallType(ts.tu.Name, ts.to, ts); err != nil {
			a.fail(fmt.Errorf("installing %s version %d: %w", ts.tu.Name, ts.to, err))
			a.post(a.rollbackTask)
			return
		}
		ts.installed = true
		ts.fac.Current = ts.to
		if ts.tu.Old.Size != ts.tu.New.Size {
			ts.fac.sizeVersion = map[uint64]int{ts.tu.Old.Size: ts.from, ts.tu.New.Size: ts.to}
		}
	}
	a.phase = phaseConverting
	// From now on the timeout bounds how long the conversion may go
	// without progress: a large type takes as long as it takes.
	a.deadline = time.Now().Add(a.timeout)
	if len(a.types) == 0 {
		a.commit(stacks)
		return
	}
	if a.atomic {
		// No CPU uses any changed type now (the safe point): convert
		// everything in this same task.
		ott := a.t.OTT()
		for _, ts := range a.types {
			for r := Ref(1); r < Ref(len(ott.entries)); r++ {
				e := &ott.entries[r]
				if !e.live || int(e.typeID) != ts.fac.ID || e.Version != ts.from {
					continue
				}
				if err := ts.convert(r, e); err != nil {
					a.fail(err)
					a.rollbackTask(stacks)
					return
				}
				a.report.Swept++
			}
		}
		a.commit(stacks)
		return
	}
	a.post(a.convertTask)
}

func (a *Applier) gateWordAlloc() uint64 {
	if a.gateWord == 0 {
		a.gateWord = a.t.Alloc(8)
	}
	return a.gateWord
}

func (a *Applier) runHook(name string, h Hook) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%s hook panicked: %v", name, r)
		}
	}()
	if err := h(a.env); err != nil {
		return fmt.Errorf("%s hook: %w", name, err)
	}
	return nil
}

// inFlight returns the instances some CPU is executing a method of, with
// the CPUs inside each.
func inFlight(stacks []CPUStack) map[Ref]uint64 {
	var m map[Ref]uint64
	for _, s := range stacks {
		for _, f := range s.Frames {
			if f.Self != 0 {
				if m == nil {
					m = map[Ref]uint64{}
				}
				m[f.Self] |= 1 << (s.CPU & 63)
			}
		}
	}
	return m
}

// convertTask converts instances in one slice of time.
func (a *Applier) convertTask(stacks []CPUStack) {
	if a.phase != phaseConverting {
		return
	}
	busy := inFlight(stacks)
	ott := a.t.OTT()
	budget := eagerSlice
	if a.u.Mode == Lazy {
		budget = lazySlice
	}
	if a.u.Mode == StopTheWorld {
		// Quiesce the type everywhere, then convert everything at once.
		for r := range busy {
			if e, ok := ott.Get(r); ok && a.byName[e.Type] != nil {
				if time.Now().After(a.deadline) {
					a.fail(fmt.Errorf("instance %d of %s still in flight after %v", r, e.Type, a.timeout))
					a.post(a.rollbackTask)
					return
				}
				a.post(a.convertTask)
				return
			}
		}
		budget = time.Hour
	}
	begin := time.Now()
	progress := false
	// Instances whose callers are held go first.
	for cpu, w := range a.waiters {
		e, ok := ott.Get(w.ref)
		if !ok {
			continue
		}
		ts := a.byName[e.Type]
		if ts == nil || e.Version != ts.from || busy[w.ref] != 0 {
			continue
		}
		if err := ts.convert(w.ref, e); err != nil {
			a.fail(err)
			a.post(a.rollbackTask)
			return
		}
		a.report.Swept++
		a.release(cpu)
		progress = true
	}
	remaining := false
	n := 0
	for _, ts := range a.types {
		end := Ref(len(ott.entries))
		for ts.cursor < end {
			if n&3 == 0 && time.Since(begin) > budget {
				remaining = true
				break
			}
			n++
			r := ts.cursor
			e := &ott.entries[r]
			if !e.live || int(e.typeID) != ts.fac.ID || e.Version != ts.from {
				ts.cursor++
				continue
			}
			if busy[r] != 0 {
				// In flight: come back to it once the scan is over.
				remaining = true
				if ts.rescan == 0 {
					ts.rescan = r
				}
				ts.cursor++
				continue
			}
			if err := ts.convert(r, e); err != nil {
				a.fail(err)
				a.post(a.rollbackTask)
				return
			}
			a.report.Swept++
			progress = true
			ts.cursor++
		}
		if ts.cursor >= end && ts.rescan != 0 {
			// Rescan from the first instance that was in flight.
			ts.cursor, ts.rescan = ts.rescan, 0
			remaining = true
		}
	}
	a.openGate()
	if progress {
		a.deadline = time.Now().Add(a.timeout)
	}
	if remaining {
		if a.u.Mode != Lazy && time.Now().After(a.deadline) {
			a.fail(fmt.Errorf("instances of the changed types still in flight after %v without progress", a.timeout))
			a.post(a.rollbackTask)
			return
		}
		a.post(a.convertTask)
		return
	}
	a.commit(stacks)
}

// convert converts one instance: new state allocated and filled by the
// transfer function, the entry switched to it, the old state kept.
func (ts *typeState) convert(r Ref, e *Entry) (err error) {
	a := ts.a
	t := a.t
	if ts.sameLayout {
		ts.converted = append(ts.converted, conversion{ref: r, oldState: e.State, oldSize: e.Size, inPlace: true})
		e.Version = ts.to
		a.report.Transferred++
		a.report.Objects[ts.tu.Name]++
		return nil
	}
	newAddr := t.Alloc(ts.tu.New.Size)
	if newAddr == 0 {
		return fmt.Errorf("converting %s %d: target memory exhausted", ts.tu.Name, r)
	}
	oldB, err := t.View(e.State, ts.tu.Old.Size)
	if err != nil {
		t.Free(newAddr)
		return fmt.Errorf("converting %s %d: %w", ts.tu.Name, r, err)
	}
	newB, err := t.View(newAddr, ts.tu.New.Size)
	if err != nil {
		t.Free(newAddr)
		return fmt.Errorf("converting %s %d: %w", ts.tu.Name, r, err)
	}
	old := State{Ref: r, Layout: &ts.tu.Old, Addr: e.State, b: oldB, env: a.env}
	nw := State{Ref: r, Layout: &ts.tu.New, Addr: newAddr, b: newB, env: a.env}
	if err := callTransfer(ts.transfer, old, nw); err != nil {
		t.Free(newAddr)
		return fmt.Errorf("transfer of %s instance %d (conversion %d of the update): %w", ts.tu.Name, r, len(ts.converted)+1, err)
	}
	ts.converted = append(ts.converted, conversion{ref: r, oldState: e.State, oldSize: e.Size})
	e.State, e.Size, e.Version = newAddr, ts.tu.New.Size, ts.to
	a.report.Transferred++
	a.report.Objects[ts.tu.Name]++
	return nil
}

func callTransfer(f TransferFunc, old, new State) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	return f(old, new)
}

// Enter is the mediator of a changed type (see Gate).
func (ts *typeState) Enter(cpu int, r Ref) uint64 {
	a := ts.a
	ott := a.t.OTT()
	e, ok := ott.Get(r)
	if !ok || e.Version != ts.from {
		a.release(cpu)
		return 0
	}
	if a.phase == phaseStarting || a.phase == phaseRollingBack || (a.phase == phaseDone && a.err != nil) {
		// Starting or rolling back: calls run the old version.
		a.release(cpu)
		return 0
	}
	stacks := a.t.Stacks()
	for _, s := range stacks {
		if s.CPU != cpu {
			continue
		}
		for _, f := range s.Frames {
			if f.Self == r || (f.Type == ts.tu.Name && f.Version == ts.from && a.u.Mode != Lazy) {
				// A recursive call: the CPU is already inside this
				// instance (or, eager, another unconverted one of the
				// type: holding it could deadlock with a CPU inside
				// this one waiting for that one).
				a.report.Recursive++
				a.release(cpu)
				return 0
			}
		}
	}
	elsewhere := inFlight(stacks)[r] != 0
	if a.u.Mode == Lazy || a.phase == phaseCommitted || a.phase == phaseDone {
		if elsewhere {
			// Another CPU is inside: run the old version alongside it.
			return 0
		}
		m := startMeasure()
		err := ts.convert(r, e)
		d, cpu := m.stop()
		if err != nil {
			a.fail(err)
			a.post(a.rollbackTask)
			return 0
		}
		a.report.LazyOnCall++
		a.report.Pauses.add(d, cpu, 'c')
		if a.phase == phaseDone && !a.graceQueued {
			// A late old-layout instance (created by code not yet
			// updated): its old state is freed after a grace period too.
			a.startGrace(stacks)
		}
		return 0
	}
	if _, held := a.waiters[cpu]; !held {
		a.waiters[cpu] = waiter{ref: r, since: time.Now()}
		a.report.Held++
	}
	a.writeGate(1)
	return a.gateWord
}

// release ends the hold of a CPU's call, if it was held.
func (a *Applier) release(cpu int) {
	if w, ok := a.waiters[cpu]; ok {
		d := time.Since(w.since)
		a.report.Pauses.add(d, d, 'h')
		delete(a.waiters, cpu)
	}
}

func (a *Applier) writeGate(v byte) {
	if a.gateWord != 0 {
		a.t.Write(a.gateWord, []byte{v, 0, 0, 0, 0, 0, 0, 0})
	}
}

// openGate lets held CPUs re-enter: those whose instance is converted go
// on, the others close the gate again.
func (a *Applier) openGate() {
	ott := a.t.OTT()
	for cpu, w := range a.waiters {
		e, ok := ott.Get(w.ref)
		if !ok || a.byName[e.Type] == nil || e.Version != a.byName[e.Type].from {
			a.release(cpu)
		}
	}
	a.writeGate(0)
}

func (a *Applier) fail(err error) {
	if a.err == nil {
		a.err = err
	}
	if a.phase != phaseDone {
		a.phase = phaseRollingBack
	}
}

// commit ends the conversion: After hook, held calls released, old states
// freed after the grace period.
func (a *Applier) commit(stacks []CPUStack) {
	if a.u.After != nil {
		if err := a.runHook("after", a.u.After); err != nil {
			a.fail(err)
			a.post(a.rollbackTask)
			return
		}
	}
	a.phase = phaseCommitted
	a.report.Apply = time.Since(a.started)
	a.openGate()
	a.startGrace(stacks)
}

// startGrace starts the grace period of the old states converted so far.
func (a *Applier) startGrace(stacks []CPUStack) {
	a.freeAt = time.Now().Add(a.u.Grace)
	a.reqAt = make([]uint64, len(stacks))
	for i, s := range stacks {
		a.reqAt[i] = s.Request
	}
	a.graceQueued = true
	a.post(a.graceTask)
}

// graceTask frees the old states once every CPU has passed a quiescent
// point since the commit and the grace period is over.
func (a *Applier) graceTask(stacks []CPUStack) {
	for i, s := range stacks {
		if i < len(a.reqAt) && s.Request != 0 && s.Request == a.reqAt[i] {
			a.post(a.graceTask)
			return
		}
	}
	if time.Now().Before(a.freeAt) {
		a.post(a.graceTask)
		return
	}
	// Free in slices too: the CPUs are stopped while a task runs.
	begin := time.Now()
	for _, ts := range a.types {
		for len(ts.converted) > 0 {
			if len(ts.converted)&3 == 0 && time.Since(begin) > lazySlice {
				a.post(a.graceTask)
				return
			}
			c := ts.converted[len(ts.converted)-1]
			if !c.inPlace {
				a.t.Free(c.oldState)
			}
			ts.converted = ts.converted[:len(ts.converted)-1]
		}
	}
	a.graceQueued = false
	a.phase = phaseDone
	a.done = true
}

// rollbackTask undoes everything at a safe point: no CPU executes the new
// code or a new-version method. Code swapped context by context is
// restored the same way, without waiting.
func (a *Applier) rollbackTask(stacks []CPUStack) {
	a.phase = phaseRollingBack
	if a.perContext {
		if !a.moveHeapBack() {
			// The contexts run on meanwhile, to leave that code.
			a.openGate()
			a.post(a.rollbackTask)
			return
		}
		a.finishRollback()
		return
	}
	if ok, _ := a.safe(stacks, true); !ok {
		a.openGate()
		a.post(a.rollbackTask)
		return
	}
	if !a.moveHeapBack() {
		a.post(a.rollbackTask)
		return
	}
	ott := a.t.OTT()
	for _, ts := range a.types {
		for i := len(ts.converted) - 1; i >= 0; i-- {
			c := ts.converted[i]
			e, ok := ott.Get(c.ref)
			if c.inPlace {
				if ok && e.Version == ts.to {
					e.Version = ts.from
					a.report.RolledBack++
				}
				continue
			}
			if !ok || e.Version != ts.to {
				// Freed since: its old state is ours to free.
				a.t.Free(c.oldState)
				continue
			}
			newB, err1 := a.t.View(e.State, ts.tu.New.Size)
			oldB, err2 := a.t.View(c.oldState, ts.tu.Old.Size)
			if err1 == nil && err2 == nil {
				nw := State{Ref: c.ref, Layout: &ts.tu.New, Addr: e.State, b: newB, env: a.env}
				old := State{Ref: c.ref, Layout: &ts.tu.Old, Addr: c.oldState, b: oldB, env: a.env}
				if err := callTransfer(ts.reverse, nw, old); err != nil && a.err != nil {
					a.err = fmt.Errorf("%w; reverse transfer of %s %d: %v", a.err, ts.tu.Name, c.ref, err)
				}
			}
			a.t.Free(e.State)
			e.State, e.Size, e.Version = c.oldState, c.oldSize, ts.from
			a.report.RolledBack++
		}
		ts.converted = nil
		// Instances the new code created get the old layout too.
		for r := Ref(1); r < Ref(len(ott.entries)); r++ {
			e := &ott.entries[r]
			if !e.live || int(e.typeID) != ts.fac.ID || e.Version != ts.to {
				continue
			}
			a.revertNew(ts, r, e)
		}
		if ts.installed {
			a.code.RemoveType(ts.tu.Name, ts.to)
			ts.installed = false
		}
		ts.fac.Current = ts.from
		ts.fac.sizeVersion = nil
	}
	a.finishRollback()
}

// moveHeapBack moves the instances of the heap types back to the old
// layouts, with the same safe point as the conversion: no CPU or context in
// code that cannot go on with them. It returns false, having done nothing,
// when that point has not come yet: the rollback must be retried.
func (a *Applier) moveHeapBack() bool {
	if !a.heapConverted {
		return true
	}
	if err := a.heapSafe(true); err != nil {
		return false
	}
	plan, err := a.planHeap(true)
	if err == nil {
		err = a.convertHeapTypes(plan)
	}
	if err != nil {
		a.fail(fmt.Errorf("moving the instances of the heap types back: %w", err))
	}
	a.heapConverted = false
	return true
}

// revertNew gives an instance created at the new version an old-layout
// state through the Reverse transfer.
func (a *Applier) revertNew(ts *typeState, r Ref, e *Entry) {
	if ts.sameLayout {
		e.Version = ts.from
		a.report.RolledBack++
		return
	}
	oldAddr := a.t.Alloc(ts.tu.Old.Size)
	if oldAddr == 0 {
		return
	}
	newB, err1 := a.t.View(e.State, ts.tu.New.Size)
	oldB, err2 := a.t.View(oldAddr, ts.tu.Old.Size)
	if err1 != nil || err2 != nil {
		return
	}
	nw := State{Ref: r, Layout: &ts.tu.New, Addr: e.State, b: newB, env: a.env}
	old := State{Ref: r, Layout: &ts.tu.Old, Addr: oldAddr, b: oldB, env: a.env}
	_ = callTransfer(ts.reverse, nw, old)
	a.t.Free(e.State)
	e.State, e.Size, e.Version = oldAddr, ts.tu.Old.Size, ts.from
	a.report.RolledBack++
}

// finishRollback restores the old code and releases everything.
func (a *Applier) finishRollback() {
	if a.beforeRan && a.u.UndoBefore != nil {
		// Before ran after the moved globals' transfer and before the
		// code swap: undo it in the reverse order, while the code that
		// Before prepared for is still in place.
		if err := a.runHook("undo before", a.u.UndoBefore); err != nil {
			if a.err == nil {
				a.err = err
			} else {
				a.err = fmt.Errorf("%w; %v", a.err, err)
			}
		}
		a.report.UndoneBefore = true
		a.beforeRan = false
	}
	if a.swapped {
		// The new code may have written the moved globals' state.
		if err := a.moveGlobals(true); err != nil && a.err != nil {
			a.err = fmt.Errorf("%w; %v", a.err, err)
		}
		a.swapped = false
	}
	a.code.UnswapFunctions()
	a.report.Functions = 0
	a.openGate()
	for cpu := range a.waiters {
		a.release(cpu)
	}
	a.report.Apply = time.Since(a.started)
	// The gate word is never freed: a CPU released from it may not have
	// read it yet, and freed memory does not read as 0.
	a.phase = phaseDone
	a.done = true
}

// measure times a pause both on the wall clock (what the calls saw) and in
// CPU time of the thread doing the update's work (what the update cost,
// without the host's preemption by other processes).
type measure struct {
	begin time.Time
	cpu   time.Duration
	ok    bool
}

func startMeasure() measure {
	goruntime.LockOSThread()
	c, ok := cputime.Thread()
	return measure{begin: time.Now(), cpu: c, ok: ok}
}

func (m measure) stop() (wall, cpu time.Duration) {
	wall = time.Since(m.begin)
	cpu = wall
	if m.ok {
		if c, ok := cputime.Thread(); ok && c >= m.cpu {
			cpu = min(c-m.cpu, wall)
		}
	}
	goruntime.UnlockOSThread()
	return wall, cpu
}

// moveGlobals is the default transfer of the globals that get new storage:
// the first Keep bytes of the old storage are copied into the new one
// (back, on rollback). It runs at a safe point, where no CPU executes code
// using either storage.
func (a *Applier) moveGlobals(back bool) error {
	for _, g := range a.code.Moves() {
		if g.Keep == 0 || back && a.movedBack[g.Name] {
			continue
		}
		from, to := g.Old, g.New
		if back {
			from, to = g.New, g.Old
		}
		b, err := a.t.Read(from, g.Keep)
		if err == nil {
			err = a.t.Write(to, b)
		}
		if err != nil {
			return fmt.Errorf("transferring global %s: %w", g.Name, err)
		}
	}
	return nil
}

// contextCode returns the code's per-context swap when the update can use
// it: an update that only swaps functions. One that converts state, moves
// globals or changes types needs every context out of the code at once.
func (a *Applier) contextCode() ContextCode {
	cc, ok := a.code.(ContextCode)
	// (A type without an object table makes the update atomic, but its
	// instances move in the step that swaps the code: startPerContext.)
	if !ok || len(a.types) > 0 || len(a.code.Moves()) > 0 {
		return nil
	}
	return cc
}

// startPerContext swaps the code context by context, when no safe point
// came: it reports whether it did (or failed for good); false means the
// swap cannot start yet and the caller keeps waiting.
func (a *Applier) startPerContext(stacks []CPUStack) bool {
	cc := a.contextCode()
	var plan *heapPlan
	if len(a.heap) > 0 {
		p, err := a.planHeap(false)
		if err != nil {
			a.fail(err)
			a.finishRollback()
			return true
		}
		plan = p
	}
	var hookErr error
	err := cc.SwapFunctionsPerContext(func() error {
		if a.u.Before != nil {
			if hookErr = a.runHook("before", a.u.Before); hookErr != nil {
				return hookErr
			}
			a.beforeRan = true
		}
		return nil
	})
	if hookErr != nil {
		a.fail(hookErr)
		a.finishRollback()
		return true
	}
	if err != nil {
		return false
	}
	a.swapped, a.perContext = true, true
	if len(a.heap) > 0 {
		// In the step that swapped the code (and the layout cells).
		if err := a.convertHeapTypes(plan); err != nil {
			a.fail(err)
			a.rollbackTask(stacks)
			return true
		}
		a.heapConverted = plan != nil
	}
	a.report.Functions = len(a.code.Replaced())
	a.report.Contexts, _ = cc.Lagging()
	a.phase = phaseConverting
	a.setDeadline(time.Now())
	a.transitionTask(stacks)
	return true
}

// transitionTask commits the update once no context runs the replaced
// code; past the timeout it rolls back.
func (a *Applier) transitionTask(stacks []CPUStack) {
	n, where := a.contextCode().Lagging()
	if n == 0 {
		a.report.KeptEntries = a.contextCode().KeptEntries()
		a.commit(stacks)
		return
	}
	if a.waitedOut() {
		a.fail(fmt.Errorf("%d of %d contexts still run the replaced code after %v: %s", n, a.report.Contexts, a.timeout, where))
		a.post(a.rollbackTask)
		return
	}
	a.post(a.transitionTask)
}
