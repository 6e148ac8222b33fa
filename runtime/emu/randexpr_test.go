package emu

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var randExprPrograms = flag.Int("randexpr.n", 4, "TestRandomExpressions: number of generated programs")

// cIntType is an integer type of the LP64 target.
type cIntType struct {
	name   string
	size   int // bytes
	signed bool
	rank   int
}

var cIntTypes = []cIntType{
	{"_Bool", 1, false, 0},
	{"char", 1, true, 1},
	{"signed char", 1, true, 1},
	{"unsigned char", 1, false, 1},
	{"short", 2, true, 2},
	{"unsigned short", 2, false, 2},
	{"int", 4, true, 3},
	{"unsigned", 4, false, 3},
	{"long", 8, true, 4},
	{"unsigned long", 8, false, 4},
	{"long long", 8, true, 5},
	{"unsigned long long", 8, false, 5},
}

var (
	cInt   = cIntTypes[6]
	cUInt  = cIntTypes[7]
	cLong  = cIntTypes[8]
	cULong = cIntTypes[9]
)

// promote applies the integer promotions.
func promote(t cIntType) cIntType {
	if t.rank < cInt.rank {
		return cInt
	}
	return t
}

// commonType applies the usual arithmetic conversions to two integer types.
func commonType(a, b cIntType) cIntType {
	a, b = promote(a), promote(b)
	switch {
	case a == b:
		return a
	case a.signed == b.signed:
		if a.rank > b.rank {
			return a
		}
		return b
	}
	s, u := a, b
	if u.signed {
		s, u = b, a
	}
	switch {
	case u.rank >= s.rank:
		return u
	case s.size > u.size:
		return s
	case s.size == 8:
		if s.rank == 5 {
			return cIntTypes[11]
		}
		return cULong
	}
	return cUInt
}

// exprGen builds random C integer expressions that are defined when
// compiled with -fwrapv: division, remainder and shift counts are guarded,
// everything else may wrap.
type exprGen struct {
	r    *rand.Rand
	vars []cIntType
}

func (g *exprGen) constant() (string, cIntType) {
	switch g.r.IntN(4) {
	case 0:
		return fmt.Sprintf("%d", g.r.IntN(200)-100), cInt
	case 1:
		return fmt.Sprintf("%du", g.r.Uint32()), cUInt
	case 2:
		return fmt.Sprintf("%#xUL", g.r.Uint64()), cULong
	}
	return fmt.Sprintf("%dL", int64(g.r.Uint64())>>g.r.IntN(64)), cLong
}

func (g *exprGen) expr(depth int) (string, cIntType) {
	if depth == 0 || g.r.IntN(5) == 0 {
		if g.r.IntN(3) == 0 {
			return g.constant()
		}
		k := g.r.IntN(len(g.vars))
		return fmt.Sprintf("v%d", k), g.vars[k]
	}
	switch g.r.IntN(10) {
	case 0:
		t := cIntTypes[g.r.IntN(len(cIntTypes))]
		e, _ := g.expr(depth - 1)
		return fmt.Sprintf("(%s)(%s)", t.name, e), t
	case 1:
		e, t := g.expr(depth - 1)
		op := []string{"-", "~", "!"}[g.r.IntN(3)]
		if op == "!" {
			return fmt.Sprintf("!(%s)", e), cInt
		}
		return fmt.Sprintf("%s(%s)", op, e), promote(t)
	case 2:
		c, _ := g.expr(depth - 1)
		a, ta := g.expr(depth - 1)
		b, tb := g.expr(depth - 1)
		return fmt.Sprintf("((%s) ? (%s) : (%s))", c, a, b), commonType(ta, tb)
	case 3:
		a, ta := g.expr(depth - 1)
		b, _ := g.expr(depth - 1)
		p := promote(ta)
		op := []string{"<<", ">>"}[g.r.IntN(2)]
		return fmt.Sprintf("((%s) %s ((%s) & %d))", a, op, b, p.size*8-1), p
	case 4:
		a, ta := g.expr(depth - 1)
		b, tb := g.expr(depth - 1)
		op := []string{"/", "%"}[g.r.IntN(2)]
		t := commonType(ta, tb)
		// b is evaluated in the common type: skip 0 and -1 (INT_MIN / -1 traps).
		return fmt.Sprintf("(((%s)(%s) == 0 || (%s)(%s) == (%s)-1) ? (%s)(%s) : (%s) %s (%s))", t.name, b, t.name, b, t.name, t.name, a, a, op, b), t
	case 5:
		a, _ := g.expr(depth - 1)
		b, _ := g.expr(depth - 1)
		op := []string{"<", "<=", ">", ">=", "==", "!=", "&&", "||"}[g.r.IntN(8)]
		return fmt.Sprintf("((%s) %s (%s))", a, op, b), cInt
	}
	a, ta := g.expr(depth - 1)
	b, tb := g.expr(depth - 1)
	op := []string{"+", "-", "*", "&", "|", "^"}[g.r.IntN(6)]
	return fmt.Sprintf("((%s) %s (%s))", a, op, b), commonType(ta, tb)
}

// randomProgram generates a program of assignments to variables of every
// integer type (plain and compound), printing each variable after it
// changes; the statements are returned too, to name the one that differs.
func randomProgram(seed uint64, statements int) (string, []string) {
	g := &exprGen{r: rand.New(rand.NewPCG(seed, 0x5eed))}
	var src strings.Builder
	src.WriteString("#include <stdio.h>\nint main(void)\n{\n")
	for k := 0; k < 16; k++ {
		t := cIntTypes[g.r.IntN(len(cIntTypes))]
		g.vars = append(g.vars, t)
		fmt.Fprintf(&src, "\t%s v%d = (%s)%#xULL;\n", t.name, k, t.name, g.r.Uint64())
	}
	var stmts []string
	for i := 0; i < statements; i++ {
		k := g.r.IntN(len(g.vars))
		e, _ := g.expr(1 + g.r.IntN(4))
		op := "="
		if g.r.IntN(4) == 0 {
			op = []string{"+=", "-=", "*=", "&=", "|=", "^="}[g.r.IntN(6)]
		}
		stmt := fmt.Sprintf("v%d %s %s;", k, op, e)
		stmts = append(stmts, stmt)
		fmt.Fprintf(&src, "\t%s\n\tprintf(\"%d: %%llx\\n\", (unsigned long long)v%d);\n", stmt, i, k)
	}
	src.WriteString("\treturn 0;\n}\n")
	return src.String(), stmts
}

// TestRandomExpressions compares the emulator with gcc on generated
// integer expressions mixing every type, cast, operator and conversion.
// Signed overflow wraps in both (gcc -fwrapv, as kernels build with
// -fno-strict-overflow); anything else undefined is guarded against.
func TestRandomExpressions(t *testing.T) {
	gcc, err := exec.LookPath("gcc")
	if err != nil {
		t.Skip("gcc not installed")
	}
	dir := t.TempDir()
	for seed := uint64(1); seed <= uint64(*randExprPrograms); seed++ {
		t.Run(fmt.Sprintf("seed%d", seed), func(t *testing.T) {
			t.Parallel()
			src, stmts := randomProgram(seed, 150)
			name := fmt.Sprintf("randexpr%d.c", seed)
			path := filepath.Join(dir, name)
			if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
				t.Fatal(err)
			}
			exe := filepath.Join(dir, strings.TrimSuffix(name, ".c"))
			if out, err := exec.Command(gcc, "-O0", "-w", "-std=gnu11", "-fwrapv", "-o", exe, path).CombinedOutput(); err != nil {
				t.Fatalf("gcc: %v\n%s", err, out)
			}
			want, _ := runNative(t, exe, nil)
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			var got bytes.Buffer
			// Random operands overflow signed types: both sides wrap.
			if _, err := RunProgram(ctx, os.DirFS(dir), []string{name}, nil, &got, ProgramOptions{Load: LoadOptions{Wrapv: true}}); err != nil {
				t.Errorf("emulator: %v", err)
			}
			if bytes.Equal(got.Bytes(), want) {
				return
			}
			wantLines, gotLines := strings.Split(string(want), "\n"), strings.Split(got.String(), "\n")
			for i := range min(len(wantLines), len(gotLines), len(stmts)) {
				if wantLines[i] != gotLines[i] {
					t.Errorf("statement %d differs: %s\n gcc: %s\n emu: %s", i, stmts[i], wantLines[i], gotLines[i])
					break
				}
			}
			t.Errorf("output (- gcc, + emulator):\n%s", outputDiff("gcc", want, "emulator", got.Bytes()))
		})
	}
}
