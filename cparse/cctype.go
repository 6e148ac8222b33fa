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
		return cnst + "struct " + tagOr(x.Tag()) + " " + inner
	case *cc.UnionType:
		return cnst + "union " + tagOr(x.Tag()) + " " + inner
	case *cc.EnumType:
		return cnst + "enum " + tagOr(x.Tag()) + " " + inner
	}
	if s, ok := kindSpelling[t.Kind()]; ok {
		return cnst + s + " " + inner
	}
	return cnst + t.String() + " " + inner
}

func tagOr(t cc.Token) string {
	if s := string(t.Src()); s != "" {
		return s
	}
	return "{...}"
}
