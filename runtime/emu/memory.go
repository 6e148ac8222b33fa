package emu

import (
	"encoding/binary"
	"fmt"
	"math"
)

// Memory layout of every machine: a guard region that catches null-pointer
// accesses (including member accesses through a null pointer), the data
// segment of the image (globals, static locals, string literals), one stack
// per CPU, and the heap, which grows on demand up to the memory limit.
const (
	guardSize = 0x10000
	dataStart = guardSize
	// funcBase is where function addresses live: far above any memory, so a
	// function pointer is never a valid data address and vice versa.
	funcBase   = uint64(1) << 44
	funcStride = 16
	// heapAlign is the alignment of every heap block.
	heapAlign = 16
)

// quarantineBlocks is how many freed blocks wait before they are reused.
const quarantineBlocks = 64

// blockOverhead is what the host spends to keep track of one heap block
// (its entries in the heap's maps), counted against MemoryLimit with the
// block itself: a program allocating a byte at a time reaches the
// machine's ceiling (malloc returns NULL) before the host's bookkeeping
// outgrows the emulated memory.
const blockOverhead = 64

func alignUp(v, a uint64) uint64 { return (v + a - 1) &^ (a - 1) }

// fault stops the current emulated CPU with a fault; it unwinds through the
// compiled code to the machine boundary.
func (f *frame) fault(kind, format string, args ...any) {
	panic(f.m.newFault(f.cpu, kind, fmt.Sprintf(format, args...)))
}

func (m *Machine) memFault(a uint64, n int, what string) {
	desc := ""
	switch {
	case a < guardSize:
		desc = " (null pointer)"
	case a >= funcBase:
		desc = " (function address)"
	case a >= m.heapStart && a < uint64(len(m.mem)):
		desc = " (heap)"
	default:
		desc = " (outside memory)"
	}
	panic(m.newFault(m.cur, "memory", fmt.Sprintf("%s of %d bytes at %#x%s", what, n, a, desc)))
}

// The accessors below are the only way compiled code touches memory: each
// checks the whole access against the guard region and the memory size.

func (m *Machine) ld8(a uint64) uint8 {
	if a-guardSize >= uint64(len(m.mem))-guardSize {
		m.memFault(a, 1, "load")
	}
	return m.mem[a]
}

func (m *Machine) ld16(a uint64) uint16 {
	if a-guardSize > uint64(len(m.mem))-guardSize-2 {
		m.memFault(a, 2, "load")
	}
	return binary.LittleEndian.Uint16(m.mem[a:])
}

func (m *Machine) ld32(a uint64) uint32 {
	if a-guardSize > uint64(len(m.mem))-guardSize-4 {
		m.memFault(a, 4, "load")
	}
	return binary.LittleEndian.Uint32(m.mem[a:])
}

func (m *Machine) ld64(a uint64) uint64 {
	if a-guardSize > uint64(len(m.mem))-guardSize-8 {
		m.memFault(a, 8, "load")
	}
	return binary.LittleEndian.Uint64(m.mem[a:])
}

func (m *Machine) st8(a uint64, v uint8) {
	if a-guardSize >= uint64(len(m.mem))-guardSize {
		m.memFault(a, 1, "store")
	}
	m.mem[a] = v
}

func (m *Machine) st16(a uint64, v uint16) {
	if a-guardSize > uint64(len(m.mem))-guardSize-2 {
		m.memFault(a, 2, "store")
	}
	binary.LittleEndian.PutUint16(m.mem[a:], v)
}

func (m *Machine) st32(a uint64, v uint32) {
	if a-guardSize > uint64(len(m.mem))-guardSize-4 {
		m.memFault(a, 4, "store")
	}
	binary.LittleEndian.PutUint32(m.mem[a:], v)
}

func (m *Machine) st64(a uint64, v uint64) {
	if a-guardSize > uint64(len(m.mem))-guardSize-8 {
		m.memFault(a, 8, "store")
	}
	binary.LittleEndian.PutUint64(m.mem[a:], v)
}

// span returns the n bytes at a, faulting when any of them is outside memory.
func (m *Machine) span(a, n uint64, what string) []byte {
	if n == 0 {
		return nil
	}
	if a < guardSize || a > uint64(len(m.mem)) || n > uint64(len(m.mem))-a {
		m.memFault(a, int(min(n, math.MaxInt32)), what)
	}
	return m.mem[a : a+n : a+n]
}

// move copies n bytes from src to dst with memmove semantics.
func (m *Machine) move(dst, src, n uint64) {
	if n == 0 {
		return
	}
	d := m.span(dst, n, "store")
	s := m.span(src, n, "load")
	copy(d, s)
}

// cstring reads a NUL-terminated string at a, at most max bytes when max >= 0.
func (m *Machine) cstring(a uint64, max int) ([]byte, error) {
	if a < guardSize || a >= uint64(len(m.mem)) {
		return nil, fmt.Errorf("string at %#x is outside memory", a)
	}
	end := uint64(len(m.mem))
	if max >= 0 && a+uint64(max) < end {
		end = a + uint64(max)
	}
	for i := a; i < end; i++ {
		if m.mem[i] == 0 {
			return m.mem[a:i:i], nil
		}
	}
	if max >= 0 && end == a+uint64(max) {
		return m.mem[a:end:end], nil
	}
	return nil, fmt.Errorf("string at %#x is not terminated inside memory", a)
}

// heap is a deterministic allocator over the top of machine memory: exact
// size free lists (sizes rounded to heapAlign) and a bump pointer. It knows
// every live block, so invalid and double frees are caught, and it poisons
// freed blocks so a use after free reads garbage rather than the old data.
type heap struct {
	top   uint64              // next never-used address
	live  map[uint64]uint64   // block address -> rounded size
	free  map[uint64][]uint64 // rounded size -> freed blocks, reused LIFO
	freed map[uint64]bool     // blocks freed and not reused since: double-free detection
	// quarantine holds the most recently freed blocks, poisoned, before
	// they may be reused: a use after free reads 0xdd bytes rather than a
	// new owner's data for a while.
	quarantine []uint64
	used       uint64 // bytes in live blocks
	peak       uint64
	count      int    // allocations made
	carved     uint64 // blocks ever cut from the top (live, quarantined or free)
}

// ErrOutOfMemory-like conditions return address 0 (C's NULL).
func (m *Machine) alloc(n uint64) uint64 {
	if n == 0 {
		n = 1
	}
	if n > m.cfg.MemoryLimit {
		return 0
	}
	size := alignUp(n, heapAlign)
	h := &m.heap
	var a uint64
	if l := h.free[size]; len(l) > 0 {
		a = l[len(l)-1]
		h.free[size] = l[:len(l)-1]
		delete(h.freed, a)
		clear(m.mem[a : a+size])
	} else {
		a = h.top
		if a+size > m.cfg.MemoryLimit || (h.carved+1)*blockOverhead > m.cfg.MemoryLimit-(a+size) {
			return 0
		}
		h.carved++
		if a+size > uint64(len(m.mem)) {
			grow := max(a+size, uint64(len(m.mem))*2)
			grow = min(grow, m.cfg.MemoryLimit)
			nm := make([]byte, grow)
			copy(nm, m.mem)
			m.mem = nm
		}
		h.top = a + size
	}
	h.live[a] = size
	h.used += size
	h.peak = max(h.peak, h.used)
	h.count++
	return a
}

// release frees a heap block; it reports what is wrong when a is not a live
// block.
func (m *Machine) release(a uint64) error {
	h := &m.heap
	size, ok := h.live[a]
	if !ok {
		if h.freed[a] {
			return fmt.Errorf("double free of %#x", a)
		}
		return fmt.Errorf("free of %#x, which is not a heap block", a)
	}
	delete(h.live, a)
	h.used -= size
	h.freed[a] = true
	for i := a; i < a+size; i++ {
		m.mem[i] = 0xdd
	}
	h.quarantine = append(h.quarantine, a, size)
	if len(h.quarantine) > 2*quarantineBlocks {
		old, osize := h.quarantine[0], h.quarantine[1]
		h.quarantine = h.quarantine[2:]
		h.free[osize] = append(h.free[osize], old)
	}
	return nil
}

// blockSize returns the usable size of a live heap block.
func (m *Machine) blockSize(a uint64) (uint64, bool) {
	s, ok := m.heap.live[a]
	return s, ok
}
