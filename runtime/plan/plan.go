// Package plan is an update as data: the plan.json of an emitted update
// package, its one schema (docs/plan-json.md) and the layout of the package
// directory. The generator (package synth) writes it with these types; the
// verification harness (runtime/emu/verify), the in-process interpreter
// (synth/verify), upsynth verify and upsynth target run --update read it
// with Read. Keys are snake_case; Version changes whenever a key does.
//
// The package depends on the standard library and package runtime only, so
// emitted packages can read their own plan.
package plan

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/upsynth/upsynth/runtime"
)

// The layout of an emitted package directory: plan.json at its root, the new
// C sources under NewSourcesDir (by tree path) and the old revision's kernel
// tree under OldTreeDir.
const (
	File          = "plan.json"
	NewSourcesDir = "kernel/new"
	OldTreeDir    = "kernel/old"
)

// Version is the version of the schema: 2 made every key snake_case.
const Version = 2

// Plan is what an update does and why: the modules it reloads, the
// functions it replaces, the object types it transfers, the signatures it
// adapts, and what needs a person. It is written as plan.json and PLAN.md
// next to the generated code, and is everything verification needs.
type Plan struct {
	Version int    `json:"version"`
	Name    string `json:"name"`
	Repo    string `json:"repo,omitempty"`
	OldRev  string `json:"old_rev"`
	NewRev  string `json:"new_rev"`
	// Class, Hazards and Reasons come from the analysis database.
	Class   string   `json:"class"`
	Hazards []string `json:"hazards,omitempty"`
	Reasons []string `json:"reasons,omitempty"`
	Mode    string   `json:"mode"`
	// Build is how the kernel's modules are compiled (from upsynth.yaml,
	// package kernel).
	Build Build `json:"build"`
	// Modules are the C modules loaded as new code; Headers the changed
	// headers shipped with them (new code is compiled against them).
	Modules   []string      `json:"modules"`
	Headers   []string      `json:"headers,omitempty"`
	Deleted   []string      `json:"deleted,omitempty"`
	Functions []FuncPlan    `json:"functions,omitempty"`
	Added     []string      `json:"added,omitempty"`
	Removed   []string      `json:"removed,omitempty"`
	Types     []TypePlan    `json:"types,omitempty"`
	Adapters  []AdapterPlan `json:"adapters,omitempty"`
	Globals   []GlobalPlan  `json:"globals,omitempty"`
	// Needs lists what a person must look at (hooks.go); Cannot what the
	// update cannot do at all (only with --force); Notes the rest.
	Needs  []string `json:"needs,omitempty"`
	Notes  []string `json:"notes,omitempty"`
	Cannot []string `json:"cannot,omitempty"`
	// Imprecise lists the changed sources the C front end could not compile
	// (or C++, which it does not read): they were planned from tolerant
	// summaries, without layouts or precise signatures.
	Imprecise []ImpreciseFile `json:"imprecise,omitempty"`
	// Unverifiable says why verification cannot boot this kernel on the
	// emulated target ("" when it can); the generated test skips with it.
	Unverifiable string `json:"unverifiable,omitempty"`
	// OldModules and NewModules are the kernel's modules on the emulated
	// target at each revision (package kernel's module list); Workloads the
	// request scripts of the new revision (tree paths).
	OldModules []string `json:"old_modules"`
	NewModules []string `json:"new_modules"`
	Workloads  []string `json:"workloads,omitempty"`
	Load       string   `json:"load,omitempty"` // the workload run during the update
}

// Build is how the kernel is built on the emulated target.
type Build struct {
	IncludePaths []string `json:"include_paths"`
	Defines      []string `json:"defines,omitempty"`
	// Allocators are the kernel's own allocation functions, whose blocks
	// the target types by their allocation sites.
	Allocators []Allocator `json:"allocators,omitempty"`
	// Target names the port laid over the kernel's tree ("" for a kernel
	// written for the target); its files are in the old tree.
	Target string `json:"target,omitempty"`
}

// Allocator is a pair of the kernel's allocation functions.
type Allocator struct {
	Alloc string `json:"alloc"`
	Free  string `json:"free"`
}

// FuncPlan is a function whose code is replaced.
type FuncPlan struct {
	Name   string `json:"name"`
	Module string `json:"module"`
	Why    string `json:"why"`
}

// GlobalPlan is a global whose declaration changed.
type GlobalPlan struct {
	Name   string `json:"name"`
	Module string `json:"module"`
	Static bool   `json:"static,omitempty"`
	Change string `json:"change"`
	Note   string `json:"note"`
	// Patches are integer constants of the initializer whose value changed
	// (a sizeof of a changed struct, a new limit) in a global the code
	// never assigns: they are written into the running kernel in the Before
	// hook, atomically with the code swap.
	Patches []Patch `json:"patches,omitempty"`
}

// Patch is one changed constant of a global's initializer.
type Patch struct {
	Offset uint64 `json:"offset"`
	Size   uint64 `json:"size"`
	Old    uint64 `json:"old"`
	New    uint64 `json:"new"`
}

// Symbol is how the running kernel names a global: "path:name" when it is
// file-local.
func (g GlobalPlan) Symbol() string {
	if g.Static {
		return g.Module + ":" + g.Name
	}
	return g.Name
}

// TypePlan is one object type whose state is transferred.
type TypePlan struct {
	Name string         `json:"name"`
	Old  runtime.Layout `json:"old"`
	New  runtime.Layout `json:"new"`
	// OldFingerprint and NewFingerprint identify the layouts; the generated
	// code checks both before it converts anything.
	OldFingerprint string `json:"old_fingerprint"`
	NewFingerprint string `json:"new_fingerprint"`
	Forward        []Op   `json:"forward"`
	Reverse        []Op   `json:"reverse"`
	// Removed lists old fields with no place in the new layout; Added the new
	// fields that start at zero; Guesses the likely renames.
	Removed []string `json:"removed,omitempty"`
	Added   []string `json:"added,omitempty"`
	Guesses []string `json:"guesses,omitempty"`
	// Problems are conversions that cannot be generated (pointers to changed
	// structs, unions that changed): a person must write them in a hook.
	Problems []string `json:"problems,omitempty"`
	// LayoutSame: the layout is unchanged; the type gets a new version only
	// because its method set or a method's signature changed (Why).
	LayoutSame bool   `json:"layout_same,omitempty"`
	Why        string `json:"why"`
	// ByName: the layouts are not known at emit time (the module did not
	// compile, see Plan.Imprecise). Old and New stay empty, so the runtime
	// takes them from the running kernel and the new code, and the transfer
	// copies same-named fields (runtime.CopyFields) before the hook runs.
	ByName bool `json:"by_name,omitempty"`
}

// Op is one step of a state transfer, old layout -> new, at byte offsets
// relative to the state (or to the array element being converted). The same
// list drives the generated Go code and the in-process interpreter
// (synth/verify), so the two cannot disagree.
type Op struct {
	Kind OpKind `json:"kind"`
	// Field is the new field's path ("hdr.refs", "entries[]"), From the old
	// one's ("" for a defaulted field).
	Field string `json:"field"`
	From  string `json:"from,omitempty"`
	// SrcOff/DstOff are byte offsets; SrcSize/DstSize the sizes moved.
	SrcOff  uint64 `json:"src_off"`
	DstOff  uint64 `json:"dst_off"`
	SrcSize uint64 `json:"src_size"`
	DstSize uint64 `json:"dst_size"`
	// Signed says how an integer source is extended (OpInt).
	Signed bool `json:"signed,omitempty"`
	// DstSigned: the destination's range for the narrowing check.
	DstSigned bool `json:"dst_signed,omitempty"`
	// Bitfields: the bit position and width within the SrcSize/DstSize unit
	// (0 width: not a bitfield).
	SrcBit  uint8 `json:"src_bit,omitempty"`
	SrcBits uint8 `json:"src_bits,omitempty"`
	DstBit  uint8 `json:"dst_bit,omitempty"`
	DstBits uint8 `json:"dst_bits,omitempty"`
	// Count array elements of SrcStride/DstStride bytes, each converted by
	// Elem (OpArray).
	Count     uint64 `json:"count,omitempty"`
	SrcStride uint64 `json:"src_stride,omitempty"`
	DstStride uint64 `json:"dst_stride,omitempty"`
	Elem      []Op   `json:"elem,omitempty"`
	// Guess marks a match made by position and type, not by name: a likely
	// rename a person should confirm.
	Guess bool `json:"guess,omitempty"`
	// Value is the constant an OpConst writes.
	Value int64 `json:"value,omitempty"`
	// Note explains the step in the generated code and the plan.
	Note string `json:"note"`
}

// OpKind is what a transfer step does.
type OpKind string

// Transfer steps.
const (
	OpCopy    OpKind = "copy"    // same bytes: copy SrcSize bytes
	OpInt     OpKind = "int"     // integer of another width or signedness (narrowing checked)
	OpFloat   OpKind = "float"   // float <-> double
	OpBits    OpKind = "bits"    // a bitfield on either side
	OpPrefix  OpKind = "prefix"  // an array resized: copy the common prefix
	OpArray   OpKind = "array"   // an array whose elements change: convert each
	OpDefault OpKind = "default" // a new field: zero (a hook may set it)
	OpConst   OpKind = "const"   // a new field: the constant its constructor gives it
)

// AdapterPlan translates calls between two signatures of a function.
type AdapterPlan struct {
	Func string `json:"func"`
	// To is the new name of method Func when the update renames it (calls
	// bound to Func reach To); empty when Func only changes its signature.
	To      string `json:"to,omitempty"`
	Method  bool   `json:"method"` // a method of a type with a new version
	OldDecl string `json:"old_decl"`
	NewDecl string `json:"new_decl"`
	OldSig  string `json:"old_sig"`
	NewSig  string `json:"new_sig"`
	// Forward builds the new arguments from an old call; Reverse the old
	// arguments from a new call (methods only: a lazy update's new code
	// reaching an instance not converted yet).
	Forward []ArgMap `json:"forward"`
	Reverse []ArgMap `json:"reverse,omitempty"`
	// ForwardResult converts the new result for an old caller;
	// ReverseResult the old result for a new caller. Nil: identity.
	ForwardResult *Conv    `json:"forward_result,omitempty"`
	ReverseResult *Conv    `json:"reverse_result,omitempty"`
	Notes         []string `json:"notes,omitempty"`
}

// ArgMap says where one argument of the target signature comes from.
type ArgMap struct {
	Param string `json:"param"`
	Type  string `json:"type"`
	// From is the index of the source argument, -1 for a defaulted one.
	From     int    `json:"from"`
	FromName string `json:"from_name,omitempty"`
	Conv     *Conv  `json:"conv,omitempty"`
	Guess    bool   `json:"guess,omitempty"`
	Note     string `json:"note"`
}

// Conv converts a 64-bit argument slot between integer types: the value is
// truncated to DstSize bytes and extended by DstSigned; when it does not fit
// (narrowing) the call fails.
type Conv struct {
	SrcSize   uint64 `json:"src_size"`
	SrcSigned bool   `json:"src_signed"`
	DstSize   uint64 `json:"dst_size"`
	DstSigned bool   `json:"dst_signed"`
}

// ImpreciseFile is a changed source of the update that was planned without
// the C front end: it does not compile at one of the revisions (a syntax
// error, an undefined name, a header the build generates) or it is C++.
type ImpreciseFile struct {
	File string `json:"file"`
	// Why is the front end's error ("new: file:line:col: ..." or "old:
	// ..."), or why the front end was not used.
	Why string `json:"why"`
}

// Marshal is the plan.json text of p.
func (p *Plan) Marshal() ([]byte, error) {
	b, err := json.MarshalIndent(p, "", "  ")
	return append(b, '\n'), err
}

// Read reads the plan.json of the package in dir. Unknown keys are an
// error (a plan of another schema), as is another Version.
func Read(dir string) (*Plan, error) {
	b, err := os.ReadFile(filepath.Join(dir, File))
	if err != nil {
		return nil, fmt.Errorf("%s is not an emitted update package: %w", dir, err)
	}
	var head struct {
		Version int `json:"version"`
	}
	if err := json.Unmarshal(b, &head); err != nil {
		return nil, fmt.Errorf("%s/%s: %w", dir, File, err)
	}
	if head.Version != Version {
		return nil, fmt.Errorf("%s/%s: plan version %d, this upsynth reads %d: emit again", dir, File, head.Version, Version)
	}
	var p Plan
	strict := json.NewDecoder(bytes.NewReader(b))
	strict.DisallowUnknownFields()
	if err := strict.Decode(&p); err != nil {
		return nil, fmt.Errorf("%s/%s: %w", dir, File, err)
	}
	return &p, nil
}
