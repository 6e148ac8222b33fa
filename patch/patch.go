// Package patch reads patches that are not committed yet — unified diffs
// (diff -u, git diff) and git format-patch mails, one or a series in a file
// — and applies them to a kernel revision in memory, each as the commit it
// would make (kernel.Repo.CommitInMemory), so that the analysis classifies
// and emit plans a patch exactly as they do a commit. Nothing is written to
// the repository or its work tree.
//
// Parsing diffs and mail headers and applying hunks is go-gitdiff's. This
// package splits mailboxes into mails, reads paths as git apply does (-p1),
// finds a hunk whose lines moved (as git apply does: an offset, never
// fuzz), and says which patch, file and hunk does not apply (*ApplyError).
package patch

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/bluekeyes/go-gitdiff/gitdiff"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// Patch is one patch: the change one commit would make.
type Patch struct {
	// Name says where it came from: the file, with "#N" for the N-th mail
	// of a mailbox that holds several.
	Name string
	// Author is the mail's From and Date; Unknown when the patch has no
	// header (a plain diff).
	Author object.Signature
	// Subject is the mail's subject without "[PATCH n/m]"; Message the
	// commit message git am would record (subject, blank line, body).
	Subject, Message string
	// SHA is the commit a format-patch mail was made from ("" otherwise).
	SHA   string
	Files []*gitdiff.File
}

// Unknown is the author of a patch that names none.
var Unknown = object.Signature{Name: "unknown", Email: "unknown", When: time.Unix(0, 0).UTC()}

// ParseError is a patch file that cannot be read as a patch.
type ParseError struct {
	Name string
	Err  error
}

func (e *ParseError) Error() string { return e.Name + ": " + e.Err.Error() }
func (e *ParseError) Unwrap() error { return e.Err }

// mailStart starts each mail of a git format-patch mailbox.
var mailStart = regexp.MustCompile(`(?m)^From [0-9a-f]{40} `)

// ReadFiles reads the patches in the files, in order: each file holds one
// patch or a mailbox of several.
func ReadFiles(paths ...string) ([]*Patch, error) {
	var out []*Patch
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		ps, err := Parse(filepath.Base(p), b)
		if err != nil {
			return nil, err
		}
		out = append(out, ps...)
	}
	return out, nil
}

// Parse reads the patches in data, named name in messages: a unified diff,
// or one or more git format-patch mails. A mail without a diff (a series'
// cover letter) is skipped, so a cover letter alone gives no patch; data
// that is neither a diff nor a mail is a *ParseError.
func Parse(name string, data []byte) ([]*Patch, error) {
	chunks := [][]byte{data}
	if starts := mailStart.FindAllIndex(data, -1); len(starts) > 1 {
		chunks = chunks[:0]
		if lead := bytes.TrimSpace(data[:starts[0][0]]); len(lead) > 0 {
			chunks = append(chunks, data[:starts[0][0]])
		}
		for i, s := range starts {
			end := len(data)
			if i+1 < len(starts) {
				end = starts[i+1][0]
			}
			chunks = append(chunks, data[s[0]:end])
		}
	}
	var out []*Patch
	letters := 0
	for i, c := range chunks {
		n := name
		if len(chunks) > 1 {
			n = fmt.Sprintf("%s#%d", name, i+1)
		}
		p, err := parseOne(n, c)
		if err != nil {
			return nil, err
		}
		if p == nil {
			letters++
			continue
		}
		out = append(out, p)
	}
	if len(out) == 0 && letters == 0 {
		return nil, &ParseError{Name: name, Err: fmt.Errorf("no diff in it")}
	}
	return out, nil
}

// parseOne reads one patch; nil when it is a mail without a diff.
func parseOne(name string, data []byte) (*Patch, error) {
	files, preamble, err := gitdiff.Parse(bytes.NewReader(data))
	if err != nil {
		return nil, &ParseError{Name: name, Err: err}
	}
	p := &Patch{Name: name, Author: Unknown, Files: files}
	if h, err := gitdiff.ParsePatchHeader(preamble); err == nil && h.Title != "" {
		p.Subject, p.SHA = h.Title, h.SHA
		p.Message = h.Message() + "\n"
		if h.Author != nil {
			p.Author = object.Signature{Name: h.Author.Name, Email: h.Author.Email, When: h.AuthorDate}
			if h.AuthorDate.IsZero() {
				p.Author.When = Unknown.When
			}
		}
	}
	if len(files) == 0 {
		if p.Subject != "" {
			return nil, nil
		}
		return nil, &ParseError{Name: name, Err: fmt.Errorf("no diff in it")}
	}
	if !isGitDiff(data) {
		// A traditional diff names files as given to diff(1): "a/x.c",
		// "linux-orig/x.c". git apply and patch -p1 drop the first
		// component.
		for _, f := range files {
			f.OldName, f.NewName = stripComponent(f.OldName), stripComponent(f.NewName)
		}
	}
	return p, nil
}

var gitDiffLine = regexp.MustCompile(`(?m)^diff --git `)

func isGitDiff(data []byte) bool { return gitDiffLine.Match(data) }

func stripComponent(p string) string {
	if _, rest, ok := strings.Cut(p, "/"); ok {
		return rest
	}
	return p
}
