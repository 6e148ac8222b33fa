// Package classify decides, per docs/classification.md, which dynamic-update mechanism
// each change of a commit needs (its class), which hazards it carries and
// why, and what the commit's purpose is from its message. It works on
// already-diffed summaries and asks cross-module questions of a Facts
// oracle (the whole-tree index); it reads no git objects and no database.
package classify

import (
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/upsynth/upsynth/class"
	"github.com/upsynth/upsynth/cparse"
	"github.com/upsynth/upsynth/kernel"
)

// Class is the weakest mechanism that can apply a change (package class
// owns the vocabulary and its order).
type Class = class.Class

// The classes, as the classifier names them.
const (
	None        = class.None
	Code        = class.Code
	State       = class.State
	Interface   = class.Interface
	Unsupported = class.Unsupported
)

// Hazard flags something about a change a person applying it must know.
type Hazard string

// JoinHazards is hazards as one string, separated by sep.
func JoinHazards(hazards []Hazard, sep string) string {
	var b strings.Builder
	for i, h := range hazards {
		if i > 0 {
			b.WriteString(sep)
		}
		b.WriteString(string(h))
	}
	return b.String()
}

const (
	HazardAsm          Hazard = "asm"
	HazardInit         Hazard = "init"
	HazardHeaderInline Hazard = "header-inline"
	HazardStaticLocal  Hazard = "static-local"
	HazardVtable       Hazard = "vtable"
	HazardOpsTable     Hazard = "ops-table"
	HazardGlobalData   Hazard = "global-data"
	HazardSyscallABI   Hazard = "syscall-abi"
	HazardBuildOnly    Hazard = "build-only"
	HazardImprecise    Hazard = "imprecise"
)

// EntityFile is the entity of a file-level record (an unreadable file, an
// assembly file); the other entities are cparse.EntityKind values.
const EntityFile = "file"

// Version is one side of a changed file.
type Version struct {
	Blob string
	// Summary is the parsed file; nil for files that are not C/C++ or
	// could not be read.
	Summary *cparse.Summary
	// Unreadable says why the file could not be summarized at all
	// (binary, too large, missing object…); "" when it was read.
	Unreadable string
}

// File is one file a commit changed; Old or New is nil when the file was
// added or removed.
type File struct {
	Path     string
	Old, New *Version
	// RenamedFrom is, for a file added, the path of the file deleted that
	// git would show it renamed from (kernel.Repo.Renames): its entities
	// are compared with their old selves there.
	RenamedFrom string
	// Changes are cparse.Diff(Old.Summary, New.Summary), unless
	// DeriveChanges is set.
	Changes []cparse.Change
	// DeriveChanges says Changes was left nil for a file added or removed
	// whole: its changes (every entity of its one summary, added or
	// removed) are derived where they are needed, one file at a time, so a
	// commit that deletes a vendor tree never holds the removal lists of
	// its thirteen thousand files at once (106 MB of FreeRTOS's 1 GiB).
	DeriveChanges bool
	// renamedUnchanged is set by matchMoves on both sides of a file
	// renamed with the same bytes: nothing in it changed.
	renamedUnchanged bool
	// renamedAway is set by matchMoves on the file deleted by a rename:
	// the file it became holds its old version, and it holds nothing.
	renamedAway bool
	// movesMatched says the file comes from MatchMoves: its moves are
	// paired already.
	movesMatched bool
}

// Facts answers cross-module questions about the tree the commit changes.
type Facts interface {
	// CalledOutside reports whether a file other than file calls fn.
	CalledOutside(fn, file string) bool
	// TypeModules is the number of modules (source files) that use the
	// named type.
	TypeModules(name string) int
	// IsOpsTable reports whether the named struct is a table of function
	// pointers somewhere in the tree.
	IsOpsTable(name string) bool
}

// Change is one classified change.
type Change struct {
	File    string   `json:"file"`
	Entity  string   `json:"entity"`
	Name    string   `json:"name"`
	Change  string   `json:"change"`
	Engine  string   `json:"engine"`
	Class   Class    `json:"class"`
	Hazards []Hazard `json:"hazards"`
	Reason  string   `json:"reason"`
	Detail  string   `json:"detail,omitempty"`
}

// Result is a commit's classification.
type Result struct {
	Class   Class
	Hazards []Hazard
	Reason  string
	Changes []Change
}

// Commit classifies one non-merge commit's file changes. It leaves files
// as they are, and drops its own references to each file's summaries and
// changes once the file is classified: a caller that keeps none frees a
// vendor tree's thirteen thousand summaries while the commit's million
// change records are made, not after.
func Commit(cfg *kernel.Config, files []File, facts Facts) Result {
	c := classifier{cfg: cfg, facts: facts}
	files = append([]File(nil), files...) // matchMoves gives some new change lists
	matchMoves(files)
	n := 0
	for i := range files {
		n += files[i].changeCount()
	}
	// One allocation for a commit's changes: a vendor tree's deletion has a
	// million, and growing the slice by doubling copied them twenty times.
	c.changes = make([]Change, 0, n)
	buildOnly := false
	for i := range files {
		f := &files[i]
		if f.renamedAway {
			continue
		}
		if f.DeriveChanges {
			changes, err := f.changes()
			if err != nil {
				side := f.New
				if side == nil {
					side = f.Old
				}
				side.Unreadable = err.Error()
			}
			f.Changes, f.DeriveChanges = changes, false
		}
		switch kind := kernel.KindOf(f.Path); {
		case cfg.IsTest(f.Path):
		case kind == kernel.KindBuild:
			buildOnly = true
		case kind == kernel.KindAsm:
			c.asmFile(f)
		case kind == kernel.KindModule, kind == kernel.KindHeader:
			c.source(f)
		}
		*f = File{}
	}
	return c.result(buildOnly)
}

type classifier struct {
	cfg     *kernel.Config
	facts   Facts
	changes []Change
}

func (c *classifier) add(ch Change) {
	slices.Sort(ch.Hazards)
	if ch.Hazards == nil {
		ch.Hazards = []Hazard{}
	}
	c.changes = append(c.changes, ch)
}

// changes is f's entity changes, derived from its one summary when the
// caller left that to the classifier.
func (f *File) changes() ([]cparse.Change, error) {
	if !f.DeriveChanges {
		return f.Changes, nil
	}
	return Diff(summaryOf(f.Old), summaryOf(f.New))
}

// Diff is cparse.Diff that cannot take the run down: a comparison that
// crashes (a malformed summary) is an error, which callers record as the
// file's reason to be unreadable.
func Diff(old, new *cparse.Summary) (changes []cparse.Change, err error) {
	defer func() {
		if r := recover(); r != nil {
			changes, err = nil, fmt.Errorf("comparing the versions crashed: %v", r)
		}
	}()
	return cparse.Diff(old, new), nil
}

// changeCount is an upper bound of len(f.changes()) that derives nothing.
func (f *File) changeCount() int {
	if !f.DeriveChanges {
		return len(f.Changes)
	}
	n := 0
	for _, s := range []*cparse.Summary{summaryOf(f.Old), summaryOf(f.New)} {
		if s != nil {
			n += s.EntityCount()
		}
	}
	return n
}

func fileChange(f *File) string {
	switch {
	case f.Old == nil:
		return string(cparse.ChangeAdded)
	case f.New == nil:
		return string(cparse.ChangeRemoved)
	}
	return string(cparse.ChangeChanged)
}

// asmFile records an assembly file's changes: each global symbol added,
// removed or changed, or the file itself when no symbol tells (it exports
// none, it could not be read, or only lines outside every symbol changed).
func (c *classifier) asmFile(f *File) {
	nonupd := c.cfg.NonUpdatableReason(f.Path)
	suffix := ""
	if nonupd != "" {
		suffix = "; " + nonupd
	}
	for _, d := range f.Changes {
		c.add(Change{File: f.Path, Entity: string(cparse.EntityAsm), Name: d.Name, Change: string(d.Change), Detail: d.Detail,
			Engine: string(cparse.EngineAsm), Class: Unsupported, Hazards: []Hazard{HazardAsm}, Reason: "assembly routine " + string(d.Change) + suffix})
	}
	old, new := summaryOf(f.Old), summaryOf(f.New)
	if len(f.Changes) > 0 || f.renamedUnchanged || (old != nil && new != nil && old.TokenHash == new.TokenHash) {
		return
	}
	// Only lines under no global symbol changed (a #define, a directive,
	// code before the first label): the file changed, no routine did. It
	// is recorded as the file's, and an update still has to carry it.
	c.add(Change{File: f.Path, Entity: EntityFile, Name: path.Base(f.Path), Change: fileChange(f),
		Class: Unsupported, Hazards: []Hazard{HazardAsm}, Reason: "assembly file " + fileChange(f) + " outside its global symbols" + suffix})
}

func (c *classifier) source(f *File) {
	for _, v := range []*Version{f.Old, f.New} {
		if v != nil && v.Unreadable != "" {
			c.add(Change{File: f.Path, Entity: EntityFile, Name: path.Base(f.Path), Change: fileChange(f),
				Class: Unsupported, Hazards: []Hazard{}, Reason: "could not be analyzed: " + v.Unreadable})
			return
		}
	}
	old, new := summaryOf(f.Old), summaryOf(f.New)
	if why := brokenBuild(f.Path, old, new); why != "" {
		c.add(Change{File: f.Path, Entity: EntityFile, Name: path.Base(f.Path), Change: fileChange(f), Engine: string(cparse.EngineTolerant),
			Class: Unsupported, Hazards: []Hazard{HazardImprecise}, Reason: why})
	}
	engine, imprecise := engineOf(old, new)
	nonupd := c.cfg.NonUpdatableReason(f.Path)
	for _, d := range f.Changes {
		ch := c.rule(f.Path, old, new, d)
		ch.File, ch.Entity, ch.Name, ch.Change, ch.Detail, ch.Engine = f.Path, string(d.Entity), d.Name, string(d.Change), d.Detail, engine
		if nonupd != "" {
			ch.Class, ch.Reason = Unsupported, "in a non-updatable path: "+nonupd+"; "+ch.Reason
		}
		if ch.Class == None && ch.Reason == "" {
			continue
		}
		if imprecise {
			ch.Hazards = append(ch.Hazards, HazardImprecise)
		}
		c.add(ch)
	}
}

func summaryOf(v *Version) *cparse.Summary {
	if v == nil {
		return nil
	}
	return v.Summary
}

// brokenBuild says why a changed C module does not compile at the commit
// although its parent's version did ("" when that is not the case). The
// precise engine read the old version, so the tree and the settings were
// good enough; failing on the new one (a syntax error, an undefined name,
// an #include "x.h" of a file the tree lacks) is the commit's own code:
// that revision cannot be built, so no update can load it. What the
// analysis's environment causes is not counted: a missing #include <x.h>
// (a system or generated header, or an include path upsynth.yaml does not
// give) and the engine's own limits (time, macro expansion). Headers are
// summarized alone, without the includes a module gives them first, so
// only modules are judged.
func brokenBuild(file string, old, new *cparse.Summary) string {
	if kernel.KindOf(file) != kernel.KindModule || old == nil || new == nil || old.Lang != cparse.LangC ||
		old.Engine != cparse.EnginePrecise || new.Engine != cparse.EngineTolerant {
		return ""
	}
	for _, e := range new.Errors {
		msg, failed := strings.CutPrefix(e.Msg, preciseFailed)
		if !failed {
			if h, ok := strings.CutPrefix(e.Msg, PreciseNotTried); ok {
				h, _, _ = strings.Cut(h, " is not in the tree")
				if !strings.HasPrefix(h, `"`) {
					return ""
				}
				return fmt.Sprintf("does not compile at this revision, though its parent's version did: %s: #include %s: the file is not in the tree", file, h)
			}
			continue
		}
		if e.Limit != nil || engineLimit(msg) || strings.Contains(msg, "include file not found: <") {
			return ""
		}
		return "does not compile at this revision, though its parent's version did: " + cparse.ShortFrontEndError(msg)
	}
	return ""
}

// preciseFailed starts the error cparse records when its precise engine
// failed and the tolerant one answered.
const preciseFailed = "precise engine failed, used the tolerant engine: "

// PreciseNotTried starts the error the analyzer records when it did not try
// the precise engine because a file's #include is not in the tree.
const PreciseNotTried = "precise engine not tried: #include "

// engineLimit reports whether a precise-engine failure is one of its limits
// (a timeout, the macro expansion budget) rather than an error in the code.
func engineLimit(msg string) bool {
	m := strings.ToLower(msg)
	return strings.Contains(m, "deadline exceeded") || strings.Contains(m, "expansion limit") ||
		strings.Contains(m, "timed out") || strings.Contains(m, "context canceled")
}

// engineOf names the engine that answered for a file; imprecise when only
// the tolerant engine answered on some side.
func engineOf(old, new *cparse.Summary) (string, bool) {
	engine, imprecise := "", false
	for _, s := range []*cparse.Summary{old, new} {
		if s == nil {
			continue
		}
		engine = string(s.Engine)
		if s.Engine == cparse.EngineTolerant {
			imprecise = true
		}
	}
	if imprecise {
		engine = string(cparse.EngineTolerant)
	}
	return engine, imprecise
}

func (c *classifier) result(buildOnly bool) Result {
	r := Result{Class: None, Changes: c.changes}
	hz := map[Hazard]bool{}
	var strongest *Change
	n := 0
	for i := range c.changes {
		ch := &c.changes[i]
		for _, h := range ch.Hazards {
			hz[h] = true
		}
		if strongest == nil || ch.Class.Stronger(strongest.Class) {
			strongest, n = ch, 1
		} else if ch.Class == strongest.Class {
			n++
		}
	}
	if strongest != nil {
		r.Class = strongest.Class
	}
	switch {
	case strongest == nil || r.Class == None:
		r.Reason = "no compiled source entity changed"
		if buildOnly && strongest == nil {
			hz[HazardBuildOnly] = true
			r.Reason = "only build files changed"
		}
	default:
		r.Reason = fmt.Sprintf("%s %s %s in %s: %s", strongest.Entity, strongest.Name, strongest.Change, strongest.File, strongest.Reason)
		if n > 1 {
			r.Reason += fmt.Sprintf(" (and %d more %s change(s))", n-1, r.Class)
		}
	}
	r.Hazards = []Hazard{}
	for h := range hz {
		r.Hazards = append(r.Hazards, h)
	}
	slices.Sort(r.Hazards)
	return r
}
