package emu

import (
	"sort"
	"strings"

	"modernc.org/cc/v4"

	upd "github.com/upsynth/upsynth/runtime"
)

// objType is an object type's method table: for every version, the
// implementation of each method (by slot).
type objType struct {
	name  string
	id    int            // the type's factory id in every machine's OTT
	slots map[string]int // method name -> slot
	names []string
	// versions[v][slot] implements a method at version v.
	versions [][]*Func
}

func (t *objType) clone() *objType {
	c := &objType{name: t.name, id: t.id, slots: map[string]int{}, names: append([]string(nil), t.names...)}
	for k, v := range t.slots {
		c.slots[k] = v
	}
	for _, fns := range t.versions {
		c.versions = append(c.versions, append([]*Func(nil), fns...))
	}
	return c
}

// methodInfo marks a Func as a method: calls to it dispatch through the OTT.
type methodInfo struct {
	typ    string
	typeID int
	name   string
	slot   int
}

// methodOf recognizes T_name(TRef self, ...): the first parameter's type is
// the typedef TRef that OBJECT_TYPE(T) declares.
func methodOf(fn *Func) (typ, method string, ok bool) {
	if fn.ft == nil {
		return "", "", false
	}
	ps := fn.ft.Parameters()
	if len(ps) == 0 || ps[0].Type() == nil {
		return "", "", false
	}
	td := ps[0].Type().Typedef()
	if td == nil {
		return "", "", false
	}
	ref := td.Name()
	if !strings.HasSuffix(ref, "Ref") || ps[0].Type().Kind() != cc.ULong {
		return "", "", false
	}
	typ = strings.TrimSuffix(ref, "Ref")
	if typ == "" || !strings.HasPrefix(fn.Name, typ+"_") || len(fn.Name) == len(typ)+1 {
		return "", "", false
	}
	return typ, fn.Name[len(typ)+1:], true
}

// bindObjectTypes turns every defined method into a dispatcher whose version
// 1 implementation is the compiled body.
func (lk *linker) bindObjectTypes() {
	img := lk.img
	for _, fn := range append([]*Func(nil), img.funcs...) {
		if fn.body == nil {
			continue
		}
		typ, name, ok := methodOf(fn)
		if !ok {
			continue
		}
		t := img.objTypes[typ]
		if t == nil {
			t = &objType{name: typ, slots: map[string]int{}, versions: make([][]*Func, 2)}
			img.objTypes[typ] = t
		}
		slot, ok := t.slots[name]
		if !ok {
			slot = len(t.names)
			t.slots[name] = slot
			t.names = append(t.names, name)
		}
		impl := *fn
		impl.id = len(img.funcs)
		impl.version = 1
		img.funcs = append(img.funcs, &impl)
		v1 := t.versions[1]
		for len(v1) <= slot {
			v1 = append(v1, nil)
		}
		v1[slot] = &impl
		t.versions[1] = v1
		fn.method = &methodInfo{typ: typ, name: name, slot: slot}
		fn.body = nil
	}
	// Type ids follow the sorted type names: every machine registers the
	// image's types in this order, so the ids agree with its OTT.
	names := make([]string, 0, len(img.objTypes))
	for n := range img.objTypes {
		names = append(names, n)
	}
	sort.Strings(names)
	for i, n := range names {
		img.objTypes[n].id = i
		img.typeOrder = append(img.typeOrder, n)
	}
	for _, fn := range img.funcs {
		if fn.method != nil {
			fn.method.typeID = img.objTypes[fn.method.typ].id
		}
	}
}

// dispatch finds the implementation of a method for the instance the first
// argument refers to, at that instance's version.
func (m *Machine) dispatch(caller *frame, fn *Func, args []uint64) *Func {
	mi := fn.method
	if len(args) == 0 {
		caller.fault("object", "method %s called without self", fn.Name)
	}
	e, ok := m.ott.Get(upd.Ref(args[0]))
	if !ok {
		caller.fault("object", "%s called on invalid or freed ref %d", fn.Name, args[0])
	}
	if e.TypeID() != mi.typeID {
		caller.fault("object", "%s called on ref %d, an instance of %s", fn.Name, args[0], e.Type)
	}
	if e.Stale {
		e = m.refresh(caller, fn, upd.Ref(args[0]))
	}
	vs := m.typesByID[mi.typeID].versions
	if v := e.Version; v >= 0 && v < len(vs) && mi.slot < len(vs[v]) {
		if impl := vs[v][mi.slot]; impl != nil {
			return impl
		}
	}
	caller.fault("object", "%s has no implementation at version %d", fn.Name, e.Version)
	return nil
}

// SetStaleHook installs what a method call does with an instance marked
// Stale in the OTT (a lazy update): the hook runs on the calling CPU before
// the call is dispatched, typically transferring the instance's state and
// setting its version; it must clear Stale. An error stops the machine with
// an object fault.
func (m *Machine) SetStaleHook(hook func(ref upd.Ref) error) { m.staleHook = hook }

func (m *Machine) refresh(caller *frame, fn *Func, ref upd.Ref) *upd.Entry {
	if m.staleHook != nil {
		if err := m.staleHook(ref); err != nil {
			caller.fault("object", "updating ref %d before %s: %v", ref, fn.Name, err)
		}
	}
	e, ok := m.ott.Get(ref)
	if !ok {
		caller.fault("object", "ref %d vanished while being updated before %s", ref, fn.Name)
	}
	if e.Stale {
		caller.fault("object", "ref %d is still stale after its update, before %s", ref, fn.Name)
	}
	return e
}
