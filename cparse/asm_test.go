package cparse

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

const asmOld = `#include "asm.h"
# swtch: save the current registers
.globl swtch
.globl setjmp, longjmp
.text
swtch:
  movl 4(%esp), %eax   # old
  ret
local:
  nop
setjmp:
  /* a comment: http://example.com */
  movl %ebx, 0(%eax)
  ret
longjmp:
  ret
`

// TestAsmSymbols: an assembly file's entities are its global symbols, each
// holding the lines up to the next one; comments and layout are not
// changes, code is.
func TestAsmSymbols(t *testing.T) {
	old := Parse(context.Background(), "swtch.S", []byte(asmOld), Config{})
	if old.Lang != LangAsm || old.Engine != EngineAsm {
		t.Fatalf("lang %s engine %s", old.Lang, old.Engine)
	}
	var names []string
	for _, a := range old.Asm {
		names = append(names, a.Name)
	}
	if want := []string{"swtch", "setjmp", "longjmp"}; !reflect.DeepEqual(names, want) {
		t.Fatalf("symbols %v, want %v", names, want)
	}
	cases := []struct {
		name, new string
		want      []Change
	}{
		{"comments and blanks", `#include "asm.h"
.globl swtch
.globl setjmp, longjmp
.text
swtch:
  movl   4(%esp),   %eax   # the old context
  ret
local:
  nop   @ arm-style comment
setjmp:
  movl %ebx, 0(%eax)
  ret
longjmp:
  ret
`, nil},
		{"a routine changed, one removed, one added", `#include "asm.h"
.globl swtch
.globl setjmp, kexit
.text
swtch:
  movl 4(%esp), %eax
  ret
local:
  pushl %ebp
setjmp:
  movl %ebx, 0(%eax)
  ret
kexit:
  hlt
`, []Change{
			{Entity: EntityAsm, Name: "kexit", Change: ChangeAdded, Detail: "at line 13"},
			{Entity: EntityAsm, Name: "longjmp", Change: ChangeRemoved, Detail: "was at line 15"},
			{Entity: EntityAsm, Name: "swtch", Change: ChangeChanged, Detail: "at line 5"},
		}},
	}
	for _, c := range cases {
		new := Parse(context.Background(), "swtch.S", []byte(c.new), Config{})
		if got := Diff(old, new); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: Diff = %+v, want %+v", c.name, got, c.want)
		}
	}
}

// TestAsmDirectives: IAR/RVDS exports, ENTRY-style macros and ARM
// immediates.
func TestAsmDirectives(t *testing.T) {
	src := `	PUBLIC vPortStartFirstTask
	EXPORT xPortPendSVHandler
vPortStartFirstTask:
	mov r0, #0 ; IAR comment
xPortPendSVHandler:
	bx lr
ENTRY(trap_entry)
	iret
`
	s := Parse(context.Background(), "portasm.s", []byte(src), Config{})
	var names []string
	for _, a := range s.Asm {
		names = append(names, a.Name)
	}
	if want := []string{"vPortStartFirstTask", "xPortPendSVHandler", "trap_entry"}; !reflect.DeepEqual(names, want) {
		t.Fatalf("symbols %v, want %v", names, want)
	}
	imm := Parse(context.Background(), "portasm.s", []byte(strings.Replace(src, "#0", "#1", 1)), Config{})
	if d := Diff(s, imm); len(d) != 1 || d[0].Name != "vPortStartFirstTask" {
		t.Errorf("an immediate changed: %+v", d)
	}
}

// Renesas's assemblers export with .public (CC-RH, FreeRTOS's F1Kx port)
// and .GLB (CC-RX, its RX ports).
func TestAsmRenesasDirectives(t *testing.T) {
	src := `.public _vPortYield
	.GLB    _vSoftwareInterruptISR
_vPortYield:
	trap 0
_vSoftwareInterruptISR:
	rte
_local:
	nop
`
	s := Parse(context.Background(), "port_asm.src", []byte(src), Config{})
	var names []string
	for _, a := range s.Asm {
		names = append(names, a.Name)
	}
	if want := []string{"_vPortYield", "_vSoftwareInterruptISR"}; !reflect.DeepEqual(names, want) {
		t.Fatalf("symbols %v, want %v", names, want)
	}
}

// TestAsmDataSymbolEndsWithItsSection: a global symbol in a data section
// (NOVA's ".data; .global handlers; handlers:" table) ends where its
// section does; the .text code after it, with no global label of its own,
// changes no symbol. A code symbol keeps its lines across a pushed
// section, as before.
func TestAsmDataSymbolEndsWithItsSection(t *testing.T) {
	const src = ".data\n.global handlers\nhandlers:\n.text\nret_from_interrupt:\n  LOAD_GPR\n  %s\n.globl entry_sysenter\nentry_sysenter:\n  mov %%esp, %%eax\n  .pushsection .rodata\n  .long 1\n  .popsection\n  %s\n"
	parse := func(a, b string) map[string]string {
		sum := Parse(context.Background(), "entry.S", []byte(fmt.Sprintf(src, a, b)), Config{})
		out := map[string]string{}
		for _, s := range sum.Asm {
			out[s.Name] = s.Hash
		}
		return out
	}
	base := parse("iret", "ret")
	if len(base) != 2 {
		t.Fatalf("symbols %v, want handlers and entry_sysenter", base)
	}
	if got := parse("RET_USER_EXC", "ret"); got["handlers"] != base["handlers"] || got["entry_sysenter"] != base["entry_sysenter"] {
		t.Errorf("code after the data table changed: %v from %v, want no symbol changed", got, base)
	}
	if got := parse("iret", "iretq"); got["entry_sysenter"] == base["entry_sysenter"] {
		t.Errorf("entry_sysenter's code after a pushed section changed, its hash did not: %v", got)
	}
}

// TestFileScopeAsmBlockSymbols: a C or C++ file's file-scope asm block that
// exports global symbols is those symbols, named and changed as an
// assembly file's are (managarm's zisa defines signalEntry so); a block
// that exports none stays an unnamed block, compared by its number among
// the file's unnamed blocks, whatever named blocks come and go beside it.
func TestFileScopeAsmBlockSymbols(t *testing.T) {
	const block = `asm(".section .text\n"
	".global signalEntry\n"
	"signalEntry:\n"
	"\tcall testSignal\n");
`
	const unnamed = "__asm__(\".section .note.GNU-stack\");\n"
	for _, path := range []string{"main.c", "main.cpp"} {
		old := Parse(context.Background(), path, []byte("int x;\n"+block+unnamed), Config{})
		var names []string
		for _, a := range old.Asm {
			names = append(names, a.Name)
		}
		if want := []string{"signalEntry", ""}; !reflect.DeepEqual(names, want) {
			t.Fatalf("%s: asm entries %q, want %q", path, names, want)
		}
		if got := old.Asm[0].Span; got.StartLine != 2 || got.EndLine != 5 {
			t.Errorf("%s: signalEntry spans lines %d-%d, want the block's 2-5", path, got.StartLine, got.EndLine)
		}
		changed := Parse(context.Background(), path, []byte("int x;\n"+strings.Replace(block, "testSignal", "otherSignal", 1)+unnamed), Config{})
		if got, want := Diff(old, changed), []Change{{Entity: EntityAsm, Name: "signalEntry", Change: ChangeChanged}}; !sameChanges(got, want) {
			t.Errorf("%s: call changed: %v, want %v", path, got, want)
		}
		gone := Parse(context.Background(), path, []byte("int x;\n"+unnamed), Config{})
		if got, want := Diff(old, gone), []Change{{Entity: EntityAsm, Name: "signalEntry", Change: ChangeRemoved}}; !sameChanges(got, want) {
			t.Errorf("%s: block removed: %v, want %v", path, got, want)
		}
	}
}

// sameChanges compares changes by entity, name and kind of change.
func sameChanges(got, want []Change) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		if got[i].Entity != want[i].Entity || got[i].Name != want[i].Name || got[i].Change != want[i].Change {
			return false
		}
	}
	return true
}
