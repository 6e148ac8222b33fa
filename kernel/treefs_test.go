package kernel_test

import (
	"errors"
	"io/fs"
	"testing"
	"testing/fstest"

	"github.com/upsynth/upsynth/internal/gittest"
	"github.com/upsynth/upsynth/kernel"
)

// treeFSOf commits files to a new repository and returns the commit's
// tree as a file system; the repository closes with the test.
func treeFSOf(t *testing.T, files map[string][]byte) *kernel.TreeFS {
	t.Helper()
	g, err := gittest.Init(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	h, err := g.Commit("init", files)
	if err != nil {
		t.Fatal(err)
	}
	repo, err := kernel.Open(g.Dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { repo.Close() })
	c, err := repo.Commit(h)
	if err != nil {
		t.Fatal(err)
	}
	return kernel.NewTreeFS(repo, c.TreeHash)
}

func TestFSOverTree(t *testing.T) {
	fsys := treeFSOf(t, map[string][]byte{
		"include/kernel.h": []byte("int k;\n"),
		"include/sys/a.h":  []byte("#include <kernel.h>\n"),
		"kernel/main.c":    []byte("#include \"../include/kernel.h\"\nint main(void){return 0;}\n"),
		"README":           []byte("hi\n"),
	})
	if err := fstest.TestFS(fsys, "include/kernel.h", "include/sys/a.h", "kernel/main.c", "README"); err != nil {
		t.Fatal(err)
	}
	b, err := fs.ReadFile(fsys, "include/sys/a.h")
	if err != nil || string(b) != "#include <kernel.h>\n" {
		t.Fatalf("ReadFile = %q, %v", b, err)
	}
	if _, err := fsys.Open("include/missing.h"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
	if _, err := fsys.Open("README/x"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("file used as directory: %v", err)
	}
	if _, err := fsys.Open("../etc/passwd"); !errors.Is(err, fs.ErrInvalid) {
		t.Errorf("invalid path: %v", err)
	}
	fsys.MaxFile = 3
	if _, err := fsys.Open("include/kernel.h"); err == nil {
		t.Error("file over MaxFile opened")
	}
}

func TestSymlinks(t *testing.T) {
	g, err := gittest.Init(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	g.Symlinks["include/arch"] = true
	g.Symlinks["include/loop"] = true
	g.Symlinks["include/escape.h"] = true
	h, err := g.Commit("init", map[string][]byte{
		"arch/x86/include/io.h": []byte("int io;\n"),
		"include/arch":          []byte("../arch/x86/include"),
		"include/loop":          []byte("loop"),
		"include/escape.h":      []byte("../../etc/passwd"),
	})
	if err != nil {
		t.Fatal(err)
	}
	repo, err := kernel.Open(g.Dir)
	if err != nil {
		t.Fatal(err)
	}
	defer repo.Close()
	c, _ := repo.Commit(h)
	fsys := kernel.NewTreeFS(repo, c.TreeHash)
	if b, err := fs.ReadFile(fsys, "include/arch/io.h"); err != nil || string(b) != "int io;\n" {
		t.Errorf("through a directory symlink: %q, %v", b, err)
	}
	if _, err := fsys.Open("include/loop/x.h"); err == nil {
		t.Error("a symlink loop resolved")
	}
	if _, err := fsys.Open("include/escape.h"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a link out of the tree: %v", err)
	}
}

// TestSharedContentStaysIntact checks that a file's content, kept for the
// next reader, is never handed out for writing: what ReadFile returns is
// the caller's own, and a second read sees the blob as committed.
func TestSharedContentStaysIntact(t *testing.T) {
	fsys := treeFSOf(t, map[string][]byte{"include/k.h": []byte("int k;\n")})
	for i := 0; i < 3; i++ {
		b, err := fs.ReadFile(fsys, "include/k.h")
		if err != nil || string(b) != "int k;\n" {
			t.Fatalf("read %d: %q, %v", i, b, err)
		}
		for j := range b {
			b[j] = 'x' // the caller's copy
		}
	}
	e, err := fsys.Stat("include/k.h")
	if err != nil || e.Size() != 7 {
		t.Fatalf("stat: %v, %v", e, err)
	}
}
