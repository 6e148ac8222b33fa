package synth

import (
	"golang.org/x/mod/modfile"

	"encoding/json"
	"flag"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/upsynth/upsynth/runtime"
)

var genSeed = flag.Int64("gen.seed", 1, "seed of the random layouts and signatures")

// randomStruct builds a struct of random members with C-like alignment.
func randomStruct(r *rand.Rand, tag string, depth int) *Struct {
	s := &Struct{Layout: runtime.Layout{Name: tag}}
	n := 1 + r.Intn(7)
	var off uint64
	for i := 0; i < n; i++ {
		f, sh := randomField(r, fmt.Sprintf("f%d_%s", i, tag), depth)
		align := f.Size
		if f.Kind == runtime.Bytes {
			align = 8
		}
		if align > 8 || align == 0 {
			align = 8
		}
		off = (off + align - 1) / align * align
		f.Offset = off
		off += f.Size
		s.Layout.Fields = append(s.Layout.Fields, f)
		s.Shapes = append(s.Shapes, sh)
	}
	s.Layout.Size = (off + 7) / 8 * 8
	return s
}

var intTypes = []struct {
	name   string
	size   uint64
	signed bool
}{{"char", 1, true}, {"unsigned char", 1, false}, {"short", 2, true}, {"unsigned short", 2, false},
	{"int", 4, true}, {"unsigned int", 4, false}, {"long", 8, true}, {"unsigned long", 8, false}}

func randomField(r *rand.Rand, name string, depth int) (runtime.Field, *Shape) {
	switch k := r.Intn(10); {
	case k < 5:
		t := intTypes[r.Intn(len(intTypes))]
		kind := runtime.Uint
		if t.signed {
			kind = runtime.Int
		}
		return runtime.Field{Name: name, Size: t.size, Kind: kind, Type: t.name}, nil
	case k == 5:
		return runtime.Field{Name: name, Size: 8, Kind: runtime.Ptr, Type: "pointer to char"}, nil
	case k == 6:
		if r.Intn(2) == 0 {
			return runtime.Field{Name: name, Size: 4, Kind: runtime.Float, Type: "float"}, nil
		}
		return runtime.Field{Name: name, Size: 8, Kind: runtime.Float, Type: "double"}, nil
	case k == 7 || depth > 1:
		t := intTypes[r.Intn(len(intTypes))]
		kind := runtime.Uint
		if t.signed {
			kind = runtime.Int
		}
		n := int64(1 + r.Intn(16))
		return runtime.Field{Name: name, Size: uint64(n) * t.size, Kind: runtime.Bytes, Type: fmt.Sprintf("array of %d %s", n, t.name)},
			&Shape{Len: n, ElemSize: t.size, ElemKind: kind, ElemType: t.name}
	case k == 8:
		ns := randomStruct(r, name+"_t", depth+1)
		n := int64(1 + r.Intn(4))
		return runtime.Field{Name: name, Size: uint64(n) * ns.Layout.Size, Kind: runtime.Bytes, Type: fmt.Sprintf("array of %d struct %s", n, ns.Layout.Name)},
			&Shape{Len: n, ElemSize: ns.Layout.Size, ElemKind: runtime.Bytes, ElemType: "struct " + ns.Layout.Name, Elem: &Shape{Struct: ns}}
	default:
		ns := randomStruct(r, name+"_t", depth+1)
		return runtime.Field{Name: name, Size: ns.Layout.Size, Kind: runtime.Bytes, Type: "struct " + ns.Layout.Name}, &Shape{Struct: ns}
	}
}

// mutate derives a new version of a struct: fields renamed, retyped,
// dropped, added, reordered; arrays resized; nested structs mutated.
func mutate(r *rand.Rand, s *Struct, depth int) *Struct {
	out := &Struct{Layout: runtime.Layout{Name: s.Layout.Name}}
	type member struct {
		f  runtime.Field
		sh *Shape
	}
	var ms []member
	for i, f := range s.Layout.Fields {
		sh := s.Shapes[i]
		switch r.Intn(8) {
		case 0: // dropped
			continue
		case 1: // renamed
			f.Name += "_renamed"
		case 2: // retyped
			nf, nsh := randomField(r, f.Name, depth)
			f, sh = nf, nsh
		case 3:
			if sh != nil && sh.Struct != nil {
				ns := mutate(r, sh.Struct, depth+1)
				sh = &Shape{Struct: ns}
				f.Size, f.Type = ns.Layout.Size, f.Type+"'"
			} else if sh != nil && sh.Len > 0 {
				nsh := *sh
				nsh.Len = int64(1 + r.Intn(20))
				sh = &nsh
				f.Size = uint64(nsh.Len) * nsh.ElemSize
				f.Type = fmt.Sprintf("array of %d %s", nsh.Len, nsh.ElemType)
			}
		}
		ms = append(ms, member{f, sh})
	}
	for i := r.Intn(3); i > 0; i-- {
		f, sh := randomField(r, fmt.Sprintf("added%d_%d", depth, i), depth)
		ms = append(ms, member{f, sh})
	}
	r.Shuffle(len(ms), func(i, j int) {
		if r.Intn(3) == 0 {
			ms[i], ms[j] = ms[j], ms[i]
		}
	})
	var off uint64
	for _, m := range ms {
		align := m.f.Size
		if m.f.Kind == runtime.Bytes || align > 8 || align == 0 {
			align = 8
		}
		off = (off + align - 1) / align * align
		m.f.Offset = off
		off += m.f.Size
		out.Layout.Fields = append(out.Layout.Fields, m.f)
		out.Shapes = append(out.Shapes, m.sh)
	}
	out.Layout.Size = (off + 7) / 8 * 8
	return out
}

func randomFunc(r *rand.Rand, name string, from *Func) *Func {
	f := &Func{Name: name}
	param := func(i int) Param {
		t := intTypes[r.Intn(len(intTypes))]
		kind := runtime.Uint
		if t.signed {
			kind = runtime.Int
		}
		switch r.Intn(5) {
		case 0:
			return Param{Name: fmt.Sprintf("p%d", i), Type: "pointer to void", Kind: runtime.Ptr, Size: 8}
		case 1:
			return Param{Name: fmt.Sprintf("p%d", i), Type: "double", Kind: runtime.Float, Size: 8}
		}
		return Param{Name: fmt.Sprintf("p%d", i), Type: t.name, Kind: kind, Size: t.size}
	}
	if from != nil {
		for i, p := range from.Params {
			switch r.Intn(4) {
			case 0:
				continue
			case 1:
				np := param(i)
				np.Name = p.Name
				p = np
			}
			f.Params = append(f.Params, p)
		}
		for i := r.Intn(3); i > 0; i-- {
			f.Params = append(f.Params, param(10+i))
		}
		r.Shuffle(len(f.Params), func(i, j int) { f.Params[i], f.Params[j] = f.Params[j], f.Params[i] })
	} else {
		for i := r.Intn(6); i >= 0; i-- {
			f.Params = append(f.Params, param(i))
		}
	}
	f.Result = param(99)
	f.Result.Name = ""
	f.Sig = sigOf(f)
	return f
}

// writeExports gives a case package's transfers, layouts and forward
// adapters to the equivalence test, with the plan they came from.
func writeExports(t *testing.T, pkg string, p *Plan) {
	var b strings.Builder
	b.WriteString("package update\n\nimport \"github.com/upsynth/upsynth/runtime\"\n\n")
	b.WriteString("var Transfers = map[string]func(old, new runtime.State) error{\n")
	// Types transferred by name have no layouts to compare against the
	// interpreter: they only have to compile.
	for _, tp := range p.Types {
		if !tp.ByName {
			fmt.Fprintf(&b, "\t%q: transfer%s,\n", tp.Name, GoIdent(tp.Name))
		}
	}
	b.WriteString("}\n\nvar Layouts = map[string][2]*runtime.Layout{\n")
	for _, tp := range p.Types {
		if !tp.ByName {
			fmt.Fprintf(&b, "\t%q: {&layoutOld%s, &layoutNew%s},\n", tp.Name, GoIdent(tp.Name), GoIdent(tp.Name))
		}
	}
	b.WriteString("}\n\nvar Forwards = map[string]func([]uint64) ([]uint64, error){\n")
	for _, a := range p.Adapters {
		fmt.Fprintf(&b, "\t%q: forward%s,\n", a.Func, GoIdent(a.Func))
	}
	b.WriteString("}\n")
	if err := os.WriteFile(filepath.Join(pkg, "export.go"), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	js, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(pkg, "plan.json"), js, 0o644); err != nil {
		t.Fatal(err)
	}
}

// equivTest compares every generated transfer and forward adapter with the
// plan interpreter on random inputs.
const equivTest = `package equiv

import (
	"bytes"
	"math/rand"
	"path/filepath"
	"testing"

	"github.com/upsynth/upsynth/runtime"
	"github.com/upsynth/upsynth/synth/verify"
%s)

type pkgCase struct {
	dir       string
	transfers map[string]func(old, new runtime.State) error
	layouts   map[string][2]*runtime.Layout
	forwards  map[string]func([]uint64) ([]uint64, error)
}

var cases = []pkgCase{
%s}

func TestGeneratedMatchesInterpreter(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	for _, c := range cases {
		p, err := verify.ReadPlan(filepath.Join("..", c.dir))
		if err != nil {
			t.Fatal(err)
		}
		for _, tp := range p.Types {
			if tp.ByName {
				continue // no layouts at emit time: nothing to compare
			}
			l := c.layouts[tp.Name]
			for i := 0; i < 200; i++ {
				old := make([]byte, tp.Old.Size)
				r.Read(old)
				if i%%2 == 0 {
					for j := range old {
						if r.Intn(4) > 0 {
							old[j] = 0
						}
					}
				}
				gen, interp := make([]byte, tp.New.Size), make([]byte, tp.New.Size)
				errGen := c.transfers[tp.Name](runtime.NewState(l[0], old), runtime.NewState(l[1], gen))
				errInt := verify.RunOps(tp.Name, tp.Forward, old, interp)
				if (errGen == nil) != (errInt == nil) || errGen == nil && !bytes.Equal(gen, interp) {
					t.Fatalf("%%s %%s: state %%x: generated %%x (%%v), interpreted %%x (%%v)", c.dir, tp.Name, old, gen, errGen, interp, errInt)
				}
			}
		}
		for _, a := range p.Adapters {
			for i := 0; i < 200; i++ {
				args := make([]uint64, len(a.Forward)+3)
				for j := range args {
					args[j] = r.Uint64() >> uint(r.Intn(64))
				}
				got, errGen := c.forwards[a.Func](args)
				want, errInt := verify.MapArgs(a.Forward, args)
				if (errGen == nil) != (errInt == nil) || errGen == nil && !equalArgs(got, want) {
					t.Fatalf("%%s %%s: args %%v: generated %%v (%%v), interpreted %%v (%%v)", c.dir, a.Func, args, got, errGen, want, errInt)
				}
			}
		}
	}
}

func equalArgs(a, b []uint64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
`

// TestGeneratedCodeCompiles is the generator's property test: for random
// old and new layouts and signatures, every emitted package builds and
// passes go vet. The cases share one module and one go build.
func TestGeneratedCodeCompiles(t *testing.T) {
	if testing.Short() {
		t.Skip("builds generated code")
	}
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command")
	}
	const ncases = 40
	var imports, cases []string
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	mod, sum := equivalenceModule(t, root)
	os.WriteFile(filepath.Join(dir, "go.mod"), mod, 0o644)
	os.WriteFile(filepath.Join(dir, "go.sum"), sum, 0o644)
	r := rand.New(rand.NewSource(*genSeed))
	for c := 0; c < ncases; c++ {
		p := &Plan{Version: PlanVersion, Name: fmt.Sprintf("case %d \"quoted\" `tick`", c), Class: "interface", Modules: []string{"m.c"}}
		for i := r.Intn(3); i >= 0; i-- {
			tag := fmt.Sprintf("T%d_%d", c, i)
			if i == 1 {
				tag = "type" // a Go keyword as a C name
			}
			old := randomStruct(r, tag, 0)
			new := mutate(r, old, 0)
			tp := planTransfer(tag, old, new, map[string]int64{"added0_1": -1}, tag+"_create")
			p.Types = append(p.Types, tp)
		}
		for i := r.Intn(3); i >= 0; i-- {
			old := randomFunc(r, fmt.Sprintf("fn%d_%d", c, i), nil)
			if r.Intn(4) == 0 {
				// A renamed method (its signature may change too).
				p.Adapters = append(p.Adapters, planRename(old, randomFunc(r, old.Name+"_renamed", old)))
				continue
			}
			new := randomFunc(r, old.Name, old)
			p.Adapters = append(p.Adapters, planAdapter(old, new, r.Intn(2) == 0))
		}
		if r.Intn(3) == 0 {
			// A module the C front end could not compile: a type
			// transferred by name, a test that skips.
			p.Types = append(p.Types, TypePlan{Name: fmt.Sprintf("Imp%d-x", c), ByName: true, Added: []string{"a`b"}, Removed: []string{"c\"d"},
				Why: "members changed in m.c, by the tolerant parser; layouts unknown at emit time"})
			p.Imprecise = []ImpreciseFile{{File: "m.c", Why: "new: m.c:1:2: include file not found: <gen.h>"}}
			p.Unverifiable = "the C front end cannot compile m.c (\"quoted\" `tick` \\ back)"
		}
		p.Functions = []FuncPlan{{Name: "f-1", Module: "m.c", Why: "body changed"}}
		p.Globals = []GlobalPlan{{Name: "g", Module: "m.c", Static: true, Change: "init", Patches: []Patch{{Offset: 8, Size: 8, Old: 64, New: 80}}}}
		files, err := Generate(p)
		if err != nil {
			t.Fatalf("case %d: %v", c, err)
		}
		pkg := filepath.Join(dir, fmt.Sprintf("c%02d", c))
		os.MkdirAll(filepath.Join(pkg, NewSourcesDir), 0o755)
		os.WriteFile(filepath.Join(pkg, NewSourcesDir, "m.c"), []byte("int x;\n"), 0o644)
		for name, b := range files {
			if err := os.WriteFile(filepath.Join(pkg, name), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		writeExports(t, pkg, p)
		imports = append(imports, fmt.Sprintf("\tc%02d %q\n", c, ModulePath+fmt.Sprintf("/c%02d", c)))
		cases = append(cases, fmt.Sprintf("{%q, c%02d.Transfers, c%02d.Layouts, c%02d.Forwards},\n", fmt.Sprintf("c%02d", c), c, c, c))
	}
	equiv := fmt.Sprintf(equivTest, strings.Join(imports, ""), strings.Join(cases, ""))
	os.MkdirAll(filepath.Join(dir, "equiv"), 0o755)
	if err := os.WriteFile(filepath.Join(dir, "equiv", "equiv_test.go"), []byte(equiv), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"build", "./..."}, {"vet", "./..."}, {"test", "-count=1", "./equiv"}} {
		cmd := exec.Command("go", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOPROXY=off")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("go %v: %v\n%s", args, err, out)
		}
		t.Logf("go %v: %s", args, out)
	}
}

// equivalenceModule is the go.mod and go.sum of the property test's module:
// an emitted package's (the runtime module) plus the whole upsynth module,
// since the equivalence test also imports synth/verify's plan interpreter.
func equivalenceModule(t *testing.T, root string) (mod, sum []byte) {
	t.Helper()
	emitted, err := goMod(root, ModulePath)
	if err != nil {
		t.Fatal(err)
	}
	f, err := modfile.Parse("go.mod", emitted, nil)
	if err != nil {
		t.Fatal(err)
	}
	rootData, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	rootMod, err := modfile.Parse("go.mod", rootData, nil)
	if err != nil {
		t.Fatal(err)
	}
	f.AddNewRequire(rootMod.Module.Mod.Path, "v0.0.0-00010101000000-000000000000", false)
	for _, r := range rootMod.Require {
		if r.Mod.Path != RuntimeModule {
			f.AddNewRequire(r.Mod.Path, r.Mod.Version, true)
		}
	}
	if err := f.AddReplace(rootMod.Module.Mod.Path, "", root, ""); err != nil {
		t.Fatal(err)
	}
	f.Cleanup()
	mod = modfile.Format(f.Syntax)
	for _, dir := range []string{root, filepath.Join(root, RuntimeDir)} {
		b, err := os.ReadFile(filepath.Join(dir, "go.sum"))
		if err != nil {
			t.Fatal(err)
		}
		sum = append(sum, b...)
	}
	return mod, sum
}
