package cparse

import (
	"context"
	"slices"
	"strings"
	"testing"
)

// TestEnumeratorsUnderConditionals: the tolerant engine reads the
// enumerators of every branch, with the conditions they are defined
// under, so that one added under #ifdef, or made conditional, changes its
// enum (seL4's thread_control_flag under CONFIG_KERNEL_MCS, RISC-V's
// frameSizeConstants under CONFIG_PT_LEVELS).
func TestEnumeratorsUnderConditionals(t *testing.T) {
	parse := func(src string) *Summary {
		return Parse(context.Background(), "hardware.h", []byte(src), Config{Engine: EngineChoiceTolerant})
	}
	old := parse("enum flags {\n  update_space = 0x4,\n  update_mcp = 0x8,\n};\n" +
		"enum sizes {\n  PageBits = 12,\n  GigaPageBits = 30,\n#if LEVELS == 4\n  TeraPageBits = 39\n#endif\n};\n" +
		"enum alt {\n  first,\n#ifndef SMALL\n  big,\n#elif TINY\n  tiny,\n#else\n  small,\n#endif\n  last,\n};\n")
	var got []string
	for _, e := range old.Types[2].Enumerators {
		got = append(got, e.Name+" "+e.Condition)
	}
	want := []string{"first ", "big !defined(SMALL)", "tiny !(!defined(SMALL)) && TINY", "small !(!defined(SMALL)) && !(TINY)", "last "}
	if !slices.Equal(got, want) {
		t.Errorf("enum alt: %q, want %q", got, want)
	}
	new := parse("enum flags {\n  update_space = 0x4,\n  update_mcp = 0x8,\n#ifdef CONFIG_KERNEL_MCS\n  update_sc = 0x10,\n#endif\n};\n" +
		"enum sizes {\n  PageBits = 12,\n#if LEVELS > 2\n  GigaPageBits = 30,\n#endif\n#if LEVELS > 3\n  TeraPageBits = 39\n#endif\n};\n" +
		"enum alt {\n  first,\n#ifndef SMALL\n  big,\n#elif TINY\n  tiny,\n#else\n  small,\n#endif\n  last,\n};\n")
	changed := map[string]string{}
	for _, c := range Diff(old, new) {
		if c.Entity == EntityType && c.Change == ChangeEnum {
			changed[c.Name] = c.Detail
		}
	}
	if d := changed["flags"]; !strings.Contains(d, "update_sc=0x10 [#if defined(CONFIG_KERNEL_MCS)]") {
		t.Errorf("flags: %q, want an enum change naming update_sc under CONFIG_KERNEL_MCS", d)
	}
	if d := changed["sizes"]; !strings.Contains(d, "GigaPageBits=30 [#if LEVELS > 2]") {
		t.Errorf("sizes: %q, want an enum change naming GigaPageBits made conditional", d)
	}
	if d, ok := changed["alt"]; ok {
		t.Errorf("alt unchanged, yet: %q", d)
	}
}

// TestEnumUnderlyingType: an enum given an underlying type changes its
// size, and one made scoped changes how its enumerators are named: both
// are enum changes (NOVA's "enum Type" becoming "enum class Type :
// uint8_t"); an enum whose underlying type is respelled the same is not.
func TestEnumUnderlyingType(t *testing.T) {
	parse := func(src string) *Summary {
		return Parse(context.Background(), "kobject.hpp", []byte(src), Config{Engine: EngineChoiceTolerant, Lang: LangCPP})
	}
	old := parse("class Kobject {\n  enum Type { PD, EC };\n  enum Sub : unsigned { A };\n};\n")
	new := parse("class Kobject {\n  enum class Type : uint8_t { PD, EC };\n  enum Sub : unsigned int { A };\n};\n")
	var got []string
	for _, c := range Diff(old, new) {
		got = append(got, c.Name+" "+string(c.Change)+": "+c.Detail)
	}
	want := []string{"Kobject::Type enum: underlying type none -> uint8_t; now scoped (enum class)"}
	if !slices.Equal(got, want) {
		t.Errorf("changes %q, want %q", got, want)
	}
}

// TestAnonymousEnumWithBase: "enum : MapFlags {" in a class body, which
// tree-sitter's grammar reads as an error and a name, is an anonymous enum
// whose underlying type is MapFlags, named after its first enumerator
// (managarm's AddressSpace map flags), not an enum named MapFlags.
func TestAnonymousEnumWithBase(t *testing.T) {
	src := "class AddressSpace {\npublic:\n  typedef uint32_t MapFlags;\n  enum : MapFlags {\n    kMapFixed = 0x01,\n    kMapReadOnly = 0x08\n  };\n};\nenum : MapFlags { kTop = 1 };\nenum Named : MapFlags { kNamed = 1 };\n"
	s := Parse(context.Background(), "usermem.hpp", []byte(src), Config{Engine: EngineChoiceTolerant, Lang: LangCPP})
	var got []string
	for _, ty := range s.Types {
		got = append(got, ty.Name+" : "+ty.Underlying)
	}
	want := []string{"AddressSpace : ", "AddressSpace::enum kMapFixed : MapFlags", "enum kTop : MapFlags", "Named : MapFlags"}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("types %q, want %q", got, want)
	}
}
