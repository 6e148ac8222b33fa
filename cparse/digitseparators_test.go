package cparse

import (
	"bytes"
	"slices"
	"testing"
)

// A digit separator inside a method (managarm's xhci.hpp: a timeout of
// 1'000'000'000) leaves the classes after it where they are: each nested
// struct of Controller stays Controller's, not a member of the one before.
func TestDigitSeparatorsKeepClasses(t *testing.T) {
	src := "struct Controller {\n\tstruct Port {\n\t\ttemplate <typename T>\n\t\tvoid awaitFlag(T value) {\n\t\t\tTimeout tc{1'000'000'000, ev};\n\t\t}\n\t\tint _id;\n\t};\n\tstruct Device {\n\t\tint _slotId;\n\t};\n\tint mask = 0xFFFF'FFFF;\n\tchar c = u8'a';\n};\n"
	sum := tolerant(t, "xhci.hpp", src)
	var names []string
	for _, ty := range sum.Types {
		names = append(names, ty.Name)
	}
	if want := []string{"Controller", "Controller::Port", "Controller::Device"}; !slices.Equal(names, want) {
		t.Errorf("types %q, want %q", names, want)
	}
	if len(sum.Errors) > 0 {
		t.Errorf("errors %+v, want none", sum.Errors)
	}
}

// withoutDigitSeparators keeps every offset and line, removes only the
// quotes between a number's digits, and leaves character literals alone.
func TestWithoutDigitSeparators(t *testing.T) {
	cases := []struct{ in, want string }{
		{"x = 1'000'000'000;\n", "x = 1000000000   ;\n"},
		{"m = 0xFFFF'FFFFu;", "m = 0xFFFFFFFFu ;"},
		{"b = 0b1010'1010, f = 1'000.5e3;", "b = 0b10101010 , f = 1000.5e3 ;"},
		{"c = 'a'; d = u8'b'; e = L'F'; g = '1';", "c = 'a'; d = u8'b'; e = L'F'; g = '1';"},
		{"s = \"don't\"; case 'A': x = 'B';", "s = \"don't\"; case 'A': x = 'B';"},
		{"no separators here", "no separators here"},
	}
	for _, c := range cases {
		got := withoutDigitSeparators([]byte(c.in))
		if string(got) != c.want {
			t.Errorf("withoutDigitSeparators(%q) = %q, want %q", c.in, got, c.want)
		}
		if len(got) != len(c.in) || bytes.Count(got, []byte("\n")) != bytes.Count([]byte(c.in), []byte("\n")) {
			t.Errorf("%q: length or lines changed", c.in)
		}
	}
	plain := []byte("int x = 'a';\n")
	if got := withoutDigitSeparators(plain); &got[0] != &plain[0] {
		t.Errorf("a text without separators was copied")
	}
}

// FuzzWithoutDigitSeparators: whatever the text, the result has its length
// and its lines, differs only inside numbers that held separators, and
// has none left to remove.
func FuzzWithoutDigitSeparators(f *testing.F) {
	for _, s := range []string{"1'000", "0xFFFF'FFFF", "u8'a'", "'a''b'", "1''2", "x'1'2", "1'2'", "'1'"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		out := withoutDigitSeparators(append([]byte(nil), in...))
		if len(out) != len(in) || bytes.Count(out, []byte("\n")) != bytes.Count(in, []byte("\n")) {
			t.Fatalf("%q -> %q: length or lines changed", in, out)
		}
		if again := withoutDigitSeparators(append([]byte(nil), out...)); !bytes.Equal(again, out) {
			t.Fatalf("%q -> %q -> %q: not idempotent", in, out, again)
		}
		if bytes.Count(out, []byte("'")) > bytes.Count(in, []byte("'")) {
			t.Fatalf("%q -> %q: quotes added", in, out)
		}
	})
}
