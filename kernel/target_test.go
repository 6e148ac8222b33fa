package kernel_test

import (
	"io/fs"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/upsynth/upsynth/kernel"
)

// A kernel for real hardware: its own C, a port for another CPU and a
// driver with inline assembly.
var hardwareTree = fstest.MapFS{
	"sched.c":                  {Data: []byte("#include \"sched.h\"\nint ticks;\n")},
	"include/sched.h":          {Data: []byte("extern int ticks;\n")},
	"portable/arm/port.c":      {Data: []byte("void port(void) {}\n")},
	"portable/arm/portmacro.h": {Data: []byte("#define ARM 1\n")},
	"portable/heap/heap_2.c":   {Data: []byte("void *alloc2(unsigned long n) { return 0; }\n")},
	"drivers/uart.c":           {Data: []byte("void uart(void) { __asm__ volatile(\"nop\"); }\n")},
	"docs/readme.md":           {Data: []byte("# a kernel\n")},
}

var port = fstest.MapFS{
	"upsynth.yaml": {Data: []byte(`modules: [sched.c, portable/heap/heap_2.c, upsynth/port.c]
include: [include, upsynth]
workloads: ["upsynth/*.wl"]
allocators: [{alloc: alloc2, free: free2}]
`)},
	"port.c":      {Data: []byte("void kernel_boot(void) {}\n")},
	"port.h":      {Data: []byte("#define PORT 1\n")},
	"run.wl":      {Data: []byte("check\n")},
	"notes/x.txt": {Data: []byte("not a workload\n")},
}

// TestTargetOverlay: a port lays its files under upsynth/ and its
// settings replace the kernel's; the module list, the workloads and the
// files a package carries follow from them.
func TestTargetOverlay(t *testing.T) {
	tg, err := kernel.LoadTarget("./port", port)
	if err != nil {
		t.Fatal(err)
	}
	tree := kernel.TreeOf(hardwareTree, "hw", kernel.Config{}).On(tg)
	if tree.Label != "hw on ./port" || tree.Target != tg {
		t.Errorf("label %q, target %v", tree.Label, tree.Target)
	}
	b, err := fs.ReadFile(tree.FS, "upsynth/port.c")
	if err != nil || !strings.Contains(string(b), "kernel_boot") {
		t.Fatalf("upsynth/port.c: %q, %v", b, err)
	}
	entries, err := fs.ReadDir(tree.FS, ".")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if want := []string{"docs", "drivers", "include", "portable", "sched.c", "upsynth", "upsynth.yaml"}; !slices.Equal(names, want) {
		t.Errorf("root lists %v, want %v", names, want)
	}
	mods, err := tree.Modules()
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"portable/heap/heap_2.c", "sched.c", "upsynth/port.c"}; !slices.Equal(mods, want) {
		t.Errorf("modules %v, want %v", mods, want)
	}
	ws, err := tree.Workloads()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(ws, []string{"upsynth/run.wl"}) {
		t.Errorf("workloads %v", ws)
	}
	img, err := tree.ImageFiles()
	if err != nil {
		t.Fatal(err)
	}
	// Not the other port, the driver or the documentation.
	if want := []string{"include/sched.h", "portable/heap/heap_2.c", "sched.c", "upsynth/port.c", "upsynth/port.h", "upsynth/run.wl"}; !slices.Equal(img, want) {
		t.Errorf("image files %v, want %v", img, want)
	}
	build := tree.Build()
	if build.Target != "./port" || len(build.Allocators) != 1 || build.Allocators[0].Alloc != "alloc2" || build.Allocators[0].Free != "free2" {
		t.Errorf("build %+v", build)
	}
	// Without a port: every C file without inline assembly, every image
	// file.
	plain := kernel.TreeOf(hardwareTree, "hw", kernel.Config{})
	mods, _ = plain.Modules()
	if want := []string{"portable/arm/port.c", "portable/heap/heap_2.c", "sched.c"}; !slices.Equal(mods, want) {
		t.Errorf("modules without a port %v, want %v", mods, want)
	}
	img, _ = plain.ImageFiles()
	if len(img) != 6 {
		t.Errorf("image files without a port %v, want every C file and header", img)
	}
}

// TestTargetErrors: a port without settings, or with settings that do not
// hold, is refused naming it.
func TestTargetErrors(t *testing.T) {
	for _, c := range []struct {
		files fstest.MapFS
		want  string
	}{
		{fstest.MapFS{"port.c": {}}, "target p: no upsynth.yaml"},
		{fstest.MapFS{"upsynth.yaml": {Data: []byte("allocators: [{alloc: a}]\n")}}, "upsynth.yaml of target p: allocators entry 1: both alloc and free name a function"},
		{fstest.MapFS{"upsynth.yaml": {Data: []byte("modules: [\"[\"]\n")}}, `bad glob "["`},
		{fstest.MapFS{"upsynth.yaml": {Data: []byte("modulez: [a.c]\n")}}, `unknown key "modulez"`},
	} {
		_, err := kernel.LoadTarget("p", c.files)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: error %v, want %q", c.files, err, c.want)
		}
	}
}
