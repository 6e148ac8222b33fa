package synth

import (
	"os"
	"testing"
)

func TestInspectCorpusFile(t *testing.T) {
	dir := os.Getenv("UPSYNTH_TREE")
	if dir == "" {
		t.Skip()
	}
	m, err := InspectModule(os.DirFS(dir), "fs/file.c", BuildOptions{IncludePaths: []string{"include"}})
	if err != nil {
		t.Fatal(err)
	}
	for n, s := range m.Structs {
		t.Logf("%s %+v", n, s.Layout)
	}
	for _, f := range m.Functions {
		t.Logf("%s", f.Decl())
	}
	t.Logf("%v %v %v", m.ObjectTypes, m.Globals, m.Includes)
}
