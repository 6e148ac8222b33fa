package emu

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"

	upd "github.com/upsynth/upsynth/runtime"
)

// The conformance program packed_bitfield_span.c checks the values and bytes
// of nine-byte bit-fields against gcc; these tests cover what it cannot:
// declarations the emulator cannot rewrite, headers, and state layouts.

func TestWideBitfieldUnrewritable(t *testing.T) {
	for _, tc := range []struct {
		name, src, want string
	}{
		{"name from a macro", "#define FIELD(n) unsigned long long n : 64\n" +
			"struct __attribute__((packed)) s {\n\tunsigned lo : 4;\n\tFIELD(big);\n};\n",
			"x.c:4:2: packed bit-field big occupies more than 8 bytes"},
		{"width on the next line", "struct __attribute__((packed)) s {\n\tunsigned lo : 4;\n\tunsigned long long big :\n\t\t64;\n};\n",
			"x.c:3:21: packed bit-field big occupies more than 8 bytes"},
		{"attributes of one of several declarators", "struct s {\n\tunsigned lo : 4;\n\tunsigned long long a : 1, big : 64 __attribute__((packed));\n};\n",
			"x.c:3:28: packed bit-field big occupies more than 8 bytes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load(fstest.MapFS{"x.c": {Data: []byte(tc.src)}}, []string{"x.c"}, LoadOptions{})
			var le *LoadError
			if !errors.As(err, &le) {
				t.Fatalf("Load: %v, want a *LoadError", err)
			}
			if len(le.Problems) != 1 || !strings.HasPrefix(le.Problems[0], tc.want) {
				t.Fatalf("problems %q, want one starting %q", le.Problems, tc.want)
			}
		})
	}
}

const wideHeader = `struct __attribute__((packed)) wide {
	unsigned char tag : 3;
	long long big : 63, small : 2;
	unsigned char tail;
};
`

const wideKernel = `#include <kernel.h>
#include "wide.h"

struct wide global = { 1, -3, 1, 9 };

void kernel_boot(void) {}

long kernel_syscall(long nr, long a0, long a1, long a2, long a3, long a4, long a5)
{
	struct wide *w = &global;
	switch (nr) {
	case 0:
		w->big = a0;
		return 0;
	case 1:
		return w->big;
	case 2:
		return w->small;
	}
	return w->tag * 1000 + w->tail;
}
`

// A wide bit-field declared in a header: the rewrite applies to it, and the
// state layout reports its bytes without the filler.
func TestWideBitfieldInHeader(t *testing.T) {
	fsys := fstest.MapFS{"wide.h": {Data: []byte(wideHeader)}, "k.c": {Data: []byte(wideKernel)}}
	img, err := Load(fsys, []string{"k.c"}, LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	m, err := NewMachine(img, MachineConfig{CPUs: 1})
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Boot(); err != nil {
		t.Fatal(err)
	}
	call := func(nr, a0 int64) int64 {
		t.Helper()
		r, err := m.Call("kernel_syscall", uint64(nr), uint64(a0), 0, 0, 0, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		return int64(r)
	}
	for _, c := range []struct{ nr, a0, want int64 }{
		{1, 0, -3}, {2, 0, 1}, {3, 0, 1009},
		{0, -1 << 62, 0}, {1, 0, -1 << 62}, {2, 0, 1}, {3, 0, 1009},
		{0, 1<<62 - 1, 0}, {1, 0, 1<<62 - 1}, {2, 0, 1}, {3, 0, 1009},
	} {
		if got := call(c.nr, c.a0); got != c.want {
			t.Errorf("syscall %d(%#x) = %#x, want %#x", c.nr, c.a0, got, c.want)
		}
	}

	l, ok := img.Layout("wide")
	if !ok {
		t.Fatal("no layout for struct wide")
	}
	want := []upd.Field{
		{Name: "tag", Offset: 0, Size: 1, Kind: upd.Uint, BitOffset: 0, BitWidth: 3, Type: "unsigned char"},
		{Name: "big", Offset: 0, Size: 9, Kind: upd.Bytes, BitOffset: 3, BitWidth: 63, Type: "long long"},
		{Name: "small", Offset: 8, Size: 1, Kind: upd.Int, BitOffset: 2, BitWidth: 2, Type: "long long"},
		{Name: "tail", Offset: 9, Size: 1, Kind: upd.Uint, Type: "unsigned char"},
	}
	if l.Size != 10 || len(l.Fields) != len(want) {
		t.Fatalf("layout %+v, want size 10 and fields %+v", l, want)
	}
	for i, f := range l.Fields {
		if f != want[i] {
			t.Errorf("field %d = %+v, want %+v", i, f, want[i])
		}
	}
}
