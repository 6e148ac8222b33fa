// Package config reads upsynth.yaml, the per-repository analysis settings:
// include paths and defines for the precise parser, init functions,
// non-updatable and excluded paths, and purpose overrides. It also owns the
// glob dialect those settings use.
package config

import (
	"fmt"
	"os"
	"path"
	"sort"
	"strings"

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

// Config is upsynth.yaml. See CONTRACTS.md / README for the format.
type Config struct {
	Include      []string          `yaml:"include"`
	Defines      []string          `yaml:"defines"`
	Init         []string          `yaml:"init"`
	NonUpdatable []PathRule        `yaml:"nonupdatable"`
	Exclude      []string          `yaml:"exclude"`
	Purpose      map[string]string `yaml:"purpose"`
	// Tests are globs of test code, which is never part of a running
	// kernel (not in CONTRACTS.md's example; defaults below).
	Tests []string `yaml:"tests"`
}

// Defaults from the classification rulebook.
var (
	DefaultInit         = []string{"*_init", "kernel_boot", "main"}
	DefaultNonUpdatable = []PathRule{
		{"boot/**", "boot code runs once"},
		{"**/boot/**", "boot code runs once"},
		{"**/*.S", "assembly"},
		{"**/*.s", "assembly"},
		{"**/*.asm", "assembly"},
	}
	DefaultTests = []string{"test/**", "tests/**", "**/test/**", "**/tests/**"}
)

var purposes = map[string]bool{"fix": true, "perf": true, "feature": true, "cleanup": true, "other": true}

// Parse reads settings from YAML, adds the defaults and checks them.
// name is used in error messages.
func Parse(name string, data []byte) (*Config, error) {
	var c Config
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil && err.Error() != "EOF" {
		return nil, fmt.Errorf("%s: %w", name, err)
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

func (c *Config) check(name string) error {
	for _, g := range append(append(append([]string{}, c.Exclude...), c.Init...), c.Tests...) {
		if _, err := path.Match(strings.ReplaceAll(g, "**", "*"), ""); err != nil {
			return fmt.Errorf("%s: bad glob %q: %w", name, g, err)
		}
	}
	for _, r := range c.NonUpdatable {
		if r.Glob == "" {
			return fmt.Errorf("%s: nonupdatable entry without a glob", name)
		}
	}
	for sha, p := range c.Purpose {
		if !purposes[p] {
			return fmt.Errorf("%s: purpose override %s: unknown purpose %q (want fix, perf, feature, cleanup or other)", name, sha, p)
		}
		if len(sha) < 4 || strings.Trim(strings.ToLower(sha), "0123456789abcdef") != "" {
			return fmt.Errorf("%s: purpose override key %q is not a commit SHA prefix", name, sha)
		}
	}
	return nil
}

func (c *Config) applyDefaults() {
	if len(c.Init) == 0 {
		c.Init = DefaultInit
	} else if !contains(c.Init, "main") {
		c.Init = append(append([]string{}, c.Init...), "main")
	}
	c.NonUpdatable = append(append([]PathRule{}, DefaultNonUpdatable...), c.NonUpdatable...)
	if len(c.Tests) == 0 {
		c.Tests = DefaultTests
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
		if ok, _ := path.Match(g, fn); ok {
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
