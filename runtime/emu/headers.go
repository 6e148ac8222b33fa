package emu

import (
	"bytes"
	"embed"
	"errors"
	"io"
	"io/fs"
	"path"
	"strings"
	"time"
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
	f, err := o.user.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if fi.IsDir() {
		return nil, &fs.PathError{Op: "open", Path: name, Err: errors.New("is a directory")}
	}
	data, err := io.ReadAll(f)
	if err != nil {
		return nil, err
	}
	// cc/v4's scanner loops forever on a string or character literal still
	// open at the end of a file: two newlines end any literal.
	data = append(data, "\n\n"...)
	return &memFile{Reader: bytes.NewReader(data), info: fileInfo{name: path.Base(name), size: int64(len(data)), mod: fi.ModTime()}}, nil
}

// memFile is a file read into memory.
type memFile struct {
	*bytes.Reader
	info fileInfo
}

func (f *memFile) Stat() (fs.FileInfo, error) { return f.info, nil }
func (f *memFile) Close() error               { return nil }

type fileInfo struct {
	name string
	size int64
	mod  time.Time
}

func (i fileInfo) Name() string       { return i.name }
func (i fileInfo) Size() int64        { return i.size }
func (i fileInfo) Mode() fs.FileMode  { return 0o444 }
func (i fileInfo) ModTime() time.Time { return i.mod }
func (i fileInfo) IsDir() bool        { return false }
func (i fileInfo) Sys() any           { return nil }

// KernelHeader returns the target ABI header, runtime/emu/include/kernel.h.
func KernelHeader() []byte {
	b, _ := abiHeaders.ReadFile("include/kernel.h")
	return b
}
