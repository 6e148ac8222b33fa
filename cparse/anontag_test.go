package cparse

import (
	"context"
	"slices"
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

// TestTypedefRetagged: an anonymous struct named by its typedef that gets
// a tag of its own, the typedef kept ("typedef struct { ... } out_wrap_t"
// becoming "typedef struct _out_wrap_t out_wrap_t" and struct _out_wrap_t,
// seL4's printf wrapper), is the new struct added and the typedef's type
// changed: no struct out_wrap_t removed. The other way round, no struct
// added.
func TestTypedefRetagged(t *testing.T) {
	anonymous := "typedef struct {\n  int idx;\n  char *buf;\n} out_wrap_t;\nvoid put(out_wrap_t *o) { o->idx = 1; }\n"
	tagged := "typedef struct _out_wrap_t out_wrap_t;\nstruct _out_wrap_t {\n  int idx;\n  const char *buf;\n};\nvoid put(out_wrap_t *o) { o->idx = 1; }\n"
	for _, engine := range []EngineChoice{EngineChoicePrecise, EngineChoiceTolerant} {
		parse := func(src string) *Summary {
			return Parse(context.Background(), "io.c", []byte(src), Config{Predefined: abi.Predefined, FS: fstest.MapFS{}, Engine: engine})
		}
		lines := func(old, new string) []string {
			var out []string
			for _, c := range Diff(parse(old), parse(new)) {
				out = append(out, c.Name+" "+string(c.Change))
			}
			return out
		}
		if got, want := lines(anonymous, tagged), []string{"_out_wrap_t added", "out_wrap_t type"}; !slices.Equal(got, want) {
			t.Errorf("%s: tag given: %q, want %q", engine, got, want)
		}
		if got, want := lines(tagged, anonymous), []string{"_out_wrap_t removed", "out_wrap_t type"}; !slices.Equal(got, want) {
			t.Errorf("%s: tag taken away: %q, want %q", engine, got, want)
		}
	}
}
