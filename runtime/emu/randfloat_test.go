package emu

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// floatGen builds random expressions mixing float, double and integer
// operands. Floating arithmetic is IEEE (division by zero gives an
// infinity, no traps); a floating value is converted to an integer type
// only inside a range check, since out-of-range conversions are
// undefined.
type floatGen struct {
	r *rand.Rand
}

var floatLiterals = []float64{0, 1, -1, 0.5, 0.1, 3, 1e10, -1e-10, 1.5e300, 65504, 16777217, 9007199254740993,
	9.3e18, 1.8e19, 2147483648, -2147483649, 0.3333333333333333}

func (g *floatGen) leaf() (string, bool) {
	switch g.r.IntN(6) {
	case 0:
		return fmt.Sprintf("%dL", int64(g.r.Uint64())>>g.r.IntN(64)), false
	case 1:
		return fmt.Sprintf("%#xUL", g.r.Uint64()>>g.r.IntN(64)), false
	case 2:
		return fmt.Sprintf("%du", g.r.Uint32()), false
	case 3:
		return fmt.Sprintf("f%d", g.r.IntN(4)), true
	case 4:
		return fmt.Sprintf("d%d", g.r.IntN(4)), true
	}
	v := floatLiterals[g.r.IntN(len(floatLiterals))]
	suffix := ""
	if g.r.IntN(3) == 0 {
		suffix = "f"
	}
	return strconv.FormatFloat(v, 'e', -1, 64) + suffix, true
}

// expr returns a C expression and whether its type is floating.
func (g *floatGen) expr(depth int) (string, bool) {
	if depth == 0 || g.r.IntN(5) == 0 {
		return g.leaf()
	}
	switch g.r.IntN(8) {
	case 0:
		e, _ := g.expr(depth - 1)
		return fmt.Sprintf("(float)(%s)", e), true
	case 1:
		e, _ := g.expr(depth - 1)
		return fmt.Sprintf("(double)(%s)", e), true
	case 2:
		e, fl := g.expr(depth - 1)
		if !fl {
			return fmt.Sprintf("(long)(%s)", e), false
		}
		t := []struct{ name, lo, hi string }{
			{"int", "-2147483649.0", "2147483648.0"},
			{"unsigned", "-1.0", "4294967296.0"},
			{"long", "-9223372036854775808.0", "9223372036854775808.0"},
			{"unsigned long", "-1.0", "18446744073709551616.0"},
			{"short", "-32769.0", "32768.0"},
		}[g.r.IntN(5)]
		// The range check runs in double; NaN fails it.
		return fmt.Sprintf("(((double)(%s) > %s && (double)(%s) < %s) ? (%s)(%s) : (%s)0)", e, t.lo, e, t.hi, t.name, e, t.name), false
	case 3:
		a, _ := g.expr(depth - 1)
		b, _ := g.expr(depth - 1)
		op := []string{"<", "<=", ">", ">=", "==", "!="}[g.r.IntN(6)]
		return fmt.Sprintf("((%s) %s (%s))", a, op, b), false
	case 4:
		c, _ := g.expr(depth - 1)
		a, fa := g.expr(depth - 1)
		b, fb := g.expr(depth - 1)
		return fmt.Sprintf("((%s) ? (%s) : (%s))", c, a, b), fa || fb
	case 5:
		e, fl := g.expr(depth - 1)
		if !fl {
			e = fmt.Sprintf("(double)(%s)", e) // -LONG_MIN would overflow
		}
		return fmt.Sprintf("(-(%s))", e), true
	}
	a, fa := g.expr(depth - 1)
	b, fb := g.expr(depth - 1)
	if !fa && !fb {
		// Integer-only arithmetic could overflow a signed type: make one side floating.
		a, fa = fmt.Sprintf("(double)(%s)", a), true
	}
	op := []string{"+", "-", "*", "/"}[g.r.IntN(4)]
	return fmt.Sprintf("((%s) %s (%s))", a, op, b), fa || fb
}

func randomFloatProgram(seed uint64, statements int) (string, []string) {
	g := &floatGen{r: rand.New(rand.NewPCG(seed, 0xf10a7))}
	var src strings.Builder
	src.WriteString(`#include <stdio.h>
#include <string.h>

/* The sign of a NaN and of a zero can depend on how gcc folds an
 * expression (even at -O0), so all NaNs print as nan and zeros as 0. */
static void showd(int i, double d)
{
	unsigned long long u;
	memcpy(&u, &d, 8);
	if (d != d)
		printf("%d: nan\n", i);
	else if (d == 0)
		printf("%d: 0\n", i);
	else
		printf("%d: %llx\n", i, u);
}

static void showf(int i, float f)
{
	unsigned u;
	memcpy(&u, &f, 4);
	if (f != f)
		printf("%d: nan\n", i);
	else if (f == 0)
		printf("%d: 0\n", i);
	else
		printf("%d: %x\n", i, u);
}

int main(void)
{
`)
	for k := 0; k < 4; k++ {
		f := g.r.NormFloat64() * math.Pow(10, float64(g.r.IntN(12)-6))
		d := g.r.NormFloat64() * math.Pow(10, float64(g.r.IntN(40)-20))
		fmt.Fprintf(&src, "\tfloat f%d = %sf;\n\tdouble d%d = %s;\n", k, strconv.FormatFloat(f, 'e', -1, 32), k, strconv.FormatFloat(d, 'e', -1, 64))
	}
	var stmts []string
	for i := 0; i < statements; i++ {
		e, _ := g.expr(1 + g.r.IntN(4))
		var stmt, show string
		switch k := g.r.IntN(4); g.r.IntN(3) {
		case 0:
			stmt = fmt.Sprintf("f%d = %s;", k, e)
			show = fmt.Sprintf("showf(%d, f%d);", i, k)
		case 1:
			stmt = fmt.Sprintf("d%d = %s;", k, e)
			show = fmt.Sprintf("showd(%d, d%d);", i, k)
		default:
			stmt = fmt.Sprintf("d%d += %s;", k, e)
			show = fmt.Sprintf("showd(%d, d%d);", i, k)
		}
		stmts = append(stmts, stmt)
		fmt.Fprintf(&src, "\t%s\n\t%s\n", stmt, show)
	}
	src.WriteString("\treturn 0;\n}\n")
	return src.String(), stmts
}

// TestRandomFloatExpressions compares the emulator with gcc on generated
// expressions mixing float, double and integers: single-precision
// rounding at each float operation, integer/floating conversions in both
// directions (including unsigned 64-bit), infinities, NaNs and signed
// zeros. Results are compared bit for bit, except that the signs of NaNs
// and zeros are not (gcc's folding decides them).
func TestRandomFloatExpressions(t *testing.T) {
	gcc, err := exec.LookPath("gcc")
	if err != nil {
		t.Skip("gcc not installed")
	}
	dir := t.TempDir()
	for seed := uint64(1); seed <= uint64(*randExprPrograms); seed++ {
		t.Run(fmt.Sprintf("seed%d", seed), func(t *testing.T) {
			t.Parallel()
			src, stmts := randomFloatProgram(seed, 120)
			name := fmt.Sprintf("randfloat%d.c", seed)
			path := filepath.Join(dir, name)
			if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
				t.Fatal(err)
			}
			want, _ := runNative(t, buildNative(t, gcc, strings.TrimSuffix(path, ".c"), path), nil)
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			var got bytes.Buffer
			if _, err := RunProgram(ctx, os.DirFS(dir), []string{name}, nil, &got, ProgramOptions{}); err != nil {
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
