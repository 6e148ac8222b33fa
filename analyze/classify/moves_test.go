package classify

import (
	"maps"
	"slices"
	"testing"

	"github.com/upsynth/upsynth/cparse"
)

// withGlobals returns v with gs added to its summary's globals.
func withGlobals(v *Version, gs ...cparse.Global) *Version {
	v.Summary.Globals = append(v.Summary.Globals, gs...)
	return v
}

// TestExternStillDeclared: an extern declaration a header loses, whole
// or not, while another header of the commit declares the global before
// and after, changes no entity; one gained while only a module defines the
// global stays added (TestPrototypeStillDeclared).
func TestExternStillDeclared(t *testing.T) {
	declared := cparse.Global{Name: "benchmark_log_utilisation_enabled", Type: "bool_t", Extern: true}
	handler := cparse.Function{Name: "handleOverflowIRQ", Signature: "void (void)", Definition: true, BodyHash: "h"}
	// seL4's "arm: move handleOverflowIRQ to benchmark.h": the deleted
	// benchmark_overflowHandler.h took its declaration along, which
	// benchmark.h gains; benchmark_utilisation.h keeps its own.
	// The deleted header's changes are left to derive, as the analysis
	// leaves them.
	deleted := File{Path: "include/arch/arm/arch/benchmark_overflowHandler.h", Old: withGlobals(headerOf("1", handler), declared), DeriveChanges: true}
	got := MatchMoves([]File{
		deleted,
		fileOf("include/arch/arm/arch/benchmark.h", headerOf("2"), withGlobals(headerOf("3", handler), declared)),
		fileOf("include/benchmark/benchmark_utilisation.h", withGlobals(headerOf("4"), declared), withGlobals(headerOf("5"), declared)),
	})
	for _, f := range got {
		changes, err := f.changes()
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range changes {
			if c.Entity == cparse.EntityGlobal {
				t.Errorf("%s: %s %s, want no change of the global still declared", f.Path, c.Name, c.Change)
			}
		}
	}
	if changes, _ := got[1].changes(); len(changes) != 1 || changes[0].Name != "handleOverflowIRQ" || changes[0].Change != cparse.ChangeMoved {
		t.Errorf("benchmark.h: %v, want handleOverflowIRQ moved in", changes)
	}
	// A module defining it is not another declaration.
	defined := cparse.Global{Name: "benchmark_log_utilisation_enabled", Type: "bool_t"}
	got = MatchMoves([]File{
		fileOf("include/benchmark.h", headerOf("1"), withGlobals(headerOf("2"), declared)),
		fileOf("src/benchmark.c", withGlobals(moduleOf("3"), defined), withGlobals(moduleOf("4"), defined)),
	})
	if len(got[0].Changes) != 1 || got[0].Changes[0].Change != cparse.ChangeAdded {
		t.Errorf("a declaration of a global a module keeps defining: %v, want added", got[0].Changes)
	}
}

// TestMemberDefinitionMovedIn: a class's static data member whose
// out-of-line definition leaves the source file, the class now defining
// it inline, is no removal (NOVA's Cmdline flags); the class's header
// says how it changed. A C global, or a namespace's, whose definition goes
// while a header declares it is removed.
func TestMemberDefinitionMovedIn(t *testing.T) {
	declaredMember := cparse.Global{Name: "Cmdline::nodl", Type: "bool", Static: true}
	inlineMember := cparse.Global{Name: "Cmdline::nodl", Type: "bool", Static: true, InitHash: "false"}
	outOfLine := cparse.Global{Name: "Cmdline::nodl", Type: "bool"}
	got := MatchMoves([]File{
		fileOf("src/cmdline.cpp", cxx(withGlobals(moduleOf("1"), outOfLine)), cxx(moduleOf("2"))),
		fileOf("include/cmdline.hpp", cxx(withGlobals(headerOf("3"), declaredMember)), cxx(withGlobals(headerOf("4"), inlineMember))),
	})
	if len(got[0].Changes) != 0 {
		t.Errorf("the definition moved into the class: %v, want no change in cmdline.cpp", got[0].Changes)
	}
	if len(got[1].Changes) != 1 || got[1].Changes[0].Change != cparse.ChangeInit {
		t.Errorf("the class's header: %v, want the member's initializer changed", got[1].Changes)
	}
	counter := cparse.Global{Name: "ticks", Type: "int"}
	got = MatchMoves([]File{
		fileOf("timer.c", withGlobals(moduleOf("1"), counter), moduleOf("2")),
		fileOf("timer.h", withGlobals(headerOf("3"), cparse.Global{Name: "ticks", Type: "int", Extern: true}), withGlobals(headerOf("4"), cparse.Global{Name: "ticks", Type: "int", Extern: true})),
	})
	if len(got[0].Changes) != 1 || got[0].Changes[0].Change != cparse.ChangeRemoved {
		t.Errorf("a C global's definition gone, its declaration kept: %v, want removed", got[0].Changes)
	}
	nextID := cparse.Global{Name: "thor::nextAsyncId", Type: "std::atomic<uint64_t>"}
	declaredID := cparse.Global{Name: "thor::nextAsyncId", Type: "std::atomic<uint64_t>", Extern: true}
	got = MatchMoves([]File{
		fileOf("kernel/thor/generic/ipc.cpp", cxx(withGlobals(moduleOf("1"), nextID)), cxx(moduleOf("2"))),
		fileOf("kernel/thor/generic/ipc.hpp", cxx(withGlobals(headerOf("3"), declaredID)), cxx(withGlobals(headerOf("4"), declaredID))),
	})
	if len(got[0].Changes) != 1 || got[0].Changes[0].Change != cparse.ChangeRemoved {
		t.Errorf("a namespace's global whose definition goes: %v, want removed", got[0].Changes)
	}
}

// TestCopiesFoldedIntoDeclaredDefinition: copies of a function removed
// from three architectures' boot.c and added to the generic boot.c, whose
// header now declares it (seL4's "boot: move create_untypeds() to generic
// code"), fold into one move to the definition, compared with the copy
// nearest it; the header's new prototype is no entity of its own.
func TestCopiesFoldedIntoDeclaredDefinition(t *testing.T) {
	fn := func(signature, body string, definition bool) cparse.Function {
		return cparse.Function{Name: "create_untypeds", Signature: signature, Definition: definition, Static: signature == "static", BodyHash: body}
	}
	copyOf := func(body string) cparse.Function { return fn("bool_t (cap_t, region_t)", body, true) }
	files := MatchMoves([]File{
		fileOf("include/kernel/boot.h", headerOf("1"), headerOf("2", fn("bool_t (cap_t, region_t)", "", false))),
		fileOf("src/arch/arm/kernel/boot.c", moduleOf("3", copyOf("arm")), moduleOf("4")),
		fileOf("src/arch/riscv/kernel/boot.c", moduleOf("5", copyOf("arm")), moduleOf("6")),
		fileOf("src/arch/x86/kernel/boot.c", moduleOf("7", copyOf("x86")), moduleOf("8")),
		fileOf("src/kernel/boot.c", moduleOf("9"), moduleOf("10", copyOf("generic"))),
	})
	want := []string{
		"src/kernel/boot.c moved from src/arch/arm/kernel/boot.c",
		"src/kernel/boot.c body moved, and body changed",
	}
	if got := changeLines(files); !slices.Equal(got, want) {
		t.Errorf("copies folded into a declared definition: %q, want %q", got, want)
	}
}

// TestPrototypeMoved: a C function's prototype moved from one header to
// another, neither defining it (seL4's "machine: move setIRQTrigger into
// interrupt.h"), changes no entity; a definition moved between headers,
// or a C++ declaration moved (a class's methods moving to a header of
// their own), stays a move.
func TestPrototypeMoved(t *testing.T) {
	prototype := cparse.Function{Name: "setIRQTrigger", Signature: "void (irq_t, bool_t)"}
	moved := MatchMoves([]File{
		fileOf("include/arch/arm/arch/machine.h", headerOf("1", prototype), headerOf("2")),
		fileOf("include/machine/interrupt.h", headerOf("3"), headerOf("4", prototype)),
	})
	if got := changeLines(moved); len(got) != 0 {
		t.Errorf("a prototype moved: %q, want no change", got)
	}
	definition := prototype
	definition.Definition, definition.BodyHash = true, "b"
	moved = MatchMoves([]File{
		fileOf("include/arch/arm/arch/machine.h", headerOf("1", definition), headerOf("2")),
		fileOf("include/machine/interrupt.h", headerOf("3"), headerOf("4", definition)),
	})
	if got, want := changeLines(moved), []string{"include/machine/interrupt.h moved from include/arch/arm/arch/machine.h"}; !slices.Equal(got, want) {
		t.Errorf("a static inline definition moved: %q, want %q", got, want)
	}
	cxxHeader := func(hash string, fns ...cparse.Function) *Version { return cxx(headerOf(hash, fns...)) }
	method := cparse.Function{Name: "drm_core::Device::createDumb", Signature: "int (int)"}
	moved = MatchMoves([]File{
		fileOf("core/drm/include/core/drm/core.hpp", cxxHeader("1", method), cxxHeader("2")),
		fileOf("core/drm/include/core/drm/device.hpp", cxxHeader("3"), cxxHeader("4", method)),
	})
	if got, want := changeLines(moved), []string{"core/drm/include/core/drm/device.hpp moved from core/drm/include/core/drm/core.hpp"}; !slices.Equal(got, want) {
		t.Errorf("a C++ declaration moved: %q, want %q", got, want)
	}
}

// TestDefinitionMovedWithNewDeclaration: a function whose definition moves
// to another module, declared in a header it gains in the same commit, is
// moved once; the new declaration is recorded with the move (managarm's
// serveRequests, from main.cpp to requests.cpp, declared in requests.hpp).
// A header that defines the function is no declaration and stays.
func TestDefinitionMovedWithNewDeclaration(t *testing.T) {
	definition := cparse.Function{Name: "serveRequests", Signature: "async::result<void> (Process *)", Definition: true, BodyHash: "b"}
	declaration := cparse.Function{Name: "serveRequests", Signature: "async::result<void> (Process *)"}
	moved := MatchMoves([]File{
		fileOf("posix/subsystem/src/main.cpp", cxx(moduleOf("1", definition)), cxx(moduleOf("2"))),
		fileOf("posix/subsystem/src/requests.cpp", cxx(moduleOf("3")), cxx(moduleOf("4", definition))),
		fileOf("posix/subsystem/src/requests.hpp", cxx(headerOf("5")), cxx(headerOf("6", declaration))),
	})
	if got, want := changeLines(moved), []string{"posix/subsystem/src/requests.cpp moved from posix/subsystem/src/main.cpp"}; !slices.Equal(got, want) {
		t.Errorf("a definition moved with a new declaration: %q, want %q", got, want)
	}
}

// TestMacroAlternativesSpreadIntoModes: a macro with alternatives under
// #if (one change per alternative) that leaves a platform's header for
// that platform's per-mode headers of the same name is moved, and changed
// where a mode's copy differs (seL4's PPTR_TOP and kernelBase, taken into
// spike's 32/ and 64/ plat_mode/machine/hardware.h, the 32-bit copy given
// its own value).
func TestMacroAlternativesSpreadIntoModes(t *testing.T) {
	macro := func(value, condition string) cparse.Macro {
		return cparse.Macro{Name: "PPTR_TOP", ValueHash: value, Condition: condition}
	}
	header := func(hash string, macros ...cparse.Macro) *Version {
		return &Version{Summary: &cparse.Summary{Lang: cparse.LangC, Header: true, TokenHash: hash, Macros: macros}}
	}
	moved := MatchMoves([]File{
		fileOf("include/plat/spike/plat/machine/hardware.h", header("1", macro("0xFFFFFFFF8FE00000llu", "sv39"), macro("0x4FC00000", "sv32")), header("2")),
		fileOf("include/plat/spike/plat/32/plat_mode/machine/hardware.h", header("3"), header("4", macro("0x8FE00000lu", "rocket"), macro("0x4FC00000lu", "spike"))),
		fileOf("include/plat/spike/plat/64/plat_mode/machine/hardware.h", header("5"), header("6", macro("0xFFFFFFFF8FE00000llu", "sv39"), macro("0x4FC00000", "sv32"))),
	})
	var got []string
	for _, f := range moved {
		for _, c := range f.Changes {
			got = append(got, string(c.Entity)+" "+c.Name+" "+string(c.Change))
		}
	}
	if want := []string{"macro PPTR_TOP moved", "macro PPTR_TOP changed"}; !slices.Equal(got, want) {
		t.Errorf("macro alternatives spread into modes: %q, want %q", got, want)
	}
}

// TestMethodMovedOutOfItsClass: a virtual method defined in its class body
// in one file, moved to an out-of-line definition in another (its class
// now declared in a header), is moved and nothing else: the out-of-line
// definition cannot say virtual, the class's declaration still does
// (managarm's Device::read, main.cpp to device.cpp).
func TestMethodMovedOutOfItsClass(t *testing.T) {
	inClass := cparse.Function{Name: "Device::read", Signature: "async::result<ssize_t> (void *, size_t)", Definition: true, BodyHash: "b", Virtual: true, Inline: true, Access: "public"}
	outOfLine := cparse.Function{Name: "Device::read", Signature: inClass.Signature, Definition: true, BodyHash: "b"}
	moved := MatchMoves([]File{
		fileOf("posix/subsystem/src/main.cpp", cxx(moduleOf("1", inClass)), cxx(moduleOf("2"))),
		fileOf("posix/subsystem/src/device.cpp", cxx(moduleOf("3")), cxx(moduleOf("4", outOfLine))),
	})
	if got, want := changeLines(moved), []string{"posix/subsystem/src/device.cpp moved from posix/subsystem/src/main.cpp"}; !slices.Equal(got, want) {
		t.Errorf("a method moved out of its class: %q, want %q", got, want)
	}
}

// TestPureVirtualGivenADefinition: a method its class declared pure
// virtual that the commit defines (managarm's Mapping::install when
// NormalMapping merged into Mapping) changes its body; one only declared
// before is added.
func TestPureVirtualGivenADefinition(t *testing.T) {
	mapping := func(pure bool) cparse.Type {
		return cparse.Type{Name: "thor::Mapping", Kind: cparse.KindClass, Size: -1, Align: -1, Methods: []cparse.Method{
			{Name: "install", Signature: "void ()", Virtual: true, Pure: pure, Access: "public"},
			{Name: "retire", Signature: "void ()", Virtual: true, Access: "public"},
		}}
	}
	declared := func(name string) cparse.Function {
		return cparse.Function{Name: name, Signature: "void ()", Virtual: true, Access: "public"}
	}
	defined := func(name string) cparse.Function {
		return cparse.Function{Name: name, Signature: "void ()", Definition: true, BodyHash: "b"}
	}
	files := []File{
		fileOf("kernel/thor/generic/address-space.hpp",
			cxx(headerOf("1", declared("thor::Mapping::install"), declared("thor::Mapping::retire")), mapping(true)),
			cxx(headerOf("2", declared("thor::Mapping::install"), declared("thor::Mapping::retire")), mapping(false))),
		fileOf("kernel/thor/generic/address-space.cpp",
			cxx(moduleOf("3")),
			cxx(moduleOf("4", defined("thor::Mapping::install"), defined("thor::Mapping::retire")))),
	}
	got := map[string]string{}
	for _, f := range MatchMoves(files) {
		for _, c := range f.Changes {
			if c.Entity == cparse.EntityFunction {
				got[c.Name] = string(c.Change) + " " + c.Detail
			}
		}
	}
	// install was pure virtual, an entity with no code: it gains a body.
	// retire was only declared, never pure: its first definition is new.
	want := map[string]string{
		"thor::Mapping::install": "body " + detailPureVirtualDefined,
		"thor::Mapping::retire":  "added defined: void ()",
	}
	if !maps.Equal(got, want) {
		t.Errorf("changes %v, want %v", got, want)
	}
}

// cxx returns v as a C++ version, with types its summary's types when
// given.
func cxx(v *Version, types ...cparse.Type) *Version {
	v.Summary.Lang = cparse.LangCPP
	if len(types) > 0 {
		v.Summary.Types = types
	}
	return v
}
