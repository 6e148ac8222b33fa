package emu

import "fmt"

// Undefined behaviour the machine traps, as UBSan does: signed integer
// overflow in + - * (and ++, --, compound assignments, unary minus of
// INT_MIN), and INT_MIN / -1
// (and %), which a real CPU traps too. Each is a fault of kind "overflow"
// with the C backtrace. LoadOptions.Wrapv turns the signed-overflow
// checks off (gcc's -fwrapv semantics) for code that relies on wrapping;
// unsigned arithmetic always wraps, as C defines.

// sword is a signed type arithmetic is done in.
type sword interface{ ~int32 | ~int64 }

func minOf[T sword]() T { return T(1) << (bitsOf[T]() - 1) }

func maxOf[T sword]() T { return ^minOf[T]() }

// typeName is the C name of T for fault messages.
func typeName[T sword]() string {
	if bitsOf[T]() == 32 {
		return "int"
	}
	return "long"
}

func overflowFault[T sword](f *frame, a T, op string, b T) {
	f.fault("overflow", "signed integer overflow: %d %s %d cannot be represented in type %s", a, op, b, typeName[T]())
}

func addChecked[T sword](f *frame, a, b T) T {
	r := a + b
	if (a^r)&(b^r) < 0 {
		overflowFault(f, a, "+", b)
	}
	return r
}

func subChecked[T sword](f *frame, a, b T) T {
	r := a - b
	if (a^b)&(a^r) < 0 {
		overflowFault(f, a, "-", b)
	}
	return r
}

func mulChecked[T sword](f *frame, a, b T) T {
	r := a * b
	if a != 0 && (r/a != b || a == -1 && b == minOf[T]()) {
		overflowFault(f, a, "*", b)
	}
	return r
}

// checkedBinop compiles a signed + - * that traps on overflow; nil for
// other operators. The slot and constant forms keep the fast paths of
// binop.
func checkedBinop[T sword](op int, l, r iexpr, rk *uint64, ls, rs int) iexpr {
	var apply func(f *frame, a, b T) T
	switch op {
	case opAdd:
		apply = addChecked[T]
	case opSub:
		apply = subChecked[T]
	case opMul:
		apply = mulChecked[T]
	default:
		return nil
	}
	switch {
	case ls > 0 && rk != nil:
		k, c := ls-1, T(*rk)
		if op == opAdd {
			return func(f *frame) uint64 { return uint64(addChecked(f, T(f.slots[k]), c)) }
		}
		return func(f *frame) uint64 { return uint64(apply(f, T(f.slots[k]), c)) }
	case ls > 0 && rs > 0:
		a, b := ls-1, rs-1
		return func(f *frame) uint64 { return uint64(apply(f, T(f.slots[a]), T(f.slots[b]))) }
	case rk != nil:
		c := T(*rk)
		if op == opAdd {
			return func(f *frame) uint64 { return uint64(addChecked(f, T(l(f)), c)) }
		}
		return func(f *frame) uint64 { return uint64(apply(f, T(l(f)), c)) }
	}
	if op == opAdd {
		return func(f *frame) uint64 { a := T(l(f)); return uint64(addChecked(f, a, T(r(f)))) }
	}
	return func(f *frame) uint64 { a := T(l(f)); return uint64(apply(f, a, T(r(f)))) }
}

// checkedBinfn is binfn for a signed + - * that traps on overflow; nil
// for other operators.
func checkedBinfn[T sword](op int) func(f *frame, a, b uint64) uint64 {
	switch op {
	case opAdd:
		return func(f *frame, a, b uint64) uint64 { return uint64(addChecked(f, T(a), T(b))) }
	case opSub:
		return func(f *frame, a, b uint64) uint64 { return uint64(subChecked(f, T(a), T(b))) }
	case opMul:
		return func(f *frame, a, b uint64) uint64 { return uint64(mulChecked(f, T(a), T(b))) }
	}
	return nil
}

// checkedIntBinop is intBinop with signed overflow trapped, nil when the
// operation cannot overflow or the type is unsigned.
func checkedIntBinop(op int, sc scalar, l, r iexpr, rk *uint64, ls, rs int) iexpr {
	switch {
	case !sc.signed || sc.size < 4:
		return nil
	case sc.size == 8:
		return checkedBinop[int64](op, l, r, rk, ls, rs)
	}
	return checkedBinop[int32](op, l, r, rk, ls, rs)
}

// checkedIntBinfn is intBinfn with signed overflow trapped, nil when the
// operation cannot overflow or the type is unsigned.
func checkedIntBinfn(op int, sc scalar) func(f *frame, a, b uint64) uint64 {
	switch {
	case !sc.signed || sc.size < 4:
		return nil
	case sc.size == 8:
		return checkedBinfn[int64](op)
	}
	return checkedBinfn[int32](op)
}

// incOverflows reports whether adding delta (+1 or -1) to the signed value
// v of scalar sc overflows.
func incOverflows(sc scalar, v, delta uint64) bool {
	switch sc.size {
	case 4:
		x := int32(v)
		return delta == 1 && x == maxOf[int32]() || delta == ^uint64(0) && x == minOf[int32]()
	case 8:
		x := int64(v)
		return delta == 1 && x == maxOf[int64]() || delta == ^uint64(0) && x == minOf[int64]()
	}
	return false
}

// incFault reports an overflowing ++ or --.
func incFault(f *frame, sc scalar, v, delta uint64) {
	op := "+"
	if delta != 1 {
		op = "-"
	}
	name := "int"
	x := int64(int32(v))
	if sc.size == 8 {
		name, x = "long", int64(v)
	}
	f.fault("overflow", "%s", fmt.Sprintf("signed integer overflow: %d %s 1 cannot be represented in type %s", x, op, name))
}

// divOverflows reports INT_MIN / -1 (or %) in signed T: the quotient is not
// representable, and x86 traps it.
func divOverflows[T word](a, b T) bool {
	var zero T
	if ^zero > 0 { // unsigned
		return false
	}
	return b == ^zero && a == T(1)<<(bitsOf[T]()-1)
}

// checkedNeg is unary minus in signed int or long that traps -INT_MIN
// (-LONG_MIN), which is not representable; nil when the type is unsigned
// or narrower than int (promotion makes those safe).
func checkedNeg(sc scalar, e iexpr) iexpr {
	switch {
	case !sc.signed || sc.size < 4:
		return nil
	case sc.size == 8:
		return func(f *frame) uint64 {
			v := int64(e(f))
			if v == minOf[int64]() {
				f.fault("overflow", "signed integer overflow: negation of %d cannot be represented in type long", v)
			}
			return uint64(-v)
		}
	}
	return func(f *frame) uint64 {
		v := int32(e(f))
		if v == minOf[int32]() {
			f.fault("overflow", "signed integer overflow: negation of %d cannot be represented in type int", v)
		}
		return uint64(int64(-v))
	}
}
