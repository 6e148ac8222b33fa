package cparse

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSkippedBlanksKeepTree checks that leaving the blanked bodies' lines
// out of the parse yields the very tree a parse of the whole text does.
func TestSkippedBlanksKeepTree(t *testing.T) {
	files := []string{"testdata/bench/pagealloc.c", "testdata/bench/sched.c", "testdata/bench/inode.c"}
	for _, f := range sourceFixtures(t) {
		files = append(files, filepath.Join("testdata/src", f))
	}
	skipped := 0
	for _, file := range files {
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		lang, _ := LangOf(file)
		text := blankBodies(src)
		ranges := nonBlankRanges(text)
		skipped += max(len(ranges)-1, 0)
		whole, err := parseTree(context.Background(), text, lang)
		if err != nil {
			t.Fatal(err)
		}
		part, err := parseRanges(context.Background(), text, lang, ranges)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := dumpTree(part), dumpTree(whole); got != want {
			t.Errorf("%s: tree with blank lines skipped differs:\n%s\nwant:\n%s", file, got, want)
		}
	}
	if skipped == 0 {
		t.Error("no blank run skipped in any file: the test checks nothing")
	}
}

func TestNonBlankRangesKeepsContinuedDirective(t *testing.T) {
	text := "#define A 1 \\\n" + strings.Repeat(" \n", 80) + "int x;\n"
	if r := nonBlankRanges([]byte(text)); r != nil {
		t.Errorf("blank lines after a backslash skipped: %v", r)
	}
}

// dumpTree spells every node: type, position and children's fields.
func dumpTree(t *tsTree) string {
	var b strings.Builder
	for i := range t.nodes {
		n := &t.nodes[i]
		fmt.Fprintf(&b, "%s %d-%d %v-%v named=%v", n.typ, n.start, n.end, n.sp, n.ep, n.named)
		for _, k := range n.kids {
			fmt.Fprintf(&b, " %s:%s", k.field, k.typ)
		}
		b.WriteByte('\n')
	}
	return b.String()
}
