// This file presents one git tree as a read-only io/fs.FS, so that the C
// front end resolves #include against a revision's own files without a
// checkout. Trees and blobs are read lazily, only along the paths that are
// opened.

package kernel

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"path"
	"sort"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// Objects is the object access the file system needs; kernel.Repo
// provides it.
type Objects interface {
	Tree(plumbing.Hash) (*object.Tree, error)
	Blob(h plumbing.Hash, limit int64) ([]byte, error)
	// SharedBlob is Blob for a reader that never modifies the content.
	SharedBlob(h plumbing.Hash, limit int64) ([]byte, error)
	BlobSize(h plumbing.Hash) (int64, error)
}

// maxSymlinks bounds symlink resolution so that loops end.
const maxSymlinks = 8

// TreeFS is the tree rooted at one hash. It is safe for concurrent use when
// its Objects are.
type TreeFS struct {
	objs Objects
	root plumbing.Hash
	// MaxFile bounds the size of a file read through the FS (0: no bound);
	// a larger file fails to open, as a missing header would.
	MaxFile int64
}

// NewTreeFS returns the file system of the tree root.
func NewTreeFS(objs Objects, root plumbing.Hash) *TreeFS { return &TreeFS{objs: objs, root: root} }

var (
	_ fs.ReadFileFS = (*TreeFS)(nil)
	_ fs.ReadDirFS  = (*TreeFS)(nil)
	_ fs.StatFS     = (*TreeFS)(nil)
)

// lookup finds the entry for name, following symlinks in directories and,
// when follow is set, in the last element.
func (f *TreeFS) lookup(op, name string, follow bool) (object.TreeEntry, error) {
	if !fs.ValidPath(name) {
		return object.TreeEntry{}, &fs.PathError{Op: op, Path: name, Err: fs.ErrInvalid}
	}
	rootEntry := object.TreeEntry{Name: ".", Mode: filemode.Dir, Hash: f.root}
	if name == "." {
		return rootEntry, nil
	}
	hops := 0
	parts := strings.Split(name, "/")
	cur := rootEntry
	var walked []string
	for i := 0; i < len(parts); i++ {
		if cur.Mode != filemode.Dir {
			return object.TreeEntry{}, &fs.PathError{Op: op, Path: name, Err: fs.ErrNotExist}
		}
		t, err := f.objs.Tree(cur.Hash)
		if err != nil {
			return object.TreeEntry{}, &fs.PathError{Op: op, Path: name, Err: err}
		}
		next, ok := child(t, parts[i])
		if !ok {
			return object.TreeEntry{}, &fs.PathError{Op: op, Path: name, Err: fs.ErrNotExist}
		}
		last := i == len(parts)-1
		if next.Mode == filemode.Symlink && (!last || follow) {
			hops++
			if hops > maxSymlinks {
				return object.TreeEntry{}, &fs.PathError{Op: op, Path: name, Err: errors.New("too many levels of symbolic links")}
			}
			target, err := f.objs.Blob(next.Hash, 4096)
			if err != nil {
				return object.TreeEntry{}, &fs.PathError{Op: op, Path: name, Err: err}
			}
			resolved := path.Join(append(append([]string{}, walked...), string(target))...)
			if strings.HasPrefix(string(target), "/") || resolved == ".." || strings.HasPrefix(resolved, "../") {
				return object.TreeEntry{}, &fs.PathError{Op: op, Path: name, Err: fs.ErrNotExist}
			}
			rest := append(strings.Split(resolved, "/"), parts[i+1:]...)
			parts, i, cur, walked = rest, -1, rootEntry, nil
			if resolved == "." {
				parts = parts[1:]
				if len(parts) == 0 {
					return rootEntry, nil
				}
			}
			continue
		}
		walked = append(walked, parts[i])
		cur = next
	}
	return cur, nil
}

// child finds a tree entry by name. Trees are shared across goroutines, so
// this never uses Tree.FindEntry, which builds a map lazily without a lock.
func child(t *object.Tree, name string) (object.TreeEntry, bool) {
	for _, e := range t.Entries {
		if e.Name == name {
			return e, true
		}
	}
	return object.TreeEntry{}, false
}

// Entry is the tree entry name resolves to, symlinks followed as Open
// follows them: what a reader of the path would get, told by its hash
// without reading it.
func (f *TreeFS) Entry(name string) (object.TreeEntry, error) {
	return f.lookup("lookup", name, true)
}

// Open opens a file or directory.
func (f *TreeFS) Open(name string) (fs.File, error) {
	e, err := f.lookup("open", name, true)
	if err != nil {
		return nil, err
	}
	info := fileInfo{name: path.Base(name), entry: e}
	switch e.Mode {
	case filemode.Dir:
		t, err := f.objs.Tree(e.Hash)
		if err != nil {
			return nil, &fs.PathError{Op: "open", Path: name, Err: err}
		}
		return &dir{fs: f, info: info, entries: t.Entries}, nil
	case filemode.Regular, filemode.Executable, filemode.Deprecated:
		// The content may be shared: a file only reads it.
		b, err := f.objs.SharedBlob(e.Hash, f.MaxFile)
		if err != nil {
			return nil, &fs.PathError{Op: "open", Path: name, Err: err}
		}
		info.size = int64(len(b))
		return &file{info: info, Reader: bytes.NewReader(b)}, nil
	default: // submodules and anything else git may hold
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
}

// ReadFile reads a whole file.
func (f *TreeFS) ReadFile(name string) ([]byte, error) {
	fl, err := f.Open(name)
	if err != nil {
		return nil, err
	}
	defer fl.Close()
	file, ok := fl.(*file)
	if !ok {
		return nil, &fs.PathError{Op: "read", Path: name, Err: errors.New("is a directory")}
	}
	return io.ReadAll(file)
}

// ReadDir lists a directory in name order.
func (f *TreeFS) ReadDir(name string) ([]fs.DirEntry, error) {
	fl, err := f.Open(name)
	if err != nil {
		return nil, err
	}
	defer fl.Close()
	d, ok := fl.(*dir)
	if !ok {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: errors.New("not a directory")}
	}
	return d.ReadDir(-1)
}

// Stat describes a file without reading its content.
func (f *TreeFS) Stat(name string) (fs.FileInfo, error) {
	e, err := f.lookup("stat", name, true)
	if err != nil {
		return nil, err
	}
	info := fileInfo{name: path.Base(name), entry: e}
	if e.Mode != filemode.Dir {
		if info.size, err = f.objs.BlobSize(e.Hash); err != nil {
			return nil, &fs.PathError{Op: "stat", Path: name, Err: err}
		}
	}
	return info, nil
}

type fileInfo struct {
	name  string
	entry object.TreeEntry
	size  int64
}

func (i fileInfo) Name() string { return i.name }
func (i fileInfo) Size() int64  { return i.size }
func (i fileInfo) Mode() fs.FileMode {
	switch i.entry.Mode {
	case filemode.Dir:
		return fs.ModeDir | 0o555
	case filemode.Executable:
		return 0o555
	case filemode.Symlink:
		return fs.ModeSymlink | 0o444
	}
	return 0o444
}
func (i fileInfo) ModTime() time.Time { return time.Time{} }
func (i fileInfo) IsDir() bool        { return i.entry.Mode == filemode.Dir }
func (i fileInfo) Sys() any           { return i.entry }

// dirEntry is one entry of a directory listing; its size is read only
// when Info is asked for.
type dirEntry struct {
	objs Objects
	fileInfo
}

func (d dirEntry) Type() fs.FileMode { return d.Mode().Type() }
func (d dirEntry) Info() (fs.FileInfo, error) {
	if d.entry.Mode != filemode.Dir {
		size, err := d.objs.BlobSize(d.entry.Hash)
		if err != nil {
			return nil, err
		}
		d.size = size
	}
	return d.fileInfo, nil
}

type file struct {
	info fileInfo
	*bytes.Reader
}

func (f *file) Stat() (fs.FileInfo, error) { return f.info, nil }
func (f *file) Close() error               { return nil }

type dir struct {
	fs      *TreeFS
	info    fileInfo
	entries []object.TreeEntry
	off     int
}

func (d *dir) Stat() (fs.FileInfo, error) { return d.info, nil }
func (d *dir) Close() error               { return nil }
func (d *dir) Read([]byte) (int, error) {
	return 0, &fs.PathError{Op: "read", Path: d.info.name, Err: errors.New("is a directory")}
}

// ReadDir returns entries in name order.
func (d *dir) ReadDir(n int) ([]fs.DirEntry, error) {
	rest := d.entries[d.off:]
	if n > 0 && len(rest) == 0 {
		return nil, io.EOF
	}
	if n > 0 && n < len(rest) {
		rest = rest[:n]
	}
	out := make([]fs.DirEntry, 0, len(rest))
	for _, e := range rest {
		if e.Mode == filemode.Submodule {
			continue
		}
		out = append(out, dirEntry{d.fs.objs, fileInfo{name: e.Name, entry: e}})
	}
	d.off += len(rest)
	sortEntries(out)
	return out, nil
}

// requires; git orders a directory as if its name ended in "/".
func sortEntries(es []fs.DirEntry) {
	sort.Slice(es, func(i, j int) bool { return es[i].Name() < es[j].Name() })
}
