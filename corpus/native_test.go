package corpus

import (
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"
)

// kernelCFLAGS compile kernel code the way the emulated target sees it:
// plain gnu11 against include/kernel.h and nothing from the host.
var kernelCFLAGS = []string{"-std=gnu11", "-ffreestanding", "-nostdinc", "-fno-builtin",
	"-Wall", "-Wno-unused-parameter", "-Werror", "-O0"}

// objCache compiles translation units once per distinct content: most
// files do not change from one revision to the next.
type objCache struct {
	dir string
	mu  sync.Mutex
	obj map[string]string // key -> object file
}

var nativeAll = flag.Bool("native.all", false, "build and run every revision natively, not just the tip")

// TestNativeWorkloads compiles the kernel with gcc (-Wall -Werror, the
// hardware port included), links it with testdata/native/driver.c — the
// target ABI implemented on libc plus a workload runner — and replays the
// commit's workloads and the mixed workload, each ending in a self-check.
// It checks what the emulator does not: that a real compiler accepts the
// code without warnings. By default only the tip; -native.all does every
// revision (about 25 s of CPU).
func TestNativeWorkloads(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the kernel with gcc")
	}
	if _, err := exec.LookPath("gcc"); err != nil {
		t.Skip("gcc not found")
	}
	commits, err := History()
	if err != nil {
		t.Fatal(err)
	}
	trees, err := Trees()
	if err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	driver, err := filepath.Abs(filepath.Join("testdata", "native", "driver.c"))
	if err != nil {
		t.Fatal(err)
	}
	driverObj := filepath.Join(tmp, "driver.o")
	if out, err := exec.Command("gcc", "-std=gnu11", "-O1", "-Wall", "-c", driver, "-o", driverObj).CombinedOutput(); err != nil {
		t.Fatalf("driver: %v\n%s", err, out)
	}
	cache := &objCache{dir: filepath.Join(tmp, "obj"), obj: map[string]string{}}
	if err := os.MkdirAll(cache.dir, 0o755); err != nil {
		t.Fatal(err)
	}
	sem := make(chan struct{}, 2)
	first := len(commits) - 1
	if *nativeAll {
		first = 0
	}
	for i := first; i < len(commits); i++ {
		c, tree := commits[i], trees[i]
		t.Run(c.ID, func(t *testing.T) {
			t.Parallel()
			sem <- struct{}{}
			defer func() { <-sem }()
			runRevision(t, tmp, c, tree, driverObj, cache)
		})
	}
}

func runRevision(t *testing.T, tmp string, c Commit, tree Tree, driverObj string, cache *objCache) {
	dir := filepath.Join(tmp, c.ID)
	for p, data := range tree {
		fp := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(fp), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(fp, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	srcs := EmuSources(tree)
	// the hardware port is type-checked too (it is x86 inline assembly)
	if runtime.GOARCH == "amd64" {
		for _, p := range tree.Paths() {
			if strings.HasPrefix(p, "arch/x86/") && strings.HasSuffix(p, ".c") {
				srcs = append(srcs, p)
			}
		}
	}
	objs, err := cache.compile(dir, tree, srcs)
	if err != nil {
		t.Fatalf("%s: %v", c.ID, err)
	}
	var link []string
	for i, p := range srcs {
		if !strings.HasPrefix(p, "arch/") {
			link = append(link, objs[i])
		}
	}
	kern := filepath.Join(dir, "kernel.native")
	args := append([]string{"-o", kern, driverObj}, link...)
	if out, err := exec.Command("gcc", args...).CombinedOutput(); err != nil {
		t.Fatalf("%s: link: %v\n%s", c.ID, err, out)
	}
	workloads := append([]string{}, c.Workloads...)
	if !contains(workloads, MixedWorkload) {
		workloads = append(workloads, MixedWorkload)
	}
	for _, w := range workloads {
		cmd := exec.Command(kern, w)
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Errorf("%s: %s: %v\n%s", c.ID, w, err, out)
		}
	}
}

// compile returns an object file for every source, compiling in one gcc
// run those whose content (with the revision's headers) was not compiled
// before.
func (oc *objCache) compile(dir string, tree Tree, srcs []string) ([]string, error) {
	h := sha256.New()
	for _, p := range tree.Paths() {
		if strings.HasSuffix(p, ".h") {
			h.Write([]byte(p))
			h.Write(tree[p])
		}
	}
	headers := h.Sum(nil)
	keys := make([]string, len(srcs))
	objs := make([]string, len(srcs))
	var missing []int
	oc.mu.Lock()
	for i, p := range srcs {
		k := sha256.New()
		k.Write(headers)
		k.Write([]byte(p))
		k.Write(tree[p])
		keys[i] = hex.EncodeToString(k.Sum(nil))
		if o, ok := oc.obj[keys[i]]; ok {
			objs[i] = o
		} else {
			missing = append(missing, i)
		}
	}
	oc.mu.Unlock()
	if len(missing) > 0 {
		work, err := os.MkdirTemp(oc.dir, "cc")
		if err != nil {
			return nil, err
		}
		args := append([]string{}, kernelCFLAGS...)
		args = append(args, "-I", filepath.Join(dir, "include"), "-c")
		for _, i := range missing {
			args = append(args, filepath.Join(dir, filepath.FromSlash(srcs[i])))
		}
		cmd := exec.Command("gcc", args...)
		cmd.Dir = work
		if out, err := cmd.CombinedOutput(); err != nil {
			return nil, &compileError{err: err, out: string(out)}
		}
		oc.mu.Lock()
		for _, i := range missing {
			base := strings.TrimSuffix(filepath.Base(srcs[i]), ".c") + ".o"
			o := filepath.Join(oc.dir, keys[i]+".o")
			if err := os.Rename(filepath.Join(work, base), o); err != nil {
				oc.mu.Unlock()
				return nil, err
			}
			oc.obj[keys[i]] = o
			objs[i] = o
		}
		oc.mu.Unlock()
	}
	return objs, nil
}

type compileError struct {
	err error
	out string
}

func (e *compileError) Error() string { return "gcc: " + e.err.Error() + "\n" + e.out }

// TestSourceBasenamesUnique: the object cache compiles several files in one
// gcc run, which names objects by basename.
func TestSourceBasenamesUnique(t *testing.T) {
	trees, err := Trees()
	if err != nil {
		t.Fatal(err)
	}
	for _, tree := range trees {
		seen := map[string]string{}
		var srcs []string
		for _, p := range tree.Paths() {
			if strings.HasSuffix(p, ".c") {
				srcs = append(srcs, p)
			}
		}
		sort.Strings(srcs)
		for _, p := range srcs {
			b := filepath.Base(p)
			if q, ok := seen[b]; ok {
				t.Fatalf("%s and %s share a basename", p, q)
			}
			seen[b] = p
		}
	}
}
