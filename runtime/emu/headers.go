package emu

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"path"
	"strings"
	"time"

	"github.com/upsynth/upsynth/runtime/emu/abi"
)

// overlayFS is what the preprocessor reads: the target's headers laid over
// the user's file system (package abi, which owns them and their root), each
// file read into memory and ended with two newlines. No host header is ever
// read.
type overlayFS struct{ user fs.FS }

func (o overlayFS) Open(name string) (fs.File, error) {
	name = path.Clean(strings.TrimPrefix(name, "./"))
	f, err := abi.Overlay(o.user).Open(name)
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
