package analyze

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// TestRenamesFollowed: a file a commit renames and edits a little is
// analyzed as git shows it, one file changed: what it kept is no change,
// what it changed is changed at its new path, and nothing is moved. A file
// rewritten under another name, too different for git to pair, still moves
// what it kept.
func TestRenamesFollowed(t *testing.T) {
	var fd, timer, pit strings.Builder
	for i := range 12 {
		fmt.Fprintf(&fd, "int fd_op%d(int x)\n{\n\treturn x + %d;\n}\n\n", i, i)
	}
	for i := range 3 {
		fmt.Fprintf(&pit, "#define PIT_REG%d 0x%x\n", i, 0x40+i)
	}
	for i := range 12 {
		fmt.Fprintf(&timer, "void timer_step%d(void)\n{\n}\n\n", i)
	}
	g := newRepo(t)
	commit(t, g, "base", map[string]string{
		"fd.c":      `#include "fd.h"` + "\n" + fd.String(),
		"fd.h":      "int fd_op0(int x);\n",
		"8253pit.c": pit.String() + "int pit_init(void)\n{\n\treturn 0;\n}\n",
	})
	edited := strings.Replace(fd.String(), "return x + 3;", "return x + 30;", 1)
	commit(t, g, "fd.* -> file.*", map[string]string{
		"fd.c": "", "file.c": `#include "file.h"` + "\n" + edited,
		"fd.h": "", "file.h": "int fd_op0(int x);\n",
	})
	commit(t, g, "rename 8253pit.c to timer.c", map[string]string{
		"8253pit.c": "", "timer.c": "#define PIT_REG0 0x40\n" + timer.String(),
	})
	_, cs, ps := analyzeAll(t, g.Dir, Options{})
	changes := func(subject string) []string {
		var out []string
		for _, c := range cs[subject].Changes {
			out = append(out, c.File+" "+c.Name+" "+c.Change)
		}
		slices.Sort(out)
		return out
	}
	if got, want := changes("fd.* -> file.*"), []string{"file.c fd_op3 body"}; !slices.Equal(got, want) {
		t.Errorf("renamed and edited: changes %q, want %q", got, want)
	}
	got := changes("rename 8253pit.c to timer.c")
	if !slices.Contains(got, "timer.c PIT_REG0 moved") || !slices.Contains(got, "timer.c timer_step0 added") || !slices.Contains(got, "8253pit.c pit_init removed") {
		t.Errorf("rewritten under another name: changes %q, want PIT_REG0 moved, the new functions added, pit_init removed", got)
	}
	if len(ps) != 0 {
		t.Errorf("problems %+v, want none", ps)
	}
}
