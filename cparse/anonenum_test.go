package cparse

import (
	"context"
	"testing"
	"testing/fstest"
)

// An anonymous enum in a class body without a declarator only names
// constants: it is no data member, so removing it changes no layout
// (NOVA's "enum { UP, DN };" in Sys_semctl); an anonymous union is one.
func TestAnonymousEnumIsNoMember(t *testing.T) {
	old := tolerant(t, "syscall.hpp", "class Sys_semctl : public Sys_regs\n{\n    public:\n        enum\n        {\n            UP,\n            DN\n        };\n        unsigned op() const { return eax; }\n        union { int a; long b; };\n};\n")
	new := tolerant(t, "syscall.hpp", "class Sys_semctl : public Sys_regs\n{\n    public:\n        unsigned op() const { return eax; }\n        union { int a; long b; };\n};\n")
	for _, ty := range old.Types {
		if ty.Name == "Sys_semctl" && len(ty.Members) != 1 {
			t.Errorf("Sys_semctl members %+v, want only the anonymous union", ty.Members)
		}
	}
	for _, c := range Diff(old, new) {
		if c.Name == "Sys_semctl" && c.Change == ChangeLayout {
			t.Errorf("the enum removed: %+v, want no layout change of Sys_semctl", c)
		}
	}
}

// An anonymous enum that types a member ("enum { FD_CLOSED, FD_PIPE }
// type;" in xv6's struct fd) is part of that member's type: no type of its
// own, and a constant added is a layout change of the struct.
func TestMemberEnumIsNoType(t *testing.T) {
	old := tolerant(t, "fd.h", "struct fd {\n  enum { FD_CLOSED, FD_NONE, FD_PIPE } type;\n  int ref;\n};\n")
	new := tolerant(t, "fd.h", "struct fd {\n  enum { FD_CLOSED, FD_NONE, FD_PIPE, FD_FILE } type;\n  int ref;\n};\n")
	for _, ty := range old.Types {
		if ty.Name != "fd" {
			t.Errorf("type %q recorded, want only struct fd", ty.Name)
		}
	}
	layout := false
	for _, c := range Diff(old, new) {
		if c.Name != "fd" {
			t.Errorf("change %+v, want only struct fd's layout", c)
		}
		layout = layout || c.Name == "fd" && c.Change == ChangeLayout
	}
	if !layout {
		t.Errorf("FD_FILE added: no layout change of struct fd in %+v", Diff(old, new))
	}
}

// An anonymous enum whose first constant follows a comment is still named
// after it (xv6's lapic.c: "enum { /* Local APIC registers */ LAPIC_ID =
// 0x0020, ... }"), by both engines.
func TestAnonymousEnumAfterAComment(t *testing.T) {
	const src = "enum {\t\t\t/* Local APIC registers */\n  LAPIC_ID = 0x0020,\t/* ID */\n  LAPIC_VER = 0x0030,\n};\n"
	for _, choice := range []EngineChoice{EngineChoiceTolerant, EngineChoicePrecise} {
		s := Parse(context.Background(), "lapic.c", []byte(src), Config{FS: fstest.MapFS{}, Engine: choice})
		var names []string
		for _, ty := range s.Types {
			names = append(names, ty.Name)
		}
		if len(names) != 1 || names[0] != "enum LAPIC_ID" {
			t.Errorf("%s engine: types %q, want [enum LAPIC_ID] (errors %v)", s.Engine, names, s.Errors)
		}
	}
}
