// Package freertos is upsynth's port of FreeRTOS-Kernel
// (github.com/FreeRTOS/FreeRTOS-Kernel) to the emulated target, written
// here and laid over a clone of the kernel without touching its files: the
// port layer (port/portmacro.h, port/port.c, port/FreeRTOSConfig.h, with
// configASSERT a machine fault), the kernel's own heap_4, and an
// application of its own (app/app.c) whose tasks exercise the kernel's
// services and keep error and progress counters for kernel_selfcheck.
// app/run.wl drives it for a number of ticks.
//
// The port runs tasks on the machine's execution contexts and takes the
// tick and a software interrupt standing for ARM's PendSV
// (runtime/emu/ABI.md, "Contexts and interrupts"); pvPortMalloc is the
// typed heap's allocator, so the kernel's TCB_t, Queue_t and the rest are
// typed by their allocation sites.
package freertos

import (
	"embed"
	"errors"
	"io/fs"
	"path"
	"strings"

	"github.com/upsynth/upsynth/runtime/emu"
)

//go:embed port app
var files embed.FS

// Dir is where the port and the application appear in the tree Tree
// returns.
const Dir = "upsynth"

// KernelSources are the kernel's C files a build compiles (relative to
// the kernel tree).
var KernelSources = []string{"tasks.c", "list.c", "queue.c", "timers.c", "event_groups.c", "stream_buffer.c", "portable/MemMang/heap_4.c"}

// Sources are every C file of a build: the kernel's, the port's and the
// application's.
func Sources() []string {
	return append(append([]string(nil), KernelSources...), Dir+"/port/port.c", Dir+"/app/app.c")
}

// LoadOptions are the options a build loads with.
func LoadOptions() emu.LoadOptions {
	return emu.LoadOptions{
		IncludePaths: []string{"include", Dir + "/port"},
		Allocators:   []emu.Allocator{{Alloc: "pvPortMalloc", Free: "vPortFree"}},
	}
}

// Tree lays the port and the application (under Dir) over a kernel tree.
func Tree(kernel fs.FS) fs.FS { return overlay{kernel} }

// Load builds FreeRTOS from a kernel tree with the port and the
// application.
func Load(kernel fs.FS) (*emu.Image, error) {
	return emu.Load(Tree(kernel), Sources(), LoadOptions())
}

// Workload is the application's workload (app/run.wl).
func Workload() (*emu.Workload, error) {
	src, err := files.ReadFile("app/run.wl")
	if err != nil {
		return nil, err
	}
	return emu.ParseWorkload(Dir+"/app/run.wl", src)
}

type overlay struct{ kernel fs.FS }

func (o overlay) Open(name string) (fs.File, error) {
	name = path.Clean(name)
	if rest, ok := strings.CutPrefix(name, Dir+"/"); ok {
		return files.Open(rest)
	}
	if name == Dir {
		return nil, &fs.PathError{Op: "open", Path: name, Err: errors.New("is a directory")}
	}
	return o.kernel.Open(name)
}
