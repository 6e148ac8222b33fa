// This file opens a repository: a work tree (its .git a directory or a
// "gitdir:" file), a bare repository or a mirror's object store, with the
// object store tuned for walking a whole history (a large object cache,
// pack file descriptors kept open, decoded trees cached). All object access
// goes through one lock so that parse workers read headers from the same
// store the walker uses.

package kernel

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/go-git/go-billy/v5/osfs"
	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/cache"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/storage/filesystem"
	"github.com/go-git/go-git/v5/storage/filesystem/dotgit"

	"github.com/upsynth/upsynth/internal/lru"
)

// Tuning of the object store. go-git's defaults (96 MiB cache, a descriptor
// opened per pack access) make a full-history walk two orders of magnitude
// slower than git; these close most of the gap while bounding memory.
const (
	objectCacheSize = 48 * cache.MiByte
	treeCacheLen    = 1 << 15
	// largeObject: bigger blobs are not loaded into memory by go-git; the
	// analysis skips them anyway (see Repo.Blob).
	largeObject = 16 << 20
	// fileCacheBytes bounds the contents of files kept for TreeFS: the
	// headers every translation of a tree reads (FreeRTOS.h, task.h, a
	// demo's vendor register header). go-git inflates a packed object and
	// applies its deltas again on each read; reading them afresh for each
	// includer was 4.4 GB of allocation and 6.6 CPU seconds of
	// FreeRTOS-Kernel's history.
	fileCacheBytes = 16 << 20
	fileCacheLen   = 4096
)

// ErrTooLarge is returned by Blob for blobs above the caller's limit.
var ErrTooLarge = errors.New("blob too large")

// Repo is an open repository. Its methods are safe for concurrent use.
type Repo struct {
	// Dir is the repository's git directory.
	Dir string
	// Path is the path it was opened by.
	Path string

	mu      sync.Mutex // serializes every access to storage
	storage *filesystem.Storage
	repo    *git.Repository
	trees   *lru.Cache[plumbing.Hash, *object.Tree]
	// files holds contents SharedBlob handed out; they are never modified.
	files *lru.Cache[plumbing.Hash, []byte]
	// mem holds the objects of commits made in memory (CommitInMemory).
	mem map[plumbing.Hash]plumbing.EncodedObject
	// treeReads counts trees decoded from storage (cache misses).
	treeReads atomic.Int64
}

// TreeReads is the number of trees read from storage so far.
func (r *Repo) TreeReads() int64 { return r.treeReads.Load() }

// Open opens the repository at path: a work tree containing .git (a
// directory or a "gitdir:" file), or a bare repository.
func Open(path string) (*Repo, error) {
	gitDir, commonDir, err := findGitDir(path)
	if err != nil {
		return nil, err
	}
	var fs = osfs.New(gitDir)
	if commonDir != "" {
		fs = dotgit.NewRepositoryFilesystem(osfs.New(gitDir), osfs.New(commonDir))
	}
	storage := filesystem.NewStorageWithOptions(fs, cache.NewObjectLRU(objectCacheSize), filesystem.Options{
		KeepDescriptors:      true,
		ExclusiveAccess:      true,
		LargeObjectThreshold: largeObject,
	})
	repo, err := git.Open(storage, nil)
	if err != nil {
		storage.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	return &Repo{Dir: gitDir, Path: path, storage: storage, repo: repo, trees: lru.New[plumbing.Hash, *object.Tree](treeCacheLen),
		files: lru.NewWeighted[plumbing.Hash, []byte](fileCacheLen, fileCacheBytes, func(b []byte) int64 { return int64(len(b)) })}, nil
}

func findGitDir(path string) (gitDir, commonDir string, err error) {
	dotgitPath := filepath.Join(path, ".git")
	fi, err := os.Stat(dotgitPath)
	switch {
	case err == nil && fi.IsDir():
		return dotgitPath, "", nil
	case err == nil:
		// A linked work tree: ".git" names the real git dir, whose
		// "commondir" names the shared object store.
		b, err := os.ReadFile(dotgitPath)
		if err != nil {
			return "", "", err
		}
		line := strings.TrimSpace(string(b))
		if !strings.HasPrefix(line, "gitdir:") {
			return "", "", fmt.Errorf("%s: not a gitdir file", dotgitPath)
		}
		gitDir = strings.TrimSpace(strings.TrimPrefix(line, "gitdir:"))
		if !filepath.IsAbs(gitDir) {
			gitDir = filepath.Join(path, gitDir)
		}
		if c, err := os.ReadFile(filepath.Join(gitDir, "commondir")); err == nil {
			commonDir = strings.TrimSpace(string(c))
			if !filepath.IsAbs(commonDir) {
				commonDir = filepath.Join(gitDir, commonDir)
			}
		}
		return gitDir, commonDir, nil
	}
	if _, err := os.Stat(filepath.Join(path, "objects")); err == nil {
		if _, err := os.Stat(filepath.Join(path, "HEAD")); err == nil {
			return path, "", nil
		}
	}
	return "", "", fmt.Errorf("%s: not a git repository", path)
}

// Label names the repository in messages: the path it was opened by.
func (r *Repo) Label() string { return r.Path }

// Close releases the kept pack file descriptors.
func (r *Repo) Close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.storage.Close()
}

// Commit reads one commit.
func (r *Repo) Commit(h plumbing.Hash) (*object.Commit, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	var c *object.Commit
	o, err := r.encodedObject(plumbing.CommitObject, h)
	if err == nil {
		c, err = object.DecodeCommit(r.storage, o)
	}
	if err != nil {
		return nil, fmt.Errorf("commit %s: %w", h, err)
	}
	return c, nil
}

// Tree reads one tree, from the decoded-tree cache when it can. The
// returned tree is shared: callers must not modify it.
func (r *Repo) Tree(h plumbing.Hash) (*object.Tree, error) {
	if t, ok := r.trees.Get(h); ok {
		return t, nil
	}
	r.mu.Lock()
	var t *object.Tree
	o, err := r.encodedObject(plumbing.TreeObject, h)
	if err == nil {
		t, err = object.DecodeTree(r.storage, o)
	}
	r.mu.Unlock()
	r.treeReads.Add(1)
	if err != nil {
		return nil, fmt.Errorf("tree %s: %w", h, err)
	}
	r.trees.Add(h, t)
	return t, nil
}

// BlobSize is a blob's size without reading its content into memory.
func (r *Repo) BlobSize(h plumbing.Hash) (int64, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	o, err := r.encodedObject(plumbing.BlobObject, h)
	if err != nil {
		return 0, fmt.Errorf("blob %s: %w", h, err)
	}
	return o.Size(), nil
}

// Blob reads a blob's content; a blob larger than limit bytes (limit > 0)
// is not read and ErrTooLarge is returned with its size.
func (r *Repo) Blob(h plumbing.Hash, limit int64) ([]byte, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	o, err := r.encodedObject(plumbing.BlobObject, h)
	if err != nil {
		return nil, fmt.Errorf("blob %s: %w", h, err)
	}
	if limit > 0 && o.Size() > limit {
		return nil, tooLarge(h, o.Size(), limit)
	}
	rd, err := o.Reader()
	if err != nil {
		return nil, fmt.Errorf("blob %s: %w", h, err)
	}
	defer rd.Close()
	var buf bytes.Buffer
	buf.Grow(int(o.Size()))
	if _, err := io.Copy(&buf, rd); err != nil {
		return nil, fmt.Errorf("blob %s: %w", h, err)
	}
	return buf.Bytes(), nil
}

// tooLarge is the error of a blob of size bytes read with a smaller limit.
func tooLarge(h plumbing.Hash, size, limit int64) error {
	return fmt.Errorf("blob %s is %d bytes, limit %d: %w", h, size, limit, ErrTooLarge)
}

// SharedBlob is Blob for readers that never modify the content: the bytes
// may be shared with other callers, and recently read blobs come from a
// cache bounded by their size. TreeFS reads files through it.
func (r *Repo) SharedBlob(h plumbing.Hash, limit int64) ([]byte, error) {
	if b, ok := r.files.Get(h); ok {
		if limit > 0 && int64(len(b)) > limit {
			return nil, tooLarge(h, int64(len(b)), limit)
		}
		return b, nil
	}
	b, err := r.Blob(h, limit)
	if err != nil {
		return nil, err
	}
	r.files.Add(h, b)
	return b, nil
}

// Shallow lists the commits whose parents were cut off by a shallow clone.
func (r *Repo) Shallow() (map[plumbing.Hash]bool, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	hs, err := r.storage.Shallow()
	if err != nil {
		return nil, err
	}
	m := make(map[plumbing.Hash]bool, len(hs))
	for _, h := range hs {
		m[h] = true
	}
	return m, nil
}
