package synth

import (
	"go/parser"
	"go/token"
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/upsynth/upsynth/kernel"
	"github.com/upsynth/upsynth/runtime"
)

// itemsTrees are the runtime's test kernel before and after "count adds"
// (a state change: struct Item gains a field).
func itemsTrees(t *testing.T) (old, new fstest.MapFS) {
	t.Helper()
	read := func(p string) *fstest.MapFile {
		b, err := os.ReadFile("../runtime/testdata/items/" + p)
		if err != nil {
			t.Fatal(err)
		}
		return &fstest.MapFile{Data: b}
	}
	abi := read("../../emu/abi/include/kernel.h")
	old = fstest.MapFS{"kernel.c": read("kernel.c"), "items.c": read("items.c"), "include/items.h": read("include/items.h"), "include/kernel.h": abi,
		"workloads/mixed.wl": &fstest.MapFile{Data: []byte("stream a\n  sys 4 -> >=0\nend\n")}}
	new = fstest.MapFS{}
	for k, v := range old {
		new[k] = v
	}
	new["items.c"] = read("v2/items.c")
	return old, new
}

func TestPlanStateChange(t *testing.T) {
	old, new := itemsTrees(t)
	p, err := MakePlan(Input{Name: "count adds", Old: kernel.TreeOf(old, "old", kernel.Config{Include: []string{"include"}}), New: kernel.TreeOf(new, "new", kernel.Config{Include: []string{"include"}}), Changes: ChangeSet{Class: "state"}, Mode: runtime.Lazy})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Modules) != 1 || p.Modules[0] != "items.c" {
		t.Errorf("modules %v, want [items.c]", p.Modules)
	}
	if len(p.Types) != 1 || p.Types[0].Name != "Item" || p.Types[0].Old.Size != 24 || p.Types[0].New.Size != 32 {
		t.Fatalf("types %+v", p.Types)
	}
	if got := strings.Join(p.Types[0].Added, ","); got != "adds" {
		t.Errorf("added fields %q, want adds", got)
	}
	files, err := Generate(p)
	if err != nil {
		t.Fatal(err)
	}
	for name, b := range files {
		if _, err := parser.ParseFile(token.NewFileSet(), name, b, parser.ParseComments); err != nil {
			t.Errorf("%s does not parse: %v", name, err)
		}
		if name != "hooks.go" && !strings.Contains(string(b), Generated) {
			t.Errorf("%s lacks the generated header", name)
		}
	}
}

func TestUnsupportedRefused(t *testing.T) {
	old, new := itemsTrees(t)
	_, err := MakePlan(Input{Name: "x", Old: kernel.TreeOf(old, "old", kernel.Config{}), New: kernel.TreeOf(new, "new", kernel.Config{}), Changes: ChangeSet{Class: "unsupported",
		Changes: []Change{{File: "boot.S", Entity: "asm", Class: "unsupported", Reason: "assembly"}}}})
	if _, ok := err.(*RefusedError); !ok || !strings.Contains(err.Error(), "assembly") {
		t.Fatalf("err = %v, want a refusal naming the reason", err)
	}
}

func TestGoIdent(t *testing.T) {
	for c, want := range map[string]string{"foo": "Foo", "9x": "X9x", "a-b": "A_b", "": "X", "type": "Type"} {
		if got := GoIdent(c); got != want {
			t.Errorf("GoIdent(%q) = %q, want %q", c, got, want)
		}
	}
}

func TestWriteRefusesForeignDir(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(dir+"/notes.txt", []byte("mine"), 0o644)
	if err := prepareDir(dir); err == nil {
		t.Fatal("prepareDir accepted a directory with foreign files")
	}
}

// A kept hooks.go is stale only when it lacks a hook the generated code
// calls; helpers a person adds keep it current.
func TestDeclaresHooks(t *testing.T) {
	fresh := []byte("package update\n\nfunc before(env *runtime.Env) error { return nil }\n\nfunc hookDir(old, new runtime.State) error { return nil }\n")
	for _, c := range []struct {
		kept string
		want bool
	}{
		{string(fresh), true},
		{"package update\n\nfunc before(env *runtime.Env) error { return nil }\n\nfunc hookDir(old, new runtime.State) error { return walk(old) }\n\nfunc walk(s runtime.State) error { return nil }\n", true},
		{"package update\n\nfunc before(env *runtime.Env) error { return nil }\n", false},
		{"package update\n\nfunc before(env *runtime.Env) error { return nil }\n\nfunc hookFile(old, new runtime.State) error { return nil }\n", false},
	} {
		if got := declaresHooks([]byte(c.kept), fresh); got != c.want {
			t.Errorf("declaresHooks(%q) = %v, want %v", c.kept, got, c.want)
		}
	}
}
