package emu

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// conformanceArgs reads the "args:" line a conformance program declares.
func conformanceArgs(src []byte) []string {
	m := regexp.MustCompile(`(?m)^\s*\*?\s*args:(.*)$`).FindSubmatch(src)
	if m == nil {
		return nil
	}
	var out []string
	for _, f := range regexp.MustCompile(`"[^"]*"|\S+`).FindAllString(string(m[1]), -1) {
		out = append(out, strings.Trim(f, `"`))
	}
	return out
}

// TestEmulatorMatchesGCC runs every conformance program in the emulator and
// natively (gcc -O0) and compares output and exit status.
func TestEmulatorMatchesGCC(t *testing.T) {
	gcc, err := exec.LookPath("gcc")
	if err != nil {
		t.Skip("gcc not installed")
	}
	files, _ := filepath.Glob("testdata/conformance/*.c")
	if len(files) == 0 {
		t.Skip("no conformance programs")
	}
	dir := t.TempDir()
	for _, file := range files {
		name := filepath.Base(file)
		t.Run(strings.TrimSuffix(name, ".c"), func(t *testing.T) {
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			args := conformanceArgs(src)
			exe := filepath.Join(dir, strings.TrimSuffix(name, ".c"))
			if out, err := exec.Command(gcc, "-O0", "-w", "-o", exe, file).CombinedOutput(); err != nil {
				t.Fatalf("gcc: %v\n%s", err, out)
			}
			var want bytes.Buffer
			cmd := exec.Command(exe, args...)
			cmd.Stdout = &want
			wantStatus := 0
			if err := cmd.Run(); err != nil {
				if ee, ok := err.(*exec.ExitError); ok {
					wantStatus = ee.ExitCode()
				} else {
					t.Fatal(err)
				}
			}
			var got bytes.Buffer
			status, err := RunProgram(context.Background(), os.DirFS("testdata/conformance"), []string{name}, args, &got, ProgramOptions{})
			if err != nil {
				if f, ok := err.(*Fault); ok {
					t.Fatalf("fault: %s", f.Report())
				}
				t.Fatalf("emulator: %v", err)
			}
			if got.String() != want.String() {
				t.Errorf("output differs\n--- gcc\n%s\n--- emu\n%s", want.String(), got.String())
			}
			if status != wantStatus&0xff && status&0xff != wantStatus {
				t.Errorf("exit status %d, gcc %d", status, wantStatus)
			}
		})
	}
}
