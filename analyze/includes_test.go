package analyze

import (
	"reflect"
	"testing"
	"testing/fstest"
)

func TestIncludes(t *testing.T) {
	src := []byte("#include <a.h>\n  #  include \"sub/b.h\"\n#include MACRO\n#define X\n#include <unterminated\n#include_next <c.h>\n")
	if got, want := includes(src), []string{"<a.h>", `"sub/b.h"`}; !reflect.DeepEqual(got, want) {
		t.Errorf("includes = %q, want %q", got, want)
	}
	fsys := fstest.MapFS{"include/a.h": {}, "kernel/sub/b.h": {}}
	if m := missingInclude(fsys, "kernel/x.c", src, []string{"include"}); m != "" {
		t.Errorf("missing %q", m)
	}
	if m := missingInclude(fsys, "kernel/x.c", src, nil); m != "<a.h>" {
		t.Errorf("without include path: missing %q, want <a.h>", m)
	}
}
