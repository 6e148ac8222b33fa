package cparse

import (
	"context"
	"testing"
)

// TestAttributeBeforeTypedefName: an attribute macro between a struct's
// body and the name its typedef gives it ("} PACKED multiboot_info_t;", as
// seL4 marks structs packed) is no part of the type: adding it to a struct
// whose members are all one width changes nothing the tolerant engine can
// see, and the typedef still names its struct.
func TestAttributeBeforeTypedefName(t *testing.T) {
	parse := func(src string) *Summary {
		return Parse(context.Background(), "multiboot.h", []byte(src), Config{})
	}
	old := parse("typedef struct multiboot_module {\n    uint32_t start;\n    uint32_t end;\n} multiboot_module_t;\n")
	new := parse("typedef struct multiboot_module {\n    uint32_t start;\n    uint32_t end;\n} PACKED multiboot_module_t;\n")
	if len(new.Typedefs) != 1 || new.Typedefs[0].Name != "multiboot_module_t" || new.Typedefs[0].Type != "struct multiboot_module" {
		t.Fatalf("typedefs %+v, want multiboot_module_t naming struct multiboot_module", new.Typedefs)
	}
	if ch := Diff(old, new); len(ch) != 0 {
		t.Errorf("changes %+v, want none", ch)
	}
	withArg := parse("typedef struct s {\n    int a;\n} ALIGNED(8) s_t;\n")
	if len(withArg.Typedefs) != 1 || withArg.Typedefs[0].Type != "struct s" {
		t.Errorf("typedefs %+v, want s_t naming struct s", withArg.Typedefs)
	}
	// An upper-case typedef name stays a name.
	upper := parse("typedef struct {\n    int a;\n} XMSG;\n")
	if len(upper.Typedefs) != 1 || upper.Typedefs[0].Name != "XMSG" {
		t.Errorf("typedefs %+v, want XMSG", upper.Typedefs)
	}
}
