package runtime

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"strconv"
	"strings"
)

// ManifestFile is the name of an update package's declarative descriptor:
// what `upsynth target run --update DIR` reads, since a command cannot load
// the package's Go code. It says what Update says, with transfers and
// adapters as data:
//
//	{
//	  "name": "items: count adds",
//	  "mode": "lazy",
//	  "sources": ["items.c", "include/items.h"],
//	  "functions": ["item_version"],
//	  "types": [{"name": "Item", "old": {...layout...}, "new": {...},
//	             "set": {"adds": "hits"}}],
//	  "adapters": [{"func": "Item_add", "forward": ["$0", "$1", "1"],
//	                "reverse": ["$0", "$1*$2"]}]
//	}
//
// Sources are paths relative to the package directory and name the file in
// the kernel tree. A type's "set" maps a new field to an old field's name
// or an integer; the other fields are copied by name (CopyFields). A
// missing layout is taken from the running kernel (old) or the new code
// (new). Adapter arguments are "$k" (argument k), an integer, or a product
// of those ("$1*$2"). "globals" are integer writes made before anything
// switches, e.g. a factory's object size:
//
//	"globals": [{"name": "kernel/proc.c:Process_factory", "offset": 8, "size": 8, "value": "size:Process"}]
const ManifestFile = "update.json"

type manifest struct {
	Name      string          `json:"name"`
	Mode      string          `json:"mode"`
	Sources   []string        `json:"sources"`
	Functions []string        `json:"functions"`
	Types     []manifestType  `json:"types"`
	Adapters  []manifestAdapt `json:"adapters"`
	// Globals are writes the Before hook makes: the kernel's own records
	// of a layout (a factory's object size) that the update must change.
	Globals []manifestGlobal `json:"globals"`
}

type manifestGlobal struct {
	Name   string `json:"name"` // "name" or "path:name"
	Offset uint64 `json:"offset"`
	Size   uint64 `json:"size"`
	Value  string `json:"value"` // an integer, or "size:T" (T's new state size)
}

type manifestType struct {
	Name string            `json:"name"`
	Old  *Layout           `json:"old"`
	New  *Layout           `json:"new"`
	Set  map[string]string `json:"set"`
}

type manifestAdapt struct {
	Func    string   `json:"func"`
	OldSig  string   `json:"old_sig"`
	NewSig  string   `json:"new_sig"`
	Forward []string `json:"forward"`
	Reverse []string `json:"reverse"`
}

// ReadManifest reads an update package's update.json from dir.
func ReadManifest(dir fs.FS) (*Update, error) {
	b, err := fs.ReadFile(dir, ManifestFile)
	if err != nil {
		return nil, err
	}
	var mf manifest
	if err := json.Unmarshal(b, &mf); err != nil {
		return nil, fmt.Errorf("%s: %w", ManifestFile, err)
	}
	u := &Update{Name: mf.Name, Functions: mf.Functions}
	if mf.Mode != "" {
		if u.Mode, err = ParseMode(mf.Mode); err != nil {
			return nil, fmt.Errorf("%s: %w", ManifestFile, err)
		}
	}
	for _, s := range mf.Sources {
		code, err := fs.ReadFile(dir, path.Clean(s))
		if err != nil {
			return nil, fmt.Errorf("%s: source %s: %w", ManifestFile, s, err)
		}
		u.Sources = append(u.Sources, Source{Path: path.Clean(s), Code: code})
	}
	for _, mt := range mf.Types {
		tu := TypeUpdate{Name: mt.Name}
		if mt.Old != nil {
			tu.Old = *mt.Old
		}
		if mt.New != nil {
			tu.New = *mt.New
		}
		if len(mt.Set) > 0 {
			set := mt.Set
			tu.Transfer = func(old, new State) error {
				CopyFields(old, new)
				for nf, src := range set {
					f, ok := new.Layout.Lookup(nf)
					if !ok {
						return fmt.Errorf("set: struct %s has no field %s", new.Layout.Name, nf)
					}
					if v, err := strconv.ParseInt(src, 0, 64); err == nil {
						new.SetInt(f, v)
						continue
					}
					of, ok := old.Layout.Lookup(src)
					if !ok {
						return fmt.Errorf("set: old struct %s has no field %s", old.Layout.Name, src)
					}
					new.Copy(f, old, of)
				}
				return nil
			}
		}
		u.Types = append(u.Types, tu)
	}
	for _, ma := range mf.Adapters {
		a := Adapter{Func: ma.Func, OldSig: ma.OldSig, NewSig: ma.NewSig}
		if a.Forward, err = argMap(ma.Forward); err != nil {
			return nil, fmt.Errorf("%s: adapter %s: %w", ManifestFile, ma.Func, err)
		}
		if a.Reverse, err = argMap(ma.Reverse); err != nil {
			return nil, fmt.Errorf("%s: adapter %s: %w", ManifestFile, ma.Func, err)
		}
		u.Adapters = append(u.Adapters, a)
	}
	if len(mf.Globals) > 0 {
		globals := mf.Globals
		for _, g := range globals {
			if g.Size != 1 && g.Size != 2 && g.Size != 4 && g.Size != 8 {
				return nil, fmt.Errorf("%s: global %s: size %d (want 1, 2, 4 or 8)", ManifestFile, g.Name, g.Size)
			}
		}
		u.Before = func(env *Env) error {
			for _, g := range globals {
				addr, ok := env.Global(g.Name)
				if !ok {
					return fmt.Errorf("no global %s", g.Name)
				}
				v, err := globalValue(env.Update(), g.Value)
				if err != nil {
					return fmt.Errorf("global %s: %w", g.Name, err)
				}
				if err := env.WriteUint(addr+g.Offset, g.Size, v); err != nil {
					return err
				}
			}
			return nil
		}
	}
	return u, nil
}

func globalValue(u *Update, v string) (uint64, error) {
	if typ, ok := strings.CutPrefix(v, "size:"); ok {
		tu := u.TypeByName(typ)
		if tu == nil {
			return 0, fmt.Errorf("%q: the update does not change type %s", v, typ)
		}
		return tu.New.Size, nil
	}
	n, err := strconv.ParseInt(v, 0, 64)
	if err != nil {
		return 0, fmt.Errorf("value %q: want an integer or size:T", v)
	}
	return uint64(n), nil
}

// argMap compiles an adapter's argument list.
func argMap(spec []string) (ArgsFunc, error) {
	if spec == nil {
		return nil, nil
	}
	type term struct {
		arg int // -1: a constant
		val int64
	}
	prods := make([][]term, len(spec))
	for i, s := range spec {
		for _, f := range strings.Split(s, "*") {
			f = strings.TrimSpace(f)
			if strings.HasPrefix(f, "$") {
				k, err := strconv.Atoi(f[1:])
				if err != nil || k < 0 {
					return nil, fmt.Errorf("bad argument %q", f)
				}
				prods[i] = append(prods[i], term{arg: k})
				continue
			}
			v, err := strconv.ParseInt(f, 0, 64)
			if err != nil {
				return nil, fmt.Errorf("bad term %q (want $k or an integer)", f)
			}
			prods[i] = append(prods[i], term{arg: -1, val: v})
		}
	}
	return func(args []uint64) ([]uint64, error) {
		out := make([]uint64, len(prods))
		for i, p := range prods {
			v := int64(1)
			for _, t := range p {
				if t.arg < 0 {
					v *= t.val
					continue
				}
				if t.arg >= len(args) {
					return nil, fmt.Errorf("argument $%d of a %d-argument call", t.arg, len(args))
				}
				v *= int64(args[t.arg])
			}
			out[i] = uint64(v)
		}
		return out, nil
	}, nil
}
