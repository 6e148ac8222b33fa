package emu

import (
	"testing"
	"testing/fstest"
	"time"
)

// TestTruncatedDeclarationsDoNotHang: files that end inside a declarator
// once hung the C front end.
func TestTruncatedDeclarationsDoNotHang(t *testing.T) {
	for _, src := range []string{"0(A!\xc90!!A 0*}", "#include<stdlib.h>\nint ain(void){char *", "int *", "struct s { int *", "#include<s000000>\n*nt", "\"0\\", "char c = '\\", "\"abc", "#define X \"a\\"} {
		for _, fsys := range []fstest.MapFS{
			{"p.c": {Data: []byte(src)}},
			{"p.c": {Data: []byte("#include \"h.h\"\n")}, "h.h": {Data: []byte(src)}},
		} {
			done := make(chan error, 1)
			go func() {
				_, err := Load(fsys, []string{"p.c"}, LoadOptions{Hosted: true})
				done <- err
			}()
			select {
			case err := <-done:
				if err == nil {
					t.Errorf("%q loaded", src)
				}
			case <-time.After(20 * time.Second):
				t.Fatalf("%q: the loader hangs", src)
			}
		}
	}
}
