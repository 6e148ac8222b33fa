// This file holds the module list: which C files of a tree make up the
// kernel image on the emulated target.

package kernel

import (
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strings"

	"github.com/bmatcuk/doublestar/v4"
)

var asmRE = regexp.MustCompile(`\b(__asm__|__asm|asm)\s*(volatile|__volatile__)?\s*(goto\s*)?\(`)

// hostedRE finds includes of a hosted C library: such a file is a host tool
// built next to the kernel (mkfs), not part of the kernel image.
var hostedRE = regexp.MustCompile(`(?m)^\s*#\s*include\s*<(stdio|stdlib|unistd|fcntl|assert|errno|sys/[a-z]+)\.h>`)

// Modules lists the C modules of the tree that make up the kernel image on
// the emulated target, in path order: every .c file that upsynth.yaml does
// not exclude and that is not test code, without inline assembly (the
// hardware port, which only real CPUs run) and not including a hosted C
// library's header the tree does not provide (a host tool such as mkfs).
func (t *Tree) Modules() ([]string, error) {
	var out []string
	err := t.Walk(func(p string) error {
		if path.Ext(p) != ".c" || t.Config.Excluded(p) || t.Config.IsTest(p) {
			return nil
		}
		b, err := fs.ReadFile(t.FS, p)
		if err != nil {
			return err
		}
		if !asmRE.Match(b) && !t.hostTool(p, b) {
			out = append(out, p)
		}
		return nil
	})
	sort.Strings(out)
	return out, err
}

// Walk calls visit with the path of every file of the tree in path order,
// skipping hidden directories (.git and the like).
func (t *Tree) Walk(visit func(p string) error) error {
	return fs.WalkDir(t.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != "." && strings.HasPrefix(d.Name(), ".") {
				return fs.SkipDir
			}
			return nil
		}
		return visit(p)
	})
}

// hostTool reports whether a C file includes a hosted C library header
// that the tree itself does not provide (in an include path or next to the
// file).
func (t *Tree) hostTool(file string, src []byte) bool {
	for _, m := range hostedRE.FindAllSubmatch(src, -1) {
		h := string(m[1]) + ".h"
		found := false
		for _, dir := range append([]string{path.Dir(file)}, t.Config.Include...) {
			if _, err := fs.Stat(t.FS, path.Join(dir, h)); err == nil {
				found = true
				break
			}
		}
		if !found {
			return true
		}
	}
	return false
}

// WorkloadGlob is where a kernel written for the emulated target keeps its
// workloads (runtime/emu/WORKLOAD.md).
const WorkloadGlob = "workloads/*.wl"

// Workloads lists the tree's workloads for the emulated target, in path
// order.
func (t *Tree) Workloads() ([]string, error) {
	ws, err := doublestar.Glob(t.FS, WorkloadGlob)
	sort.Strings(ws)
	return ws, err
}
