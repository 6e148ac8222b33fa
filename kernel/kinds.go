// This file holds the source kinds: what a path of a kernel tree holds, by
// its name. Analysis, the module list and the update generator all ask here.

package kernel

import (
	"path"
	"strings"

	"github.com/upsynth/upsynth/internal/srcext"
)

// Kind is what a path holds.
type Kind int

const (
	KindOther  Kind = iota
	KindModule      // a C or C++ translation unit
	KindHeader      // a C or C++ header
	KindAsm         // assembly
	KindBuild       // build configuration (Makefile, *.mk, Kconfig, CMake, Meson, upsynth.yaml at the root)
)

// KindOf classifies a path by its name.
func KindOf(p string) Kind {
	base := path.Base(p)
	switch path.Ext(base) {
	case ".c", ".cc", ".cpp", ".cxx", ".c++", ".C":
		return KindModule
	case ".h", ".H", ".hh", ".hpp", ".hxx", ".h++", ".inl", ".tcc":
		return KindHeader
	case ".mk", ".cmake":
		return KindBuild
	}
	switch {
	case srcext.Assembly(base):
		return KindAsm
	case base == "Makefile" || base == "GNUmakefile" || base == "makefile" || base == "CMakeLists.txt" || strings.HasPrefix(base, "Kconfig"),
		base == "meson.build" || base == "meson_options.txt" || base == "meson.options": // managarm builds with Meson
		return KindBuild
	case !strings.Contains(p, "/") && (strings.HasSuffix(base, ".yaml") || strings.HasSuffix(base, ".yml")):
		return KindBuild
	}
	return KindOther
}

// IsSource reports whether a path is C or C++ that the C front end reads
// (a module or a header).
func IsSource(p string) bool { k := KindOf(p); return k == KindModule || k == KindHeader }

// IsCPP reports whether a path is a C++ module or header. The emulated
// target runs C only.
func IsCPP(p string) bool {
	switch path.Ext(p) {
	case ".cc", ".cpp", ".cxx", ".c++", ".C", ".hh", ".hpp", ".hxx", ".h++", ".inl", ".tcc":
		return true
	}
	return false
}

// IsCPPModule reports whether a path is a C++ translation unit.
func IsCPPModule(p string) bool { return IsCPP(p) && KindOf(p) == KindModule }

// IsImageFile reports whether a file can matter to the kernel image: its
// sources and headers, assembly and included fragments (.inc).
func IsImageFile(p string) bool {
	switch KindOf(p) {
	case KindModule, KindHeader, KindAsm:
		return true
	}
	return path.Ext(p) == ".inc"
}
