package synth

import (
	"context"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strings"

	"github.com/upsynth/upsynth/cparse"
	"github.com/upsynth/upsynth/kernel"
	"github.com/upsynth/upsynth/runtime/emu/abi"
)

// planImprecise plans the modules the C front end could not compile (or
// does not read) from tolerant summaries of both revisions: the functions
// whose text changed (all of a module's functions when it includes a
// changed header), the ones added and removed, and the object types whose
// members changed. What such a summary cannot give is said in Needs and
// Cannot: there are no layouts (object types are transferred by field name
// with the layouts the running kernel and the new code have), no precise
// signatures (no adapters), and no verification on the emulated target.
//
// It returns why verification cannot run the update, if it cannot.
func planImprecise(p *Plan, oldTree, newTree fs.FS, in Input, scan *includeScan, imprecise map[string]string, changedHeaders map[string]bool) []string {
	var cpp []string
	for _, f := range append(append([]string(nil), p.Modules...), p.Headers...) {
		if kernel.IsCPP(f) {
			cpp = append(cpp, f)
		}
	}
	var unverifiable []string
	if len(cpp) > 0 {
		unverifiable = append(unverifiable, fmt.Sprintf("the emulated target runs C only and this update changes C++ (%s)", firstFew(cpp, 3)))
	}
	if len(imprecise) == 0 {
		return unverifiable
	}
	// The trees seen through the target's headers: a type declared with
	// the ABI's OBJECT_TYPE macro is then a struct to the tolerant parser.
	oldTree, newTree = abi.Overlay(oldTree), abi.Overlay(newTree)
	paths := in.New.SearchPaths()
	tp := &tolerantParser{cfg: cparse.Config{Engine: cparse.EngineChoiceTolerant, IncludePaths: paths}, cache: map[string]*cparse.Summary{}}
	typeSeen := map[string]bool{}
	for _, t := range p.Types {
		typeSeen[t.Name] = true
	}
	funcSeen := map[string]bool{}
	for _, f := range p.Functions {
		funcSeen[f.Name] = true
	}
	globalSeen := map[string]bool{}
	for _, g := range p.Globals {
		globalSeen[g.Module+":"+g.Name] = true
	}
	var failedC []string
	byHeaders := map[string][]string{} // changed headers -> the imprecise modules including them
	for _, mod := range sortedKeys(imprecise) {
		why := imprecise[mod]
		p.Imprecise = append(p.Imprecise, ImpreciseFile{File: mod, Why: why})
		if !kernel.IsCPPModule(mod) {
			failedC = append(failedC, fmt.Sprintf("%s (%s)", mod, why))
		}
		oldSum, newSum := tp.parse(oldTree, "old", mod), tp.parse(newTree, "new", mod)
		if newSum == nil {
			continue
		}
		headers := scan.changedIncluded(mod, changedHeaders)
		all := len(headers) > 0
		if all {
			key := strings.Join(headers, ", ")
			byHeaders[key] = append(byHeaders[key], mod)
		}
		oldFuncs, newFuncs := definitions(oldSum), definitions(newSum)
		versioned := map[string]bool{} // object types of this module with a new version
		// Types: the module's own and those of the changed headers it
		// includes, compared member by member.
		files := append([]string{mod}, headers...)
		objects := scan.objectTypes(mod)
		for _, f := range files {
			oldT, newT := typesOf(tp.parse(oldTree, "old", f)), typesOf(tp.parse(newTree, "new", f))
			for _, name := range sortedKeys(newT) {
				nt, ot := newT[name], oldT[name]
				if ot == nil || typeSeen[name] || sameMembers(ot, nt) {
					continue
				}
				if objects[name] && !definesMethods(newFuncs, name) {
					continue // the module defining its methods versions it
				}
				typeSeen[name] = true
				added, removed, retyped := memberChanges(ot, nt)
				switch {
				case objects[name] && definesMethods(newFuncs, name):
					versioned[name] = true
					t := TypePlan{Name: name, ByName: true, Added: added, Removed: removed,
						Why: fmt.Sprintf("members changed in %s, by the tolerant parser; layouts unknown at emit time", f)}
					p.Types = append(p.Types, t)
					need := fmt.Sprintf("type %s: its layouts are not known at emit time (%s); the transfer copies fields by name with the layouts the running kernel and the new code have (runtime.CopyFields)", name, why)
					if len(added) > 0 {
						need += "; new fields " + strings.Join(added, ", ") + " start at zero"
					}
					if len(retyped) > 0 {
						need += "; fields whose type changed are converted as integers or bytes: " + strings.Join(retyped, ", ")
					}
					p.Needs = append(p.Needs, need+": check them in hooks.go")
				default:
					kind := "struct"
					if nt.Kind != "" {
						kind = string(nt.Kind)
					}
					p.Needs = append(p.Needs, fmt.Sprintf("%s %s (%s) changes members and is not an object type: instances reached through pointers or globals keep the old layout unless a hook converts them", kind, name, f))
				}
			}
		}
		for _, name := range sortedKeys(newFuncs) {
			nf := newFuncs[name]
			of, ok := oldFuncs[name]
			switch {
			case !ok:
				p.Added = append(p.Added, name)
				continue
			case of.Signature != nf.Signature:
				p.Cannot = append(p.Cannot, fmt.Sprintf("%s (%s): signature changed (%s -> %s): no adapter is generated without the typed signatures of both versions, which only the C front end gives", name, mod, of.Signature, nf.Signature))
				continue
			}
			if _, ok := methodOf(name, versioned); ok {
				continue // the type's new version carries its methods
			}
			reason := ""
			switch {
			case of.BodyHash != nf.BodyHash:
				reason = "body changed (tolerant parser)"
			case all:
				reason = "compiled against the changed " + strings.Join(headers, ", ")
			}
			if reason == "" || funcSeen[name] {
				continue
			}
			funcSeen[name] = true
			p.Functions = append(p.Functions, FuncPlan{Name: name, Module: mod, Why: reason})
		}
		for _, name := range sortedKeys(oldFuncs) {
			if _, ok := newFuncs[name]; !ok {
				p.Removed = append(p.Removed, name)
			}
		}
		planImpreciseGlobals(p, mod, oldSum, newSum, globalSeen)
	}
	for _, h := range sortedKeys(byHeaders) {
		mods, verb := byHeaders[h], "include the changed %s: every function they define"
		if len(mods) == 1 {
			verb = "includes the changed %s: every function it defines"
		}
		p.Notes = append(p.Notes, fmt.Sprintf("%s "+verb+" is replaced, since which of them the change affects is not known without the C front end", strings.Join(mods, ", "), h))
	}
	sort.Strings(p.Added)
	sort.Strings(p.Removed)
	p.Added, p.Removed = dedup(p.Added), dedup(p.Removed)
	if len(failedC) > 0 {
		more := ""
		if len(failedC) > 1 {
			more = fmt.Sprintf(" and %d more modules", len(failedC)-1)
		}
		unverifiable = append(unverifiable, fmt.Sprintf("the C front end cannot compile %s%s, so the emulated target cannot boot this kernel", failedC[0], more))
	}
	p.Needs = append(p.Needs, fmt.Sprintf("%s planned from the tolerant parser, without struct layouts or typed signatures (PLAN.md, \"Planned without the C front end\", says why for each): check the functions and types listed for them against the source", countModules(len(imprecise))))
	return unverifiable
}

// firstFew joins the first n names and counts the rest.
func firstFew(names []string, n int) string {
	if len(names) <= n {
		return strings.Join(names, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(names[:n], ", "), len(names)-n)
}

func countModules(n int) string {
	if n == 1 {
		return "1 module was"
	}
	return fmt.Sprintf("%d modules were", n)
}

func setUnverifiable(p *Plan, why []string) {
	if len(why) == 0 {
		return
	}
	p.Unverifiable = strings.Join(why, "; ")
	p.Cannot = append(p.Cannot, "verification: "+p.Unverifiable+". The package builds, but its test skips and `upsynth verify` refuses it")
}

// planImpreciseGlobals lists the globals whose type or initializer changed
// in the text: without the front end their sizes are unknown, so each is
// left to a person.
func planImpreciseGlobals(p *Plan, mod string, oldSum, newSum *cparse.Summary, seen map[string]bool) {
	if oldSum == nil {
		return
	}
	old := map[string]cparse.Global{}
	for _, g := range oldSum.Globals {
		old[g.Name] = g
	}
	for _, g := range newSum.Globals {
		og, ok := old[g.Name]
		if !ok || g.Extern || seen[mod+":"+g.Name] {
			continue
		}
		switch {
		case og.Type != g.Type:
			seen[mod+":"+g.Name] = true
			p.Globals = append(p.Globals, GlobalPlan{Name: g.Name, Module: mod, Static: g.Static, Change: "type",
				Note: fmt.Sprintf("%s -> %s (tolerant parser): its size is not known without the C front end", og.Type, g.Type)})
			p.Needs = append(p.Needs, fmt.Sprintf("global %s (%s) changes type (%s -> %s): hooks.go converts the running value if it matters", g.Name, mod, og.Type, g.Type))
		case og.InitHash != g.InitHash:
			seen[mod+":"+g.Name] = true
			p.Globals = append(p.Globals, GlobalPlan{Name: g.Name, Module: mod, Static: g.Static, Change: "init",
				Note: "initializer changed: the running value is kept; a hook decides whether the new initial value applies"})
			p.Needs = append(p.Needs, fmt.Sprintf("global %s (%s): its initializer changed; the running kernel keeps the old value unless hooks.go writes the new one", g.Name, mod))
		}
	}
}

// tolerantParser summarizes files with the tolerant engine, once per
// revision and path.
type tolerantParser struct {
	cfg   cparse.Config
	cache map[string]*cparse.Summary
}

// parse returns the summary of file in tree (side names the revision), or
// nil when the file is not there.
func (t *tolerantParser) parse(tree fs.FS, side, file string) *cparse.Summary {
	key := side + "\x00" + file
	if s, ok := t.cache[key]; ok {
		return s
	}
	var s *cparse.Summary
	if src, err := fs.ReadFile(tree, file); err == nil {
		cfg := t.cfg
		cfg.FS = tree
		s = cparse.Parse(context.Background(), file, src, cfg)
	}
	t.cache[key] = s
	return s
}

// definitions are a summary's function definitions by name.
func definitions(s *cparse.Summary) map[string]cparse.Function {
	out := map[string]cparse.Function{}
	if s == nil {
		return out
	}
	for _, f := range s.Functions {
		if f.Definition {
			out[f.Name] = f
		}
	}
	return out
}

// typesOf are a summary's structs, unions and classes by name.
func typesOf(s *cparse.Summary) map[string]*cparse.Type {
	out := map[string]*cparse.Type{}
	if s == nil {
		return out
	}
	for i := range s.Types {
		if t := &s.Types[i]; t.Kind != cparse.KindEnum && t.Name != "" {
			out[t.Name] = t
		}
	}
	return out
}

func sameMembers(a, b *cparse.Type) bool {
	if len(a.Members) != len(b.Members) {
		return false
	}
	for i := range a.Members {
		x, y := a.Members[i], b.Members[i]
		if x.Name != y.Name || x.Type != y.Type || x.BitWidth != y.BitWidth {
			return false
		}
	}
	return true
}

// memberChanges names the members only the new version has, the ones only
// the old has, and those whose type changed.
func memberChanges(old, new *cparse.Type) (added, removed, retyped []string) {
	om := map[string]string{}
	for _, m := range old.Members {
		om[m.Name] = m.Type
	}
	nm := map[string]bool{}
	for _, m := range new.Members {
		nm[m.Name] = true
		switch t, ok := om[m.Name]; {
		case !ok:
			added = append(added, m.Name)
		case t != m.Type:
			retyped = append(retyped, fmt.Sprintf("%s (%s -> %s)", m.Name, t, m.Type))
		}
	}
	for _, m := range old.Members {
		if !nm[m.Name] {
			removed = append(removed, m.Name)
		}
	}
	return added, removed, retyped
}

// methodOf reports whether fn is a method T_name of one of types.
func methodOf(fn string, types map[string]bool) (string, bool) {
	for t := range types {
		if strings.HasPrefix(fn, t+"_") {
			return t, true
		}
	}
	return "", false
}

// definesMethods reports whether funcs hold a method T_name of type T.
func definesMethods(funcs map[string]cparse.Function, t string) bool {
	for name := range funcs {
		if strings.HasPrefix(name, t+"_") {
			return true
		}
	}
	return false
}

// cppModules lists the C++ modules of a tree.
func cppModules(k *kernel.Tree) ([]string, error) {
	var out []string
	err := k.Walk(func(p string) error {
		if kernel.IsCPPModule(p) && !k.Config.Excluded(p) {
			out = append(out, p)
		}
		return nil
	})
	sort.Strings(out)
	return out, err
}

var (
	includeRE    = regexp.MustCompile(`(?m)^[ \t]*#[ \t]*include[ \t]*[<"]([^>"\n]+)[>"]`)
	objectTypeRE = regexp.MustCompile(`\bOBJECT_TYPE\s*\(\s*([A-Za-z_]\w*)\s*\)`)
)

// includeScan follows #include lines through a tree, for the modules the C
// front end cannot compile: a header is found next to the including file or
// under an include path, as the preprocessor would; one it cannot find (a
// generated or system header) is skipped.
type includeScan struct {
	tree   fs.FS
	paths  []string
	direct map[string][]string
	// missing holds, per file, the first #include name found nowhere.
	missing map[string]string
}

func newIncludeScan(tree fs.FS, includePaths []string) *includeScan {
	s := &includeScan{tree: tree, direct: map[string][]string{}, missing: map[string]string{}}
	for _, p := range includePaths {
		s.paths = append(s.paths, path.Clean(strings.TrimPrefix(p, "/")))
	}
	return s
}

func (s *includeScan) includes(file string) []string {
	if v, ok := s.direct[file]; ok {
		return v
	}
	var out []string
	if b, err := fs.ReadFile(s.tree, file); err == nil {
		for _, m := range includeRE.FindAllSubmatch(b, -1) {
			name := string(m[1])
			found := false
			for _, d := range append([]string{path.Dir(file)}, s.paths...) {
				if p := path.Clean(path.Join(d, name)); fs.ValidPath(p) && fileIn(s.tree, p) {
					out, found = append(out, p), true
					break
				}
			}
			if !found && s.missing[file] == "" {
				s.missing[file] = name
			}
		}
	}
	s.direct[file] = out
	return out
}

// closure lists the files file includes, directly or not, in the order met.
func (s *includeScan) closure(file string) []string {
	seen := map[string]bool{file: true}
	var out []string
	queue := []string{file}
	for len(queue) > 0 {
		f := queue[0]
		queue = queue[1:]
		for _, inc := range s.includes(f) {
			if !seen[inc] {
				seen[inc] = true
				out = append(out, inc)
				queue = append(queue, inc)
			}
		}
	}
	return out
}

// includesAny returns the first header of set that file includes, or "".
func (s *includeScan) includesAny(file string, set map[string]bool) string {
	if h := s.changedIncluded(file, set); len(h) > 0 {
		return h[0]
	}
	return ""
}

// changedIncluded lists, sorted, the headers of set that file includes.
func (s *includeScan) changedIncluded(file string, set map[string]bool) []string {
	var out []string
	for _, f := range s.closure(file) {
		if set[f] {
			out = append(out, f)
		}
	}
	sort.Strings(out)
	return out
}

// unresolved returns a file that mod reads (itself or a header it
// includes) and the #include name in it that is found nowhere, or "", "".
func (s *includeScan) unresolved(mod string) (file, name string) {
	for _, f := range append([]string{mod}, s.closure(mod)...) {
		if n := s.missing[f]; n != "" {
			return f, n
		}
	}
	return "", ""
}

// unbuildable says why the emulated target cannot build a tree's kernel:
// one of its modules includes a file neither the tree nor the target's ABI
// headers hold (a header the build generates, or one behind an include
// path upsynth.yaml does not give). "" when every #include resolves. The
// scan does not evaluate #if, so a module it finds an unresolved include
// in is preprocessed to confirm: a header included only under a
// configuration that is off (FreeRTOS's <reent.h>) does not count.
func unbuildable(tree fs.FS, mods []string, build BuildOptions, rev string) string {
	s := newIncludeScan(tree, append(append([]string(nil), build.IncludePaths...), abi.IncludePaths...))
	opts := BuildOptions{IncludePaths: append(append([]string(nil), build.IncludePaths...), abi.IncludePaths...), Defines: build.Defines}
	for _, m := range mods {
		if f, name := s.unresolved(m); f != "" {
			err := preprocessModule(tree, m, opts)
			if err == nil {
				continue
			}
			if f != m {
				f += " (read by " + m + ")"
			}
			return fmt.Sprintf("the %s revision's kernel does not build on the emulated target: %s includes %s, which is neither in the tree nor among the target's headers (%s)", rev, f, name, cparse.ShortFrontEndError(err.Error()))
		}
	}
	return ""
}

var entryDefRE = regexp.MustCompile(`\b(kernel_boot|kernel_syscall)\s*\([^;{)]*\)\s*\{`)

// targetGaps says what the emulated target needs to run the kernel that
// the new revision lacks: its entry points (kernel_boot, kernel_syscall,
// defined by some module, as runtime/emu's ABI asks) and the request
// scripts of workloads/*.wl. A kernel written for real hardware has
// neither. The scan is textual: a definition hidden behind a macro is
// missed, and verification then says what it lacks itself.
func targetGaps(p *Plan, tree fs.FS) []string {
	var out []string
	defined := map[string]bool{}
	for _, m := range p.NewModules {
		if b, err := fs.ReadFile(tree, m); err == nil {
			for _, d := range entryDefRE.FindAllSubmatch(b, -1) {
				defined[string(d[1])] = true
			}
		}
	}
	var missing []string
	for _, e := range []string{"kernel_boot", "kernel_syscall"} {
		if !defined[e] {
			missing = append(missing, e)
		}
	}
	if len(missing) > 0 {
		out = append(out, fmt.Sprintf("no module of the new revision defines %s, the entry points the emulated target calls (runtime/emu's ABI): the kernel is not written for it", strings.Join(missing, " or ")))
	}
	if len(p.Workloads) == 0 {
		out = append(out, "the new revision has no workloads/*.wl for the emulated target to run")
	}
	return out
}

// objectTypes are the object types (OBJECT_TYPE(T)) a module and the files
// it includes declare.
func (s *includeScan) objectTypes(file string) map[string]bool {
	out := map[string]bool{}
	for _, f := range append([]string{file}, s.closure(file)...) {
		b, err := fs.ReadFile(s.tree, f)
		if err != nil {
			continue
		}
		for _, m := range objectTypeRE.FindAllSubmatch(b, -1) {
			out[string(m[1])] = true
		}
	}
	return out
}
