package runtime

import (
	"reflect"
	"testing"
)

func TestOTTLifecycle(t *testing.T) {
	ott := NewOTT()
	if _, ok := ott.Get(0); ok {
		t.Fatal("ref 0 must be invalid")
	}
	a := ott.New("File", 0x1000, 64)
	b := ott.New("File", 0x2000, 64)
	d := ott.New("Dir", 0x3000, 32)
	if a == 0 || a == b || ott.Live() != 3 {
		t.Fatalf("refs %d %d %d, live %d", a, b, d, ott.Live())
	}
	e, ok := ott.Get(b)
	if !ok || e.Type != "File" || e.Version != 1 || e.State != 0x2000 || e.Size != 64 {
		t.Fatalf("entry %+v", e)
	}
	f := ott.Factory("File")
	if f.Count() != 2 || !reflect.DeepEqual(f.Instances(), []Ref{a, b}) {
		t.Errorf("factory %d %v", f.Count(), f.Instances())
	}
	// A new version: new instances get it, old ones keep theirs until moved.
	f.Current = 2
	c := ott.New("File", 0x4000, 80)
	e, _ = ott.Get(a)
	e.Version = 2
	if got := ott.CountByVersion("File"); !reflect.DeepEqual(got, map[int]int{1: 1, 2: 2}) {
		t.Errorf("by version %v", got)
	}
	if _, err := ott.Free(b); err != nil {
		t.Fatal(err)
	}
	if _, err := ott.Free(b); err == nil {
		t.Error("double free accepted")
	}
	if _, ok := ott.Get(b); ok {
		t.Error("freed ref still valid")
	}
	if _, err := ott.Free(999); err == nil {
		t.Error("free of an invalid ref accepted")
	}
	if f.Count() != 2 || f.Created() != 3 || f.Freed() != 1 || ott.Live() != 3 {
		t.Errorf("count %d created %d freed %d live %d", f.Count(), f.Created(), f.Freed(), ott.Live())
	}
	if d2 := ott.New("Dir", 0x5000, 32); d2 <= c {
		t.Errorf("refs must never be reused: %d after %d", d2, c)
	}
	if !reflect.DeepEqual(ott.Types(), []string{"Dir", "File"}) {
		t.Errorf("types %v", ott.Types())
	}
	if ott.FactoryByID(ott.Factory("Dir").ID) != ott.Factory("Dir") || ott.FactoryByID(7) != nil {
		t.Error("factory ids")
	}
}
