package synth

import (
	"bytes"
	"fmt"
	"io/fs"
	"sort"
	"strings"
	"sync"

	"github.com/upsynth/upsynth/analyze/classify"
	"github.com/upsynth/upsynth/class"
	"github.com/upsynth/upsynth/cparse"
	"github.com/upsynth/upsynth/kernel"
	"github.com/upsynth/upsynth/runtime"
	"github.com/upsynth/upsynth/runtime/plan"
)

// ChangeSet is a commit's (or a range's) classified changes, as the
// analysis database holds them.
type ChangeSet struct {
	Class   string
	Hazards []string
	Reason  string
	Changes []Change
}

// Change is one classified change.
type Change struct {
	File, Entity, Name, Change, Class, Reason string
}

// ChangesOf is the planner's view of an analysis's classified changes
// (emit and replay read them from the analysis database).
func ChangesOf(changes []classify.Change) []Change {
	var out []Change
	for _, ch := range changes {
		out = append(out, Change{File: ch.File, Entity: ch.Entity, Name: ch.Name, Change: ch.Change, Class: string(ch.Class), Reason: ch.Reason})
	}
	return out
}

// Input is what the planner reads.
type Input struct {
	Name           string
	Repo           string
	OldRev, NewRev string
	// Old and New are the kernel at each revision: files and settings
	// (include paths, defines, exclusions, the module list) from package
	// kernel; the build options of the plan are New's.
	Old, New *kernel.Tree
	Changes  ChangeSet
	Mode     runtime.Mode
	// Force plans an update the analysis classified unsupported.
	Force bool
	// Cache, when set, serves modules translated for earlier plans whose
	// files are the same (nil: every module is translated).
	Cache *ModuleCache
}

// RefusedError is returned for a change set classified unsupported.
type RefusedError struct {
	Name    string
	Reasons []string
}

func (e *RefusedError) Error() string {
	return fmt.Sprintf("%s is classified unsupported (a reboot is needed):\n  %s\n(--force emits a plan that says what cannot work)", e.Name, strings.Join(e.Reasons, "\n  "))
}

// changedFiles compares two trees.
func changedFiles(old, new fs.FS) (changed, deleted []string, err error) {
	oldFiles, err := listFiles(old)
	if err != nil {
		return nil, nil, err
	}
	newFiles, err := listFiles(new)
	if err != nil {
		return nil, nil, err
	}
	for p := range newFiles {
		if !oldFiles[p] {
			changed = append(changed, p)
			continue
		}
		a, err := fs.ReadFile(old, p)
		if err != nil {
			return nil, nil, err
		}
		b, err := fs.ReadFile(new, p)
		if err != nil {
			return nil, nil, err
		}
		if !bytes.Equal(a, b) {
			changed = append(changed, p)
		}
	}
	for p := range oldFiles {
		if !newFiles[p] {
			deleted = append(deleted, p)
		}
	}
	sort.Strings(changed)
	sort.Strings(deleted)
	return changed, deleted, nil
}

func listFiles(t fs.FS) (map[string]bool, error) {
	out := map[string]bool{}
	err := fs.WalkDir(t, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != "." && strings.HasPrefix(d.Name(), ".") {
				return fs.SkipDir
			}
			return nil
		}
		if kernel.IsImageFile(p) {
			out[p] = true
		}
		return nil
	})
	return out, err
}

// inspectOptions are how the generator compiles a kernel's modules: the
// tree's include paths then the target's headers (package kernel).
func inspectOptions(k *kernel.Tree) BuildOptions {
	return BuildOptions{IncludePaths: k.SearchPaths(), Defines: k.Defines()}
}

// InspectIn describes one module of a kernel as the generator sees it.
func InspectIn(k *kernel.Tree, file string) (*Module, error) {
	return InspectModule(k.WithABI(), file, inspectOptions(k))
}

// MakePlan plans the update from old to new.
func MakePlan(in Input) (*Plan, error) {
	p := &Plan{Version: plan.Version, Name: in.Name, Repo: in.Repo, OldRev: in.OldRev, NewRev: in.NewRev,
		Class: in.Changes.Class, Hazards: in.Changes.Hazards, Mode: in.Mode.String(),
		Build: in.New.Build()}
	oldK, newK := in.Old, in.New
	oldTree, tree := oldK.FS, newK.FS
	oldABI, newABI := oldK.WithABI(), newK.WithABI()
	for _, c := range in.Changes.Changes {
		if c.Class == string(class.Unsupported) || in.Changes.Class != string(class.Unsupported) {
			if c.Class == string(class.Unsupported) {
				p.Reasons = append(p.Reasons, fmt.Sprintf("%s: %s %s %s: %s", c.File, c.Entity, c.Name, c.Change, c.Reason))
			}
		}
	}
	if in.Changes.Class == string(class.Unsupported) {
		if len(p.Reasons) == 0 {
			p.Reasons = append(p.Reasons, in.Changes.Reason)
		}
		if !in.Force {
			return nil, &RefusedError{Name: in.Name, Reasons: p.Reasons}
		}
		for _, r := range p.Reasons {
			p.Cannot = append(p.Cannot, "classified unsupported: "+r)
		}
	}
	changed, deleted, err := changedFiles(oldTree, tree)
	if err != nil {
		return nil, err
	}
	p.Deleted = deleted
	if p.OldModules, err = oldK.Modules(); err != nil {
		return nil, err
	}
	if p.NewModules, err = newK.Modules(); err != nil {
		return nil, err
	}
	newMods := setOf(p.NewModules)
	oldMods := setOf(p.OldModules)
	changedHeaders := map[string]bool{}
	reload := map[string]string{} // module -> why
	for _, f := range append(append([]string(nil), changed...), deleted...) {
		switch {
		case strings.HasSuffix(f, ".c") && newMods[f]:
			reload[f] = "changed"
		case kernel.IsCPPModule(f) && newK.Config.Excluded(f):
			p.Notes = append(p.Notes, fmt.Sprintf("%s is excluded from the kernel image: its change is not applied to the running kernel", f))
		case kernel.IsCPPModule(f) && fileIn(tree, f):
			reload[f] = "changed"
		case kernel.IsCPPModule(f):
			p.Cannot = append(p.Cannot, fmt.Sprintf("%s is removed: a running kernel cannot unload a module, its code stays loaded", f))
		case strings.HasSuffix(f, ".c") && oldMods[f]:
			p.Cannot = append(p.Cannot, fmt.Sprintf("%s is removed: a running kernel cannot unload a module, its code stays loaded", f))
		case strings.HasSuffix(f, ".c"):
			p.Notes = append(p.Notes, fmt.Sprintf("%s is not part of the kernel image (excluded, inline assembly or a host tool): its change is not applied to the running kernel", f))
		case strings.HasSuffix(f, ".h") || strings.HasSuffix(f, ".inc") || kernel.KindOf(f) == kernel.KindHeader:
			changedHeaders[f] = true
		default:
			p.Cannot = append(p.Cannot, fmt.Sprintf("%s (assembly) cannot be updated on the running kernel", f))
		}
	}
	for h := range changedHeaders {
		if _, err := fs.Stat(tree, h); err == nil {
			p.Headers = append(p.Headers, h)
		}
	}
	sort.Strings(p.Headers)
	inspectOpts := inspectOptions(newK)
	newInfo := map[string]*Module{}
	// failed holds, per module, why the C front end could not compile it
	// at the new revision ("new: ...") or the old one ("old: ...").
	failed := map[string]string{}
	// otherFails are the new revision's kernel modules the front end could
	// not compile that the update does not reload.
	otherFails := map[string]error{}
	scan := newIncludeScan(tree, p.Build.IncludePaths)
	if len(changedHeaders) > 0 {
		// Every module that includes a changed header is compiled anew.
		infos, fails := inspectAll(in.Cache, newABI, p.NewModules, inspectOpts)
		for m, info := range infos {
			newInfo[m] = info
			for _, inc := range info.Includes {
				if changedHeaders[inc] {
					if _, ok := reload[m]; !ok {
						reload[m] = "includes " + inc
					}
				}
			}
		}
		// A module the front end could not compile, and every C++ module:
		// their includes come from a scan of the #include lines.
		var scanned []string
		for m := range fails {
			scanned = append(scanned, m)
		}
		cpp, err := cppModules(newK)
		if err != nil {
			return nil, err
		}
		scanned = append(scanned, cpp...)
		sort.Strings(scanned)
		for _, m := range scanned {
			if h := scan.includesAny(m, changedHeaders); h != "" {
				if _, ok := reload[m]; !ok {
					reload[m] = "includes " + h
				}
				if err := fails[m]; err != nil {
					failed[m] = "new: " + cparse.ShortFrontEndError(err.Error())
				}
			} else if err := fails[m]; err != nil {
				otherFails[m] = err
			}
		}
	}
	for m := range reload {
		p.Modules = append(p.Modules, m)
		delete(otherFails, m)
	}
	sort.Strings(p.Modules)
	var todo []string
	for _, m := range p.Modules {
		if newInfo[m] == nil && failed[m] == "" && !kernel.IsCPPModule(m) {
			todo = append(todo, m)
		}
	}
	infos, fails := inspectAll(in.Cache, newABI, todo, inspectOpts)
	for m, info := range infos {
		newInfo[m] = info
	}
	for m, err := range fails {
		failed[m] = "new: " + cparse.ShortFrontEndError(err.Error())
	}
	var oldTodo []string
	for _, m := range p.Modules {
		if oldMods[m] && failed[m] == "" && !kernel.IsCPPModule(m) {
			oldTodo = append(oldTodo, m)
		}
	}
	oldInfo, fails := inspectAll(in.Cache, oldABI, oldTodo, inspectOpts)
	for m, err := range fails {
		failed[m] = "old: " + cparse.ShortFrontEndError(err.Error())
	}
	// Modules the front end could not compile on either side, and C++
	// modules, are planned from tolerant summaries (degraded.go).
	imprecise := map[string]string{}
	for _, m := range p.Modules {
		switch {
		case kernel.IsCPPModule(m):
			imprecise[m] = "C++: the C front end (cc/v4) and the emulated target read C only"
		case failed[m] != "":
			imprecise[m] = failed[m]
			delete(newInfo, m)
			delete(oldInfo, m)
		}
	}
	if len(failed) > 0 || len(otherFails) > 0 {
		// Modules the front end could not compile were searched for
		// changed headers by their #include lines, which miss what the
		// build reaches through include paths upsynth.yaml does not give.
		for _, h := range p.Headers {
			if !reaches(p, h, newInfo, scan) {
				p.Needs = append(p.Needs, fmt.Sprintf("header %s changed, but no module found includes it, and %d modules could not be compiled: the modules it affects are not known (give upsynth.yaml the include paths of the build) and none is reloaded for it", h, len(failed)+len(otherFails)))
			}
		}
	}
	planModules(p, in, reload, oldInfo, newInfo)
	// A header's struct is seen by every module including it: say it once.
	p.Needs = distinct(p.Needs)
	unverifiable := planImprecise(p, oldTree, tree, in, scan, imprecise, changedHeaders)
	if len(unverifiable) == 0 && len(otherFails) > 0 {
		// Modules the update does not reload, but which verification
		// compiles to boot the new revision for comparison.
		first := sortedKeys(otherFails)[0]
		unverifiable = append(unverifiable, fmt.Sprintf("%d of the new revision's kernel modules do not compile, so the emulated target cannot boot it (%s: %s)", len(otherFails), first, cparse.ShortFrontEndError(otherFails[first].Error())))
	}
	p.Workloads, _ = newK.Workloads()
	p.Load, _ = newK.Load()
	if len(unverifiable) == 0 {
		unverifiable = append(unverifiable, targetGaps(p, newABI)...)
	}
	if len(unverifiable) == 0 {
		for _, side := range []struct {
			tree fs.FS
			mods []string
			rev  string
		}{{oldABI, p.OldModules, "old"}, {newABI, p.NewModules, "new"}} {
			if why := unbuildable(side.tree, side.mods, p.Build, side.rev); why != "" {
				unverifiable = append(unverifiable, why)
				break
			}
		}
	}
	setUnverifiable(p, unverifiable)
	planGlobalsFromChanges(p, in.Changes)
	for _, t := range p.Types {
		if !t.LayoutSame && (class.Class(p.Class) == class.Code || class.Class(p.Class) == class.None) {
			p.Notes = append(p.Notes, fmt.Sprintf("the analysis classified the change %s, but the layout of struct %s changes (cc/v4 on both revisions): the update transfers its state", p.Class, t.Name))
		}
	}
	return p, nil
}

// reaches reports whether a module of the plan includes header h.
func reaches(p *Plan, h string, info map[string]*Module, scan *includeScan) bool {
	for _, m := range p.Modules {
		incs := scan.closure(m)
		if info[m] != nil {
			incs = info[m].Includes
		}
		for _, inc := range incs {
			if inc == h {
				return true
			}
		}
	}
	return false
}

func fileIn(tree fs.FS, p string) bool {
	_, err := fs.Stat(tree, p)
	return err == nil
}

func setOf(xs []string) map[string]bool {
	m := make(map[string]bool, len(xs))
	for _, x := range xs {
		m[x] = true
	}
	return m
}

// inspectAll inspects modules on two workers; the modules it could not
// compile are returned with the error.
func inspectAll(cache *ModuleCache, tree fs.FS, mods []string, opts BuildOptions) (map[string]*Module, map[string]error) {
	out := map[string]*Module{}
	errs := map[string]error{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	ch := make(chan string)
	for w := 0; w < 2; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for m := range ch {
				info, err := cache.inspect(tree, m, opts)
				mu.Lock()
				if err != nil {
					errs[m] = err
				} else {
					out[m] = info
				}
				mu.Unlock()
			}
		}()
	}
	for _, m := range mods {
		ch <- m
	}
	close(ch)
	wg.Wait()
	return out, errs
}

// planModules decides, module by module, what is swapped, transferred and
// adapted.
func planModules(p *Plan, in Input, reload map[string]string, oldInfo, newInfo map[string]*Module) {
	typeSeen := map[string]bool{}
	funcSeen := map[string]bool{}
	adapterSeen := map[string]bool{}
	for _, mod := range p.Modules {
		nm := newInfo[mod]
		if nm == nil {
			continue
		}
		om := oldInfo[mod]
		if om == nil {
			om = &Module{Structs: map[string]*Struct{}, Functions: map[string]*Func{}, Globals: map[string]Global{}}
			for _, f := range sortedFuncs(nm) {
				if !f.Header {
					p.Added = append(p.Added, f.Name)
				}
			}
		}
		// Structs whose layout changed make every function of the module
		// that may touch them compile to other offsets.
		var layoutChanged []string
		for tag, ns := range nm.Structs {
			if os := om.Structs[tag]; os != nil && !(os.Layout.Equal(&ns.Layout) && shapesEqual(os, ns)) {
				layoutChanged = append(layoutChanged, tag)
			}
		}
		sort.Strings(layoutChanged)
		// The object types whose methods this module defines.
		owned := map[string]bool{}
		for _, f := range nm.Functions {
			if f.Method != "" && !f.Header && nm.ObjectTypes[f.Method] {
				owned[f.Method] = true
			}
		}
		renames := findRenames(om, nm, owned)
		// A method added or changing signature needs a new version of
		// its type even when the layout stays: methods live in the type's
		// method table.
		methodsChanged := map[string]string{}
		for _, f := range sortedFuncs(nm) {
			if !owned[f.Method] || f.Header {
				continue
			}
			if of := om.Functions[f.Name]; of == nil {
				methodsChanged[f.Method] = "method " + f.Name + " added"
			} else if of.Sig != f.Sig {
				methodsChanged[f.Method] = "the signature of " + f.Name + " changed"
			}
		}
		// A removed method keeps its old code in every version (the runtime
		// needs an implementation for each method slot), so it alone does
		// not version the type.
		for _, t := range sortedKeys(owned) {
			if typeSeen[t] {
				continue
			}
			ns, os := nm.Structs[t], om.Structs[t]
			if os == nil {
				continue // a new object type: its factory starts with the new code
			}
			changed := !(os.Layout.Equal(&ns.Layout) && shapesEqual(os, ns))
			why, methods := methodsChanged[t]
			if !changed && !methods {
				continue
			}
			typeSeen[t] = true
			tp := planTransfer(t, os, ns, nm.Defaults[t], t+"_create")
			tp.LayoutSame = !changed
			tp.Why = why
			if changed {
				tp.Why = fmt.Sprintf("layout changed (%d -> %d bytes)", os.Layout.Size, ns.Layout.Size)
			}
			for _, pr := range tp.Problems {
				p.Needs = append(p.Needs, fmt.Sprintf("type %s: %s", t, pr))
			}
			if len(tp.Added) > 0 {
				p.Needs = append(p.Needs, fmt.Sprintf("type %s: new fields %s start at zero: set them in hooks.go if zero is wrong", t, strings.Join(tp.Added, ", ")))
			}
			if len(tp.Guesses) > 0 {
				p.Needs = append(p.Needs, fmt.Sprintf("type %s: fields matched by position and type, likely renames: %s", t, strings.Join(tp.Guesses, "; ")))
			}
			p.Types = append(p.Types, tp)
		}
		for _, tag := range layoutChanged {
			if owned[tag] || nm.ObjectTypes[tag] {
				continue
			}
			if nm.Structs[tag].Defined == mod || changedHeaderDefines(p.Headers, nm.Structs[tag].Defined) {
				if len(p.Build.Allocators) > 0 {
					// The kernel's allocators type its heap: the
					// target finds every instance there, in globals
					// and in static objects, and fixes every pointer.
					if !typeSeen[tag] {
						typeSeen[tag] = true
						p.Types = append(p.Types, planHeapType(p, tag, om.Structs[tag], nm.Structs[tag]))
					}
					continue
				}
				if !embeddedInTypes(tag, p.Types) {
					p.Needs = append(p.Needs, fmt.Sprintf("struct %s (%s) changes layout and is not an object type: instances reached through pointers or globals keep the old layout unless a hook converts them", tag, nm.Structs[tag].Defined))
				}
			}
		}
		for _, f := range sortedFuncs(nm) {
			if f.Method != "" && typeSeen[f.Method] && owned[f.Method] {
				continue // the type's new version carries its methods
			}
			of := om.Functions[f.Name]
			if of == nil {
				if om.Path != "" && !f.Header {
					p.Added = append(p.Added, f.Name)
				}
				continue
			}
			if of.Sig != f.Sig {
				if adapterSeen[f.Name] {
					continue
				}
				adapterSeen[f.Name] = true
				if f.Variadic || of.Variadic {
					p.Cannot = append(p.Cannot, fmt.Sprintf("%s: variadic signature changed (%s -> %s): no adapter can translate it", f.Name, of.Sig, f.Sig))
					continue
				}
				p.Adapters = append(p.Adapters, planAdapter(of, f, f.Method != "" && typeSeen[f.Method]))
				continue
			}
			why := ""
			switch {
			case of.BodyHash != f.BodyHash:
				why = "body changed"
				if f.Header {
					why = "header inline function changed"
				}
			case len(layoutChanged) > 0:
				// Compiled code bakes in offsets: every function of the
				// module is recompiled against the new layouts.
				why = "struct layout changed: " + strings.Join(layoutChanged, ", ")
			}
			if why == "" || funcSeen[f.Name] {
				continue
			}
			funcSeen[f.Name] = true
			p.Functions = append(p.Functions, FuncPlan{Name: f.Name, Module: mod, Why: why})
		}
		// Methods of types with a new version carry signature changes too.
		for _, f := range sortedFuncs(nm) {
			if f.Method == "" || !typeSeen[f.Method] || !owned[f.Method] {
				continue
			}
			if of := om.Functions[f.Name]; of != nil && of.Sig != f.Sig && !adapterSeen[f.Name] {
				adapterSeen[f.Name] = true
				p.Adapters = append(p.Adapters, planAdapter(of, f, true))
			}
		}
		renamed := map[string]bool{}
		layoutSame := map[string]bool{}
		for _, tp := range p.Types {
			layoutSame[tp.Name] = tp.LayoutSame
		}
		for _, r := range renames {
			if !typeSeen[r.old.Method] || adapterSeen[r.old.Name] {
				continue
			}
			if !r.sameBody && layoutSame[r.old.Method] {
				// The old code still reads the state right: keeping it
				// is safer than a guess.
				continue
			}
			adapterSeen[r.old.Name] = true
			renamed[r.old.Name] = true
			p.Adapters = append(p.Adapters, planRename(r.old, r.new))
			if r.sameBody {
				p.Notes = append(p.Notes, fmt.Sprintf("method %s is renamed %s (same body): calls still bound to %s reach %s through an adapter", r.old.Name, r.new.Name, r.old.Name, r.new.Name))
			} else {
				p.Needs = append(p.Needs, fmt.Sprintf("method %s is removed and %s added with the same signature: taken as a rename, so calls still bound to %s reach %s through an adapter; check that %s does what callers of %s expect, or remove the adapter from update.go", r.old.Name, r.new.Name, r.old.Name, r.new.Name, r.new.Name, r.old.Name))
			}
		}
		for _, f := range sortedFuncs(om) {
			if nm.Functions[f.Name] == nil && !f.Header && !renamed[f.Name] {
				p.Removed = append(p.Removed, f.Name)
			}
		}
		for _, name := range sortedGlobals(nm) {
			ng := nm.Globals[name]
			og, ok := om.Globals[name]
			if !ok || om.Path == "" {
				continue
			}
			if og.Size != ng.Size {
				// The runtime gives the new code new storage, initialized
				// from the new initializer (runtime.GlobalMove); its
				// default transfer keeps the old elements of a mutable
				// array whose element type stays.
				note := fmt.Sprintf("%s -> %s (%d -> %d bytes): new storage from the new initializer; a mutable array of the same element type keeps its old elements, a const or function-pointer table takes the new one", og.Type, ng.Type, og.Size, ng.Size)
				p.Globals = append(p.Globals, GlobalPlan{Name: name, Module: mod, Static: ng.Static, Change: "size", Note: note})
				if oe, ne := arrayElem(og.Type), arrayElem(ng.Type); oe == "" || oe != ne {
					p.Needs = append(p.Needs, fmt.Sprintf("global %s (%s) changes type and size (%s -> %s): it gets new storage from the new initializer; hooks.go transfers the running value if it matters (env.Moves)", name, mod, og.Type, ng.Type))
				}
			} else if og.Type != ng.Type {
				p.Globals = append(p.Globals, GlobalPlan{Name: name, Module: mod, Static: ng.Static, Change: "type",
					Note: fmt.Sprintf("%s -> %s, same size: the running value is kept as is", og.Type, ng.Type)})
				p.Needs = append(p.Needs, fmt.Sprintf("global %s changes type (%s -> %s): check that its running value means the same", name, og.Type, ng.Type))
			} else if patches := initPatches(og, ng); len(patches) > 0 {
				gp := GlobalPlan{Name: name, Module: mod, Static: ng.Static, Change: "init"}
				if ng.Written && !ng.Aggregate {
					gp.Note = "initializer constants changed, but the code assigns this global: its running value is kept"
					p.Needs = append(p.Needs, fmt.Sprintf("global %s (%s): its initial value changed and the code assigns it; hooks.go decides whether the running value changes", name, mod))
				} else {
					gp.Note = "initializer constants changed: the new values are written (each checked to still hold its initial value)"
					gp.Patches = patches
				}
				p.Globals = append(p.Globals, gp)
			}
		}
	}
	sort.Strings(p.Added)
	sort.Strings(p.Removed)
	p.Added = dedup(p.Added)
	p.Removed = dedup(p.Removed)
	if len(p.Removed) > 0 {
		p.Needs = append(p.Needs, fmt.Sprintf("removed functions keep their old code (callers not updated still reach them): %s", strings.Join(p.Removed, ", ")))
	}
}

// planGlobalsFromChanges adds the initializer changes the analysis found:
// the running kernel keeps a global's value, so a new initializer does not
// take effect unless a hook writes it.
func planGlobalsFromChanges(p *Plan, cs ChangeSet) {
	seen := map[string]bool{}
	for _, g := range p.Globals {
		seen[g.Module+":"+g.Name] = true
	}
	for _, c := range cs.Changes {
		if c.Entity == "macro" && c.Change == "changed" {
			p.Needs = append(p.Needs, fmt.Sprintf("macro %s (%s) changed: code using it is recompiled, but memory the running kernel already sized or filled with its old value (buffers, tables) keeps it", c.Name, c.File))
			continue
		}
		if c.Entity != "global" || c.Change != "init" || seen[c.File+":"+c.Name] {
			continue
		}
		if !strings.HasSuffix(c.File, ".c") {
			continue
		}
		p.Globals = append(p.Globals, GlobalPlan{Name: c.Name, Module: c.File, Change: "init",
			Note: "initializer changed: the running value is kept; a hook decides whether the new initial value applies"})
		p.Needs = append(p.Needs, fmt.Sprintf("global %s (%s): its initializer changed; the running kernel keeps the old value unless hooks.go writes the new one", c.Name, c.File))
	}
}

// initPatches lists the integer constants of a global's initializer whose
// value changed.
func initPatches(old, new Global) []Patch {
	oldAt := map[uint64]InitValue{}
	for _, v := range old.Inits {
		oldAt[v.Offset] = v
	}
	var out []Patch
	for _, v := range new.Inits {
		o, ok := oldAt[v.Offset]
		if ok && o.Size != v.Size {
			continue
		}
		if o.Value != v.Value {
			out = append(out, Patch{Offset: v.Offset, Size: v.Size, Old: o.Value, New: v.Value})
		}
	}
	return out
}

func changedHeaderDefines(headers []string, file string) bool {
	for _, h := range headers {
		if h == file {
			return true
		}
	}
	return false
}

func embeddedInTypes(tag string, types []TypePlan) bool {
	for _, t := range types {
		for _, f := range t.New.Fields {
			if strings.Contains(f.Type, "struct "+tag+" ") || strings.HasSuffix(f.Type, "struct "+tag) {
				return true
			}
		}
	}
	return false
}

func shapesEqual(a, b *Struct) bool {
	if len(a.Shapes) != len(b.Shapes) {
		return false
	}
	for i := range a.Shapes {
		if !shapeEqual(a.Shapes[i], b.Shapes[i]) {
			return false
		}
	}
	return true
}

func sortedFuncs(m *Module) []*Func {
	out := make([]*Func, 0, len(m.Functions))
	for _, f := range m.Functions {
		out = append(out, f)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

func sortedGlobals(m *Module) []string {
	return sortedKeys(m.Globals)
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func dedup(xs []string) []string {
	out := xs[:0]
	for i, x := range xs {
		if i == 0 || x != xs[i-1] {
			out = append(out, x)
		}
	}
	return out
}

// arrayElem is the element type of an array type as the model writes it
// ("array of 22 syscall_fn" -> "syscall_fn"), or "".
func arrayElem(typ string) string {
	rest, ok := strings.CutPrefix(typ, "array of ")
	if !ok {
		return ""
	}
	if _, elem, ok := strings.Cut(rest, " "); ok {
		return elem
	}
	return ""
}

// rename pairs a method the new revision no longer defines with the one
// that replaces it.
type rename struct {
	old, new *Func
	sameBody bool // a certain rename; otherwise the only candidate
}

// findRenames pairs the removed and added methods of each object type a
// module owns: a removed method whose body and signature reappear under a
// new name is renamed; failing that, a type that loses exactly one method
// and gains exactly one with the same signature is taken as a likely
// rename (a person confirms it). Without the pairing, callers still bound
// to the old name would run its old code on converted instances, which a
// layout change makes wrong.
func findRenames(om, nm *Module, owned map[string]bool) []rename {
	var out []rename
	for _, t := range sortedKeys(owned) {
		var removed, added []*Func
		for _, f := range sortedFuncs(om) {
			if f.Method == t && !f.Header && nm.Functions[f.Name] == nil {
				removed = append(removed, f)
			}
		}
		for _, f := range sortedFuncs(nm) {
			if f.Method == t && !f.Header && om.Functions[f.Name] == nil {
				added = append(added, f)
			}
		}
		taken := map[*Func]bool{}
		for _, of := range removed {
			for _, f := range added {
				if !taken[f] && f.Sig == of.Sig && f.BodyHash != "" && f.BodyHash == of.BodyHash {
					taken[f], taken[of] = true, true
					out = append(out, rename{old: of, new: f, sameBody: true})
					break
				}
			}
		}
		if len(removed) == 1 && len(added) == 1 && !taken[removed[0]] && removed[0].Sig == added[0].Sig {
			out = append(out, rename{old: removed[0], new: added[0]})
		}
	}
	return out
}

// planHeapType plans the conversion of a struct without an object table
// whose layout changed, in a kernel whose allocators type its heap
// (upsynth.yaml's allocators): the runtime finds the instances through the
// typed heap and converts them with every CPU and context out of the code
// using the type.
func planHeapType(p *Plan, tag string, old, new *Struct) TypePlan {
	tp := planTransfer(tag, old, new, nil, "")
	var allocs []string
	for _, a := range p.Build.Allocators {
		allocs = append(allocs, a.Alloc)
	}
	tp.Why = fmt.Sprintf("layout changed (%d -> %d bytes); no object table: its instances are the blocks of %s typed by their allocation sites, globals and static objects, and every pointer to them is fixed", old.Layout.Size, new.Layout.Size, strings.Join(allocs, ", "))
	for _, pr := range tp.Problems {
		p.Needs = append(p.Needs, fmt.Sprintf("type %s: %s", tag, pr))
	}
	if len(tp.Added) > 0 {
		p.Needs = append(p.Needs, fmt.Sprintf("type %s: new fields %s start at zero: set them in hooks.go if zero is wrong", tag, strings.Join(tp.Added, ", ")))
	}
	if len(tp.Guesses) > 0 {
		p.Needs = append(p.Needs, fmt.Sprintf("type %s: fields matched by position and type, likely renames: %s", tag, strings.Join(tp.Guesses, "; ")))
	}
	return tp
}

// distinct keeps the first of equal strings, in order.
func distinct(xs []string) []string {
	seen := map[string]bool{}
	out := xs[:0]
	for _, x := range xs {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}
