package emu

import (
	"modernc.org/cc/v4"
)

// class is how the machine represents a value of a C type.
type class uint8

const (
	clVoid    class = iota
	clInt           // integers, enums, _Bool and pointers: 64 raw bits, normalized
	clFloat         // float: a float64 holding a float32-rounded value
	clDouble        // double and long double (both IEEE double here)
	clAgg           // struct or union: the value is the object's address
	clArray         // array: decays to the address of its first element
	clFunc          // function designator
	clInvalid       // a type the machine does not support (complex, __int128...)
)

func classOf(t cc.Type) class {
	if t == nil {
		return clInvalid
	}
	switch t.Kind() {
	case cc.Void:
		return clVoid
	case cc.Bool, cc.Char, cc.SChar, cc.UChar, cc.Short, cc.UShort, cc.Int, cc.UInt,
		cc.Long, cc.ULong, cc.LongLong, cc.ULongLong, cc.Enum, cc.Ptr:
		return clInt
	case cc.Float:
		return clFloat
	case cc.Double, cc.LongDouble:
		return clDouble
	case cc.Struct, cc.Union:
		return clAgg
	case cc.Array:
		return clArray
	case cc.Function:
		return clFunc
	}
	return clInvalid
}

// isFloating reports whether a class is a floating type.
func (c class) isFloating() bool { return c == clFloat || c == clDouble }

// scalar describes how an integer-class type is stored: its width in bytes
// and whether it is signed; _Bool is width 1, unsigned, and normalizes any
// nonzero value to 1.
type scalar struct {
	size   int
	signed bool
	isBool bool
}

func scalarOf(t cc.Type) scalar {
	switch t.Kind() {
	case cc.Bool:
		return scalar{size: 1, isBool: true}
	case cc.Char, cc.SChar:
		return scalar{size: 1, signed: t.Kind() == cc.SChar || t.Kind() == cc.Char}
	case cc.UChar:
		return scalar{size: 1}
	case cc.Short:
		return scalar{size: 2, signed: true}
	case cc.UShort:
		return scalar{size: 2}
	case cc.Int:
		return scalar{size: 4, signed: true}
	case cc.UInt:
		return scalar{size: 4}
	case cc.Long, cc.LongLong:
		return scalar{size: 8, signed: true}
	case cc.ULong, cc.ULongLong, cc.Ptr:
		return scalar{size: 8}
	case cc.Enum:
		// GCC gives an enum without negative values an unsigned
		// underlying type, which shows in its bit-fields.
		if et, ok := t.(*cc.EnumType); ok {
			s := scalar{size: int(t.Size()), signed: et.Min() < 0}
			if u := et.UnderlyingType(); u != nil && u.Kind() != cc.Enum {
				s = scalarOf(u)
				if et.Min() >= 0 {
					s.signed = false
				}
			}
			return s
		}
		return scalar{size: int(t.Size()), signed: true}
	}
	return scalar{size: 8}
}

// promote applies the integer promotions to an integer scalar.
func (s scalar) promote() scalar {
	if s.size < 4 || s.isBool {
		return scalar{size: 4, signed: true}
	}
	return s
}

// usualArith returns the common type of two promoted integer scalars.
func usualArith(a, b scalar) scalar {
	a, b = a.promote(), b.promote()
	if a == b {
		return a
	}
	if a.signed == b.signed {
		if a.size >= b.size {
			return a
		}
		return b
	}
	u, s := a, b
	if a.signed {
		u, s = b, a
	}
	if u.size >= s.size {
		return u
	}
	return s // a signed type wider than the unsigned one holds all its values
}

// normalize returns v converted to the scalar type: truncated and then sign-
// or zero-extended to 64 bits, the representation every integer value has.
func (s scalar) normalize(v uint64) uint64 {
	if s.isBool {
		if v != 0 {
			return 1
		}
		return 0
	}
	switch s.size {
	case 1:
		if s.signed {
			return uint64(int8(v))
		}
		return uint64(uint8(v))
	case 2:
		if s.signed {
			return uint64(int16(v))
		}
		return uint64(uint16(v))
	case 4:
		if s.signed {
			return uint64(int32(v))
		}
		return uint64(uint32(v))
	}
	return v
}

// elemSize is the size pointer arithmetic scales by: the pointee's size, or 1
// for void and function pointees (the GNU extension).
func elemSize(t cc.Type) int64 {
	var e cc.Type
	switch x := t.(type) {
	case *cc.PointerType:
		e = x.Elem()
	case *cc.ArrayType:
		e = x.Elem()
	default:
		return 1
	}
	if e == nil || e.Kind() == cc.Void || e.Kind() == cc.Function {
		return 1
	}
	if sz := e.Size(); sz > 0 {
		return sz
	}
	return 1
}

// pointee returns the type a pointer or array type points to.
func pointee(t cc.Type) cc.Type {
	switch x := t.(type) {
	case *cc.PointerType:
		return x.Elem()
	case *cc.ArrayType:
		return x.Elem()
	}
	return nil
}

// funcType returns the function type of a function or pointer-to-function.
func funcType(t cc.Type) *cc.FunctionType {
	switch x := t.(type) {
	case *cc.FunctionType:
		return x
	case *cc.PointerType:
		if ft, ok := x.Elem().(*cc.FunctionType); ok {
			return ft
		}
	}
	return nil
}
