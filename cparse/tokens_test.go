package cparse

import (
	"strings"
	"testing"
)

// A pooled token buffer goes back to the pool holding no token, whatever
// its capacity: one grown for a large file and reused for a small one must
// not keep the large file's text alive (putTokenBuf clears only what its
// caller appended).
func TestPutTokenBufLeavesNoTokens(t *testing.T) {
	big := []byte(strings.Repeat("int x = 1;\n", 10_000))
	buf := new([]token)
	toks := appendTokens(*buf, big, 0, len(big))
	putTokenBuf(buf, toks)
	small := []byte("void f(void);")
	toks = appendTokens(*buf, small, 0, len(small))
	if len(toks) != 6 {
		t.Fatalf("tokens of %q = %d, want 6", small, len(toks))
	}
	putTokenBuf(buf, toks)
	all := (*buf)[:cap(*buf)]
	if len(all) < 40_000 {
		t.Fatalf("buffer capacity %d: the large file did not grow it", len(all))
	}
	for i, tok := range all {
		if tok != (token{}) {
			t.Fatalf("token %d of the returned buffer is %+v, want none", i, tok)
		}
	}
}
