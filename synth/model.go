package synth

import (
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"sync"

	"modernc.org/cc/v4"

	"github.com/upsynth/upsynth/runtime"
	"github.com/upsynth/upsynth/runtime/emu/abi"
)

// Module is what the planner needs to know about one C module (translation
// unit) at one revision: the precise layouts of its struct types, its
// function definitions with typed parameters, its globals and the files it
// includes. It is computed with cc/v4 for the target's LP64 ABI, with the
// same settings the emulated target uses, so layouts agree byte for byte.
//
// cparse summaries carry layouts too, but its precise engine keeps only the
// types tree-sitter also saw, and the kernels upsynth updates declare their
// object types through a macro (OBJECT_TYPE(T) { ... }), which tree-sitter
// does not expand: the planner reads the layouts from cc/v4 itself.
type Module struct {
	Path      string
	Structs   map[string]*Struct // by tag
	Functions map[string]*Func
	Globals   map[string]Global
	// ObjectTypes are the struct tags T declared with OBJECT_TYPE(T): a
	// typedef TRef of ref_t exists.
	ObjectTypes map[string]bool
	// Includes are the headers the module read, tree-relative.
	Includes []string
	// Defaults are the constants the type's constructor (T_create, T_new,
	// T_init) gives fields (x->field = -1;): what a new field of an
	// existing instance should start at, better than zero.
	Defaults map[string]map[string]int64
}

// Struct is a struct's precise layout, with the shape of its aggregate
// members (for recursive transfers).
type Struct struct {
	Layout runtime.Layout
	// Shapes holds, per field of Layout (same index), the shape of an
	// aggregate member; nil for scalars.
	Shapes []*Shape
	// Defined says where the struct is defined.
	Defined string
}

// Shape describes an aggregate member: a nested struct (Struct set) or an
// array (Len elements of Elem, each ElemSize bytes, ElemKind scalars or
// nested Elem shapes).
type Shape struct {
	Struct   *Struct
	Len      int64
	ElemSize uint64
	ElemKind runtime.Kind
	ElemType string
	Elem     *Shape // array of aggregates
	Union    bool
}

// Func is a function definition.
type Func struct {
	Name   string
	Sig    string // result(params), normalized by cc/v4
	Result Param
	Params []Param
	Static bool
	// Variadic functions cannot be adapted.
	Variadic bool
	// BodyHash hashes the body's tokens after preprocessing: a macro or a
	// header inline change shows in it, a comment does not, nor does the
	// function's own name (a rename keeps the hash).
	BodyHash string
	// Method is the object type T when the function is a method T_name
	// whose first parameter is a TRef.
	Method string
	// Header is set for an inline function a header defines.
	Header bool
}

// Param is one parameter (or a result): its name, C type and how its value
// travels in a 64-bit argument slot.
type Param struct {
	Name string
	Type string
	Kind runtime.Kind
	Size uint64
}

// Global is a file-scope variable.
type Global struct {
	Name   string
	Type   string
	Size   uint64
	Static bool
	// Written is set when the module's code assigns the variable itself
	// (a counter, a cursor): its running value is state, not configuration.
	Written bool
	// Aggregate: a struct or array (its constant fields are patched one
	// by one, each checked at run time).
	Aggregate bool
	// Inits are the integer constants of its initializer, by byte offset:
	// what a new initializer changes (a size, a limit) shows here.
	Inits []InitValue
}

// InitValue is one integer constant of an initializer.
type InitValue struct {
	Offset, Size uint64
	Value        uint64
}

// recordFS remembers which files cc/v4 opened.
type recordFS struct {
	fsys   fs.FS
	mu     sync.Mutex
	opened map[string]bool
	// missing are the names looked for and not found (an include path
	// searched before the one that has the header): a file appearing
	// there would change the translation.
	missing map[string]bool
}

func (r *recordFS) Open(name string) (fs.File, error) {
	f, err := r.fsys.Open(name)
	r.mu.Lock()
	if err == nil {
		r.opened[name] = true
	} else if r.missing != nil {
		r.missing[name] = true
	}
	r.mu.Unlock()
	return f, err
}

// InspectModule translates one module of a tree and describes it.
func InspectModule(fsys fs.FS, file string, opts BuildOptions) (m *Module, err error) {
	m, _, err = inspectModule(fsys, file, opts, false)
	return m, err
}

// inspectModule is InspectModule; with probes it also returns every name
// the translation looked up, found or not (for ModuleCache).
func inspectModule(fsys fs.FS, file string, opts BuildOptions, probes bool) (m *Module, rec *recordFS, err error) {
	defer func() {
		if r := recover(); r != nil {
			m, err = nil, fmt.Errorf("%s: internal error of the C front end: %v", file, r)
		}
	}()
	rec = &recordFS{fsys: compatFS{fsys}, opened: map[string]bool{}}
	if probes {
		rec.missing = map[string]bool{}
	}
	cfg, sources, err := frontEndInput(rec, file, opts)
	if err != nil {
		return nil, nil, err
	}
	ast, err := cc.Translate(cfg, sources)
	if err != nil {
		return nil, nil, errors.New(firstLines(err.Error(), 3))
	}
	m = &Module{Path: file, Structs: map[string]*Struct{}, Functions: map[string]*Func{}, Globals: map[string]Global{}, ObjectTypes: map[string]bool{},
		Defaults: map[string]map[string]int64{}}
	for name := range rec.opened {
		if name != file {
			m.Includes = append(m.Includes, name)
		}
	}
	sort.Strings(m.Includes)
	memo := map[*cc.StructType]*Struct{}
	for name, nodes := range ast.Scope.Nodes {
		for _, n := range nodes {
			switch x := n.(type) {
			case *cc.StructOrUnionSpecifier:
				st, ok := x.Type().(*cc.StructType)
				if !ok || st.IsIncomplete() {
					continue
				}
				s := structOf(name, st, memo)
				s.Defined = x.Position().Filename
				m.Structs[name] = s
			case *cc.Declarator:
				if x.IsTypename() && strings.HasSuffix(name, "Ref") {
					if td := x.Type().Typedef(); td == nil || td.Name() == "ref_t" || x.Type().Kind() == cc.ULong {
						m.ObjectTypes[strings.TrimSuffix(name, "Ref")] = true
					}
				}
				if x.IsTypename() || x.Type() == nil || x.Type().Kind() == cc.Function || x.IsParam() {
					continue
				}
				if x.StorageDuration() == cc.Static && x.Position().Filename == file && !x.IsExtern() {
					m.Globals[name] = Global{Name: name, Type: x.Type().String(), Size: uint64(max(x.Type().Size(), 0)), Static: x.Linkage() == cc.Internal,
						Aggregate: kindOf(x.Type()) == runtime.Bytes}
				}
			}
		}
	}
	for l := ast.TranslationUnit; l != nil; l = l.TranslationUnit {
		ed := l.ExternalDeclaration
		if ed == nil || ed.Case != cc.ExternalDeclarationDecl || ed.Declaration == nil {
			continue
		}
		for il := ed.Declaration.InitDeclaratorList; il != nil; il = il.InitDeclaratorList {
			id := il.InitDeclarator
			if id == nil || id.Declarator == nil {
				continue
			}
			g, ok := m.Globals[id.Declarator.Name()]
			if !ok || id.Declarator.Position().Filename != file {
				continue
			}
			g.Written = id.Declarator.WriteCount() > 0
			if id.Initializer != nil {
				g.Inits = initValues(id.Initializer, nil)
			}
			m.Globals[g.Name] = g
		}
	}
	for t := range m.ObjectTypes {
		if m.Structs[t] == nil {
			delete(m.ObjectTypes, t)
		}
	}
	for l := ast.TranslationUnit; l != nil; l = l.TranslationUnit {
		ed := l.ExternalDeclaration
		if ed == nil || ed.Case != cc.ExternalDeclarationFuncDef {
			continue
		}
		d := ed.FunctionDefinition.Declarator
		ft, ok := d.Type().(*cc.FunctionType)
		if !ok {
			continue
		}
		f := &Func{Name: d.Name(), Static: d.Linkage() == cc.Internal, Variadic: ft.IsVariadic(), Header: d.Position().Filename != file}
		// The function's own name (cc/v4 declares __func__ in every body,
		// and a recursive call names it) hashes as a placeholder, so a
		// renamed function with the same body has the same hash.
		h := fnv.New64a()
		self, selfQuoted := d.Name(), `"`+d.Name()+`"`
		for _, t := range cc.NodeTokens(ed.FunctionDefinition.CompoundStatement) {
			if src := string(t.Src()); src == self || src == selfQuoted {
				h.Write([]byte("\x00self"))
			} else {
				h.Write(t.Src())
			}
			h.Write([]byte{' '})
		}
		f.BodyHash = fmt.Sprintf("%016x", h.Sum64())
		f.Result = paramOf("", ft.Result())
		for i, p := range ft.Parameters() {
			if p.Type() == nil || p.Type().Kind() == cc.Void {
				continue
			}
			n := p.Name()
			if n == "" {
				n = fmt.Sprintf("arg%d", i)
			}
			f.Params = append(f.Params, paramOf(n, p.Type()))
		}
		f.Sig = sigOf(f)
		if t, rest, ok := strings.Cut(f.Name, "_"); ok && (strings.HasPrefix(rest, "create") || strings.HasPrefix(rest, "new") || strings.HasPrefix(rest, "init")) {
			ctorDefaults(m, t, cc.NodeTokens(ed.FunctionDefinition.CompoundStatement))
		}
		if t, _, ok := strings.Cut(f.Name, "_"); ok && len(f.Params) > 0 && f.Params[0].Type == t+"Ref" {
			f.Method = t
		}
		m.Functions[f.Name] = f
	}
	return m, rec, nil
}

func firstLines(s string, n int) string {
	parts := strings.SplitN(s, "\n", n+1)
	if len(parts) > n {
		parts = append(parts[:n], "...")
	}
	return strings.Join(parts, "; ")
}

func sigOf(f *Func) string {
	var b strings.Builder
	b.WriteString(f.Result.Type)
	b.WriteString("(")
	for i, p := range f.Params {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(p.Type)
	}
	if f.Variadic {
		b.WriteString(", ...")
	}
	b.WriteString(")")
	return b.String()
}

// Decl renders a function's C declaration with parameter names.
func (f *Func) Decl() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s(", f.Result.Type, f.Name)
	for i, p := range f.Params {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s %s", p.Type, p.Name)
	}
	if f.Variadic {
		b.WriteString(", ...")
	}
	b.WriteString(")")
	return b.String()
}

func paramOf(name string, t cc.Type) Param {
	p := Param{Name: name, Type: t.String(), Size: uint64(max(t.Size(), 0)), Kind: kindOf(t)}
	if t.Kind() == cc.Void {
		p.Size = 0
	}
	return p
}

// kindOf says how a value of type t is read, exactly as the emulated target
// classifies state fields (runtime/emu layoutOf).
func kindOf(t cc.Type) runtime.Kind {
	switch {
	case t.Kind() == cc.Ptr:
		return runtime.Ptr
	case t.Kind() == cc.Float || t.Kind() == cc.Double:
		return runtime.Float
	case cc.IsIntegerType(t):
		if td := t.Typedef(); td != nil && (td.Name() == "ref_t" || strings.HasSuffix(td.Name(), "Ref")) {
			return runtime.ObjRef
		}
		if cc.IsSignedInteger(t) {
			return runtime.Int
		}
		return runtime.Uint
	}
	return runtime.Bytes
}

func structOf(tag string, st *cc.StructType, memo map[*cc.StructType]*Struct) *Struct {
	if s := memo[st]; s != nil {
		return s
	}
	s := &Struct{Layout: runtime.Layout{Name: tag, Size: uint64(max(st.Size(), 0))}}
	memo[st] = s
	for i := 0; i < st.NumFields(); i++ {
		f := st.FieldByIndex(i)
		if f == nil || f.Type() == nil {
			continue
		}
		ft := f.Type()
		fl := runtime.Field{Name: f.Name(), Offset: uint64(f.Offset()), Size: uint64(max(ft.Size(), 0)), Type: ft.String(), Kind: kindOf(ft)}
		var shape *Shape
		if f.IsBitfield() {
			fl.Size = uint64(f.AccessBytes())
			fl.BitOffset = uint8(f.OffsetBits())
			fl.BitWidth = uint8(f.ValueBits())
			fl.Kind = runtime.Uint
			if cc.IsSignedInteger(ft) {
				fl.Kind = runtime.Int
			}
		} else if fl.Kind == runtime.Bytes {
			shape = shapeOf(ft, memo)
		}
		s.Layout.Fields = append(s.Layout.Fields, fl)
		s.Shapes = append(s.Shapes, shape)
	}
	return s
}

func shapeOf(t cc.Type, memo map[*cc.StructType]*Struct) *Shape {
	switch x := t.(type) {
	case *cc.StructType:
		if x.IsIncomplete() {
			return nil
		}
		tok := x.Tag()
		tag := tok.SrcStr()
		return &Shape{Struct: structOf(tag, x, memo)}
	case *cc.UnionType:
		return &Shape{Union: true}
	case *cc.ArrayType:
		e := x.Elem()
		sh := &Shape{Len: x.Len(), ElemSize: uint64(max(e.Size(), 0)), ElemKind: kindOf(e), ElemType: e.String()}
		if sh.ElemKind == runtime.Bytes {
			sh.Elem = shapeOf(e, memo)
		}
		return sh
	}
	return nil
}

// initValues flattens an initializer into its integer constants.
func initValues(in *cc.Initializer, out []InitValue) []InitValue {
	if in == nil {
		return out
	}
	switch in.Case {
	case cc.InitializerExpr:
		t := in.Type()
		if t == nil || !cc.IsIntegerType(t) || t.Size() <= 0 || t.Size() > 8 {
			return out
		}
		var v uint64
		switch x := in.AssignmentExpression.Value().(type) {
		case cc.Int64Value:
			v = uint64(x)
		case cc.UInt64Value:
			v = uint64(x)
		default:
			return out
		}
		return append(out, InitValue{Offset: uint64(max(in.Offset(), 0)), Size: uint64(t.Size()), Value: v})
	case cc.InitializerInitList:
		for l := in.InitializerList; l != nil; l = l.InitializerList {
			out = initValues(l.Initializer, out)
		}
	}
	return out
}

// ctorDefaults records "x->field = [-]N;" statements of a constructor.
func ctorDefaults(m *Module, typ string, toks []cc.Token) {
	for i := 0; i+5 < len(toks); i++ {
		if toks[i+1].SrcStr() != "->" || toks[i+3].SrcStr() != "=" {
			continue
		}
		j, neg := i+4, false
		if toks[j].SrcStr() == "-" {
			j, neg = j+1, true
		}
		if j+1 >= len(toks) || toks[j+1].SrcStr() != ";" {
			continue
		}
		v, err := strconv.ParseInt(strings.TrimRight(toks[j].SrcStr(), "uUlL"), 0, 64)
		if err != nil {
			continue
		}
		if neg {
			v = -v
		}
		if m.Defaults[typ] == nil {
			m.Defaults[typ] = map[string]int64{}
		}
		m.Defaults[typ][toks[i+2].SrcStr()] = v
	}
}

// frontEndInput is the C front end's configuration and sources for one
// module of a tree, as the emulated target compiles it.
func frontEndInput(fsys fs.FS, file string, opts BuildOptions) (*cc.Config, []cc.Source, error) {
	ccABI, err := cc.NewABI("linux", "amd64")
	if err != nil {
		return nil, nil, err
	}
	var paths []string
	for _, p := range opts.IncludePaths {
		paths = append(paths, path.Clean(p))
	}
	cfg := &cc.Config{
		ABI:             ccABI,
		FS:              fsys,
		FSOnly:          true,
		IncludePaths:    append([]string{""}, paths...),
		SysIncludePaths: paths,
		ExpansionLimit:  1 << 22,
		ABILayout:       true,
	}
	if err := cfg.ApplyOptions("-std=gnu11", "-ffreestanding"); err != nil {
		return nil, nil, err
	}
	var pre strings.Builder
	pre.WriteString(abi.Predefined)
	for _, d := range opts.Defines {
		name, val, ok := strings.Cut(d, "=")
		if !ok {
			val = "1"
		}
		fmt.Fprintf(&pre, "#define %s %s\n", name, val)
	}
	src, err := fs.ReadFile(fsys, file)
	if err != nil {
		return nil, nil, err
	}
	return cfg, []cc.Source{
		{Name: "<predefined>", Value: pre.String()},
		{Name: "<builtin>", Value: cc.Builtin},
		{Name: file, Value: src},
	}, nil
}

// preprocessModule runs only the preprocessor over a module: whether every
// #include it reaches under its configuration resolves.
func preprocessModule(fsys fs.FS, file string, opts BuildOptions) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%s: internal error of the C front end: %v", file, r)
		}
	}()
	cfg, sources, err := frontEndInput(compatFS{fsys}, file, opts)
	if err != nil {
		return err
	}
	if err := cc.Preprocess(cfg, sources, io.Discard); err != nil {
		return errors.New(firstLines(err.Error(), 3))
	}
	return nil
}
