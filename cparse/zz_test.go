package cparse

import (
	"context"
	"os"
	"regexp"
	"testing"
	"time"
)

func TestZZ(t *testing.T) {
	for _, f := range []string{"pagealloc.c", "sched.c", "inode.c"} {
		src, _ := os.ReadFile("testdata/bench/" + f)
		bl := blankBodies(src)
		sq := regexp.MustCompile(`\{\s+\}`).ReplaceAll(bl, []byte("{}"))
		sq2 := regexp.MustCompile(`\s+`).ReplaceAll(sq, []byte(" "))
		for _, x := range []struct {
			n string
			b []byte
		}{{"raw", src}, {"blank", bl}, {"squeezed", sq}, {"sq2", sq2}} {
			st := time.Now()
			var tr *tsTree
			for i := 0; i < 100; i++ {
				tr, _ = parseTree(context.Background(), x.b, LangC)
			}
			t.Logf("%s %s %d bytes nodes %d parse %v", f, x.n, len(x.b), len(tr.nodes), time.Since(st)/100)
		}
	}
}
