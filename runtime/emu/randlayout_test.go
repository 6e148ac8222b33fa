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

var randLayoutPrograms = flag.Int("randlayout.n", 3, "TestRandomLayouts: number of generated programs")

// layoutScalar is a member type of generated structs.
type layoutScalar struct {
	name string
	bits int // 0: not allowed as a bitfield
}

var layoutScalars = []layoutScalar{
	{"char", 8}, {"signed char", 8}, {"unsigned char", 8}, {"_Bool", 1},
	{"short", 16}, {"unsigned short", 16}, {"int", 32}, {"unsigned", 32},
	{"long", 64}, {"unsigned long", 64}, {"long long", 64}, {"unsigned long long", 64},
	{"float", 0}, {"double", 0}, {"void *", 0},
}

// layoutGen writes random struct and union definitions and a main that
// prints their sizes, alignments and member offsets, and the bytes they
// hold after every member (bitfields included) is stored to.
type layoutGen struct {
	r     *rand.Rand
	defs  strings.Builder
	main  strings.Builder
	types []string // aggregate types defined so far, usable as members
}

func (g *layoutGen) aggregate(k int) {
	kind := "struct"
	if g.r.IntN(6) == 0 {
		kind = "union"
	}
	name := fmt.Sprintf("%s A%d", kind, k)
	attr := ""
	if g.r.IntN(6) == 0 {
		attr = " __attribute__((packed))"
	}
	fmt.Fprintf(&g.defs, "%s {\n", name)
	type member struct {
		name     string
		bitfield bool
		scalar   bool
	}
	var members []member
	for m, n := 0, 1+g.r.IntN(8); m < n; m++ {
		field := fmt.Sprintf("m%d", m)
		switch pick := g.r.IntN(10); {
		case pick < 4 && kind == "struct":
			var s layoutScalar
			for s.bits == 0 {
				s = layoutScalars[g.r.IntN(len(layoutScalars))]
			}
			width := g.r.IntN(s.bits + 1)
			if width == 0 {
				fmt.Fprintf(&g.defs, "\t%s : 0;\n", s.name)
				continue
			}
			fmt.Fprintf(&g.defs, "\t%s %s : %d;\n", s.name, field, width)
			members = append(members, member{field, true, true})
		case pick < 6 && len(g.types) > 0:
			fmt.Fprintf(&g.defs, "\t%s %s;\n", g.types[g.r.IntN(len(g.types))], field)
			members = append(members, member{field, false, false})
		case pick < 7:
			s := layoutScalars[g.r.IntN(len(layoutScalars))]
			fmt.Fprintf(&g.defs, "\t%s %s[%d];\n", s.name, field, 1+g.r.IntN(5))
			members = append(members, member{field, false, false})
		default:
			s := layoutScalars[g.r.IntN(len(layoutScalars))]
			align := ""
			if g.r.IntN(10) == 0 {
				align = fmt.Sprintf(" __attribute__((aligned(%d)))", 1<<g.r.IntN(5))
			}
			fmt.Fprintf(&g.defs, "\t%s %s%s;\n", s.name, field, align)
			members = append(members, member{field, false, !strings.HasSuffix(s.name, "*")})
		}
	}
	if len(members) == 0 {
		fmt.Fprintf(&g.defs, "\tint last;\n")
		members = append(members, member{"last", false, true})
	}
	fmt.Fprintf(&g.defs, "}%s;\n\n", attr)
	g.types = append(g.types, name)

	fmt.Fprintf(&g.main, "\tprintf(\"%s size=%%zu align=%%zu\", sizeof(%s), _Alignof(%s));\n", name, name, name)
	for _, m := range members {
		if !m.bitfield {
			fmt.Fprintf(&g.main, "\tprintf(\" %s@%%zu\", offsetof(%s, %s));\n", m.name, name, m.name)
		}
	}
	fmt.Fprintf(&g.main, "\tprintf(\"\\n\");\n\t{\n\t\t%s x;\n\t\tmemset(&x, 0, sizeof x);\n", name)
	for i, m := range members {
		if m.scalar {
			// Stores that differ per member show where each one lands.
			fmt.Fprintf(&g.main, "\t\tx.%s = %d;\n", m.name, 0x5a+i*37)
			if m.bitfield && g.r.IntN(2) == 0 {
				fmt.Fprintf(&g.main, "\t\tx.%s = -1;\n", m.name)
			}
		}
	}
	fmt.Fprintf(&g.main, "\t\tdump(&x, sizeof x);\n")
	// Reading back a union member another store overwrote could meet a
	// trap representation (_Bool) or an out-of-range float: structs only.
	for _, m := range members {
		if m.scalar && kind == "struct" {
			fmt.Fprintf(&g.main, "\t\tprintf(\" %s=%%lld\", (long long)x.%s);\n", m.name, m.name)
		}
	}
	fmt.Fprintf(&g.main, "\t\tprintf(\"\\n\");\n\t}\n")
}

func randomLayoutProgram(seed uint64, aggregates int) string {
	g := &layoutGen{r: rand.New(rand.NewPCG(seed, 0x1a70))}
	for k := 0; k < aggregates; k++ {
		g.aggregate(k)
	}
	return `#include <stdio.h>
#include <stddef.h>
#include <string.h>

static void dump(const void *p, size_t n)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++)
		printf("%02x", b[i]);
}

` + g.defs.String() + "int main(void)\n{\n" + g.main.String() + "\treturn 0;\n}\n"
}

// TestRandomLayouts compares the emulator's memory layouts with gcc's on
// generated structs and unions: bitfields of every type and width
// (including zero-width ones), nesting, arrays, packed structs and
// aligned members. Sizes, alignments and offsets are printed, and the
// bytes of each object after every member has been stored to, so a
// difference in layout or in how a bitfield is stored shows up.
func TestRandomLayouts(t *testing.T) {
	gcc, err := exec.LookPath("gcc")
	if err != nil {
		t.Skip("gcc not installed")
	}
	dir := t.TempDir()
	for seed := uint64(1); seed <= uint64(*randLayoutPrograms); seed++ {
		t.Run(fmt.Sprintf("seed%d", seed), func(t *testing.T) {
			t.Parallel()
			name := fmt.Sprintf("randlayout%d.c", seed)
			path := filepath.Join(dir, name)
			if err := os.WriteFile(path, []byte(randomLayoutProgram(seed, 40)), 0o644); err != nil {
				t.Fatal(err)
			}
			want, _ := runNative(t, buildNative(t, gcc, strings.TrimSuffix(path, ".c"), path), nil)
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			var got bytes.Buffer
			if _, err := RunProgram(ctx, os.DirFS(dir), []string{name}, nil, &got, ProgramOptions{}); err != nil {
				t.Errorf("emulator: %v", err)
			}
			if !bytes.Equal(got.Bytes(), want) {
				src, _ := os.ReadFile(path)
				t.Errorf("output (- gcc, + emulator):\n%s\nprogram:\n%s", outputDiff("gcc", want, "emulator", got.Bytes()), src)
			}
		})
	}
}
