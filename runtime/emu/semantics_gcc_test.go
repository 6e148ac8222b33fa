package emu

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestSemanticsMatchGCC runs the programs of testdata/semantics (corner
// cases of the compiler: goto and switch into loops, varargs, bit-fields,
// address constants in initializers, conversions) natively with gcc -O0 and
// in the emulator, and compares their output. Some check what signed
// overflow gives (unsigned short * unsigned short is an int): both sides
// wrap (-fwrapv, Wrapv) rather than trap.
func TestSemanticsMatchGCC(t *testing.T) {
	gcc, err := exec.LookPath("gcc")
	if err != nil {
		t.Skip("gcc not installed")
	}
	files, _ := filepath.Glob("testdata/semantics/*.c")
	dir := t.TempDir()
	for _, file := range files {
		name := filepath.Base(file)
		t.Run(strings.TrimSuffix(name, ".c"), func(t *testing.T) {
			exe := filepath.Join(dir, name+".exe")
			if out, err := exec.Command(gcc, "-O0", "-w", "-fwrapv", "-o", exe, file).CombinedOutput(); err != nil {
				t.Fatalf("gcc: %v\n%s", err, out)
			}
			want, err := exec.Command(exe).Output()
			if err != nil {
				t.Fatal(err)
			}
			var got bytes.Buffer
			if _, err := RunProgram(context.Background(), os.DirFS("testdata/semantics"), []string{name}, nil, &got, ProgramOptions{Load: LoadOptions{Wrapv: true}}); err != nil {
				t.Fatal(err)
			}
			if got.String() != string(want) {
				t.Errorf("output differs\n--- gcc -O0\n%s--- emulator\n%s", want, got.String())
			}
		})
	}
}
