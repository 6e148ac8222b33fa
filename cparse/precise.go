package cparse

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"modernc.org/cc/v4"

	"github.com/upsynth/upsynth/internal/lru"
)

// sourceCache keeps the builtin and predefined sources and the headers
// cc/v4 parsed, keyed by name and content, for the next files: without it
// every file pays for parsing cc.Builtin again.
var sourceCache cc.SourceCache

// recordingFS remembers the files the precise engine opened, so a summary
// can say which headers it depends on.
type recordingFS struct {
	fsys   fs.FS
	mu     sync.Mutex
	opened map[string]bool
	budget *includeBudget
	// builtins is what the files opened need of cc.Builtin (builtin.go).
	builtins builtinNeeds
}

// reset forgets the files opened so far.
func (r *recordingFS) reset() {
	r.mu.Lock()
	r.opened = map[string]bool{}
	r.builtins = builtinNeeds{}
	r.mu.Unlock()
}

func (r *recordingFS) Open(name string) (fs.File, error) {
	f, err := r.fsys.Open(name)
	if err != nil {
		return nil, err
	}
	size := int64(-1)
	if st, err := f.Stat(); err == nil {
		size = st.Size()
		err = r.budget.open(name, size)
		if err != nil {
			f.Close()
			return nil, err
		}
	}
	data, err := readUpTo(f, size, MaxIncludeBytes+1)
	f.Close()
	if err != nil {
		return nil, err
	}
	check := checkHeader(name, data)
	if check.selfIncluding {
		return nil, fmt.Errorf("%s includes itself without an include guard", name)
	}
	if check.dangling {
		return nil, fmt.Errorf("%s ends inside a pointer declarator", name)
	}
	data = RewriteObsoleteDesignators(data)
	r.mu.Lock()
	r.opened[name] = true
	r.builtins.add(check.use)
	r.mu.Unlock()
	return &memFile{Reader: bytes.NewReader(data), name: name, size: int64(len(data))}, nil
}

// readUpTo is io.ReadAll(io.LimitReader(r, limit)) for a reader of about
// size bytes (-1: unknown): one buffer of the size it says, where ReadAll
// starts from 512 bytes and doubles (each header of every translation
// was read that way, 1.2 of the 45 GB FreeRTOS-Kernel's history
// allocated went through ReadAll). A reader longer than it said is still
// read whole, up to limit.
func readUpTo(r io.Reader, size, limit int64) ([]byte, error) {
	// One byte over the size, so that the read which finds the end does
	// not grow the buffer.
	buf := make([]byte, 0, min(max(size, 0), limit)+1)
	lr := io.LimitReader(r, limit)
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := lr.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
}

// headerCheck is what recordingFS.Open finds of a header before cc/v4
// reads it.
type headerCheck struct {
	selfIncluding, dangling bool
	// use is what the header, its obsolete designators rewritten, needs
	// of cc.Builtin.
	use builtinUse
}

// headerKey names a header's text (its hash) at a path: the self-include
// check reads the path too.
type headerKey struct {
	sum  [32]byte
	name string
}

// checkedHeaders keeps the checks of the headers cc/v4 opened: every
// translation of a tree opens the same headers again, and checking a 600 KB
// vendor header (its directives, every token for the dangling pointer)
// cost more than hashing it.
var checkedHeaders = lru.New[headerKey, headerCheck](8192)

// checkHeader runs Open's checks on the header name whose text is data.
func checkHeader(name string, data []byte) headerCheck {
	key := headerKey{sha256.Sum256(data), name}
	if c, ok := checkedHeaders.Get(key); ok {
		return c
	}
	c := headerCheck{selfIncluding: selfIncluding(name, newSource(data))}
	if !c.selfIncluding {
		c.dangling = danglingPointerDeclarator(data)
	}
	if !c.selfIncluding && !c.dangling {
		c.use = ccBuiltin().useOf(RewriteObsoleteDesignators(data))
	}
	checkedHeaders.Add(key, c)
	return c
}

// selfIncluding reports whether the file at name includes a file of its own
// name without an include guard or #pragma once. cc/v4 follows such an
// include forever (its include depth limit is not enforced for #include).
func selfIncluding(name string, s *source) bool {
	src := s.src
	if !bytes.Contains(src, []byte(path.Base(name))) {
		return false // it cannot name itself: no directives to read
	}
	dirs := s.directives()
	guarded := false
	for i, d := range dirs {
		if len(d.toks) < 2 {
			continue
		}
		switch d.toks[0].text {
		case "pragma":
			guarded = guarded || d.toks[1].text == "once"
		case "ifndef":
			if i+1 < len(dirs) && len(dirs[i+1].toks) > 1 && dirs[i+1].toks[0].text == "define" && dirs[i+1].toks[1].text == d.toks[1].text {
				guarded = true
			}
		case "include", "include_next":
			raw := strings.TrimSpace(string(src[d.toks[1].start:d.toks[len(d.toks)-1].end]))
			inc := strings.Trim(raw, "<>\"")
			if guarded {
				continue
			}
			// "x.h" is looked up next to the includer first; <x.h> may
			// reach it through an include path: assume it does.
			if strings.HasPrefix(raw, "\"") && path.Join(path.Dir(name), inc) == name ||
				strings.HasPrefix(raw, "<") && path.Base(inc) == path.Base(name) {
				return true
			}
		}
	}
	return false
}

// memFile is a file already read into memory.
type memFile struct {
	*bytes.Reader
	name string
	size int64
}

func (f *memFile) Stat() (fs.FileInfo, error) { return memFileInfo{f}, nil }
func (f *memFile) Close() error               { return nil }

type memFileInfo struct{ f *memFile }

func (i memFileInfo) Name() string       { return path.Base(i.f.name) }
func (i memFileInfo) Size() int64        { return i.f.size }
func (i memFileInfo) Mode() fs.FileMode  { return 0o444 }
func (i memFileInfo) ModTime() time.Time { return time.Time{} }
func (i memFileInfo) IsDir() bool        { return false }
func (i memFileInfo) Sys() any           { return nil }

// ccResult is what a cc/v4 translation yields, or why it failed.
type ccResult struct {
	ast *cc.AST
	err error
}

// summarizePrecise translates the file with cc/v4 in the context of its
// tree and builds the summary of the entities whose position is in the file
// itself. Text features (signatures, token hashes, calls) come from the same
// source-text pass the tolerant engine uses, so summaries of the two engines
// compare; cc/v4 decides which declarations exist after preprocessing and
// supplies linkage, sizes, alignments, offsets, bit widths and enumerator
// values.
func summarizePrecise(ctx context.Context, file string, s *source, cfg Config, lang Lang, header bool) (*Summary, error) {
	src := s.src
	abi, err := cc.NewABI("linux", "amd64")
	if err != nil {
		return nil, err
	}
	if len(src) > MaxPreciseSize {
		return nil, &LimitError{Engine: EnginePrecise, Limit: "file-size", Max: MaxPreciseSize, Figure: int64(len(src)), Unit: "bytes"}
	}
	if header && len(src) > MaxPreciseHeaderSize {
		return nil, &LimitError{Engine: EnginePrecise, Limit: "file-size", Max: MaxPreciseHeaderSize, Figure: int64(len(src)), Unit: "bytes"}
	}
	rec := &recordingFS{fsys: cfg.FS, opened: map[string]bool{}}
	incs := []string{""}
	var sysIncs []string
	for _, p := range cfg.IncludePaths {
		p = strings.TrimPrefix(path.Clean(strings.TrimPrefix(p, "./")), "/")
		if p == "." {
			p = ""
		}
		incs = append(incs, p)
		sysIncs = append(sysIncs, p)
	}
	limit := cfg.ExpansionLimit
	if limit <= 0 {
		limit = DefaultExpansionLimit
	}
	if selfIncluding(file, s) {
		return nil, fmt.Errorf("%s includes itself without an include guard", file)
	}
	if danglingPointerDeclarator(src) {
		return nil, fmt.Errorf("%s ends inside a pointer declarator", file)
	}
	walk := walkIncludesOf(cfg.FS, file, s, incs)
	if err := walk.err(); err != nil {
		return nil, err
	}
	budget := IncludeBudget(len(src))
	if walk.sureBytes > budget {
		// Every translation would read these headers: give up before
		// cc/v4 reads the first.
		return nil, &LimitError{Engine: EnginePrecise, Limit: "include-bytes", Max: budget, Figure: walk.sureBytes, Unit: "bytes"}
	}
	if err := incompleteArrayInitializer(file, src, walk); err != nil {
		return nil, err
	}
	var defines strings.Builder
	for _, d := range cfg.Defines {
		name, val, ok := strings.Cut(d, "=")
		if !ok {
			val = "1"
		}
		fmt.Fprintf(&defines, "#define %s %s\n", name, val)
	}
	// The texts every translation of the file reads besides its headers,
	// and what they and the headers the walk found need of cc.Builtin.
	bt := ccBuiltin()
	var fixed builtinNeeds
	fixed.add(bt.always)
	predefined := cfg.Predefined + "\n" + defines.String()
	fixed.add(bt.useOf([]byte(predefined)))
	fixed.add(bt.useOf(src))
	translate := func(prelude *cc.Source) (*cc.AST, error) {
		needs := builtinNeeds{}
		needs.merge(&fixed)
		var preludeUse builtinUse
		if prelude != nil {
			text, _ := prelude.Value.(string)
			preludeUse = bt.useOf([]byte(text))
		}
		needs.add(preludeUse)
		for name, f := range walk.files {
			if f != nil && name != file {
				needs.add(f.builtins)
			}
		}
		ccfg := &cc.Config{
			ABI:             abi,
			FS:              rec,
			FSOnly:          true,
			IncludePaths:    incs,
			SysIncludePaths: sysIncs,
			Predefined:      cfg.Predefined,
			ExpansionLimit:  limit,
			ABILayout:       true,
			UnsignedEnums:   true,
			Header:          header,
			SourceCache:     &sourceCache,
			PragmaHandler:   pragmaOnce(),
		}
		if err := ccfg.ApplyOptions("-std=gnu11", "-ffreestanding"); err != nil {
			return nil, err
		}
		sources := []cc.Source{
			{Name: "<predefined>", Value: predefined},
			{Name: "<builtin>", Value: bt.source(&needs)},
		}
		if prelude != nil {
			sources = append(sources, *prelude)
		}
		sources = append(sources, cc.Source{Name: file, Value: thinInitializers(RewriteObsoleteDesignators(src))})
		run := func() (*cc.AST, error) {
			stop := make(chan struct{})
			rec.budget = &includeBudget{max: budget, stop: stop}
			ast, err := translateWithin(ctx, ccfg, sources, stop)
			if le := rec.budget.exceeded(); le != nil && err != nil {
				return nil, le
			}
			return ast, err
		}
		ast, err := run()
		// The headers cc/v4 read are the word on what the translation
		// needed: when one names a declaration left out, translate again
		// with every declaration.
		read := builtinNeeds{}
		read.merge(&fixed)
		read.add(preludeUse)
		rec.mu.Lock()
		read.merge(&rec.builtins)
		rec.mu.Unlock()
		if limitOf(err) == nil && ctx.Err() == nil && !needs.covers(&read, bt) {
			rec.reset()
			sources[1].Value = cc.Builtin
			ast, err = run()
		}
		return ast, err
	}
	lead, hasLead := leadingIncludeOf(cfg, file, src, walk, incs)
	ast, err := translateRemembering(lead, hasLead, func() (*cc.AST, error) { return translate(nil) })
	if err != nil && header && limitOf(err) == nil {
		// Kernel headers often rely on what their includers included
		// first. Translate the header after the includes that precede it
		// in a source file of its directory that includes it. The
		// prelude's own leading include goes through the memo too: every
		// version of a demo's FreeRTOSConfig.h has the includer whose
		// prelude is a vendor header cc/v4 rejects (123 versions of
		// Softune's, 10 CPU seconds of FreeRTOS-Kernel's history).
		if prelude, includer := findPrelude(cfg.FS, file, incs[1:]); prelude != "" {
			rec.reset()
			name := path.Join(path.Dir(file), ".upsynth-prelude.c")
			preludeWalk := walkIncludes(cfg.FS, name, []byte(prelude), incs)
			plead, pHasLead := leadingIncludeOf(cfg, name, []byte(prelude), preludeWalk, incs)
			ast2, err2 := translateRemembering(plead, pHasLead, func() (*cc.AST, error) {
				return translate(&cc.Source{Name: name, Value: prelude})
			})
			if err2 == nil {
				ast, err = ast2, nil
				rec.opened[includer] = true
			}
		}
	}
	if err != nil {
		return nil, err
	}

	sum := &Summary{Version: SchemaVersion, Path: file, Lang: lang, Header: header, Engine: EnginePrecise}
	extractDirectives(sum, s)
	if err := walkSource(ctx, sum, s, lazyTypeMacrosOf(ctx, file, s, cfg.FS, incs[1:])); err != nil {
		return nil, fmt.Errorf("source-text pass: %v", err)
	}
	// Syntax tree-sitter could not place is cc/v4's business here: it
	// accepted the file.
	sum.Errors = nil
	applyPrecise(sum, ast, file, s)
	for name := range rec.opened {
		if name != file {
			sum.DependsOn = append(sum.DependsOn, name)
		}
	}
	sort.Strings(sum.DependsOn)
	return sum, nil
}

// translations counts the cc/v4 translations begun, so tests can tell a
// memoized failure from a translation run again; translationsRunning
// counts those not yet returned, abandoned ones included, so a test that
// measures the process's allocations can wait for them.
var translations, translationsRunning atomic.Int64

// translateWithin runs cc.Translate, giving up when ctx is done: cc/v4
// cannot be interrupted; closing stop fails its next #include, and
// ExpansionLimit bounds the work the abandoned translation still does.
func translateWithin(ctx context.Context, ccfg *cc.Config, sources []cc.Source, stop chan struct{}) (*cc.AST, error) {
	translations.Add(1)
	translationsRunning.Add(1)
	start := time.Now()
	done := make(chan ccResult, 1)
	go func() {
		defer translationsRunning.Add(-1)
		defer func() {
			if r := recover(); r != nil {
				done <- ccResult{err: fmt.Errorf("cc/v4 panicked: %v", r)}
			}
		}()
		var res ccResult
		measured(ctx, func() { res.ast, res.err = cc.Translate(ccfg, sources) })
		done <- res
	}()
	select {
	case res := <-done:
		if res.err != nil {
			return nil, errors.New(firstLines(res.err.Error(), 3))
		}
		return res.ast, nil
	case <-ctx.Done():
		close(stop)
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return nil, &LimitError{Engine: EnginePrecise, Limit: "time", Figure: time.Since(start).Milliseconds(), Unit: "ms"}
		}
		return nil, ctx.Err()
	}
}

// pragmaOnce implements #pragma once, which cc/v4 leaves to its caller:
// without it a header that includes itself (directly or through others)
// recurses.
func pragmaOnce() func([]cc.Token) error {
	seen := map[string]bool{}
	return func(toks []cc.Token) error {
		if len(toks) == 0 || toks[0].SrcStr() != "once" {
			return nil
		}
		f := toks[0].Position().Filename
		if seen[f] {
			return cc.SkipSource
		}
		seen[f] = true
		return nil
	}
}

// maxPreludeCandidates bounds how many source files findPrelude reads.
const maxPreludeCandidates = 64

// findPrelude looks in the header's directory for a C file that includes
// it and returns the #include and #define lines that precede that include,
// and the file's path; "" when there is none.
func findPrelude(fsys fs.FS, header string, includePaths []string) (string, string) {
	dir := path.Dir(header)
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return "", ""
	}
	read := 0
	for _, e := range entries {
		if e.IsDir() || path.Ext(e.Name()) != ".c" {
			continue
		}
		if read++; read > maxPreludeCandidates {
			break
		}
		cfile := path.Join(dir, e.Name())
		data, err := fs.ReadFile(fsys, cfile)
		if err != nil {
			continue
		}
		var prelude strings.Builder
		for _, d := range scanDirectives(data) {
			if len(d.toks) < 2 {
				continue
			}
			switch d.toks[0].text {
			case "define", "undef":
				prelude.Write(data[d.start:d.end])
				prelude.WriteByte('\n')
			case "include":
				raw := strings.TrimSpace(string(data[d.toks[1].start:d.toks[len(d.toks)-1].end]))
				if includes(raw, dir, header, includePaths) {
					if prelude.Len() == 0 {
						return "", "" // the header comes first: no help
					}
					return prelude.String(), cfile
				}
				prelude.Write(data[d.start:d.end])
				prelude.WriteByte('\n')
			}
		}
	}
	return "", ""
}

// includes reports whether the include argument raw, written in a file of
// dir, names target.
func includes(raw, dir, target string, includePaths []string) bool {
	name := strings.Trim(raw, "<>\"")
	if strings.HasPrefix(raw, "\"") && path.Join(dir, name) == target {
		return true
	}
	for _, ip := range includePaths {
		if path.Join(ip, name) == target {
			return true
		}
	}
	return false
}

func firstLines(s string, n int) string {
	parts := strings.SplitN(s, "\n", n+1)
	if len(parts) > n {
		parts = append(parts[:n], "...")
	}
	return strings.Join(parts, "; ")
}

// ccEntities indexes what cc/v4 declared in the file itself, by name.
type ccEntities struct {
	decls   map[string][]*cc.Declarator
	tags    map[string][]cc.Node // *cc.StructOrUnionSpecifier, *cc.EnumSpecifier
	enumVal map[string]string
	// enumTypes maps an enumerator to its enum type.
	enumTypes map[string]cc.Type
	funcDef   map[string]*cc.FunctionDefinition
	// lines are the lines of the declarators, tags and enumerators cc/v4
	// saw in the file, sorted.
	lines []int
	// declSpecs maps a file-scope declarator of the file to the
	// declaration specifiers it was declared with.
	declSpecs map[*cc.Declarator]*cc.DeclarationSpecifiers
}

// empty reports whether cc/v4 saw no declaration, tag or enumerator in the
// file (its macros aside).
func (e *ccEntities) empty() bool {
	return len(e.decls) == 0 && len(e.tags) == 0 && len(e.enumVal) == 0 && len(e.funcDef) == 0
}

func inFile(n cc.Node, file string) bool {
	return n != nil && n.Position().Filename == file
}

func indexCC(ast *cc.AST, file string) *ccEntities {
	e := &ccEntities{decls: map[string][]*cc.Declarator{}, tags: map[string][]cc.Node{},
		enumVal: map[string]string{}, enumTypes: map[string]cc.Type{}, funcDef: map[string]*cc.FunctionDefinition{},
		declSpecs: map[*cc.Declarator]*cc.DeclarationSpecifiers{}}
	for name, nodes := range ast.Scope.Nodes {
		for _, n := range nodes {
			if !inFile(n, file) {
				continue
			}
			e.lines = append(e.lines, n.Position().Line)
			switch x := n.(type) {
			case *cc.Declarator:
				e.decls[name] = append(e.decls[name], x)
			case *cc.Enumerator:
				e.enumVal[name] = valueString(x.Value())
				e.enumTypes[name] = x.Type()
			case *cc.StructOrUnionSpecifier, *cc.EnumSpecifier:
				e.tags[name] = append(e.tags[name], n)
			}
		}
	}
	for tu := ast.TranslationUnit; tu != nil; tu = tu.TranslationUnit {
		ed := tu.ExternalDeclaration
		if ed != nil && ed.Declaration != nil {
			for l := ed.Declaration.InitDeclaratorList; l != nil; l = l.InitDeclaratorList {
				if id := l.InitDeclarator; id != nil && inFile(id.Declarator, file) {
					e.declSpecs[id.Declarator] = ed.Declaration.DeclarationSpecifiers
				}
			}
		}
		if ed == nil || ed.FunctionDefinition == nil {
			continue
		}
		if d := ed.FunctionDefinition.Declarator; inFile(d, file) {
			e.funcDef[d.Name()] = ed.FunctionDefinition
		}
	}
	sort.Ints(e.lines)
	return e
}

func valueString(v cc.Value) string {
	switch x := v.(type) {
	case cc.Int64Value:
		return strconv.FormatInt(int64(x), 10)
	case cc.UInt64Value:
		return strconv.FormatUint(uint64(x), 10)
	}
	return ""
}

// declares reports whether cc/v4 saw a declarator or a tag of name in the
// file.
func (e *ccEntities) declares(name string) bool {
	return len(e.decls[name]) > 0 || len(e.tags[name]) > 0
}

// inactiveText decides which entities of the text that cc/v4 did not see
// stay in a precise summary. The file's branches are read the first time
// such an entity is met: most files have none.
type inactiveText struct {
	e        *ccEntities
	s        *source
	branches *inactiveBranches
}

// inactive reports whether the text at offset lies in a branch cc/v4
// left out.
func (t *inactiveText) inactive(offset int) bool {
	if t.branches == nil {
		ib := findInactiveBranches(t.s, t.e.lines)
		t.branches = &ib
	}
	return t.branches.inactive(offset)
}

// keeps reports whether an entity of the text that cc/v4 did not see at
// its place stays: it lies in a branch cc/v4 left out, and cc/v4 saw no
// other definition of its name (the branch in effect). An entity outside
// any such branch that cc/v4 did not see is the text's reading of a macro
// invocation (SYSCALL_DEFINE1(close)), which cc/v4's expansion replaces.
func (t *inactiveText) keeps(name string, sp Span) bool {
	return !t.e.declares(name) && t.inactive(sp.StartByte)
}

// declaresType reports whether cc/v4 saw t's name, or, for an enum, one of
// its enumerators.
func (e *ccEntities) declaresType(t Type) bool {
	if e.declares(t.Name) {
		return true
	}
	for _, en := range t.Enumerators {
		if _, ok := e.enumVal[en.Name]; ok {
			return true
		}
	}
	return false
}

// declaredAt finds the declarator of name whose line lies in span.
func (e *ccEntities) declaredAt(name string, sp Span) *cc.Declarator {
	for _, d := range e.decls[name] {
		if l := d.Position().Line; l >= sp.StartLine && l <= sp.EndLine {
			return d
		}
	}
	return nil
}

// applyPrecise keeps the entities cc/v4 saw, adds those only macro
// expansion reveals, and fills in linkage, layout and enumerator values.
// An entity of an inactive preprocessor branch is dropped when cc/v4 saw
// another definition of its name (the branch in effect), and kept as the
// text shows it otherwise: code compiled only in another configuration
// (seL4's vcpu functions under CONFIG_ARM_HYPERVISOR_SUPPORT in a header
// whose #else is active) changes like any other.
func applyPrecise(sum *Summary, ast *cc.AST, file string, s *source) {
	src, lines := s.src, s.lineIndex()
	e := indexCC(ast, file)
	if e.empty() && len(sum.Functions)+len(sum.Globals)+len(sum.Typedefs)+len(sum.Types) > 0 {
		// Every declaration of the file lies in an inactive branch: the
		// file is compiled only in another configuration (seL4's
		// "#if CONFIG_MAX_NUM_NODES > 1" around a whole SMP header).
		// Dropping them all would make every change to it invisible, so
		// the text pass's entities stand, as the tolerant engine sees
		// them. A file with one active declaration keeps only those
		// cc/v4 saw.
		return
	}
	off := &inactiveText{e: e, s: s}
	seen := map[*cc.Declarator]bool{}

	fns := sum.Functions[:0]
	for _, f := range sum.Functions {
		d := e.declaredAt(f.Name, f.Span)
		if d == nil {
			if off.keeps(f.Name, f.Span) {
				fns = append(fns, f)
			}
			continue
		}
		seen[d] = true
		f.Static = d.Linkage() == cc.Internal
		f.Inline = f.Inline || d.IsInline()
		fns = append(fns, f)
	}
	sum.Functions = fns

	globals := sum.Globals[:0]
	for _, g := range sum.Globals {
		d := e.declaredAt(g.Name, g.Span)
		if d == nil {
			if off.keeps(g.Name, g.Span) {
				globals = append(globals, g)
			}
			continue
		}
		seen[d] = true
		g.Static = d.Linkage() == cc.Internal
		globals = append(globals, g)
	}
	sum.Globals = globals

	typedefs := sum.Typedefs[:0]
	for _, t := range sum.Typedefs {
		if d := e.declaredAt(t.Name, t.Span); d != nil {
			seen[d] = true
			typedefs = append(typedefs, t)
		} else if off.keeps(t.Name, t.Span) {
			typedefs = append(typedefs, t)
		}
	}
	sum.Typedefs = typedefs

	types := sum.Types[:0]
	matched := map[cc.Type]bool{}
	for _, t := range sum.Types {
		ct, ok := e.typeFor(t)
		if !ok {
			if !e.declaresType(t) && off.inactive(t.Span.StartByte) {
				types = append(types, t) // no layout: cc/v4 did not compile it
			}
			continue
		}
		matched[ct] = true
		fillLayout(&t, ct)
		if et, ok := ct.(*cc.EnumType); ok {
			// After expansion: X-macro enumerators become visible.
			t.Enumerators = t.Enumerators[:0:0]
			for _, en := range et.Enumerators() {
				t.Enumerators = append(t.Enumerators, Enumerator{Name: string(en.Token.Src()), Value: valueString(en.Value())})
			}
		} else if t.Kind == KindEnum {
			for i := range t.Enumerators {
				if v, ok := e.enumVal[t.Enumerators[i].Name]; ok {
					t.Enumerators[i].Value = v
				}
			}
		}
		types = append(types, t)
	}
	sum.Types = append(types, macroGeneratedTypes(e, matched, src, lines)...)
	sort.SliceStable(sum.Types, func(i, j int) bool { return sum.Types[i].Span.StartByte < sum.Types[j].Span.StartByte })

	// Every definition of a macro stays, the alternatives cc/v4 left out
	// included: the tolerant engine records them all, and a kernel's
	// other configurations build with them (FreeRTOS's four
	// taskCHECK_FOR_STACK_OVERFLOW, one per stack check and growth).
	addMacroGenerated(sum, e, seen, src, lines)
}

// typeFor finds the cc/v4 type of a summarized struct, union or enum: by
// tag, or through the typedef naming an anonymous one. ok is false when cc/v4
// has no such type in the file (an inactive branch).
func (e *ccEntities) typeFor(t Type) (cc.Type, bool) {
	for _, n := range e.tags[t.Name] {
		if l := n.Position().Line; l < t.Span.StartLine || l > t.Span.EndLine {
			continue
		}
		switch x := n.(type) {
		case *cc.StructOrUnionSpecifier:
			return x.Type(), true
		case *cc.EnumSpecifier:
			return x.Type(), true
		}
	}
	for _, d := range e.decls[t.Name] {
		if d.IsTypename() {
			return d.Type(), true
		}
	}
	if len(e.tags[t.Name]) == 0 && t.Kind == KindEnum {
		// An enum can be anonymous; its enumerators show it is active.
		for _, en := range t.Enumerators {
			if _, ok := e.enumVal[en.Name]; ok {
				return e.enumTypes[en.Name], true
			}
		}
	}
	return nil, false
}

// fieldsOf lists a struct's or union's fields.
type fielder interface {
	NumFields() int
	FieldByIndex(int) *cc.Field
}

func fillLayout(t *Type, ct cc.Type) {
	if ct == nil || ct.IsIncomplete() {
		return
	}
	t.Size, t.Align = ct.Size(), int64(ct.Align())
	f, ok := ct.(fielder)
	if !ok {
		return
	}
	byName := map[string]*cc.Field{}
	var unnamed []*cc.Field
	for i := 0; i < f.NumFields(); i++ {
		fld := f.FieldByIndex(i)
		if fld == nil {
			continue
		}
		if fld.Name() == "" {
			unnamed = append(unnamed, fld)
		} else {
			byName[fld.Name()] = fld
		}
	}
	for i := range t.Members {
		m := &t.Members[i]
		var fld *cc.Field
		if m.Name != "" {
			fld = byName[m.Name]
		} else if len(unnamed) > 0 {
			fld, unnamed = unnamed[0], unnamed[1:]
		}
		if fld == nil {
			continue
		}
		m.Offset = fld.Offset()
		if ft := fld.Type(); ft != nil && !ft.IsIncomplete() {
			m.Size = ft.Size()
		}
		if fld.IsBitfield() {
			m.BitWidth = int(fld.ValueBits())
			m.Size = fld.AccessBytes()
		}
	}
}

// addMacroGenerated adds the file-scope functions, variables and typedefs
// that only appear after macro expansion (DEFINE_GETTER(int, x) and the
// like). cc/v4 gives the tokens an expansion produces the position of the
// invocation, so they are the file's, at the invocation's line.
// lines is the file's line index of src. A definition the text pass
// missed whose body is in the file's own text (a K&R "main(int argc, char
// *argv[]) {...}" with an implicit int result) is hashed from that text, as
// the text pass hashes any other, so that giving it its "int" changes no
// body.
func addMacroGenerated(sum *Summary, e *ccEntities, seen map[*cc.Declarator]bool, src []byte, lines lineIndex) {
	var names []string
	for name := range e.decls {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		for _, d := range e.decls[name] {
			if seen[d] || d.IsParam() || d.IsSynthetic() {
				continue
			}
			tok := d.NameTok()
			if string(tok.Src()) != name || d.Position().Line < 1 || d.Position().Line > len(lines) {
				continue
			}
			off := lines[d.Position().Line-1]
			sp := Span{StartLine: d.Position().Line, EndLine: d.Position().Line, StartByte: off, EndByte: off}
			typ := d.Type()
			if typ == nil {
				continue
			}
			if d.IsTypename() {
				// "typedef ref_t T##Ref;" in OBJECT_TYPE(T).
				sum.Typedefs = append(sum.Typedefs, Typedef{Name: name, Type: typedefTarget(d, e.declSpecs[d]), Span: sp})
				continue
			}
			if typ.Kind() == cc.Function {
				fn := Function{Name: name, Signature: ccTypeString(typ), Static: d.Linkage() == cc.Internal, Inline: d.IsInline(), Span: sp}
				if fd := e.funcDef[name]; fd != nil && fd.Declarator == d {
					fn.Definition = true
					toks := ccTokens(fd.CompoundStatement)
					fn.BodyHash = hashTokens(toks)
					if body, ok := bodyInText(src, lines, fd.CompoundStatement); ok {
						toks = lexTokens(src, body[0], body[1])
						fn.BodyHash, fn.NamedBodyHash = hashBody(toks, parameterRenames(typ))
						fn.Span.EndLine = lines.span(body[0], body[1]).EndLine
						fn.Span.EndByte = body[1]
					}
					facts := analyzeBody(toks, nil)
					fn.Calls, fn.Members, fn.HasAsm = facts.calls, facts.members, facts.hasAsm
				}
				sum.Functions = append(sum.Functions, fn)
				continue
			}
			if d.StorageDuration() == cc.Static && !d.IsParam() {
				sum.Globals = append(sum.Globals, Global{Name: name, Type: ccTypeString(typ), Static: d.Linkage() == cc.Internal, Extern: d.IsExtern(), Span: sp})
			}
		}
	}
	sort.SliceStable(sum.Functions, func(i, j int) bool { return sum.Functions[i].Span.StartByte < sum.Functions[j].Span.StartByte })
	sort.SliceStable(sum.Globals, func(i, j int) bool { return sum.Globals[i].Span.StartByte < sum.Globals[j].Span.StartByte })
	sort.SliceStable(sum.Typedefs, func(i, j int) bool { return sum.Typedefs[i].Span.StartByte < sum.Typedefs[j].Span.StartByte })
}

// bodyInText returns the byte range of a function body in src, from its
// "{" to past its "}" (as the text pass finds it, matchBrace), when cc/v4
// places the body's "{" at a "{" of src (and not at a macro invocation
// that expands to it).
func bodyInText(src []byte, lines lineIndex, body *cc.CompoundStatement) ([2]int, bool) {
	if body == nil {
		return [2]int{}, false
	}
	p := body.Position()
	if p.Line < 1 || p.Line > len(lines) {
		return [2]int{}, false
	}
	open := lines[p.Line-1] + max(p.Column-1, 0)
	if open >= len(src) || src[open] != '{' {
		return [2]int{}, false
	}
	end, ok := matchBrace(src, open)
	if !ok {
		return [2]int{}, false
	}
	return [2]int{open, end + 1}, true
}

// parameterRenames maps a function type's parameter names to their
// positions ("$0", "$1"), as the text pass hashes bodies: a parameter
// renamed changes no body.
func parameterRenames(t cc.Type) map[string]string {
	ft, ok := t.(*cc.FunctionType)
	if !ok {
		return nil
	}
	rename := map[string]string{}
	for i, p := range ft.Parameters() {
		if p.Name() != "" {
			rename[p.Name()] = "$" + strconv.Itoa(i)
		}
	}
	return rename
}

// ccTokens returns a node's tokens after preprocessing, as lexer tokens.
func ccTokens(n cc.Node) []token {
	if n == nil {
		return nil
	}
	var out []token
	for _, t := range cc.NodeTokens(n) {
		out = append(out, token{text: string(t.Src())})
	}
	return out
}

// macroGeneratedTypes builds the tagged structs, unions and enums cc/v4
// defined in the file that the text pass did not see: their definition is
// the expansion of a macro invoked in the file (cc/v4 places expanded
// tokens at the invocation), members and all. They are spelled from cc/v4's
// types; matched holds the types the text pass already accounts for.
func macroGeneratedTypes(e *ccEntities, matched map[cc.Type]bool, src []byte, lines lineIndex) []Type {
	offset := func(n cc.Node) (int, bool) {
		p := n.Position()
		if p.Line < 1 || p.Line > len(lines) {
			return 0, false
		}
		return min(lines[p.Line-1]+max(p.Column-1, 0), len(src)), true
	}
	var names []string
	for name := range e.tags {
		names = append(names, name)
	}
	sort.Strings(names)
	var out []Type
	for _, name := range names {
		for _, n := range e.tags[name] {
			var ct cc.Type
			var closing cc.Token
			var kind TypeKind
			switch x := n.(type) {
			case *cc.StructOrUnionSpecifier:
				if x.Case != cc.StructOrUnionSpecifierDef {
					continue
				}
				ct, closing, kind = x.Type(), x.Token3, KindStruct
				if x.StructOrUnion != nil && x.StructOrUnion.Case == cc.StructOrUnionUnion {
					kind = KindUnion
				}
			case *cc.EnumSpecifier:
				if x.Case != cc.EnumSpecifierDef {
					continue
				}
				ct, closing, kind = x.Type(), x.Token5, KindEnum
			default:
				continue
			}
			if ct == nil || matched[ct] {
				continue
			}
			matched[ct] = true
			start, ok := offset(n)
			if !ok {
				continue
			}
			end := start
			if cp := closing.Position(); cp.Filename == n.Position().Filename {
				if off, ok := offset(closing); ok && off >= start {
					end = off + 1
				}
			}
			t := Type{Kind: kind, Name: name, Size: -1, Align: -1, Span: lines.span(start, min(end, len(src)))}
			if et, ok := ct.(*cc.EnumType); ok {
				for _, en := range et.Enumerators() {
					t.Enumerators = append(t.Enumerators, Enumerator{Name: string(en.Token.Src()), Value: valueString(en.Value())})
				}
			} else if f, ok := ct.(fielder); ok {
				for i := 0; i < f.NumFields(); i++ {
					if fld := f.FieldByIndex(i); fld != nil {
						t.Members = append(t.Members, Member{Name: fld.Name(), Type: ccMemberType(fld.Type()), BitWidth: -1, Offset: -1, Size: -1})
					}
				}
			}
			fillLayout(&t, ct)
			out = append(out, t)
		}
	}
	return out
}
