package synth

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/upsynth/upsynth/kernel"
	"github.com/upsynth/upsynth/runtime/plan"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	goruntime "runtime"
	"sort"
	"strings"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"

	"github.com/upsynth/upsynth/runtime/emu/verify"
)

// Marker is the file that says a directory holds an emitted package: emit
// overwrites only such directories (or empty or new ones).
const Marker = ".upsynth-package"

// ModulePath is the prefix of an emitted package's Go module path; the
// directory's name completes it, so packages can share a go.work.
const ModulePath = "upsynth.local/update"

var modElemRE = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// modulePathFor names the module of a package directory.
func modulePathFor(dir string) string {
	base := strings.Trim(modElemRE.ReplaceAllString(filepath.Base(dir), "-"), "-.")
	if base == "" {
		return ModulePath
	}
	return ModulePath + "/" + strings.ToLower(base)
}

// SourceRoot finds the upsynth module the running binary was built from:
// the directory holding this package's source when it was compiled (Go
// records it unless built with -trimpath), if it still holds the module.
// Callers try an explicit --runtime-src first.
func SourceRoot() (string, error) {
	_, file, _, ok := goruntime.Caller(0)
	if ok && filepath.IsAbs(file) {
		root := filepath.Dir(filepath.Dir(file))
		if isUpsynthModule(root) {
			return root, nil
		}
	}
	if exe, err := os.Executable(); err == nil {
		for d := filepath.Dir(exe); d != filepath.Dir(d); d = filepath.Dir(d) {
			if isUpsynthModule(d) {
				return d, nil
			}
		}
	}
	return "", errors.New("cannot find the upsynth source this binary was built from (built with -trimpath, or moved): give --runtime-src DIR")
}

func isUpsynthModule(dir string) bool {
	b, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	return err == nil && bytes.HasPrefix(bytes.TrimSpace(b), []byte("module github.com/upsynth/upsynth\n")) &&
		fileExists(filepath.Join(dir, RuntimeDir, "go.mod")) && fileExists(filepath.Join(dir, RuntimeDir, "update.go"))
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// RuntimeModule is the module emitted packages import: upsynth's runtime, a
// module of its own so that a package's module graph holds only what the
// runtime needs (cc/v4 and its few dependencies), all of which building
// upsynth itself downloaded.
const RuntimeModule = "github.com/upsynth/upsynth/runtime"

// RuntimeDir is where the runtime module lives inside the upsynth source.
const RuntimeDir = "runtime"

// goMod writes the package's go.mod: its own module, the runtime module
// replaced by the source at srcRoot, and the runtime's requirements (so the
// runtime's go.sum covers them and nothing is fetched).
func goMod(srcRoot, modPath string) ([]byte, error) {
	runtimeMod := filepath.Join(srcRoot, RuntimeDir, "go.mod")
	data, err := os.ReadFile(runtimeMod)
	if err != nil {
		return nil, err
	}
	parent, err := modfile.ParseLax(runtimeMod, data, nil)
	if err != nil {
		return nil, err
	}
	if parent.Module == nil || parent.Module.Mod.Path != RuntimeModule {
		return nil, fmt.Errorf("%s is not the go.mod of %s", runtimeMod, RuntimeModule)
	}
	abs, err := filepath.Abs(filepath.Join(srcRoot, RuntimeDir))
	if err != nil {
		return nil, err
	}
	f := new(modfile.File)
	f.AddComment("// " + Generated)
	if err := f.AddModuleStmt(modPath); err != nil {
		return nil, err
	}
	if parent.Go != nil {
		if err := f.AddGoStmt(parent.Go.Version); err != nil {
			return nil, err
		}
	}
	requires := []*modfile.Require{{Mod: module.Version{Path: RuntimeModule, Version: "v0.0.0-00010101000000-000000000000"}}}
	for _, r := range parent.Require {
		requires = append(requires, &modfile.Require{Mod: r.Mod, Indirect: true})
	}
	f.SetRequireSeparateIndirect(requires)
	f.SortBlocks()
	if err := f.AddReplace(RuntimeModule, "", abs, ""); err != nil {
		return nil, err
	}
	f.Cleanup()
	return modfile.Format(f.Syntax), nil
}

// Output is a package to write.
type Output struct {
	Dir     string
	Plan    *Plan
	Files   Files        // generated Go files
	Old     *kernel.Tree // the kernel at the old revision
	New     *kernel.Tree // the kernel at the new revision
	SrcRoot string       // the upsynth module to build against
}

// WriteResult says what Write did.
type WriteResult struct {
	Written   []string
	KeptHooks bool // hooks.go existed and was kept
	// HooksStale is set when the kept hooks.go lacks hooks the new code
	// calls: the fresh version is written as hooks.go.new.
	HooksStale bool
}

// Write creates (or refreshes) an emitted package directory. It refuses a
// directory that has files but no Marker: emit never clobbers files that are
// not its own.
func Write(o Output) (*WriteResult, error) {
	if err := prepareDir(o.Dir); err != nil {
		return nil, err
	}
	res := &WriteResult{}
	mod, err := goMod(o.SrcRoot, modulePathFor(o.Dir))
	if err != nil {
		return nil, fmt.Errorf("reading the upsynth module at %s: %w", o.SrcRoot, err)
	}
	sum, err := os.ReadFile(filepath.Join(o.SrcRoot, RuntimeDir, "go.sum"))
	if err != nil {
		return nil, err
	}
	planJSON, err := json.MarshalIndent(o.Plan, "", "  ")
	if err != nil {
		return nil, err
	}
	files := map[string][]byte{
		Marker:    []byte("emitted by upsynth: `upsynth emit` may overwrite this directory (except hooks.go)\n"),
		"go.mod":  mod,
		"go.sum":  sum,
		plan.File: append(planJSON, '\n'),
		"PLAN.md": []byte(PlanMarkdown(o.Plan)),
	}
	for name, b := range o.Files {
		files[name] = b
	}
	hooksPath := filepath.Join(o.Dir, "hooks.go")
	if old, err := os.ReadFile(hooksPath); err == nil {
		res.KeptHooks = true
		if !bytes.Equal(old, files["hooks.go"]) && !declaresHooks(old, files["hooks.go"]) {
			res.HooksStale = true
			files["hooks.go.new"] = files["hooks.go"]
		}
		delete(files, "hooks.go")
	}
	// The C trees: the new sources (embedded in the package) and the old
	// revision's kernel, which verification boots.
	if err := os.RemoveAll(filepath.Join(o.Dir, "kernel")); err != nil {
		return nil, err
	}
	for _, p := range append(append([]string(nil), o.Plan.Modules...), o.Plan.Headers...) {
		b, err := fs.ReadFile(o.New.FS, p)
		if err != nil {
			return nil, err
		}
		files[plan.NewSourcesDir+"/"+verify.StoredPath(p)] = b
	}
	// The embed pattern needs a file even when no C module changes.
	files[plan.NewSourcesDir+"/README"] = []byte("The new C sources of the update, by tree path (see PLAN.md).\n")
	for _, w := range o.Plan.Workloads {
		if b, err := fs.ReadFile(o.New.FS, w); err == nil {
			files[plan.NewSourcesDir+"/"+verify.StoredPath(w)] = b
		}
	}
	if o.Plan.Unverifiable != "" {
		// Verification cannot boot this kernel: the old tree would only
		// take room (a whole kernel per package).
		return writeFiles(o.Dir, files, res)
	}
	image, err := o.Old.ImageFiles()
	if err != nil {
		return nil, err
	}
	for _, p := range image {
		b, err := fs.ReadFile(o.Old.FS, p)
		if err != nil {
			return nil, err
		}
		files[filepath.ToSlash(filepath.Join(plan.OldTreeDir, p))] = b
	}
	return writeFiles(o.Dir, files, res)
}

// writeFiles writes the files of a package under dir.
func writeFiles(dir string, files map[string][]byte, res *WriteResult) (*WriteResult, error) {
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		p := filepath.Join(dir, filepath.FromSlash(n))
		if !strings.HasPrefix(p, filepath.Clean(dir)+string(filepath.Separator)) {
			return nil, fmt.Errorf("refusing to write %s outside %s", n, dir)
		}
		if err := writeInside(dir, n, files[n]); err != nil {
			return nil, err
		}
		res.Written = append(res.Written, n)
	}
	if !res.HooksStale {
		os.Remove(filepath.Join(dir, "hooks.go.new"))
	}
	return res, nil
}

// writeInside writes data to the file at the slash-separated path rel
// under dir without following a symbolic link: a link where a directory
// of the path should be is replaced by the directory, and the file itself
// is written beside and renamed over whatever is there (a link to a file
// outside the package is replaced, the file it pointed to untouched).
func writeInside(dir, rel string, data []byte) error {
	parent := filepath.Clean(dir)
	elems := strings.Split(rel, "/")
	for _, e := range elems[:len(elems)-1] {
		parent = filepath.Join(parent, e)
		st, err := os.Lstat(parent)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			if err := os.Mkdir(parent, 0o755); err != nil {
				return err
			}
		case err != nil:
			return err
		case st.Mode()&fs.ModeSymlink != 0:
			if err := os.Remove(parent); err != nil {
				return fmt.Errorf("replacing the symbolic link %s: %w", parent, err)
			}
			if err := os.Mkdir(parent, 0o755); err != nil {
				return err
			}
		case !st.IsDir():
			return fmt.Errorf("%s is not a directory: refusing to write %s", parent, rel)
		}
	}
	f, err := os.CreateTemp(parent, ".upsynth-write-*")
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(f.Name(), 0o644)
	}
	if err == nil {
		err = os.Rename(f.Name(), filepath.Join(parent, elems[len(elems)-1]))
	}
	if err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("writing %s: %w", filepath.Join(dir, filepath.FromSlash(rel)), err)
	}
	return nil
}

// prepareDir creates dir, or checks that an existing one is empty or an
// emitted package.
func prepareDir(dir string) error {
	st, err := os.Lstat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return os.MkdirAll(dir, 0o755)
	case err != nil:
		return err
	case st.Mode()&fs.ModeSymlink != 0:
		return fmt.Errorf("%s is a symbolic link: refusing to write through it", dir)
	case !st.IsDir():
		return fmt.Errorf("%s exists and is not a directory", dir)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	if len(entries) == 0 || fileExists(filepath.Join(dir, Marker)) {
		return nil
	}
	return fmt.Errorf("%s is not empty and was not emitted by upsynth (no %s): refusing to overwrite it", dir, Marker)
}

var funcDeclRE = regexp.MustCompile(`(?m)^func (\w+)\(`)

// declaresHooks reports whether a kept hooks.go declares every hook the
// fresh one does: the generated code calls those. Functions a person added
// (helpers of the hooks) do not make it stale.
func declaresHooks(kept, fresh []byte) bool {
	have := map[string]bool{}
	for _, m := range funcDeclRE.FindAllSubmatch(kept, -1) {
		have[string(m[1])] = true
	}
	for _, m := range funcDeclRE.FindAllSubmatch(fresh, -1) {
		if !have[string(m[1])] {
			return false
		}
	}
	return true
}
