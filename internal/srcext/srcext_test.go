package srcext

import "testing"

func TestAssembly(t *testing.T) {
	for p, want := range map[string]bool{
		"arch/x86/entry.S":                   true,
		"portable/GCC/ARM_CM3/portasm.s":     true,
		"boot/start.asm":                     true,
		"boot/START.ASM":                     true,
		"portable/IAR/RL78/portasm.s87":      true,
		"portable/IAR/MSP430/portext.s43":    true,
		"portable/Renesas/SH2A_FPU/port.src": true,
		"kernel/main.c":                      false,
		"include/asm.h":                      false,
		"portable/IAR/RL78/ISR_Support.h":    false,
		"docs/notes.s1":                      false,
		"a.sx":                               false,
		"Makefile":                           false,
	} {
		if got := Assembly(p); got != want {
			t.Errorf("Assembly(%q) = %t, want %t", p, got, want)
		}
	}
}
