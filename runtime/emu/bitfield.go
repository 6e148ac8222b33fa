package emu

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"modernc.org/cc/v4"
)

// Bit-fields wider than their access unit.
//
// gcc lets a packed bit-field start mid-byte, so a 58- to 64-bit one can
// occupy nine bytes. cc/v4 (v4.34, Config.ABILayout) lays such a struct out
// like gcc but refuses the translation unit, naming the field: it has no
// access unit of more than 8 bytes to describe it with. The emulator lays it
// out itself: it rewrites the declaration
//
//	unsigned long long big : 64;
//
// as a 1-bit field of the same name followed by an unnamed filler of the
// remaining bits,
//
//	unsigned long long big : 1, : (64) - 1;
//
// which cc/v4 accepts (an unnamed bit-field needs no access unit) and which
// occupies exactly the same bits: the field is packed (by the struct, a
// #pragma pack or its own attribute, which moves before the name so that it
// covers both parts), so bit-fields follow each other with no rounding, the
// named part raises the alignment as the whole field did, and an unnamed
// bit-field neither raises it on x86-64 nor takes part in initialization.
// After translation the field is found again by where its name is in the
// rewritten file and given its true width (wideBitfields); accesses read and
// write its nine bytes as a word and a byte (bitfield).

// wideBitfields maps the declarators of rewritten bit-fields to their widths.
type wideBitfields map[*cc.Declarator]int64

// bitfield is how the machine accesses a bit-field, relative to the address
// of its cc/v4 access unit (Field.Offset).
type bitfield struct {
	skip  uint64 // bytes from the access unit to the first byte of the bits
	unit  int64  // bytes loaded: 1, 2, 4, 8 (cc/v4's unit) or 9 (wide)
	shift uint   // bit of the first byte where the field starts
	width uint
}

// bitfield returns the access of the bit-field fl of the unit's types.
func (u *unit) bitfield(fl *cc.Field) bitfield {
	if w, ok := u.wide[fl.Declarator()]; ok && fl.Declarator() != nil {
		bit := uint64(fl.OffsetBits())
		return bitfield{skip: bit / 8, unit: 9, shift: uint(bit % 8), width: uint(w)}
	}
	return bitfield{unit: fl.AccessBytes(), shift: uint(fl.OffsetBits()), width: uint(fl.ValueBits())}
}

func (b bitfield) mask() uint64 {
	if b.width >= 64 {
		return ^uint64(0)
	}
	return 1<<b.width - 1
}

// load returns the field's bits, zero-extended.
func (b bitfield) load(m *Machine, a uint64) uint64 {
	a += b.skip
	if b.unit == 9 {
		v := m.ld64(a) >> b.shift
		if b.shift+b.width > 64 {
			v |= uint64(m.ld8(a+8)) << (64 - b.shift)
		}
		return v & b.mask()
	}
	return loadUnit(m, a, b.unit) >> b.shift & b.mask()
}

// store replaces the field's bits with the low bits of v, leaving the bits
// around them as they are.
func (b bitfield) store(m *Machine, a, v uint64) {
	a += b.skip
	mask := b.mask()
	if b.unit == 9 {
		m.st64(a, m.ld64(a)&^(mask<<b.shift)|(v&mask)<<b.shift)
		if b.shift+b.width > 64 {
			hiMask := uint8(1)<<(b.shift+b.width-64) - 1
			m.st8(a+8, m.ld8(a+8)&^hiMask|uint8(v>>(64-b.shift))&hiMask)
		}
		return
	}
	storeUnit(m, a, b.unit, loadUnit(m, a, b.unit)&^(mask<<b.shift)|(v&mask)<<b.shift)
}

// wideFieldError matches cc/v4's error for a bit-field it cannot lay out.
var wideFieldError = regexp.MustCompile(`^(.+):(\d+):(\d+): bit-field (\w+) occupies more than 8 bytes, which Config\.ABILayout does not support`)

// wideField is a bit-field cc/v4 refused, where its declarator is.
type wideField struct {
	file      string
	line, col int
	name      string
}

func (w wideField) String() string { return fmt.Sprintf("%s:%d:%d", w.file, w.line, w.col) }

// wideFieldsOf returns the bit-fields err reports as too wide, or nil when
// err reports anything else as well.
func wideFieldsOf(err error) []wideField {
	var out []wideField
	for _, l := range splitErrors(err) {
		m := wideFieldError.FindStringSubmatch(l)
		if m == nil {
			return nil
		}
		line, _ := strconv.Atoi(m[2])
		col, _ := strconv.Atoi(m[3])
		out = append(out, wideField{file: m[1], line: line, col: col, name: m[4]})
	}
	return out
}

// widenDeclarations rewrites the declarations of the wide bit-fields (see
// above) in the files of fsys they are in. It returns the rewritten files
// and where each field's declarator is in them, or an error naming a field
// whose declaration it cannot rewrite: one whose name comes from a macro, or
// whose width does not follow its name on the same line.
func widenDeclarations(fsys fs.FS, fields []wideField) (map[string][]byte, []wideField, error) {
	byFile := map[string][]wideField{}
	for _, f := range fields {
		byFile[f.file] = append(byFile[f.file], f)
	}
	files := map[string][]byte{}
	var moved []wideField
	for file, list := range byFile {
		src, err := readAll(fsys, file)
		if err != nil {
			return nil, nil, unrewritable(list[0], err.Error())
		}
		sort.Slice(list, func(i, j int) bool {
			return list[i].line < list[j].line || list[i].line == list[j].line && list[i].col < list[j].col
		})
		// Rewrite from the end so that earlier offsets stay valid; a
		// declarator after a rewrite on its line moves right by the growth.
		type edit struct {
			from, to int
			text     string
		}
		var edits []edit
		growth := map[int]int{}
		for _, f := range list {
			at, attrs, from, to, text, why := widenDeclaration(src, f)
			if why != "" {
				return nil, nil, unrewritable(f, why)
			}
			edits = append(edits, edit{at, at, attrs}, edit{from, to, text})
			g := f
			g.col += growth[f.line] + len(attrs)
			growth[f.line] += len(attrs) + len(text) - (to - from)
			moved = append(moved, g)
		}
		out := append([]byte(nil), src...)
		for i := len(edits) - 1; i >= 0; i-- {
			e := edits[i]
			out = append(out[:e.from:e.from], append([]byte(e.text), out[e.to:]...)...)
		}
		files[file] = out
	}
	return files, moved, nil
}

func unrewritable(f wideField, why string) error {
	return fmt.Errorf("%v: packed bit-field %s occupies more than 8 bytes; the emulator lays such a field out only when its declaration reads `name : width` on one line (%s)", f, f.name, why)
}

// widenDeclaration returns the bytes [from, to) of src to replace by text to
// split the field f, or why it cannot.
func widenDeclaration(src []byte, f wideField) (at int, attrText string, from, to int, text, why string) {
	start := lineStart(src, f.line)
	if f.line < 1 || f.col < 1 || start < 0 || start+f.col-1+len(f.name) > len(src) {
		return 0, "", 0, 0, "", "no such position"
	}
	at = start + f.col - 1
	if string(src[at:at+len(f.name)]) != f.name || at+len(f.name) < len(src) && isIdentByte(src[at+len(f.name)]) {
		return 0, "", 0, 0, "", "the name is not written there"
	}
	i := at + len(f.name)
	for i < len(src) && (src[i] == ' ' || src[i] == '\t') {
		i++
	}
	if i >= len(src) || src[i] != ':' {
		return 0, "", 0, 0, "", "no width after the name"
	}
	from = i + 1
	// The width and any attributes run to the ',' or ';' ending the
	// declarator, outside parentheses.
	depth, attrs := 0, -1
	for i = from; i < len(src); i++ {
		c := src[i]
		switch {
		case c == '\n' || c == '\\' || c == '"' || c == '\'' ||
			c == '/' && i+1 < len(src) && (src[i+1] == '*' || src[i+1] == '/'):
			return 0, "", 0, 0, "", "the width continues past the line or holds a comment"
		case c == '(':
			depth++
		case c == ')':
			depth--
		case depth == 0 && (c == ',' || c == ';' || c == '}'):
			to = i
		case depth == 0 && attrs < 0 && bytes.HasPrefix(src[i:], []byte("__attribute")) && (i == 0 || !isIdentByte(src[i-1])):
			attrs = i
		}
		if to > 0 {
			break
		}
	}
	if to == 0 {
		return 0, "", 0, 0, "", "the declaration does not end"
	}
	if attrs < 0 {
		attrs = to
	}
	width := strings.TrimSpace(string(src[from:attrs]))
	rest := strings.TrimSpace(string(src[attrs:to]))
	if width == "" {
		return 0, "", 0, 0, "", "no width after the name"
	}
	if rest != "" {
		// cc/v4 takes no attributes between the two declarators: they
		// go before the name, where they apply to the whole
		// declaration, which must then be this field alone.
		before := bytes.TrimRight(src[:at], " \t")
		if len(before) > 0 && before[len(before)-1] == ',' || src[to] != ';' {
			return 0, "", 0, 0, "", "attributes after the width of one of several declarators"
		}
		attrText = rest + " "
	}
	return at, attrText, from, to, fmt.Sprintf(" 1, : (%s) - 1 %s", width, rest), ""
}

// lineStart returns the offset of the 1-based line in src, -1 if it has
// fewer lines.
func lineStart(src []byte, line int) int {
	off := 0
	for l := 1; l < line; l++ {
		i := bytes.IndexByte(src[off:], '\n')
		if i < 0 {
			return -1
		}
		off += i + 1
	}
	return off
}

func isIdentByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

func readAll(fsys fs.FS, name string) ([]byte, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(f)
}

// findWideFields returns the declarators of ast at the positions of fields
// with their true widths: the filler that follows each one in its struct
// holds all its bits but one.
func findWideFields(ast *cc.AST, fields []wideField) (wideBitfields, error) {
	want := map[string]bool{}
	for _, f := range fields {
		want[f.String()] = true
	}
	wide := wideBitfields{}
	for st := range ast.Structs {
		for i := 0; i+1 < st.NumFields(); i++ {
			fl, filler := st.FieldByIndex(i), st.FieldByIndex(i+1)
			d := fl.Declarator()
			if d == nil || !fl.IsBitfield() || !filler.IsBitfield() {
				continue
			}
			p := d.Position()
			if want[fmt.Sprintf("%s:%d:%d", p.Filename, p.Line, p.Column)] {
				wide[d] = 1 + filler.ValueBits()
			}
		}
	}
	if len(wide) != len(want) {
		return nil, fmt.Errorf("%v: packed bit-field %s occupies more than 8 bytes and the emulator could not lay it out", fields[0], fields[0].name)
	}
	return wide, nil
}

// patchedFS serves some files with new contents and the rest from base.
type patchedFS struct {
	base  fs.FS
	files map[string][]byte
}

func (p patchedFS) Open(name string) (fs.File, error) {
	if b, ok := p.files[path.Clean(name)]; ok {
		return &memFile{Reader: bytes.NewReader(b), info: fileInfo{name: path.Base(name), size: int64(len(b))}}, nil
	}
	return p.base.Open(name)
}

// isFiller reports whether field i of st is the filler of a wide bit-field.
func (w wideBitfields) isFiller(st *cc.StructType, i int) bool {
	if i == 0 || len(w) == 0 {
		return false
	}
	d := st.FieldByIndex(i - 1).Declarator()
	_, ok := w[d]
	return ok && d != nil && st.FieldByIndex(i).Name() == ""
}
