package emu

import (
	"bytes"
	"fmt"
	"math/bits"
	"sort"
	"strconv"

	upd "github.com/upsynth/upsynth/runtime"
)

// builtin is a function the machine implements in Go. f is the calling C
// frame; args are the raw argument bits (variadic ones promoted). The result
// must be normalized for the C result type.
type builtin = func(f *frame, args []uint64) uint64

// builtins are bound to functions a program declares but does not define.
var builtins map[string]builtin

func i32(v int32) uint64 { return uint64(int64(v)) }

func boolv(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}

// callArgs yields variadic arguments passed to a builtin.
type callArgs struct {
	a []uint64
	i int
}

func (s *callArgs) Next() (uint64, error) {
	if s.i >= len(s.a) {
		return 0, fmt.Errorf("too few arguments for the format")
	}
	v := s.a[s.i]
	s.i++
	return v, nil
}

// memArgs yields variadic arguments from a va_list in emulated memory.
type memArgs struct {
	m *Machine
	p uint64
}

func (a *memArgs) Next() (uint64, error) {
	if a.p < guardSize || a.p+8 > uint64(len(a.m.mem)) {
		return 0, fmt.Errorf("va_list %#x is outside memory", a.p)
	}
	v := a.m.ld64(a.p)
	a.p += 8
	return v, nil
}

// format runs the printf engine, faulting on a bad format or argument.
func (f *frame) format(fmtAddr uint64, args VarArgs) []byte {
	m := f.m
	fs, err := m.cstring(fmtAddr, -1)
	if err != nil {
		f.fault("memory", "format string: %v", err)
	}
	out, err := Printf(fs, args, m.cstring)
	if err != nil {
		f.fault("call", "printf: %v", err)
	}
	f.charge(uint64(len(fs) + len(out)))
	return out
}

// str reads the C string at a, charging the bytes scanned.
func (f *frame) str(a uint64) []byte {
	s, err := f.m.cstring(a, -1)
	if err != nil {
		f.fault("memory", "%v", err)
	}
	f.charge(uint64(len(s)))
	return s
}

// console writes kernel output: to the machine console and to the output
// captured for the current request.
func (m *Machine) consoleWrite(c *CPU, b []byte) {
	if m.hosted != nil {
		m.hosted.write(b)
		return
	}
	if c != nil {
		c.out.Write(b)
	}
	m.console.Write(b)
}

func init() {
	builtins = map[string]builtin{
		// ---- compiler support ----
		"__upsynth_va_start": func(f *frame, a []uint64) uint64 {
			f.m.st64(a[0], f.vargs)
			return 0
		},
		"__upsynth_va_arg": func(f *frame, a []uint64) uint64 {
			p := f.m.ld64(a[0])
			f.m.st64(a[0], p+alignUp(max(a[1], 1), 8))
			return p
		},
		"__builtin_expect":      func(f *frame, a []uint64) uint64 { return a[0] },
		"__builtin_unreachable": func(f *frame, a []uint64) uint64 { f.fault("panic", "__builtin_unreachable reached"); return 0 },
		"__builtin_trap":        func(f *frame, a []uint64) uint64 { f.fault("abort", "__builtin_trap"); return 0 },
		"__builtin_clz":         func(f *frame, a []uint64) uint64 { return uint64(bits.LeadingZeros32(uint32(a[0]))) },
		"__builtin_ctz":         func(f *frame, a []uint64) uint64 { return uint64(bits.TrailingZeros32(uint32(a[0]))) },
		"__builtin_popcount":    func(f *frame, a []uint64) uint64 { return uint64(bits.OnesCount32(uint32(a[0]))) },
		"__builtin_clzl":        func(f *frame, a []uint64) uint64 { return uint64(bits.LeadingZeros64(a[0])) },
		"__builtin_ctzl":        func(f *frame, a []uint64) uint64 { return uint64(bits.TrailingZeros64(a[0])) },
		"__builtin_popcountl":   func(f *frame, a []uint64) uint64 { return uint64(bits.OnesCount64(a[0])) },
		"__builtin_clzll":       func(f *frame, a []uint64) uint64 { return uint64(bits.LeadingZeros64(a[0])) },
		"__builtin_ctzll":       func(f *frame, a []uint64) uint64 { return uint64(bits.TrailingZeros64(a[0])) },
		"__builtin_popcountll":  func(f *frame, a []uint64) uint64 { return uint64(bits.OnesCount64(a[0])) },
		"__builtin_ffs":         func(f *frame, a []uint64) uint64 { return ffs(a[0] & 0xffffffff) },
		"__builtin_ffsl":        func(f *frame, a []uint64) uint64 { return ffs(a[0]) },
		"__builtin_ffsll":       func(f *frame, a []uint64) uint64 { return ffs(a[0]) },
		"__builtin_parity":      func(f *frame, a []uint64) uint64 { return uint64(bits.OnesCount32(uint32(a[0])) & 1) },
		"__builtin_parityl":     func(f *frame, a []uint64) uint64 { return uint64(bits.OnesCount64(a[0]) & 1) },
		"__builtin_parityll":    func(f *frame, a []uint64) uint64 { return uint64(bits.OnesCount64(a[0]) & 1) },
		"__builtin_abs": func(f *frame, a []uint64) uint64 {
			if v := int32(a[0]); v < 0 {
				return i32(-v)
			}
			return i32(int32(a[0]))
		},
		"__builtin_labs":    bLabs,
		"__builtin_bswap16": func(f *frame, a []uint64) uint64 { return uint64(bits.ReverseBytes16(uint16(a[0]))) },
		"__builtin_bswap32": func(f *frame, a []uint64) uint64 { return uint64(bits.ReverseBytes32(uint32(a[0]))) },
		"__builtin_bswap64": func(f *frame, a []uint64) uint64 { return bits.ReverseBytes64(a[0]) },

		// ---- memory and strings ----
		"kalloc": func(f *frame, a []uint64) uint64 { return f.m.alloc(a[0]) },
		"kfree":  bFree,
		"memcpy": func(f *frame, a []uint64) uint64 {
			f.charge(a[2])
			f.m.move(a[0], a[1], a[2])
			return a[0]
		},
		"memmove": func(f *frame, a []uint64) uint64 {
			f.charge(a[2])
			f.m.move(a[0], a[1], a[2])
			return a[0]
		},
		"memset": func(f *frame, a []uint64) uint64 {
			b := f.m.span(a[0], a[2], "store")
			// In chunks, each charged before it is filled: a memset of
			// hundreds of MiB still reaches the cancellation check.
			for len(b) > 0 {
				chunk := b[:min(len(b), 16<<20)]
				f.charge(uint64(len(chunk)))
				chunk[0] = byte(a[1])
				for n := 1; n < len(chunk); n *= 2 {
					copy(chunk[n:], chunk[:n])
				}
				b = b[len(chunk):]
			}
			return a[0]
		},
		"memcmp": func(f *frame, a []uint64) uint64 {
			f.charge(a[2])
			x, y := f.m.span(a[0], a[2], "load"), f.m.span(a[1], a[2], "load")
			return i32(int32(bytes.Compare(x, y)))
		},
		"memchr": func(f *frame, a []uint64) uint64 {
			f.charge(a[2])
			b := f.m.span(a[0], a[2], "load")
			if i := bytes.IndexByte(b, byte(a[1])); i >= 0 {
				return a[0] + uint64(i)
			}
			return 0
		},
		"strlen": func(f *frame, a []uint64) uint64 { return uint64(len(f.str(a[0]))) },
		"strnlen": func(f *frame, a []uint64) uint64 {
			s, err := f.m.cstring(a[0], int(min(a[1], 1<<40)))
			if err != nil {
				f.fault("memory", "%v", err)
			}
			f.charge(uint64(len(s)))
			return uint64(len(s))
		},
		"strcmp": func(f *frame, a []uint64) uint64 {
			return i32(int32(sign(bytes.Compare(f.str(a[0]), f.str(a[1])))))
		},
		"strncmp": func(f *frame, a []uint64) uint64 {
			n := int(min(a[2], 1<<40))
			x, err := f.m.cstring(a[0], n)
			if err != nil {
				f.fault("memory", "%v", err)
			}
			y, err := f.m.cstring(a[1], n)
			if err != nil {
				f.fault("memory", "%v", err)
			}
			f.charge(uint64(len(x) + len(y)))
			return i32(int32(sign(bytes.Compare(x, y))))
		},
		"strcpy": func(f *frame, a []uint64) uint64 {
			s := f.str(a[1])
			f.m.move(a[0], a[1], uint64(len(s))+1)
			return a[0]
		},
		"strncpy": func(f *frame, a []uint64) uint64 {
			f.charge(a[2])
			s, err := f.m.cstring(a[1], int(min(a[2], 1<<40)))
			if err != nil {
				f.fault("memory", "%v", err)
			}
			d := f.m.span(a[0], a[2], "store")
			n := copy(d, s)
			clear(d[n:])
			return a[0]
		},
		"strcat": func(f *frame, a []uint64) uint64 {
			d := f.str(a[0])
			s := f.str(a[1])
			f.m.move(a[0]+uint64(len(d)), a[1], uint64(len(s))+1)
			return a[0]
		},
		"strncat": func(f *frame, a []uint64) uint64 {
			d := f.str(a[0])
			s, err := f.m.cstring(a[1], int(min(a[2], 1<<40)))
			if err != nil {
				f.fault("memory", "%v", err)
			}
			f.charge(uint64(len(s)))
			end := a[0] + uint64(len(d))
			f.m.move(end, a[1], uint64(len(s)))
			f.m.st8(end+uint64(len(s)), 0)
			return a[0]
		},
		"strchr": func(f *frame, a []uint64) uint64 {
			s := f.str(a[0])
			c := byte(a[1])
			if c == 0 {
				return a[0] + uint64(len(s))
			}
			if i := bytes.IndexByte(s, c); i >= 0 {
				return a[0] + uint64(i)
			}
			return 0
		},
		"strrchr": func(f *frame, a []uint64) uint64 {
			s := f.str(a[0])
			c := byte(a[1])
			if c == 0 {
				return a[0] + uint64(len(s))
			}
			if i := bytes.LastIndexByte(s, c); i >= 0 {
				return a[0] + uint64(i)
			}
			return 0
		},
		"strstr": func(f *frame, a []uint64) uint64 {
			if i := bytes.Index(f.str(a[0]), f.str(a[1])); i >= 0 {
				return a[0] + uint64(i)
			}
			return 0
		},
		"strdup": func(f *frame, a []uint64) uint64 {
			s := f.str(a[0])
			p := f.m.alloc(uint64(len(s)) + 1)
			if p != 0 {
				f.m.move(p, a[0], uint64(len(s))+1)
			}
			return p
		},

		// ---- console and faults ----
		"kprintf": func(f *frame, a []uint64) uint64 {
			out := f.format(a[0], &callArgs{a: a[1:]})
			f.m.consoleWrite(f.cpu, out)
			return i32(int32(len(out)))
		},
		"panic": func(f *frame, a []uint64) uint64 {
			out := f.format(a[0], &callArgs{a: a[1:]})
			f.fault("panic", "panic: %s", out)
			return 0
		},

		// ---- CPUs and locks ----
		"cpu_id": func(f *frame, a []uint64) uint64 { return uint64(f.cpu.id) },
		"ncpus":  func(f *frame, a []uint64) uint64 { return uint64(len(f.m.cpus)) },
		"yield": func(f *frame, a []uint64) uint64 {
			if !f.cpu.direct {
				f.cpu.yield()
			}
			return 0
		},
		"lock_init": func(f *frame, a []uint64) uint64 {
			f.m.st64(a[0], 0)
			f.m.st64(a[0]+8, 0)
			return 0
		},
		"lock_acquire": bLockAcquire,
		"lock_release": func(f *frame, a []uint64) uint64 {
			me := uint64(f.cpu.id + 1)
			if owner := f.m.ld64(a[0]); owner != me {
				f.fault("panic", "lock_release of lock %#x held by %s", a[0], holder(owner))
			}
			d := f.m.ld64(a[0]+8) - 1
			f.m.st64(a[0]+8, d)
			if d == 0 {
				f.m.st64(a[0], 0)
			}
			return 0
		},
		"lock_held": func(f *frame, a []uint64) uint64 {
			return boolv(f.m.ld64(a[0]) == uint64(f.cpu.id+1))
		},

		// ---- objects ----
		"obj_new": func(f *frame, a []uint64) uint64 {
			name := string(f.str(a[0]))
			state := f.m.alloc(a[1])
			if state == 0 {
				return 0
			}
			return uint64(f.m.ott.New(name, state, a[1]))
		},
		"obj_state": func(f *frame, a []uint64) uint64 {
			e, ok := f.m.ott.Get(upd.Ref(a[0]))
			if !ok {
				f.fault("object", "obj_state of invalid or freed ref %d", a[0])
			}
			return e.State
		},
		"obj_free": func(f *frame, a []uint64) uint64 {
			e, err := f.m.ott.Free(upd.Ref(a[0]))
			if err != nil {
				f.fault("object", "obj_free: %v", err)
			}
			if err := f.m.release(e.State); err != nil {
				f.fault("free", "obj_free: %v", err)
			}
			return 0
		},
		"obj_type": func(f *frame, a []uint64) uint64 {
			e, ok := f.m.ott.Get(upd.Ref(a[0]))
			if !ok {
				return 0
			}
			return f.m.typeName(e.Type)
		},
		"obj_count": func(f *frame, a []uint64) uint64 {
			fac := f.m.ott.Factory(string(f.str(a[0])))
			if fac == nil {
				return 0
			}
			return uint64(fac.Count())
		},
	}
	for k, v := range portBuiltins() {
		builtins[k] = v
	}
	for k, v := range hostedBuiltins() {
		builtins[k] = v
	}
}

func ffs(v uint64) uint64 {
	if v == 0 {
		return 0
	}
	return uint64(bits.TrailingZeros64(v) + 1)
}

func sign(c int) int {
	switch {
	case c < 0:
		return -1
	case c > 0:
		return 1
	}
	return 0
}

func holder(owner uint64) string {
	if owner == 0 {
		return "nobody"
	}
	return "cpu " + strconv.FormatUint(owner-1, 10)
}

func bFree(f *frame, a []uint64) uint64 {
	if a[0] == 0 {
		return 0
	}
	if err := f.m.release(a[0]); err != nil {
		f.fault("free", "%v", err)
	}
	return 0
}

// bLockAcquire takes a lock, blocking the emulated CPU (not the host thread)
// while another CPU holds it.
func bLockAcquire(f *frame, a []uint64) uint64 {
	m, c := f.m, f.cpu
	me := uint64(c.id + 1)
	for {
		owner := m.ld64(a[0])
		switch owner {
		case 0:
			m.st64(a[0], me)
			m.st64(a[0]+8, 1)
			return 0
		case me:
			m.st64(a[0]+8, m.ld64(a[0]+8)+1)
			return 0
		}
		if c.direct {
			f.fault("deadlock", "lock %#x is held by %s and no other CPU can release it", a[0], holder(owner))
		}
		c.blocked = a[0]
		c.yield()
		c.blocked = 0
	}
}

// typeName returns the address of an interned C string naming a type.
func (m *Machine) typeName(t string) uint64 {
	if a, ok := m.typeStr[t]; ok {
		return a
	}
	a := m.alloc(uint64(len(t)) + 1)
	copy(m.mem[a:], t)
	m.typeStr[t] = a
	return a
}

// BuiltinNames lists the functions the machine provides, sorted.
func BuiltinNames() []string {
	out := make([]string, 0, len(builtins))
	for k := range builtins {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
