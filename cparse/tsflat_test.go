package cparse

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	sitter "github.com/smacker/go-tree-sitter"
	"github.com/smacker/go-tree-sitter/c"
	"github.com/smacker/go-tree-sitter/cpp"
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
		text := blankBodies(src, nil)
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

// TestFlatTreeMatchesGoTreeSitter checks the copied tree against
// go-tree-sitter's view of the same parse, node by node: types, offsets,
// positions, named-ness and the field each child fills.
func TestFlatTreeMatchesGoTreeSitter(t *testing.T) {
	files := []string{"testdata/bench/pagealloc.c", "testdata/bench/page.h"}
	for _, f := range sourceFixtures(t) {
		files = append(files, filepath.Join("testdata/src", f))
	}
	for _, file := range files {
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		lang, _ := LangOf(file)
		p := sitter.NewParser()
		if lang == LangCPP {
			p.SetLanguage(cpp.GetLanguage())
		} else {
			p.SetLanguage(c.GetLanguage())
		}
		want, err := p.ParseCtx(context.Background(), nil, src)
		if err != nil {
			t.Fatal(err)
		}
		got, err := parseTree(context.Background(), src, lang)
		if err != nil {
			t.Fatal(err)
		}
		if diff := compareNodes(got.RootNode(), want.RootNode()); diff != "" {
			t.Errorf("%s: %s", file, diff)
		}
		got.release()
		want.Close()
		p.Close()
	}
}

func compareNodes(got *tsNode, want *sitter.Node) string {
	if got.Type() != want.Type() || got.StartByte() != want.StartByte() || got.EndByte() != want.EndByte() ||
		got.StartPoint() != want.StartPoint() || got.EndPoint() != want.EndPoint() || got.named != want.IsNamed() {
		return fmt.Sprintf("node %s %d-%d %v, want %s %d-%d %v", got.Type(), got.StartByte(), got.EndByte(), got.StartPoint(),
			want.Type(), want.StartByte(), want.EndByte(), want.StartPoint())
	}
	if got.ChildCount() != want.ChildCount() || got.NamedChildCount() != want.NamedChildCount() {
		return fmt.Sprintf("%s at %d: %d children (%d named), want %d (%d)", got.Type(), got.StartByte(),
			got.ChildCount(), got.NamedChildCount(), want.ChildCount(), want.NamedChildCount())
	}
	// go-tree-sitter's node API gives an extra child (an ERROR or comment
	// the parser set aside) the field of the child before it; the cursor
	// behind the copied tree gives it none.
	for i := 0; i < int(want.ChildCount()); i++ {
		if want.Child(i).IsExtra() {
			continue
		}
		if g, w := got.FieldNameForChild(i), want.FieldNameForChild(i); g != w {
			return fmt.Sprintf("%s at %d: child %d (%s) fills field %q, want %q", got.Type(), got.StartByte(), i, got.Child(i).Type(), g, w)
		}
	}
	for i := 0; i < int(want.ChildCount()); i++ {
		if d := compareNodes(got.Child(i), want.Child(i)); d != "" {
			return d
		}
	}
	return ""
}
