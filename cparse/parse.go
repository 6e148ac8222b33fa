package cparse

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"path"
	"strconv"
	"strings"
	"time"
)

// EngineChoice selects which engine Parse uses.
type EngineChoice string

const (
	// EngineAuto uses the precise engine for C when it is configured (an FS
	// is given) and succeeds, the tolerant engine otherwise. C++ always
	// uses the tolerant engine.
	EngineAuto           EngineChoice = "auto"
	EngineChoicePrecise  EngineChoice = "precise"
	EngineChoiceTolerant EngineChoice = "tolerant"
)

// Limits that keep one file from stalling a run.
const (
	// MaxFileSize is the largest file Parse summarizes; bigger files are
	// generated tables or blobs, not code a person changes.
	MaxFileSize = 8 << 20
	// DefaultTimeout bounds one file's parse when Config.Timeout is zero.
	DefaultTimeout = 10 * time.Second
	// DefaultExpansionLimit bounds macro expansion work in the precise
	// engine when Config.ExpansionLimit is zero (tokens processed).
	DefaultExpansionLimit = 50_000_000
)

// Config is what Parse needs beyond the file's bytes.
type Config struct {
	// FS is the tree the file lives in, used to resolve #include for the
	// precise engine; paths in it are slash-separated and relative to its
	// root. Nil means the precise engine is not configured.
	FS fs.FS
	// IncludePaths are directories in FS searched for "..." and <...>
	// includes, in order, after the including file's own directory.
	IncludePaths []string
	// Predefined is the source of the macros every translation unit of the
	// precise engine starts from: the target's compiler (its ABI). The
	// caller supplies it (package kernel passes the emulated target's,
	// runtime/emu/abi.Predefined), so this package knows no target. The
	// precise engine needs it: without it, the tolerant engine is used.
	Predefined string
	// Defines are "NAME" or "NAME=VALUE" macros defined after Predefined.
	Defines []string
	Engine  EngineChoice
	// Lang forces the language; "" chooses by file extension.
	Lang Lang
	// ExpansionLimit bounds macro expansion in the precise engine (0: a
	// sensible default).
	ExpansionLimit int
	// Timeout bounds one file's parse (0: DefaultTimeout). Each engine
	// tried gets this budget, so a precise attempt that times out still
	// leaves the tolerant fallback its own. Timeout is not part of the
	// Fingerprint: a summary cut short says so in its Errors.
	Timeout time.Duration
}

// PreciseFailedPrefix starts the error Parse records when the precise
// engine failed and the tolerant one gave the summary.
const PreciseFailedPrefix = "precise engine failed, used the tolerant engine: "

// Parse summarizes one file. path is the file's slash-separated path
// inside cfg.FS (or just its name when there is no FS). Parse never fails:
// problems are recorded in Summary.Errors. Summary.CPU tells the CPU time
// it took.
func Parse(ctx context.Context, path string, src []byte, cfg Config) *Summary {
	ctx, meter := withCPUMeter(ctx)
	var sum *Summary
	measured(ctx, func() { sum = parse(ctx, path, src, cfg) })
	sum.CPU = meter.total()
	return sum
}

func parse(ctx context.Context, path string, src []byte, cfg Config) *Summary {
	lang, header := LangOf(path)
	if cfg.Lang != "" {
		lang = cfg.Lang
	}
	sum := &Summary{Version: SchemaVersion, Path: path, Lang: lang, Header: header, Engine: EngineTolerant}
	if reason := unreadable(src); reason != "" {
		sum.Errors = append(sum.Errors, Error{Msg: reason})
		return sum
	}
	if lang == LangAsm {
		sum.Engine = EngineAsm
		summarizeAsm(sum, src)
		return sum
	}
	raw := src
	if bytes.HasPrefix(src, utf8BOM) {
		// Keep offsets: the mark becomes blanks the lexers skip.
		src = append([]byte("   "), src[len(utf8BOM):]...)
	}
	src = withLFContinuations(withoutDigitSeparators(src))
	s := blankDisabledGroups(newWholeSource(src))
	defer s.release()
	if cfg.Lang == "" && lang == LangC && header {
		// A C++ header named .h (langsniff.go).
		lang = headerLang(raw, s)
		sum.Lang = lang
	}
	timeout := cfg.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}

	engine := cfg.Engine
	if engine == "" {
		engine = EngineAuto
	}
	if lang == LangCPP && engine == EngineChoicePrecise {
		sum.Errors = append(sum.Errors, Error{Msg: "precise engine does not handle C++; used the tolerant engine"})
		engine = EngineChoiceTolerant
	}
	if engine != EngineChoiceTolerant && lang == LangC {
		if cfg.FS == nil || cfg.Predefined == "" {
			if engine == EngineChoicePrecise {
				sum.Errors = append(sum.Errors, Error{Msg: "precise engine not configured (no file tree or no predefined macros); used the tolerant engine"})
			}
		} else if psum, err := summarizeWithin(ctx, timeout, func(ctx context.Context) (*Summary, error) {
			return summarizePrecise(ctx, path, s, cfg, lang, header)
		}); err == nil {
			psum.TokenHash = fileTokenHash(s)
			return psum
		} else {
			le := limitOf(err)
			if le != nil && le.Limit == "time" {
				le.Max = timeout.Milliseconds()
			}
			sum.Errors = append(sum.Errors, Error{Msg: PreciseFailedPrefix + err.Error(), Limit: le})
		}
	}
	// The fallback gets a budget of its own: a precise engine that timed
	// out must not leave it none.
	summarizeWithin(ctx, timeout, func(ctx context.Context) (*Summary, error) {
		extractDirectives(sum, s)
		summarizeTolerant(ctx, sum, s, lazyTypeMacrosOf(ctx, path, s, cfg.FS, cfg.IncludePaths))
		return sum, nil
	})
	sum.TokenHash = fileTokenHash(s)
	return sum
}

// fileTokenHash hashes every token of s's text, comments and whitespace
// left out (Summary.TokenHash): the tokens the passes read.
func fileTokenHash(s *source) string { return hashTokens(s.tokens()) }

// summarizeWithin runs f with a deadline timeout from now.
func summarizeWithin(ctx context.Context, timeout time.Duration, f func(context.Context) (*Summary, error)) (*Summary, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	return f(ctx)
}

// LangOf tells the language of a file and whether it is a header, by its
// name: .h is a C header, .hh/.hpp/.hxx C++ headers, .cc/.cpp/.cxx C++.
func LangOf(p string) (Lang, bool) {
	if IsAsmPath(p) {
		return LangAsm, false
	}
	switch strings.ToLower(path.Ext(p)) {
	case ".h":
		return LangC, true
	case ".hh", ".hpp", ".hxx", ".h++", ".inl", ".tcc":
		return LangCPP, true
	case ".cc", ".cpp", ".cxx", ".c++":
		return LangCPP, false
	}
	if path.Ext(p) == ".C" {
		return LangCPP, false
	}
	return LangC, false
}

// unreadable says why src is not worth parsing, or "".
func unreadable(src []byte) string {
	if len(src) > MaxFileSize {
		return fmt.Sprintf("file too large to summarize: %d bytes (limit %d)", len(src), MaxFileSize)
	}
	probe := src
	if len(probe) > 8192 {
		probe = probe[:8192]
	}
	if bytes.IndexByte(probe, 0) >= 0 {
		return "binary file (NUL bytes): not summarized"
	}
	return ""
}

var utf8BOM = []byte{0xef, 0xbb, 0xbf}

// withLFContinuations returns src with each line continuation written
// with a CRLF line end ("\\\r\n") rewritten as " \\\n": tree-sitter joins
// only a backslash and a newline, and a CRLF file's multi-line macros
// otherwise spill into the declarations (FreeRTOS's WizC portmacro.h before
// 01820d3e made its line ends LF). Offsets and line numbers stay; src
// itself is returned when it has none.
func withLFContinuations(src []byte) []byte {
	crlf := []byte("\\\r\n")
	i := bytes.Index(src, crlf)
	if i < 0 {
		return src
	}
	out := bytes.Clone(src)
	for i >= 0 {
		out[i], out[i+1] = ' ', '\\'
		j := bytes.Index(out[i+len(crlf):], crlf)
		if j < 0 {
			break
		}
		i += len(crlf) + j
	}
	return out
}

// Fingerprint identifies everything in cfg, and the precise engine's
// bounds, that can change a summary of the same bytes; caches key
// summaries by it together with SchemaVersion. The FS is represented only
// by whether it is set: a precise summary also depends on the headers it
// read, which Summary.DependsOn lists.
func (cfg Config) Fingerprint() string {
	h := sha256.New()
	engine := cfg.Engine
	if engine == "" {
		engine = EngineAuto
	}
	limit := cfg.ExpansionLimit
	if limit <= 0 {
		limit = DefaultExpansionLimit
	}
	fmt.Fprintf(h, "schema=%d\nengine=%s\nlang=%s\nfs=%t\nlimit=%d\n", SchemaVersion, engine, cfg.Lang, cfg.FS != nil, limit)
	// The precise engine's bounds decide which engine summarizes a file:
	// a database made under other bounds is not reused.
	fmt.Fprintf(h, "precise=%d/%d/%d/%d/%d\n", MaxPreciseSize, MaxPreciseHeaderSize, IncludeBudgetFloor, MaxIncludeOpens, MaxIncludeDepth)
	fmt.Fprintf(h, "predefined=%x\n", sha256.Sum256([]byte(cfg.Predefined)))
	for _, p := range cfg.IncludePaths {
		fmt.Fprintf(h, "I=%s\n", strconv.Quote(p))
	}
	for _, d := range cfg.Defines {
		fmt.Fprintf(h, "D=%s\n", strconv.Quote(d))
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}
