package runtime

import (
	"fmt"
	"math"
)

// The conversions below are what state transfers and adapters need between
// an old and a new C type: generated update packages call them, and so does
// synth/verify's interpreter of the same plan, so both convert alike.

// Fingerprint identifies a layout: its name, size and every field's name,
// place, size, kind and bits. A generated package checks it before running
// transfer code derived from the layout.
func (l *Layout) Fingerprint() string {
	h := uint64(14695981039346656037) // FNV-1a
	mix := func(s string) {
		for i := 0; i < len(s); i++ {
			h ^= uint64(s[i])
			h *= 1099511628211
		}
	}
	mix(fmt.Sprintf("%s/%d", l.Name, l.Size))
	for _, f := range l.Fields {
		mix(fmt.Sprintf("|%s@%d+%d:%d.%d.%d", f.Name, f.Offset, f.Size, f.Kind, f.BitOffset, f.BitWidth))
	}
	return fmt.Sprintf("%016x", h)
}

// LoadInt reads a little-endian integer of len(b) bytes, sign-extended to 64
// bits when signed.
func LoadInt(b []byte, signed bool) uint64 {
	var v uint64
	for i := len(b) - 1; i >= 0; i-- {
		v = v<<8 | uint64(b[i])
	}
	if w := uint(len(b) * 8); signed && w < 64 {
		v = uint64(int64(v<<(64-w)) >> (64 - w))
	}
	return v
}

// StoreInt writes the low len(b) bytes of v, little-endian.
func StoreInt(b []byte, v uint64) {
	for i := range b {
		b[i] = byte(v >> (8 * i))
	}
}

// fits reports whether v (as read from the source) is representable in a
// destination of w bits.
func fits(v uint64, srcSigned bool, w uint, dstSigned bool) bool {
	if srcSigned && int64(v) < 0 {
		return dstSigned && (w >= 64 || int64(v) >= -(int64(1)<<(w-1)))
	}
	switch {
	case w >= 64:
		return !dstSigned || int64(v) >= 0
	case dstSigned:
		return v < uint64(1)<<(w-1)
	}
	return v < uint64(1)<<w
}

// ConvertInt copies an integer between widths and signedness, failing
// (naming the field) when the value does not fit the destination.
func ConvertInt(dst []byte, dstSigned bool, src []byte, srcSigned bool, field string) error {
	v := LoadInt(src, srcSigned)
	if !fits(v, srcSigned, uint(len(dst)*8), dstSigned) {
		return fmt.Errorf("%s: value %d does not fit the new type (%d bytes)", field, int64(v), len(dst))
	}
	StoreInt(dst, v)
	return nil
}

// ConvertFloat converts between float (4 bytes) and double (8 bytes).
func ConvertFloat(dst, src []byte) {
	if len(src) == 4 {
		StoreInt(dst, math.Float64bits(float64(math.Float32frombits(uint32(LoadInt(src, false))))))
		return
	}
	StoreInt(dst, uint64(math.Float32bits(float32(math.Float64frombits(LoadInt(src, false))))))
}

// ConvertBits moves a bitfield of sbits bits at bit sbit of src into dbits
// bits at bit dbit of dst, failing when the value does not fit.
func ConvertBits(dst []byte, dbit, dbits int, dstSigned bool, src []byte, sbit, sbits int, srcSigned bool, field string) error {
	v := LoadInt(src, false) >> uint(sbit)
	if sbits < 64 {
		v &= uint64(1)<<uint(sbits) - 1
		if srcSigned && v>>uint(sbits-1) == 1 {
			v |= ^uint64(0) << uint(sbits)
		}
	}
	if !fits(v, srcSigned, uint(dbits), dstSigned) {
		return fmt.Errorf("%s: value %d does not fit %d bits", field, int64(v), dbits)
	}
	u := LoadInt(dst, false)
	mask := ^uint64(0)
	if dbits < 64 {
		mask = uint64(1)<<uint(dbits) - 1
	}
	u = u&^(mask<<uint(dbit)) | (v&mask)<<uint(dbit)
	StoreInt(dst, u)
	return nil
}

// ConvertArg converts an integer argument slot between widths, failing the
// call (naming the parameter) when the value does not fit.
func ConvertArg(v uint64, srcSize int, srcSigned bool, dstSize int, dstSigned bool, param string) (uint64, error) {
	v = ConvertResult(v, srcSize, srcSigned)
	if !fits(v, srcSigned, uint(dstSize*8), dstSigned) {
		return 0, fmt.Errorf("argument %s: %d does not fit %d bytes", param, int64(v), dstSize)
	}
	return ConvertResult(v, dstSize, dstSigned), nil
}

// ConvertResult truncates a slot to size bytes and sign- or zero-extends it
// back to 64 bits, as a C return value of that type reads.
func ConvertResult(v uint64, size int, signed bool) uint64 {
	if w := uint(size * 8); w < 64 {
		v &= uint64(1)<<w - 1
		if signed && v>>(w-1) == 1 {
			v |= ^uint64(0) << w
		}
	}
	return v
}

// PatchGlobal writes new over an integer of size bytes at offset off of the
// global sym, if it still holds its initial value old; a global changed at
// run time is left for a hook to decide.
func PatchGlobal(env *Env, sym string, off, size, old, new uint64) error {
	addr, ok := env.Global(sym)
	if !ok {
		return fmt.Errorf("the running kernel has no global %s", sym)
	}
	v, err := env.ReadUint(addr+off, size)
	if err != nil {
		return err
	}
	if v != old {
		return fmt.Errorf("global %s holds %d at +%d, not the initial %d: it changed at run time, a hook must decide", sym, v, off, old)
	}
	return env.WriteUint(addr+off, size, new)
}
