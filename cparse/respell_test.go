package cparse

import (
	"bytes"
	"context"
	"encoding/json"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/upsynth/upsynth/runtime/emu/abi"
)

// respellingCheck parses both versions and, when Respelled derives the
// second's summary from the first's, asserts it is the parse's. It
// reports whether it derived.
func respellingCheck(t *testing.T, path string, a, b []byte, cfg Config) bool {
	t.Helper()
	sa := Parse(context.Background(), path, a, cfg)
	sb := Parse(context.Background(), path, b, cfg)
	derived, ok := Respelled(sa, path, a, b)
	if !ok {
		return false
	}
	for _, e := range sb.Errors {
		if e.Limit != nil {
			return true // the parse was cut short (its time budget, under load): no reference
		}
	}
	sb.CPU = 0
	want, _ := json.Marshal(sb)
	got, _ := json.Marshal(derived)
	if !bytes.Equal(got, want) {
		t.Errorf("%s: the derived summary is not the parse's\nold:\n%s\nnew:\n%s\nderived: %s\nparsed:  %s", path, a, b, got, want)
	}
	return true
}

// respell inserts comment-only and blank lines into src at random line
// boundaries (never after a line splice; with between set, only where
// no entity of sum spans the boundary, as a version bump's header comment
// or a comment before a function falls).
func respell(src []byte, rng *rand.Rand, sum *Summary, between bool) []byte {
	lines := strings.SplitAfter(string(src), "\n")
	inside := map[int]bool{} // line boundaries before 0-based line i
	if between {
		for _, sp := range sum.spans() {
			for l := sp.span.StartLine; l < sp.span.EndLine; l++ {
				inside[l] = true
			}
		}
	}
	inserts := []string{"/* Kernel V10.4.1 */\n", "\n", "// a note\n", "/*\n * reflowed\n * comment\n */\n", "   \t\n"}
	var out strings.Builder
	for i, l := range lines {
		if rng.Intn(4) == 0 && !inside[i] && (i == 0 || !strings.HasSuffix(strings.TrimRight(lines[i-1], "\r\n"), "\\")) {
			out.WriteString(inserts[rng.Intn(len(inserts))])
		}
		out.WriteString(l)
	}
	return []byte(out.String())
}

// TestRespelledIsTheParse respells every source fixture at random (comment
// and blank lines inserted anywhere, or only between entities) and checks,
// with both engines, that a summary derived by Respelled is always the one
// a parse gives, and that most respellings between entities are derived.
func TestRespelledIsTheParse(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	tried, derived := 0, 0
	for _, file := range sourceFixtures(t) {
		src, err := os.ReadFile(filepath.Join("testdata/src", file))
		if err != nil {
			t.Fatal(err)
		}
		for _, engine := range enginesFor(file) {
			cfg := Config{Predefined: abi.Predefined, FS: os.DirFS("testdata/src"), Engine: engine}
			sum := Parse(context.Background(), file, src, cfg)
			for i := range 16 {
				between := i%2 == 0
				ok := respellingCheck(t, file, src, respell(src, rng, sum, between), cfg)
				if between {
					tried++
					if ok {
						derived++
					}
				}
			}
		}
	}
	t.Logf("%d of %d respellings between entities derived", derived, tried)
	if derived < tried/2 {
		t.Errorf("only %d of %d respellings between entities derived", derived, tried)
	}
}

// TestRespelledMovesPositions checks the positions a respelling moves: a
// header comment of another length, lines inserted between entities, a
// macro taking in a trailing comment.
func TestRespelledMovesPositions(t *testing.T) {
	a := "/* Kernel V1 */\n#define TICKS 10 /* ticks */\nstruct task { int prio; };\nint f(void)\n{\n\treturn TICKS;\n}\n"
	b := "/*\n * Kernel V1.1\n */\n\n#define TICKS 10 /* ticks per slice */\n// the task\nstruct task { int prio; };\n\nint f(void)\n{\n\treturn TICKS;\n}\n"
	cfg := Config{Engine: EngineChoiceTolerant}
	if !respellingCheck(t, "x.c", []byte(a), []byte(b), cfg) {
		t.Fatal("not derived")
	}
	derived, _ := Respelled(Parse(context.Background(), "x.c", []byte(a), cfg), "x.c", []byte(a), []byte(b))
	if f := derived.Functions[0]; f.Span.StartLine != 9 || f.Span.EndLine != 12 {
		t.Errorf("f's span %+v, want lines 9-12", f.Span)
	}
	if m := derived.Macros[0]; m.Span.StartLine != 5 || m.Span.EndByte != len("/*\n * Kernel V1.1\n */\n\n#define TICKS 10 /* ticks per slice */") {
		t.Errorf("the macro's span %+v, want line 5, to the end of its comment", m.Span)
	}
}

// TestRespelledDeclines lists the changes Respelled must leave to a parse.
func TestRespelledDeclines(t *testing.T) {
	for _, c := range []struct{ name, a, b string }{
		{"code", "int f(void) { return 1; }\n", "int f(void) { return 2; }\n"},
		{"a comment inside a declaration", "int f(a)\nint a;\n{ return a; }\n", "int f(a)\n/* the count */\nint a;\n{ return a; }\n"},
		{"a comment between an attribute macro and its declaration", "NORETURN\nvoid halt(void);\n", "NORETURN\n/* stops */\nvoid halt(void);\n"},
		{"an error the parse recovered from", "/* v1 */\nint broken( { ;\n", "/* v1.1 */\n\nint broken( { ;\n"},
		{"a line split", "int f(void) { return 1; }\n", "int f(void)\n{ return 1; }\n"},
		{"a comment of another length inside a line", "int a; /* x */ int b;\n", "int a; /* xx */ int b;\n"},
		{"__LINE__", "/* v1 */\nint l = __LINE__;\n", "/* v1.1 */\n\nint l = __LINE__;\n"},
		{"#line", "/* v1 */\n#line 10\nint a;\n", "/* v1 */\n\n#line 10\nint a;\n"},
		{"a splice onto a comment line", "#define A 1 \\\n\nint b;\n", "#define A 1 \\\n/* gone */\nint b;\n"},
		{"a comment joining a directive to the next line", "#define A 1 /* x\n */ 2\n", "#define A 1\n 2\n"},
		{"an unterminated comment", "int a; /* open\n", "int a; /* open\n\n"},
		{"a raw string", "auto s = R\"(/* not a comment */)\";\n", "auto s = R\"(/* not a comment */)\";\n// note\n"},
		{"a comment marker split by a splice", "int a; /\\\n* x */\n", "int a; /\\\n* y */\n"},
		{"an include path holding //", "#include <a//b.h>\n", "#include <a//c.h>\n"},
		{"a macro's end where the new line has a comment after it", "#define A 1\nint b;\n", "#define A 1 /* one */\nint b;\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			path := "x.c"
			if strings.Contains(c.a, "R\"") {
				path = "x.cc"
			}
			old := Parse(context.Background(), path, []byte(c.a), Config{Engine: EngineChoiceTolerant})
			if _, ok := Respelled(old, path, []byte(c.a), []byte(c.b)); ok {
				t.Errorf("derived %q from %q", c.b, c.a)
			}
		})
	}
}

// FuzzRespelled checks that whatever two texts are, a summary Respelled
// derives is the parse's.
func FuzzRespelled(f *testing.F) {
	addFixtureSeeds(f, func(src []byte) {
		if len(src) < 20_000 {
			f.Add(src, int64(1))
		}
	})
	f.Add([]byte("#define A 1 /* c */\nint f(void) { return A; }\n"), int64(2))
	f.Fuzz(func(t *testing.T, src []byte, seed int64) {
		b := respell(src, rand.New(rand.NewSource(seed)), nil, false)
		respellingCheck(t, "fuzz.c", src, b, Config{Engine: EngineChoiceTolerant, Timeout: 2 * time.Second})
	})
}

// BenchmarkRespelled derives a benchmark file's summary from its version
// with another header comment: the cost a version bump's file has instead
// of a parse (compare BenchmarkRealistic).
func BenchmarkRespelled(b *testing.B) {
	src, err := os.ReadFile("testdata/bench/sched.c")
	if err != nil {
		b.Fatal(err)
	}
	bumped := append([]byte("/*\n * Kernel V10.4.1 - Copyright (C) 2026\n */\n"), src...)
	old := Parse(context.Background(), "sched.c", src, Config{Engine: EngineChoiceTolerant})
	b.SetBytes(int64(len(src) + len(bumped)))
	for b.Loop() {
		if _, ok := Respelled(old, "sched.c", src, bumped); !ok {
			b.Fatal("not derived")
		}
	}
}
