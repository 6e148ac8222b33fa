package kernel

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestMatch(t *testing.T) {
	cases := []struct {
		glob, path string
		want       bool
	}{
		{"boot/**", "boot/entry.c", true},
		{"boot/**", "kernel/boot.c", false},
		{"**/boot/**", "arch/x86/boot/head.c", true},
		{"**/*.S", "entry.S", true},
		{"**/*.S", "arch/x86/entry.S", true},
		{"**/*.S", "arch/x86/entry.s", false},
		{"kernel/obj.c", "kernel/obj.c", true},
		{"kernel/obj.c", "kernel/obj.cc", false},
		{"*.md", "docs/a/readme.md", true},
		{"docs/**", "docs", true},
		{"src/*/x.c", "src/a/b/x.c", false},
		{"src/**/x.c", "src/a/b/x.c", true},
	}
	for _, c := range cases {
		if got := Match(c.glob, c.path); got != c.want {
			t.Errorf("Match(%q, %q) = %v, want %v", c.glob, c.path, got, c.want)
		}
	}
}

func TestParse(t *testing.T) {
	c, err := Parse("upsynth.yaml", []byte(`
include: [include]
defines: ["NAME=1"]
init: ["*_init", "kernel_boot"]
nonupdatable:
  - glob: "kernel/obj.c"
    reason: "the object system itself"
  - "lib/raw/**"
exclude: ["docs/**"]
purpose:
  "1a2b3c4": fix
`))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(c.Include, []string{"include"}) || !reflect.DeepEqual(c.Defines, []string{"NAME=1"}) {
		t.Errorf("include/defines = %v %v", c.Include, c.Defines)
	}
	if !c.IsInit("main") || !c.IsInit("fs_init") || c.IsInit("fs_read") {
		t.Error("init globs")
	}
	if r := c.NonUpdatableReason("kernel/obj.c"); r != "the object system itself (kernel/obj.c)" {
		t.Errorf("reason = %q", r)
	}
	if c.NonUpdatableReason("lib/raw/x.c") == "" || c.NonUpdatableReason("boot/a.c") == "" || c.NonUpdatableReason("kernel/a.c") != "" {
		t.Error("nonupdatable globs")
	}
	if !c.Excluded("docs/a.md") || c.Excluded("kernel/a.c") {
		t.Error("exclude")
	}
	if c.PurposeOverride("1a2b3c4deadbeef") != "fix" || c.PurposeOverride("ffff") != "" {
		t.Error("purpose override")
	}
}

func TestParseErrors(t *testing.T) {
	for _, bad := range []string{
		"purpose: {\"abcd\": bugfix}",
		"purpose: {\"xyz!\": fix}",
		"nonupdatable: [{reason: x}]",
		"unknown_key: 1",
		"exclude: [\"[\"]",
	} {
		if _, err := Parse("upsynth.yaml", []byte(bad)); err == nil {
			t.Errorf("Parse(%q) succeeded", bad)
		}
	}
	if c, err := Parse("upsynth.yaml", nil); err != nil || !c.IsInit("kernel_boot") {
		t.Errorf("empty file: %v", err)
	}
}

// TestUnknownKeyNamesLine: a key the schema does not have is an error
// naming the file, the line and the key.
func TestUnknownKeyNamesLine(t *testing.T) {
	_, err := Parse("upsynth.yaml", []byte("include: [include]\ndefines: [A]\nexlude: [\"docs/**\"]\n"))
	var ce *ConfigError
	if !errors.As(err, &ce) || ce.File != "upsynth.yaml" {
		t.Fatalf("err = %v, want a *ConfigError for upsynth.yaml", err)
	}
	for _, want := range []string{"line 3", `unknown key "exlude"`, "exclude"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%v: does not say %q", err, want)
		}
	}
}

// TestGlobDialect: the cases the three former dialects disagreed on, and
// doublestar's own rules.
func TestGlobDialect(t *testing.T) {
	for _, c := range []struct {
		glob, path string
		want       bool
	}{
		{"*_test.c", "kernel/a_test.c", true}, // no "/": the last element, anywhere
		{"*_test.c", "a_test.c", true},
		{"**/host/*.c", "host/x.c", true}, // "**" is zero or more elements
		{"**/host/*.c", "tools/host/x.c", true},
		{"**/host/*.c", "host/sub/x.c", false},
		{"docs/**", "docs/a/b.md", true},
		{"{boot,init}/*.c", "init/main.c", true},
		{"kernel/[a-c]*.c", "kernel/b.c", true},
		{"kernel/[a-c]*.c", "kernel/d.c", false},
	} {
		if got := Match(c.glob, c.path); got != c.want {
			t.Errorf("Match(%q, %q) = %v, want %v", c.glob, c.path, got, c.want)
		}
	}
	if CheckGlob("kernel/[a") == nil {
		t.Error("a malformed glob is accepted")
	}
}

// TestDefaultInclude: without include, the tree's include/ and its root.
func TestDefaultInclude(t *testing.T) {
	if got := Default().Include; !reflect.DeepEqual(got, []string{"include", "."}) {
		t.Errorf("default include = %v", got)
	}
	if _, err := Parse("upsynth.yaml", []byte("include: [\"../outside\"]\n")); err == nil {
		t.Error("an include path outside the tree is accepted")
	}
}
