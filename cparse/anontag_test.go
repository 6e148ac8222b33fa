package cparse

import (
	"context"
	"testing"
	"testing/fstest"

	"github.com/upsynth/upsynth/runtime/emu/abi"
)

// A global of an anonymous struct whose struct gets a tag with the same
// members changes no type ("struct {...} log" becomes "struct log {...};
// struct log log;"); a member changed at the same time still does.
func TestAnonymousStructTagged(t *testing.T) {
	old := "struct {\n  struct spinlock lock;\n  int start;\n  int size;\n} log;\n"
	tagged := "struct log {\n  struct spinlock lock;\n  int start;\n  int size;\n};\nstruct log log;\n"
	grown := "struct log {\n  struct spinlock lock;\n  int start;\n  int size;\n  int dev;\n};\nstruct log log;\n"
	for _, engine := range []string{"tolerant", "precise"} {
		sum := func(src string) *Summary {
			if engine == "tolerant" {
				return tolerant(t, "log.c", "struct spinlock { int locked; };\n"+src)
			}
			s := Parse(context.Background(), "log.c", []byte("struct spinlock { int locked; };\n"+src), Config{Predefined: abi.Predefined, FS: fstest.MapFS{}, Engine: EngineChoicePrecise})
			if s.Engine != EnginePrecise {
				t.Fatalf("precise engine failed: %v", s.Errors)
			}
			return s
		}
		for _, ch := range Diff(sum(old), sum(tagged)) {
			if ch.Entity == EntityGlobal {
				t.Errorf("%s: tag given, same members: %+v", engine, ch)
			}
		}
		if ch := Diff(sum(tagged), sum(old)); len(ch) != 1 || ch[0].Entity != EntityType || ch[0].Change != ChangeRemoved {
			t.Errorf("%s: tag taken away, same members: %+v, want only the type removed", engine, ch)
		}
		found := false
		for _, ch := range Diff(sum(old), sum(grown)) {
			found = found || ch.Entity == EntityGlobal && ch.Change == ChangeType
		}
		if !found {
			t.Errorf("%s: tag given and a member added: no change of the global's type", engine)
		}
	}
}
