// This file implements rename detection: which files a commit deleted and
// added are one file renamed, by git's similarity rules, so that the
// analysis compares a renamed file's entities with their old selves.

package kernel

import (
	"cmp"
	"errors"
	"path"
	"slices"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
)

// RenameScore is the similarity, in percent, from which a deleted file and
// an added one are a rename: git's default (`git diff -M`, 50%).
const RenameScore = 50

// RenamePairLimit is the most deleted × added pairs whose contents are
// compared for one commit. Beyond it only files that kept their bytes are
// paired: a vendor tree replaced by another would compare millions of
// pairs (git stops at diff.renameLimit for the same reason).
const RenamePairLimit = 10000

// renameBlobLimit is the largest file compared: a generated table is no
// source anyone renames and edits, and a hundred such files on each side
// of a commit would hold their contents and chunk counts at once.
const renameBlobLimit = 1 << 20

// A Rename is a file a commit deleted and a file it added that git would
// show as the one file renamed.
type Rename struct {
	From, To string
	// Score is the similarity of the two contents in percent (100: the
	// same bytes).
	Score int
}

// Renames pairs the files deltas delete with those they add, among the
// paths candidate accepts, as git does: first files that kept their bytes,
// then by the similarity of their contents (Similarity) from RenameScore
// up, best pair first, each file in one pair at most. A blob that cannot
// be read is left unpaired; the error, naming it, is returned with the
// pairs found.
func (r *Repo) Renames(deltas []Delta, candidate func(path string) bool) ([]Rename, error) {
	var deleted, added []Delta
	for _, d := range deltas {
		if !candidate(d.Path) {
			continue
		}
		switch {
		case d.To.IsZero() && !d.From.IsZero() && IsFileMode(d.FromMode):
			deleted = append(deleted, d)
		case d.From.IsZero() && !d.To.IsZero() && IsFileMode(d.ToMode):
			added = append(added, d)
		}
	}
	if len(deleted) == 0 || len(added) == 0 {
		return nil, nil
	}
	var out []Rename
	from, to := map[string]bool{}, map[string]bool{}
	pair := func(rn Rename) {
		out = append(out, rn)
		from[rn.From], to[rn.To] = true, true
	}
	// The same bytes: the added file of the same name first, as git
	// prefers. Looked up by blob, so that a vendor tree moved whole
	// (thousands of files each side) costs one pass.
	addedBlobs := map[plumbing.Hash][]int{}
	for i, a := range added {
		addedBlobs[a.To] = append(addedBlobs[a.To], i)
	}
	for _, d := range deleted {
		best := -1
		for _, i := range addedBlobs[d.From] {
			if a := added[i]; !to[a.Path] && (best < 0 || path.Base(a.Path) == path.Base(d.Path) && path.Base(added[best].Path) != path.Base(d.Path)) {
				best = i
			}
		}
		if best >= 0 {
			pair(Rename{From: d.Path, To: added[best].Path, Score: 100})
		}
	}
	deleted = slices.DeleteFunc(deleted, func(d Delta) bool { return from[d.Path] })
	added = slices.DeleteFunc(added, func(d Delta) bool { return to[d.Path] })
	if len(deleted) == 0 || len(added) == 0 || len(deleted)*len(added) > RenamePairLimit {
		return out, nil
	}
	var errs []error
	read := func(d []Delta, hash func(Delta) plumbing.Hash) []*similarityIndex {
		out := make([]*similarityIndex, len(d))
		for i, x := range d {
			b, err := r.SharedBlob(hash(x), renameBlobLimit)
			switch {
			case errors.Is(err, ErrTooLarge):
			case err != nil:
				errs = append(errs, err)
			default:
				out[i] = newSimilarityIndex(b)
			}
		}
		return out
	}
	olds := read(deleted, func(d Delta) plumbing.Hash { return d.From })
	news := read(added, func(d Delta) plumbing.Hash { return d.To })
	type scored struct {
		from, to, score int
		sameName        bool
	}
	var pairs []scored
	for i, o := range olds {
		for j, n := range news {
			if o == nil || n == nil || !o.couldReach(n, RenameScore) {
				continue
			}
			if s := o.similarity(n); s >= RenameScore {
				pairs = append(pairs, scored{i, j, s, path.Base(deleted[i].Path) == path.Base(added[j].Path)})
			}
		}
	}
	slices.SortStableFunc(pairs, func(a, b scored) int {
		if c := cmp.Compare(b.score, a.score); c != 0 {
			return c
		}
		if a.sameName != b.sameName {
			if a.sameName {
				return -1
			}
			return 1
		}
		return 0
	})
	for _, p := range pairs {
		if d, a := deleted[p.from], added[p.to]; !from[d.Path] && !to[a.Path] {
			pair(Rename{From: d.Path, To: a.Path, Score: p.score})
		}
	}
	return out, errors.Join(errs...)
}

// Similarity is git's similarity index of two contents, in percent: the
// bytes of the larger one that the other holds too, counted in chunks of a
// line (or of 64 bytes, within longer lines), as git's diffcore-delta
// counts them; a CR before a line feed is not counted. Empty contents are
// similar to nothing.
func Similarity(a, b []byte) int {
	return newSimilarityIndex(a).similarity(newSimilarityIndex(b))
}

// similarityIndex is a content's bytes counted by chunk.
type similarityIndex struct {
	size   int
	chunks map[string]int
}

func newSimilarityIndex(b []byte) *similarityIndex {
	s := &similarityIndex{size: len(b), chunks: map[string]int{}}
	chunk := make([]byte, 0, 64)
	for i, c := range b {
		if c == '\r' && i+1 < len(b) && b[i+1] == '\n' {
			continue
		}
		chunk = append(chunk, c)
		if len(chunk) == 64 || c == '\n' {
			s.chunks[string(chunk)] += len(chunk)
			chunk = chunk[:0]
		}
	}
	if len(chunk) > 0 {
		s.chunks[string(chunk)] += len(chunk)
	}
	return s
}

// similarity is Similarity of two indexes.
func (s *similarityIndex) similarity(t *similarityIndex) int {
	larger := max(s.size, t.size)
	if min(s.size, t.size) == 0 {
		return 0
	}
	common := 0
	for chunk, n := range s.chunks {
		common += min(n, t.chunks[chunk])
	}
	return common * 100 / larger
}

// couldReach reports whether two contents' sizes allow a similarity of
// score: the smaller holds at most its own size of the larger (git's early
// out, which spares counting pairs of very different sizes).
func (s *similarityIndex) couldReach(t *similarityIndex, score int) bool {
	larger, smaller := max(s.size, t.size), min(s.size, t.size)
	return smaller > 0 && smaller*100 >= larger*score
}

// IsFileMode reports whether a tree entry's mode is a file's (not a
// symbolic link's or a submodule's).
func IsFileMode(m filemode.FileMode) bool {
	return m == filemode.Regular || m == filemode.Executable || m == filemode.Deprecated
}
