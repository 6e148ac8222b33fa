// This file holds upsynth.yaml: the one schema of a kernel's settings
// (docs/upsynth-yaml.md), read strictly.

package kernel

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"reflect"
	"regexp"
	"sort"
	"strings"

	"github.com/bmatcuk/doublestar/v4"
	"gopkg.in/yaml.v3"
)

// FileName is the settings file looked up at the repository root.
const FileName = "upsynth.yaml"

// PathRule is a glob with the reason it matters.
type PathRule struct {
	Glob   string `yaml:"glob"`
	Reason string `yaml:"reason"`
}

// UnmarshalYAML accepts a plain glob string or a {glob, reason} mapping.
func (r *PathRule) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		r.Glob = n.Value
		return nil
	}
	type plain PathRule
	return n.Decode((*plain)(r))
}

// Config is upsynth.yaml, documented in docs/upsynth-yaml.md.
type Config struct {
	// Include are the include paths of the kernel's C, repository-relative,
	// searched after the including file's directory and before the
	// target's headers (DefaultInclude when the file gives none).
	Include      []string          `yaml:"include"`
	Defines      []string          `yaml:"defines"`
	Init         []string          `yaml:"init"`
	NonUpdatable []PathRule        `yaml:"nonupdatable"`
	Exclude      []string          `yaml:"exclude"`
	Purpose      map[string]string `yaml:"purpose"`
	// Tests are globs of test code, which is never part of a running
	// kernel (DefaultTests when the file gives none).
	Tests []string `yaml:"tests"`
	// Modules are globs of the C files that make the kernel image on the
	// emulated target; none means every C file found (Tree.Modules).
	Modules []string `yaml:"modules"`
	// Workloads are globs of the request scripts the target runs
	// (DefaultWorkloads when the file gives none).
	Workloads []string `yaml:"workloads"`
	// Allocators are the kernel's own allocation functions, whose
	// results the target types by their allocation sites (runtime/emu's
	// typed heap).
	Allocators []Allocator `yaml:"allocators"`
}

// Allocator is a pair of the kernel's allocation functions: Alloc(size)
// returns a block, Free(block) releases it.
type Allocator struct {
	Alloc string `yaml:"alloc"`
	Free  string `yaml:"free"`
}

// Defaults of the settings a file leaves out (docs/classification.md for
// init and nonupdatable).
var (
	DefaultInclude      = []string{"include", "."}
	DefaultInit         = []string{"*_init", "kernel_boot", "main"}
	DefaultNonUpdatable = []PathRule{
		{"boot/**", "boot code runs once"},
		{"**/boot/**", "boot code runs once"},
		{"**/*.S", "assembly"},
		{"**/*.s", "assembly"},
		{"**/*.asm", "assembly"},
		{"**/*.s[0-9][0-9]", "assembly"}, // IAR's: .s43, .s79, .s87, …
		{"**/*.src", "assembly"},         // Renesas's
	}
	DefaultTests     = []string{"test/**", "tests/**", "**/test/**", "**/tests/**", "testsuite/**", "testsuites/**", "**/testsuite/**", "**/testsuites/**"}
	DefaultWorkloads = []string{"workloads/*.wl"}
)

var purposes = map[string]bool{"fix": true, "perf": true, "feature": true, "cleanup": true, "other": true}

// Parse reads settings from YAML, adds the defaults and checks them.
// name is used in error messages.
func Parse(name string, data []byte) (*Config, error) {
	var c Config
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil && !errors.Is(err, io.EOF) {
		return nil, &ConfigError{File: name, Err: yamlError(err)}
	}
	if err := c.check(name); err != nil {
		return nil, err
	}
	c.applyDefaults()
	return &c, nil
}

// Default is the configuration of a repository without upsynth.yaml.
func Default() *Config {
	c := &Config{}
	c.applyDefaults()
	return c
}

// Load reads a settings file from disk.
func Load(file string) (*Config, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	return Parse(file, b)
}

// ConfigError is a settings file that cannot be used: File names it, Err
// says why (with the line, for what the YAML decoder found).
type ConfigError struct {
	File string
	Err  error
}

func (e *ConfigError) Error() string { return e.File + ": " + e.Err.Error() }
func (e *ConfigError) Unwrap() error { return e.Err }

var unknownField = regexp.MustCompile(`^line (\d+): field (\S+) not found in type \S+$`)

// yamlError rewords the decoder's errors: an unknown key is named with its
// line and the keys the schema has.
func yamlError(err error) error {
	var te *yaml.TypeError
	if !errors.As(err, &te) {
		return err
	}
	var msgs []string
	for _, m := range te.Errors {
		if g := unknownField.FindStringSubmatch(m); g != nil {
			m = fmt.Sprintf("line %s: unknown key %q (the keys are %s)", g[1], g[2], strings.Join(configKeys(), ", "))
		}
		msgs = append(msgs, m)
	}
	return errors.New(strings.Join(msgs, "; "))
}

// configKeys lists the keys of the schema, from Config's tags.
func configKeys() []string {
	t := reflect.TypeOf(Config{})
	keys := make([]string, 0, t.NumField())
	for i := 0; i < t.NumField(); i++ {
		keys = append(keys, t.Field(i).Tag.Get("yaml"))
	}
	return keys
}

func (c *Config) check(name string) error {
	bad := func(format string, args ...any) error {
		return &ConfigError{File: name, Err: fmt.Errorf(format, args...)}
	}
	for _, list := range [][]string{c.Exclude, c.Init, c.Tests, c.Modules, c.Workloads} {
		for _, g := range list {
			if err := CheckGlob(g); err != nil {
				return bad("%w", err)
			}
		}
	}
	for i, a := range c.Allocators {
		if a.Alloc == "" || a.Free == "" {
			return bad("allocators entry %d: both alloc and free name a function", i+1)
		}
	}
	for _, r := range c.NonUpdatable {
		if r.Glob == "" {
			return bad("nonupdatable entry without a glob")
		}
		if err := CheckGlob(r.Glob); err != nil {
			return bad("nonupdatable: %w", err)
		}
	}
	for _, p := range c.Include {
		if p == "" || !fs.ValidPath(path.Clean(p)) {
			return bad("include path %q is not a relative path inside the repository", p)
		}
	}
	for sha, p := range c.Purpose {
		if !purposes[p] {
			return bad("purpose override %s: unknown purpose %q (want fix, perf, feature, cleanup or other)", sha, p)
		}
		if len(sha) < 4 || strings.Trim(strings.ToLower(sha), "0123456789abcdef") != "" {
			return bad("purpose override key %q is not a commit SHA prefix", sha)
		}
	}
	return nil
}

func (c *Config) applyDefaults() {
	if len(c.Include) == 0 {
		c.Include = DefaultInclude
	}
	if len(c.Init) == 0 {
		c.Init = DefaultInit
	} else if !contains(c.Init, "main") {
		c.Init = append(append([]string{}, c.Init...), "main")
	}
	c.NonUpdatable = append(append([]PathRule{}, DefaultNonUpdatable...), c.NonUpdatable...)
	if len(c.Tests) == 0 {
		c.Tests = DefaultTests
	}
	if len(c.Workloads) == 0 {
		c.Workloads = DefaultWorkloads
	}
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if x == y {
			return true
		}
	}
	return false
}

// IsInit reports whether a function name matches the init globs.
func (c *Config) IsInit(fn string) bool {
	for _, g := range c.Init {
		if ok, _ := doublestar.Match(g, fn); ok {
			return true
		}
	}
	return false
}

// NonUpdatableReason returns why a path cannot be updated live, or "".
func (c *Config) NonUpdatableReason(p string) string {
	for _, r := range c.NonUpdatable {
		if Match(r.Glob, p) {
			if r.Reason == "" {
				return "non-updatable path " + r.Glob
			}
			return r.Reason + " (" + r.Glob + ")"
		}
	}
	return ""
}

// Excluded reports whether the settings exclude a path from analysis.
func (c *Config) Excluded(p string) bool { return MatchAny(c.Exclude, p) }

// IsTest reports whether a path is test code.
func (c *Config) IsTest(p string) bool { return MatchAny(c.Tests, p) }

// PurposeOverride returns the purpose upsynth.yaml gives a commit, or "".
// The longest matching SHA prefix wins.
func (c *Config) PurposeOverride(sha string) string {
	keys := make([]string, 0, len(c.Purpose))
	for k := range c.Purpose {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return len(keys[i]) > len(keys[j]) })
	for _, k := range keys {
		if strings.HasPrefix(sha, strings.ToLower(k)) {
			return c.Purpose[k]
		}
	}
	return ""
}
