package classify

import (
	"cmp"
	"path"
	"slices"
	"strings"

	"github.com/upsynth/upsynth/kernel"

	"github.com/upsynth/upsynth/cparse"
)

// An entity removed from one file and added to another in the same commit
// was moved: it becomes one `moved` change in its new file (Detail "from
// OLD"), plus whatever else changed in it — a function's body or
// signature, a global's type or initializer, a macro's value — so the
// class follows what really changed. A file git would show renamed
// (File.RenamedFrom) is one file changed: its entities are compared with
// their old selves in place, so what it kept changes nothing
// (followRenames). A file deleted and one added that git would not pair
// are followed entity by entity: what moved is moved — unless the file
// kept its bytes, or its name and its entities: then it changes none of
// its entities (the same code under another path). When an entity
// removed from one file is added to several, the one file of the same
// kind (module or header) is its new place; removed from several and
// added to as many, each is paired by kind (a header's entity to a
// header, a module's to a module), then by the directories of its paths,
// when that is one to one (pairMoves); removed alike from several and
// added to one, the copies are folded into it (foldCopies).
// Within a file, an entity re-declared inside a namespace is its old self
// under its new name (pairRequalified).

type entityKey struct {
	entity cparse.EntityKind
	name   string
}

type changeAt struct{ file, change int }

// MatchMoves returns files with the entities the commit moved between them
// paired (matchMoves), leaving files as they are. PurposeOf and Commit pair
// them themselves when given files MatchMoves did not return; a caller that
// asks both pairs them once here (with a vendor tree's files it was 3.5 CPU
// seconds of FreeRTOS-Kernel's history each time).
func MatchMoves(files []File) []File {
	out := append([]File(nil), files...)
	matchMoves(out)
	for i := range out {
		out[i].movesMatched = true
	}
	return out
}

// matchMoves rewrites files' change lists, pairing each entity's removals
// with its additions in other files (pairMoves).
// It never writes into the lists it is given: the changed files get new
// ones, so a caller need not copy a commit's changes (a vendor tree's
// deletion has a million) to keep its own.
func matchMoves(files []File) {
	if !slices.ContainsFunc(files, func(f File) bool { return !f.movesMatched }) {
		return // paired by MatchMoves
	}
	followRenames(files)
	dropRenamedUnchanged(files)
	dropStillDeclared(files)
	dropExternStillDeclared(files)
	dropExternOfPublished(files)
	dropDefinitionMovedOut(files)
	dropMemberDefinitionMovedIn(files)
	definePureVirtuals(files)
	pairRequalified(files)
	// Assembly files' global symbols move too (a stub from one .S file
	// to another); a C file's unnamed asm blocks, named by their number
	// in their file, do not.
	source := func(i int) bool {
		kind := kernel.KindOf(files[i].Path)
		return kind == kernel.KindModule || kind == kernel.KindHeader || kind == kernel.KindAsm
	}
	movable := func(c cparse.Change) bool {
		return c.Entity != cparse.EntityAsm || !strings.HasPrefix(c.Name, cparse.UnnamedAsmPrefix)
	}
	// Additions first: a removal is looked at only if its entity was added
	// somewhere, so a commit that deletes thousands of files and adds none
	// builds no index of its removals.
	added := map[entityKey][]changeAt{}
	addedNames := map[string]bool{}
	for i := range files {
		if !source(i) || files[i].DeriveChanges && files[i].Old != nil {
			continue // a file removed whole adds nothing
		}
		changes, _ := files[i].changes()
		for j, c := range changes {
			if c.Change == cparse.ChangeAdded && movable(c) {
				k := entityKey{c.Entity, c.Name}
				added[k] = append(added[k], changeAt{i, j})
				addedNames[c.Name] = true
			}
		}
	}
	if len(added) == 0 {
		return
	}
	removed := map[entityKey][]changeAt{}
	for i := range files {
		f := &files[i]
		if !source(i) || f.DeriveChanges && (f.New != nil || !namesAny(summaryOf(f.Old), addedNames)) {
			continue // a file added whole removes nothing; one removed whole is looked at only if it has a name added somewhere
		}
		changes, _ := f.changes()
		for j, c := range changes {
			if c.Change != cparse.ChangeRemoved {
				continue
			}
			if k := (entityKey{c.Entity, c.Name}); added[k] != nil {
				removed[k] = append(removed[k], changeAt{i, j})
			}
		}
	}
	drop := map[changeAt]bool{}
	movedFrom := map[changeAt]string{}
	extra := map[int][]cparse.Change{}
	affinity := affinities(files, removed, added)
	for k, rs := range removed {
		as := added[k]
		var declarations []changeAt
		if len(rs) == 1 && len(as) > 1 {
			kept := sameKind(files, rs[0], as)
			declarations = declarationsOf(files, k, rs[0], as, kept)
			as = kept
		}
		compared := map[[2]int]bool{} // a pair of files compares the entity once, whatever its alternatives
		moves, absorbed := pairMoves(files, rs, as, affinity)
		var variants []changeAt
		if moves == nil {
			moves, absorbed, variants = foldCopies(files, k, rs, as)
		}
		if moves != nil {
			absorbed = append(absorbed, declarations...)
		}
		for _, at := range absorbed {
			drop[at] = true
		}
		for _, p := range moves {
			from, to := &files[p.from.file], &files[p.to.file]
			drop[p.from] = true
			if onlyPrototypeMoved(k, summaryOf(from.Old), summaryOf(to.New)) {
				drop[p.to] = true
				continue
			}
			movedFrom[p.to] = from.Path
			if files := [2]int{p.from.file, p.to.file}; !compared[files] {
				compared[files] = true
				extra[p.to.file] = append(extra[p.to.file], movedChanges(k, summaryOf(from.Old), summaryOf(to.New))...)
			}
			// Copies that differed from the one definition they became:
			// their configurations see what changed in them.
			for _, v := range variants {
				// A copy folded in compares its old definition with the
				// one it became; a copy spread out, the definition it
				// came from with its own.
				old, new := summaryOf(files[v.file].Old), summaryOf(to.New)
				if slices.Contains(as, v) {
					old, new = summaryOf(from.Old), summaryOf(files[v.file].New)
				}
				for _, c := range movedChanges(k, old, new) {
					if !slices.ContainsFunc(extra[p.to.file], func(e cparse.Change) bool {
						return e.Entity == c.Entity && e.Name == c.Name && e.Change == c.Change
					}) {
						extra[p.to.file] = append(extra[p.to.file], c)
					}
				}
			}
		}
	}
	if len(drop) == 0 {
		return
	}
	// removed is a map, visited in random order: the moved entities'
	// changes are sorted so a commit's changes are the same in every run.
	for i := range extra {
		slices.SortStableFunc(extra[i], func(a, b cparse.Change) int {
			return cmp.Or(cmp.Compare(a.Entity, b.Entity), cmp.Compare(a.Name, b.Name), cmp.Compare(a.Change, b.Change), cmp.Compare(a.Detail, b.Detail))
		})
	}
	touched := map[int]bool{}
	for at := range drop {
		touched[at.file] = true
	}
	for at := range movedFrom {
		touched[at.file] = true
	}
	for i := range files {
		if !touched[i] {
			continue
		}
		changes, _ := files[i].changes()
		kept := make([]cparse.Change, 0, len(changes)+len(extra[i]))
		for j, c := range changes {
			at := changeAt{i, j}
			if drop[at] {
				continue
			}
			if from, ok := movedFrom[at]; ok {
				c.Change, c.Detail = cparse.ChangeMoved, "from "+from
			}
			kept = append(kept, c)
		}
		files[i].Changes, files[i].DeriveChanges = append(kept, extra[i]...), false
	}
}

// onlyPrototypeMoved reports whether a C function's prototype moved
// between files neither of which defines it ("machine: move setIRQTrigger
// into interrupt.h"): a prototype is recorded with its function, no entity
// of its own. A C++ declaration moves with its class or namespace
// (managarm's drm_core::Device methods, declared in a header of their
// own) and is left a move.
func onlyPrototypeMoved(k entityKey, old, new *cparse.Summary) bool {
	return k.entity == cparse.EntityFunction && old != nil && new != nil &&
		old.Lang == cparse.LangC && new.Lang == cparse.LangC &&
		!definitions(old)[k.name] && !definitions(new)[k.name]
}

// namesAny reports whether any entity of s has one of names: a cheap test
// that spares deriving the removals of a file deleted whole when none of
// its entities was added anywhere.
func namesAny(s *cparse.Summary, names map[string]bool) bool {
	if s == nil {
		return false
	}
	for _, f := range s.Functions {
		if names[f.Name] {
			return true
		}
	}
	for _, t := range s.Types {
		if names[t.Name] {
			return true
		}
	}
	for _, t := range s.Typedefs {
		if names[t.Name] {
			return true
		}
	}
	for _, g := range s.Globals {
		if names[g.Name] {
			return true
		}
	}
	for _, m := range s.Macros {
		if names[m.Name] {
			return true
		}
	}
	for _, a := range s.Asm {
		if a.Name == "" || names[a.Name] {
			return true // unnamed blocks are compared by number ("file-scope asm #1")
		}
	}
	return false
}

// followRenames makes each file renamed (File.RenamedFrom) one file
// changed: the added file gets the deleted one's old version and the
// changes from it, so that entities it kept are no change and those it
// changed are changed in place, not moved; the deleted file is left
// holding nothing. A rename whose entities all stayed is marked renamed
// unchanged, as one that kept its bytes is. A rename of one of several
// copies of a file, all deleted, is not followed: the copies are folded.
func followRenames(files []File) {
	if !slices.ContainsFunc(files, func(f File) bool { return f.RenamedFrom != "" }) {
		return // most commits: nothing to index (a vendor tree's has thousands of files)
	}
	deleted := map[string]int{}
	deletedNames := map[string]int{}
	for i, f := range files {
		if f.Old != nil && f.New == nil {
			deleted[f.Path] = i
			deletedNames[path.Base(f.Path)]++
		}
	}
	for i := range files {
		to := &files[i]
		from, ok := deleted[to.RenamedFrom]
		if !ok || to.Old != nil || to.New == nil || files[from].renamedAway {
			continue
		}
		if kernel.KindOf(files[from].Path) != kernel.KindOf(to.Path) {
			continue // a module renamed a header is no longer the same kind of code
		}
		if deletedNames[path.Base(files[from].Path)] > 1 {
			// One of several copies (seL4's ARM and ia32 fastpath.c,
			// both deleted for a common one): git pairs the likeliest,
			// but every copy went into the new file (foldCopies).
			continue
		}
		to.Old = files[from].Old
		files[from] = File{Path: files[from].Path, renamedAway: true, movesMatched: files[from].movesMatched}
		if unreadable(to.Old) != "" || unreadable(to.New) != "" {
			to.Changes, to.DeriveChanges = nil, false
			continue
		}
		changes, err := Diff(summaryOf(to.Old), summaryOf(to.New))
		if err != nil {
			to.New.Unreadable = err.Error()
		}
		to.Changes, to.DeriveChanges = changes, false
		// An assembly file's lines outside every symbol are code too: it
		// is unchanged only with the same tokens.
		old, new := summaryOf(to.Old), summaryOf(to.New)
		to.renamedUnchanged = len(changes) == 0 && (kernel.KindOf(to.Path) != kernel.KindAsm || old != nil && new != nil && old.TokenHash == new.TokenHash)
	}
}

// dropRenamedUnchanged clears the entity changes of a file removed and a
// file added with the same bytes (a rename git would call 100% similar),
// and marks them so: nothing in them changed, assembly files (whose
// changes may be the file itself) included. A file removed and the one
// file of its name added elsewhere — or, failing that, of its name but for
// the extension — whose entities are the same but for an include guard
// (managarm's uhci api.hpp moved into protocols/usb, given a guard and
// #include lines; NOVA's headers renamed from .h to .hpp, their #include
// lines with them) is the same code under another path too.
func dropRenamedUnchanged(files []File) {
	addedBlobs := map[string][]int{}
	addedNames := map[string][]int{}
	addedStems := map[string][]int{}
	for i, f := range files {
		if f.Old == nil && f.New != nil {
			if f.New.Blob != "" {
				addedBlobs[f.New.Blob] = append(addedBlobs[f.New.Blob], i)
			}
			addedNames[path.Base(f.Path)] = append(addedNames[path.Base(f.Path)], i)
			addedStems[fileStem(f.Path)] = append(addedStems[fileStem(f.Path)], i)
		}
	}
	if len(addedNames) == 0 {
		return
	}
	renamed := func(from, to int) {
		files[from].Changes, files[to].Changes = nil, nil
		files[from].DeriveChanges, files[to].DeriveChanges = false, false
		files[from].renamedUnchanged, files[to].renamedUnchanged = true, true
	}
	for i, f := range files {
		if f.New != nil || f.Old == nil {
			continue
		}
		if to := addedBlobs[f.Old.Blob]; f.Old.Blob != "" && len(to) == 1 && !files[to[0]].renamedUnchanged && kernel.KindOf(files[to[0]].Path) == kernel.KindOf(f.Path) {
			renamed(i, to[0])
			continue
		}
		to := addedNames[path.Base(f.Path)]
		if len(to) == 0 {
			to = addedStems[fileStem(f.Path)]
		}
		if len(to) == 1 && !files[to[0]].renamedUnchanged && kernel.KindOf(files[to[0]].Path) == kernel.KindOf(f.Path) && sameButGuard(summaryOf(f.Old), summaryOf(files[to[0]].New)) {
			renamed(i, to[0])
		}
	}
}

// sameButGuard reports whether two summaries define the same entities
// alike, an include guard aside.
func sameButGuard(old, new *cparse.Summary) bool {
	if old == nil || new == nil || old.EntityCount() == 0 {
		return false
	}
	// Counted first: a vendor tree's directory renamed pairs thousands of
	// files of one name whose entities differ, and a Diff of each is a
	// change list as long as the file.
	guards := len(old.Macros) - len(new.Macros) // an include guard added or removed at most
	if len(old.Functions) != len(new.Functions) || len(old.Types) != len(new.Types) || len(old.Typedefs) != len(new.Typedefs) ||
		len(old.Globals) != len(new.Globals) || len(old.Asm) != len(new.Asm) || guards < -1 || guards > 1 {
		return false
	}
	for _, c := range cparse.Diff(old, new) {
		if c.Entity != cparse.EntityMacro || !isIncludeGuard(c.Name) {
			return false
		}
	}
	return true
}

// dropStillDeclared drops a function removed from a header that only
// declared it, or added to a header that only declares it, when another
// file of the commit had the function before and still has it: a
// prototype dropped from one header while another declares it
// ("c_handle_syscall" leaving seL4's kernel/traps.h for its arch traps.h,
// which had it already), or one a header gains for a function another file
// of the commit keeps (xv6's defs.h declaring fetchint, which syscall.c
// went on defining, when syscall.c was split), repeats a signature and
// changes no entity; so does one gained for a routine an assembly file
// defines before and after (seL4's lockTLBEntryCritical, given a prototype
// in armv/machine.h when its neighbour moved from machine_asm.S into C). A
// C prototype that moves to a file that did not have it is paired by
// matchMoves and dropped there (onlyPrototypeMoved). Globals are left
// alone: an extern declaration a header gains or loses publishes or
// withdraws a variable other modules may share (seL4's boot_state,
// managarm's nextAsyncId made static as core.hpp dropped it).
func dropStillDeclared(files []File) {
	var declared map[string]bool // every function and assembly symbol of the commit's new versions, built once it is asked
	for i := range files {
		f := &files[i]
		if f.DeriveChanges || f.Old == nil || f.New == nil || kernel.KindOf(f.Path) != kernel.KindHeader {
			continue // a file added or removed whole, or a module (whose prototypes are its own)
		}
		old, new := summaryOf(f.Old), summaryOf(f.New)
		dropChanges(f, func(c cparse.Change) bool {
			if c.Entity != cparse.EntityFunction {
				return false
			}
			if !(c.Change == cparse.ChangeRemoved && onlyDeclares(old, c.Name)) && !(c.Change == cparse.ChangeAdded && onlyDeclares(new, c.Name)) {
				return false
			}
			if declared == nil {
				declared = map[string]bool{}
				for k := range files {
					if s := summaryOf(files[k].New); s != nil && !files[k].DeriveChanges {
						for _, fn := range s.Functions {
							declared[fn.Name] = true
						}
						for _, a := range s.Asm {
							if a.Name != "" {
								declared[a.Name] = true
							}
						}
					}
				}
			}
			return declaredElsewhere(files, i, c.Name, declared)
		})
	}
}

// definePureVirtuals makes the definition added of a method that the
// commit's old versions declared pure virtual, and defined nowhere, a body
// change: a pure virtual method declared is a function already, with no
// code, and the commit gives it some (managarm's "Merge NormalMapping into
// Mapping", whose eight pure virtual methods took the subclass's code;
// File::readSome given a default definition). Only a changed file's old
// version is looked at: a header added whole declared nothing before.
func definePureVirtuals(files []File) {
	var pure map[string]bool
	for _, f := range files {
		if f.DeriveChanges {
			continue
		}
		old := summaryOf(f.Old)
		if old == nil || old.Lang != cparse.LangCPP {
			continue
		}
		for _, t := range old.Types {
			for _, m := range t.Methods {
				if m.Pure {
					if pure == nil {
						pure = map[string]bool{}
					}
					pure[t.Name+"::"+m.Name] = true
				}
			}
		}
	}
	if pure == nil {
		return
	}
	for _, f := range files {
		if old := summaryOf(f.Old); old != nil {
			for _, fn := range old.Functions {
				if fn.Definition {
					delete(pure, fn.Name) // defined before: its definition's own comparison says what changed
				}
			}
		}
	}
	for i := range files {
		f := &files[i]
		if f.DeriveChanges && f.Old != nil || !slices.ContainsFunc(summaryFunctions(f), func(fn cparse.Function) bool { return pure[fn.Name] && fn.Definition }) {
			continue // a file removed whole defines nothing new
		}
		if !f.deriveChanges() {
			continue
		}
		var changes []cparse.Change
		for j, c := range f.Changes {
			if c.Entity == cparse.EntityFunction && c.Change == cparse.ChangeAdded && pure[c.Name] {
				if changes == nil {
					changes = slices.Clone(f.Changes) // never written into: the list may be the caller's
				}
				changes[j].Change, changes[j].Detail = cparse.ChangeBody, detailPureVirtualDefined
			}
		}
		if changes != nil {
			f.Changes = changes
		}
	}
}

// detailPureVirtualDefined marks the body change of a pure virtual method
// given a definition (definePureVirtuals).
const detailPureVirtualDefined = "defined; was pure virtual"

// summaryFunctions is the functions of f's new version, none when it has
// none.
func summaryFunctions(f *File) []cparse.Function {
	if s := summaryOf(f.New); s != nil {
		return s.Functions
	}
	return nil
}

// dropDefinitionMovedOut drops a function's definition removed from a
// file that still declares it, when another file of the commit defined
// the function before and defines it after: the inline body went out of
// the class into the file that defines the function, whose own
// comparison reports how it changed (NOVA's "x86: Modernized OBJ space."
// replaced space_obj.hpp's inline lookup by a declaration, the one
// defined in space_obj.cpp taking its place). Only C++ does so: a C
// static inline function whose definition leaves a header for another
// header that defines it under other conditions moved there (seL4's
// x86_write_gs_base_impl into each mode's machine.h), and is paired as
// moved.
func dropDefinitionMovedOut(files []File) {
	for i := range files {
		f := &files[i]
		if f.DeriveChanges || f.Old == nil || f.New == nil {
			continue
		}
		if s := summaryOf(f.New); s == nil || s.Lang != cparse.LangCPP {
			continue
		}
		dropChanges(f, func(c cparse.Change) bool {
			return c.Entity == cparse.EntityFunction && c.Change == cparse.ChangeRemoved && c.Detail == cparse.DetailDefinitionRemoved &&
				definedElsewhere(files, i, c.Name)
		})
	}
}

// dropExternStillDeclared drops a global's extern declaration removed
// from a header, or added to one, when another header of the commit
// declares the global in both its versions: a repeated declaration came or
// went, and the global is published as it was (seL4's
// benchmark_log_utilisation_enabled, whose declaration left a deleted
// header with handleOverflowIRQ while benchmark_utilisation.h kept one). A
// header deleted or added whole counts, unlike for prototypes: its
// declarations are what moved. A declaration gained while only a module
// defines the global stays added: it publishes the variable to other
// modules.
func dropExternStillDeclared(files []File) {
	// kept: the globals some header of the commit has in both versions.
	// Files added or removed whole are skipped in building it, and looked
	// at only when it names something: a vendor tree's deletion derives no
	// change list here.
	var kept map[string]bool
	for _, f := range files {
		if f.DeriveChanges || kernel.KindOf(f.Path) != kernel.KindHeader {
			continue
		}
		old, new := summaryOf(f.Old), summaryOf(f.New)
		if old == nil || new == nil {
			continue
		}
		for _, g := range new.Globals {
			if slices.ContainsFunc(old.Globals, func(o cparse.Global) bool { return o.Name == g.Name }) {
				if kept == nil {
					kept = map[string]bool{}
				}
				kept[g.Name] = true
			}
		}
	}
	if kept == nil {
		return
	}
	for i := range files {
		f := &files[i]
		if kernel.KindOf(f.Path) != kernel.KindHeader {
			continue
		}
		if f.DeriveChanges {
			whole := summaryOf(f.Old)
			if whole == nil {
				whole = summaryOf(f.New)
			}
			if whole == nil || !slices.ContainsFunc(whole.Globals, func(g cparse.Global) bool { return kept[g.Name] && onlyExtern(whole, g.Name) }) {
				continue
			}
		}
		if !f.deriveChanges() {
			continue // left for the classifier, which records why
		}
		dropChanges(f, func(c cparse.Change) bool {
			return c.Entity == cparse.EntityGlobal && kept[c.Name] &&
				(c.Change == cparse.ChangeRemoved && onlyExtern(summaryOf(f.Old), c.Name) || c.Change == cparse.ChangeAdded && onlyExtern(summaryOf(f.New), c.Name))
		})
	}
}

// dropExternOfPublished drops a global's extern declaration added to a
// file when the commit makes the global non-static where it is defined:
// the declaration is how the variable, private before, is published, and
// the definition's type change already says so (xv6's picirq.c making
// irq_mask_8259A non-static as defs.h declares it; vm.c's kpgdir, declared
// in main.c). The converse — made static while a header drops its
// declaration — stays a removal too: modules that used the variable lose
// it (managarm's nextAsyncId).
func dropExternOfPublished(files []File) {
	var published map[string]bool
	for i := range files {
		f := &files[i]
		if f.DeriveChanges {
			continue // a file added or removed whole changes no global's linkage
		}
		changes, _ := f.changes()
		for _, c := range changes {
			if cparse.MadeNonStatic(c) {
				if published == nil {
					published = map[string]bool{}
				}
				published[c.Name] = true
			}
		}
	}
	if published == nil {
		return
	}
	for i := range files {
		f := &files[i]
		new := summaryOf(f.New)
		if new == nil || !slices.ContainsFunc(new.Globals, func(g cparse.Global) bool { return published[g.Name] && g.Extern }) {
			continue
		}
		if !f.deriveChanges() {
			continue // left for the classifier, which records why
		}
		dropChanges(f, func(c cparse.Change) bool {
			return c.Entity == cparse.EntityGlobal && c.Change == cparse.ChangeAdded && published[c.Name] && onlyExtern(new, c.Name)
		})
	}
}

// deriveChanges stores a file's change list in it when it was left to be
// derived (a file added or removed whole), so that a pass can drop
// changes from it; false when the comparison failed.
func (f *File) deriveChanges() bool {
	if !f.DeriveChanges {
		return true
	}
	changes, err := f.changes()
	if err != nil {
		return false
	}
	f.Changes, f.DeriveChanges = changes, false
	return true
}

// onlyExtern reports whether s has the global name, and only as extern
// declarations.
func onlyExtern(s *cparse.Summary, name string) bool {
	found := false
	if s == nil {
		return false
	}
	for _, g := range s.Globals {
		if g.Name == name {
			if !g.Extern {
				return false
			}
			found = true
		}
	}
	return found
}

// dropMemberDefinitionMovedIn drops a class's static data member removed
// from a file when another file of the commit has the member in both its
// versions: its out-of-line definition went into the class, which defines
// it inline now, and that file's comparison reports how it changed (NOVA's
// "x86: Modernized command line." gave Cmdline's flags initializers in the
// class body and dropped their definitions from cmdline.cpp). A C global
// whose definition goes while a header's extern declaration stays is
// removed: only a C++ member is looked at.
func dropMemberDefinitionMovedIn(files []File) {
	for i := range files {
		f := &files[i]
		if f.DeriveChanges || f.Old == nil {
			continue
		}
		if s := summaryOf(f.Old); s == nil || s.Lang != cparse.LangCPP {
			continue
		}
		dropChanges(f, func(c cparse.Change) bool {
			return c.Entity == cparse.EntityGlobal && c.Change == cparse.ChangeRemoved && strings.Contains(c.Name, "::") &&
				!onlyExtern(summaryOf(f.Old), c.Name) && memberDefinedElsewhere(files, i, c.Name)
		})
	}
}

// memberDefinedElsewhere reports whether a header of the commit other
// than files[self] has the global name in both its versions, and defines
// it (not extern) in its new one: a namespace's global whose definition
// goes while a header's extern declaration stays is removed, and so is an
// extern declaration a source file drops.
func memberDefinedElsewhere(files []File, self int, name string) bool {
	has := func(s *cparse.Summary, definition bool) bool {
		return s != nil && slices.ContainsFunc(s.Globals, func(g cparse.Global) bool { return g.Name == name && (!definition || !g.Extern) })
	}
	for k := range files {
		if k != self && !files[k].DeriveChanges && kernel.KindOf(files[k].Path) == kernel.KindHeader &&
			has(summaryOf(files[k].Old), false) && has(summaryOf(files[k].New), true) {
			return true
		}
	}
	return false
}

// dropChanges gives f a new change list without the changes drop says to
// leave out, when it says so of any; drop is asked once of each change.
// The caller's list is never written into.
func dropChanges(f *File, drop func(c cparse.Change) bool) {
	j := slices.IndexFunc(f.Changes, drop)
	if j < 0 {
		return
	}
	kept := make([]cparse.Change, j, len(f.Changes)-1)
	copy(kept, f.Changes[:j])
	for _, c := range f.Changes[j+1:] {
		if !drop(c) {
			kept = append(kept, c)
		}
	}
	f.Changes = kept
}

// definedElsewhere reports whether a file of the commit other than
// files[self] defines the function name in both its versions.
func definedElsewhere(files []File, self int, name string) bool {
	defines := func(s *cparse.Summary) bool {
		return s != nil && slices.ContainsFunc(s.Functions, func(fn cparse.Function) bool { return fn.Name == name && fn.Definition })
	}
	for k := range files {
		if k != self && !files[k].DeriveChanges && defines(summaryOf(files[k].Old)) && defines(summaryOf(files[k].New)) {
			return true
		}
	}
	return false
}

// onlyDeclares reports whether s has name as a function, declared and
// never defined.
func onlyDeclares(s *cparse.Summary, name string) bool {
	found := false
	if s == nil {
		return false
	}
	for _, fn := range s.Functions {
		if fn.Name == name {
			if fn.Definition {
				return false
			}
			found = true
		}
	}
	return found
}

// declaredElsewhere reports whether a file of the commit other than
// files[self] had the function or assembly routine name and still has it
// (one that gains it is where a moved prototype went). declared, every
// such name of the new versions, spares the search when none has it.
func declaredElsewhere(files []File, self int, name string, declared map[string]bool) bool {
	if !declared[name] {
		return false
	}
	for k := range files {
		if k == self || files[k].DeriveChanges {
			continue
		}
		if hasRoutine(summaryOf(files[k].Old), name) && hasRoutine(summaryOf(files[k].New), name) {
			return true
		}
	}
	return false
}

// hasRoutine reports whether s has a function name, declared or defined,
// or an assembly file's global symbol of that name.
func hasRoutine(s *cparse.Summary, name string) bool {
	return s != nil && (slices.ContainsFunc(s.Functions, func(fn cparse.Function) bool { return fn.Name == name }) ||
		slices.ContainsFunc(s.Asm, func(a cparse.Asm) bool { return a.Name == name }))
}

// A move pairs an entity's removal with its addition elsewhere.
type move struct{ from, to changeAt }

// pairMoves pairs the removals of one entity with its additions, file
// with file: one file with one; else, on the side with fewer files, each
// with the file of the other side whose path shares most directory names
// with it (sharedDirectories), when no two share it and no tie makes it a
// guess (a function defined alike in each architecture's header, moved to
// another header of each: seL4's armv_handleOverflowIRQ from
// armv7-a/armv/benchmark_irqHandler.h to armv7-a/armv/benchmark.h, and so
// for armv6, while armv8-a gains its first). Files the directories tie
// are told apart by what moved between them (affinity): seL4's platform
// timers, each platform's initTimer, timer and register macros moved from
// its plat/NAME/machine/hardware.c to drivers/timer/NAME-timer.c, each
// such pair of files sharing more definitions kept alike than any other. In a pair of files the
// entity's definitions pair in order (a macro's alternatives under #if),
// and the definitions one side has more of are absorbed: the comparison
// of the pair reports them as alternatives added or removed (seL4's
// CNT_CTL, defined under two conditions in mct.c, moved to timer.h with
// one). Anything less clear pairs nothing.
func pairMoves(files []File, rs, as []changeAt, affinity func(from, to int) int) (moves []move, absorbed []changeAt) {
	removedIn, addedIn := byFile(rs), byFile(as)
	if len(removedIn) == 0 || len(addedIn) == 0 {
		return nil, nil
	}
	pair := func(from, to []changeAt) {
		n := min(len(from), len(to))
		for i := range n {
			moves = append(moves, move{from[i], to[i]})
		}
		absorbed = append(absorbed, from[n:]...)
		absorbed = append(absorbed, to[n:]...)
	}
	if len(removedIn) == 1 && len(addedIn) == 1 {
		if removedIn[0][0].file == addedIn[0][0].file {
			return nil, nil
		}
		pair(removedIn[0], addedIn[0])
		return moves, absorbed
	}
	few, many := removedIn, addedIn
	if len(removedIn) > len(addedIn) {
		few, many = addedIn, removedIn
	}
	taken := map[int]bool{}
	for _, f := range few {
		var tied []int
		bestScore := -1
		for i, m := range many {
			// A header's entity moves to a header, a module's to a module
			// (a class's methods declared in one and defined in the other
			// move as a pair), before directories are weighed.
			score := sharedDirectories(files[f[0].file].Path, files[m[0].file].Path)
			if kernel.KindOf(files[f[0].file].Path) == kernel.KindOf(files[m[0].file].Path) {
				score += sameKindScore
			}
			switch {
			case score > bestScore:
				tied, bestScore = append(tied[:0], i), score
			case score == bestScore:
				tied = append(tied, i)
			}
		}
		best, tie := -1, len(tied) > 1
		if len(tied) > 0 {
			best = tied[0]
		}
		if tie && len(few) > 1 && len(many) <= maxTiedFiles { // one file against several: foldCopies' case
			best, tie = mostAlike(f[0].file, many, tied, len(removedIn) > len(addedIn), affinity)
		}
		if best < 0 || tie || taken[best] || many[best][0].file == f[0].file {
			return nil, nil
		}
		taken[best] = true
		if len(removedIn) > len(addedIn) {
			pair(many[best], f)
		} else {
			pair(f, many[best])
		}
	}
	return moves, absorbed
}

// sameKindScore outweighs any count of shared directories.
const sameKindScore = 1 << 20

// maxTiedFiles bounds the files whose directories tie that pairMoves tells
// apart by their contents: a platform's worth (each affinity compares the
// entities of a pair of files), not a vendor tree's demos.
const maxTiedFiles = 8

// mostAlike is the one of the tied files of many that most definitions
// moved to or from file f unchanged, and tie when no single one did.
// manyRemoved says which side many is.
func mostAlike(f int, many [][]changeAt, tied []int, manyRemoved bool, affinity func(from, to int) int) (best int, tie bool) {
	best, bestAffinity := -1, 0
	for _, i := range tied {
		from, to := many[i][0].file, f
		if !manyRemoved {
			from, to = f, many[i][0].file
		}
		switch a := affinity(from, to); {
		case a > bestAffinity:
			best, bestAffinity, tie = i, a, false
		case a == bestAffinity && a > 0:
			tie = true
		}
	}
	if best < 0 {
		return -1, true
	}
	return best, tie
}

// affinities returns the affinity of a file an entity was removed from to
// one an entity was added to: how many of the entities removed from the
// first and added to the second are defined alike in both. Each pair of
// files is compared once, when pairMoves first asks.
func affinities(files []File, removed, added map[entityKey][]changeAt) func(from, to int) int {
	removedFrom := map[int][]entityKey{}
	for k, rs := range removed {
		for _, at := range rs {
			if keys := removedFrom[at.file]; len(keys) == 0 || keys[len(keys)-1] != k {
				removedFrom[at.file] = append(keys, k)
			}
		}
	}
	known := map[[2]int]int{}
	return func(from, to int) int {
		if n, ok := known[[2]int{from, to}]; ok {
			return n
		}
		old, new := summaryOf(files[from].Old), summaryOf(files[to].New)
		n := 0
		if old != nil && new != nil {
			for _, k := range removedFrom[from] {
				if slices.ContainsFunc(added[k], func(at changeAt) bool { return at.file == to }) && len(cparse.Diff(only(old, k), only(new, k))) == 0 {
					n++
				}
			}
		}
		known[[2]int{from, to}] = n
		return n
	}
}

// foldCopies reads an entity removed from several files and added to one
// other as those copies folded into one: alike (seL4's initTimer, defined
// the same in seven platforms' hardware.c, moved to one generic_timer.c),
// or differing when every copy's file has the added file's name but for its
// extension (seL4's fastpath_call, in ARM's and ia32's fastpath.c, moved to
// a common fastpath.c: one architecture's version of a file made the
// generic one). The addition is a move from the copy nearest it (the first
// of those alike), compared with it, and the other copies' removals are
// absorbed, the entity still being defined. Copies that differ fold too,
// in files of any names, when every file that had one stays and the file
// the definition goes to was there before (maxDeduplicatedCopies). The
// other way round, an entity removed from one file and added to several
// of that file's name (seL4's enableFpu, from the generic machine/fpu.h
// back to each architecture's fpu.h) is spread into copies: a move to the
// copy nearest it, the other additions absorbed. It returns nothing
// otherwise: differing definitions of one name in files of other names,
// some deleted whole, are not one entity, unless the added one is exactly
// one of them (maxUnifiedCopies); then the changes of the copies that
// differed from it are its changes too, their platforms seeing them.
func foldCopies(files []File, k entityKey, rs, as []changeAt) (moves []move, absorbed, variants []changeAt) {
	// An entity with alternatives under #if (seL4's PPTR_TOP, one
	// definition per configuration) is a change per alternative: a file
	// is one copy, its first change standing for the others.
	rs, otherRemovals := firstPerFile(rs)
	as, otherAdditions := firstPerFile(as)
	moves, absorbed, variants = foldFirstCopies(files, k, rs, as)
	if moves != nil {
		absorbed = append(append(absorbed, otherRemovals...), otherAdditions...)
	}
	return moves, absorbed, variants
}

// firstPerFile returns the first of ats in each file, and the others.
func firstPerFile(ats []changeAt) (first, others []changeAt) {
	seen := map[int]bool{}
	for _, at := range ats {
		if seen[at.file] {
			others = append(others, at)
			continue
		}
		seen[at.file] = true
		first = append(first, at)
	}
	return first, others
}

// foldFirstCopies is foldCopies over one change per file.
func foldFirstCopies(files []File, k entityKey, rs, as []changeAt) (moves []move, absorbed, variants []changeAt) {
	var prototypes []changeAt
	removedIn, addedIn := byFile(rs), byFile(as)
	if len(removedIn) == 1 && len(addedIn) >= 2 {
		return spreadCopies(files, k, removedIn[0], addedIn)
	}
	if len(removedIn) >= 2 && len(addedIn) >= 2 {
		// Copies folded into a module whose header now declares the
		// entity (seL4's create_untypeds, from three architectures'
		// boot.c to the generic one, declared in boot.h): the
		// definition is the addition the copies fold into.
		ofCopiesKind := ofKind(files, kindOfAll(files, rs), as)
		for _, a := range as {
			if !slices.Contains(ofCopiesKind, a) && k.entity == cparse.EntityFunction && !definitions(summaryOf(files[a.file].New))[k.name] {
				prototypes = append(prototypes, a) // recorded with the move
			}
		}
		as, addedIn = ofCopiesKind, byFile(ofCopiesKind)
	}
	if len(addedIn) != 1 || len(addedIn[0]) != 1 || len(removedIn) < 2 {
		return nil, nil, nil
	}
	stem := fileStem(files[as[0].file].Path)
	defs := make([]*cparse.Summary, len(removedIn))
	alike, sameStem := true, true
	for g, group := range removedIn {
		if len(group) != 1 || group[0].file == as[0].file {
			return nil, nil, nil
		}
		old := summaryOf(files[group[0].file].Old)
		if old == nil {
			return nil, nil, nil
		}
		defs[g] = only(old, k)
		sameStem = sameStem && fileStem(files[group[0].file].Path) == stem
		if g > 0 && alike && len(cparse.Diff(defs[0], defs[g])) > 0 {
			alike = false
		}
	}
	from := 0
	if !alike {
		added := summaryOf(files[as[0].file].New)
		if added == nil {
			return nil, nil, nil
		}
		added = only(added, k)
		nearestDistance := -1
		distances := make([]int, len(defs))
		for g, def := range defs {
			distances[g] = len(cparse.Diff(def, added))
			if d := distances[g]; nearestDistance < 0 || d < nearestDistance {
				from, nearestDistance = g, d
			}
		}
		architectures := sameStem && len(removedIn) <= maxArchitectureCopies
		unified := nearestDistance == 0 && len(removedIn) <= maxUnifiedCopies
		deduplicated := len(removedIn) <= maxDeduplicatedCopies && files[as[0].file].Old != nil && !slices.ContainsFunc(removedIn, func(group []changeAt) bool {
			return files[group[0].file].New == nil
		})
		if !architectures && !unified && !deduplicated {
			return nil, nil, nil // not copies of one definition
		}
		if !architectures && unified {
			// One platform's definition made the common one: the
			// platforms whose copy differed see what changed in it.
			// (One architecture's file made the generic one keeps its
			// own comparison: the others' copies were theirs alone.)
			for g, group := range removedIn {
				if distances[g] > 0 {
					variants = append(variants, group[0])
				}
			}
		}
	}
	for g, group := range removedIn {
		if g != from {
			absorbed = append(absorbed, group[0])
		}
	}
	return []move{{removedIn[from][0], as[0]}}, append(absorbed, prototypes...), variants
}

// maxUnifiedCopies bounds the differing copies of one definition, in files
// of any names, that fold into one added elsewhere exactly as one of them
// was: a platform's definition made the common one (seL4's enum
// irqNumbers, in six platforms' machine.h, moved to gic_pl390.h with
// exynos's value, hikey's and tk1's changing).
const maxUnifiedCopies = 8

// maxDeduplicatedCopies bounds the differing copies of one definition that
// fold into one when every file that had a copy stays and the file that
// gains the definition was there before: the duplication removed into a
// common place (seL4's map_kernel_devices, taken out of thirteen
// platforms' hardware.c into ARM's one). A platform deleted whole is no
// such copy: its files go.
const maxDeduplicatedCopies = 16

// maxArchitectureCopies bounds the copies of one definition that fold into
// one or spread from one while they differ: one per architecture of a
// kernel (seL4's ARM 32, ARM 64 and x86 fpu.h). A macro added to a hundred
// vendor demos' FreeRTOSConfig.h is a hundred additions, not copies.
const maxArchitectureCopies = 4

// spreadCopies reads an entity removed from one file and added to several
// files of that file's name but for their directories and extensions as
// its definition spread into copies (foldCopies).
func spreadCopies(files []File, k entityKey, removed []changeAt, addedIn [][]changeAt) (moves []move, absorbed, variants []changeAt) {
	if len(removed) != 1 || len(addedIn) > maxArchitectureCopies {
		return nil, nil, nil
	}
	stem := fileStem(files[removed[0].file].Path)
	for _, group := range addedIn {
		if len(group) != 1 || group[0].file == removed[0].file || summaryOf(files[group[0].file].New) == nil || fileStem(files[group[0].file].Path) != stem {
			return nil, nil, nil
		}
	}
	old := summaryOf(files[removed[0].file].Old)
	if old == nil {
		return nil, nil, nil
	}
	def := only(old, k)
	nearest, nearestDistance := -1, 0
	distances := make([]int, len(addedIn))
	for g, group := range addedIn {
		distances[g] = len(cparse.Diff(def, only(summaryOf(files[group[0].file].New), k)))
		if d := distances[g]; nearest < 0 || d < nearestDistance {
			nearest, nearestDistance = g, d
		}
	}
	for g, group := range addedIn {
		if g != nearest {
			absorbed = append(absorbed, group[0])
			if distances[g] > 0 {
				// A copy given a definition of its own (seL4's
				// kernelBase, another value in the new 32-bit header):
				// its configurations see the entity changed.
				variants = append(variants, group[0])
			}
		}
	}
	return []move{{removed[0], addedIn[nearest][0]}}, absorbed, variants
}

// fileStem is a path's base name without its extension: "fastpath" for
// src/arch/arm/fastpath/fastpath.c and include/fastpath/fastpath.h.
func fileStem(p string) string {
	base := path.Base(p)
	return strings.TrimSuffix(base, path.Ext(base))
}

// byFile groups changes by their file, in the order the files come.
func byFile(ats []changeAt) [][]changeAt {
	var groups [][]changeAt
	index := map[int]int{}
	for _, at := range ats {
		i, ok := index[at.file]
		if !ok {
			i = len(groups)
			index[at.file] = i
			groups = append(groups, nil)
		}
		groups[i] = append(groups[i], at)
	}
	return groups
}

// sharedDirectories is the number of directory names two paths have in
// common, wherever they stand: seL4's src/arch/arm/armv/armv8-a/64 and
// include/arch/arm/armv/armv8-a/64/armv share five (an architecture's
// source and header trees), where a prefix shares none.
func sharedDirectories(a, b string) int {
	in := map[string]bool{}
	for _, d := range strings.Split(path.Dir(a), "/") {
		in[d] = true
	}
	n := 0
	for _, d := range strings.Split(path.Dir(b), "/") {
		if in[d] {
			n++
			delete(in, d)
		}
	}
	return n
}

// sameKind keeps the additions in a file of the removal's kind, when
// there is exactly one.
func sameKind(files []File, r changeAt, as []changeAt) []changeAt {
	if out := ofKind(files, kernel.KindOf(files[r.file].Path), as); len(out) == 1 {
		return out
	}
	return as
}

// declarationsOf returns the additions of as, left out of kept, that only
// declare a function whose definition r removes: headers that declare it
// where its definition moves (managarm's serveRequests, from main.cpp to
// requests.cpp, declared in a new requests.hpp). Recorded with the move,
// they are no entity of their own.
func declarationsOf(files []File, k entityKey, r changeAt, as, kept []changeAt) []changeAt {
	if k.entity != cparse.EntityFunction || kernel.KindOf(files[r.file].Path) != kernel.KindModule {
		return nil
	}
	var out []changeAt
	for _, a := range as {
		if !slices.Contains(kept, a) && kernel.KindOf(files[a.file].Path) == kernel.KindHeader && !definitions(summaryOf(files[a.file].New))[k.name] {
			out = append(out, a)
		}
	}
	return out
}

// ofKind returns the changes of as in files of kind, none when kind is
// kernel.KindOther.
func ofKind(files []File, kind kernel.Kind, as []changeAt) []changeAt {
	var out []changeAt
	for _, a := range as {
		if kind != kernel.KindOther && kernel.KindOf(files[a.file].Path) == kind {
			out = append(out, a)
		}
	}
	return out
}

// kindOfAll is the kind of the files of ats when they share one, else
// kernel.KindOther.
func kindOfAll(files []File, ats []changeAt) kernel.Kind {
	kind := kernel.KindOther
	for i, at := range ats {
		k := kernel.KindOf(files[at.file].Path)
		if i > 0 && k != kind {
			return kernel.KindOther
		}
		kind = k
	}
	return kind
}

// movedChanges compares a moved entity with its old self: each side cut
// down to that entity and diffed, so a moved type's layout or a moved
// function's body is compared as if it had stayed.
func movedChanges(k entityKey, old, new *cparse.Summary) []cparse.Change {
	if old == nil || new == nil {
		return nil
	}
	o, n := only(old, k), only(new, k)
	takeClassSpecifiers(o, n)
	var out []cparse.Change
	for _, c := range cparse.Diff(o, n) {
		if c.Name != k.name || c.Change == cparse.ChangeAdded || c.Change == cparse.ChangeRemoved {
			continue
		}
		if c.Detail == cparse.DetailConditionChanged {
			continue // another file's conditionals: the move says it
		}
		if c.Detail != "" {
			c.Detail = "moved, and " + c.Detail
		} else {
			c.Detail = "moved, and its " + string(c.Change) + " changed"
		}
		out = append(out, c)
	}
	return out
}

// takeClassSpecifiers gives a method that moved out of its class body
// (managarm's Device::read, from main.cpp's class to device.cpp, declared
// in device.hpp) the specifiers its in-class definition had: an
// out-of-line definition cannot say virtual or static, and is inline no
// more only by where it stands; its class's declaration still says them.
func takeClassSpecifiers(old, new *cparse.Summary) {
	for i := range new.Functions {
		n := &new.Functions[i]
		if n.Access != "" || !n.Definition {
			continue // in a class body, or only declared
		}
		for _, o := range old.Functions {
			if o.Access != "" && o.Definition && o.Signature == n.Signature {
				n.Virtual, n.Override, n.Static, n.Inline = o.Virtual, o.Override, o.Static, o.Inline
				break
			}
		}
	}
}

// only is s cut down to the entity k.
func only(s *cparse.Summary, k entityKey) *cparse.Summary {
	o := &cparse.Summary{Path: s.Path, Lang: s.Lang, Header: s.Header, Engine: s.Engine}
	switch k.entity {
	case cparse.EntityFunction:
		for _, f := range s.Functions {
			if f.Name == k.name {
				o.Functions = append(o.Functions, f)
			}
		}
	case cparse.EntityType:
		for _, t := range s.Types {
			if t.Name == k.name {
				o.Types = append(o.Types, t)
			}
		}
		for _, t := range s.Typedefs {
			if t.Name == k.name {
				o.Typedefs = append(o.Typedefs, t)
			}
		}
	case cparse.EntityGlobal:
		for _, g := range s.Globals {
			if g.Name == k.name {
				o.Globals = append(o.Globals, g)
			}
		}
	case cparse.EntityMacro:
		for _, m := range s.Macros {
			if m.Name == k.name {
				o.Macros = append(o.Macros, m)
			}
		}
	case cparse.EntityAsm:
		for _, a := range s.Asm {
			if a.Name == k.name {
				o.Asm = append(o.Asm, a)
			}
		}
	}
	return o
}

// pairRequalified pairs, within each file, an entity removed under one
// name and added under the same name inside a namespace: managarm's VFS
// wrapped in `namespace extern_fs` turned
// "Entry::getName" into "extern_fs::Entry::getName". It is the same
// entity, compared with its old self under its new name (Detail "was
// OLD"), not one removed and another added; unchanged, it changes nothing.
// A name that could pair with several is left alone.
func pairRequalified(files []File) {
	for i := range files {
		f := &files[i]
		if f.Old == nil || f.New == nil || !kernel.IsSource(f.Path) {
			continue
		}
		changes, err := f.changes()
		if err != nil {
			continue
		}
		removed, added := map[entityKey][]int{}, map[entityKey][]int{}
		qualified := false
		for j, c := range changes {
			if !requalifiable(c.Entity) {
				continue
			}
			switch c.Change {
			case cparse.ChangeRemoved:
				removed[entityKey{c.Entity, c.Name}] = append(removed[entityKey{c.Entity, c.Name}], j)
			case cparse.ChangeAdded:
				added[entityKey{c.Entity, c.Name}] = append(added[entityKey{c.Entity, c.Name}], j)
			default:
				continue
			}
			qualified = qualified || strings.Contains(c.Name, "::")
		}
		if len(removed) == 0 || len(added) == 0 || !qualified {
			continue
		}
		// An added name is looked up under its shorter selves among the
		// removed: "a::b::f" under "b::f", then "f".
		partner := func(k entityKey, other map[entityKey][]int) (entityKey, bool) {
			for name := k.name; ; {
				_, rest, ok := strings.Cut(name, "::")
				if !ok {
					return entityKey{}, false
				}
				name = rest
				if len(other[entityKey{k.entity, name}]) == 1 {
					return entityKey{k.entity, name}, true
				}
			}
		}
		type pair struct{ from, to entityKey }
		// The names met once, sorted, so that the same commit pairs the
		// same way every run.
		keys := func(m map[entityKey][]int) []entityKey {
			out := make([]entityKey, 0, len(m))
			for k, at := range m {
				if len(at) == 1 {
					out = append(out, k)
				}
			}
			slices.SortFunc(out, func(a, b entityKey) int { return cmp.Or(cmp.Compare(a.entity, b.entity), cmp.Compare(a.name, b.name)) })
			return out
		}
		var candidates []pair
		claims := map[entityKey]int{}
		for _, k := range keys(added) {
			if r, ok := partner(k, removed); ok && !namesType(files, strings.TrimSuffix(k.name, "::"+r.name)) {
				candidates = append(candidates, pair{r, k})
				claims[r]++
				claims[k]++
			}
		}
		var pairs []pair
		for _, p := range candidates {
			if claims[p.from] == 1 && claims[p.to] == 1 {
				pairs = append(pairs, p)
			}
		}
		if len(pairs) == 0 {
			continue
		}
		if slices.ContainsFunc(pairs, func(p pair) bool {
			return fileLocal(summaryOf(f.Old), p.from) && !fileLocal(summaryOf(f.New), p.to)
		}) {
			// An anonymous namespace made a named one (managarm's
			// socket.cpp into un_socket): its entities get another
			// linkage with their names, each the old removed and a new
			// one added, as a namespace renamed.
			continue
		}
		slices.SortFunc(pairs, func(a, b pair) int { return cmp.Compare(a.to.name, b.to.name) })
		drop := map[int]bool{}
		var compared []cparse.Change
		for _, p := range pairs {
			drop[removed[p.from][0]], drop[added[p.to][0]] = true, true
			old := only(summaryOf(f.Old), p.from)
			renameEntity(old, p.to.name)
			for _, c := range cparse.Diff(old, only(summaryOf(f.New), p.to)) {
				if c.Name != p.to.name || c.Change == cparse.ChangeAdded || c.Change == cparse.ChangeRemoved {
					continue
				}
				c.Detail = strings.TrimSuffix("was "+p.from.name+"; "+c.Detail, "; ")
				compared = append(compared, c)
			}
		}
		kept := make([]cparse.Change, 0, len(changes))
		for j, c := range changes {
			if !drop[j] {
				kept = append(kept, c)
			}
		}
		f.Changes, f.DeriveChanges = append(kept, compared...), false
	}
}

// fileLocal reports whether a summary's function or global of the key is
// local to its file (static, or in an anonymous namespace).
func fileLocal(s *cparse.Summary, k entityKey) bool {
	if s == nil {
		return false
	}
	switch k.entity {
	case cparse.EntityFunction:
		return slices.ContainsFunc(s.Functions, func(f cparse.Function) bool { return f.Name == k.name && f.Static })
	case cparse.EntityGlobal:
		return slices.ContainsFunc(s.Globals, func(g cparse.Global) bool { return g.Name == k.name && g.Static })
	}
	return false
}

// namesType reports whether a file of the commit, old or new, defines a
// type of the name (a class is declared in a header, its methods defined
// in a module): an entity that went into a class (NOVA's Slab into
// Slab_cache) is another entity, one that went into a namespace the same.
func namesType(files []File, name string) bool {
	for i := range files {
		for _, s := range []*cparse.Summary{summaryOf(files[i].Old), summaryOf(files[i].New)} {
			if s == nil {
				continue
			}
			for _, t := range s.Types {
				if t.Name == name || strings.HasSuffix(t.Name, "::"+name) {
					return true
				}
			}
		}
	}
	return false
}

// requalifiable: the kinds of entity a namespace or class can hold.
func requalifiable(e cparse.EntityKind) bool {
	return e == cparse.EntityFunction || e == cparse.EntityType || e == cparse.EntityGlobal
}

// renameEntity gives the one entity a summary cut down by only another
// name, so that it compares with its namesake.
func renameEntity(s *cparse.Summary, name string) {
	for i := range s.Functions {
		s.Functions[i].Name = name
	}
	for i := range s.Types {
		s.Types[i].Name = name
	}
	for i := range s.Typedefs {
		s.Typedefs[i].Name = name
	}
	for i := range s.Globals {
		s.Globals[i].Name = name
	}
}
