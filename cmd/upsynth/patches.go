package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/spf13/pflag"

	"github.com/upsynth/upsynth/analyze"
	"github.com/upsynth/upsynth/analyze/store"
	"github.com/upsynth/upsynth/kernel"
	"github.com/upsynth/upsynth/patch"
)

// patchOptions are the flags of the commands that take patch files.
type patchOptions struct {
	base   string
	each   bool // emit only: one package per patch
	config string
}

func (o *patchOptions) registerBase(f *pflag.FlagSet) {
	f.StringVar(&o.base, "base", "HEAD", "revision the patch files apply to")
}

// isPatchArg says whether a command's argument is a patch file rather than
// a revision: an existing regular file is read as a patch, and "-" is the
// standard input.
func isPatchArg(arg string) bool {
	if arg == "-" {
		return true
	}
	st, err := os.Stat(arg)
	return err == nil && st.Mode().IsRegular()
}

// readPatches reads the patches of the files in order ("-": in).
func readPatches(in io.Reader, files []string) ([]*patch.Patch, error) {
	var out []*patch.Patch
	for _, f := range files {
		var ps []*patch.Patch
		var err error
		switch {
		case f == "-":
			var b []byte
			if b, err = io.ReadAll(in); err == nil {
				ps, err = patch.Parse("stdin", b)
			}
		case isPatchArg(f):
			ps, err = patch.ReadFiles(f)
		default:
			err = fmt.Errorf("%s: not a patch file", f)
		}
		if err != nil {
			return nil, err
		}
		out = append(out, ps...)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no diff in it (only a cover letter?)", strings.Join(files, ", "))
	}
	return out, nil
}

// patchedKernel is a series of patches applied in memory to a revision
// (each patch a commit on the previous: package patch) and classified as
// the analysis classifies commits (analyze.Classify). Close it when done.
type patchedKernel struct {
	repo    *kernel.Repo
	base    plumbing.Hash
	patches []*patch.Patch
	commits []plumbing.Hash
	results []analyze.Result
}

// applyPatches reads the patch files ("-": in), applies them to base in the
// repository and classifies each. db, when it exists, lends the analysis
// its memoized summaries.
func applyPatches(ctx context.Context, in io.Reader, repoPath, db string, o *patchOptions, files []string) (*patchedKernel, error) {
	patches, err := readPatches(in, files)
	if err != nil {
		return nil, err
	}
	r, err := kernel.Open(repoPath)
	if err != nil {
		return nil, err
	}
	pk := &patchedKernel{repo: r, patches: patches}
	if err := pk.apply(ctx, db, o); err != nil {
		r.Close()
		return nil, err
	}
	return pk, nil
}

func (pk *patchedKernel) apply(ctx context.Context, db string, o *patchOptions) error {
	var err error
	if pk.base, err = pk.repo.Resolve(o.base); err != nil {
		return err
	}
	if pk.commits, err = patch.Apply(pk.repo, pk.base, pk.patches); err != nil {
		return err
	}
	pk.results, err = analyze.Classify(ctx, pk.repo, pk.commits, analyze.Options{DB: db, ConfigFile: o.config})
	return err
}

func (pk *patchedKernel) Close() error { return pk.repo.Close() }

// parent is the revision patch i applies to.
func (pk *patchedKernel) parent(i int) plumbing.Hash {
	if i == 0 {
		return pk.base
	}
	return pk.commits[i-1]
}

// stem is a patch's name as a directory name: its file without the
// extension, and the mail's number in a mailbox.
func stem(p *patch.Patch) string {
	name, mail, _ := strings.Cut(p.Name, "#")
	for _, ext := range []string{".patch", ".diff", ".mbox", ".eml"} {
		name = strings.TrimSuffix(name, ext)
	}
	if mail != "" {
		name += "-" + mail
	}
	return name
}

// records are the classifications of patches [from, to).
func (pk *patchedKernel) records(from, to int) []*store.Commit {
	var out []*store.Commit
	for _, r := range pk.results[from:to] {
		out = append(out, r.Commit)
	}
	return out
}
