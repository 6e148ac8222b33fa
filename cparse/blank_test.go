package cparse

import (
	"fmt"
	"testing"
)

// TestAssemblerMacrosInAHeader: a header written for .S files (FreeRTOS's
// RISC-V portContext.h) holds GNU assembler macros whose instructions are
// not C declarations; its preprocessor macros, those inside an assembler
// macro's conditionals too, are its entities. C's designated initializer
// of a member named macro is C.
func TestAssemblerMacrosInAHeader(t *testing.T) {
	sum := tolerant(t, "portContext.h", `#define portWORD_SIZE 4
#define portFPU_REG_SIZE ( __riscv_flen / 8 )
.macro portcontextSAVE_FPU_CONTEXT
addi sp, sp, -( portFPU_CONTEXT_SIZE )
store_f f0,  2  * portFPU_REG_SIZE( sp )
#if ( configENABLE_FPU == 1 )
#define portFPU_SAVED 1
csrr t0, fcsr
#endif
store_f f1,  3  * portFPU_REG_SIZE( sp )
   .endm
`)
	if len(sum.Functions)+len(sum.Globals)+len(sum.Types) != 0 {
		t.Errorf("assembler read as C: functions %+v, globals %+v, types %+v", sum.Functions, sum.Globals, sum.Types)
	}
	var macros []string
	for _, m := range sum.Macros {
		macros = append(macros, m.Name)
	}
	if want := "portWORD_SIZE portFPU_REG_SIZE portFPU_SAVED"; fmt.Sprint(macros) != "["+want+"]" {
		t.Errorf("macros %v, want [%s]", macros, want)
	}
	c := tolerant(t, "ops.c", "struct ops o = {\n.macro = 1,\n.endm = 2,\n};\nint f(void) { return 0; }\n")
	if len(c.Globals) != 1 || len(c.Functions) != 1 {
		t.Errorf("designated initializers of members macro and endm: globals %+v, functions %+v, want o and f", c.Globals, c.Functions)
	}
}

// TestIARAssemblerInAHeader: a header written for IAR's assemblers
// (FreeRTOS's RL78 ISR_Support.h) holds `;` comments, EXTERN directives and
// MACRO ... ENDM blocks, none of them C: its entities are its preprocessor
// macros. A C file whose line starts with ';' is C.
func TestIARAssemblerInAHeader(t *testing.T) {
	sum := tolerant(t, "ISR_Support.h", `#include "FreeRTOSConfig.h"

; Variables used by scheduler
;------------------------------------------------------------------------------
	EXTERN    pxCurrentTCB
	EXTERN    usCriticalNesting

;   portSAVE_CONTEXT MACRO
;   Saves the context of the general purpose registers.
portSAVE_CONTEXT MACRO
	PUSH      AX                    ; Save AX Register to stack.
	MOV       A, CS                 ; Save CS register.
#if __CODE_MODEL__ == __CODE_MODEL_FAR__
#define RCALL(X) CALL F:X
#endif
	MOVW      AX, usCriticalNesting ; Save the usCriticalNesting value.
	ENDM
`)
	if len(sum.Functions)+len(sum.Globals)+len(sum.Types) != 0 {
		t.Errorf("assembler read as C: functions %+v, globals %+v, types %+v", sum.Functions, sum.Globals, sum.Types)
	}
	if len(sum.Macros) != 1 || sum.Macros[0].Name != "RCALL" {
		t.Errorf("macros %+v, want RCALL", sum.Macros)
	}
	c := tolerant(t, "loop.c", "int f(int n)\n{\n\tfor (;;)\n\t\t;\n\treturn n;\n}\nint EXTERN;\n")
	if len(c.Functions) != 1 || len(c.Globals) != 1 {
		t.Errorf("C without an IAR macro: functions %+v, globals %+v, want f and EXTERN", c.Functions, c.Globals)
	}
}

// TestAttributeMacroBeforeTypedefName: an attribute macro the tolerant
// engine cannot see defined, between a storage class and a typedef name
// (seL4's `static BOOT_BSS region_t avail_reg[...]`), is not part of the
// type: moving it (`BOOT_BSS static region_t ...`) changes nothing.
func TestAttributeMacroBeforeTypedefName(t *testing.T) {
	before := tolerant(t, "boot.c", "static BOOT_BSS region_t avail_reg[MAX_NUM_FREEMEM_REG];\nstatic CONST_T x;\n")
	after := tolerant(t, "boot.c", "BOOT_BSS static region_t avail_reg[MAX_NUM_FREEMEM_REG];\nstatic CONST_T x;\n")
	if len(before.Globals) != 2 || before.Globals[0].Type != "region_t[MAX_NUM_FREEMEM_REG]" || before.Globals[1].Type != "CONST_T" {
		t.Fatalf("globals %+v, want avail_reg of region_t[MAX_NUM_FREEMEM_REG] and x of CONST_T", before.Globals)
	}
	if got := Diff(before, after); len(got) != 0 {
		t.Errorf("attribute macro moved: %+v, want no change", got)
	}
}

// TestAlternativeOpenings: a conditional whose every branch opens a
// function's block, the rest of it shared (protobuf's generated
// "#ifdef GOOGLE_PROTOBUF_NO_STATIC_INITIALIZER"), is read for its first
// configuration, so the braces balance and the namespace around it is
// kept for what follows; braces in a string or a comment do not count.
func TestAlternativeOpenings(t *testing.T) {
	sum := tolerant(t, "fs.pb.cc", `namespace managarm {
namespace fs {
#ifdef GOOGLE_PROTOBUF_NO_STATIC_INITIALIZER
void protobuf_AddDesc_fs_2eproto_impl() {
  const char *s = "}";
#else
void protobuf_AddDesc_fs_2eproto() {
  static bool already_here = false; /* { */
#endif
  init();
}
bool Errors_IsValid(int value) {
  return value < 2;
}
}  // namespace fs
}  // namespace managarm
`)
	var names []string
	for _, f := range sum.Functions {
		names = append(names, f.Name)
	}
	if want := "[managarm::fs::protobuf_AddDesc_fs_2eproto_impl managarm::fs::Errors_IsValid]"; fmt.Sprint(names) != want {
		t.Errorf("functions %v, want %s", names, want)
	}
}
