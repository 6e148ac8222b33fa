package cparse

import "testing"

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
