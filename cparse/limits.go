package cparse

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strings"
	"sync"
)

// Per-file limits of the precise engine, checked before and while cc/v4
// works: cc/v4 cannot be interrupted, and an 8 MB file or a file that
// includes itself (#include __FILE__) otherwise kept it busy for the whole
// timeout at 1.3–1.5 GB. A file over a limit is summarized by the tolerant
// engine and the summary records the give-up (Error.Limit).
const (
	// MaxPreciseSize is the largest file the precise engine parses.
	MaxPreciseSize = 1 << 20
	// MaxIncludeBytes bounds the bytes of headers one translation reads.
	MaxIncludeBytes = 32 << 20
	// MaxIncludeOpens bounds the #includes one translation follows.
	MaxIncludeOpens = 20_000
	// MaxIncludeDepth is gcc's limit on #include nesting, which cc/v4 does
	// not enforce: a file that includes itself without a guard
	// (#include __FILE__, or a cycle of headers) recursed until the
	// timeout.
	MaxIncludeDepth = 200
)

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
	case b.bytes > MaxIncludeBytes:
		b.hit = &LimitError{Engine: EnginePrecise, Limit: "include-bytes", Max: MaxIncludeBytes, Figure: b.bytes, Unit: "bytes", File: name}
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
	fsys    fs.FS
	quoted  []string // directories searched for "x.h" after the includer's
	angled  []string // directories searched for <x.h>
	files   map[string]*includedFile
	stack   map[string]int
	visits  int
	bytes   int64
	trouble *LimitError
}

// includedFile is what the walk needs of one file.
type includedFile struct {
	guarded  bool
	includes []string // raw arguments: "x.h", <x.h>, or __FILE__
	walked   bool
}

// checkIncludes walks the includes of file (whose text is src) and
// returns the limit the walk reached, or nil.
func checkIncludes(fsys fs.FS, file string, src []byte, incs []string) *LimitError {
	w := &includeWalk{fsys: fsys, quoted: incs, angled: incs, files: map[string]*includedFile{}, stack: map[string]int{}}
	w.files[file] = scanIncludes(src)
	w.walk(file, 0)
	return w.trouble
}

func scanIncludes(src []byte) *includedFile {
	f := &includedFile{}
	dirs := scanDirectives(src)
	for i, d := range dirs {
		if len(d.toks) < 2 {
			continue
		}
		switch d.toks[0].text {
		case "pragma":
			f.guarded = f.guarded || d.toks[1].text == "once"
		case "ifndef":
			if i == 0 && i+1 < len(dirs) && len(dirs[i+1].toks) > 1 && dirs[i+1].toks[0].text == "define" && dirs[i+1].toks[1].text == d.toks[1].text {
				f.guarded = true
			}
		case "include", "include_next":
			f.includes = append(f.includes, strings.TrimSpace(string(src[d.toks[1].start:d.toks[len(d.toks)-1].end])))
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
		f = scanIncludes(data)
	}
	w.files[name] = f
	return f
}

// resolve finds the file an #include argument names, "" if none.
func (w *includeWalk) resolve(includer, raw string) string {
	if raw == "__FILE__" {
		return includer
	}
	var dirs []string
	switch {
	case len(raw) > 2 && raw[0] == '"' && raw[len(raw)-1] == '"':
		dirs = append([]string{path.Dir(includer)}, w.quoted...)
	case len(raw) > 2 && raw[0] == '<' && raw[len(raw)-1] == '>':
		dirs = w.angled
	default:
		return "" // a macro: only the preprocessor knows
	}
	for _, d := range dirs {
		p := path.Join(d, raw[1:len(raw)-1])
		if _, ok := w.files[p]; ok {
			return p
		}
		if _, err := fs.Stat(w.fsys, p); err == nil {
			return p
		}
	}
	return ""
}

func (w *includeWalk) walk(name string, depth int) {
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
	f := w.load(name)
	if f == nil || f.guarded && (w.stack[name] > 0 || f.walked) {
		return
	}
	w.stack[name]++
	for _, raw := range f.includes {
		if p := w.resolve(name, raw); p != "" {
			w.walk(p, depth+1)
		}
	}
	w.stack[name]--
	f.walked = true
}
