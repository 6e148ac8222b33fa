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
	faHintOff    = 64
	faPoolOff    = 72
)

func bitmapBytes(frames uint64) uint64 { return (frames + 63) / 64 * 8 }

// before runs once the new code is loaded, before any of it is visible. An
// error rolls the update back; a before that fails undoes what it did itself.
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
	grown = 0
	fa, err := unlockedAllocator(env)
	if err != nil {
		return err
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
		_ = env.Free(bitmap)
		_ = env.Free(pool)
		return err
	}
	// Only allocated frames are copied: a free frame may hold what its last
	// owner left, and FA_ZERO callers expect it cleared when it is handed out.
	for fn := uint64(0); fn < oldFrames; fn++ {
		if bits[fn/8]>>(fn%8)&1 == 0 {
			continue
		}
		if err := env.Write(pool+fn*pageSize, frames[fn*pageSize:(fn+1)*pageSize]); err != nil {
			_ = env.Free(bitmap)
			_ = env.Free(pool)
			return err
		}
	}
	// Nothing fails past this point (the allocator's memory is known good).
	for _, w := range []struct{ off, v uint64 }{
		{faBitmapOff, bitmap},
		{faPoolOff, pool},
		{faNfreeOff, nfree + newFrames - oldFrames},
		{faNframesOff, newFrames},
	} {
		_ = env.WriteUint(fa+w.off, 8, w.v)
	}
	grown = oldPool
	_ = env.Free(oldBitmap)
	return nil
}

// grown is the old pool when before grew the allocator (0 when it did
// not): it is never freed, and a rollback moves the frames back into it.
var grown uint64

// unlockedAllocator returns the state of the running frame allocator,
// refusing when a CPU holds its lock (preempted inside
// FrameAllocator_alloc or _free, in the middle of the bitmap).
func unlockedAllocator(env *runtime.Env) (uint64, error) {
	addr, ok := env.Global("frames")
	if !ok {
		return 0, fmt.Errorf("the running kernel has no global frames")
	}
	ref, err := env.ReadUint(addr, 8)
	if err != nil {
		return 0, err
	}
	e, ok := env.OTT().Get(runtime.Ref(ref))
	if !ok || e.Type != "FrameAllocator" {
		return 0, fmt.Errorf("frames (%d) is not a live FrameAllocator", ref)
	}
	if e.Size != faSize {
		return 0, fmt.Errorf("FrameAllocator state of %d bytes, this hook was written for %d", e.Size, faSize)
	}
	owner, err := env.ReadUint(e.State+faLockOff, 8)
	if err != nil {
		return 0, err
	}
	if owner != 0 {
		return 0, fmt.Errorf("CPU %d holds the frame allocator's lock: its bitmap cannot move now", owner-1)
	}
	return e.State, nil
}

// undoBefore reverses what before did when the update rolls back after before
// returned nil (a transfer or hook failed, or quiescence timed out): it runs
// once, after every instance went back to the old layout, before the old code
// is restored. An error is reported; the rollback goes on.
//
// The allocator goes back to the 256 frames of the old revision, in the
// pool before kept: the frames in use are copied back, the 512-frame
// bitmap gives way to a 256-frame one. That is possible only while every
// frame in use is below 256; when the new code handed out a frame above,
// or a CPU holds the allocator's lock, the allocator keeps its 512 frames
// (the old code reads nframes, not NFRAMES: it runs on with a bigger pool,
// and Process_mmap keeps its limit of NFRAMES pages) and this is reported.
// The 512-frame pool is not freed, for the reason before keeps the old one.
func undoBefore(env *runtime.Env) error {
	oldPool := grown
	grown = 0
	if oldPool == 0 {
		return nil // before found the allocator grown already
	}
	fa, err := unlockedAllocator(env)
	if err != nil {
		return fmt.Errorf("the frame allocator keeps %d frames: %w", newFrames, err)
	}
	var st [5]uint64
	for i, off := range []uint64{faNframesOff, faNfreeOff, faBitmapOff, faPoolOff, faHintOff} {
		if st[i], err = env.ReadUint(fa+off, 8); err != nil {
			return err
		}
	}
	nframes, nfree, bitmap, pool, hint := st[0], st[1], st[2], st[3], st[4]
	if nframes != newFrames {
		return fmt.Errorf("the frame allocator has %d frames, not the %d before gave it", nframes, newFrames)
	}
	bits, err := env.Read(bitmap, bitmapBytes(newFrames))
	if err != nil {
		return err
	}
	for fn := uint64(oldFrames); fn < newFrames; fn++ {
		if bits[fn/8]>>(fn%8)&1 != 0 {
			return fmt.Errorf("frame %d is in use: the frame allocator keeps %d frames", fn, newFrames)
		}
	}
	small := env.Alloc(bitmapBytes(oldFrames))
	if small == 0 {
		return fmt.Errorf("no memory for a bitmap of %d frames: the frame allocator keeps %d", oldFrames, newFrames)
	}
	if err := env.Write(small, bits[:bitmapBytes(oldFrames)]); err != nil {
		_ = env.Free(small)
		return err
	}
	frames, err := env.Read(pool, oldFrames*pageSize)
	if err != nil {
		_ = env.Free(small)
		return err
	}
	for fn := uint64(0); fn < oldFrames; fn++ {
		if bits[fn/8]>>(fn%8)&1 == 0 {
			continue
		}
		if err := env.Write(oldPool+fn*pageSize, frames[fn*pageSize:(fn+1)*pageSize]); err != nil {
			_ = env.Free(small)
			return err
		}
	}
	for _, w := range []struct{ off, v uint64 }{
		{faBitmapOff, small},
		{faPoolOff, oldPool},
		{faNfreeOff, nfree - (newFrames - oldFrames)},
		{faHintOff, hint % (bitmapBytes(oldFrames) / 8)},
		{faNframesOff, oldFrames},
	} {
		_ = env.WriteUint(fa+w.off, 8, w.v)
	}
	return env.Free(bitmap)
}

// after runs when everything is switched, before held calls are released.
func after(env *runtime.Env) error {
	return nil
}
