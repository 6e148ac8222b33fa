package runtime

import (
	"encoding/binary"
	"fmt"
	"math"
)

// Layout is the precise layout of an object type's state (struct T) at one
// version, as the C front end computed it for the target's LP64 ABI.
type Layout struct {
	Name   string  `json:"name"` // the struct's tag
	Size   uint64  `json:"size"`
	Fields []Field `json:"fields"`
}

// Field is one member of a state struct. Kind says how its bytes read as a
// value; aggregates (arrays, nested structs and unions) are Bytes. A
// bitfield has BitWidth > 0: it lives at bit BitOffset of the Size-byte
// unit at Offset.
type Field struct {
	Name      string `json:"name"`
	Offset    uint64 `json:"offset"`
	Size      uint64 `json:"size"`
	Kind      Kind   `json:"kind"`
	BitOffset uint8  `json:"bit_offset,omitempty"`
	BitWidth  uint8  `json:"bit_width,omitempty"`
	// Type is the C type, for reports and generated comments.
	Type string `json:"type,omitempty"`
}

// Kind is how a field's bytes are read.
type Kind uint8

// Field kinds.
const (
	Bytes  Kind = iota // arrays, structs, unions: raw bytes
	Int                // signed integer (also enums, bool)
	Uint               // unsigned integer
	Ptr                // a pointer (an address in target memory)
	ObjRef             // an object reference (ref_t / TRef)
	Float              // float or double
)

func (k Kind) String() string {
	switch k {
	case Bytes:
		return "bytes"
	case Int:
		return "int"
	case Uint:
		return "uint"
	case Ptr:
		return "ptr"
	case ObjRef:
		return "ref"
	case Float:
		return "float"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

var kindNames = []string{"bytes", "int", "uint", "ptr", "ref", "float"}

// MarshalText writes a kind by name (plan.json layouts).
func (k Kind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// UnmarshalText reads a kind by name.
func (k *Kind) UnmarshalText(b []byte) error {
	for i, n := range kindNames {
		if n == string(b) {
			*k = Kind(i)
			return nil
		}
	}
	return fmt.Errorf("unknown field kind %q", b)
}

func (l *Layout) check() error {
	seen := map[string]bool{}
	for _, f := range l.Fields {
		if f.Name != "" && seen[f.Name] {
			return fmt.Errorf("field %s given twice", f.Name)
		}
		seen[f.Name] = true
		if f.Offset+f.Size > l.Size {
			return fmt.Errorf("field %s (%d bytes at %d) overflows the %d-byte struct", f.Name, f.Size, f.Offset, l.Size)
		}
		if f.Kind != Bytes && f.Kind != Float && f.Size != 1 && f.Size != 2 && f.Size != 4 && f.Size != 8 {
			return fmt.Errorf("field %s: a %s of %d bytes", f.Name, f.Kind, f.Size)
		}
		if f.Kind == Float && f.Size != 4 && f.Size != 8 {
			return fmt.Errorf("field %s: a float of %d bytes", f.Name, f.Size)
		}
		if f.BitWidth > 0 && int(f.BitOffset)+int(f.BitWidth) > int(f.Size)*8 {
			return fmt.Errorf("field %s: bitfield %d:%d does not fit its %d-byte unit", f.Name, f.BitOffset, f.BitWidth, f.Size)
		}
	}
	return nil
}

// Lookup returns the named field. Layouts have few fields: a scan is as
// fast as a map and keeps Layout a plain value that generated code writes
// as a literal.
func (l *Layout) Lookup(name string) (Field, bool) {
	for _, f := range l.Fields {
		if f.Name == name {
			return f, true
		}
	}
	return Field{}, false
}

// F returns the named field and panics if there is none: transfer code
// names fields it was generated from, so a missing one is a bug in the
// package (the runtime turns the panic into a failed, rolled-back update).
// Hoist F out of per-instance code when speed matters:
//
//	var fileSize = fileV2.F("size")
func (l *Layout) F(name string) Field {
	f, ok := l.Lookup(name)
	if !ok {
		panic(fmt.Sprintf("struct %s has no field %s", l.Name, name))
	}
	return f
}

// Equal reports whether two layouts describe the same bytes: same size and
// the same fields at the same places (names included).
func (l *Layout) Equal(o *Layout) bool {
	if l.Size != o.Size || len(l.Fields) != len(o.Fields) {
		return false
	}
	for i, f := range l.Fields {
		g := o.Fields[i]
		if f.Name != g.Name || f.Offset != g.Offset || f.Size != g.Size || f.Kind != g.Kind ||
			f.BitOffset != g.BitOffset || f.BitWidth != g.BitWidth {
			return false
		}
	}
	return true
}

// State is typed access to one instance's state bytes during a transfer.
// The bytes are the target's own memory (no copy): reads and writes are a
// bounds check and a little-endian load or store.
type State struct {
	Ref    Ref     // the instance
	Layout *Layout // the layout the bytes follow
	Addr   uint64  // where the state lives in target memory
	b      []byte
	env    *Env
}

// NewState wraps raw state bytes in an accessor (for tests and tools that
// convert states outside a target).
func NewState(l *Layout, b []byte) State { return State{Layout: l, b: b} }

// Raw returns the state's bytes.
func (s State) Raw() []byte { return s.b }

// Env returns the environment of the update (target memory, globals), or
// nil outside an update.
func (s State) Env() *Env { return s.env }

func (s State) unit(f Field) uint64 {
	b := s.b[f.Offset : f.Offset+f.Size]
	switch f.Size {
	case 1:
		return uint64(b[0])
	case 2:
		return uint64(binary.LittleEndian.Uint16(b))
	case 4:
		return uint64(binary.LittleEndian.Uint32(b))
	case 8:
		return binary.LittleEndian.Uint64(b)
	}
	panic(fmt.Sprintf("field %s of %d bytes is not a scalar", f.Name, f.Size))
}

func (s State) setUnit(f Field, v uint64) {
	b := s.b[f.Offset : f.Offset+f.Size]
	switch f.Size {
	case 1:
		b[0] = byte(v)
	case 2:
		binary.LittleEndian.PutUint16(b, uint16(v))
	case 4:
		binary.LittleEndian.PutUint32(b, uint32(v))
	case 8:
		binary.LittleEndian.PutUint64(b, v)
	default:
		panic(fmt.Sprintf("field %s of %d bytes is not a scalar", f.Name, f.Size))
	}
}

// Uint reads an integer, pointer or ref field zero-extended (a bitfield's
// bits only).
func (s State) Uint(f Field) uint64 {
	v := s.unit(f)
	if f.BitWidth > 0 {
		v = v >> f.BitOffset & (1<<f.BitWidth - 1)
	}
	return v
}

// Int reads an integer field sign-extended when its kind is Int.
func (s State) Int(f Field) int64 {
	v := s.Uint(f)
	w := uint(f.Size * 8)
	if f.BitWidth > 0 {
		w = uint(f.BitWidth)
	}
	if f.Kind == Int && w < 64 {
		return int64(v<<(64-w)) >> (64 - w)
	}
	return int64(v)
}

// SetUint writes an integer, pointer or ref field, truncating v to the
// field's width.
func (s State) SetUint(f Field, v uint64) {
	if f.BitWidth > 0 {
		mask := uint64(1)<<f.BitWidth - 1
		u := s.unit(f)
		u = u&^(mask<<f.BitOffset) | (v&mask)<<f.BitOffset
		s.setUnit(f, u)
		return
	}
	s.setUnit(f, v)
}

// SetInt writes a signed integer field (truncating to its width).
func (s State) SetInt(f Field, v int64) { s.SetUint(f, uint64(v)) }

// Float reads a float or double field.
func (s State) Float(f Field) float64 {
	if f.Size == 4 {
		return float64(math.Float32frombits(uint32(s.unit(f))))
	}
	return math.Float64frombits(s.unit(f))
}

// SetFloat writes a float or double field.
func (s State) SetFloat(f Field, v float64) {
	if f.Size == 4 {
		s.setUnit(f, uint64(math.Float32bits(float32(v))))
		return
	}
	s.setUnit(f, math.Float64bits(v))
}

// Bytes returns the field's bytes (a view: writes go to the state).
func (s State) Bytes(f Field) []byte { return s.b[f.Offset : f.Offset+f.Size] }

// SetBytes copies b into the field (at most its size; the rest is zeroed).
func (s State) SetBytes(f Field, b []byte) {
	dst := s.Bytes(f)
	n := copy(dst, b)
	clear(dst[n:])
}

// Copy copies a field of src into a field of s, converting between integer
// widths and signedness, integer and float, and copying the common prefix of
// aggregates.
func (s State) Copy(dst Field, src State, from Field) {
	switch {
	case dst.Kind == Bytes || from.Kind == Bytes:
		s.SetBytes(dst, src.Bytes(from))
	case dst.Kind == Float && from.Kind == Float:
		s.SetFloat(dst, src.Float(from))
	case dst.Kind == Float:
		if from.Kind == Int {
			s.SetFloat(dst, float64(src.Int(from)))
		} else {
			s.SetFloat(dst, float64(src.Uint(from)))
		}
	case from.Kind == Float:
		s.SetInt(dst, int64(src.Float(from)))
	case from.Kind == Int:
		s.SetInt(dst, src.Int(from))
	default:
		s.SetUint(dst, src.Uint(from))
	}
}

// CopyFields copies every field of old into the same-named field of new
// (see State.Copy); fields only new has keep their value (zero in a fresh
// state). It is the default transfer in both directions.
func CopyFields(old, new State) {
	for _, nf := range new.Layout.Fields {
		if of, ok := old.Layout.Lookup(nf.Name); ok && nf.Name != "" {
			new.Copy(nf, old, of)
		}
	}
}

// Env is what hooks and transfer functions may use of the target while an
// update is applied.
type Env struct {
	target Target
	update *Update
	code   Code // the update's loaded code
}

// Update returns the update being applied.
func (e *Env) Update() *Update { return e.update }

// OTT returns the target's object table.
func (e *Env) OTT() *OTT { return e.target.OTT() }

// Read copies n bytes of target memory at addr.
func (e *Env) Read(addr, n uint64) ([]byte, error) { return e.target.Read(addr, n) }

// Write copies b into target memory at addr.
func (e *Env) Write(addr uint64, b []byte) error { return e.target.Write(addr, b) }

// Alloc allocates zeroed target heap memory; 0 when memory is exhausted.
func (e *Env) Alloc(n uint64) uint64 { return e.target.Alloc(n) }

// Free frees target heap memory.
func (e *Env) Free(addr uint64) error { return e.target.Free(addr) }

// Global returns the address of a global variable of the running image
// (a file-local one is named "path:name").
func (e *Env) Global(name string) (uint64, bool) { return e.target.Global(name) }

// Call runs a kernel function to completion on a host CPU of the target
// (while the emulated CPUs are stopped) and returns its raw result.
func (e *Env) Call(fn string, args ...uint64) (uint64, error) { return e.target.Call(fn, args...) }

// ReadUint reads a little-endian integer of size 1, 2, 4 or 8 bytes.
func (e *Env) ReadUint(addr, size uint64) (uint64, error) {
	b, err := e.target.Read(addr, size)
	if err != nil {
		return 0, err
	}
	var v uint64
	for i := len(b) - 1; i >= 0; i-- {
		v = v<<8 | uint64(b[i])
	}
	return v, nil
}

// WriteUint writes a little-endian integer of size 1, 2, 4 or 8 bytes.
func (e *Env) WriteUint(addr, size, v uint64) error {
	b := make([]byte, size)
	for i := range b {
		b[i] = byte(v >> (8 * i))
	}
	return e.target.Write(addr, b)
}

// FuncAddr returns the address of a function in the new image (the
// update's definition when it has one, else the running kernel's): the
// value a function pointer to it holds, e.g. to repoint an ops table at a
// function the update adds or whose signature changes. A file-local
// function is named "path:name".
func (e *Env) FuncAddr(name string) (uint64, error) {
	if e.code == nil {
		return 0, fmt.Errorf("function %s: the update's code is not loaded", name)
	}
	return e.code.FuncAddr(name)
}

// Moves lists the globals the update gives new storage because their size
// changes (see GlobalMove): a hook transfers what the default transfer
// does not (Keep bytes) between Old and New.
func (e *Env) Moves() []GlobalMove {
	if e.code == nil {
		return nil
	}
	return e.code.Moves()
}
