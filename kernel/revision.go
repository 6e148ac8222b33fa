// This file resolves revisions with git's rules: REV (a ref, a SHA or its
// prefix, with ~ and ^ suffixes) and the ranges A..B.

package kernel

import (
	"fmt"
	"sort"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// MinAbbrev is the shortest SHA prefix taken as a commit name, as in git
// (core.abbrev's minimum): shorter hex strings are ref names only.
const MinAbbrev = 4

// AmbiguousError is a SHA prefix that names more than one commit. git
// refuses such a name and lists the candidates; so does upsynth.
type AmbiguousError struct {
	Prefix string
	// Candidates are the matching commits, "sha date subject", in SHA order.
	Candidates []string
}

func (e *AmbiguousError) Error() string {
	return fmt.Sprintf("short SHA %s is ambiguous; the candidates are:\n  %s", e.Prefix, strings.Join(e.Candidates, "\n  "))
}

// Candidate formats one commit as AmbiguousError lists it.
func Candidate(sha string, when string, subject string) string {
	return strings.TrimSpace(sha + " " + when + " " + subject)
}

// UnknownRevisionError is a name that is neither a ref nor the prefix of a
// commit.
type UnknownRevisionError struct {
	Rev string
	Err error
}

func (e *UnknownRevisionError) Error() string {
	return fmt.Sprintf("revision %s: %v", e.Rev, e.Err)
}
func (e *UnknownRevisionError) Unwrap() error { return e.Err }

// IsSHAPrefix says whether s can name a commit by its SHA: MinAbbrev to 40
// hex digits.
func IsSHAPrefix(s string) bool {
	return len(s) >= MinAbbrev && len(s) <= 40 && strings.Trim(strings.ToLower(s), "0123456789abcdef") == ""
}

// Resolve turns a revision into a commit hash with git's rules: a full SHA
// names its object; otherwise a ref (HEAD, a branch, a tag, a remote
// branch) is preferred over a SHA prefix; a prefix of MinAbbrev or more hex
// digits names the one commit (or tag of a commit) it starts; when several
// do, it is refused with an *AmbiguousError listing them. Suffixes ~N, ^N
// and the like apply to what the name resolved to.
func (r *Repo) Resolve(rev string) (plumbing.Hash, error) {
	if rev == "" {
		rev = "HEAD"
	}
	// The name is what precedes the first suffix operator.
	name := rev
	if i := strings.IndexAny(rev, "~^@:"); i >= 0 {
		name = rev[:i]
	}
	full, err := r.expandName(name)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	rev = full + rev[len(name):]
	r.mu.Lock()
	defer r.mu.Unlock()
	if h := plumbing.NewHash(rev); len(rev) == 40 && r.memObject(h, plumbing.CommitObject) != nil {
		return h, nil // a commit made in memory (CommitInMemory), by its full SHA
	}
	h, err := r.repo.ResolveRevision(plumbing.Revision(rev))
	if err != nil {
		return plumbing.ZeroHash, &UnknownRevisionError{Rev: rev, Err: err}
	}
	return *h, nil
}

// expandName turns the name at the head of a revision into a full SHA when
// it is a SHA prefix and no ref, and refuses an ambiguous prefix; a ref
// name is returned as it is.
func (r *Repo) expandName(name string) (string, error) {
	hex := name != "" && len(name) <= 40 && strings.Trim(strings.ToLower(name), "0123456789abcdef") == ""
	if !hex || len(name) == 40 {
		return name, nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, ref := range []string{name, "refs/" + name, "refs/tags/" + name, "refs/heads/" + name, "refs/remotes/" + name} {
		if _, err := r.repo.Reference(plumbing.ReferenceName(ref), true); err == nil {
			return name, nil // git prefers the ref (and warns)
		}
	}
	if len(name) < MinAbbrev {
		return "", &UnknownRevisionError{Rev: name, Err: fmt.Errorf("not a ref, and a SHA prefix has at least %d digits", MinAbbrev)}
	}
	prefix := strings.ToLower(name)
	even := prefix[:len(prefix)&^1]
	hashes, err := r.storage.HashesWithPrefix(hexBytes(even))
	if err != nil {
		return "", err
	}
	var commits []*object.Commit
	for _, h := range hashes {
		if !strings.HasPrefix(h.String(), prefix) {
			continue
		}
		if c, err := object.GetCommit(r.storage, h); err == nil {
			commits = append(commits, c)
		} else if t, err := object.GetTag(r.storage, h); err == nil {
			if c, err := t.Commit(); err == nil {
				commits = append(commits, c)
			}
		}
	}
	switch len(commits) {
	case 0:
		return name, nil // not a commit: let the ref lookup say so
	case 1:
		return commits[0].Hash.String(), nil
	}
	e := &AmbiguousError{Prefix: name}
	for _, c := range commits {
		e.Candidates = append(e.Candidates, Candidate(c.Hash.String(), c.Author.When.Format("2006-01-02"), firstLine(c.Message)))
	}
	sort.Strings(e.Candidates)
	return "", e
}

func hexBytes(s string) []byte {
	b := make([]byte, len(s)/2)
	for i := range b {
		b[i] = unhex(s[2*i])<<4 | unhex(s[2*i+1])
	}
	return b
}

func unhex(c byte) byte {
	if c >= 'a' {
		return c - 'a' + 10
	}
	return c - '0'
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
	return l
}

// SplitRange splits a revision range as git does: "A..B" is (A, B), an
// empty side is HEAD; a single revision is ("", REV). "A...B" (a symmetric
// difference) is refused: an update goes from one revision to a later one.
func SplitRange(spec string) (from, to string, err error) {
	if strings.Contains(spec, "...") {
		return "", "", fmt.Errorf("%q: A...B is not supported, give A..B", spec)
	}
	a, b, ok := strings.Cut(spec, "..")
	if !ok {
		if spec == "" {
			spec = "HEAD"
		}
		return "", spec, nil
	}
	if a == "" {
		a = "HEAD"
	}
	if b == "" {
		b = "HEAD"
	}
	return a, b, nil
}
