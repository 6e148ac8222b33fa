package cparse

// EntityKind is what kind of entity a Change concerns.
type EntityKind string

const (
	EntityFunction EntityKind = "function"
	EntityType     EntityKind = "type"
	EntityGlobal   EntityKind = "global"
	EntityMacro    EntityKind = "macro"
	EntityAsm      EntityKind = "asm"
)

// ChangeKind is how an entity changed.
type ChangeKind string

const (
	ChangeBody      ChangeKind = "body"      // function body tokens
	ChangeSignature ChangeKind = "signature" // function signature or qualifiers
	ChangeAdded     ChangeKind = "added"
	ChangeRemoved   ChangeKind = "removed"
	ChangeLayout    ChangeKind = "layout"  // type members, sizes or offsets
	ChangeMethods   ChangeKind = "methods" // C++ method set, order or virtual-ness
	ChangeEnum      ChangeKind = "enum"    // enumerators
	ChangeType      ChangeKind = "type"    // global's type, or the type a typedef or alias names
	ChangeInit      ChangeKind = "init"    // global's initializer
	ChangeChanged   ChangeKind = "changed" // macro value or parameters
	ChangeMoved     ChangeKind = "moved"   // removed from one file, added to another (Detail: "from FILE"); set by the analyzer, which sees every file of a commit
)

// Change is one entity-level difference between two summaries.
type Change struct {
	Entity EntityKind `json:"entity"`
	Name   string     `json:"name"`
	Change ChangeKind `json:"change"`
	// Detail says what exactly changed, for a person ("member 'count'
	// widened from int to long; size 16 -> 24").
	Detail string `json:"detail,omitempty"`
	// Access is, for C++ members, the most exposed access among the members
	// or methods the change touches ("public", "protected", "private");
	// "" for C entities and non-members.
	Access string `json:"access,omitempty"`
	// Virtual is set when the change touches virtual methods: the set or
	// order of a class's virtual methods (its vtable), or a virtual
	// method's signature.
	Virtual bool `json:"virtual,omitempty"`
	// Cosmetic is set when the change alters no compiled code: a function
	// body or a macro whose only difference is its parameters' names. It
	// is listed, as a reviewer sees it, and needs no update.
	Cosmetic bool `json:"cosmetic,omitempty"`
}

// DetailParametersRenamed is the Detail of a cosmetic change.
const DetailParametersRenamed = "parameters renamed only"
