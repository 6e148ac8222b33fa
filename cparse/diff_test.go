package cparse

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/upsynth/upsynth/runtime/emu/abi"
)

// Diff lists a file added or deleted whole without indexing its entities
// (the vendor headers of FreeRTOS's history have thousands each).
// Property: that shortcut says what the general comparison says — the
// file diffed against a file holding only unrelated entities of every
// kind, whose additions are then left out — repeated names, declarations
// next to definitions and assembly included.
func TestDiffWholeFileAsGeneral(t *testing.T) {
	for seed := range uint64(500) {
		rng := rand.New(rand.NewPCG(seed, 5))
		s := randomSummary(rng)
		other := &Summary{Lang: s.Lang, Engine: s.Engine,
			Functions: []Function{{Name: "zz_other", Signature: "void (void)", Definition: true, BodyHash: "x"}},
			Types:     []Type{{Name: "zz_other", Kind: "struct"}},
			Typedefs:  []Typedef{{Name: "zz_other_t", Type: "int"}},
			Globals:   []Global{{Name: "zz_other_g", Type: "int"}},
			Macros:    []Macro{{Name: "ZZ_OTHER", ValueHash: "1"}},
		}
		if len(s.Asm) > 0 {
			other.Asm = []Asm{{Name: s.Asm[0].Name + "_zz_other"}}
			if s.Asm[0].Name == "" {
				other.Asm = nil // unnamed blocks are compared by number: no unrelated one exists
			}
		}
		for _, dir := range []string{"removed", "added"} {
			var whole, general []Change
			if dir == "removed" {
				whole, general = Diff(s, nil), Diff(s, other)
			} else {
				whole, general = Diff(nil, s), Diff(other, s)
			}
			var want []Change
			for _, c := range general {
				if !strings.Contains(strings.ToLower(c.Name), "zz_other") {
					want = append(want, c)
				}
			}
			if len(s.Asm) > 0 && s.Asm[0].Name == "" {
				continue // checked by the asm tests: there is no unrelated unnamed block to diff against
			}
			if !reflect.DeepEqual(whole, want) {
				t.Fatalf("seed %d, %s whole:\n%+v\nthe general comparison says:\n%+v", seed, dir, whole, want)
			}
		}
	}
}

// randomSummary is a summary whose entities often repeat a name.
func randomSummary(rng *rand.Rand) *Summary {
	s := &Summary{Lang: LangC, Engine: []Engine{EnginePrecise, EngineTolerant}[rng.IntN(2)]}
	name := func(prefix string) string { return fmt.Sprintf("%s%d", prefix, rng.IntN(4)) }
	for range rng.IntN(6) {
		s.Functions = append(s.Functions, Function{Name: name("f"), Signature: fmt.Sprintf("int (%d)", rng.IntN(2)),
			Definition: rng.IntN(2) == 0, BodyHash: fmt.Sprint(rng.IntN(2)), Access: []string{"", "public"}[rng.IntN(2)]})
	}
	for range rng.IntN(4) {
		s.Types = append(s.Types, Type{Name: name("t"), Kind: "struct", Members: []Member{{Name: "a", Type: "int"}}})
	}
	for range rng.IntN(4) {
		s.Typedefs = append(s.Typedefs, Typedef{Name: name("td"), Type: "int"})
	}
	for range rng.IntN(4) {
		s.Globals = append(s.Globals, Global{Name: name("g"), Type: "int", Static: rng.IntN(2) == 0})
	}
	for range rng.IntN(8) {
		s.Macros = append(s.Macros, Macro{Name: name("M"), FunctionLike: rng.IntN(2) == 0, Params: []string{"x"}[:rng.IntN(2)], ValueHash: "v"})
	}
	if rng.IntN(3) == 0 {
		named := rng.IntN(2) == 0
		for i := range 1 + rng.IntN(3) {
			a := Asm{Hash: fmt.Sprint(i), Span: Span{StartLine: i + 1}}
			if named {
				a.Name = name("sym")
			}
			s.Asm = append(s.Asm, a)
		}
	}
	return s
}

// A macro that gains an alternative definition under another #if (FreeRTOS
// 83e56c38's configALLOW_UNPRIVILEGED_CRITICAL_SECTIONS, now 0 under MPU
// wrappers v2 and 1 otherwise) or loses one is changed: the name was
// defined before and still is. A macro new to the file is added.
func TestAlternativeMacroDefinitionIsChanged(t *testing.T) {
	one := tolerant(t, "port.c", "#ifndef configX\n    #define configX 1\n#endif\n")
	two := tolerant(t, "port.c", "#ifndef configX\n    #if V2\n        #define configX 0\n    #else\n        #define configX 1\n    #endif\n#endif\n#define portY 2\n")
	// kinds gives each name's change; a name with rows of several kinds
	// gets "mixed".
	kinds := func(changes []Change) map[string]ChangeKind {
		m := map[string]ChangeKind{}
		for _, c := range changes {
			if k, ok := m[c.Name]; ok && k != c.Change {
				m[c.Name] = "mixed"
				continue
			}
			m[c.Name] = c.Change
		}
		return m
	}
	if got := kinds(Diff(one, two)); got["configX"] != ChangeChanged || got["portY"] != ChangeAdded || len(got) != 2 {
		t.Errorf("alternative added: %v, want configX changed, portY added", got)
	}
	if got := kinds(Diff(two, one)); got["configX"] != ChangeChanged || got["portY"] != ChangeRemoved || len(got) != 2 {
		t.Errorf("alternative removed: %v, want configX changed, portY removed", got)
	}
}

// The precise engine keeps every definition of a macro, those in branches
// cc/v4 left out too, as the tolerant engine does: FreeRTOS's
// stack_macros.h defines taskCHECK_FOR_STACK_OVERFLOW once per stack
// check and growth direction, and d0a490e4 wrapped each in do-while, a
// change to every configuration but the one the file was parsed in. A
// definition repeated under the same conditions (seL4 affb802b's second
// FASTCALL) changes nothing.
func TestMacroAlternativesOutsideTheBuild(t *testing.T) {
	precise := func(src string) *Summary {
		t.Helper()
		sum := Parse(context.Background(), "stack_macros.h", []byte(src), Config{Engine: EngineChoicePrecise, Predefined: abi.Predefined, FS: fstest.MapFS{}})
		if sum.Engine != EnginePrecise {
			t.Fatalf("engine %s, want precise: %v", sum.Engine, sum.Errors)
		}
		return sum
	}
	const head = "#ifndef STACK_MACROS_H\n#define STACK_MACROS_H\n"
	before := precise(head + "#if CHECK == 1\n#define CHECK_STACK() { check(1); }\n#endif\n" +
		"#if CHECK > 1\n#define CHECK_STACK() { check(2); }\n#endif\n" +
		"#ifndef CHECK_STACK\n#define CHECK_STACK()\n#endif\n#endif\n")
	if len(before.Macros) != 4 {
		t.Fatalf("macros %+v, want the guard and three definitions of CHECK_STACK", before.Macros)
	}
	after := precise(head + "#if CHECK == 1\n#define CHECK_STACK() do { check(1); } while (0)\n#endif\n" +
		"#if CHECK > 1\n#define CHECK_STACK() { check(2); }\n#endif\n" +
		"#ifndef CHECK_STACK\n#define CHECK_STACK()\n#endif\n#endif\n")
	if got := Diff(before, after); len(got) != 1 || got[0].Name != "CHECK_STACK" || got[0].Change != ChangeChanged {
		t.Errorf("an alternative outside the build changed: %+v, want CHECK_STACK changed", got)
	}
	once := precise("#define PACKED __attribute__((packed))\n#define FASTCALL __attribute__((fastcall))\n")
	twice := precise("#define PACKED __attribute__((packed))\n#define FASTCALL __attribute__((fastcall))\n#define FASTCALL __attribute__((fastcall))\n")
	if got := Diff(once, twice); len(got) != 0 {
		t.Errorf("a definition repeated: %+v, want no change", got)
	}
	if got := Diff(twice, once); len(got) != 0 {
		t.Errorf("a repeated definition dropped: %+v, want no change", got)
	}
}

// Two definitions of a C function under #if alternatives merged into one
// (seL4 f33ae44e's resetTimer in mct.c) change its body: the function was
// there before and still is. In C++ the definitions of one name are
// overloads, and one more added changes the signatures of the name.
func TestAlternativeFunctionDefinitionIsABodyChange(t *testing.T) {
	two := tolerant(t, "mct.c", "#ifdef A15\nvoid resetTimer(void) { a(); }\n#else\nvoid resetTimer(void) { b(); }\n#endif\n")
	one := tolerant(t, "mct.c", "void resetTimer(void) { a(); }\n")
	if got := Diff(two, one); len(got) != 1 || got[0].Change != ChangeBody || got[0].Detail != DetailAlternativeRemoved {
		t.Errorf("alternatives merged: %+v, want one body change, alternative definition removed", got)
	}
	if got := Diff(one, two); len(got) != 1 || got[0].Change != ChangeBody || got[0].Detail != DetailAlternativeAdded {
		t.Errorf("alternative added: %+v, want one body change, alternative definition added", got)
	}
	// An alternative of another signature gone changes the signature
	// callers see in its configuration (FreeRTOS cd5c774b's
	// xTaskGetIdleTaskHandle, whose SMP version took a core number).
	smp := tolerant(t, "tasks.c", "#if CORES == 1\nvoid *idle(void) { return h[0]; }\n#else\nvoid *idle(int core) { return h[core]; }\n#endif\n")
	single := tolerant(t, "tasks.c", "void *idle(void) { return h[0]; }\n")
	if got := Diff(smp, single); len(got) != 1 || got[0].Change != ChangeSignature || got[0].Detail != DetailAlternativeRemoved {
		t.Errorf("alternative of another signature removed: %+v, want one signature change, alternative definition removed", got)
	}
	if got := Diff(single, smp); len(got) != 1 || got[0].Change != ChangeSignature || got[0].Detail != DetailAlternativeAdded {
		t.Errorf("alternative of another signature added: %+v, want one signature change, alternative definition added", got)
	}
	overload := tolerant(t, "a.cc", "void f(int x) { a(); }\n")
	overloads := tolerant(t, "a.cc", "void f(int x) { a(); }\nvoid f(long x) { b(); }\n")
	if got := Diff(overload, overloads); len(got) != 1 || got[0].Change != ChangeSignature || got[0].Detail != DetailOverloadAdded {
		t.Errorf("C++ overload added: %+v, want one signature change, overload added", got)
	}
	if got := Diff(overloads, overload); len(got) != 1 || got[0].Change != ChangeSignature || got[0].Detail != DetailOverloadRemoved {
		t.Errorf("C++ overload removed: %+v, want one signature change, overload removed", got)
	}
}

// TestMacroConditionChanged: a definition whose conditionals change
// (FreeRTOS's mpu_wrappers.h: `#ifdef portUSING_MPU_WRAPPERS` made `#if (
// portUSING_MPU_WRAPPERS == 1 )`; a trace macro moved under `#if (
// configNUMBER_OF_CORES == 1 )`) is changed; a header's include guard
// renamed, or a condition respaced, changes none of its definitions.
func TestMacroConditionChanged(t *testing.T) {
	changes := func(a, b string) map[string]string {
		out := map[string]string{}
		for _, c := range Diff(tolerant(t, "mpu_wrappers.h", a), tolerant(t, "mpu_wrappers.h", b)) {
			out[c.Name] = string(c.Change) + " " + c.Detail
		}
		return out
	}
	if got := changes("#ifdef portUSING_MPU_WRAPPERS\n#define xTaskCreate MPU_xTaskCreate\n#else\n#define PRIVILEGED_DATA\n#endif\n",
		"#if ( portUSING_MPU_WRAPPERS == 1 )\n#define xTaskCreate MPU_xTaskCreate\n#else\n#define PRIVILEGED_DATA\n#endif\n"); len(got) != 2 || got["xTaskCreate"] != "changed "+DetailConditionChanged || got["PRIVILEGED_DATA"] != "changed "+DetailConditionChanged {
		t.Errorf("condition rewritten: %v, want both macros' conditions changed", got)
	}
	if got := changes("#define traceRETURN(x)\n", "#if ( CORES == 1 )\n#define traceRETURN(x)\n#endif\n"); got["traceRETURN"] != "changed "+DetailConditionChanged {
		t.Errorf("made conditional: %v, want its condition changed", got)
	}
	if got := changes("#ifndef A_H\n#define A_H\n#define X 1\n#endif\n", "#ifndef B_H\n#define B_H\n#define X 1\n#endif\n"); len(got) != 2 || got["X"] != "" {
		t.Errorf("include guard renamed: %v, want the guard macros alone", got)
	}
	if got := changes("#define SEG_KCODE 1\n", "#ifndef __ASSEMBLER__\n#define SEG_KCODE 1\n#endif\n"); len(got) != 0 {
		t.Errorf("under a test of the language: %v, want no change", got)
	}
	// IAR's compilers and assemblers name themselves: FreeRTOS 4539e1c5
	// wrapped the C part of RL78's portmacro.h in __IAR_SYSTEMS_ICC__.
	for _, test := range []string{"#ifdef __IAR_SYSTEMS_ICC__", "#ifdef __ICCARM__", "#if !defined(__IASMRL78__)"} {
		if got := changes("#define portNOP() __asm(\"NOP\")\n", test+"\n#define portNOP() __asm(\"NOP\")\n#endif\n"); len(got) != 0 {
			t.Errorf("under %s: %v, want no change", test, got)
		}
	}
	if got := changes("#define portNOP() nop()\n", "#ifdef __ICC_CONFIG__\n#define portNOP() nop()\n#endif\n"); got["portNOP"] != "changed "+DetailConditionChanged {
		t.Errorf("under a configuration macro spelled like IAR's: %v, want its condition changed", got)
	}
	if got := changes("#if !defined(A_H)\n#define A_H\n#if ( A == 1 )\n#define X 1\n#endif\n#endif\n", "#if !defined(A_H)\n#define A_H\n#if (A==1)\n#define X 1\n#endif\n#endif\n"); len(got) != 0 {
		t.Errorf("condition respaced: %v, want no change", got)
	}
}

// A typedef whose target changes is a type change of the name, and so is
// one given an alternative definition under another #if (FreeRTOS's
// BaseType_t made long long for x86_64): one change however many
// definitions differ.
func TestTypedefTargetChange(t *testing.T) {
	one := tolerant(t, "portmacro.h", "typedef long BaseType_t;\n")
	wider := tolerant(t, "portmacro.h", "typedef long long BaseType_t;\n")
	alternatives := tolerant(t, "portmacro.h", "#if defined(__x86_64__)\ntypedef long long BaseType_t;\n#else\ntypedef long BaseType_t;\n#endif\n")
	for _, c := range []struct {
		name     string
		old, new *Summary
	}{{"retyped", one, wider}, {"alternative added", one, alternatives}, {"alternative removed", alternatives, one}} {
		got := Diff(c.old, c.new)
		if len(got) != 1 || got[0].Entity != EntityType || got[0].Name != "BaseType_t" || got[0].Change != ChangeType {
			t.Errorf("%s: %+v, want one type change of BaseType_t", c.name, got)
		}
	}
}

// A data member whose access alone changes (NOVA's Eptp::val made
// private) keeps its place and size: no layout change.
func TestMemberAccessAloneIsNoLayoutChange(t *testing.T) {
	open := tolerant(t, "ept.hpp", "class Eptp\n{\n    public:\n        unsigned long long val;\n        Eptp (unsigned long long v) : val (v) {}\n};\n")
	closed := tolerant(t, "ept.hpp", "class Eptp\n{\n    private:\n        unsigned long long val;\n    public:\n        Eptp (unsigned long long v) : val (v) {}\n};\n")
	if got := Diff(open, closed); len(got) != 0 {
		t.Errorf("member made private: %+v, want no change", got)
	}
}

// A class that loses its last virtual method (NOVA's Avl, its pure
// virtual larger and equal gone) loses its vtable pointer: a layout
// change besides the methods change.
func TestLastVirtualMethodGoneChangesLayout(t *testing.T) {
	virtual := tolerant(t, "avl.hpp", "class Avl\n{\n    private:\n        Avl *lnk[2];\n        virtual bool larger (Avl *x) const = 0;\n};\n")
	plain := tolerant(t, "avl.hpp", "class Avl\n{\n    private:\n        Avl *lnk[2];\n        bool balanced() const;\n};\n")
	var got []string
	for _, c := range Diff(virtual, plain) {
		if c.Entity == EntityType {
			got = append(got, string(c.Change)+": "+c.Detail)
		}
	}
	if len(got) != 2 || got[0] != "layout: vtable pointer removed" {
		t.Errorf("type changes %q, want the vtable pointer removed, then the methods", got)
	}
}

// A method declared inline in its class and defined elsewhere that loses
// the keyword (NOVA fc65b326's "static inline void timer_handler();")
// changes no signature: a declaration's inline makes no code, and callers
// call the same function. On a definition it stays a change: a header's
// inline body is compiled into its callers.
func TestInlineOfADeclarationAlone(t *testing.T) {
	decl := func(src string) []Change {
		return Diff(tolerant(t, "lapic.hpp", "class Lapic {\n"+src+"\n};\n"), tolerant(t, "lapic.hpp", "class Lapic {\n    static void timer_handler();\n};\n"))
	}
	if got := decl("    static inline void timer_handler();"); len(got) != 0 {
		t.Errorf("inline dropped from a declaration: %+v, want no change", got)
	}
	defined := Diff(tolerant(t, "x86.h", "static inline void lgdt(int p) { load(p); }\n"), tolerant(t, "x86.h", "static void lgdt(int p) { load(p); }\n"))
	if len(defined) != 1 || defined[0].Change != ChangeSignature {
		t.Errorf("inline dropped from a definition: %+v, want a signature change", defined)
	}
}

// TestCompilerBuiltinPrototypeIsNoEntity: a kernel may declare a builtin
// the compiler provides; the prototype coming or going changes no code.
func TestCompilerBuiltinPrototypeIsNoEntity(t *testing.T) {
	old := tolerant(t, "util.h", "int __builtin_clzl(unsigned long x);\nint clzl(unsigned long x);\n")
	new := tolerant(t, "util.h", "\n")
	got := Diff(old, new)
	if len(got) != 1 || got[0].Name != "clzl" || got[0].Change != ChangeRemoved {
		t.Errorf("builtin and kernel prototypes removed: %+v, want clzl removed only", got)
	}
}

// TestTypeKindSwitched: an alias made an enum class (or a struct made an
// alias) is one change of what the name stands for.
func TestTypeKindSwitched(t *testing.T) {
	old := tolerant(t, "irq.hpp", "namespace thor {\nusing IrqStatus = unsigned int;\nstruct Other { int x; };\n}\n")
	new := tolerant(t, "irq.hpp", "namespace thor {\nenum class IrqStatus { standalone, acked, nacked };\n}\n")
	got := Diff(old, new)
	var lines []string
	for _, c := range got {
		lines = append(lines, c.Name+" "+string(c.Change)+" "+c.Detail)
	}
	want := []string{"thor::IrqStatus type typedef unsigned int -> enum, 3 enumerators", "thor::Other removed struct, 1 members"}
	if !slices.Equal(lines, want) {
		t.Errorf("changes %q, want %q", lines, want)
	}
	back := Diff(new, old)
	if len(back) != 2 || back[0].Name != "thor::IrqStatus" || back[0].Change != ChangeType {
		t.Errorf("the other way round: %+v, want a type change", back)
	}
}
