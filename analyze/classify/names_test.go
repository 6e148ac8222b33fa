package classify

import (
	"math/rand"
	"regexp"
	"strings"
	"testing"
)

// TestNameChecksAsTheirPatterns checks the two name tests every macro
// change goes through against the regular expressions they stand for:
// isIncludeGuard rejects first what includeGuard cannot match, and
// isSyscallName is `^(SYS_|__NR_)|^sys_call_table$` without a regexp.
func TestNameChecksAsTheirPatterns(t *testing.T) {
	syscallPattern := regexp.MustCompile(`^(SYS_|__NR_)|^sys_call_table$`)
	names := []string{"FS_H", "_ASM_X86_IO_H_", "KERNEL_MM_HPP", "FOO_INCLUDED", "__FOO_HXX__", "X_HH", "_H", "H", "FS_h",
		"INC_FREERTOS_H", "PORTMACRO_H", "configUSE_PREEMPTION", "FOO_H_BAR", "FOO__H", "foo_H", "SYS_read", "__NR_write",
		"sys_call_table", "sys_call_table2", "SYS", "__NR", "XSYS_read", "", "_", "___H___", "A_INCLUDED_", "A_INCLUDE"}
	pieces := []string{"_", "__", "H", "HH", "HPP", "HXX", "INCLUDED", "SYS", "NR", "sys", "call", "table", "A", "x", "9", "h"}
	rng := rand.New(rand.NewSource(1))
	for range 20000 {
		var b strings.Builder
		for range rng.Intn(6) {
			b.WriteString(pieces[rng.Intn(len(pieces))])
		}
		names = append(names, b.String())
	}
	for _, name := range names {
		if got, want := isIncludeGuard(name), includeGuard.MatchString(name); got != want {
			t.Errorf("isIncludeGuard(%q) = %v, the pattern says %v", name, got, want)
		}
		if got, want := isSyscallName(name), syscallPattern.MatchString(name); got != want {
			t.Errorf("isSyscallName(%q) = %v, the pattern says %v", name, got, want)
		}
	}
}
