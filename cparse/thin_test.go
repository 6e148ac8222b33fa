package cparse

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/upsynth/upsynth/runtime/emu/abi"
)

// bigList is n comma-separated elements made by elem.
func bigList(n int, elem func(i int) string) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		if i%12 == 0 {
			b.WriteString("\n\t")
		}
		b.WriteString(elem(i))
		b.WriteString(", ")
	}
	return b.String()
}

func hexByte(i int) string { return fmt.Sprintf("0x%02x", i%256) }

func TestThinInitializers(t *testing.T) {
	bytesList := bigList(1000, hexByte)
	cases := []struct {
		name string
		src  string
		want string // a substring of the thinned source; "" means unchanged
	}{
		{"unsized byte array", "static const unsigned char data[] = {" + bytesList + "};\n", "[999]=0 "},
		{"sized array", "const char data[1000] = {" + bytesList + "};\n", "{\n0 "},
		{"two dimensions, outer unsized", "int t[][2] = {" + bigList(600, func(i int) string { return fmt.Sprintf("{%d, %d}", i, -i) }) + "};\n", "[599]=0 "},
		{"struct array with names inside braces", "struct p ps[] = {" + bigList(300, func(i int) string { return fmt.Sprintf("{ \"n%d\", FLAG_A | FLAG_B }", i) }) + "};\n", "[299]=0 "},
		{"small list", "int small[] = {1, 2, 3};\n", ""},
		{"unsized with a macro element", "int m[] = {" + bytesList + "REPEAT(0) };\n", ""},
		{"unsized with designators", "int d[] = {[0] = 1, " + bytesList + "};\n", ""},
		{"sized with a macro element", "int m[2000] = {" + bytesList + "REPEAT(0) };\n", "{\n0 "},
		{"directive inside", "int c[] = {" + bytesList + "\n#ifdef X\n1,\n#endif\n};\n", ""},
		{"inside a function", "void f(void) { static const int t[] = {" + bytesList + "}; }\n", ""},
		{"comparison is not an initializer", "int x = a == {" + bytesList + "};\n", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			src := []byte(c.src)
			got := thinInitializers(src)
			if len(got) != len(src) || bytes.Count(got, []byte("\n")) != bytes.Count(src, []byte("\n")) {
				t.Fatalf("thinning moved bytes or lines: %d -> %d bytes", len(src), len(got))
			}
			if c.want == "" {
				if !bytes.Equal(got, src) {
					t.Errorf("thinned what must stay:\n%s", got)
				}
				return
			}
			if !bytes.Contains(got, []byte(c.want)) {
				t.Errorf("thinned source lacks %q:\n%.300s", c.want, got)
			}
			for i := range got {
				if (src[i] == '\n') != (got[i] == '\n') {
					t.Fatalf("newline moved at offset %d", i)
				}
			}
		})
	}
}

// The precise engine's summary of a file with large initializers is the
// same whether cc/v4 type-checks every element or the thinned list: types,
// sizes and initializer hashes.
func TestThinningKeepsThePreciseSummary(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	for c := 0; c < 20; c++ {
		n := 300 + r.Intn(2000)
		var src strings.Builder
		src.WriteString("struct rec { const char *name; int flags; short v[2]; };\n")
		switch c % 4 {
		case 0:
			fmt.Fprintf(&src, "static const unsigned char blob[] = {%s};\n", bigList(n, hexByte))
		case 1:
			fmt.Fprintf(&src, "const int table[][3] = {%s};\n", bigList(n, func(i int) string { return fmt.Sprintf("{%d, %d, %d}", i, i*2, -i) }))
		case 2:
			fmt.Fprintf(&src, "struct rec recs[] = {%s};\n", bigList(n/4+600, func(i int) string { return fmt.Sprintf("{\"r%d\", %d, {%d, 1}}", i, i, i%7) }))
		case 3:
			fmt.Fprintf(&src, "long sized[%d] = {%s};\n", n+5, bigList(n, func(i int) string { return fmt.Sprint(i * 3) }))
		}
		src.WriteString("int use(int i) { return i; }\n")
		cfg := Config{Predefined: abi.Predefined, FS: fstest.MapFS{}, Engine: EngineChoicePrecise}
		thinned := Parse(context.Background(), "gen.c", []byte(src.String()), cfg)
		if thinned.Engine != EnginePrecise || len(thinned.Errors) > 0 {
			t.Fatalf("case %d: not summarized precisely: %v", c, thinned.Errors)
		}
		full := summarizeUnthinned(t, []byte(src.String()), cfg)
		a, _ := json.Marshal(thinned)
		b, _ := json.Marshal(full)
		if !bytes.Equal(a, b) {
			t.Errorf("case %d: thinning changed the summary:\nthinned %s\nfull    %s", c, a, b)
		}
	}
}

// summarizeUnthinned is the precise summary cc/v4 gives when it checks every
// element: the thinning disabled by a list too small to thin.
func summarizeUnthinned(t *testing.T, src []byte, cfg Config) *Summary {
	t.Helper()
	saved := thinInitializerMinimum
	thinInitializerMinimum = 1 << 30
	defer func() { thinInitializerMinimum = saved }()
	return Parse(context.Background(), "gen.c", src, cfg)
}

func FuzzThinInitializers(f *testing.F) {
	f.Add([]byte("int a[] = {1, 2, 3};"))
	f.Add([]byte("static const char d[] = {" + bigList(700, hexByte) + "};"))
	f.Add([]byte("int t[][2] = {" + bigList(900, func(i int) string { return "{1,2}" }) + "};"))
	f.Add([]byte("int x[] = {\"" + strings.Repeat("a", 3000) + "\", 'x', /* } */ 3, // }\n 4};"))
	f.Fuzz(func(t *testing.T, src []byte) {
		got := thinInitializers(src)
		if len(got) != len(src) {
			t.Fatalf("length %d -> %d", len(src), len(got))
		}
		for i := range got {
			if (src[i] == '\n') != (got[i] == '\n') {
				t.Fatalf("newline moved at offset %d", i)
			}
		}
	})
}

// FuzzBlankKeepingNewlines checks the eight-bytes-at-a-time blanking
// against a byte at a time.
func FuzzBlankKeepingNewlines(f *testing.F) {
	f.Add([]byte("int f(void)\n{\n\treturn 1;\n}\n\n\x0a\x8a\x0b\xff"))
	f.Fuzz(func(t *testing.T, b []byte) {
		want := bytes.Clone(b)
		for i, c := range want {
			if c != '\n' {
				want[i] = ' '
			}
		}
		got := bytes.Clone(b)
		blankKeepingNewlines(got)
		if !bytes.Equal(got, want) {
			t.Fatalf("blanked %q: got %q, want %q", b, got, want)
		}
	})
}
