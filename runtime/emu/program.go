package emu

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"unicode"
)

// ProgramOptions configure RunProgram.
type ProgramOptions struct {
	Load       LoadOptions
	Stderr     io.Writer // where stderr output goes (default: discarded)
	StepBudget int64     // 0 means DefaultProgramBudget
	// MemoryLimit is the emulated memory at most; 0 means 512 MiB (the
	// host holds as much again in shadow memory).
	MemoryLimit uint64
	StackSize   uint64 // 0 means 8 MiB
}

// hostedState is the C library state of a hosted program.
type hostedState struct {
	stdout, stderr io.Writer
	stderrFile     uint64 // the FILE* value of stderr
	err            error  // first write error
	randState      uint64
}

func (h *hostedState) write(b []byte) {
	if _, err := h.stdout.Write(b); err != nil && h.err == nil {
		h.err = err
	}
}

// DefaultProgramBudget is a hosted program's step budget when
// ProgramOptions.StepBudget is zero.
const DefaultProgramBudget = 10_000_000_000

// RunProgram runs a hosted C program (entry main) with the hosted subset of
// the C library; it returns the program's exit status. A fault is returned
// as a *Fault error (message, C position, backtrace); a program that does not
// load returns a *LoadError.
func RunProgram(ctx context.Context, fsys fs.FS, files []string, args []string, stdout io.Writer, opts ProgramOptions) (int, error) {
	lo := opts.Load
	lo.Hosted = true
	img, err := Load(fsys, files, lo)
	if err != nil {
		return 0, err
	}
	return img.RunMain(ctx, args, stdout, opts)
}

// RunMain runs the image's main function as a hosted program.
func (img *Image) RunMain(ctx context.Context, args []string, stdout io.Writer, opts ProgramOptions) (int, error) {
	s := img.symbols["main"]
	if s == nil || s.fn == nil || s.fn.body == nil {
		return 0, errors.New("the program defines no main function")
	}
	if opts.StepBudget <= 0 {
		opts.StepBudget = DefaultProgramBudget
	}
	if opts.MemoryLimit == 0 {
		opts.MemoryLimit = 512 << 20
	}
	if opts.StackSize == 0 {
		opts.StackSize = 8 << 20
	}
	if opts.Stderr == nil {
		opts.Stderr = io.Discard
	}
	h := &hostedState{stdout: stdout, stderr: opts.Stderr, randState: 1}
	m, err := NewMachine(img, MachineConfig{CPUs: 1, StepBudget: opts.StepBudget, MemoryLimit: opts.MemoryLimit,
		StackSize: opts.StackSize, MaxCallDepth: 10000, Context: ctx, Console: stdout})
	if err != nil {
		return 0, err
	}
	m.hosted = h
	if g := img.symbols["stderr"]; g != nil && g.global != nil {
		h.stderrFile = m.ld64(g.global.addr)
	}
	// argv: the strings, then the pointer array.
	all := append([]string{img.Files[0]}, args...)
	ptrs := make([]uint64, len(all)+1)
	for i, a := range all {
		p := m.alloc(uint64(len(a)) + 1)
		copy(m.mem[p:], a)
		ptrs[i] = p
	}
	argv := m.alloc(uint64(len(ptrs)) * 8)
	for i, p := range ptrs {
		m.st64(argv+uint64(i)*8, p)
	}
	c := m.cpus[0]
	c.direct = true
	var status uint64
	err = m.protect(c, func(f *frame) {
		fn := s.fn
		nf := c.reserve()
		if cap(nf.argv) < 2 {
			nf.argv = make([]uint64, 4)
		}
		n := len(fn.params)
		nf.argv[0], nf.argv[1] = uint64(len(all)), argv
		status = c.invoke(f, nf, fn, n)
	})
	if h.err != nil && err == nil {
		err = h.err
	}
	var exit exitSignal
	if errors.As(err, &exit) {
		return exit.status, h.err
	}
	if err != nil {
		return 0, err
	}
	return int(int32(status)), nil
}

// builtinVars are the C library's variables: their names and initial values
// (written by the machine when it starts).
var builtinVars = map[string]uint64{"stdin": 1, "stdout": 2, "stderr": 3}

func hostedBuiltins() map[string]builtin {
	out := func(f *frame, file uint64, b []byte) {
		h := f.m.hosted
		if h != nil && file != 0 && file == h.stderrFile {
			h.stderr.Write(b)
			return
		}
		f.m.consoleWrite(f.cpu, b)
	}
	stdoutFile := func(f *frame) uint64 { return 0 }
	snprint := func(f *frame, dst, n uint64, b []byte) uint64 {
		if n > 0 {
			k := min(uint64(len(b)), n-1)
			d := f.m.span(dst, k+1, "store")
			copy(d, b[:k])
			d[k] = 0
		}
		return i32(int32(len(b)))
	}
	return map[string]builtin{
		"printf": func(f *frame, a []uint64) uint64 {
			b := f.format(a[0], &callArgs{a: a[1:]})
			out(f, stdoutFile(f), b)
			return i32(int32(len(b)))
		},
		"vprintf": func(f *frame, a []uint64) uint64 {
			b := f.format(a[0], &memArgs{m: f.m, p: a[1]})
			out(f, stdoutFile(f), b)
			return i32(int32(len(b)))
		},
		"fprintf": func(f *frame, a []uint64) uint64 {
			b := f.format(a[1], &callArgs{a: a[2:]})
			out(f, a[0], b)
			return i32(int32(len(b)))
		},
		"vfprintf": func(f *frame, a []uint64) uint64 {
			b := f.format(a[1], &memArgs{m: f.m, p: a[2]})
			out(f, a[0], b)
			return i32(int32(len(b)))
		},
		"sprintf": func(f *frame, a []uint64) uint64 {
			b := f.format(a[1], &callArgs{a: a[2:]})
			return snprint(f, a[0], uint64(len(b))+1, b)
		},
		"vsprintf": func(f *frame, a []uint64) uint64 {
			b := f.format(a[1], &memArgs{m: f.m, p: a[2]})
			return snprint(f, a[0], uint64(len(b))+1, b)
		},
		"snprintf": func(f *frame, a []uint64) uint64 {
			b := f.format(a[2], &callArgs{a: a[3:]})
			return snprint(f, a[0], a[1], b)
		},
		"vsnprintf": func(f *frame, a []uint64) uint64 {
			b := f.format(a[2], &memArgs{m: f.m, p: a[3]})
			return snprint(f, a[0], a[1], b)
		},
		"putchar": func(f *frame, a []uint64) uint64 {
			out(f, 0, []byte{byte(a[0])})
			return uint64(uint8(a[0]))
		},
		"fputc": func(f *frame, a []uint64) uint64 {
			out(f, a[1], []byte{byte(a[0])})
			return uint64(uint8(a[0]))
		},
		"putc": func(f *frame, a []uint64) uint64 {
			out(f, a[1], []byte{byte(a[0])})
			return uint64(uint8(a[0]))
		},
		"puts": func(f *frame, a []uint64) uint64 {
			s := f.str(a[0])
			out(f, 0, append(append([]byte(nil), s...), '\n'))
			return 1
		},
		"fputs": func(f *frame, a []uint64) uint64 {
			out(f, a[1], append([]byte(nil), f.str(a[0])...))
			return 1
		},
		"fwrite": func(f *frame, a []uint64) uint64 {
			hi, n := mul64(a[1], a[2])
			if hi != 0 {
				f.fault("memory", "fwrite of %d items of %d bytes", a[2], a[1])
			}
			f.charge(n)
			out(f, a[3], append([]byte(nil), f.m.span(a[0], n, "load")...))
			return a[2]
		},
		"fflush": func(f *frame, a []uint64) uint64 { return 0 },
		"malloc": func(f *frame, a []uint64) uint64 { return f.m.alloc(a[0]) },
		"calloc": func(f *frame, a []uint64) uint64 {
			hi, lo := mul64(a[0], a[1])
			if hi != 0 {
				return 0
			}
			return f.m.alloc(lo)
		},
		"realloc": func(f *frame, a []uint64) uint64 {
			if a[0] == 0 {
				return f.m.alloc(a[1])
			}
			old, ok := f.m.blockSize(a[0])
			if !ok {
				f.fault("free", "realloc of %#x, which is not a live heap block", a[0])
			}
			p := f.m.alloc(a[1])
			if p == 0 {
				return 0
			}
			f.charge(min(old, a[1]))
			f.m.move(p, a[0], min(old, a[1]))
			bFree(f, a[:1])
			return p
		},
		"free":  bFree,
		"abort": func(f *frame, a []uint64) uint64 { f.fault("abort", "abort() called"); return 0 },
		"exit":  func(f *frame, a []uint64) uint64 { panic(exitSignal{status: int(int32(a[0]))}) },
		"__upsynth_assert_fail": func(f *frame, a []uint64) uint64 {
			msg := fmt.Sprintf("%s:%d: %s: Assertion `%s' failed.\n", f.str(a[1]), int32(a[2]), f.str(a[3]), f.str(a[0]))
			if h := f.m.hosted; h != nil {
				h.stderr.Write([]byte(msg))
			}
			f.fault("abort", "%s", strings.TrimSpace(msg))
			return 0
		},
		"abs": func(f *frame, a []uint64) uint64 {
			v := int32(a[0])
			if v < 0 {
				v = -v
			}
			return i32(v)
		},
		"labs":  bLabs,
		"llabs": bLabs,
		"atoi": func(f *frame, a []uint64) uint64 {
			v, _ := parseInt(f.str(a[0]), 10)
			return i32(int32(v))
		},
		"atol": func(f *frame, a []uint64) uint64 {
			v, _ := parseInt(f.str(a[0]), 10)
			return uint64(v)
		},
		"strtol": func(f *frame, a []uint64) uint64 {
			s := f.str(a[0])
			v, n := parseInt(s, int(int32(a[2])))
			if a[1] != 0 {
				f.m.st64(a[1], a[0]+uint64(n))
			}
			return uint64(v)
		},
		"strtoul": func(f *frame, a []uint64) uint64 {
			s := f.str(a[0])
			v, n := parseInt(s, int(int32(a[2])))
			if a[1] != 0 {
				f.m.st64(a[1], a[0]+uint64(n))
			}
			return uint64(v)
		},
		"rand": func(f *frame, a []uint64) uint64 {
			h := f.m.hosted
			if h == nil {
				return 0
			}
			h.randState = h.randState*6364136223846793005 + 1442695040888963407
			return uint64(h.randState>>33) & 0x7fffffff
		},
		"srand": func(f *frame, a []uint64) uint64 {
			if h := f.m.hosted; h != nil {
				h.randState = uint64(uint32(a[0]))
			}
			return 0
		},
		"qsort":   bQsort,
		"isdigit": ctype(func(r rune) bool { return r >= '0' && r <= '9' }),
		"isalpha": ctype(func(r rune) bool { return r < 128 && unicode.IsLetter(r) }),
		"isalnum": ctype(func(r rune) bool { return r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)) }),
		"isspace": ctype(func(r rune) bool { return r == ' ' || r >= '\t' && r <= '\r' }),
		"isupper": ctype(func(r rune) bool { return r >= 'A' && r <= 'Z' }),
		"islower": ctype(func(r rune) bool { return r >= 'a' && r <= 'z' }),
		"isxdigit": ctype(func(r rune) bool {
			return r >= '0' && r <= '9' || r >= 'a' && r <= 'f' || r >= 'A' && r <= 'F'
		}),
		"isprint": ctype(func(r rune) bool { return r >= 32 && r < 127 }),
		"ispunct": ctype(func(r rune) bool { return r > 32 && r < 127 && !unicode.IsLetter(r) && !unicode.IsDigit(r) }),
		"toupper": func(f *frame, a []uint64) uint64 {
			if c := int32(a[0]); c >= 'a' && c <= 'z' {
				return i32(c - 32)
			}
			return a[0]
		},
		"tolower": func(f *frame, a []uint64) uint64 {
			if c := int32(a[0]); c >= 'A' && c <= 'Z' {
				return i32(c + 32)
			}
			return a[0]
		},
	}
}

func mul64(a, b uint64) (hi, lo uint64) {
	if a != 0 && b > ^uint64(0)/a {
		return 1, 0
	}
	return 0, a * b
}

func bLabs(f *frame, a []uint64) uint64 {
	v := int64(a[0])
	if v < 0 {
		v = -v
	}
	return uint64(v)
}

func ctype(p func(rune) bool) builtin {
	return func(f *frame, a []uint64) uint64 { return boolv(p(rune(int32(a[0])))) }
}

// parseInt parses like strtol; it returns the value and the bytes consumed.
func parseInt(s []byte, base int) (int64, int) {
	i := 0
	for i < len(s) && (s[i] == ' ' || s[i] >= '\t' && s[i] <= '\r') {
		i++
	}
	neg := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	if (base == 0 || base == 16) && i+1 < len(s) && s[i] == '0' && (s[i+1] == 'x' || s[i+1] == 'X') {
		base = 16
		i += 2
	} else if base == 0 && i < len(s) && s[i] == '0' {
		base = 8
	} else if base == 0 {
		base = 10
	}
	start := i
	var v uint64
	for i < len(s) {
		d, err := strconv.ParseUint(string(s[i]), 36, 8)
		if err != nil || int(d) >= base {
			break
		}
		v = v*uint64(base) + d
		i++
	}
	if i == start {
		return 0, 0
	}
	if neg {
		return -int64(v), i
	}
	return int64(v), i
}

// bQsort sorts with the C comparison function (a stable sort, so the result
// is deterministic).
func bQsort(f *frame, a []uint64) uint64 {
	base, n, size, cmp := a[0], a[1], a[2], a[3]
	if n < 2 || size == 0 {
		return 0
	}
	fn := f.m.funcAt(f, cmp)
	if hi, _ := mul64(n, size); hi != 0 {
		f.fault("memory", "qsort of %d elements of %d bytes", n, size)
	}
	f.charge(2 * n * size)
	data := append([]byte(nil), f.m.span(base, n*size, "load")...)
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	// Compare copies in two scratch heap blocks so the C function sees
	// stable addresses.
	ta, tb := f.m.alloc(size), f.m.alloc(size)
	sort.SliceStable(idx, func(i, j int) bool {
		copy(f.m.mem[ta:ta+size], data[uint64(idx[i])*size:])
		copy(f.m.mem[tb:tb+size], data[uint64(idx[j])*size:])
		return int32(f.callC(fn, ta, tb)) < 0
	})
	out := f.m.span(base, n*size, "store")
	for k, i := range idx {
		copy(out[uint64(k)*size:uint64(k+1)*size], data[uint64(i)*size:])
	}
	f.m.release(ta)
	f.m.release(tb)
	return 0
}

// callC calls a C function from a builtin.
func (f *frame) callC(fn *Func, args ...uint64) uint64 {
	return f.callFrom(fn, true, args)
}

// callResolved calls the implementation a builtin of the update machinery
// (a type's gate, an adapter) chose for the call that reached it: that call
// was the preemption point, so nothing may change between the choice and
// the entry.
func (f *frame) callResolved(fn *Func, args ...uint64) uint64 {
	return f.callFrom(fn, false, args)
}

func (f *frame) callFrom(fn *Func, preemptible bool, args []uint64) uint64 {
	c := f.cpu
	nf := c.reserve()
	n := max(len(args), len(fn.params))
	if cap(nf.argv) < n {
		nf.argv = make([]uint64, n+4)
	}
	clear(nf.argv[:n])
	copy(nf.argv, args)
	nf.varSizes = nil
	return c.enter(f, nf, fn, n, preemptible)
}

var _ = bytes.Compare
