package emu

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/diff"
)

const conformanceDir = "testdata/conformance"

// TestConformance runs every program of the C conformance suite twice —
// compiled by gcc and run natively, and run in the emulator — and requires
// the same standard output and exit status. The programs print everything
// they compute, so any difference in C semantics shows up in the output.
func TestConformance(t *testing.T) {
	gcc, err := exec.LookPath("gcc")
	if err != nil {
		t.Skip("gcc not installed")
	}
	programs, err := filepath.Glob(filepath.Join(conformanceDir, "*.c"))
	if err != nil || len(programs) == 0 {
		t.Fatalf("no conformance programs in %s: %v", conformanceDir, err)
	}
	binDir := t.TempDir()
	for _, path := range programs {
		name := filepath.Base(path)
		t.Run(strings.TrimSuffix(name, ".c"), func(t *testing.T) {
			t.Parallel()
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			args := programArgs(src)
			exe := buildNative(t, gcc, path, filepath.Join(binDir, strings.TrimSuffix(name, ".c")))
			want, wantStatus := runNative(t, exe, args)

			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			var got bytes.Buffer
			status, err := RunProgram(ctx, os.DirFS(conformanceDir), []string{name}, args, &got, ProgramOptions{})
			if err != nil {
				var fault *Fault
				if errors.As(err, &fault) {
					t.Errorf("emulator fault: %s", fault.Report())
				} else {
					t.Errorf("emulator: %v", err)
				}
			}
			// A process's parent sees only the low 8 bits of the status;
			// RunProgram returns the whole int given to exit or returned by main.
			if status&0xff != wantStatus {
				t.Errorf("exit status: emulator %d (low 8 bits %d), native %d", status, status&0xff, wantStatus)
			}
			if !bytes.Equal(got.Bytes(), want) {
				t.Errorf("stdout differs (- native, + emulator):\n%s", diff.Diff("native", want, "emulator", got.Bytes()))
			}
		})
	}
}

// buildNative compiles a C program with gcc as the emulator reads it:
// GNU C11, no optimisation.
func buildNative(t testing.TB, gcc, src, exe string) string {
	t.Helper()
	if out, err := exec.Command(gcc, "-O0", "-w", "-std=gnu11", "-o", exe, src).CombinedOutput(); err != nil {
		t.Fatalf("gcc %s: %v\n%s", src, err, out)
	}
	return exe
}

// runNative runs a native program and returns its standard output and
// exit status.
func runNative(t testing.TB, exe string, args []string) ([]byte, int) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(exe, args...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return stdout.Bytes(), 0
	case errors.As(err, &exit) && exit.Exited():
		return stdout.Bytes(), exit.ExitCode()
	}
	t.Fatalf("running native %s: %v\n%s", exe, err, stderr.Bytes())
	return nil, 0
}

var argsDirective = regexp.MustCompile(`(?m)^\s*(?:/\*|\*|//)?\s*args:(.*)$`)

// programArgs reads the arguments a program wants (argv[1:]) from a line
// of its leading comment that starts with "args:": words separated by
// blanks, double quotes grouping words (no escapes).
func programArgs(src []byte) []string {
	m := argsDirective.FindSubmatch(src)
	if m == nil {
		return nil
	}
	line, _, _ := strings.Cut(string(m[1]), "*/")
	var args []string
	for line = strings.TrimSpace(line); line != ""; line = strings.TrimSpace(line) {
		if line[0] == '"' {
			end := strings.IndexByte(line[1:], '"')
			if end < 0 {
				end = len(line) - 1
			}
			args = append(args, line[1:1+end])
			line = line[min(2+end, len(line)):]
			continue
		}
		end := strings.IndexAny(line, " \t")
		if end < 0 {
			end = len(line)
		}
		args = append(args, line[:end])
		line = line[end:]
	}
	return args
}

func TestProgramArgs(t *testing.T) {
	tests := map[string][]string{
		"int main(void) { return 0; }":              nil,
		" * args: alpha \"two words\" 42 -x \"\"\n": {"alpha", "two words", "42", "-x", ""},
		"/* args: 1000 */\n":                        {"1000"},
		"// nothing\n * args:\n":                    nil,
		" * args: \"unterminated\n":                 {"unterminated"},
		" * args: a  b\t\n":                         {"a", "b"},
	}
	for src, want := range tests {
		got := programArgs([]byte(src))
		if strings.Join(got, "|") != strings.Join(want, "|") || len(got) != len(want) {
			t.Errorf("programArgs(%q) = %q, want %q", src, got, want)
		}
	}
}
