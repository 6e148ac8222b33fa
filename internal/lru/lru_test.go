package lru

import "testing"

func TestEvictsLeastRecentlyUsed(t *testing.T) {
	c := New[string, int](2)
	c.Add("a", 1)
	c.Add("b", 2)
	if _, ok := c.Get("a"); !ok { // a is now more recent than b
		t.Fatal("a missing")
	}
	c.Add("c", 3)
	if _, ok := c.Get("b"); ok {
		t.Error("b should have been evicted")
	}
	if v, ok := c.Get("a"); !ok || v != 1 {
		t.Errorf("a = %d, %v", v, ok)
	}
	c.Add("a", 10)
	if v, _ := c.Get("a"); v != 10 {
		t.Errorf("a after update = %d", v)
	}
	if c.Len() != 2 {
		t.Errorf("len = %d", c.Len())
	}
}

func TestWeightBound(t *testing.T) {
	c := NewWeighted[string, string](100, 10, func(v string) int64 { return int64(len(v)) })
	c.Add("a", "xxxx") // 4
	c.Add("b", "xxxx") // 8
	c.Get("a")         // b is now the oldest
	c.Add("c", "xxx")  // 11 > 10: b goes
	if _, ok := c.Get("b"); ok {
		t.Error("b should have been evicted by weight")
	}
	if c.Weight() != 7 || c.Len() != 2 {
		t.Errorf("weight %d, len %d; want 7, 2", c.Weight(), c.Len())
	}
	c.Add("a", "x") // replacing a value reweighs it
	if c.Weight() != 4 {
		t.Errorf("weight after replacing a = %d, want 4", c.Weight())
	}
	// One entry heavier than the bound is still held: the newest is never
	// evicted by its own weight.
	c.Add("big", "xxxxxxxxxxxxxxxx")
	if _, ok := c.Get("big"); !ok || c.Len() != 1 {
		t.Errorf("big held %v, len %d", ok, c.Len())
	}
}
