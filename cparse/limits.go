package cparse

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
	"sync"

	"github.com/upsynth/upsynth/internal/lru"
)

// Per-file limits of the precise engine, checked before and while cc/v4
// works: cc/v4 cannot be interrupted, and an 8 MB file or a file that
// includes itself (#include __FILE__) otherwise kept it busy for the whole
// timeout at 1.3–1.5 GB. A file over a limit is summarized by the tolerant
// engine and the summary records the give-up (Error.Limit).
const (
	// MaxPreciseSize is the largest file the precise engine parses.
	MaxPreciseSize = 1 << 20
	// MaxPreciseHeaderSize is the largest header it parses: a bigger one
	// is a generated register or table header (a vendor's iodefine.h,
	// 2,000–12,000 register structs and macros), which it reads at 1–2
	// MB per CPU second, about twice the tolerant engine's time (a 162 KB
	// RX iodefine.h: 81–205 ms inside FreeRTOS's analysis, by the
	// machine's load, against the line of 100 ms per 100 KB), for exact
	// layouts no kernel update transfers. seL4's largest header is 30 KB.
	MaxPreciseHeaderSize = 96 << 10
	// MaxIncludeBytes bounds the bytes of headers the include walk reads
	// before a translation (conditional includes too).
	MaxIncludeBytes = 32 << 20
	// IncludeBudgetFloor is the bytes of headers any file's translation
	// may read; a larger file may read twice its own size
	// (IncludeBudget).
	IncludeBudgetFloor = 192 << 10
	// MaxIncludeOpens bounds the #includes one translation follows.
	MaxIncludeOpens = 20_000
	// MaxIncludeDepth is gcc's limit on #include nesting, which cc/v4 does
	// not enforce: a file that includes itself without a guard
	// (#include __FILE__, or a cycle of headers) recursed until the
	// timeout.
	MaxIncludeDepth = 200
)

// IncludeBudget is the bytes of headers the precise engine reads for a
// file of size bytes: the larger of IncludeBudgetFloor and twice the
// file. A translation's cost follows the text it reads, its headers
// included: on FreeRTOS-Kernel's history 1% of the translations (vendor
// demo files of a few KB reading a register header of 0.4–2 MB) took 40%
// of the precise engine's time, at 130–500 ms each, where the tolerant
// engine takes a millisecond. What they would give beyond the tolerant
// summary (the exact types and layouts of a demo file's own few
// declarations) does not pay for that. seL4's largest translation reads
// 92 KB of headers.
func IncludeBudget(size int) int64 {
	return max(IncludeBudgetFloor, 2*int64(size))
}

// conditionalWalkBytes is the bytes of headers the include walk reads
// before it stops following conditional includes: four times the
// translation's budget. seL4's largest walk reads 92 KB.
func conditionalWalkBytes(size int) int64 {
	return 4 * IncludeBudget(size)
}

// LimitError is a give-up: an engine stopped on a file because the input
// reached one of its limits. Analyze records each in its problems table.
type LimitError struct {
	Engine Engine `json:"engine"`
	// Limit names the limit: "file-size", "include-bytes",
	// "include-opens", "include-depth", "time".
	Limit  string `json:"limit"`
	Max    int64  `json:"max"`    // the limit's value, in Unit
	Figure int64  `json:"figure"` // what the input reached, in Unit
	Unit   string `json:"unit"`   // "bytes", "files", "ms"
	// File is the file that reached the limit when it is not the one
	// summarized (a header).
	File string `json:"file,omitempty"`
}

func (e *LimitError) Error() string {
	where := ""
	if e.File != "" {
		where = " at " + e.File
	}
	return fmt.Sprintf("%s engine gave up: %s limit %d %s reached (%d %s)%s", e.Engine, e.Limit, e.Max, e.Unit, e.Figure, e.Unit, where)
}

// limitOf returns the LimitError in err's chain, or nil.
func limitOf(err error) *LimitError {
	var le *LimitError
	if errors.As(err, &le) {
		return le
	}
	return nil
}

// includeBudget counts what one translation reads through its FS and
// refuses the open that would pass a limit.
type includeBudget struct {
	max   int64 // IncludeBudget of the file translated
	mu    sync.Mutex
	bytes int64
	opens int
	hit   *LimitError // the first limit reached
	// stop, when closed, fails every later open: the translation was
	// abandoned (its context is done) and should stop at its next include.
	stop <-chan struct{}
}

// exceeded returns the limit an open reached, or nil.
func (b *includeBudget) exceeded() *LimitError {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.hit
}

func (b *includeBudget) open(name string, size int64) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	select {
	case <-b.stop:
		return fs.ErrClosed
	default:
	}
	b.opens++
	b.bytes += size
	if b.hit != nil {
		return b.hit
	}
	switch {
	case b.opens > MaxIncludeOpens:
		b.hit = &LimitError{Engine: EnginePrecise, Limit: "include-opens", Max: MaxIncludeOpens, Figure: int64(b.opens), Unit: "files", File: name}
	case b.bytes > b.max:
		b.hit = &LimitError{Engine: EnginePrecise, Limit: "include-bytes", Max: b.max, Figure: b.bytes, Unit: "bytes", File: name}
	}
	if b.hit != nil {
		return b.hit
	}
	return nil
}

// includeWalk follows #includes the way cc/v4 will, before it runs: cc/v4
// parses each file once and expands its includes in memory, so neither its
// FS nor any hook sees a recursion. A file already being included is
// entered again only when it has no include guard or #pragma once.
type includeWalk struct {
	fsys   fs.FS
	quoted []string // directories searched for "x.h" after the includer's
	angled []string // directories searched for <x.h>
	files  map[string]*includedFile
	stack  map[string]int
	visits int
	bytes  int64
	// sureBytes are the bytes of the headers every translation reads
	// (walked on a path of unconditional includes).
	sureBytes int64
	// conditionalBytes bounds the bytes the walk reads of headers only
	// some translations include (alternatives selected by a macro);
	// past it, cc/v4's own budget (includeBudget) stops a translation
	// that opens too much.
	conditionalBytes int64
	trouble          *LimitError
	// missing is the first header that cannot be found on a path every
	// translation takes.
	missing *MissingIncludeError
}

// includedFile is what the walk needs of one file.
type includedFile struct {
	guarded  bool
	includes []includeLine
	walked   bool
	// walkedSure: walked on a path every translation takes.
	walkedSure bool
	size       int64
	sum        [32]byte // of the text, for failedPrefixes' keys
	// builtins is what the text needs of cc.Builtin (builtin.go).
	builtins builtinUse
}

// includeLine is one #include of a file.
type includeLine struct {
	raw string // the argument: "x.h", <x.h>, __FILE__ or a macro
	// unconditional: no #if, #ifdef or #ifndef other than the include
	// guard encloses the line, so every translation that enters the file
	// reaches it.
	unconditional bool
	line, col     int // of the argument, 1-based
}

// MissingIncludeError is an #include that every translation of a file
// reaches and that names no file of the tree: the precise engine would
// fail on it, so it is not run.
type MissingIncludeError struct {
	File      string // the file holding the #include (the summarized file or a header)
	Line, Col int
	Include   string // as written: <x.h> or "x.h"
}

// Error reads as cc/v4's report of the same problem.
func (e *MissingIncludeError) Error() string {
	return fmt.Sprintf("%s:%d:%d: include file not found: %s", e.File, e.Line, e.Col, e.Include)
}

// checkIncludes walks the includes of file (whose text is src) and
// returns the limit the walk reached, a *LimitError, or an include that
// cannot be found on a path every translation takes, a
// *MissingIncludeError; nil when there is neither.
func checkIncludes(fsys fs.FS, file string, src []byte, incs []string) error {
	return walkIncludes(fsys, file, src, incs).err()
}

// walkIncludes follows the includes of file, whose text is src.
func walkIncludes(fsys fs.FS, file string, src []byte, incs []string) *includeWalk {
	return walkIncludesOf(fsys, file, newSource(src), incs)
}

// walkIncludesOf is walkIncludes of the file whose text is s's.
func walkIncludesOf(fsys fs.FS, file string, s *source, incs []string) *includeWalk {
	w := &includeWalk{fsys: fsys, quoted: incs, angled: incs, files: map[string]*includedFile{}, stack: map[string]int{},
		conditionalBytes: conditionalWalkBytes(len(s.src))}
	w.files[file] = scanIncludes(s)
	w.walk(file, 0, true)
	return w
}

// err is what checkIncludes reports of the walk.
func (w *includeWalk) err() error {
	switch {
	case w.trouble != nil:
		return w.trouble
	case w.missing != nil:
		return w.missing
	}
	return nil
}

// headers lists the files the walk read, the summarized file not
// included, sorted.
func (w *includeWalk) headers(file string) []string {
	var out []string
	for name, f := range w.files {
		if f != nil && name != file {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// scannedHeaders keeps what scanIncludes found in a header, by the hash of
// its text: every translation of a tree walks the same headers again.
var scannedHeaders = lru.New[[32]byte, *includedFile](8192)

func scanIncludes(s *source) *includedFile {
	f := &includedFile{}
	src, dirs := s.src, s.directives()
	conds := nestConditionals(dirs)
	var lines lineIndex
	guardEnd := -1 // the include guard's #endif: the directives before it lie inside the guard
	for i, d := range dirs {
		if len(d.toks) < 1 {
			continue
		}
		if d.toks[0].text == "ifndef" && i == 0 && len(d.toks) > 1 && i+1 < len(dirs) && len(dirs[i+1].toks) > 1 && dirs[i+1].toks[0].text == "define" && dirs[i+1].toks[1].text == d.toks[1].text {
			f.guarded = true
			if guardEnd = conds.end(dirs, i); guardEnd < 0 {
				guardEnd = len(dirs)
			}
			continue
		}
		if len(d.toks) < 2 {
			continue
		}
		switch d.toks[0].text {
		case "pragma":
			f.guarded = f.guarded || d.toks[1].text == "once"
		case "include", "include_next":
			if lines == nil {
				lines = s.lineIndex()
			}
			at := d.toks[1].start
			line := lines.line(at)
			depth := conds.depth[i] // the #if nesting, the include guard's not counted
			if i < guardEnd {
				depth--
			}
			f.includes = append(f.includes, includeLine{
				raw:           strings.TrimSpace(string(src[at:d.toks[len(d.toks)-1].end])),
				unconditional: depth == 0 && d.toks[0].text == "include",
				line:          line,
				col:           at - lines[line-1] + 1,
			})
		}
	}
	return f
}

func (w *includeWalk) load(name string) *includedFile {
	if f, ok := w.files[name]; ok {
		return f
	}
	var f *includedFile
	if data, err := fs.ReadFile(w.fsys, name); err == nil {
		w.bytes += int64(len(data))
		sum := sha256.Sum256(data)
		scanned, ok := scannedHeaders.Get(sum)
		if !ok {
			scanned = scanIncludes(newSource(data))
			scanned.builtins = ccBuiltin().useOf(data)
			scannedHeaders.Add(sum, scanned)
		}
		// The walk's own marks go on a copy; includes and builtins are
		// read only.
		f = &includedFile{guarded: scanned.guarded, includes: scanned.includes, builtins: scanned.builtins, size: int64(len(data)), sum: sum}
	}
	w.files[name] = f
	return f
}

// resolve finds the file an #include argument names, "" if none; named
// is false when the argument is a macro, which only the preprocessor can
// resolve.
func (w *includeWalk) resolve(includer, raw string) (file string, named bool) {
	if raw == "__FILE__" {
		return includer, true
	}
	var dirs []string
	switch {
	case len(raw) > 2 && raw[0] == '"' && raw[len(raw)-1] == '"':
		dirs = append([]string{path.Dir(includer)}, w.quoted...)
	case len(raw) > 2 && raw[0] == '<' && raw[len(raw)-1] == '>':
		dirs = w.angled
	default:
		return "", false
	}
	for _, d := range dirs {
		p := path.Join(d, raw[1:len(raw)-1])
		if _, ok := w.files[p]; ok {
			return p, true
		}
		if _, err := fs.Stat(w.fsys, p); err == nil {
			return p, true
		}
	}
	return "", true
}

// walk follows the includes of name. sure tells that every translation
// reaches name (each #include on the way was unconditional); a missing
// header met on such a path is recorded in w.missing.
func (w *includeWalk) walk(name string, depth int, sure bool) {
	if w.trouble != nil {
		return
	}
	w.visits++
	switch {
	case depth > MaxIncludeDepth:
		w.trouble = &LimitError{Engine: EnginePrecise, Limit: "include-depth", Max: MaxIncludeDepth, Figure: int64(depth), Unit: "levels", File: name}
		return
	case w.visits > MaxIncludeOpens:
		w.trouble = &LimitError{Engine: EnginePrecise, Limit: "include-opens", Max: MaxIncludeOpens, Figure: int64(w.visits), Unit: "files", File: name}
		return
	case w.bytes > MaxIncludeBytes:
		w.trouble = &LimitError{Engine: EnginePrecise, Limit: "include-bytes", Max: MaxIncludeBytes, Figure: w.bytes, Unit: "bytes", File: name}
		return
	}
	if !sure && w.bytes > w.conditionalBytes {
		// Alternatives (a device header per part number: EFM32's
		// em_device.h selects one of 2.7 MB): the walk has read what it
		// needs to judge the translation.
		return
	}
	f := w.load(name)
	if f == nil || f.guarded && (w.stack[name] > 0 || f.walked && (f.walkedSure || !sure)) {
		return
	}
	w.stack[name]++
	for _, inc := range f.includes {
		p, named := w.resolve(name, inc.raw)
		switch {
		case p != "":
			w.walk(p, depth+1, sure && inc.unconditional)
		case named && sure && inc.unconditional && w.missing == nil:
			w.missing = &MissingIncludeError{File: name, Line: inc.line, Col: inc.col, Include: inc.raw}
		}
	}
	w.stack[name]--
	f.walked = true
	if sure && !f.walkedSure {
		w.sureBytes += f.size
	}
	f.walkedSure = f.walkedSure || sure
}
