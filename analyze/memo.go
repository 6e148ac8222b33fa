package analyze

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"golang.org/x/sync/errgroup"

	"github.com/upsynth/upsynth/analyze/classify"
	"github.com/upsynth/upsynth/analyze/index"
	"github.com/upsynth/upsynth/analyze/store"
	"github.com/upsynth/upsynth/cparse"
	"github.com/upsynth/upsynth/internal/lru"
	"github.com/upsynth/upsynth/kernel"
)

// ParseFunc summarizes one file; cparse.Parse unless a caller substitutes
// one (e.g. to count calls).
type ParseFunc func(ctx context.Context, path string, src []byte, cfg cparse.Config) *cparse.Summary

// summary is one blob's memoized summary, possibly still being computed.
type summary struct {
	done chan struct{}
	blob *store.Blob
	// stored is set once the blob is in the database (or queued for the
	// batch that writes it); only the consumer goroutine touches it.
	stored bool
	// transient results (a missing object) describe this repository, not
	// the blob: they are used but never memoized.
	transient bool
	// factsOnce computes the index facts at most once per blob.
	factsOnce sync.Once
	facts     *index.FileFacts
}

// decoded is the blob's summary, decoded again if it was released (see
// release); an error says why it could not be.
func (s *summary) decoded() (*cparse.Summary, error) {
	return s.blob.Decoded()
}

// release drops the decoded summary once a commit that needed it is
// classified, when the commit changed so many files that keeping them all
// until they are written is what bounds the analysis's memory. It stays
// encoded, and is decoded again if a later commit needs it. Called only
// from the goroutine that classifies.
func (s *summary) release() {
	if !s.transient {
		s.blob.Release()
	}
}

func (s *summary) version() *classify.Version {
	sum, err := s.decoded()
	v := &classify.Version{Blob: s.blob.Blob, Summary: sum}
	switch {
	case s.blob.Status == "unreadable":
		v.Unreadable, v.Summary = s.blob.Reason, nil
	case err != nil:
		v.Unreadable = err.Error()
	case sum != nil && len(sum.Errors) > 0 && sum.EntityCount() == 0:
		v.Unreadable, v.Summary = "parse failed: "+s.blob.Reason, nil
	}
	return v
}

func (s *summary) factsFor(path string) *index.FileFacts {
	s.factsOnce.Do(func() {
		sum, err := s.decoded()
		if s.blob.Status == "unreadable" || err != nil {
			sum = nil
		}
		s.facts = index.FactsOf(path, sum)
	})
	return s.facts
}

// summaryCacheBytes bounds the memory the summaries kept in the memo's
// cache take. A count alone did not: summaries of vendor register headers
// (12,000 macros each) are a thousand times those of a kernel's files, and
// 2,048 of FreeRTOS's kept the analysis near its memory limit, the garbage
// collector taking a quarter of the run.
const summaryCacheBytes = 96 << 20

// weight estimates the memory s's summary takes: entities at a typical
// size each (names, signatures, hashes, spans), a type's members and
// enumerators likewise. An estimate is enough to keep one huge summary
// from displacing thousands of small ones unnoticed.
func (s *summary) weight() int64 {
	const perEntity, perMember = 320, 160
	w := int64(1024)
	sum := s.blob.Summary
	if sum == nil {
		return w + int64(len(s.blob.Encoded)) // unreadable, or released
	}
	w += perEntity * int64(sum.EntityCount()+len(sum.Includes))
	for _, t := range sum.Types {
		w += perMember * int64(len(t.Members)+len(t.Enumerators)+len(t.Methods))
	}
	return w
}

// memo hands out summaries by blob hash: from memory, from the database,
// or by parsing on the worker pool.
type memo struct {
	ctx     context.Context
	repo    *kernel.Repo
	st      *store.Store
	parse   ParseFunc
	pcfg    cparse.Config
	fp      string
	maxFile int64
	workers *errgroup.Group

	mu sync.Mutex
	// known are the blobs memoized in the database: a cold run never
	// queries for a summary that cannot be there.
	known    map[string]bool
	inflight map[plumbing.Hash]*summary // not yet in the database
	cache    *lru.Cache[plumbing.Hash, *summary]

	parsed, reused atomic.Int64

	// planning records the blobs to summarize (tasks) instead of parsing
	// them: a distributed run's planner (distributed.go).
	planning bool
	tasks    []BlobTask
	// probe asks the database for every blob (known is not loaded): a
	// distributed job needs a few of a large database's blobs.
	probe bool
}

func (m *memo) key(h plumbing.Hash) store.BlobKey {
	return store.BlobKey{Blob: h.String(), Schema: cparse.SchemaVersion, Fingerprint: m.fp}
}

func done(b *store.Blob) *summary {
	s := &summary{done: make(chan struct{}), blob: b, stored: true}
	close(s.done)
	return s
}

// get returns the summary of blob h, seen at path in the tree root.
// Called only from the producer goroutine.
func (m *memo) get(h plumbing.Hash, path string, root plumbing.Hash) (*summary, error) {
	m.mu.Lock()
	if s, ok := m.inflight[h]; ok {
		m.mu.Unlock()
		return s, nil
	}
	m.mu.Unlock()
	if s, ok := m.cache.Get(h); ok {
		return s, nil
	}
	var b *store.Blob
	m.mu.Lock()
	known := m.known[h.String()] || m.probe
	m.mu.Unlock()
	if known && m.planning {
		s := done(&store.Blob{BlobKey: m.key(h), Path: displayPath(path)})
		m.cache.Add(h, s)
		return s, nil
	}
	if known {
		var err error
		if b, err = m.st.LoadBlob(m.ctx, m.key(h)); err != nil {
			return nil, err
		}
	}
	if b != nil {
		m.reused.Add(1)
		s := done(b)
		m.cache.Add(h, s)
		return s, nil
	}
	s := &summary{done: make(chan struct{})}
	m.mu.Lock()
	m.inflight[h] = s
	m.mu.Unlock()
	if m.planning {
		s.blob = &store.Blob{BlobKey: m.key(h), Path: displayPath(path)}
		close(s.done)
		m.tasks = append(m.tasks, BlobTask{Blob: h.String(), Path: []byte(path), Root: root.String()})
		return s, nil
	}
	m.workers.Go(func() error {
		defer close(s.done)
		s.blob, s.transient = m.summarize(h, path, root)
		if s.blob.Summary != nil && !s.transient {
			// Encoding for the database here keeps it off the writer's path.
			s.blob.Encoded, _ = store.EncodeSummary(s.blob.Summary)
		}
		m.parsed.Add(1)
		return nil
	})
	return s, nil
}

// wait blocks until s is computed or the run is cancelled.
func (m *memo) wait(s *summary) error {
	select {
	case <-s.done:
		return nil
	case <-m.ctx.Done():
		return m.ctx.Err()
	}
}

// storedAll moves summaries written to the database out of the in-flight
// table; they stay reachable through the cache.
func (m *memo) storedAll(ss []*summary) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, s := range ss {
		h := plumbing.NewHash(s.blob.Blob)
		delete(m.inflight, h)
		m.known[s.blob.Blob] = true
		m.cache.Add(h, s)
	}
}

// looksBinary reports whether content is not text: a NUL byte early on.
func looksBinary(b []byte) bool {
	if len(b) > 8000 {
		b = b[:8000]
	}
	return bytes.IndexByte(b, 0) >= 0
}

// summarize reads and parses one blob; every failure becomes an
// unreadable record with a reason, never an error of the run.
func (m *memo) summarize(h plumbing.Hash, path string, root plumbing.Hash) (b *store.Blob, transient bool) {
	b = &store.Blob{BlobKey: m.key(h), Path: displayPath(path), Status: "ok"}
	unreadable := func(format string, args ...any) *store.Blob {
		b.Status, b.Reason, b.Summary = "unreadable", fmt.Sprintf(format, args...), nil
		return b
	}
	src, err := m.repo.Blob(h, m.maxFile)
	switch {
	case errors.Is(err, kernel.ErrTooLarge):
		size, _ := m.repo.BlobSize(h)
		b.Size = size
		return unreadable("too large: %d bytes (limit %d)", size, m.maxFile), false
	case err != nil:
		return unreadable("missing or corrupt object: %v", err), true
	}
	b.Size = int64(len(src))
	if looksBinary(src) {
		return unreadable("binary content (NUL bytes)"), false
	}
	cfg := m.pcfg
	fsys := kernel.NewTreeFS(m.repo, root)
	fsys.MaxFile = m.maxFile
	cfg.FS = kernel.WithABI(fsys)
	var note string
	if lang, _ := cparse.LangOf(path); cfg.Engine == cparse.EngineAuto && lang == cparse.LangC {
		if h := missingInclude(cfg.FS, path, src, cfg.IncludePaths); h != "" {
			cfg.Engine = cparse.EngineChoiceTolerant
			note = classify.PreciseNotTried + h + " is not in the tree (add include paths to upsynth.yaml)"
		}
	}
	start := time.Now()
	defer func() {
		if b.ParseMS == 0 {
			b.ParseMS = float64(time.Since(start).Microseconds()) / 1000
		}
		if r := recover(); r != nil {
			unreadable("parser crashed: %v", r)
		}
	}()
	sum := m.parse(m.ctx, path, src, cfg)
	if sum == nil {
		return unreadable("parser returned nothing"), false
	}
	// CPU time, where the parser measured it: wall time on a loaded
	// machine counts the wait for a core.
	if sum.CPU > 0 {
		b.ParseMS = float64(sum.CPU.Microseconds()) / 1000
	}
	if note != "" {
		sum.Errors = append(sum.Errors, cparse.Error{Msg: note})
	}
	b.Summary = sum
	if len(sum.Errors) > 0 {
		e := sum.Errors[0]
		b.Status, b.Reason = "errors", strings.TrimSpace(fmt.Sprintf("%s:%d:%d: %s", displayPath(path), e.Line, e.Col, e.Msg))
	}
	return b, false
}
