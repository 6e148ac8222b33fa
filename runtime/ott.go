// Package runtime is the dynamic-update runtime of upsynth: the object
// translation table (OTT) through which every kernel object is reached, the
// factories that track the live instances of each type and version, and the
// machinery that applies an Update to a running target: code swap at a safe
// point, eager, lazy and stop-the-world hot-swap of objects with state
// transfer, interface adapters, rollback and reports (see README.md). It
// never imports a target; the target (runtime/emu) implements Target.
package runtime

import (
	"fmt"
	"sort"
)

// Ref is a stable object reference: an index into the OTT. Ref 0 is the null
// reference. Refs are never reused, so a stale ref to a freed object is
// always detected.
type Ref uint64

// Entry is one OTT slot: which type and version implement the object and
// where its state lives in target memory.
type Entry struct {
	Type    string
	Version int
	State   uint64 // address of the state in target memory
	Size    uint64 // size of the state in bytes
	// Stale marks an instance a lazy update has not converted yet: the
	// update runtime swaps it on its next use.
	Stale  bool
	typeID int32
	live   bool
}

// TypeID is the dense number of the entry's type, for fast comparisons.
func (e *Entry) TypeID() int { return int(e.typeID) }

// OTT is the object translation table with its factories. It is not safe for
// concurrent use: the target serializes all access (one emulated CPU, or one
// host task, runs at a time).
type OTT struct {
	entries   []Entry // index = Ref; entries[0] is the null ref
	live      int
	factories map[string]*Factory
	byID      []*Factory
}

// NewOTT returns an empty table.
func NewOTT() *OTT {
	return &OTT{entries: make([]Entry, 1, 64), factories: map[string]*Factory{}}
}

// Register returns the factory of a type, creating it at version 1.
func (t *OTT) Register(typ string) *Factory {
	if f := t.factories[typ]; f != nil {
		return f
	}
	f := &Factory{Type: typ, ID: len(t.byID), Current: 1, instances: map[Ref]struct{}{}}
	t.factories[typ] = f
	t.byID = append(t.byID, f)
	return f
}

// Factory returns the factory of a type, or nil if the type is unknown.
func (t *OTT) Factory(typ string) *Factory { return t.factories[typ] }

// FactoryByID returns the factory with the given dense id.
func (t *OTT) FactoryByID(id int) *Factory {
	if id < 0 || id >= len(t.byID) {
		return nil
	}
	return t.byID[id]
}

// Types lists the registered types, sorted.
func (t *OTT) Types() []string {
	out := make([]string, 0, len(t.factories))
	for k := range t.factories {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// New records a new instance of typ, at its factory's current version, with
// state at the given address.
func (t *OTT) New(typ string, state, size uint64) Ref {
	f := t.Register(typ)
	r := Ref(len(t.entries))
	v := f.Current
	if sv, ok := f.sizeVersion[size]; ok {
		v = sv
	}
	t.entries = append(t.entries, Entry{Type: typ, Version: v, State: state, Size: size, typeID: int32(f.ID), live: true})
	f.instances[r] = struct{}{}
	f.created++
	t.live++
	return r
}

// Get returns the live entry of r. The pointer stays valid until the next
// New; callers may update Version, State, Size and Stale through it.
func (t *OTT) Get(r Ref) (*Entry, bool) {
	if r == 0 || uint64(r) >= uint64(len(t.entries)) {
		return nil, false
	}
	e := &t.entries[r]
	return e, e.live
}

// Free removes a live instance and returns its last entry.
func (t *OTT) Free(r Ref) (Entry, error) {
	e, ok := t.Get(r)
	if !ok {
		if r != 0 && uint64(r) < uint64(len(t.entries)) {
			return Entry{}, fmt.Errorf("ref %d already freed", r)
		}
		return Entry{}, fmt.Errorf("invalid ref %d", r)
	}
	e.live = false
	f := t.factories[e.Type]
	delete(f.instances, r)
	f.freed++
	t.live--
	return *e, nil
}

// Live is the number of live instances of all types.
func (t *OTT) Live() int { return t.live }

// CountByVersion returns the number of live instances at each version.
func (t *OTT) CountByVersion(typ string) map[int]int {
	out := map[int]int{}
	f := t.factories[typ]
	if f == nil {
		return out
	}
	for r := range f.instances {
		out[t.entries[r].Version]++
	}
	return out
}
