package kernel

import "testing"

// Every build system the kernels use is build configuration: a commit
// that only changes these is build-only, and a test suite's line in the
// top build file is part of adding the suite.
func TestKindOf(t *testing.T) {
	for path, want := range map[string]Kind{
		"kernel/sched.c":          KindModule,
		"include/sched.h":         KindHeader,
		"kernel/thor/main.cpp":    KindModule,
		"arch/x86/entry.S":        KindAsm,
		"Makefile":                KindBuild,
		"src/arch/arm/Kconfig":    KindBuild,
		"CMakeLists.txt":          KindBuild,
		"tools/flags.cmake":       KindBuild,
		"meson.build":             KindBuild,
		"kernel/thor/meson.build": KindBuild,
		"meson_options.txt":       KindBuild,
		"upsynth.yaml":            KindBuild,
		"docs/guide.yaml":         KindOther,
		"README.md":               KindOther,
		"protocols/fs/fs.proto":   KindOther,
	} {
		if got := KindOf(path); got != want {
			t.Errorf("KindOf(%q) = %v, want %v", path, got, want)
		}
	}
}
