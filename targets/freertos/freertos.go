// Package freertos is upsynth's port of FreeRTOS-Kernel
// (github.com/FreeRTOS/FreeRTOS-Kernel) to the emulated target, written
// here and laid over a clone of the kernel without touching its files: the
// port layer (port/portmacro.h, port/port.c, port/FreeRTOSConfig.h, with
// configASSERT a machine fault), the kernel's own heap_4, and an
// application of its own (app/app.c) whose tasks exercise the kernel's
// services and keep error and progress counters for kernel_selfcheck.
// app/run.wl drives it for a number of ticks; upsynth.yaml says how the
// kernel builds with the port (its modules, include paths, workloads and
// the heap's allocator).
//
// The port runs tasks on the machine's execution contexts and takes the
// tick and a software interrupt standing for ARM's PendSV
// (runtime/emu/ABI.md, "Contexts and interrupts"); pvPortMalloc is the
// typed heap's allocator, so the kernel's TCB_t, Queue_t and the rest are
// typed by their allocation sites.
package freertos

import (
	"embed"
	"io/fs"

	"github.com/upsynth/upsynth/kernel"
	"github.com/upsynth/upsynth/runtime/emu"
	"github.com/upsynth/upsynth/runtime/emu/verify"
)

//go:embed upsynth.yaml port app
var files embed.FS

// Name is the port's name: `--target freertos`.
const Name = "freertos"

// Files are the port's files, upsynth.yaml at their root.
func Files() fs.FS { return files }

// Target is the port, ready to lay over a kernel tree.
func Target() (*kernel.Target, error) { return kernel.LoadTarget(Name, files) }

// Load builds FreeRTOS from a kernel tree with the port and the
// application.
func Load(kernelTree fs.FS) (*emu.Image, error) {
	tg, err := Target()
	if err != nil {
		return nil, err
	}
	t := kernel.TreeOf(kernelTree, "FreeRTOS-Kernel", kernel.Config{}).On(tg)
	mods, err := t.Modules()
	if err != nil {
		return nil, err
	}
	return emu.Load(t.FS, mods, verify.LoadOptions(t.Build()))
}

// Workload is the application's workload (app/run.wl).
func Workload() (*emu.Workload, error) {
	src, err := files.ReadFile("app/run.wl")
	if err != nil {
		return nil, err
	}
	return emu.ParseWorkload(kernel.TargetDir+"/app/run.wl", src)
}
