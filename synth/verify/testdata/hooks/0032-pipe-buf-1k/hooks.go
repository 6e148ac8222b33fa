// hooks.go is generated once by upsynth and never overwritten: write here what no
// tool can infer. Each hook is compiled and called; the generated default is
// in place.

package update

import (
	"fmt"
	"strings"

	"github.com/upsynth/upsynth/runtime"
)

// PIPE_BUF goes from 512 to 1024 bytes. Every pipe the running kernel made
// has a 512-byte ring buffer, and the new Pipe_read/Pipe_write index it
// modulo 1024: each live pipe gets a 1024-byte buffer holding its queued
// bytes from offset 0 (rpos = 0), the old buffer is freed.
const (
	oldPipeBuf = 512
	newPipeBuf = 1024
)

// struct Pipe (ipc/pipe.c), unchanged by the update: hdr, lock, buf, rpos,
// count, readers, writers.
const (
	pipeSize    = 72
	pipeBufOff  = 40
	pipeRposOff = 48
	pipeCntOff  = 56
)

// before runs once the new code is loaded, before any of it is visible. An
// error rolls the update back; a before that fails undoes what it did itself.
//
// It runs at the safe point where no CPU is inside Pipe_create, Pipe_read
// or Pipe_write (the functions the update replaces), the only code that
// indexes a pipe's buffer, and atomically with the code swap: from the next
// call on, every pipe is read and written by the new code with its new
// buffer.
func before(env *runtime.Env) error {
	f := env.OTT().Factory("Pipe")
	if f == nil {
		return fmt.Errorf("the running kernel has no Pipe type")
	}
	type moved struct{ state, buf, old, rpos uint64 }
	var done []moved
	undo := func() {
		for _, m := range done {
			_ = env.WriteUint(m.state+pipeBufOff, 8, m.old)
			_ = env.WriteUint(m.state+pipeRposOff, 8, m.rpos)
			_ = env.Free(m.buf)
		}
	}
	for _, r := range f.Instances() {
		e, ok := env.OTT().Get(r)
		if !ok {
			continue
		}
		if e.Size != pipeSize {
			undo()
			return fmt.Errorf("pipe %d: state of %d bytes, this hook was written for %d", r, e.Size, pipeSize)
		}
		buf, err := env.ReadUint(e.State+pipeBufOff, 8)
		if err != nil {
			undo()
			return err
		}
		rpos, err := env.ReadUint(e.State+pipeRposOff, 8)
		if err != nil {
			undo()
			return err
		}
		count, err := env.ReadUint(e.State+pipeCntOff, 8)
		if err != nil {
			undo()
			return err
		}
		if buf == 0 || rpos >= oldPipeBuf || count > oldPipeBuf {
			undo()
			return fmt.Errorf("pipe %d: buf %#x, rpos %d, count %d: not a pipe of PIPE_BUF %d", r, buf, rpos, count, oldPipeBuf)
		}
		ring, err := env.Read(buf, oldPipeBuf)
		if err != nil {
			undo()
			return err
		}
		nb := env.Alloc(newPipeBuf)
		if nb == 0 {
			undo()
			return fmt.Errorf("no memory for a %d-byte pipe buffer", newPipeBuf)
		}
		// The queued bytes, unwrapped, at the start of the new ring.
		queued := append(append([]byte(nil), ring[rpos:]...), ring[:rpos]...)[:count]
		if err := env.Write(nb, queued); err != nil {
			_ = env.Free(nb)
			undo()
			return err
		}
		if err := env.WriteUint(e.State+pipeBufOff, 8, nb); err != nil {
			_ = env.Free(nb)
			undo()
			return err
		}
		_ = env.WriteUint(e.State+pipeRposOff, 8, 0)
		done = append(done, moved{e.State, nb, buf, rpos})
	}
	// Nothing can fail past this point: the old buffers go.
	for _, m := range done {
		if err := env.Free(m.old); err != nil {
			return err
		}
	}
	return nil
}

// undoBefore reverses what before did when the update rolls back after before
// returned nil (a transfer or hook failed, or quiescence timed out): it runs
// once, after every instance went back to the old layout, before the old code
// is restored. An error is reported; the rollback goes on.
//
// Every live pipe has a 1024-byte buffer now (moved by before or made by
// the new Pipe_create), which the new code may have filled past 512 bytes
// or wrapped at 1024. The old code indexes the first 512 bytes modulo 512:
// each pipe's queued bytes move to the start of its buffer (rpos = 0). The
// buffer is kept (kfree needs no size, and a bigger buffer harms no one).
// A pipe holding more than 512 bytes cannot go back without losing data:
// it is left as it is and reported.
func undoBefore(env *runtime.Env) error {
	f := env.OTT().Factory("Pipe")
	if f == nil {
		return fmt.Errorf("the running kernel has no Pipe type")
	}
	var full []string
	for _, r := range f.Instances() {
		e, ok := env.OTT().Get(r)
		if !ok {
			continue
		}
		if e.Size != pipeSize {
			return fmt.Errorf("pipe %d: state of %d bytes, this hook was written for %d", r, e.Size, pipeSize)
		}
		buf, err := env.ReadUint(e.State+pipeBufOff, 8)
		if err != nil {
			return err
		}
		rpos, err := env.ReadUint(e.State+pipeRposOff, 8)
		if err != nil {
			return err
		}
		count, err := env.ReadUint(e.State+pipeCntOff, 8)
		if err != nil {
			return err
		}
		if buf == 0 || rpos >= newPipeBuf || count > newPipeBuf {
			return fmt.Errorf("pipe %d: buf %#x, rpos %d, count %d: not a pipe of PIPE_BUF %d", r, buf, rpos, count, newPipeBuf)
		}
		if count > oldPipeBuf {
			full = append(full, fmt.Sprintf("pipe %d holds %d bytes", r, count))
			continue
		}
		ring, err := env.Read(buf, newPipeBuf)
		if err != nil {
			return err
		}
		queued := append(append([]byte(nil), ring[rpos:]...), ring[:rpos]...)[:count]
		if err := env.Write(buf, queued); err != nil {
			return err
		}
		if err := env.WriteUint(e.State+pipeRposOff, 8, 0); err != nil {
			return err
		}
	}
	if len(full) > 0 {
		return fmt.Errorf("more than the old PIPE_BUF %d queued, left as is: %s", oldPipeBuf, strings.Join(full, ", "))
	}
	return nil
}

// after runs when everything is switched, before held calls are released.
func after(env *runtime.Env) error {
	return nil
}
