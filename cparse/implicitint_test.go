package cparse

import (
	"context"
	"testing"
	"testing/fstest"

	"github.com/upsynth/upsynth/runtime/emu/abi"
)

// A K&R definition with an implicit int result ("main(int argc, char
// *argv[]) {...}", xv6's rm.c before bda5186c) is found by cc/v4 and not
// by the text pass; its body is hashed from the file's text with its
// parameters renamed, as every other body is, so that giving it its "int"
// is a signature change and no body change.
func TestImplicitIntBodyHashedAsText(t *testing.T) {
	const body = "{\n  int i;\n  if(argc < 2)\n    exit();\n  for(i = 1; i < argc; i++)\n    unlink(argv[i]);\n  exit();\n}\n"
	const decls = "void exit(void);\nint unlink(char*);\n"
	parse := func(src string) Function {
		t.Helper()
		s := Parse(context.Background(), "rm.c", []byte(decls+src), Config{Predefined: abi.Predefined, FS: fstest.MapFS{}, Engine: EngineChoicePrecise})
		if s.Engine != EnginePrecise {
			t.Fatalf("engine %s (errors %+v), want precise", s.Engine, s.Errors)
		}
		for _, f := range s.Functions {
			if f.Name == "main" {
				return f
			}
		}
		t.Fatalf("no main in %+v", s.Functions)
		return Function{}
	}
	old := parse("main(int argc, char *argv[])\n" + body)
	new := parse("int\nmain(int argc, char *argv[])\n" + body)
	renamed := parse("main(int n, char *v[])\n" + "{\n  int i;\n  if(n < 2)\n    exit();\n  for(i = 1; i < n; i++)\n    unlink(v[i]);\n  exit();\n}\n")
	if !old.Definition || old.BodyHash != new.BodyHash || old.BodyHash != renamed.BodyHash {
		t.Errorf("body hashes %s, %s (int added), %s (parameters renamed): want one", old.BodyHash, new.BodyHash, renamed.BodyHash)
	}
	if old.Span.EndLine <= old.Span.StartLine {
		t.Errorf("span %+v, want the body's lines", old.Span)
	}
}
