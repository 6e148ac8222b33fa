package cparse

import (
	"bytes"
	"testing"
	"unsafe"
)

// TestTextCopiesNeverOverwriteTheirInput chains copies as the blanking
// passes do (each pass copies what the one before made) and checks that
// no copy lands in the buffer it reads: a pass would then blank the text it
// is still scanning.
func TestTextCopiesNeverOverwriteTheirInput(t *testing.T) {
	c := new(textCopies)
	src := []byte("int f(void) { return 1; }\n")
	text := src
	for i := 0; i < 5; i++ {
		next := c.copyOf(text)
		if unsafe.SliceData(next) == unsafe.SliceData(text) {
			t.Fatalf("copy %d is in the buffer it copies", i)
		}
		if !bytes.Equal(next, text) {
			t.Fatalf("copy %d = %q, want %q", i, next, text)
		}
		next[i] = ' ' // a pass blanks its copy
		text = next
	}
	if string(src) != "int f(void) { return 1; }\n" {
		t.Fatalf("the file's own text changed: %q", src)
	}
	if got := string(text); got != "     (void) { return 1; }\n" {
		t.Fatalf("chained copies gave %q", got)
	}
}

// TestCheckedHeadersKeyedByPath checks that the memo of Open's checks
// tells the same text at two paths apart: whether a header includes itself
// depends on its name.
func TestCheckedHeadersKeyedByPath(t *testing.T) {
	data := []byte("#include \"a.h\"\nint x;\n")
	if !checkHeader("inc/a.h", data).selfIncluding {
		t.Fatal("inc/a.h including \"a.h\" not found to include itself")
	}
	if checkHeader("inc/b.h", data).selfIncluding {
		t.Fatal("inc/b.h including \"a.h\" found to include itself: the memo answered for inc/a.h")
	}
	if !checkHeader("inc/a.h", data).selfIncluding {
		t.Fatal("inc/a.h's memoized check lost")
	}
}
