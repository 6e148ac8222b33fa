package runtime

import (
	"strings"
	"testing"
)

var testLayout = Layout{Name: "T", Size: 32, Fields: []Field{
	{Name: "c", Offset: 0, Size: 1, Kind: Int},
	{Name: "u16", Offset: 2, Size: 2, Kind: Uint},
	{Name: "i32", Offset: 4, Size: 4, Kind: Int},
	{Name: "l", Offset: 8, Size: 8, Kind: Int},
	{Name: "bf", Offset: 16, Size: 4, Kind: Int, BitOffset: 3, BitWidth: 5},
	{Name: "ubf", Offset: 16, Size: 4, Kind: Uint, BitOffset: 8, BitWidth: 4},
	{Name: "f", Offset: 20, Size: 4, Kind: Float},
	{Name: "name", Offset: 24, Size: 8, Kind: Bytes},
}}

func TestStateAccess(t *testing.T) {
	s := NewState(&testLayout, make([]byte, 32))
	l := &testLayout
	s.SetInt(l.F("c"), -3)
	s.SetUint(l.F("u16"), 0x1_2345) // truncated to 16 bits
	s.SetInt(l.F("i32"), -70000)
	s.SetInt(l.F("l"), -1<<40)
	s.SetInt(l.F("bf"), -5)
	s.SetUint(l.F("ubf"), 0x1f) // truncated to 4 bits
	s.SetFloat(l.F("f"), 1.5)
	s.SetBytes(l.F("name"), []byte("abc"))
	for _, c := range []struct {
		field string
		got   int64
		want  int64
	}{
		{"c", s.Int(l.F("c")), -3},
		{"u16", s.Int(l.F("u16")), 0x2345},
		{"i32", s.Int(l.F("i32")), -70000},
		{"l", s.Int(l.F("l")), -1 << 40},
		{"bf", s.Int(l.F("bf")), -5},
		{"ubf", s.Int(l.F("ubf")), 0xf},
	} {
		if c.got != c.want {
			t.Errorf("%s = %d, want %d", c.field, c.got, c.want)
		}
	}
	if s.Float(l.F("f")) != 1.5 || string(s.Bytes(l.F("name"))[:4]) != "abc\x00" {
		t.Errorf("f %v, name %q", s.Float(l.F("f")), s.Bytes(l.F("name")))
	}
	// The two bitfields share a unit and must not clobber each other.
	s.SetInt(l.F("bf"), 7)
	if s.Int(l.F("ubf")) != 0xf || s.Int(l.F("bf")) != 7 {
		t.Errorf("bitfields: bf %d, ubf %d", s.Int(l.F("bf")), s.Int(l.F("ubf")))
	}
}

func TestCopyFieldsConverts(t *testing.T) {
	oldL := Layout{Name: "T", Size: 16, Fields: []Field{
		{Name: "a", Offset: 0, Size: 4, Kind: Int},
		{Name: "b", Offset: 4, Size: 4, Kind: Float},
		{Name: "gone", Offset: 8, Size: 8, Kind: Int},
	}}
	newL := Layout{Name: "T", Size: 24, Fields: []Field{
		{Name: "fresh", Offset: 0, Size: 8, Kind: Int},
		{Name: "b", Offset: 8, Size: 8, Kind: Int},  // float -> integer
		{Name: "a", Offset: 16, Size: 8, Kind: Int}, // widened, sign kept
	}}
	old := NewState(&oldL, make([]byte, 16))
	old.SetInt(oldL.F("a"), -9)
	old.SetFloat(oldL.F("b"), 41.9)
	old.SetInt(oldL.F("gone"), 5)
	nw := NewState(&newL, make([]byte, 24))
	CopyFields(old, nw)
	if nw.Int(newL.F("a")) != -9 || nw.Int(newL.F("b")) != 41 || nw.Int(newL.F("fresh")) != 0 {
		t.Errorf("a %d b %d fresh %d", nw.Int(newL.F("a")), nw.Int(newL.F("b")), nw.Int(newL.F("fresh")))
	}
}

func TestLayoutCheck(t *testing.T) {
	bad := []Layout{
		{Name: "T", Size: 4, Fields: []Field{{Name: "x", Offset: 0, Size: 8, Kind: Int}}},
		{Name: "T", Size: 8, Fields: []Field{{Name: "x", Offset: 0, Size: 3, Kind: Int}}},
		{Name: "T", Size: 8, Fields: []Field{{Name: "x", Offset: 0, Size: 4, Kind: Int}, {Name: "x", Offset: 4, Size: 4, Kind: Int}}},
		{Name: "T", Size: 8, Fields: []Field{{Name: "x", Offset: 0, Size: 1, Kind: Int, BitOffset: 6, BitWidth: 4}}},
	}
	for i, l := range bad {
		u := &Update{Name: "u", Sources: []Source{{Path: "a.c"}}, Types: []TypeUpdate{{Name: "T", Old: l, New: testLayout}}}
		if err := u.Validate(); err == nil {
			t.Errorf("layout %d: no error", i)
		}
	}
	if err := (&Update{Name: "u", Functions: []string{"f"}}).Validate(); err == nil {
		t.Error("functions without sources: no error")
	}
	if err := (&Update{Name: "u", Sources: []Source{{Path: "a.c"}, {Path: "a.c"}}}).Validate(); err == nil {
		t.Error("a source given twice: no error")
	}
	if err := (&Update{Name: "u", Adapters: []Adapter{{Func: "f"}}}).Validate(); err == nil {
		t.Error("an adapter without Forward: no error")
	}
}

func TestFieldPanicsOnUnknownName(t *testing.T) {
	defer func() {
		if r := recover(); r == nil || !strings.Contains(r.(string), "no field nope") {
			t.Errorf("recover() = %v", r)
		}
	}()
	testLayout.F("nope")
}
