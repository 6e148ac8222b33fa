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
