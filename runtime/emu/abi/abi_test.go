package abi

import (
	"bytes"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"
)

// TestOverlay: the headers appear under Root, the tree's files everywhere
// else, and the include paths point into Root.
func TestOverlay(t *testing.T) {
	tree := fstest.MapFS{"k.c": {Data: []byte("int x;\n")}, "include/kernel.h": {Data: []byte("/* the tree's */\n")}}
	o := Overlay(tree)
	b, err := fs.ReadFile(o, Root+"/include/kernel.h")
	if err != nil || !bytes.Equal(b, KernelHeader()) || len(b) == 0 {
		t.Errorf("%s/include/kernel.h: %v", Root, err)
	}
	if b, err := fs.ReadFile(o, "include/kernel.h"); err != nil || string(b) != "/* the tree's */\n" {
		t.Errorf("the tree's include/kernel.h: %q, %v", b, err)
	}
	if _, err := fs.ReadFile(o, "k.c"); err != nil {
		t.Error(err)
	}
	for _, p := range IncludePaths {
		if !strings.HasPrefix(p, Root+"/") {
			t.Errorf("include path %s is not under %s", p, Root)
		}
		if _, err := fs.Stat(o, p); err != nil {
			t.Errorf("include path %s: %v", p, err)
		}
	}
	if _, err := fs.ReadFile(Overlay(nil), "k.c"); err == nil {
		t.Error("Overlay(nil) serves a tree file")
	}
}

// TestPredefined: the kernel and hosted sets differ only in hosting, and
// __typeof__ and __alignof__ are cc/v4 keywords, not macros.
func TestPredefined(t *testing.T) {
	if !strings.Contains(Predefined, "#define __STDC_HOSTED__ 0\n") || !strings.Contains(HostedPredefined, "#define __STDC_HOSTED__ 1\n") {
		t.Error("hosting")
	}
	for _, m := range []string{"__typeof__", "__alignof__", "__linux__"} {
		if strings.Contains(Predefined, "#define "+m+" ") {
			t.Errorf("%s is defined", m)
		}
	}
}
