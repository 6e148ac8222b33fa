package kernel_test

import (
	"os/exec"
	"sort"
	"strings"
	"testing"
)

// owned are the libraries through which a kernel is read: opening a git
// repository (go-git's repository and on-disk storage), upsynth.yaml
// (yaml) and globs (doublestar). Only package kernel imports them.
var owned = []string{
	"github.com/go-git/go-git/v5",
	"github.com/go-git/go-git/v5/storage/filesystem",
	"github.com/go-git/go-git/v5/storage/filesystem/dotgit",
	"github.com/go-git/go-billy/v5/osfs",
	"gopkg.in/yaml.v3",
	"github.com/bmatcuk/doublestar/v4",
}

// exempt are the packages that import some of them for another purpose.
var exempt = map[string]string{
	// The corpus builder creates the bundled kernel's repository (git
	// init, in memory or on disk) from its history files (commit.yaml):
	// it writes a repository and reads its own format, not a kernel's.
	"github.com/upsynth/upsynth/corpus": "creates the corpus repository from its own history files",
	// Writes the corpus's history files (commit.yaml).
	"github.com/upsynth/upsynth/corpus/internal/snapshot": "writes the corpus's own history files",
	// Builds test repositories.
	"github.com/upsynth/upsynth/internal/gittest": "creates test repositories",
}

// TestOnlyKernelReadsKernels: in the dependencies of every package of the
// module, only package kernel imports the libraries that open a
// repository, read upsynth.yaml or match globs.
func TestOnlyKernelReadsKernels(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command")
	}
	cmd := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}}{{range .Imports}} {{.}}{{end}}", "github.com/upsynth/upsynth/...")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	isOwned := map[string]bool{}
	for _, o := range owned {
		isOwned[o] = true
	}
	importers := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(line)
		pkg := f[0]
		if !strings.HasPrefix(pkg, "github.com/upsynth/upsynth") {
			continue
		}
		for _, imp := range f[1:] {
			if isOwned[imp] {
				importers[imp] = append(importers[imp], pkg)
			}
		}
	}
	for _, lib := range owned {
		for _, pkg := range importers[lib] {
			if pkg == "github.com/upsynth/upsynth/kernel" || exempt[pkg] != "" {
				continue
			}
			t.Errorf("%s imports %s: only package kernel opens repositories, reads upsynth.yaml and matches globs", pkg, lib)
		}
	}
	var kernelUses []string
	for _, lib := range owned {
		for _, pkg := range importers[lib] {
			if pkg == "github.com/upsynth/upsynth/kernel" {
				kernelUses = append(kernelUses, lib)
			}
		}
	}
	sort.Strings(kernelUses)
	if len(kernelUses) < 4 {
		t.Errorf("package kernel imports only %v: the test no longer sees what it checks", kernelUses)
	}
}
