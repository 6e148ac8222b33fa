package cparse

import (
	"context"
	"reflect"
	"strings"
	"testing"
)

// asmNames are a summary's assembly symbols, in order.
func asmNames(s *Summary) []string {
	var names []string
	for _, a := range s.Asm {
		names = append(names, a.Name)
	}
	return names
}

// TestAsmMacroSymbols: symbols a macro of the file defines are entities,
// named by the invocation's argument: a gas .macro exporting "\name"
// (managarm's fault stubs) and a #define exporting its parameter (xv6's
// system call stubs). An invocation added is a symbol added; a change to
// the macro's body changes every symbol it defines.
func TestAsmMacroSymbols(t *testing.T) {
	gas := `.set .L_typeFaultNoCode, 1
.macro MAKE_FAULT_STUB type, name, number=0
.section .text.stubs
.global \name
\name:
	push $\number
	call onPlatformFault
	iretq
.endm

MAKE_FAULT_STUB .L_typeFaultNoCode, faultStubDivideByZero, 0
MAKE_FAULT_STUB .L_typeFaultNoCode, faultStubDebug, 1
MAKE_FAULT_STUB .L_typeFaultNoCode, .L_localStub, 2

.global thorRtIsrIrq0
thorRtIsrIrq0:
	iretq
`
	old := Parse(context.Background(), "stubs.S", []byte(gas), Config{})
	if want := []string{"faultStubDivideByZero", "faultStubDebug", "thorRtIsrIrq0"}; !reflect.DeepEqual(asmNames(old), want) {
		t.Fatalf("gas macro: symbols %v, want %v", asmNames(old), want)
	}
	added := Parse(context.Background(), "stubs.S", []byte(strings.Replace(gas, "MAKE_FAULT_STUB .L_typeFaultNoCode, .L_localStub", "MAKE_FAULT_STUB .L_typeFaultNoCode, faultStubOverflow, 4\nMAKE_FAULT_STUB .L_typeFaultNoCode, .L_localStub", 1)), Config{})
	if d := Diff(old, added); len(d) != 1 || d[0].Name != "faultStubOverflow" || d[0].Change != ChangeAdded {
		t.Errorf("an invocation added: %+v", d)
	}
	body := Parse(context.Background(), "stubs.S", []byte(strings.Replace(gas, "call onPlatformFault", "call onPlatformFault2", 1)), Config{})
	var changed []string
	for _, c := range Diff(old, body) {
		changed = append(changed, c.Name+" "+string(c.Change))
	}
	if want := []string{"faultStubDebug changed", "faultStubDivideByZero changed"}; !reflect.DeepEqual(changed, want) {
		t.Errorf("the macro's body changed: %v, want %v", changed, want)
	}

	cpp := `#include "syscall.h"
#define STUB(name) \
  .globl name; \
  name: \
    movl $SYS_ ## name, %eax; \
    int $T_SYSCALL; \
    ret

STUB(fork)
STUB(exit)
`
	s := Parse(context.Background(), "usys.S", []byte(cpp), Config{})
	if want := []string{"fork", "exit"}; !reflect.DeepEqual(asmNames(s), want) {
		t.Fatalf("cpp macro: symbols %v, want %v", asmNames(s), want)
	}
	k := Parse(context.Background(), "usys.S", []byte(cpp+"STUB(kill)\n"), Config{})
	if d := Diff(s, k); len(d) != 1 || d[0].Name != "kill" || d[0].Change != ChangeAdded {
		t.Errorf("STUB(kill) added: %+v", d)
	}
}

// TestAsmMacroPastedNames: a gas .macro whose export pastes text around
// its parameter (".global faultStub\name", "isr_\n\()_entry") defines the
// symbol the invocation's argument completes (managarm's int_stubs.asm);
// a macro defined between two symbols is no code of the one before it,
// nor is the next symbol's export directive: the symbol before is
// unchanged when they change.
func TestAsmMacroPastedNames(t *testing.T) {
	old := `.global thorRtLoadCs
thorRtLoadCs:
	iretq
reloadCsFinish:
	ret

.macro MAKE_FAULT_HANDLER name
.global thorRtIsr\name
thorRtIsr\name:
	call thor\name
.endm

.global thorRtIsrDivideByZeroError
thorRtIsrDivideByZeroError:
	call thorDivideByZeroError
MAKE_FAULT_HANDLER InvalidOpcode
`
	new := `.global thorRtLoadCs
thorRtLoadCs:
	iretq
reloadCsFinish:
	ret

.macro MAKE_FAULT_HANDLER name
.global faultStub\name
faultStub\name:
	call handle\name\()Fault
.endm

.macro MAKE_ENTRY n
.global isr_\n\()_entry
isr_\n\()_entry:
	push $\n
.endm

MAKE_FAULT_HANDLER DivideByZero
MAKE_FAULT_HANDLER Opcode
MAKE_ENTRY 3
`
	parse := func(src string) *Summary {
		return Parse(context.Background(), "int_stubs.asm", []byte(src), Config{})
	}
	if got, want := asmNames(parse(old)), []string{"thorRtLoadCs", "thorRtIsrDivideByZeroError", "thorRtIsrInvalidOpcode"}; !reflect.DeepEqual(got, want) {
		t.Errorf("old symbols %v, want %v", got, want)
	}
	if got, want := asmNames(parse(new)), []string{"thorRtLoadCs", "faultStubDivideByZero", "faultStubOpcode", "isr_3_entry"}; !reflect.DeepEqual(got, want) {
		t.Errorf("new symbols %v, want %v", got, want)
	}
	var changes []string
	for _, c := range Diff(parse(old), parse(new)) {
		changes = append(changes, c.Name+" "+string(c.Change))
	}
	want := []string{"faultStubDivideByZero added", "faultStubOpcode added", "isr_3_entry added", "thorRtIsrDivideByZeroError removed", "thorRtIsrInvalidOpcode removed"}
	if !reflect.DeepEqual(changes, want) {
		t.Errorf("changes %v, want %v (thorRtLoadCs unchanged)", changes, want)
	}
}

// TestAsmMacroFillsDataTable: a data symbol ends where its section does,
// but an invocation after it of a macro that writes into that section,
// itself or through a macro it invokes (NOVA's EXCEPTION, whose INTRGATE
// puts a gate word in .data after "handlers:"), adds to its table: the
// invocation changed is the table changed. Code in .text is not.
func TestAsmMacroFillsDataTable(t *testing.T) {
	src := `.data
.global handlers
handlers:

.text
.macro INTRGATE DPL
	.align 4, 0x90
1:
	.data
	.quad 1b + \DPL
	.previous
.endm
.macro EXCEPTION VEC, DPL
INTRGATE \DPL
	push $\VEC
	jmp entry_exc
.endm

EXCEPTION 0x0, 0
EXCEPTION 0x1, 0
entry_exc:
	iretq
`
	parse := func(src string) *Summary {
		return Parse(context.Background(), "entry.S", []byte(src), Config{})
	}
	old := parse(src)
	changed := func(new string) []string {
		var out []string
		for _, c := range Diff(old, parse(new)) {
			out = append(out, c.Name+" "+string(c.Change))
		}
		return out
	}
	if got, want := changed(strings.Replace(src, "EXCEPTION 0x1, 0", "EXCEPTION EXC_DB, 0", 1)), []string{"handlers changed"}; !reflect.DeepEqual(got, want) {
		t.Errorf("an invocation changed: %v, want %v", got, want)
	}
	if got := changed(strings.Replace(src, "entry_exc:\n\tiretq", "entry_exc:\n\tcld\n\tiretq", 1)); len(got) != 0 {
		t.Errorf("code in .text changed: %v, want no change of handlers", got)
	}
}
