package cparse

import (
	"context"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/upsynth/upsynth/runtime/emu/abi"
)

func TestIncompleteArrayInitializer(t *testing.T) {
	fsys := fstest.MapFS{
		"inc/fsdata.h":  {Data: []byte("#ifndef FSDATA_H\n#define FSDATA_H\nstruct httpd_fsdata_file {\n  const struct httpd_fsdata_file *next;\n  const char *name;\n};\n#endif\n")},
		"inc/opaque.h":  {Data: []byte("typedef struct opaque opaque_t;\ntypedef struct defined defined_t;\nstruct defined __attribute__((packed)) ;\nstruct defined { int x; };\n")},
		"inc/pointer.h": {Data: []byte("typedef struct hidden *handle_t;\n")},
		"inc/attrs.h":   {Data: []byte("#define __packed __attribute__((packed))\nstruct after __attribute__((packed, aligned(4))) { int x; };\nstruct __packed before { int y; };\n")},
	}
	incs := []string{"", "inc"}
	cases := []struct {
		name, src string
		want      string // the error's text, "" for none
	}{
		{"struct defined nowhere", "struct S;\nconst struct S a[] = {0, 1};\n", "f.c:2: a is initialized as an array of struct S"},
		{"generated httpd-fsdata.c", "static const char data_x[] = {0x2f, 0};\nconst struct httpd_fsdata_file file_x[] = {NULL, data_x};\n", "f.c:2: file_x is initialized as an array of struct httpd_fsdata_file"},
		{"struct defined in a header", "#include \"fsdata.h\"\nconst struct httpd_fsdata_file file_x[] = {0, 0};\n", ""},
		{"struct defined in the file", "struct S { int a; };\nstatic struct S a[2][3] = {{0}};\n", ""},
		{"typedef of an undefined struct", "#include <opaque.h>\nconst opaque_t table[] = {1, 2};\n", "f.c:2: table is initialized as an array of struct opaque"},
		{"typedef of a defined struct", "#include <opaque.h>\ndefined_t table[4] = {1, 2};\n", ""},
		{"struct defined with an attribute after its tag", "#include <attrs.h>\nstruct after a[] = {{1}};\n", ""},
		{"struct defined with an attribute macro before its tag", "#include <attrs.h>\nstruct before b[] = {{1}};\n", ""},
		{"array of pointers", "#include <pointer.h>\nstruct S;\nstruct S *a[] = {0};\nhandle_t h[] = {0};\n", ""},
		{"inside a function", "void f(void) { struct S; struct S a[] = {0}; }\n", ""},
		{"no initializer", "struct S;\nextern struct S a[];\n", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := walkIncludes(fsys, "f.c", []byte(tc.src), incs)
			got := ""
			if err := incompleteArrayInitializer("f.c", []byte(tc.src), w); err != nil {
				got = err.Error()
			}
			if tc.want == "" && got != "" || !strings.HasPrefix(got, tc.want) {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

// TestIncompleteArrayFallsBack checks, through Parse, that such a file is
// summarized by the tolerant engine with the reason, instead of leaving a
// cc/v4 translation running past its deadline.
func TestIncompleteArrayFallsBack(t *testing.T) {
	src := []byte("struct S;\nconst struct S a[] = {0, 1};\nint f(void) { return 1; }\n")
	sum := Parse(context.Background(), "e.c", src, Config{Predefined: abi.Predefined, FS: fstest.MapFS{}})
	if sum.Engine != EngineTolerant || len(sum.Errors) == 0 || !strings.Contains(sum.Errors[0].Msg, "has no definition in the file or its headers") || sum.Errors[0].Limit != nil {
		t.Fatalf("engine %s, errors %+v", sum.Engine, sum.Errors)
	}
	if len(sum.Functions) != 1 || len(sum.Globals) != 1 {
		t.Errorf("tolerant summary lost entities: %d functions, %d globals", len(sum.Functions), len(sum.Globals))
	}
}

// FuzzIncompleteArrayInitializer: the check runs on every file the precise
// engine is given, so no input may crash it, and what it reports is a
// declaration of the file.
func FuzzIncompleteArrayInitializer(f *testing.F) {
	f.Add([]byte("struct S;\nconst struct S a[] = {0, 1};\n"))
	f.Add([]byte("typedef struct T t;\nt x[][2] = {{0}};\n"))
	f.Add([]byte("struct"))
	f.Add([]byte("typedef struct A *"))
	f.Fuzz(func(t *testing.T, src []byte) {
		w := walkIncludes(fstest.MapFS{}, "f.c", src, []string{""})
		if err := incompleteArrayInitializer("f.c", src, w); err != nil && !strings.Contains(string(src), err.Name) {
			t.Errorf("reported %q, which is not in the file", err.Name)
		}
	})
}
