package analyze

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"golang.org/x/sync/errgroup"

	"github.com/upsynth/upsynth/analyze/classify"
	"github.com/upsynth/upsynth/analyze/deps"
	"github.com/upsynth/upsynth/analyze/index"
	"github.com/upsynth/upsynth/analyze/store"
	"github.com/upsynth/upsynth/cparse"
	"github.com/upsynth/upsynth/internal/lru"
	"github.com/upsynth/upsynth/kernel"
)

// ParseFunc summarizes one file; cparse.Parse unless a caller substitutes
// one (e.g. to count calls).
type ParseFunc func(ctx context.Context, path string, src []byte, cfg cparse.Config) *cparse.Summary

// summary is one blob's memoized summary, possibly still being computed:
// one of the blob's versions, each valid in the trees that answer its
// parse's lookups (deps) as the tree it was parsed in did.
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

	// root is the tree the blob was parsed in (zero: loaded from the
	// database); okRoot the last other tree it was found valid in (the
	// producer's alone).
	root, okRoot plumbing.Hash
	// state is what the parse found at the paths it looked up: set by
	// the parse, or decoded from the database on first use; nil when
	// that is unknown (a precise row from before schema version 5).
	stateOnce sync.Once
	state     *deps.State
}

// depState is the summary's dependency state, nil when unknown.
func (s *summary) depState() *deps.State {
	s.stateOnce.Do(func() {
		if s.state != nil {
			return // the parse's own
		}
		if s.blob.Deps == store.DepsUnknown {
			// Written before lookups were recorded: a tolerant summary
			// read no header, a precise one did and cannot tell which.
			if s.blob.Engine() != cparse.EnginePrecise {
				s.state = &deps.State{}
			}
			return
		}
		if st, err := deps.Decode(s.blob.DepState); err == nil {
			s.state = st
		}
	})
	return s.state
}

// decoded is the blob's summary, decoded again if it was released (see
// release); an error says why it could not be.
func (s *summary) decoded() (*cparse.Summary, error) {
	return s.blob.Decoded()
}

// peek is the blob's summary, decoded for the caller alone if it was
// released (it stays released): for a goroutine other than the one that
// classifies (store.Blob.Peek).
func (s *summary) peek() (*cparse.Summary, error) {
	return s.blob.Peek()
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
		return w + int64(len(s.blob.Encoded)+len(s.blob.DepState)) // unreadable, or released
	}
	w += perEntity*int64(sum.EntityCount()+len(sum.Includes)) + int64(len(s.blob.DepState))
	for _, t := range sum.Types {
		w += perMember * int64(len(t.Members)+len(t.Enumerators)+len(t.Methods))
	}
	return w
}

// memo hands out summaries by blob hash: from memory, from the database,
// or by parsing on the worker pool. A blob has a version per state of the
// tree its parses found (what each path they looked up held: the headers
// a precise parse read, the include paths it tried first): a version is
// handed out for a tree only where that state holds, and a blob met in a
// tree where none does is parsed again there, so each side of a commit is
// summarized as its own tree gives it.
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
	inflight map[plumbing.Hash][]*summary // versions not yet in the database
	cache    *lru.Cache[plumbing.Hash, *summary]

	parsed, reused atomic.Int64
	// respelled counts the blobs summarized from their previous version
	// (respell.go), not parsed.
	respelled atomic.Int64
	// checkRespelled, when set (by tests), is given each summary derived
	// from a previous version with the one a parse gives, to compare.
	checkRespelled func(path string, derived, parsed *store.Blob)
	// reparsed counts the parses of blobs memoized already, none of whose
	// versions held in the tree at hand.
	reparsed atomic.Int64

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

// holds reports whether s's parse would find in the tree root what it
// found in its own: then s is the blob's summary there too.
func (m *memo) holds(s *summary, root plumbing.Hash) bool {
	st := s.depState()
	return st != nil && st.Holds(m.repo, root)
}

// valid is holds for the producer, which remembers the last tree each
// summary was found valid in: a blob met again in the same tree (its old
// side, one commit on) costs nothing.
func (m *memo) valid(s *summary, root plumbing.Hash) bool {
	if s.root == root || s.okRoot == root {
		return true
	}
	if !m.holds(s, root) {
		return false
	}
	s.okRoot = root
	return true
}

// need says which of a blob's versions a caller can use.
type need uint8

const (
	// inTree: the summary the blob has in the tree at hand, as a commit's
	// two sides are compared.
	inTree need = iota
	// anyVersion: any summary of the blob, for the index of cross-module
	// facts (calls, type uses: names, which the headers a parse read do
	// not change). The one-process index moves commit by commit and keeps
	// the facts of files no commit touches from the tree they were parsed
	// in; an index started from a whole tree (a run's or a distributed
	// segment's first commit) takes what is memoized alike rather than
	// parse every file whose headers changed since.
	anyVersion
)

// get returns the summary of blob h, seen at path in the tree root.
// previous, when set, is the summary of the version h replaces at path,
// which h's may be derived from (respell.go). Called only from the
// producer goroutine.
func (m *memo) get(h plumbing.Hash, path string, root plumbing.Hash, n need, previous *summary) (*summary, error) {
	m.mu.Lock()
	versions := slices.Clone(m.inflight[h])
	m.mu.Unlock()
	// Versions still being parsed are checked once they are done, by the
	// worker that otherwise parses the blob again (below): waiting here
	// would stall the producer.
	var pending []*summary
	for i := len(versions) - 1; i >= 0; i-- {
		s := versions[i]
		if m.planning || n == anyVersion || s.root == root {
			return s, nil
		}
		select {
		case <-s.done:
			if m.valid(s, root) {
				return s, nil
			}
		default:
			pending = append(pending, s)
		}
	}
	memoized := len(versions) > 0
	if s, ok := m.cache.Get(h); ok {
		if n == anyVersion || m.valid(s, root) {
			return s, nil
		}
		memoized = true
	}
	m.mu.Lock()
	known := m.known[h.String()] || m.probe
	m.mu.Unlock()
	if known {
		stored, err := m.st.BlobVersions(m.ctx, h.String(), cparse.SchemaVersion, m.fp)
		if err != nil {
			return nil, err
		}
		for _, b := range stored {
			s := done(b)
			if n != anyVersion && !m.valid(s, root) {
				continue
			}
			if !m.planning {
				// Decoded now: a stored summary that does not decode
				// fails the run, naming the blob.
				if _, err := b.Decoded(); err != nil {
					return nil, err
				}
				m.reused.Add(1)
			}
			m.cache.Add(h, s)
			return s, nil
		}
		memoized = memoized || len(stored) > 0
	}
	s := &summary{done: make(chan struct{}), root: root}
	m.mu.Lock()
	m.inflight[h] = append(m.inflight[h], s)
	m.mu.Unlock()
	if m.planning {
		s.blob = &store.Blob{BlobKey: m.key(h), Path: displayPath(path)}
		close(s.done)
		m.tasks = append(m.tasks, BlobTask{Blob: h.String(), Path: []byte(path), Root: root.String()})
		return s, nil
	}
	m.workers.Go(func() error {
		defer close(s.done)
		for _, p := range pending {
			if err := m.wait(p); err != nil {
				// The run is over; whoever still waits for s finds why.
				s.blob, s.transient = &store.Blob{BlobKey: m.key(h), Path: displayPath(path), Status: "unreadable", Reason: err.Error()}, true
				return err
			}
			if m.holds(p, root) {
				// The version parsed meanwhile holds here: this is it.
				s.blob, s.transient, s.state, s.stored = p.blob, p.transient, p.state, true
				m.forget(h, s)
				return nil
			}
		}
		var st *deps.State
		if b, bst, src, ok := m.respell(previous, h, path, root); ok {
			s.blob, st = b, bst
			m.respelled.Add(1)
		} else {
			s.blob, st, s.transient = m.summarize(h, path, root, src)
			if memoized {
				m.reparsed.Add(1)
			}
			m.parsed.Add(1)
		}
		s.state = st
		if s.blob.Summary != nil && !s.transient {
			// Encoding for the database here keeps it off the writer's path.
			s.blob.Encoded, _ = store.EncodeSummary(s.blob.Summary)
		}
		return nil
	})
	return s, nil
}

// forget drops version s of blob h from the in-flight table.
func (m *memo) forget(h plumbing.Hash, s *summary) {
	m.mu.Lock()
	defer m.mu.Unlock()
	vs := slices.DeleteFunc(m.inflight[h], func(v *summary) bool { return v == s })
	if len(vs) == 0 {
		delete(m.inflight, h)
	} else {
		m.inflight[h] = vs
	}
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
// table; they stay reachable through the cache (the last one written of
// a blob's versions) and the database.
func (m *memo) storedAll(ss []*summary) {
	for _, s := range ss {
		h := plumbing.NewHash(s.blob.Blob)
		m.forget(h, s)
		m.mu.Lock()
		m.known[s.blob.Blob] = true
		m.mu.Unlock()
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

// keying are the lookups that key a summary: all of them for a precise
// one, whose sizes, offsets and types come from the headers it read and
// the include paths it tried; for a tolerant one (no summary: none) the
// headers it names in DependsOn, whose macro definitions named a type it
// declares. A failed precise attempt before it, and the test that found a
// header missing so that none was tried, also looked up paths: a change
// there could let a precise parse succeed, but the tolerant summary
// stays keyed by its blob, as it was before lookups were recorded: on
// seL4, whose C files all go the tolerant way, keying by them parsed
// 1,401 blobs again (11% more parses, 17% more CPU), and all but 9 of
// those summaries came out as they were (the 9: precise in the other
// tree).
func keying(sum *cparse.Summary, looked map[string]deps.Kind) map[string]deps.Kind {
	if sum != nil && sum.Engine == cparse.EnginePrecise {
		return looked
	}
	var out map[string]deps.Kind
	if sum != nil {
		for _, p := range sum.DependsOn {
			if k, ok := looked[p]; ok {
				if out == nil {
					out = map[string]deps.Kind{}
				}
				out[p] = k
			}
		}
	}
	return out
}

// summarize reads (unless src holds it) and parses one blob in the tree
// root, and records what the parse looked up there (st, which keys the
// record b); every failure becomes an unreadable record with a reason,
// never an error of the run.
func (m *memo) summarize(h plumbing.Hash, path string, root plumbing.Hash, src []byte) (b *store.Blob, st *deps.State, transient bool) {
	b = &store.Blob{BlobKey: m.key(h), Path: displayPath(path), Status: "ok"}
	st = &deps.State{}
	unreadable := func(format string, args ...any) *store.Blob {
		b.Status, b.Reason, b.Summary = "unreadable", fmt.Sprintf(format, args...), nil
		return b
	}
	var err error
	if src == nil {
		src, err = m.repo.Blob(h, m.maxFile)
	}
	switch {
	case errors.Is(err, kernel.ErrTooLarge):
		size, _ := m.repo.BlobSize(h)
		b.Size = size
		return unreadable("too large: %d bytes (limit %d)", size, m.maxFile), st, false
	case err != nil:
		return unreadable("missing or corrupt object: %v", err), st, true
	}
	b.Size = int64(len(src))
	if looksBinary(src) {
		return unreadable("binary content (NUL bytes)"), st, false
	}
	cfg := m.pcfg
	fsys := kernel.NewTreeFS(m.repo, root)
	fsys.MaxFile = m.maxFile
	// Every lookup the parse makes in the tree goes through rec; the
	// target's headers, laid over it, are the same in every tree.
	rec := deps.NewRecorder(fsys)
	cfg.FS = kernel.WithABI(rec)
	var note string
	if lang, _ := cparse.LangOf(path); cfg.Engine == cparse.EngineAuto && lang == cparse.LangC {
		if h := missingInclude(cfg.FS, path, src, cfg.IncludePaths); h != "" {
			cfg.Engine = cparse.EngineChoiceTolerant
			note = notTriedNote(h)
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
		var err error
		if st, err = deps.Capture(m.repo, root, keying(b.Summary, rec.Looked())); err != nil {
			// Not knowing what the parse found, the record cannot say
			// where it holds: it is used here, never memoized.
			st, transient = &deps.State{}, true
			b.Reason = strings.TrimSpace(b.Reason + " (not memoized: its tree cannot be read: " + err.Error() + ")")
		}
		b.Deps = st.Key()
		b.DepState = st.Encode()
	}()
	sum := m.parse(m.ctx, path, src, cfg)
	if sum == nil {
		return unreadable("parser returned nothing"), st, false
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
		b.Status, b.Reason = "errors", errorReason(path, e)
	}
	return b, st, false
}

// notTriedNote is the error recorded when header h, missing from the tree,
// kept the precise engine from being tried.
func notTriedNote(h string) string {
	return classify.PreciseNotTried + h + " is not in the tree (add include paths to upsynth.yaml)"
}

// errorReason is a blob's reason when its summary has errors: the first.
func errorReason(path string, e cparse.Error) string {
	return strings.TrimSpace(fmt.Sprintf("%s:%d:%d: %s", displayPath(path), e.Line, e.Col, e.Msg))
}
