// The printf engine shared by the hosted printf family and the kernel's
// kprintf/panic: it formats like glibc's printf on LP64 x86-64.

package emu

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"math/bits"
	"strconv"
	"strings"
)

// VarArgs yields printf's variadic arguments in order, each as 64 raw bits: integers already
// promoted and sign- or zero-extended to 64 bits, pointers as addresses, doubles as Float64bits.
type VarArgs interface{ Next() (uint64, error) }

// Limits that keep a hostile format from exhausting the host: C allows
// widths and precisions up to INT_MAX, which no real program needs.
const (
	maxPrintfField  = 1 << 16 // largest width or precision accepted
	maxPrintfOutput = 1 << 24 // largest formatted result, in bytes
)

// ErrPrintfN is returned for %n: writing through a pointer argument is
// refused because formatting must not change emulated memory.
var ErrPrintfN = errors.New("printf: %n is not supported")

// Printf formats like C's printf: flags - + space # 0, width and precision (also *),
// length hh h l ll z j t L, conversions d i u o x X c s p f F e E g G a? % (n is refused).
// readString reads a NUL-terminated string (at most max bytes when max >= 0) from emulated memory.
//
// Behaviour the C standard leaves to the library follows glibc: %p prints
// "0x..." (or "(nil)" for 0), %s of a null pointer prints "(null)", a
// negative width taken from * means '-' and its magnitude, a negative
// precision from * means none, and L and q on integer conversions mean ll.
// The ' (grouping) flag is accepted and, as in the C locale, does nothing.
func Printf(format []byte, args VarArgs, readString func(addr uint64, max int) ([]byte, error)) ([]byte, error) {
	var out []byte
	for i := 0; i < len(format); {
		if format[i] != '%' {
			j := i + 1
			for j < len(format) && format[j] != '%' {
				j++
			}
			out = append(out, format[i:j]...)
			i = j
			continue
		}
		start := i
		spec, next, err := parseConvSpec(format, i+1, args)
		if err != nil {
			return out, fmt.Errorf("printf: conversion at offset %d: %w", start, err)
		}
		i = next
		out, err = spec.format(out, args, readString)
		if err != nil {
			if errors.Is(err, ErrPrintfN) {
				return out, err
			}
			return out, fmt.Errorf("printf: %%%s at offset %d: %w", format[start+1:next], start, err)
		}
		if len(out) > maxPrintfOutput {
			return out[:maxPrintfOutput], fmt.Errorf("printf: output exceeds %d bytes", maxPrintfOutput)
		}
	}
	return out, nil
}

// lengthMod is a conversion's length modifier.
type lengthMod uint8

const (
	lenNone lengthMod = iota
	lenHH
	lenH
	lenL
	lenLL // also j, z, t, L and q on integers: all 64 bits on LP64
	lenLongDouble
)

// convSpec is one parsed conversion specification.
type convSpec struct {
	minus, plus, space, alt, zero bool
	width                         int
	prec                          int // -1 when absent
	length                        lengthMod
	verb                          byte
}

// parseConvSpec parses the specification that starts after a '%' at
// format[i]; * widths and precisions are taken from args here, in the
// order C takes them. It returns the index just past the conversion.
func parseConvSpec(format []byte, i int, args VarArgs) (convSpec, int, error) {
	s := convSpec{prec: -1}
flags:
	for ; i < len(format); i++ {
		switch format[i] {
		case '-':
			s.minus = true
		case '+':
			s.plus = true
		case ' ':
			s.space = true
		case '#':
			s.alt = true
		case '0':
			s.zero = true
		case '\'':
		default:
			break flags
		}
	}
	if i < len(format) && format[i] == '*' {
		raw, err := args.Next()
		if err != nil {
			return s, i, fmt.Errorf("width argument: %w", err)
		}
		w := int64(int32(raw))
		if w < 0 {
			s.minus = true
			w = -w
		}
		if w > maxPrintfField {
			return s, i, fmt.Errorf("width %d exceeds %d", w, maxPrintfField)
		}
		s.width = int(w)
		i++
	} else {
		w, next, err := parseFieldNumber(format, i)
		if err != nil {
			return s, i, fmt.Errorf("width: %w", err)
		}
		s.width, i = w, next
	}
	if i < len(format) && format[i] == '.' {
		i++
		if i < len(format) && format[i] == '*' {
			raw, err := args.Next()
			if err != nil {
				return s, i, fmt.Errorf("precision argument: %w", err)
			}
			p := int64(int32(raw))
			if p > maxPrintfField {
				return s, i, fmt.Errorf("precision %d exceeds %d", p, maxPrintfField)
			}
			if p >= 0 {
				s.prec = int(p)
			}
			i++
		} else {
			p, next, err := parseFieldNumber(format, i)
			if err != nil {
				return s, i, fmt.Errorf("precision: %w", err)
			}
			s.prec, i = p, next
		}
	}
	if i < len(format) {
		switch format[i] {
		case 'h':
			s.length = lenH
			if i+1 < len(format) && format[i+1] == 'h' {
				s.length = lenHH
				i++
			}
			i++
		case 'l':
			s.length = lenL
			if i+1 < len(format) && format[i+1] == 'l' {
				s.length = lenLL
				i++
			}
			i++
		case 'j', 'z', 'Z', 't', 'q':
			s.length = lenLL
			i++
		case 'L':
			s.length = lenLongDouble
			i++
		}
	}
	if i >= len(format) {
		return s, i, errors.New("incomplete conversion at end of format")
	}
	s.verb = format[i]
	return s, i + 1, nil
}

// parseFieldNumber reads the decimal digits of a width or precision at
// format[i] (none means 0).
func parseFieldNumber(format []byte, i int) (int, int, error) {
	n := 0
	for ; i < len(format) && format[i] >= '0' && format[i] <= '9'; i++ {
		n = n*10 + int(format[i]-'0')
		if n > maxPrintfField {
			return 0, i, fmt.Errorf("exceeds %d", maxPrintfField)
		}
	}
	return n, i, nil
}

// format appends the conversion's output, taking its argument from args.
func (s *convSpec) format(out []byte, args VarArgs, readString func(uint64, int) ([]byte, error)) ([]byte, error) {
	if s.verb == '%' {
		return append(out, '%'), nil
	}
	if s.verb == 'n' {
		return out, ErrPrintfN
	}
	if !isConversionVerb(s.verb) {
		return out, fmt.Errorf("unknown conversion %q", s.verb)
	}
	raw, err := args.Next()
	if err != nil {
		return out, err
	}
	switch s.verb {
	case 'd', 'i':
		return s.formatSigned(out, raw), nil
	case 'u', 'o', 'x', 'X':
		return s.formatUnsigned(out, s.truncUnsigned(raw)), nil
	case 'c':
		if s.length == lenL {
			// wint_t in the C locale: only the ASCII range converts.
			if uint32(raw) >= 0x80 {
				return out, fmt.Errorf("wide character %#x not representable in the C locale", uint32(raw))
			}
		}
		return s.pad(out, nil, []byte{byte(raw)}, false), nil
	case 's':
		if s.length == lenL {
			return out, errors.New("wide strings (%ls) are not supported")
		}
		return s.formatString(out, raw, readString)
	case 'p':
		if raw == 0 {
			// glibc prints "(nil)" as a string whose precision is at least 5.
			return s.pad(out, nil, []byte("(nil)"), false), nil
		}
		p := *s
		p.alt, p.verb = true, 'x'
		return p.formatUnsignedPrefixed(out, raw, true), nil
	default:
		return s.formatFloat(out, math.Float64frombits(raw)), nil
	}
}

func isConversionVerb(v byte) bool {
	switch v {
	case 'd', 'i', 'u', 'o', 'x', 'X', 'c', 's', 'p', 'f', 'F', 'e', 'E', 'g', 'G', 'a', 'A':
		return true
	}
	return false
}

// formatSigned formats %d and %i after converting raw to the type the
// length modifier names.
func (s *convSpec) formatSigned(out []byte, raw uint64) []byte {
	var v int64
	switch s.length {
	case lenHH:
		v = int64(int8(raw))
	case lenH:
		v = int64(int16(raw))
	case lenNone:
		v = int64(int32(raw))
	default:
		v = int64(raw)
	}
	mag := uint64(v)
	var sign []byte
	switch {
	case v < 0:
		mag = -mag
		sign = []byte{'-'}
	case s.plus:
		sign = []byte{'+'}
	case s.space:
		sign = []byte{' '}
	}
	return s.pad(out, sign, s.integerDigits(mag, 10, false), s.prec < 0)
}

func (s *convSpec) truncUnsigned(raw uint64) uint64 {
	switch s.length {
	case lenHH:
		return uint64(uint8(raw))
	case lenH:
		return uint64(uint16(raw))
	case lenNone:
		return uint64(uint32(raw))
	}
	return raw
}

// formatUnsigned formats %u %o %x %X; + and space apply to signed
// conversions only.
func (s *convSpec) formatUnsigned(out []byte, v uint64) []byte {
	return s.formatUnsignedPrefixed(out, v, false)
}

// formatUnsignedPrefixed is formatUnsigned with, for %p (signFlags), the
// + and space flags honoured as glibc does.
func (s *convSpec) formatUnsignedPrefixed(out []byte, v uint64, signFlags bool) []byte {
	var prefix []byte
	if signFlags {
		if s.plus {
			prefix = append(prefix, '+')
		} else if s.space {
			prefix = append(prefix, ' ')
		}
	}
	base := 10
	switch s.verb {
	case 'o':
		base = 8
	case 'x', 'X':
		base = 16
		if s.alt && v != 0 {
			prefix = append(prefix, '0', s.verb)
		}
	}
	digits := s.integerDigits(v, base, s.verb == 'X')
	if s.verb == 'o' && s.alt && (len(digits) == 0 || digits[0] != '0') {
		digits = append([]byte{'0'}, digits...)
	}
	return s.pad(out, prefix, digits, s.prec < 0)
}

// integerDigits renders v with at least the precision's number of digits
// (none at all for a zero value with precision 0).
func (s *convSpec) integerDigits(v uint64, base int, upper bool) []byte {
	if v == 0 && s.prec == 0 {
		return nil
	}
	digits := strconv.AppendUint(nil, v, base)
	if upper {
		for i, c := range digits {
			if c >= 'a' && c <= 'f' {
				digits[i] = c - 'a' + 'A'
			}
		}
	}
	if s.prec > len(digits) {
		padded := make([]byte, s.prec-len(digits), s.prec)
		for i := range padded {
			padded[i] = '0'
		}
		digits = append(padded, digits...)
	}
	return digits
}

// formatString formats %s, including glibc's "(null)" for a null pointer
// (printed only when the precision leaves room for all of it).
func (s *convSpec) formatString(out []byte, addr uint64, readString func(uint64, int) ([]byte, error)) ([]byte, error) {
	if addr == 0 {
		null := []byte("(null)")
		if s.prec >= 0 && s.prec < len(null) {
			null = nil
		}
		return s.pad(out, nil, null, false), nil
	}
	str, err := readString(addr, s.prec)
	if err != nil {
		return out, err
	}
	if s.prec >= 0 && len(str) > s.prec {
		str = str[:s.prec]
	}
	return s.pad(out, nil, str, false), nil
}

// pad appends prefix and body within the field width: left-justified with
// '-', zero-filled between prefix and body when zeroOK and the 0 flag ask
// for it, right-justified with spaces otherwise.
func (s *convSpec) pad(out, prefix, body []byte, zeroOK bool) []byte {
	fill := s.width - len(prefix) - len(body)
	switch {
	case fill <= 0:
		out = append(out, prefix...)
		out = append(out, body...)
	case s.minus:
		out = append(out, prefix...)
		out = append(out, body...)
		out = appendRepeat(out, ' ', fill)
	case s.zero && zeroOK:
		out = append(out, prefix...)
		out = appendRepeat(out, '0', fill)
		out = append(out, body...)
	default:
		out = appendRepeat(out, ' ', fill)
		out = append(out, prefix...)
		out = append(out, body...)
	}
	return out
}

func appendRepeat(out []byte, c byte, n int) []byte {
	for ; n > 0; n-- {
		out = append(out, c)
	}
	return out
}

// formatFloat formats f F e E g G a A. The digits are exact decimal (or
// hexadecimal) expansions rounded half to even, as glibc prints them in
// the default rounding mode.
func (s *convSpec) formatFloat(out []byte, v float64) []byte {
	upper := s.verb == 'F' || s.verb == 'E' || s.verb == 'G' || s.verb == 'A'
	var sign []byte
	switch {
	case math.Signbit(v):
		sign = []byte{'-'}
	case s.plus:
		sign = []byte{'+'}
	case s.space:
		sign = []byte{' '}
	}
	v = math.Abs(v)
	if math.IsInf(v, 0) || math.IsNaN(v) {
		body := "inf"
		if math.IsNaN(v) {
			body = "nan"
		}
		if upper {
			body = strings.ToUpper(body)
		}
		return s.pad(out, sign, []byte(body), false)
	}
	var body []byte
	switch s.verb {
	case 'f', 'F':
		body = s.fixedDigits(v, s.precOr(6))
	case 'e', 'E':
		body = s.expDigits(v, s.precOr(6))
	case 'g', 'G':
		body = s.generalDigits(v)
	case 'a', 'A':
		hex := hexFloatDigits(v, s.prec, s.alt, s.length == lenLongDouble)
		sign = append(sign, '0', 'x')
		body = hex
	}
	if upper {
		for i, c := range body {
			if c >= 'a' && c <= 'z' {
				body[i] = c - 'a' + 'A'
			}
		}
		for i, c := range sign {
			if c == 'x' {
				sign[i] = 'X'
			}
		}
	}
	return s.pad(out, sign, body, true)
}

func (s *convSpec) precOr(def int) int {
	if s.prec < 0 {
		return def
	}
	return s.prec
}

// fixedDigits is %f's body; '#' keeps the point when no digits follow it.
func (s *convSpec) fixedDigits(v float64, prec int) []byte {
	b := strconv.AppendFloat(nil, v, 'f', prec, 64)
	if s.alt && prec == 0 {
		b = append(b, '.')
	}
	return b
}

// expDigits is %e's body; Go's 'e' format already writes C's exponent
// (sign and at least two digits).
func (s *convSpec) expDigits(v float64, prec int) []byte {
	b := strconv.AppendFloat(nil, v, 'e', prec, 64)
	if s.alt && prec == 0 {
		e := bytes.IndexByte(b, 'e')
		b = append(b[:e], append([]byte{'.'}, b[e:]...)...)
	}
	return b
}

// generalDigits is %g: with P significant digits (6 by default, at least
// 1) and X the exponent %e would print, %f with precision P-1-X when
// P > X >= -4 and %e with precision P-1 otherwise; without '#', trailing
// zeros of the fraction and a bare point are removed.
func (s *convSpec) generalDigits(v float64) []byte {
	p := s.precOr(6)
	if p == 0 {
		p = 1
	}
	e := strconv.AppendFloat(nil, v, 'e', p-1, 64)
	x := exponentOf10(e)
	var b []byte
	switch {
	case p > x && x >= -4:
		b = s.fixedDigits(v, p-1-x)
	case s.alt && x == p && exponentOf(v) == p-1:
		// glibc picks the style from the unrounded exponent: when rounding
		// carries a P-digit integer part to 10^P it switches to %e but keeps
		// %f's precision P-1-X, which is 0; visible only with '#'.
		b = s.expDigits(v, 0)
	default:
		b = s.expDigits(v, p-1)
	}
	if s.alt {
		return b
	}
	mantEnd := bytes.IndexByte(b, 'e')
	if mantEnd < 0 {
		mantEnd = len(b)
	}
	if bytes.IndexByte(b[:mantEnd], '.') < 0 {
		return b
	}
	cut := mantEnd
	for cut > 0 && b[cut-1] == '0' {
		cut--
	}
	if b[cut-1] == '.' {
		cut--
	}
	return append(b[:cut], b[mantEnd:]...)
}

// exponentOf is the decimal exponent of v before any rounding: 40
// significant digits are more than any double needs to show whether it is
// below a power of ten.
func exponentOf(v float64) int {
	return exponentOf10(strconv.AppendFloat(nil, v, 'e', 40, 64))
}

// exponentOf10 reads the exponent of a number in %e form.
func exponentOf10(e []byte) int {
	x, _ := strconv.Atoi(string(e[bytes.IndexByte(e, 'e')+1:]))
	return x
}

// hexFloatDigits is %a's body after "0x", in glibc's form: the shortest
// exact fraction when prec < 0, rounding half to even otherwise. For a
// double the leading digit is 1 for normal numbers and 0 for subnormals
// (exponent -1022), and a carry can make it 2. For a long double (x87
// extended, whose explicit integer bit leads the 64-bit mantissa) the
// leading digit holds the top four mantissa bits, 8 to f, and a carry
// renormalizes to 1 with the exponent raised by 4. The emulated machine
// keeps long doubles as doubles, so the value is widened first.
func hexFloatDigits(v float64, prec int, alt, longDouble bool) []byte {
	raw := math.Float64bits(v)
	biased := int(raw >> 52 & 0x7ff)
	frac := raw & (1<<52 - 1)
	var lead uint64
	exp := 0
	fracDigits := 13
	switch {
	case biased == 0 && frac == 0:
	case longDouble:
		fracDigits = 15
		var mant uint64
		if biased == 0 {
			shift := bits.LeadingZeros64(frac)
			mant = frac << uint(shift)
			exp = -1022 - (shift - 11) - 3
		} else {
			mant = 1<<63 | frac<<11
			exp = biased - 1023 - 3
		}
		lead, frac = mant>>60, mant&(1<<60-1)
	case biased == 0:
		exp = -1022
	default:
		lead, exp = 1, biased-1023
	}
	var digits []byte
	switch {
	case prec < 0:
		digits = []byte(fmt.Sprintf("%0*x", fracDigits, frac))
		n := len(digits)
		for n > 0 && digits[n-1] == '0' {
			n--
		}
		digits = digits[:n]
	case prec >= fracDigits:
		digits = []byte(fmt.Sprintf("%0*x", fracDigits, frac))
		digits = appendRepeat(digits, '0', prec-fracDigits)
	default:
		drop := uint(fracDigits-prec) * 4
		kept := frac >> drop
		rem := frac & (1<<drop - 1)
		half := uint64(1) << (drop - 1)
		keptLSB := kept & 1
		if prec == 0 {
			keptLSB = lead & 1
		}
		if rem > half || rem == half && keptLSB == 1 {
			kept++
		}
		if kept>>(uint(prec)*4) != 0 {
			kept = 0
			lead++
			if longDouble && lead == 16 {
				lead, exp = 1, exp+4
			}
		}
		if prec > 0 {
			digits = []byte(fmt.Sprintf("%0*x", prec, kept))
		}
	}
	b := strconv.AppendUint(nil, lead, 16)
	if len(digits) > 0 || alt {
		b = append(b, '.')
		b = append(b, digits...)
	}
	b = append(b, 'p')
	if exp >= 0 {
		b = append(b, '+')
	}
	return strconv.AppendInt(b, int64(exp), 10)
}
