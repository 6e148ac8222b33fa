// This file holds the module list: which C files of a tree make up the
// kernel image on the emulated target.

package kernel

import (
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strings"
)

var asmRE = regexp.MustCompile(`\b(__asm__|__asm|asm)\s*(volatile|__volatile__)?\s*(goto\s*)?\(`)

// hostedRE finds includes of a hosted C library: such a file is a host tool
// built next to the kernel (mkfs), not part of the kernel image.
var hostedRE = regexp.MustCompile(`(?m)^\s*#\s*include\s*<(stdio|stdlib|unistd|fcntl|assert|errno|sys/[a-z]+)\.h>`)

// Modules lists the C modules of the tree that make up the kernel image on
// the emulated target, in path order. upsynth.yaml's modules globs name
// them when it gives some (a port's build, which picks its files);
// otherwise they are every .c file that upsynth.yaml does not exclude and
// that is not test code, without inline assembly (the hardware port, which
// only real CPUs run) and not including a hosted C library's header the
// tree does not provide (a host tool such as mkfs).
func (t *Tree) Modules() ([]string, error) {
	var out []string
	err := t.Walk(func(p string) error {
		if path.Ext(p) != ".c" || t.Config.Excluded(p) || t.Config.IsTest(p) {
			return nil
		}
		if len(t.Config.Modules) > 0 {
			if MatchAny(t.Config.Modules, p) {
				out = append(out, p)
			}
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

// Workloads lists the tree's workloads for the emulated target
// (upsynth.yaml's workloads globs; runtime/emu/WORKLOAD.md), in path
// order.
func (t *Tree) Workloads() ([]string, error) {
	var ws []string
	err := t.Walk(func(p string) error {
		if path.Ext(p) == ".wl" && MatchAny(t.Config.Workloads, p) {
			ws = append(ws, p)
		}
		return nil
	})
	return ws, err
}

// Load names the workload a running kernel runs while an update is
// applied: workloads/mixed.wl's kind (a file named mixed.wl) when the tree
// has one, else the first workload; "" when it has none.
func (t *Tree) Load() (string, error) {
	ws, err := t.Workloads()
	if err != nil || len(ws) == 0 {
		return "", err
	}
	for _, w := range ws {
		if path.Base(w) == "mixed.wl" {
			return w, nil
		}
	}
	return ws[0], nil
}

// ImageFiles lists, in path order, the files the kernel image on the
// emulated target is built from: what a package carries to boot the old
// kernel. Without upsynth.yaml's modules that is every C, header and
// assembly file of the tree (IsImageFile) and the workloads; with them,
// the modules, the headers of the include paths and of the modules'
// directories, and the workloads, so a port that builds a few files of a
// large tree does not carry the rest.
func (t *Tree) ImageFiles() ([]string, error) {
	ws, err := t.Workloads()
	if err != nil {
		return nil, err
	}
	workload := map[string]bool{}
	for _, w := range ws {
		workload[w] = true
	}
	var dirs map[string]bool
	var modules map[string]bool
	if len(t.Config.Modules) > 0 {
		mods, err := t.Modules()
		if err != nil {
			return nil, err
		}
		dirs, modules = map[string]bool{}, map[string]bool{}
		for _, m := range mods {
			modules[m] = true
			dirs[path.Dir(m)] = true
		}
	}
	var out []string
	err = t.Walk(func(p string) error {
		switch {
		case workload[p]:
		case !IsImageFile(p):
			return nil
		case modules == nil || modules[p]:
		case KindOf(p) == KindModule || KindOf(p) == KindAsm:
			return nil
		case !dirs[path.Dir(p)] && !t.underInclude(p):
			return nil
		}
		out = append(out, p)
		return nil
	})
	return out, err
}

// underInclude reports whether p lies under one of the include paths.
func (t *Tree) underInclude(p string) bool {
	for _, dir := range t.Config.Include {
		dir = path.Clean(dir)
		if dir == "." || strings.HasPrefix(p, dir+"/") {
			return true
		}
	}
	return false
}
