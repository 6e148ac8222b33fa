package analyze

// This file implements the memo's shortcut for respelled versions: a blob
// whose only difference from the version it replaces is in comments gets
// that version's summary, moved to its lines (cparse.Respelled), instead
// of a parse.

import (
	"runtime"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/upsynth/upsynth/analyze/classify"
	"github.com/upsynth/upsynth/analyze/deps"
	"github.com/upsynth/upsynth/analyze/store"
	"github.com/upsynth/upsynth/cparse"
	"github.com/upsynth/upsynth/kernel"
	"github.com/upsynth/upsynth/runtime/cputime"
)

// respell derives blob h's summary at path in the tree root from previous,
// the summary of the version it replaces, when a parse would give the
// same: the texts differ only in comments, and what the parse would find
// outside the file holds too. That is:
//
//   - previous's lookups hold in root (the headers a precise parse read,
//     those whose macros named a tolerant one's types);
//   - the engine would be chosen alike: the header whose absence kept the
//     precise engine from being tried (if one did) is the one missing
//     now, and the precise engine's header budget, which grows with the
//     file, has not shrunk;
//   - previous was summarized at path, if it read headers or the other
//     path names another language or kind of file (a blob's summary from
//     another path read that path's neighbours, in its language);
//   - previous was not cut short by a limit, and no precise attempt
//     failed before it (that attempt's error names positions, and what
//     it read is not recorded).
//
// ok is false when any of that does not hold, or the texts differ in code:
// then h is parsed, from src when respell read it.
func (m *memo) respell(previous *summary, h plumbing.Hash, path string, root plumbing.Hash) (b *store.Blob, st *deps.State, src []byte, ok bool) {
	if previous == nil || m.planning {
		return nil, nil, src, false
	}
	if err := m.wait(previous); err != nil {
		return nil, nil, src, false
	}
	if previous.transient || previous.blob.Status == "unreadable" || previous.blob.Deps == store.DepsUnknown {
		return nil, nil, src, false
	}
	old, err := previous.peek()
	if err != nil || old == nil || old.Engine == cparse.EngineAsm {
		return nil, nil, src, false
	}
	if old.Path != path && (len(old.DependsOn) > 0 || !sameKind(old.Path, path)) {
		// Summarized at another path (the same blob elsewhere), its
		// headers are that path's neighbours, not this one's, and its
		// language that path's.
		return nil, nil, src, false
	}
	notTried := ""
	for _, e := range old.Errors {
		switch {
		case e.Limit != nil, strings.HasPrefix(e.Msg, cparse.PreciseFailedPrefix):
			return nil, nil, src, false
		case strings.HasPrefix(e.Msg, classify.PreciseNotTried):
			notTried = e.Msg
		}
	}
	if !m.holds(previous, root) {
		return nil, nil, src, false
	}
	src, err = m.repo.Blob(h, m.maxFile)
	if err != nil || looksBinary(src) {
		return nil, nil, src, false
	}
	// The derivation's cost, as a parse's is counted: CPU time on this
	// thread (wall time on a loaded machine counts the wait for a core),
	// reading the old version included, the new one not.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	start, cpuStart := time.Now(), cpuNow()
	oldSrc, err := m.repo.Blob(plumbing.NewHash(previous.blob.Blob), m.maxFile)
	if err != nil {
		return nil, nil, src, false
	}
	if old.Engine == cparse.EnginePrecise && cparse.IncludeBudget(len(src)) < cparse.IncludeBudget(len(oldSrc)) {
		return nil, nil, src, false
	}
	sum, ok := cparse.Respelled(old, path, oldSrc, src)
	if !ok {
		return nil, nil, src, false
	}
	if m.notTried(path, src, root) != notTried {
		return nil, nil, src, false
	}
	key := m.key(h)
	key.Deps = previous.blob.Deps
	b = &store.Blob{BlobKey: key, Path: displayPath(path), Status: "ok", Size: int64(len(src)), Summary: sum, DepState: previous.blob.DepState}
	if len(sum.Errors) > 0 {
		b.Status, b.Reason = "errors", errorReason(path, sum.Errors[0])
	}
	b.ParseMS = float64(time.Since(start).Microseconds()) / 1000
	if cpuStart >= 0 {
		b.ParseMS = float64((cpuNow() - cpuStart).Microseconds()) / 1000
	}
	if m.checkRespelled != nil {
		parsed, _, _ := m.summarize(h, path, root, nil)
		m.checkRespelled(path, b, parsed)
	}
	return b, previous.depState(), src, true
}

// sameKind reports whether two paths name files of one language and kind
// (header or not).
func sameKind(a, b string) bool {
	langA, headerA := cparse.LangOf(a)
	langB, headerB := cparse.LangOf(b)
	return langA == langB && headerA == headerB
}

// cpuNow is this thread's CPU time, -1 where the platform cannot tell.
func cpuNow() time.Duration {
	if d, ok := cputime.Thread(); ok {
		return d
	}
	return -1
}

// notTried is the error summarize records when a header src includes is
// missing from root, so that the precise engine is not tried ("" when it
// would be, or is not the engine's to try).
func (m *memo) notTried(path string, src []byte, root plumbing.Hash) string {
	if lang, _ := cparse.LangOf(path); m.pcfg.Engine != cparse.EngineAuto || lang != cparse.LangC {
		return ""
	}
	fsys := kernel.NewTreeFS(m.repo, root)
	fsys.MaxFile = m.maxFile
	if h := missingInclude(kernel.WithABI(fsys), path, src, m.pcfg.IncludePaths); h != "" {
		return notTriedNote(h)
	}
	return ""
}
