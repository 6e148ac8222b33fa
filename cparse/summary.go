// Package cparse turns one version of one C or C++ source file into a
// Summary — the functions, types, typedefs, globals and macros it defines —
// and compares two summaries into entity-level changes (Diff).
//
// It knows nothing of git or of the analysis database: callers hand it the
// file's bytes and, for the precise engine, the tree the file lives in as an
// fs.FS. Two engines produce summaries: a precise one on modernc.org/cc/v4
// (real types, sizes and offsets; needs a preprocessable file) and a tolerant
// one on tree-sitter (C and C++, unpreprocessed code full of macros). A file
// never aborts a caller: the worst result is a summary that carries errors.
package cparse

import "time"

// SchemaVersion identifies the meaning of a Summary. Bump it whenever a
// parser change would make a cached summary of the same bytes differ, so
// that caches keyed by it (the analysis database) are invalidated.
const SchemaVersion = 36

// Engine names the parser that produced a summary.
type Engine string

const (
	EnginePrecise  Engine = "precise"  // modernc.org/cc/v4 after preprocessing
	EngineTolerant Engine = "tolerant" // tree-sitter on the raw text
	EngineAsm      Engine = "asm"      // global symbols of an assembly file
)

// Lang is the source language of a file.
type Lang string

const (
	LangC   Lang = "c"
	LangCPP Lang = "cpp"
	LangAsm Lang = "asm" // assembly: only global symbols are summarized
)

// Span locates an entity in its file: 1-based lines, 0-based byte offsets,
// end exclusive.
type Span struct {
	StartLine int `json:"start_line"`
	EndLine   int `json:"end_line"`
	StartByte int `json:"start_byte"`
	EndByte   int `json:"end_byte"`
}

// Summary describes one version of one source file.
type Summary struct {
	Version   int        `json:"version"` // SchemaVersion at creation
	Path      string     `json:"path"`
	Lang      Lang       `json:"lang"`
	Header    bool       `json:"header"`
	Engine    Engine     `json:"engine"`
	Functions []Function `json:"functions,omitempty"`
	Types     []Type     `json:"types,omitempty"`
	Typedefs  []Typedef  `json:"typedefs,omitempty"`
	Globals   []Global   `json:"globals,omitempty"`
	Macros    []Macro    `json:"macros,omitempty"`
	// Asm lists top-level (file-scope) inline assembly blocks.
	Asm      []Asm    `json:"asm,omitempty"`
	Includes []string `json:"includes,omitempty"`
	// TokenHash is a hash of the whole file's tokens, comments and
	// whitespace removed: two versions with the same TokenHash differ only
	// in comments and layout, while versions whose entities all compare
	// equal but whose TokenHash differs changed something outside them
	// (a preprocessor condition, an extern "C" block, a pragma).
	TokenHash string `json:"token_hash,omitempty"`
	// DependsOn lists the other files of the tree the precise engine read
	// (headers, transitively), slash-separated paths in Config.FS: a cached
	// precise summary is valid only while they are unchanged. The tolerant
	// engine reads nothing but the file, except the headers whose macro
	// definitions named a type declared through a macro (macrotype.go).
	DependsOn []string `json:"depends_on,omitempty"`
	// Errors are the problems met while summarizing. A summary with errors
	// is still usable for whatever it does contain.
	Errors []Error `json:"errors,omitempty"`
	// Recovered is the line where the tolerant engine's parse first met
	// syntax it did not understand and recovered from (tree-sitter's
	// error and missing nodes; most files full of macros have one), 0
	// when it met none, whether an entry of Errors names it or not:
	// where comments fall from there on can change the recovery, so a
	// version respelled there is parsed (respell.go).
	Recovered int `json:"recovered,omitempty"`
	// CPU is the CPU time Parse spent on this summary, on its own threads
	// (both engines, a precise attempt that failed included; garbage
	// collection done by other threads not). It is a measurement, not part
	// of the summary: never stored, zero where the platform cannot tell.
	CPU time.Duration `json:"-"`
}

// EntityCount is the number of entities s holds, as Diff compares them:
// functions, types, typedefs, globals, macros and assembly blocks.
func (s *Summary) EntityCount() int {
	return len(s.Functions) + len(s.Types) + len(s.Typedefs) + len(s.Globals) + len(s.Macros) + len(s.Asm)
}

// Function is a function definition or declaration.
type Function struct {
	// Name is qualified: "Class::method" for C++ methods, with namespaces
	// kept ("ns::Class::method") where they disambiguate.
	Name string `json:"name"`
	// Signature is normalized: return type and parameter types with
	// parameter names, comments and redundant whitespace removed,
	// e.g. "int (struct file *, const char *, unsigned long)".
	Signature string `json:"signature"`
	// BodyHash is a hash of the body's tokens, comments and whitespace
	// removed and parameters numbered by position; empty for a
	// declaration without a body.
	BodyHash string `json:"body_hash,omitempty"`
	// NamedBodyHash is the body's hash with its parameters' names kept,
	// set only where the body names one: BodyHash numbers them, so that
	// two bodies that differ only in parameter names share a BodyHash
	// (the same code) and differ here (a change a reader sees).
	NamedBodyHash string `json:"named_body_hash,omitempty"`
	Definition    bool   `json:"definition"`
	Static        bool   `json:"static,omitempty"`
	Extern        bool   `json:"extern,omitempty"`
	Inline        bool   `json:"inline,omitempty"`
	Virtual       bool   `json:"virtual,omitempty"`
	// Override says the method is marked override or final: it overrides
	// a base class's virtual method, so it was virtual whether or not it
	// said so, and takes no vtable slot of its own.
	Override bool `json:"override,omitempty"`
	Const    bool `json:"const,omitempty"`
	// Access is "public", "protected" or "private" for C++ members, else "".
	Access string `json:"access,omitempty"`
	Span   Span   `json:"span"`
	// Calls are the names of functions called in the body, sorted, unique.
	Calls []string `json:"calls,omitempty"`
	// Members are the struct members the body reads or writes.
	Members []MemberRef `json:"members,omitempty"`
	// StaticLocals are the static variables declared inside the body.
	StaticLocals []Global `json:"static_locals,omitempty"`
	HasAsm       bool     `json:"has_asm,omitempty"`
}

// MemberRef is one struct member referenced by a function body.
type MemberRef struct {
	// Struct is the tag or type name the member belongs to, when known.
	Struct string `json:"struct,omitempty"`
	Member string `json:"member"`
	Write  bool   `json:"write,omitempty"`
}

// TypeKind is the kind of an aggregate or enumeration.
type TypeKind string

const (
	KindStruct TypeKind = "struct"
	KindUnion  TypeKind = "union"
	KindClass  TypeKind = "class"
	KindEnum   TypeKind = "enum"
)

// Type is a struct, union, class or enum definition.
type Type struct {
	Kind TypeKind `json:"kind"`
	// Name is the tag (qualified for C++), or for an anonymous type the
	// typedef name that names it.
	Name        string       `json:"name"`
	Members     []Member     `json:"members,omitempty"`
	Enumerators []Enumerator `json:"enumerators,omitempty"`
	// Underlying is an enum's underlying type as written ("uint8_t" for
	// "enum class Type : uint8_t"), empty when it has none; Scoped says
	// the enum is a C++ "enum class" or "enum struct". The tolerant engine
	// reads both; either changed changes the enum (its size, or how its
	// enumerators are named).
	Underlying string   `json:"underlying,omitempty"`
	Scoped     bool     `json:"scoped,omitempty"`
	Bases      []Base   `json:"bases,omitempty"`
	Methods    []Method `json:"methods,omitempty"`
	// Size and Align are in bytes; -1 when the engine could not compute
	// them (always -1 from the tolerant engine).
	Size  int64 `json:"size"`
	Align int64 `json:"align"`
	Span  Span  `json:"span"`
}

// Member is one data member of a struct, union or class, in order.
type Member struct {
	Name   string `json:"name"`
	Type   string `json:"type"`
	Access string `json:"access,omitempty"`
	// BitWidth is the width of a bitfield, -1 for an ordinary member.
	BitWidth int `json:"bit_width"`
	// Offset is the byte offset, -1 when unknown. Size likewise.
	Offset int64 `json:"offset"`
	Size   int64 `json:"size"`
}

// Enumerator is one enumeration constant. Value is its computed value when
// known, else the source text of its initializer (or "" when implicit).
type Enumerator struct {
	Name  string `json:"name"`
	Value string `json:"value,omitempty"`
	// Condition is, from the tolerant engine, the conditionals the
	// enumerator is defined under ("CONFIG_PT_LEVELS > 2 && defined(X)",
	// an #else's as "!(…)"); empty outside any. The precise engine reads
	// only the branches in effect and leaves it empty.
	Condition string `json:"condition,omitempty"`
}

// Base is a C++ base class.
type Base struct {
	Name    string `json:"name"`
	Access  string `json:"access,omitempty"`
	Virtual bool   `json:"virtual,omitempty"`
}

// Method is a method declared inside a class body (its definition, if out of
// line, is a Function named "Class::method").
type Method struct {
	Name      string `json:"name"`
	Signature string `json:"signature"`
	Virtual   bool   `json:"virtual,omitempty"`
	Override  bool   `json:"override,omitempty"` // as Function.Override
	Pure      bool   `json:"pure,omitempty"`
	Static    bool   `json:"static,omitempty"`
	Const     bool   `json:"const,omitempty"`
	Access    string `json:"access,omitempty"`
}

// Typedef is a typedef declaration.
type Typedef struct {
	Name string `json:"name"`
	Type string `json:"type"`
	Span Span   `json:"span"`
}

// Global is a variable at file scope, or a static local inside a function.
type Global struct {
	Name string `json:"name"`
	Type string `json:"type"`
	// InitHash is a hash of the initializer's tokens, "" when there is none.
	InitHash string `json:"init_hash,omitempty"`
	Static   bool   `json:"static,omitempty"`
	Extern   bool   `json:"extern,omitempty"`
	Span     Span   `json:"span"`
}

// Macro is a #define.
type Macro struct {
	Name         string   `json:"name"`
	FunctionLike bool     `json:"function_like,omitempty"`
	Params       []string `json:"params,omitempty"`
	// ValueHash is a hash of the replacement list's tokens.
	ValueHash string `json:"value_hash"`
	// Condition is a hash of the conditionals the definition sits in
	// (each enclosing #if, #ifdef or #ifndef with the branch it is in;
	// a header's include guard left out), empty when there are none: a
	// definition made or left conditional, or whose condition is
	// rewritten, changes.
	Condition string `json:"condition,omitempty"`
	Span      Span   `json:"span"`
}

// Asm is a file-scope assembly block of a C file, or a global symbol of an
// assembly file (Name set: the lines from its label to the next global
// one).
type Asm struct {
	Name string `json:"name,omitempty"`
	Hash string `json:"hash"`
	Span Span   `json:"span"`
}

// Error is one problem met while summarizing, with where it was.
type Error struct {
	Line int    `json:"line,omitempty"`
	Col  int    `json:"col,omitempty"`
	Msg  string `json:"msg"`
	// Limit is set when an engine gave up because the file reached one
	// of its limits (size, includes, time).
	Limit *LimitError `json:"limit,omitempty"`
}
