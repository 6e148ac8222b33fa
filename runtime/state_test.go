package runtime

import (
	"strings"
	"testing"
	"testing/fstest"
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

func TestReadManifest(t *testing.T) {
	dir := fstest.MapFS{
		"update.json": {Data: []byte(`{
  "name": "n", "mode": "lazy", "sources": ["a.c"], "functions": ["f"],
  "types": [{"name": "T",
    "old": {"name": "T", "size": 8, "fields": [{"name": "x", "offset": 0, "size": 8, "kind": "int"}]},
    "new": {"name": "T", "size": 16, "fields": [{"name": "x", "offset": 8, "size": 8, "kind": "int"}, {"name": "y", "offset": 0, "size": 8, "kind": "uint"}]},
    "set": {"y": "7"}}],
  "adapters": [{"func": "g", "forward": ["$0", "1"], "reverse": ["$0*$1"]}]
}`)},
		"a.c": {Data: []byte("int f(void) { return 1; }\n")},
	}
	u, err := ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	if u.Mode != Lazy || len(u.Sources) != 1 || u.Sources[0].Path != "a.c" || u.Types[0].New.Fields[1].Kind != Uint {
		t.Fatalf("update %+v", u)
	}
	tu := u.Types[0]
	old := NewState(&tu.Old, make([]byte, 8))
	old.SetInt(tu.Old.F("x"), -4)
	nw := NewState(&tu.New, make([]byte, 16))
	if err := tu.Transfer(old, nw); err != nil {
		t.Fatal(err)
	}
	if nw.Int(tu.New.F("x")) != -4 || nw.Int(tu.New.F("y")) != 7 {
		t.Errorf("transfer: x %d y %d", nw.Int(tu.New.F("x")), nw.Int(tu.New.F("y")))
	}
	fwd, err := u.Adapters[0].Forward([]uint64{5})
	if err != nil || len(fwd) != 2 || fwd[0] != 5 || fwd[1] != 1 {
		t.Errorf("forward: %v %v", fwd, err)
	}
	rev, err := u.Adapters[0].Reverse([]uint64{6, 7})
	if err != nil || len(rev) != 1 || rev[0] != 42 {
		t.Errorf("reverse: %v %v", rev, err)
	}
	if _, err := u.Adapters[0].Reverse([]uint64{6}); err == nil {
		t.Error("reverse of a short argument list: no error")
	}
	for _, bad := range []string{`{"mode": "sideways"}`, `{"sources": ["missing.c"]}`, `{"adapters": [{"func": "g", "forward": ["$x"]}]}`, `not json`} {
		if _, err := ReadManifest(fstest.MapFS{"update.json": {Data: []byte(bad)}}); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
}

// FuzzReadManifest: any update.json is read or refused, never a crash; the
// adapters and transfers it yields never panic either.
func FuzzReadManifest(f *testing.F) {
	f.Add([]byte(`{"name":"n","types":[{"name":"T","old":{"name":"T","size":8,"fields":[{"name":"x","offset":0,"size":8,"kind":"int"}]},"new":{"name":"T","size":8,"fields":[{"name":"x","offset":0,"size":8,"kind":"uint"}]},"set":{"x":"x"}}],"adapters":[{"func":"g","forward":["$0*$1","-3"]}]}`))
	f.Add([]byte(`{"mode":"eager","sources":[]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		u, err := ReadManifest(fstest.MapFS{"update.json": {Data: b}})
		if err != nil {
			return
		}
		if u.Validate() != nil {
			return
		}
		for _, a := range u.Adapters {
			if a.Forward != nil {
				a.Forward([]uint64{1, 2, 3})
			}
		}
		for _, tu := range u.Types {
			if tu.Transfer != nil && tu.Old.Size < 1<<16 && tu.New.Size < 1<<16 {
				old := NewState(&tu.Old, make([]byte, tu.Old.Size))
				nw := NewState(&tu.New, make([]byte, tu.New.Size))
				func() {
					defer func() { recover() }() // the runtime recovers transfer panics too
					tu.Transfer(old, nw)
				}()
			}
		}
	})
}
