package cparse

import (
	"strconv"
	"strings"

	"modernc.org/cc/v4"
)

// kindSpelling spells cc/v4's predefined kinds as C does.
var kindSpelling = map[cc.Kind]string{
	cc.Void: "void", cc.Bool: "_Bool", cc.Char: "char", cc.SChar: "signed char",
	cc.UChar: "unsigned char", cc.Short: "short", cc.UShort: "unsigned short",
	cc.Int: "int", cc.UInt: "unsigned int", cc.Long: "long", cc.ULong: "unsigned long",
	cc.LongLong: "long long", cc.ULongLong: "unsigned long long", cc.Float: "float",
	cc.Double: "double", cc.LongDouble: "long double", cc.Int128: "__int128",
	cc.UInt128: "unsigned __int128",
}

// ccTypeString spells a cc/v4 type in the normalized C syntax the text
// pass produces ("int (struct file *, const char *)"), for entities that
// only appear after macro expansion.
func ccTypeString(t cc.Type) string {
	s := ccDecl(t, "", 0)
	return normalizeTypeText([]byte(s), 0, len(s), nil)
}

// ccDecl spells t declaring inner (the part of the declarator already
// built around the absent name).
func ccDecl(t cc.Type, inner string, depth int) string {
	if t == nil || depth > 64 {
		return "?" + inner
	}
	cnst := ""
	if t.Attributes().IsConst() {
		cnst = "const "
	}
	if d := t.Typedef(); d != nil && depth > 0 {
		return cnst + d.Name() + " " + inner
	}
	switch x := t.(type) {
	case *cc.PointerType:
		in := "*" + cnst + inner
		if k := x.Elem().Kind(); k == cc.Array || k == cc.Function {
			in = "(" + in + ")"
		}
		return ccDecl(x.Elem(), in, depth+1)
	case *cc.ArrayType:
		n := ""
		if !x.IsIncomplete() && x.Len() >= 0 {
			n = strconv.FormatInt(x.Len(), 10)
		}
		return ccDecl(x.Elem(), inner+"["+n+"]", depth+1)
	case *cc.FunctionType:
		var ps []string
		for _, p := range x.Parameters() {
			ps = append(ps, ccDecl(p.Type(), "", depth+1))
		}
		if x.IsVariadic() {
			ps = append(ps, "...")
		}
		if len(ps) == 0 {
			ps = []string{"void"}
		}
		return ccDecl(x.Result(), inner+"("+strings.Join(ps, ", ")+")", depth+1)
	case *cc.StructType:
		if tag := x.Tag(); string(tag.Src()) == "" && depth < 8 {
			// An anonymous struct has no type of its own to carry its
			// layout: the variable's type spells its members, so that a
			// member added or removed changes it.
			return cnst + "struct {" + anonymousMembers(x.NumFields(), x.FieldByIndex, depth) + "} " + inner
		}
		return cnst + "struct " + tagOr(x.Tag()) + " " + inner
	case *cc.UnionType:
		if tag := x.Tag(); string(tag.Src()) == "" && depth < 8 {
			return cnst + "union {" + anonymousMembers(x.NumFields(), x.FieldByIndex, depth) + "} " + inner
		}
		return cnst + "union " + tagOr(x.Tag()) + " " + inner
	case *cc.EnumType:
		return cnst + "enum " + tagOr(x.Tag()) + " " + inner
	}
	if s, ok := kindSpelling[t.Kind()]; ok {
		return cnst + s + " " + inner
	}
	return cnst + t.String() + " " + inner
}

// anonymousMembers spells the members of an anonymous struct or union,
// "T name; U other;".
func anonymousMembers(n int, field func(int) *cc.Field, depth int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		f := field(i)
		if f == nil {
			continue
		}
		b.WriteString(strings.TrimSpace(ccDecl(f.Type(), f.Name(), depth+1)))
		b.WriteString("; ")
	}
	return strings.TrimSpace(b.String())
}

func tagOr(t cc.Token) string {
	if s := string(t.Src()); s != "" {
		return s
	}
	return "{...}"
}

// typedefTarget spells the type a macro-generated typedef names, from its
// tokens after expansion: "typedef ref_t FCMRef" names ref_t, as the text
// pass spells it (typedef names kept). Without the declaration at hand, the
// resolved type is spelled.
func typedefTarget(d *cc.Declarator, specs *cc.DeclarationSpecifiers) string {
	if specs == nil {
		return ccTypeString(d.Type())
	}
	var words []string
	for _, t := range cc.NodeTokens(specs) {
		words = append(words, t.SrcStr())
	}
	name := d.NameTok()
	for _, t := range cc.NodeTokens(d) {
		if t.Seq() != name.Seq() {
			words = append(words, t.SrcStr())
		}
	}
	s := strings.Join(words, " ")
	return normalizeTypeText([]byte(s), 0, len(s), nil)
}

// ccMemberType spells a member's type keeping the typedef name it was
// declared with, as the text pass does ("lock_t", not the struct it names).
func ccMemberType(t cc.Type) string {
	s := ccDecl(t, "", 1)
	return normalizeTypeText([]byte(s), 0, len(s), nil)
}
