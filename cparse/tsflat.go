package cparse

/*
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

// The parts of tree-sitter's api.h used here. The C library itself is
// compiled and linked by github.com/smacker/go-tree-sitter (and the
// grammars by its c and cpp packages), which this package imports.
typedef uint16_t TSSymbol;
typedef uint16_t TSFieldId;
typedef struct TSParser TSParser;
typedef struct TSTree TSTree;
typedef struct TSLanguage TSLanguage;
typedef struct { uint32_t row, column; } TSPoint;
typedef struct { TSPoint start_point, end_point; uint32_t start_byte, end_byte; } TSRange;
typedef struct { uint32_t context[4]; const void *id; const TSTree *tree; } TSNode;
typedef struct { const void *tree; const void *id; uint32_t context[3]; } TSTreeCursor;

extern TSParser *ts_parser_new(void);
extern void ts_parser_delete(TSParser *);
extern bool ts_parser_set_language(TSParser *, const TSLanguage *);
extern bool ts_parser_set_included_ranges(TSParser *, const TSRange *, uint32_t);
extern void ts_parser_set_timeout_micros(TSParser *, uint64_t);
extern void ts_parser_set_cancellation_flag(TSParser *, const size_t *);
extern void ts_parser_reset(TSParser *);
extern TSTree *ts_parser_parse_string(TSParser *, const TSTree *, const char *, uint32_t);
extern void ts_tree_delete(TSTree *);
extern TSNode ts_tree_root_node(const TSTree *);
extern TSTreeCursor ts_tree_cursor_new(TSNode);
extern void ts_tree_cursor_delete(TSTreeCursor *);
extern TSNode ts_tree_cursor_current_node(const TSTreeCursor *);
extern TSFieldId ts_tree_cursor_current_field_id(const TSTreeCursor *);
extern bool ts_tree_cursor_goto_first_child(TSTreeCursor *);
extern bool ts_tree_cursor_goto_next_sibling(TSTreeCursor *);
extern bool ts_tree_cursor_goto_parent(TSTreeCursor *);
extern TSSymbol ts_node_symbol(TSNode);
extern bool ts_node_is_named(TSNode);
extern bool ts_node_has_error(TSNode);
extern bool ts_node_is_missing(TSNode);
extern uint32_t ts_node_start_byte(TSNode);
extern uint32_t ts_node_end_byte(TSNode);
extern TSPoint ts_node_start_point(TSNode);
extern TSPoint ts_node_end_point(TSNode);
extern uint32_t ts_language_symbol_count(const TSLanguage *);
extern const char *ts_language_symbol_name(const TSLanguage *, TSSymbol);
extern uint32_t ts_language_field_count(const TSLanguage *);
extern const char *ts_language_field_name_for_id(const TSLanguage *, TSFieldId);
extern const TSLanguage *tree_sitter_c(void);
extern const TSLanguage *tree_sitter_cpp(void);

// One node of a flattened tree, in preorder.
typedef struct {
	uint32_t start, end, srow, scol, erow, ecol;
	uint32_t parent, nkids;
	TSSymbol sym;
	TSFieldId field;
	uint8_t named;
} flat_node;

// flat_parse parses src and writes every node of the tree to *out
// (malloc'ed, freed by the caller): one call into C per parse instead of
// several per node visited. It returns the node count, or -1 when the
// parse stopped at the timeout or *cancel became non-zero; *error_row is
// the row of the first error or missing node, UINT32_MAX when the tree
// holds none.
static int64_t flat_parse(TSParser *p, const char *src, uint32_t len, const TSRange *r, uint32_t nr, uint64_t timeout, const size_t *cancel, flat_node **out, uint32_t *error_row) {
	if (r) ts_parser_set_included_ranges(p, r, nr);
	ts_parser_set_timeout_micros(p, timeout);
	ts_parser_set_cancellation_flag(p, cancel);
	TSTree *tree = ts_parser_parse_string(p, NULL, src, len);
	ts_parser_set_cancellation_flag(p, NULL);
	if (r) ts_parser_set_included_ranges(p, NULL, 0);
	if (!tree) {
		ts_parser_reset(p);
		return -1;
	}
	uint32_t cap = 256, n = 0, parent = UINT32_MAX;
	flat_node *buf = malloc(cap * sizeof *buf);
	*error_row = UINT32_MAX;
	bool has_error = ts_node_has_error(ts_tree_root_node(tree));
	TSTreeCursor c = ts_tree_cursor_new(ts_tree_root_node(tree));
	for (;;) {
		if (n == cap) {
			cap *= 2;
			buf = realloc(buf, cap * sizeof *buf);
		}
		TSNode node = ts_tree_cursor_current_node(&c);
		TSPoint sp = ts_node_start_point(node), ep = ts_node_end_point(node);
		flat_node *f = &buf[n];
		f->start = ts_node_start_byte(node);
		f->end = ts_node_end_byte(node);
		f->srow = sp.row; f->scol = sp.column;
		f->erow = ep.row; f->ecol = ep.column;
		f->parent = parent;
		f->nkids = 0;
		f->sym = ts_node_symbol(node);
		f->field = ts_tree_cursor_current_field_id(&c);
		f->named = ts_node_is_named(node);
		if (has_error && sp.row < *error_row && (f->sym == (TSSymbol)-1 || ts_node_is_missing(node))) *error_row = sp.row;
		if (parent != UINT32_MAX) buf[parent].nkids++;
		uint32_t idx = n++;
		if (ts_tree_cursor_goto_first_child(&c)) {
			parent = idx;
			continue;
		}
		for (;;) {
			if (ts_tree_cursor_goto_next_sibling(&c)) break;
			if (!ts_tree_cursor_goto_parent(&c)) goto done;
			parent = buf[parent].parent;
		}
	}
done:
	ts_tree_cursor_delete(&c);
	ts_tree_delete(tree);
	*out = buf;
	return n;
}

static TSParser *new_parser(int cpp) {
	TSParser *p = ts_parser_new();
	ts_parser_set_language(p, cpp ? tree_sitter_cpp() : tree_sitter_c());
	return p;
}

static const TSLanguage *language(int cpp) { return cpp ? tree_sitter_cpp() : tree_sitter_c(); }
*/
import "C"

import (
	"bytes"
	"context"
	"errors"
	"iter"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	sitter "github.com/smacker/go-tree-sitter"
	// The grammars' C code, which flat_parse calls.
	_ "github.com/smacker/go-tree-sitter/c"
	_ "github.com/smacker/go-tree-sitter/cpp"
)

// tsParser owns a C parser; pooled, since making one costs as much as
// parsing a small file.
type tsParser struct{ c *C.TSParser }

func newTSParser(lang Lang) *tsParser {
	p := &tsParser{c: C.new_parser(cppFlag(lang))}
	runtime.SetFinalizer(p, func(p *tsParser) { C.ts_parser_delete(p.c) })
	return p
}

func cppFlag(lang Lang) C.int {
	if lang == LangCPP {
		return 1
	}
	return 0
}

// parsers keeps tree-sitter parsers for reuse, one pool per language.
var parsers = map[Lang]*sync.Pool{
	LangC:   {New: func() any { return newTSParser(LangC) }},
	LangCPP: {New: func() any { return newTSParser(LangCPP) }},
}

// grammarNames are a grammar's node type and field names, by id.
type grammarNames struct {
	symbols []string
	fields  []string
}

var grammars = map[Lang]func() *grammarNames{
	LangC:   sync.OnceValue(func() *grammarNames { return loadGrammarNames(LangC) }),
	LangCPP: sync.OnceValue(func() *grammarNames { return loadGrammarNames(LangCPP) }),
}

func loadGrammarNames(lang Lang) *grammarNames {
	l := C.language(cppFlag(lang))
	g := &grammarNames{}
	for i := C.uint32_t(0); i < C.ts_language_symbol_count(l); i++ {
		g.symbols = append(g.symbols, C.GoString(C.ts_language_symbol_name(l, C.TSSymbol(i))))
	}
	g.fields = append(g.fields, "") // field id 0 is "no field"
	for i := C.uint32_t(1); i <= C.ts_language_field_count(l); i++ {
		g.fields = append(g.fields, C.GoString(C.ts_language_field_name_for_id(l, C.TSFieldId(i))))
	}
	return g
}

func (g *grammarNames) symbol(s uint16) string {
	if int(s) < len(g.symbols) {
		return g.symbols[s]
	}
	if s == 0xFFFF {
		return "ERROR" // tree-sitter's builtin error symbol
	}
	return "_ERROR"
}

// tsTree is a tree-sitter syntax tree copied into Go memory, so that
// walking it costs no calls into C.
type tsTree struct {
	nodes []tsNode
	kids  []kid // every node's children, one block per node
	// errorLine is the 1-based line of the first error or missing node:
	// where the parse began to recover from syntax it did not
	// understand; 0 when it had none to.
	errorLine int
}

// trees holds released trees, whose arrays the next parse reuses.
var trees = sync.Pool{New: func() any { return new(tsTree) }}

// release returns the tree to the pool; no node of it may be used after.
func (t *tsTree) release() {
	clear(t.nodes)
	clear(t.kids)
	trees.Put(t)
}

// RootNode is the tree's root.
func (t *tsTree) RootNode() *tsNode { return &t.nodes[0] }

// tsNode is one node of a tsTree, answering what sitter.Node would.
type tsNode struct {
	typ        string
	start, end uint32
	sp, ep     sitter.Point
	named      bool
	parent     *tsNode
	kids       []kid
}

// kid is one child of a node, with the field it fills in its parent.
type kid struct {
	n     *tsNode
	typ   string
	field string
}

func (n *tsNode) Type() string                   { return n.typ }
func (n *tsNode) StartByte() uint32              { return n.start }
func (n *tsNode) EndByte() uint32                { return n.end }
func (n *tsNode) StartPoint() sitter.Point       { return n.sp }
func (n *tsNode) EndPoint() sitter.Point         { return n.ep }
func (n *tsNode) Parent() *tsNode                { return n.parent }
func (n *tsNode) ChildCount() uint32             { return uint32(len(n.kids)) }
func (n *tsNode) Child(i int) *tsNode            { return n.kids[i].n }
func (n *tsNode) FieldNameForChild(i int) string { return n.kids[i].field }

func (n *tsNode) Range() sitter.Range {
	return sitter.Range{StartPoint: n.sp, EndPoint: n.ep, StartByte: n.start, EndByte: n.end}
}

// NamedChildCount counts the named children (comments included, as in
// tree-sitter).
func (n *tsNode) NamedChildCount() uint32 {
	count := uint32(0)
	for _, k := range n.kids {
		if k.n.named {
			count++
		}
	}
	return count
}

// NamedChild is the i-th named child, nil past the last.
func (n *tsNode) NamedChild(i int) *tsNode {
	for _, k := range n.kids {
		if k.n.named {
			if i == 0 {
				return k.n
			}
			i--
		}
	}
	return nil
}

// namedChildren yields the named children in order. Loops use it rather
// than NamedChild(i), which scans from the first child each time: a
// prototype with 100,000 parameters would cost 10^10 steps.
func (n *tsNode) namedChildren() iter.Seq[*tsNode] {
	return func(yield func(*tsNode) bool) {
		for _, k := range n.kids {
			if k.n.named && !yield(k.n) {
				return
			}
		}
	}
}

// ChildByFieldName is the first child filling field name, nil if none.
// Unlike go-tree-sitter's, it does not look for fields a hidden grammar
// rule passes up without naming a child of its own (the "parameters" of
// a K&R function_definition); the walker asks for none of those.
func (n *tsNode) ChildByFieldName(name string) *tsNode {
	for _, k := range n.kids {
		if k.field == name {
			return k.n
		}
	}
	return nil
}

// parseTree runs tree-sitter on src. The parse stops at ctx's deadline,
// through tree-sitter's own timeout.
func parseTree(ctx context.Context, src []byte, lang Lang) (*tsTree, error) {
	return parseRanges(ctx, src, lang, nil)
}

// parseRanges parses only the parts ranges of src (all of it when ranges
// is empty), keeping the offsets and positions of the whole text.
func parseRanges(ctx context.Context, src []byte, lang Lang, ranges []sitter.Range) (*tsTree, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if lang != LangCPP {
		lang = LangC
	}
	pool := parsers[lang]
	p := pool.Get().(*tsParser)
	defer pool.Put(p)
	start := time.Now()
	limit := 0
	if deadline, ok := ctx.Deadline(); ok {
		limit = max(int(time.Until(deadline).Microseconds()), 1)
	}
	var cr []C.TSRange
	for _, r := range ranges {
		cr = append(cr, C.TSRange{
			start_point: C.TSPoint{row: C.uint32_t(r.StartPoint.Row), column: C.uint32_t(r.StartPoint.Column)},
			end_point:   C.TSPoint{row: C.uint32_t(r.EndPoint.Row), column: C.uint32_t(r.EndPoint.Column)},
			start_byte:  C.uint32_t(r.StartByte), end_byte: C.uint32_t(r.EndByte),
		})
	}
	var crp *C.TSRange
	if len(cr) > 0 {
		crp = &cr[0]
	}
	text := (*C.char)(unsafe.Pointer(&emptyText[0]))
	if len(src) > 0 {
		text = (*C.char)(unsafe.Pointer(&src[0]))
	}
	// The flag tree-sitter polls while it parses: set when ctx is
	// cancelled (SIGINT/SIGTERM), which its own timeout does not see.
	cancel := (*C.size_t)(C.calloc(1, C.size_t(unsafe.Sizeof(C.size_t(0)))))
	defer C.free(unsafe.Pointer(cancel))
	stopWatch := context.AfterFunc(ctx, func() { atomic.StoreUintptr((*uintptr)(unsafe.Pointer(cancel)), 1) })
	var flat *C.flat_node
	var errorRow C.uint32_t
	n := C.flat_parse(p.c, text, C.uint32_t(len(src)), crp, C.uint32_t(len(cr)), C.uint64_t(limit), cancel, &flat, &errorRow)
	if !stopWatch() {
		// The callback ran or is running: wait for its store before
		// freeing the flag.
		for atomic.LoadUintptr((*uintptr)(unsafe.Pointer(cancel))) == 0 {
			runtime.Gosched()
		}
	}
	runtime.KeepAlive(src)
	if n < 0 {
		if err := ctx.Err(); err != nil && !errors.Is(err, context.DeadlineExceeded) {
			return nil, err
		}
		return nil, &LimitError{Engine: EngineTolerant, Limit: "time", Max: int64(limit) / 1000, Figure: time.Since(start).Milliseconds(), Unit: "ms"}
	}
	defer C.free(unsafe.Pointer(flat))
	t := buildTree(unsafe.Slice(flat, int(n)), grammars[lang]())
	t.errorLine = 0
	if errorRow != C.uint32_t(^uint32(0)) {
		t.errorLine = int(errorRow) + 1
	}
	return t, nil
}

// minSkippedBlank is the shortest run of blank lines worth leaving out of
// a parse: each left out costs tree-sitter a range switch.
const minSkippedBlank = 64

// nonBlankRanges lists the parts of text to parse, leaving out the
// whole blank lines of long whitespace runs (the blanked function
// bodies): tree-sitter otherwise lexes every one of their bytes. Only
// whole lines go, so a preprocessor line still ends at its newline.
// nil when nothing is worth leaving out.
func nonBlankRanges(text []byte) []sitter.Range {
	var ranges []sitter.Range
	start, startRow, row := 0, 0, 0
	for i := 0; i < len(text); {
		if !isBlankByte(text[i]) {
			i++
			continue
		}
		j := i
		firstNL, lastNL, rows := -1, -1, 0
		for ; j < len(text) && isBlankByte(text[j]); j++ {
			if text[j] == ' ' || text[j] == '\n' {
				k := skipSpacesAndNewlines(text, j)
				if n := bytes.Count(text[j:k], newline); n > 0 {
					if firstNL < 0 {
						firstNL = j + bytes.IndexByte(text[j:k], '\n')
					}
					lastNL = j + bytes.LastIndexByte(text[j:k], '\n')
					rows += n
				}
				j = k - 1
				continue
			}
			if text[j] == '\t' {
				j = skipSpaces(text, j) - 1
			}
		}
		// After a backslash, the newline may continue a directive.
		continued := i > 0 && text[i-1] == '\\'
		if rows >= 2 && lastNL-firstNL >= minSkippedBlank && !continued {
			ranges = append(ranges, sitter.Range{
				StartByte: uint32(start), EndByte: uint32(firstNL + 1),
				StartPoint: sitter.Point{Row: uint32(startRow), Column: uint32(columnOf(text, start))},
				EndPoint:   sitter.Point{Row: uint32(row + 1)},
			})
			start, startRow = lastNL+1, row+rows
		}
		row += rows
		i = j
	}
	if ranges == nil {
		return nil
	}
	return append(ranges, sitter.Range{
		StartByte: uint32(start), EndByte: ^uint32(0),
		StartPoint: sitter.Point{Row: uint32(startRow), Column: uint32(columnOf(text, start))},
		EndPoint:   sitter.Point{Row: ^uint32(0), Column: ^uint32(0)},
	})
}

func isBlankByte(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}

// columnOf is the byte column of offset i in text.
func columnOf(text []byte, i int) int {
	return i - (bytes.LastIndexByte(text[:i], '\n') + 1)
}

// emptyText stands for an empty source: C needs a valid pointer.
var emptyText = [1]byte{}

// resize returns s with length n, reusing its array when it is big enough.
func resize[T any](s []T, n int) []T {
	if cap(s) >= n {
		return s[:n]
	}
	return make([]T, n)
}

// buildTree copies the flattened nodes into Go, giving each node its
// children as a slice of one shared array.
func buildTree(flat []C.flat_node, g *grammarNames) *tsTree {
	t := trees.Get().(*tsTree)
	t.nodes = resize(t.nodes, len(flat))
	t.kids = resize(t.kids, max(len(flat)-1, 0))
	allKids := t.kids
	// Preorder: a node's children follow it, so each node's block of kids
	// can be reserved when the node is met and filled as they come.
	next := 0
	for i := range flat {
		f := &flat[i]
		n := &t.nodes[i]
		n.typ = g.symbol(uint16(f.sym))
		n.start, n.end = uint32(f.start), uint32(f.end)
		n.sp = sitter.Point{Row: uint32(f.srow), Column: uint32(f.scol)}
		n.ep = sitter.Point{Row: uint32(f.erow), Column: uint32(f.ecol)}
		n.named = f.named != 0
		n.kids = allKids[next : next : next+int(f.nkids)]
		next += int(f.nkids)
		if f.parent != C.uint32_t(^uint32(0)) {
			p := &t.nodes[f.parent]
			n.parent = p
			field := ""
			if int(f.field) < len(g.fields) {
				field = g.fields[f.field]
			}
			p.kids = append(p.kids, kid{n: n, typ: n.typ, field: field})
		}
	}
	return t
}
