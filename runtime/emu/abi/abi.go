// Package abi is the emulated target's ABI as the C front end sees it: the
// predefined macros every translation unit starts from and the headers
// (include/kernel.h, the target ABI, and the minimal hosted C headers under
// include/hosted), embedded, laid over a kernel tree under one root. There
// is one copy: the emulator's loader (runtime/emu), the update generator's
// layout model (synth), the analysis's precise engine (through package
// kernel, which passes Predefined to cparse) all read it from here, so the
// layouts synth promises are the ones the machine computes.
//
// The package depends on the standard library only: emitted update packages
// reach it through runtime/emu.
package abi

import (
	"embed"
	"io/fs"
	"path"
	"strings"
)

// Headers holds include/kernel.h and include/hosted/*.h.
//
//go:embed include
var Headers embed.FS

// Root is the directory under which the headers appear in a tree served by
// Overlay. It cannot clash with a kernel's own paths in practice.
const Root = "__upsynth__"

// IncludePaths are the header directories of the target, searched after a
// kernel's own include paths: kernel.h first, then the hosted headers (a
// kernel file that includes <stdio.h> and finds it only here is a host
// tool, not kernel code: see package kernel).
var IncludePaths = []string{Root + "/include", Root + "/include/hosted"}

// KernelHeader is include/kernel.h, the target ABI header.
func KernelHeader() []byte {
	b, _ := Headers.ReadFile("include/kernel.h")
	return b
}

// Overlay serves the headers under Root and every other path from tree
// (which may be nil: headers only).
func Overlay(tree fs.FS) fs.FS { return overlay{tree} }

type overlay struct{ tree fs.FS }

func (o overlay) Open(name string) (fs.File, error) {
	if h, ok := header(name); ok {
		return Headers.Open(h)
	}
	if o.tree == nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return o.tree.Open(name)
}

// Stat is the tree's own Stat for its paths: a tree that tells a path
// tested from a path read (the analysis's record of what a parse looked
// up in its tree) sees a test.
func (o overlay) Stat(name string) (fs.FileInfo, error) {
	if h, ok := header(name); ok {
		return fs.Stat(Headers, h)
	}
	if o.tree == nil {
		return nil, &fs.PathError{Op: "stat", Path: name, Err: fs.ErrNotExist}
	}
	return fs.Stat(o.tree, name)
}

// header is name's path in Headers when name is under Root.
func header(name string) (string, bool) {
	clean := path.Clean(strings.TrimPrefix(name, "./"))
	if clean == Root || strings.HasPrefix(clean, Root+"/") {
		return strings.TrimPrefix(strings.TrimPrefix(clean, Root), "/"), true
	}
	return "", false
}

// Predefined is the macro set a kernel translation unit starts from: a
// freestanding GNU C11 compiler for an LP64 little-endian x86-64 target
// (cc/v4's linux/amd64 ABI, without the Linux hosted environment). cc/v4
// has __typeof__, __typeof, __alignof__ and __alignof as keywords, so they
// are not macros here. Hosted programs (target exec) use HostedPredefined.
const Predefined = common + "#define __STDC_HOSTED__ 0\n#define __UPSYNTH_KERNEL__ 1\n"

// HostedPredefined is the macro set of a hosted program (entry main).
const HostedPredefined = common + "#define __STDC_HOSTED__ 1\n"

const common = `#define __STDC__ 1
#define __STDC_VERSION__ 201112L
#define __GNUC__ 4
#define __GNUC_MINOR__ 2
#define __GNUC_PATCHLEVEL__ 1
#define __UPSYNTH__ 1
#define __x86_64__ 1
#define __x86_64 1
#define __amd64__ 1
#define __LP64__ 1
#define _LP64 1
#define __ELF__ 1
#define __CHAR_BIT__ 8
#define __SIZEOF_SHORT__ 2
#define __SIZEOF_INT__ 4
#define __SIZEOF_LONG__ 8
#define __SIZEOF_LONG_LONG__ 8
#define __SIZEOF_POINTER__ 8
#define __SIZEOF_FLOAT__ 4
#define __SIZEOF_DOUBLE__ 8
#define __SIZEOF_LONG_DOUBLE__ 16
#define __SIZEOF_SIZE_T__ 8
#define __SIZEOF_WCHAR_T__ 4
#define __SIZEOF_PTRDIFF_T__ 8
#define __ORDER_LITTLE_ENDIAN__ 1234
#define __ORDER_BIG_ENDIAN__ 4321
#define __BYTE_ORDER__ __ORDER_LITTLE_ENDIAN__
#define __SIZE_TYPE__ unsigned long
#define __PTRDIFF_TYPE__ long
#define __WCHAR_TYPE__ int
#define __WINT_TYPE__ unsigned int
#define __INTMAX_TYPE__ long
#define __UINTMAX_TYPE__ unsigned long
#define __INTPTR_TYPE__ long
#define __UINTPTR_TYPE__ unsigned long
#define __INT8_TYPE__ signed char
#define __INT16_TYPE__ short
#define __INT32_TYPE__ int
#define __INT64_TYPE__ long
#define __UINT8_TYPE__ unsigned char
#define __UINT16_TYPE__ unsigned short
#define __UINT32_TYPE__ unsigned int
#define __UINT64_TYPE__ unsigned long
#define __SCHAR_MAX__ 127
#define __SHRT_MAX__ 32767
#define __INT_MAX__ 2147483647
#define __LONG_MAX__ 9223372036854775807L
#define __LONG_LONG_MAX__ 9223372036854775807LL
#define __SIZE_MAX__ 18446744073709551615UL
#define __extension__
#define __inline inline
#define __inline__ inline
#define __restrict restrict
#define __restrict__ restrict
#define __volatile__ volatile
#define __const const
#define __signed__ signed
`
