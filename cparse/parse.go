package cparse

import (
	"context"
	"io/fs"
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

// Config is what Parse needs beyond the file's bytes.
type Config struct {
	// FS is the tree the file lives in, used to resolve #include for the
	// precise engine; paths in it are slash-separated and relative to its
	// root. Nil means the precise engine is not configured.
	FS fs.FS
	// IncludePaths are directories in FS searched for "..." and <...>
	// includes, in order, after the including file's own directory.
	IncludePaths []string
	// Defines are "NAME" or "NAME=VALUE" predefined macros.
	Defines []string
	Engine  EngineChoice
	// Lang forces the language; "" chooses by file extension.
	Lang Lang
	// ExpansionLimit bounds macro expansion in the precise engine (0: a
	// sensible default).
	ExpansionLimit int
	// Timeout bounds one file's parse (0: a sensible default).
	Timeout time.Duration
}

// Parse summarizes one file. path is the file's slash-separated path
// inside cfg.FS (or just its name when there is no FS). Parse never fails:
// problems are recorded in Summary.Errors.
func Parse(ctx context.Context, path string, src []byte, cfg Config) *Summary {
	panic("cparse.Parse: being written on the cparse branch")
}

// Fingerprint identifies everything in cfg that can change a summary of the
// same bytes; caches key summaries by it together with SchemaVersion.
func (cfg Config) Fingerprint() string {
	panic("cparse.Config.Fingerprint: being written on the cparse branch")
}

// Diff compares two summaries of one file (either may be nil for an added
// or removed file) and returns its entity-level changes, in a stable order.
func Diff(old, new *Summary) []Change {
	panic("cparse.Diff: being written on the cparse branch")
}
