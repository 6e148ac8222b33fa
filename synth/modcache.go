package synth

import (
	"crypto/sha256"
	"errors"
	"io/fs"
	"strings"
	"sync"
)

// ModuleCache keeps inspected modules across plans, so that a caller
// planning many updates of one history (upsynth replay) compiles each
// module once per content: an entry holds the module and every file its
// translation looked up — the source, each header it read, with its
// content hash, and each name it searched for and did not find — and
// serves a later plan whose tree gives the same answer for each. A
// module's unchanged revisions are then reused, not translated again.
// It is safe for concurrent use; the zero value is not: use NewModuleCache.
type ModuleCache struct {
	mu      sync.Mutex
	entries map[string][]*cacheEntry // by module path
	hits    int
	misses  int
}

type cacheEntry struct {
	opts  string
	files map[string][32]byte // found: content hash
	none  []string            // looked for, absent
	m     *Module
}

// NewModuleCache returns an empty cache.
func NewModuleCache() *ModuleCache { return &ModuleCache{entries: map[string][]*cacheEntry{}} }

// Stats returns how many inspections the cache served and how many it
// translated.
func (c *ModuleCache) Stats() (hits, misses int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.hits, c.misses
}

// optsKey identifies build options.
func optsKey(o BuildOptions) string {
	return strings.Join(o.IncludePaths, "\x00") + "\x01" + strings.Join(o.Defines, "\x00")
}

// inspect returns the module file of tree, from the cache when every file
// its cached translation looked up is the same in tree.
func (c *ModuleCache) inspect(tree fs.FS, file string, opts BuildOptions) (*Module, error) {
	if c == nil {
		return InspectModule(tree, file, opts)
	}
	key := optsKey(opts)
	c.mu.Lock()
	cands := append([]*cacheEntry(nil), c.entries[file]...)
	c.mu.Unlock()
	for _, e := range cands {
		if e.opts == key && e.matches(tree) {
			c.mu.Lock()
			c.hits++
			c.mu.Unlock()
			return e.m, nil
		}
	}
	m, rec, err := inspectModule(tree, file, opts, true)
	if err != nil {
		return nil, err
	}
	e := &cacheEntry{opts: key, files: map[string][32]byte{}, m: m}
	// The module's own source is read before the translation, which
	// records only what the preprocessor opens.
	opened := map[string]bool{file: true}
	for name := range rec.opened {
		opened[name] = true
	}
	for name := range opened {
		b, err := fs.ReadFile(rec.fsys, name)
		if err != nil {
			return m, nil // not cached: it cannot be checked later
		}
		e.files[name] = sha256.Sum256(b)
	}
	for name := range rec.missing {
		if !opened[name] {
			e.none = append(e.none, name)
		}
	}
	c.mu.Lock()
	c.misses++
	c.entries[file] = append(c.entries[file], e)
	c.mu.Unlock()
	return m, nil
}

func (e *cacheEntry) matches(tree fs.FS) bool {
	t := compatFS{tree}
	for name, sum := range e.files {
		b, err := fs.ReadFile(t, name)
		if err != nil || sha256.Sum256(b) != sum {
			return false
		}
	}
	for _, name := range e.none {
		f, err := t.Open(name)
		if err == nil {
			f.Close()
			return false
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return false
		}
	}
	return true
}
