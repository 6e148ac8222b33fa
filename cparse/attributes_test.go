package cparse

import (
	"slices"
	"testing"
)

// FuzzCXXAttributes: blanking attributes, C++'s or C's, keeps every offset
// and line, and only ever turns bytes into spaces.
func FuzzCXXAttributes(f *testing.F) {
	for _, s := range []string{
		"ALWAYS_INLINE\ninline unsigned long f() const;",
		"[[nodiscard]] bool g();",
		"__attribute__((section(\".init\"))) void h() {}",
		"INIT_PRIORITY (PRIO) Space Space::kern;",
		"class C { public: NORETURN static void x(); };",
		"UINT32 f(void); BOOL b; FOO(x);",
		"[[", "__attribute__((", "A_B(", "#define X [[\n",
		"static Atomic<Ec *> current asm (\"current\") CPULOCAL;",
		"static Ec *o CPULOCAL;", "void f() NORETURN;", "x y Z(", "a b asm(",
		"struct x {\n listFIRST_CHECK /* c */\n configLIST_VOLATILE UBaseType_t n;\n listSECOND_CHECK\n};",
		"T * configLIST_VOLATILE p;", "aB_C /*", "abC_D //",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		// C's pass as well as C++'s.
		for _, out := range [][]byte{blankCXXAttributes(src), blankAttributes(src, false, nil)} {
			if len(out) != len(src) {
				t.Fatalf("length %d, want %d", len(out), len(src))
			}
			for i := range src {
				if out[i] != src[i] && (out[i] != ' ' || src[i] == '\n') {
					t.Fatalf("byte %d: %q became %q", i, src[i], out[i])
				}
			}
		}
	})
}

func TestCXXAttributesKeepTypes(t *testing.T) {
	for _, src := range []string{"UINT32 f(void);", "BOOL b;", "FOO(x);", "x = MAX(a, b);", "return LIMIT;"} {
		if got := string(blankCXXAttributes([]byte(src))); got != src {
			t.Errorf("%q became %q", src, got)
		}
	}
	if got := string(blankCXXAttributes([]byte("NORETURN void f();"))); got != "         void f();" {
		t.Errorf("attribute macro kept: %q", got)
	}
}

// TestCXXTrailingAttributes: an attribute macro or an asm label after the
// declarator is blanked, so the declared name stays the name; a name
// written in capitals after a type is kept.
func TestCXXTrailingAttributes(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{"static Ec *fpowner CPULOCAL;", "static Ec *fpowner         ;"},
		{"static unsigned donations CPULOCAL;", "static unsigned donations         ;"},
		{"static Atomic<Ec *> current asm (\"current\") CPULOCAL;", "static Atomic<Ec *> current                         ;"},
		{"Space kern ALIGNED(8) = {};", "Space kern            = {};"},
		{"void halt() NORETURN;", "void halt()         ;"},
		{"int f() const OVERRIDE_X { return 1; }", "int f() const            { return 1; }"},
		{"struct Pci::quirk_map Pci::map[] INITDATA = {", "struct Pci::quirk_map Pci::map[]          = {"},
		{"extern \"C\" INIT REGPARM (1)\nvoid init (mword mbi)", "extern \"C\"                 \nvoid init (mword mbi)"},
		{"extern \"C\" INIT\nmword kern_ptab_setup()", "extern \"C\"     \nmword kern_ptab_setup()"},
		// Kept: the capitals are the declared name, or no declaration ends.
		{"static Foo MAX;", "static Foo MAX;"},
		{"unsigned long NUM_X;", "unsigned long NUM_X;"},
		{"static constexpr unsigned MAX_X = 4;", "static constexpr unsigned MAX_X = 4;"},
		{"typedef struct foo FOO;", "typedef struct foo FOO;"},
		{"std::size_t LIMIT = 4;", "std::size_t LIMIT = 4;"},
		{"x = a MAX;", "x = a MAX;"},
		{"return LIMIT;", "return LIMIT;"},
		{"Foo bar BAZ + 1;", "Foo bar BAZ + 1;"},
	} {
		if got := string(blankCXXAttributes([]byte(c.src))); got != c.want {
			t.Errorf("%q became %q, want %q", c.src, got, c.want)
		}
	}
}

// An attribute macro between a function's type and its name is no part of
// its signature, in C and C++: spelling it out as an attribute, or
// dropping it, changes no signature ("void VISIBLE f(int)" moved to a file
// where it reads "void __attribute__((externally_visible)) f(int)").
func TestAttributeMacrosLeaveSignatures(t *testing.T) {
	for _, file := range []string{"traps.c", "traps.cpp"} {
		old := tolerant(t, file, "void VISIBLE c_handle_interrupt(int irq, int syscall);\nvoid VISIBLE c_handle_interrupt(int irq, int syscall)\n{\n    handle(irq);\n}\nstatic void NORETURN\nslowpath(int s)\n{\n    halt(s);\n}\n")
		new := tolerant(t, file, "void __attribute__((externally_visible)) c_handle_interrupt(int irq, int syscall);\nvoid __attribute__((externally_visible)) c_handle_interrupt(int irq, int syscall)\n{\n    handle(irq);\n}\nstatic void\nslowpath(int s)\n{\n    halt(s);\n}\n")
		for _, s := range []*Summary{old, new} {
			for _, fn := range s.Functions {
				if fn.Signature != "void (int, int)" && fn.Signature != "void (int)" {
					t.Errorf("%s: %s has signature %q, want no attribute in it", file, fn.Name, fn.Signature)
				}
			}
		}
		if ch := Diff(old, new); len(ch) != 0 {
			t.Errorf("%s: attributes respelled: changes %+v, want none", file, ch)
		}
	}
}

// A macro that forces inlining stays in the signature, as "inline" is
// recorded: callers carry the function's code ("force inline
// fastpath_restore" is a change of its qualifiers).
func TestForcedInlineStaysInSignature(t *testing.T) {
	old := tolerant(t, "fastpath.h", "static inline void NORETURN fastpath_restore(int badge)\n{\n    restore(badge);\n}\n")
	new := tolerant(t, "fastpath.h", "static inline void NORETURN FORCE_INLINE fastpath_restore(int badge)\n{\n    restore(badge);\n}\n")
	if len(new.Functions) != 1 || new.Functions[0].Signature != "void FORCE_INLINE (int)" {
		t.Fatalf("functions %+v, want fastpath_restore with signature void FORCE_INLINE (int)", new.Functions)
	}
	if ch := Diff(old, new); len(ch) != 1 || ch[0].Change != ChangeSignature {
		t.Errorf("FORCE_INLINE added: changes %+v, want a signature change", ch)
	}
}

// An attribute macro after C's attribute proper, before the return type,
// is one before the declaration: no part of the signature (seL4's
// "__attribute__((naked)) NORETURN void idle_thread(void)").
func TestAttributeMacroAfterCAttribute(t *testing.T) {
	old := tolerant(t, "idle.c", "__attribute__((naked)) void idle_thread(void)\n{\n    halt();\n}\n")
	new := tolerant(t, "idle.c", "__attribute__((naked)) NORETURN void idle_thread(void)\n{\n    halt();\n}\n")
	if len(new.Functions) != 1 || new.Functions[0].Name != "idle_thread" || new.Functions[0].Signature != "void (void)" {
		t.Fatalf("functions %+v, want idle_thread with signature void (void)", new.Functions)
	}
	if ch := Diff(old, new); len(ch) != 0 {
		t.Errorf("NORETURN added: changes %+v, want none", ch)
	}
}

// TestFreeRTOSMemberMacros: FreeRTOS's list.h opens and closes its structs
// with macros that expand to an integrity-check member or to nothing
// ("listFIRST_LIST_INTEGRITY_CHECK_VALUE", no semicolon) and qualifies
// members with "configLIST_VOLATILE": the structs keep their members, no
// member leaks out as a global, and the member made configLIST_VOLATILE
// instead of volatile changes the layout ("Replace volatile with
// configLIST_VOLATILE").
func TestFreeRTOSMemberMacros(t *testing.T) {
	list := func(qualifier string) string {
		return "typedef struct xLIST\n{\n" +
			"    listFIRST_LIST_INTEGRITY_CHECK_VALUE      /**< Set to a known value. */\n" +
			"    " + qualifier + " UBaseType_t uxNumberOfItems;\n" +
			"    ListItem_t * configLIST_VOLATILE pxIndex; /**< Used to walk through the list. */\n" +
			"    MiniListItem_t xListEnd;\n" +
			"    listSECOND_LIST_INTEGRITY_CHECK_VALUE     /**< Set to a known value. */\n" +
			"} List_t;\n"
	}
	old := tolerant(t, "list.h", list("volatile"))
	new := tolerant(t, "list.h", list("configLIST_VOLATILE"))
	for _, s := range []*Summary{old, new} {
		if len(s.Globals) != 0 {
			t.Errorf("globals %+v, want none: every name is a member", s.Globals)
		}
		var members []string
		for _, ty := range s.Types {
			if ty.Name == "xLIST" {
				for _, m := range ty.Members {
					members = append(members, m.Name)
				}
			}
		}
		if want := []string{"uxNumberOfItems", "pxIndex", "xListEnd"}; !slices.Equal(members, want) {
			t.Errorf("xLIST members %q, want %q", members, want)
		}
	}
	changed := false
	for _, c := range Diff(old, new) {
		if c.Entity == EntityType && c.Name == "xLIST" && c.Change == ChangeLayout {
			changed = true
		}
	}
	if !changed {
		t.Errorf("volatile made configLIST_VOLATILE: changes %+v, want xLIST's layout changed", Diff(old, new))
	}
}

// TestLowerPrefixedMacroNames: FreeRTOS's configuration and port macros,
// a lower-case prefix before an upper-case name with an underscore, are
// attribute-like; its variables and types are not.
func TestLowerPrefixedMacroNames(t *testing.T) {
	for word, want := range map[string]bool{
		"configLIST_VOLATILE": true, "listFIRST_LIST_INTEGRITY_CHECK_VALUE": true, "portDONT_DISCARD": true,
		"PRIVILEGED_FUNCTION": true, "uxNumberOfItems": false, "pxIndex": false, "UBaseType_t": false,
		"configASSERT": false, "seL4_CapNull": false, "x_Y": false,
	} {
		if got := attributeLikeMacro(word); got != want {
			t.Errorf("attributeLikeMacro(%q) = %v, want %v", word, got, want)
		}
	}
}

// GNU's spellings of inline before a typedef'd return type leave an
// upper-case function name its name (FreeRTOS's ARM_CRx_No_GIC
// portINLINE_SET_INTERRUPT_MASK_FROM_ISR): the type is no declared name
// with an attribute after it.
func TestInlineSpellingsBeforeUpperCaseName(t *testing.T) {
	for _, inline := range []string{"__inline", "__inline__", "__forceinline"} {
		src := "__attribute__( ( always_inline ) ) static " + inline + " uint32_t portINLINE_SET_INTERRUPT_MASK_FROM_ISR( void )\n{\n    return ulCPSR;\n}\n"
		s := tolerant(t, "portmacro.h", src)
		if len(s.Functions) != 1 || len(s.Errors) != 0 {
			t.Errorf("%s: functions %+v, errors %v; want one, none", inline, s.Functions, s.Errors)
			continue
		}
		if f := s.Functions[0]; f.Name != "portINLINE_SET_INTERRUPT_MASK_FROM_ISR" || !f.Definition || !f.Static || !f.Inline || f.Signature != "uint32_t (void)" {
			t.Errorf("%s: %+v, want portINLINE_SET_INTERRUPT_MASK_FROM_ISR defined static inline, uint32_t (void)", inline, f)
		}
	}
}
