package emu

import (
	"bytes"
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
	if m.shadow[a]&shNoLoad != 0 {
		m.shadowFault(a, 1, "load")
	}
	return m.mem[a]
}

func (m *Machine) ld16(a uint64) uint16 {
	if a-guardSize > uint64(len(m.mem))-guardSize-2 {
		m.memFault(a, 2, "load")
	}
	if binary.LittleEndian.Uint16(m.shadow[a:])&(shNoLoad*0x0101) != 0 {
		m.shadowFault(a, 2, "load")
	}
	return binary.LittleEndian.Uint16(m.mem[a:])
}

func (m *Machine) ld32(a uint64) uint32 {
	if a-guardSize > uint64(len(m.mem))-guardSize-4 {
		m.memFault(a, 4, "load")
	}
	if binary.LittleEndian.Uint32(m.shadow[a:])&(shNoLoad*0x01010101) != 0 {
		m.shadowFault(a, 4, "load")
	}
	return binary.LittleEndian.Uint32(m.mem[a:])
}

func (m *Machine) ld64(a uint64) uint64 {
	if a-guardSize > uint64(len(m.mem))-guardSize-8 {
		m.memFault(a, 8, "load")
	}
	if binary.LittleEndian.Uint64(m.shadow[a:])&(shNoLoad*0x0101010101010101) != 0 {
		m.shadowFault(a, 8, "load")
	}
	return binary.LittleEndian.Uint64(m.mem[a:])
}

func (m *Machine) st8(a uint64, v uint8) {
	if a-guardSize >= uint64(len(m.mem))-guardSize {
		m.memFault(a, 1, "store")
	}
	if m.shadow[a] != 0 {
		m.shadowFault(a, 1, "store")
	}
	m.mem[a] = v
}

func (m *Machine) st16(a uint64, v uint16) {
	if a-guardSize > uint64(len(m.mem))-guardSize-2 {
		m.memFault(a, 2, "store")
	}
	if binary.LittleEndian.Uint16(m.shadow[a:]) != 0 {
		m.shadowFault(a, 2, "store")
	}
	binary.LittleEndian.PutUint16(m.mem[a:], v)
}

func (m *Machine) st32(a uint64, v uint32) {
	if a-guardSize > uint64(len(m.mem))-guardSize-4 {
		m.memFault(a, 4, "store")
	}
	if binary.LittleEndian.Uint32(m.shadow[a:]) != 0 {
		m.shadowFault(a, 4, "store")
	}
	binary.LittleEndian.PutUint32(m.mem[a:], v)
}

func (m *Machine) st64(a uint64, v uint64) {
	if a-guardSize > uint64(len(m.mem))-guardSize-8 {
		m.memFault(a, 8, "store")
	}
	if binary.LittleEndian.Uint64(m.shadow[a:]) != 0 {
		m.shadowFault(a, 8, "store")
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
	if i := m.shadowBad(a, n, what == "store"); i >= 0 {
		m.shadowFault(a+uint64(i), int(min(n-uint64(i), math.MaxInt32)), what)
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
		if m.shadow[i]&shNoLoad != 0 {
			return nil, fmt.Errorf("string at %#x runs into %s at %#x", a, m.shadowWhat(i), i)
		}
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
	live  map[uint64]uint64   // block address -> size asked for
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
	size := blockSpan(n)
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
			m.growMem(min(max(a+size, uint64(len(m.mem))*2), m.cfg.MemoryLimit))
		}
		h.top = a + size
	}
	// The block's bytes become accessible; the rest of its span up to
	// the next block is its redzone.
	clear(m.shadow[a : a+n])
	fill(m.shadow[a+n:a+size], shRedzone)
	h.live[a] = n
	h.used += n
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
	delete(m.typed.blocks, a)
	h.used -= size
	h.freed[a] = true
	size = blockSpan(size)
	fill(m.mem[a:a+size], 0xdd)
	// Poisoned until reused: a use after free faults while the block is
	// in quarantine and on its free list.
	fill(m.shadow[a:a+size], shFreed)
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

// Shadow memory: one byte per byte of emulated memory says how it may be
// accessed, as KASAN's does. 0 is any access; shReadOnly (string
// literals) allows loads; the others, with shNoLoad set, allow nothing:
// heap redzones (the bytes after each block up to the next one), freed
// blocks (quarantined, then on their free list until reused), and heap
// never allocated.
const (
	shReadOnly    = 0x01
	shNoLoad      = 0x80
	shRedzone     = 0xfa
	shStackZone   = 0xf2
	shFreed       = 0xfd
	shUnallocated = 0xfe
)

// stackRedzone is the poisoned gap before and after every addressable
// local (an array, a struct, a variable whose address is taken) in a
// frame: an access up to this many bytes outside the object faults.
const stackRedzone = 16

// poisonFrame poisons the redzones of a frame entered at base. The rest of
// the frame's shadow is clean: frames clear theirs when they return, and
// unwinding past frames (a fault, a killed context) clears what they left
// (unpoisonStack).
func (m *Machine) poisonFrame(base uint64, rz []uint64) {
	for i := 0; i < len(rz); i += 2 {
		fill(m.shadow[base+rz[i]:base+rz[i]+rz[i+1]], shStackZone)
	}
}

// unpoisonStack clears the stack redzones left in [lo, hi) by frames that
// were unwound without returning.
func (m *Machine) unpoisonStack(lo, hi uint64) {
	hi = min(hi, uint64(len(m.shadow)))
	if lo >= hi {
		return
	}
	sh := m.shadow[lo:hi]
	for {
		i := bytes.IndexByte(sh, shStackZone)
		if i < 0 {
			return
		}
		sh = sh[i:]
		j := 0
		for j < len(sh) && sh[j] == shStackZone {
			sh[j] = 0
			j++
		}
		sh = sh[j:]
	}
}

// heapRedzone is the poisoned gap after every heap block: an overflow of
// up to this many bytes past a block's end (or, from the next block,
// before its start) faults.
const heapRedzone = 16

// blockSpan is the bytes a block of n bytes takes: rounded up to
// heapAlign, and its redzone.
func blockSpan(n uint64) uint64 { return alignUp(max(n, 1), heapAlign) + heapRedzone }

// zeroChunk is clean shadow to compare spans with.
var zeroChunk [16 << 10]byte

func fill(b []byte, v byte) {
	if len(b) == 0 {
		return
	}
	b[0] = v
	for n := 1; n < len(b); n *= 2 {
		copy(b[n:], b[:n])
	}
}

// growMem grows memory (and its shadow) to size bytes; the new part is
// unallocated heap.
func (m *Machine) growMem(size uint64) {
	if size <= uint64(len(m.mem)) {
		return
	}
	nm := make([]byte, size)
	copy(nm, m.mem)
	ns := make([]byte, size)
	copy(ns, m.shadow)
	fill(ns[len(m.shadow):], shUnallocated)
	m.mem, m.shadow = nm, ns
}

// shadowBad returns the index of the first byte of [a, a+n) the access may
// not touch (a store: any shadowed byte; a load: a poisoned one), or -1.
func (m *Machine) shadowBad(a, n uint64, store bool) int {
	sh := m.shadow[a : a+n]
	mask := uint64(0x8080808080808080)
	if store {
		mask = ^uint64(0)
	}
	i := 0
	// Clean shadow is zero: whole chunks compare equal to zeros (memequal,
	// not a byte loop), and only a chunk that is not is looked into.
	for i+len(zeroChunk) <= len(sh) && bytes.Equal(sh[i:i+len(zeroChunk)], zeroChunk[:]) {
		i += len(zeroChunk)
	}
	for ; i+8 <= len(sh); i += 8 {
		if binary.LittleEndian.Uint64(sh[i:])&mask != 0 {
			break
		}
	}
	for ; i < len(sh); i++ {
		if sh[i]&byte(mask) != 0 {
			return i
		}
	}
	return -1
}

// shadowWhat names what the shadow byte at a guards.
func (m *Machine) shadowWhat(a uint64) string {
	switch m.shadow[a] {
	case shReadOnly:
		return "a read-only string literal"
	case shRedzone:
		return "a heap redzone (out of bounds of a heap block)"
	case shStackZone:
		return "a stack redzone (out of bounds of a local variable)"
	case shFreed:
		return "a freed heap block (use after free)"
	}
	return "heap memory never allocated"
}

// shadowFault stops the CPU on an access the shadow forbids, naming the
// heap block it overflowed or was freed from when there is one.
func (m *Machine) shadowFault(a uint64, n int, what string) {
	msg := fmt.Sprintf("%s of %d bytes at %#x: %s", what, n, a, m.shadowWhat(a))
	if b, off, ok := m.blockNear(a); ok {
		msg += fmt.Sprintf(", %d bytes after the %d-byte block at %#x", off, m.heap.live[b], b)
	}
	panic(m.newFault(m.cur, "memory", msg))
}

// blockNear finds the live block whose redzone holds a (the block just
// before it), for fault messages.
func (m *Machine) blockNear(a uint64) (block, off uint64, ok bool) {
	if m.shadow[a] != shRedzone {
		return 0, 0, false
	}
	for b := alignUp(a, heapAlign) - heapAlign; b+(1<<20) > a && b >= m.heapStart; b -= heapAlign {
		if n, live := m.heap.live[b]; live && b+n <= a {
			return b, a - (b + n), true
		}
	}
	return 0, 0, false
}
