// hooks.go is generated once by upsynth and never overwritten: write here what no
// tool can infer. Each hook is compiled and called; the generated default is
// in place.

package update

import (
	"fmt"

	"github.com/upsynth/upsynth/runtime"
)

// NFRAMES goes from 256 to 512. The running kernel's frame allocator was
// sized by mm_init at boot, which never runs again: its pool and bitmap
// hold 256 frames, and the new code (Process_mmap accepts up to NFRAMES
// pages) expects 512. Owners hold frame numbers, never addresses (mm/frame.c
// says so: the pool can be moved or grown), so the pool is grown by moving
// it: a new pool and bitmap of 512 frames, the 256 frames and their bits
// copied, the new frames free.
const (
	oldFrames = 256
	newFrames = 512
	pageSize  = 256 // PAGE_SIZE
)

// struct FrameAllocator (mm/frame.c), unchanged by the update: hdr, lock,
// nframes, nfree, bitmap, hint, pool.
const (
	faSize       = 80
	faLockOff    = 24 // lock_t: owner (cpu id + 1, 0 when free), depth
	faNframesOff = 40
	faNfreeOff   = 48
	faBitmapOff  = 56
	faPoolOff    = 72
)

func bitmapBytes(frames uint64) uint64 { return (frames + 63) / 64 * 8 }

// before runs once the new code is loaded, before any of it is visible. An
// error rolls the update back.
//
// It runs as one task: no CPU runs while the pool moves. The bitmap is
// only touched under the allocator's lock: when a CPU holds it (preempted
// inside FrameAllocator_alloc or _free) the hook refuses, and the update is
// rolled back (apply it again). The old pool
// is not freed: a CPU may hold a frame address FrameAllocator_addr returned
// before the move (Region_read and _write copy through it after the call);
// freeing it would turn that copy into a use of freed memory. 64 KiB are
// left behind once.
func before(env *runtime.Env) error {
	addr, ok := env.Global("frames")
	if !ok {
		return fmt.Errorf("the running kernel has no global frames")
	}
	ref, err := env.ReadUint(addr, 8)
	if err != nil {
		return err
	}
	e, ok := env.OTT().Get(runtime.Ref(ref))
	if !ok || e.Type != "FrameAllocator" {
		return fmt.Errorf("frames (%d) is not a live FrameAllocator", ref)
	}
	if e.Size != faSize {
		return fmt.Errorf("FrameAllocator state of %d bytes, this hook was written for %d", e.Size, faSize)
	}
	fa := e.State
	owner, err := env.ReadUint(fa+faLockOff, 8)
	if err != nil {
		return err
	}
	if owner != 0 {
		return fmt.Errorf("CPU %d holds the frame allocator's lock: its bitmap cannot move now", owner-1)
	}
	nframes, err := env.ReadUint(fa+faNframesOff, 8)
	if err != nil {
		return err
	}
	switch nframes {
	case newFrames:
		return nil // already grown (the update is applied again)
	case oldFrames:
	default:
		return fmt.Errorf("the frame allocator has %d frames, neither the old NFRAMES %d nor the new %d", nframes, oldFrames, newFrames)
	}
	nfree, err := env.ReadUint(fa+faNfreeOff, 8)
	if err != nil {
		return err
	}
	oldBitmap, err := env.ReadUint(fa+faBitmapOff, 8)
	if err != nil {
		return err
	}
	oldPool, err := env.ReadUint(fa+faPoolOff, 8)
	if err != nil {
		return err
	}
	bits, err := env.Read(oldBitmap, bitmapBytes(oldFrames))
	if err != nil {
		return err
	}
	frames, err := env.Read(oldPool, oldFrames*pageSize)
	if err != nil {
		return err
	}
	bitmap := env.Alloc(bitmapBytes(newFrames))
	if bitmap == 0 {
		return fmt.Errorf("no memory for a bitmap of %d frames", newFrames)
	}
	pool := env.Alloc(newFrames * pageSize)
	if pool == 0 {
		_ = env.Free(bitmap)
		return fmt.Errorf("no memory for a pool of %d frames", newFrames)
	}
	// Memory is zeroed: the new frames are free and clear.
	if err := env.Write(bitmap, bits); err != nil {
		return err
	}
	// Only allocated frames are copied: a free frame may hold what its last
	// owner left, and FA_ZERO callers expect it cleared when it is handed out.
	for fn := uint64(0); fn < oldFrames; fn++ {
		if bits[fn/8]>>(fn%8)&1 == 0 {
			continue
		}
		if err := env.Write(pool+fn*pageSize, frames[fn*pageSize:(fn+1)*pageSize]); err != nil {
			return err
		}
	}
	for _, w := range []struct{ off, v uint64 }{
		{faBitmapOff, bitmap},
		{faPoolOff, pool},
		{faNfreeOff, nfree + newFrames - oldFrames},
		{faNframesOff, newFrames},
	} {
		if err := env.WriteUint(fa+w.off, 8, w.v); err != nil {
			return err
		}
	}
	return env.Free(oldBitmap)
}

// after runs when everything is switched, before held calls are released.
func after(env *runtime.Env) error {
	return nil
}
