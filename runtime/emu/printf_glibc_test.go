package emu

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// printfArg is one variadic argument as both the raw bits Printf receives
// and the C expression that passes the same value to glibc.
type printfArg struct {
	raw   uint64
	cExpr string
}

type printfCase struct {
	format string
	args   []printfArg
}

// printfStrings are the strings %s cases point at; the emulated address of
// printfStrings[k] is printfStringBase + k*printfStringStride.
var printfStrings = []string{"", "a", "hello", "hello, world", "tab\there", "\x7f\x80\xff", "0123456789abcdefghij"}

const (
	printfStringBase   = 0x10000
	printfStringStride = 0x100
)

func readPrintfString(addr uint64, max int) ([]byte, error) {
	k := (addr - printfStringBase) / printfStringStride
	if addr < printfStringBase || (addr-printfStringBase)%printfStringStride != 0 || k >= uint64(len(printfStrings)) {
		return nil, fmt.Errorf("no string at %#x", addr)
	}
	s := printfStrings[k]
	if max >= 0 && len(s) > max {
		s = s[:max]
	}
	return []byte(s), nil
}

// sliceArgs is a VarArgs over a fixed list.
type sliceArgs struct {
	vals []uint64
	next int
}

func (a *sliceArgs) Next() (uint64, error) {
	if a.next >= len(a.vals) {
		return 0, fmt.Errorf("missing argument %d", a.next+1)
	}
	a.next++
	return a.vals[a.next-1], nil
}

func cString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c >= 0x20 && c < 0x7f && c != '?':
			b.WriteByte(c)
		default:
			// Octal escapes never swallow a following digit when they have three digits.
			fmt.Fprintf(&b, "\\%03o", c)
		}
	}
	b.WriteByte('"')
	return b.String()
}

func intArg(v int64) printfArg {
	x := int32(v)
	return printfArg{uint64(int64(x)), fmt.Sprintf("(int)%#xu", uint32(x))}
}

func uintArg(v uint64) printfArg {
	x := uint32(v)
	return printfArg{uint64(x), fmt.Sprintf("%#xu", x)}
}

func longArg(v uint64) printfArg {
	return printfArg{v, fmt.Sprintf("(long)%#xul", v)}
}

func ulongArg(v uint64) printfArg {
	return printfArg{v, fmt.Sprintf("%#xul", v)}
}

func doubleArg(v float64, long bool) printfArg {
	bits := math.Float64bits(v)
	expr := fmt.Sprintf("D(%#xull)", bits)
	if long {
		expr = "(long double)" + expr
	}
	return printfArg{bits, expr}
}

var interestingInts = []uint64{
	0, 1, 2, 7, 8, 9, 10, 15, 16, 99, 100, 127, 128, 255, 256, 1000, 4095, 32767, 32768, 65535, 65536,
	1<<31 - 1, 1 << 31, 1<<32 - 1, 1 << 32, 1<<63 - 1, 1 << 63, math.MaxUint64,
	math.MaxUint64 - 1, uint64(1<<64 - 128), uint64(1<<64 - 129), uint64(1<<64 - 32768), uint64(1<<64 - 1000),
	0xdeadbeef, 0x123456789abcdef0,
}

var interestingFloats = []float64{
	0, math.Copysign(0, -1), 1, -1, 0.5, 1.5, 2.5, -2.5, 0.1, 0.125, 0.3, 1.0 / 3, 2.0 / 3, 9.5, 99.5, 999999.5,
	9.9999995, 0.00001, 0.0001, 0.000123456, 123456.0, 1234567.0, 1e15, 1e16, 1e17, 1e21, 1e22, 1e23,
	123456789012345678, 1e100, 1e-100, 1e300, 1e-300, 1e308, math.MaxFloat64, math.SmallestNonzeroFloat64,
	2.2250738585072014e-308, 2.225073858507201e-308, math.Pi, -math.E, 5e-324 * 3, 0.05, 0.15, 0.25, 0.35, 1e-5, 1e-4,
	math.Inf(1), math.Inf(-1), math.NaN(), math.Float64frombits(0xfff8000000000000), 1.0 / 1024, 1023.999, 0x1.fffffffffffffp0,
	999999.5, 999999.7, 99999.97, 999.95, 99.5, 9.9999996,
	0x1.08p0, 0x1.18p0, 0x1.8p0, 0x1.fp0, 0x1.f8p0, 0x1.0000000000008p0, 0x1.0000000000018p0, 0x1.7ffffffffffffp0,
}

// randomPrintfCase builds one conversion (with its arguments) drawn from
// the full space of flags, widths, precisions, lengths and conversions.
func randomPrintfConv(r *rand.Rand) (string, []printfArg) {
	var spec strings.Builder
	var args []printfArg
	spec.WriteByte('%')
	for _, f := range "-+ #0" {
		if r.IntN(5) == 0 {
			spec.WriteRune(f)
		}
	}
	switch r.IntN(10) {
	case 0, 1, 2, 3:
	case 4:
		spec.WriteByte('*')
		args = append(args, intArg(int64(r.IntN(41)-20)))
	default:
		spec.WriteString(strconv.Itoa(r.IntN(26)))
	}
	switch r.IntN(10) {
	case 0, 1, 2, 3, 4:
	case 5:
		spec.WriteByte('.')
	case 6:
		spec.WriteString(".*")
		args = append(args, intArg(int64(r.IntN(31)-5)))
	default:
		spec.WriteString("." + strconv.Itoa(r.IntN(26)))
	}
	verbs := "diuoxXcspfFeEgGaA"
	verb := verbs[r.IntN(len(verbs))]
	pickInt := func() uint64 {
		switch r.IntN(3) {
		case 0:
			return interestingInts[r.IntN(len(interestingInts))]
		case 1:
			return uint64(int64(r.IntN(2001) - 1000))
		}
		return r.Uint64() >> r.IntN(64)
	}
	pickFloat := func() float64 {
		switch r.IntN(4) {
		case 0, 1:
			return interestingFloats[r.IntN(len(interestingFloats))]
		case 2:
			return (r.Float64() - 0.5) * math.Pow(10, float64(r.IntN(40)-20))
		}
		for {
			f := math.Float64frombits(r.Uint64())
			if !math.IsNaN(f) {
				return f
			}
		}
	}
	switch verb {
	case 'd', 'i', 'u', 'o', 'x', 'X':
		signed := verb == 'd' || verb == 'i'
		lengths := []string{"", "", "hh", "h", "l", "ll", "z", "j", "t", "L", "q"}
		l := lengths[r.IntN(len(lengths))]
		spec.WriteString(l)
		v := pickInt()
		switch {
		case (l == "" || l == "h" || l == "hh") && signed:
			args = append(args, intArg(int64(v)))
		case l == "" || l == "h" || l == "hh":
			args = append(args, uintArg(v))
		case signed:
			args = append(args, longArg(v))
		default:
			args = append(args, ulongArg(v))
		}
	case 'c':
		args = append(args, intArg(int64(pickInt())))
	case 's':
		if r.IntN(8) == 0 {
			args = append(args, printfArg{0, "(char *)0"})
		} else {
			k := r.IntN(len(printfStrings))
			args = append(args, printfArg{uint64(printfStringBase + k*printfStringStride), cString(printfStrings[k])})
		}
	case 'p':
		v := pickInt()
		args = append(args, printfArg{v, fmt.Sprintf("(void *)%#xul", v)})
	default:
		long := false
		switch r.IntN(6) {
		case 0:
			spec.WriteByte('l')
		case 1:
			spec.WriteByte('L')
			long = true
		}
		args = append(args, doubleArg(pickFloat(), long))
	}
	spec.WriteByte(verb)
	return spec.String(), args
}

func randomPrintfCase(r *rand.Rand) printfCase {
	literals := []string{"", "", "x", "ab ", "%%", "[", "]", "\t", "%5%"}
	var c printfCase
	var format strings.Builder
	for n := 1 + r.IntN(3); n > 0; n-- {
		format.WriteString(literals[r.IntN(len(literals))])
		spec, args := randomPrintfConv(r)
		format.WriteString(spec)
		c.args = append(c.args, args...)
	}
	format.WriteString(literals[r.IntN(len(literals))])
	c.format = format.String()
	return c
}

// fixedPrintfCases are corner cases worth naming on their own.
func fixedPrintfCases() []printfCase {
	i, u, l, d := intArg, uintArg, longArg, func(v float64) printfArg { return doubleArg(v, false) }
	s := func(k int) printfArg {
		return printfArg{uint64(printfStringBase + k*printfStringStride), cString(printfStrings[k])}
	}
	return []printfCase{
		{"plain text, no conversions", nil},
		{"", nil},
		{"%%|%5%|%-5%|", nil},
		{"%d %i %u %o %x %X", []printfArg{i(-42), i(42), u(42), u(8), u(255), u(255)}},
		{"%.0d|%.0x|%#.0o|%#.0x|%5.0d|", []printfArg{i(0), u(0), u(0), u(0), i(0)}},
		{"%#o|%#x|%#X|%#o|%#x", []printfArg{u(0), u(0), u(0), u(8), u(1)}},
		{"%+d|% d|%+ d|%+u|% u|", []printfArg{i(0), i(0), i(5), u(5), u(5)}},
		{"%05d|%-05d|%05.3d|%0*d|%-*d|", []printfArg{i(-42), i(-42), i(-42), i(8), i(-7), i(-6), i(7)}},
		{"%*.*d|%.*d|", []printfArg{i(-10), i(-3), i(12), i(-1), i(0)}},
		{"%hhd %hhu %hd %hu", []printfArg{i(255), i(-1), i(65535), i(-1)}},
		{"%ld %lu %lld %llx %zd %zu %jd %td", []printfArg{l(1 << 63), l(1<<64 - 1), l(1 << 63), l(1<<64 - 1), l(1<<64 - 1), l(1<<64 - 1), l(7), l(1<<64 - 8)}},
		{"%c%c%c|%5c|%-5c|%05c", []printfArg{i('a'), i(0), i(256 + 'b'), i('x'), i('y'), i('z')}},
		{"%s|%10s|%-10s|%.3s|%10.3s|%.0s|%010s", []printfArg{s(2), s(2), s(2), s(2), s(2), s(2), s(2)}},
		{"%s|%.5s|%.6s|%10s|%-8s|", []printfArg{{0, "(char *)0"}, {0, "(char *)0"}, {0, "(char *)0"}, {0, "(char *)0"}, {0, "(char *)0"}}},
		{"%p|%10p|%-10p|%.3p|%p|%20p|%-20p|%020p|%.20p|%+p|% p|%#p", []printfArg{
			{0, "(void *)0"}, {0, "(void *)0"}, {0, "(void *)0"}, {0, "(void *)0"},
			{0x1234, "(void *)0x1234"}, {0x1234, "(void *)0x1234"}, {0x1234, "(void *)0x1234"}, {0x1234, "(void *)0x1234"},
			{0x1234, "(void *)0x1234"}, {0x1234, "(void *)0x1234"}, {0x1234, "(void *)0x1234"}, {0x1234, "(void *)0x1234"}}},
		{"%f %e %g %a", []printfArg{d(0), d(0), d(0), d(0)}},
		{"%f|%F|%e|%E|%g|%G|%a|%A", []printfArg{d(math.Inf(-1)), d(math.Inf(1)), d(math.NaN()), d(math.NaN()), d(math.Inf(1)), d(math.Inf(-1)), d(math.NaN()), d(math.Inf(1))}},
		{"%010f|%-10f|%+f|% f|%010e|", []printfArg{d(math.Inf(1)), d(math.NaN()), d(math.Inf(1)), d(math.NaN()), d(-1.5)}},
		{"%.0f %.0f %.0f %.0f %.0f %#.0f %#.0e %#g %#.0g", []printfArg{d(0.5), d(1.5), d(2.5), d(3.5), d(-0.5), d(1), d(1), d(1), d(1)}},
		{"%g %g %g %g %g %g %g", []printfArg{d(100000), d(1000000), d(1e-4), d(1e-5), d(0.0001234), d(123456789), d(1e100)}},
		{"%#g|%#.3g|%#.2g|%#.1g|%#g|%#.0g", []printfArg{d(999999.5), d(999.95), d(99.5), d(9.9999996), d(999999.4), d(0.00009999995)}},
		{"%.30f|%.40e|%.17g|%.0e", []printfArg{d(0.1), d(0.1), d(0.1), d(0.5)}},
		{"%.3a|%.1a|%.0a|%.0a|%.0a|%.13a|%.20a|%#a|%#.0a", []printfArg{d(1), d(1.96875), d(1.5), d(2.5), d(0x1.8p-1022), d(math.SmallestNonzeroFloat64), d(-0.1), d(1), d(1)}},
		{"%.0La|%.0La|%.1La|%La|%La|%La|%.2La|%#.0La", []printfArg{doubleArg(0x1.fp0, true), doubleArg(0x1.ep0, true), doubleArg(0x1.ffp0, true),
			doubleArg(0, true), doubleArg(math.Copysign(0, -1), true), doubleArg(math.SmallestNonzeroFloat64, true), doubleArg(0x1.ffffp0, true), doubleArg(3, true)}},
		{"%La %Lf %Le %Lg", []printfArg{doubleArg(0.1, true), doubleArg(0.1, true), doubleArg(1e300, true), doubleArg(3, true)}},
		{"%5.2f%%|%-8.3e|%08.3f|%+08.2f|% 08.2f", []printfArg{d(99.999), d(-0.000123), d(-3.14159), d(3.14159), d(3.14159)}},
		{"%'d %'.2f", []printfArg{i(1234567), d(1234567.891)}},
	}
}

// TestPrintfMatchesGlibc formats thousands of generated conversions both
// with Printf and with glibc's snprintf (through a C program built with
// gcc) and requires byte-identical results.
func TestPrintfMatchesGlibc(t *testing.T) {
	gcc, err := exec.LookPath("gcc")
	if err != nil {
		t.Skip("gcc not installed")
	}
	cases := fixedPrintfCases()
	r := rand.New(rand.NewPCG(1, 2))
	n := 3000
	if testing.Short() {
		n = 300
	}
	for range n {
		cases = append(cases, randomPrintfCase(r))
	}

	var src bytes.Buffer
	src.WriteString(`#include <stdio.h>
#include <string.h>
static char buf[1 << 18];
static double D(unsigned long long u) { double d; memcpy(&d, &u, sizeof d); return d; }
static void emit(int n) {
	printf("%d:", n);
	for (int i = 0; i < n && i < (int)sizeof buf - 1; i++) printf("%02x", (unsigned char)buf[i]);
	putchar('\n');
}
int main(void) {
`)
	for _, c := range cases {
		fmt.Fprintf(&src, "\temit(snprintf(buf, sizeof buf, %s", cString(c.format))
		for _, a := range c.args {
			fmt.Fprintf(&src, ", %s", a.cExpr)
		}
		src.WriteString("));\n")
	}
	src.WriteString("\treturn 0;\n}\n")

	dir := t.TempDir()
	cfile, exe := filepath.Join(dir, "printf_cases.c"), filepath.Join(dir, "printf_cases")
	if err := os.WriteFile(cfile, src.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(gcc, "-O0", "-w", "-fno-builtin", "-o", exe, cfile).CombinedOutput(); err != nil {
		t.Fatalf("gcc: %v\n%s", err, out)
	}
	native, err := exec.Command(exe).Output()
	if err != nil {
		t.Fatalf("running glibc cases: %v", err)
	}
	sc := bufio.NewScanner(bytes.NewReader(native))
	sc.Buffer(nil, 1<<20)
	mismatches := 0
	for k := 0; sc.Scan(); k++ {
		if k >= len(cases) {
			t.Fatalf("more results than cases")
		}
		c := cases[k]
		line := sc.Text()
		colon := strings.IndexByte(line, ':')
		want, err := hex.DecodeString(line[colon+1:])
		if err != nil {
			t.Fatalf("case %d: bad native line %q", k, line)
		}
		vals := make([]uint64, len(c.args))
		for j, a := range c.args {
			vals[j] = a.raw
		}
		got, err := Printf([]byte(c.format), &sliceArgs{vals: vals}, readPrintfString)
		if err != nil || !bytes.Equal(got, want) {
			mismatches++
			exprs := make([]string, len(c.args))
			for j, a := range c.args {
				exprs[j] = a.cExpr
			}
			t.Errorf("printf(%s, %s):\n glibc %q\n   got %q (err %v)", cString(c.format), strings.Join(exprs, ", "), want, got, err)
			if mismatches >= 25 {
				t.Fatal("too many mismatches")
			}
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
}
