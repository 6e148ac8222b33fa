package synth

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/upsynth/upsynth/kernel"
	"github.com/upsynth/upsynth/runtime"
)

// TestWriteDoesNotFollowSymlinks: emitting into a package whose go.mod and
// update.go are symbolic links to files elsewhere, and whose kernel
// directory is one, replaces the links and leaves the files they pointed
// to as they were (issue 21: both outside files were overwritten).
func TestWriteDoesNotFollowSymlinks(t *testing.T) {
	old, new := itemsTrees(t)
	oldTree, newTree := kernel.TreeOf(old, "old", kernel.Config{Include: []string{"include"}}), kernel.TreeOf(new, "new", kernel.Config{Include: []string{"include"}})
	p, err := MakePlan(Input{Name: "count adds", Old: oldTree, New: newTree, Changes: ChangeSet{Class: "state"}, Mode: runtime.Lazy})
	if err != nil {
		t.Fatal(err)
	}
	files, err := Generate(p)
	if err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	dir := filepath.Join(tmp, "pkg")
	out := Output{Dir: dir, Plan: p, Files: files, Old: oldTree, New: newTree, SrcRoot: ".."}
	if _, err := Write(out); err != nil {
		t.Fatal(err)
	}
	outside := filepath.Join(tmp, "outside")
	if err := os.MkdirAll(filepath.Join(outside, "kdir"), 0o755); err != nil {
		t.Fatal(err)
	}
	victims := map[string]string{"go.mod": "victim go.mod\n", "update.go": "victim update.go\n", "kdir/keep.c": "victim kernel file\n"}
	for name, text := range victims {
		if err := os.WriteFile(filepath.Join(outside, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for link, target := range map[string]string{"go.mod": "go.mod", "update.go": "update.go", "kernel": "kdir"} {
		p := filepath.Join(dir, link)
		if err := os.RemoveAll(p); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(filepath.Join(outside, target), p); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := Write(out); err != nil {
		t.Fatal(err)
	}
	for name, text := range victims {
		if b, _ := os.ReadFile(filepath.Join(outside, name)); string(b) != text {
			t.Errorf("%s outside the package was changed to %q", name, b)
		}
	}
	for _, name := range []string{"go.mod", "update.go", "kernel"} {
		st, err := os.Lstat(filepath.Join(dir, name))
		if err != nil || st.Mode()&os.ModeSymlink != 0 {
			t.Errorf("%s: %v, still a link: want it replaced", name, err)
		}
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "update.go")); !bytes.Equal(b, files["update.go"]) {
		t.Error("update.go was not written")
	}
}

// hostileModule is a tree path with every character issue 21 found
// breaking go:embed, in a directory with such a name too.
const hostileModule = "we`ird \"dir\":x/it's*\\items:.c"

// TestHostileNamesBuildAndVerify: a module whose path has ` " ' * \ : in
// its directory and its name is carried in the emitted package, which
// builds, vets and verifies the update on the emulated target.
func TestHostileNamesBuildAndVerify(t *testing.T) {
	old, new := itemsTrees(t)
	rename := func(fsys fstest.MapFS) {
		fsys[hostileModule] = fsys["items.c"]
		delete(fsys, "items.c")
	}
	rename(old)
	rename(new)
	oldTree, newTree := kernel.TreeOf(old, "old", kernel.Config{Include: []string{"include"}}), kernel.TreeOf(new, "new", kernel.Config{Include: []string{"include"}})
	p, err := MakePlan(Input{Name: "count adds", Old: oldTree, New: newTree, Changes: ChangeSet{Class: "state"}, Mode: runtime.Lazy})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Modules) != 1 || p.Modules[0] != hostileModule {
		t.Fatalf("modules %q, want the renamed module", p.Modules)
	}
	files, err := Generate(p)
	if err != nil {
		t.Fatal(err)
	}
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	pkg := filepath.Join(dir, "hostile")
	if _, err := Write(Output{Dir: pkg, Plan: p, Files: files, Old: oldTree, New: newTree, SrcRoot: root}); err != nil {
		t.Fatal(err)
	}
	if testing.Short() {
		t.Skip("builds and tests the emitted package")
	}
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command")
	}
	mod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	goLine := regexp.MustCompile(`(?m)^go [0-9.]+$`).Find(mod)
	if err := os.WriteFile(filepath.Join(dir, "go.work"), fmt.Appendf(nil, "%s\n\nuse ./hostile\n", goLine), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"vet", "."}, {"test", "-count=1", "-v", "-run", "TestVerify", "."}} {
		cmd := exec.Command("go", args...)
		cmd.Dir = pkg
		cmd.Env = append(os.Environ(), "GOFLAGS=", "GOPROXY=off", "GOWORK="+filepath.Join(dir, "go.work"))
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("go %v: %v\n%s", args, err, out)
		}
		if args[0] == "test" && (!strings.Contains(string(out), "ok") || strings.Contains(string(out), "no tests to run")) {
			t.Errorf("go test:\n%s", out)
		}
		if args[0] == "test" {
			t.Logf("%s", out)
		}
	}
}
