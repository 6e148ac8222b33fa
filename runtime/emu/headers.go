package emu

import (
	"embed"
	"io/fs"
	"path"
	"strings"
)

// abiHeaders holds the target ABI header (include/kernel.h) and the minimal
// hosted C headers (include/hosted/*.h) compiled code sees; no host header is
// ever read.
//
//go:embed include
var abiHeaders embed.FS

// headerRoot is the directory under which the embedded headers appear to the
// preprocessor. It cannot clash with a kernel tree's own paths in practice.
const headerRoot = "__upsynth__"

const (
	abiIncludeDir    = headerRoot + "/include"
	hostedIncludeDir = headerRoot + "/include/hosted"
)

// overlayFS serves the embedded headers under headerRoot and everything else
// from the user's file system.
type overlayFS struct{ user fs.FS }

func (o overlayFS) Open(name string) (fs.File, error) {
	name = path.Clean(strings.TrimPrefix(name, "./"))
	if name == headerRoot || strings.HasPrefix(name, headerRoot+"/") {
		return abiHeaders.Open(strings.TrimPrefix(strings.TrimPrefix(name, headerRoot), "/"))
	}
	if o.user == nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return o.user.Open(name)
}

// KernelHeader returns the target ABI header, runtime/emu/include/kernel.h.
func KernelHeader() []byte {
	b, _ := abiHeaders.ReadFile("include/kernel.h")
	return b
}
