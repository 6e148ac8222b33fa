package runtime

import "sort"

// Factory tracks every live instance of one object type, per version.
type Factory struct {
	Type string
	ID   int
	// Current is the version new instances get.
	Current   int
	instances map[Ref]struct{}
	// sizeVersion, set while an update changes the type's layout, gives the
	// version of an instance created with a state of that size: code not yet
	// updated still creates old-layout instances.
	sizeVersion map[uint64]int
	created     int
	freed       int
}

// Instances lists a factory's live instances in creation order.
func (f *Factory) Instances() []Ref {
	out := make([]Ref, 0, len(f.instances))
	for r := range f.instances {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// Count is the number of live instances.
func (f *Factory) Count() int { return len(f.instances) }

// Created counts instances made over the factory's lifetime.
func (f *Factory) Created() int { return f.created }

// Freed counts instances freed over the factory's lifetime.
func (f *Factory) Freed() int { return f.freed }
