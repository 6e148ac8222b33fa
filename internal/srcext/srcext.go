// Package srcext says which file names hold assembly: GNU's .S and .s,
// MASM's and NASM's .asm, IAR's .sNN (one per processor family: .s43 for
// MSP430, .s79 for ARM, .s87 for RL78, …) and Renesas's .src. kernel.KindOf
// and cparse.LangOf both ask here, so the module list and the parser never
// disagree about what a file holds.
package srcext

import (
	"path"
	"strings"
)

// Assembly reports whether the file p names holds assembly, by its name.
func Assembly(p string) bool {
	ext := path.Ext(p)
	switch ext {
	case ".S", ".s", ".src":
		return true
	}
	if strings.EqualFold(ext, ".asm") {
		return true
	}
	// IAR's assemblers: ".s" and two digits.
	return len(ext) == 4 && ext[1] == 's' && isDigit(ext[2]) && isDigit(ext[3])
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
