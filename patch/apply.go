// This file applies patches: to a tree's files (Edits), and to a revision
// as commits made in memory (Apply).

package patch

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"github.com/bluekeyes/go-gitdiff/gitdiff"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"

	"github.com/upsynth/upsynth/kernel"
)

// ApplyError is a patch that does not apply: which patch, which file and
// which hunk (0 when the file as a whole is the trouble: missing, already
// there, binary without data), and why.
type ApplyError struct {
	Patch string
	File  string
	Hunk  int
	// Header is the hunk's "@@ -a,b +c,d @@" line ("" for the file).
	Header string
	Reason string
}

func (e *ApplyError) Error() string {
	if e.Hunk == 0 {
		return fmt.Sprintf("%s does not apply: %s: %s", e.Patch, e.File, e.Reason)
	}
	return fmt.Sprintf("%s does not apply: %s: hunk %d (%s): %s", e.Patch, e.File, e.Hunk, e.Header, e.Reason)
}

// Apply applies the patches in order to the revision base of repo, each as
// a commit made in memory on the previous one, and returns those commits.
// The first patch that does not apply stops it with an *ApplyError.
func Apply(repo *kernel.Repo, base plumbing.Hash, patches []*Patch) ([]plumbing.Hash, error) {
	var out []plumbing.Hash
	cur := base
	for _, p := range patches {
		c, err := repo.Commit(cur)
		if err != nil {
			return nil, err
		}
		edits, err := p.Edits(kernel.NewTreeFS(repo, c.TreeHash))
		if err != nil {
			return nil, err
		}
		h, err := repo.CommitInMemory(cur, edits, kernel.CommitInfo{Author: p.Author, Message: p.Message})
		if err != nil {
			var ee *kernel.EditError
			if errors.As(err, &ee) {
				return nil, &ApplyError{Patch: p.Name, File: ee.Path, Reason: ee.Err.Error()}
			}
			return nil, err
		}
		out = append(out, h)
		cur = h
	}
	return out, nil
}

// Edits applies p to the files in fsys and returns the edits it makes.
func (p *Patch) Edits(fsys fs.FS) ([]kernel.Edit, error) {
	var edits []kernel.Edit
	for _, f := range p.Files {
		fail := func(hunk int, header, format string, args ...any) error {
			name := f.NewName
			if name == "" || f.IsDelete {
				name = f.OldName
			}
			return &ApplyError{Patch: p.Name, File: name, Hunk: hunk, Header: header, Reason: fmt.Sprintf(format, args...)}
		}
		var src []byte
		mode := filemode.Regular
		if !f.IsNew {
			b, err := fs.ReadFile(fsys, f.OldName)
			if err != nil {
				if errors.Is(err, fs.ErrNotExist) {
					return nil, fail(0, "", "the file is not in the tree")
				}
				return nil, fail(0, "", "%v", err)
			}
			src = b
			if st, err := fs.Stat(fsys, f.OldName); err == nil && st.Mode()&0o111 != 0 {
				mode = filemode.Executable
			}
		} else if _, err := fs.Stat(fsys, f.NewName); err == nil {
			return nil, fail(0, "", "the patch creates it, but it is already in the tree")
		}
		if f.NewMode != 0 {
			m, err := filemode.NewFromOSFileMode(f.NewMode)
			if err == nil && m != filemode.Dir && m != filemode.Empty {
				mode = m
			}
		}
		if f.IsBinary && f.BinaryFragment == nil {
			return nil, fail(0, "", "a binary change without its data (\"Binary files differ\"): make the patch with git format-patch, or git diff --binary")
		}
		out, err := apply(src, f)
		if err != nil {
			var hunk *hunkError
			if errors.As(err, &hunk) {
				return nil, fail(hunk.n, hunk.header, "%s", hunk.reason)
			}
			return nil, fail(0, "", "%v", err)
		}
		if f.IsDelete {
			if len(out) != 0 {
				return nil, fail(0, "", "the patch deletes it, but the file holds more than the patch removes")
			}
			edits = append(edits, kernel.Edit{Path: f.OldName, Delete: true})
			continue
		}
		if f.IsRename {
			edits = append(edits, kernel.Edit{Path: f.OldName, Delete: true})
		}
		edits = append(edits, kernel.Edit{Path: f.NewName, Data: out, Mode: mode})
	}
	return edits, nil
}

// hunkError is a text hunk whose lines are not in the file.
type hunkError struct {
	n      int
	header string
	reason string
}

func (e *hunkError) Error() string { return fmt.Sprintf("hunk %d: %s", e.n, e.reason) }

// apply applies one file's change to src. A text hunk whose lines are not
// at the line it names is looked for nearby, then anywhere after the
// previous hunk, as git apply does; its lines must match exactly.
func apply(src []byte, f *gitdiff.File) ([]byte, error) {
	var dst bytes.Buffer
	if f.BinaryFragment != nil || len(f.TextFragments) == 0 {
		if err := gitdiff.Apply(&dst, bytes.NewReader(src), f); err != nil {
			return nil, err
		}
		if len(f.TextFragments) == 0 && f.BinaryFragment == nil && !f.IsDelete {
			return src, nil // a mode change or a pure rename
		}
		return dst.Bytes(), nil
	}
	lines := splitLines(src)
	next := 0 // the first line a hunk may start at
	a := gitdiff.NewTextApplier(&dst, bytes.NewReader(src))
	for i, frag := range f.TextFragments {
		header := strings.TrimSpace(frag.Header())
		pre := preimage(frag)
		at := int(frag.OldPosition) - 1
		if at < 0 {
			at = 0
		}
		found := find(lines, pre, at, next)
		if found < 0 {
			return nil, &hunkError{n: i + 1, header: header, reason: mismatch(lines, pre, at)}
		}
		moved := *frag
		moved.OldPosition += int64(found - at)
		moved.NewPosition += int64(found - at)
		if err := a.ApplyFragment(&moved); err != nil {
			return nil, &hunkError{n: i + 1, header: header, reason: err.Error()}
		}
		next = found + len(pre)
	}
	if err := a.Close(); err != nil {
		return nil, err
	}
	return dst.Bytes(), nil
}

// splitLines splits src after each newline.
func splitLines(src []byte) [][]byte {
	if len(src) == 0 {
		return nil
	}
	ls := bytes.SplitAfter(src, []byte("\n"))
	if len(ls[len(ls)-1]) == 0 {
		ls = ls[:len(ls)-1]
	}
	return ls
}

// preimage is the lines a hunk expects: its context and removed lines.
func preimage(frag *gitdiff.TextFragment) []string {
	var out []string
	for _, l := range frag.Lines {
		if l.Old() {
			out = append(out, l.Line)
		}
	}
	return out
}

// find returns where pre occurs in lines at or after min, the nearest to
// at first (-1: nowhere).
func find(lines [][]byte, pre []string, at, min int) int {
	last := len(lines) - len(pre)
	for d := 0; ; d++ {
		up, down := at+d, at-d
		if up > last && down < min {
			return -1
		}
		if up >= min && up <= last && matches(lines, pre, up) {
			return up
		}
		if d > 0 && down >= min && down <= last && matches(lines, pre, down) {
			return down
		}
	}
}

func matches(lines [][]byte, pre []string, at int) bool {
	for i, l := range pre {
		if string(lines[at+i]) != l {
			return false
		}
	}
	return true
}

// mismatch says how the file differs from what a hunk expects at its line.
func mismatch(lines [][]byte, pre []string, at int) string {
	for i, want := range pre {
		n := at + i
		if n >= len(lines) {
			return fmt.Sprintf("the file ends at line %d, the hunk expects %d lines from line %d, and its lines are nowhere else", len(lines), len(pre), at+1)
		}
		if got := string(lines[n]); got != want {
			return fmt.Sprintf("line %d is %q, the hunk expects %q, and its lines are nowhere else in the file", n+1, strings.TrimRight(got, "\n"), strings.TrimRight(want, "\n"))
		}
	}
	return "its lines are not in the file"
}
