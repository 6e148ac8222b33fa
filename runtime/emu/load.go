package emu

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"sort"
	"strings"

	"modernc.org/cc/v4"
	"modernc.org/token"

	"github.com/upsynth/upsynth/runtime/emu/abi"
)

// LoadOptions configure how C translation units are preprocessed.
type LoadOptions struct {
	// IncludePaths are searched, in order, for both "..." and <...>
	// includes, before the machine's own headers (kernel.h, then the hosted
	// headers). Relative to the root of the file system.
	IncludePaths []string
	// Defines are NAME or NAME=VALUE macro definitions.
	Defines []string
	// Hosted marks a hosted program (entry main, __STDC_HOSTED__ 1).
	Hosted bool
	// Allocators are the kernel's own allocation functions (besides
	// kalloc), whose call sites type heap blocks (typedheap.go).
	Allocators []Allocator
	// Wrapv makes signed + - * ++ -- wrap, as gcc's -fwrapv, instead of
	// trapping the overflow (an "overflow" fault) as UBSan would.
	Wrapv bool
	// layoutCells compiles a hosted program with layout cells, as a
	// kernel is (BenchmarkCPUBoundCells measures their cost).
	layoutCells bool
}

// LoadError lists every problem found while loading: translation errors of
// each unit and link errors, each naming file and line.
type LoadError struct{ Problems []string }

func (e *LoadError) Error() string {
	if len(e.Problems) == 1 {
		return e.Problems[0]
	}
	return fmt.Sprintf("%s (and %d more problems)", e.Problems[0], len(e.Problems)-1)
}

// builtinDecls declares the compiler builtins the machine implements.
const builtinDecls = `typedef void *__builtin_va_list;
int __predefined_declarator;
typedef __SIZE_TYPE__ __predefined_size_t;
typedef __WCHAR_TYPE__ __predefined_wchar_t;
typedef __PTRDIFF_TYPE__ __predefined_ptrdiff_t;
void __upsynth_va_start(__builtin_va_list *ap);
void *__upsynth_va_arg(__builtin_va_list *ap, unsigned long size);
#define __builtin_va_start(ap, last) __upsynth_va_start(&(ap))
#define __builtin_va_arg(ap, type) (*(type *)__upsynth_va_arg(&(ap), _Generic((type){0}, long double: 8, default: sizeof(type))))
#define __builtin_va_end(ap) ((void)(ap))
#define __builtin_va_copy(d, s) ((d) = (s))
#define __builtin_offsetof(type, member) ((__SIZE_TYPE__)&(((type *)0)->member))
#define __builtin_types_compatible_p(t1, t2) __ccgo__types_compatible_p((t1){}, (t2){})
int __ccgo__types_compatible_p();
#define __ATOMIC_RELAXED 0
#define __ATOMIC_CONSUME 1
#define __ATOMIC_ACQUIRE 2
#define __ATOMIC_RELEASE 3
#define __ATOMIC_ACQ_REL 4
#define __ATOMIC_SEQ_CST 5
int __builtin_ffs(int x);
int __builtin_ffsl(long x);
int __builtin_ffsll(long long x);
int __builtin_parity(unsigned x);
int __builtin_parityl(unsigned long x);
int __builtin_parityll(unsigned long long x);
int __builtin_abs(int x);
long __builtin_labs(long x);
long __builtin_expect(long v, long expected);
void __builtin_unreachable(void);
void __builtin_trap(void);
int __builtin_clz(unsigned x);
int __builtin_ctz(unsigned x);
int __builtin_popcount(unsigned x);
int __builtin_clzl(unsigned long x);
int __builtin_ctzl(unsigned long x);
int __builtin_popcountl(unsigned long x);
int __builtin_clzll(unsigned long long x);
int __builtin_ctzll(unsigned long long x);
int __builtin_popcountll(unsigned long long x);
unsigned short __builtin_bswap16(unsigned short x);
unsigned __builtin_bswap32(unsigned x);
unsigned long __builtin_bswap64(unsigned long x);
`

const sentinelDecl = "\nstatic void __upsynth_end_of_file__(void);\n"

func newConfig(fsys fs.FS, opts LoadOptions) (*cc.Config, string, error) {
	ccABI, err := cc.NewABI("linux", "amd64")
	if err != nil {
		return nil, "", err
	}
	var pre strings.Builder
	if opts.Hosted {
		pre.WriteString(abi.HostedPredefined)
	} else {
		pre.WriteString(abi.Predefined)
	}
	for _, d := range opts.Defines {
		name, val, ok := strings.Cut(d, "=")
		if !ok {
			val = "1"
		}
		fmt.Fprintf(&pre, "#define %s %s\n", name, val)
	}
	var paths []string
	for _, p := range opts.IncludePaths {
		paths = append(paths, path.Clean(p))
	}
	paths = append(paths, abi.IncludePaths...)
	cfg := &cc.Config{
		ABI:             ccABI,
		FS:              overlayFS{user: fsys},
		FSOnly:          true,
		Predefined:      pre.String(),
		IncludePaths:    append([]string{""}, paths...),
		SysIncludePaths: paths,
		ExpansionLimit:  1 << 20,
		ABILayout:       true,
	}
	if err := cfg.ApplyOptions("-std=gnu11", "-ffreestanding"); err != nil {
		return nil, "", err
	}
	return cfg, pre.String(), nil
}

// Load type-checks and links C translation units from fsys (LP64) and
// compiles them for the machine. Every unit is translated even when an
// earlier one fails; the returned *LoadError lists all problems.
func Load(fsys fs.FS, files []string, opts LoadOptions) (*Image, error) {
	if len(files) == 0 {
		return nil, errors.New("load: no C files")
	}
	cfg, pre, err := newConfig(fsys, opts)
	if err != nil {
		return nil, err
	}
	img := newImage(opts)
	var problems []string
	for _, name := range files {
		ast, wide, err := translate(cfg, pre, name)
		if err != nil {
			problems = append(problems, splitErrors(err)...)
			continue
		}
		img.units = append(img.units, &unit{idx: len(img.units), name: name, ast: ast, wide: wide})
	}
	if len(problems) > 0 {
		return nil, &LoadError{Problems: problems}
	}
	lk := newLinker(img)
	if !opts.Hosted || opts.layoutCells {
		// A kernel: its struct layouts may change under running code.
		img.cells = newLayoutCells()
		lk.cells = &cellCompile{cells: img.cells}
	}
	lk.link(img.units)
	if len(lk.problems) > 0 {
		return nil, &LoadError{Problems: lk.problems}
	}
	img.Files = append([]string(nil), files...)
	return img, nil
}

// translate translates one file. When cc/v4 refuses it only for packed
// bit-fields occupying more than 8 bytes, it translates it again with their
// declarations rewritten (see bitfield.go) and returns their true widths.
func translate(cfg *cc.Config, pre string, name string) (*cc.AST, wideBitfields, error) {
	ast, err := translateOnce(cfg, pre, name)
	if err == nil {
		return ast, nil, nil
	}
	fields := wideFieldsOf(err)
	if fields == nil {
		return nil, nil, err
	}
	files, moved, werr := widenDeclarations(cfg.FS, fields)
	if werr != nil {
		return nil, nil, werr
	}
	patched := *cfg
	patched.FS = patchedFS{base: cfg.FS, files: files}
	if ast, err = translateOnce(&patched, pre, name); err != nil {
		return nil, nil, err
	}
	wide, err := findWideFields(ast, moved)
	if err != nil {
		return nil, nil, err
	}
	return ast, wide, nil
}

func translateOnce(cfg *cc.Config, pre string, name string) (ast *cc.AST, err error) {
	defer func() {
		// cc/v4 is robust, but a malformed input must never take the host
		// down: a panic in the front end is a load error for that file.
		if r := recover(); r != nil {
			ast, err = nil, fmt.Errorf("%s: internal error of the C front end: %v", name, r)
		}
	}()
	// Read through the overlay, which also ends the file with newlines.
	src, err := fs.ReadFile(cfg.FS, path.Clean(name))
	if err != nil {
		return nil, err
	}
	sources := []cc.Source{
		{Name: "<predefined>", Value: pre},
		{Name: "<builtin>", Value: builtinDecls},
		{Name: path.Clean(name), Value: src},
		// cc/v4 v4.34 loops forever when the tokens end inside a pointer
		// declarator ("char *" at EOF): its type-qualifier loop only stops
		// at tokens such as "static". A declaration starting with static
		// after every file ends that loop and is harmless otherwise.
		{Name: "<end>", Value: sentinelDecl},
	}
	// A preprocessing error (a missing include...) cuts the token stream
	// short, wherever it is, so the parser must not see it: preprocess
	// first.
	if err := cc.Preprocess(cfg, sources, io.Discard); err != nil {
		return nil, err
	}
	return cc.Translate(cfg, sources)
}

// splitErrors turns cc/v4's multi-line error into one problem per line.
func splitErrors(err error) []string {
	var out []string
	for _, l := range strings.Split(err.Error(), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// unit is one translated file.
type unit struct {
	idx  int
	name string
	ast  *cc.AST
	wide wideBitfields // bit-fields wider than cc/v4's access units
}

// Image is a loaded, linked and compiled set of translation units: what a
// Machine runs. An Image is immutable once loaded and may back any number of
// machines.
type Image struct {
	Files []string
	opts  LoadOptions
	units []*unit

	funcs     []*Func            // every function, index = id
	symbols   map[string]*symbol // link-level names (internal ones are "unit:name")
	dataSize  uint64             // bytes of the data segment, from dataStart
	inits     []dataInit         // global initializers, run by NewMachine
	strs      map[string]uint64  // interned string literals
	readOnly  [][2]uint64        // address and size of each string literal
	positions []token.Position   // statement positions, indexed by frame.pos
	objTypes  map[string]*objType
	// cells are the layout cells its code reads (nil: numbers are
	// constants; layoutcells.go).
	cells     *layoutCells
	typeOrder []string // object type names, sorted: index = type id
}

// dataInit initializes one global (or static local) when a machine starts.
type dataInit struct {
	name string
	run  func(f *frame)
}

func newImage(opts LoadOptions) *Image {
	return &Image{
		opts:      opts,
		symbols:   map[string]*symbol{},
		strs:      map[string]uint64{},
		positions: []token.Position{{}},
		objTypes:  map[string]*objType{},
	}
}

// Functions lists the names of the C functions the image defines, sorted.
func (img *Image) Functions() []string {
	var out []string
	for _, f := range img.funcs {
		if f.body != nil && !strings.Contains(f.Name, "@") {
			out = append(out, f.Name)
		}
	}
	sort.Strings(out)
	return out
}

// HasFunction reports whether the image defines a C function of that name.
func (img *Image) HasFunction(name string) bool {
	s := img.symbols[name]
	return s != nil && s.fn != nil && s.fn.body != nil
}

// Func is one C function: compiled from a definition, or a builtin.
type Func struct {
	Name string
	Pos  token.Position
	id   int
	ft   *cc.FunctionType

	nslots     int
	frameSize  uint64
	frameAlign uint64   // alignment of the frame base (16, or more for _Alignas)
	redzones   []uint64 // poisoned (offset, length) pairs around addressable locals
	params     []param
	variadic   bool
	body       stmt
	builtin    func(f *frame, args []uint64) uint64
	// method is set for an object method T_name(TRef self, ...): calls go
	// through the OTT to the implementation of the instance's version.
	method *methodInfo
	// version is the object-type version this method implementation was
	// installed for (0 for other functions).
	version int
	// ret is the class of the result; retSize the size of an aggregate one.
	ret     class
	retSize uint64
	// heap is what the typed heap knows of the function (typedsites.go).
	heap *fnHeapInfo
}

// param says where an argument is stored in the callee's frame.
type param struct {
	slot int    // >= 0: a Go slot
	off  uint64 // otherwise: offset from the frame base in memory
	cl   class
	sc   scalar
	size uint64
}

func (fn *Func) addr() uint64 { return funcBase + uint64(fn.id)*funcStride }

// symbol is one link-level name.
type symbol struct {
	name    string
	fn      *Func
	global  *global
	defPos  token.Position // where it is defined
	defined bool
}

// global is a variable with static storage: its address in the data segment.
type global struct {
	name      string
	addr      uint64
	size      uint64
	t         cc.Type
	tentative bool
}
