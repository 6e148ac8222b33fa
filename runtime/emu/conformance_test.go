package emu

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

const conformanceDir = "testdata/conformance"

var checkConformanceUB = flag.Bool("conformance.ub", false,
	"TestConformanceWellDefined: rebuild every conformance program with gcc -O2 and with UBSan+ASan (slow; run after adding or changing programs)")

// TestConformance runs every program of the C conformance suite (a .c
// file, or a directory of units linked together) twice — compiled by gcc
// and run natively, and run in the emulator — and requires the same
// standard output and exit status. The programs print everything they
// compute, so any difference in C semantics shows up in the output.
func TestConformance(t *testing.T) {
	gcc, err := exec.LookPath("gcc")
	if err != nil {
		t.Skip("gcc not installed")
	}
	programs, err := conformancePrograms(conformanceDir)
	if err != nil || len(programs) == 0 {
		t.Fatalf("no conformance programs in %s: %v", conformanceDir, err)
	}
	binDir := t.TempDir()
	for _, prog := range programs {
		t.Run(prog.name, func(t *testing.T) {
			t.Parallel()
			paths, args := prog.sources(t)
			exe := buildNative(t, gcc, filepath.Join(binDir, prog.name), paths...)
			want, wantStatus := runNative(t, exe, args)

			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			var got bytes.Buffer
			status, err := RunProgram(ctx, os.DirFS(prog.dir), prog.files, args, &got, ProgramOptions{})
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
				t.Errorf("stdout differs (- native, + emulator):\n%s", outputDiff("native", want, "emulator", got.Bytes()))
			}
		})
	}
}

// TestConformanceWellDefined guards the suite itself: a program whose
// output depends on undefined behaviour would make the emulator look wrong
// when it is not. Every program must print the same with gcc -O0, with
// -O2 and under the undefined-behaviour and address sanitizers, and the
// sanitizers must report nothing.
func TestConformanceWellDefined(t *testing.T) {
	if !*checkConformanceUB {
		t.Skip("slow: run with -conformance.ub")
	}
	gcc, err := exec.LookPath("gcc")
	if err != nil {
		t.Skip("gcc not installed")
	}
	programs, err := conformancePrograms(conformanceDir)
	if err != nil {
		t.Fatal(err)
	}
	binDir := t.TempDir()
	for _, prog := range programs {
		t.Run(prog.name, func(t *testing.T) {
			t.Parallel()
			paths, args := prog.sources(t)
			want, wantStatus := runNative(t, buildNative(t, gcc, filepath.Join(binDir, prog.name+"-O0"), paths...), args)
			for _, variant := range []struct{ name, flags string }{
				{"O2", "-O2"},
				{"sanitized", "-O1 -fno-omit-frame-pointer -fsanitize=undefined,address -fno-sanitize-recover=all"},
			} {
				exe := filepath.Join(binDir, prog.name+"-"+variant.name)
				cmdArgs := append(append(strings.Fields(variant.flags), "-w", "-std=gnu11", "-o", exe), paths...)
				if out, err := exec.Command(gcc, cmdArgs...).CombinedOutput(); err != nil {
					t.Fatalf("gcc %s: %v\n%s", variant.flags, err, out)
				}
				var stdout, stderr bytes.Buffer
				cmd := exec.Command(exe, args...)
				cmd.Stdout, cmd.Stderr = &stdout, &stderr
				status := 0
				if err := cmd.Run(); err != nil {
					var exit *exec.ExitError
					if !errors.As(err, &exit) {
						t.Fatal(err)
					}
					status = exit.ExitCode()
				}
				if stderr.Len() > 0 {
					t.Errorf("%s: stderr:\n%s", variant.name, stderr.Bytes())
				}
				if status != wantStatus || !bytes.Equal(stdout.Bytes(), want) {
					t.Errorf("%s: status %d (-O0: %d), output (- -O0, + %s):\n%s", variant.name, status, wantStatus, variant.name,
						outputDiff("O0", want, variant.name, stdout.Bytes()))
				}
			}
		})
	}
}

// conformanceProgram is one program of the suite: a single .c file, or a
// directory whose .c files are linked together.
type conformanceProgram struct {
	name  string
	dir   string   // the directory files are relative to
	files []string // the translation units
}

// sources returns the paths of the program's units and the arguments
// their "args:" line asks for.
func (p conformanceProgram) sources(t testing.TB) (paths, args []string) {
	t.Helper()
	var src []byte
	for _, f := range p.files {
		path := filepath.Join(p.dir, f)
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		paths = append(paths, path)
		src = append(src, b...)
	}
	return paths, programArgs(src)
}

func conformancePrograms(root string) ([]conformanceProgram, error) {
	entries, err := os.ReadDir(root)
	if err != nil {
		return nil, err
	}
	var progs []conformanceProgram
	for _, e := range entries {
		switch {
		case e.IsDir():
			dir := filepath.Join(root, e.Name())
			units, err := filepath.Glob(filepath.Join(dir, "*.c"))
			if err != nil || len(units) == 0 {
				return nil, fmt.Errorf("%s: no .c files (%v)", dir, err)
			}
			for i := range units {
				units[i] = filepath.Base(units[i])
			}
			progs = append(progs, conformanceProgram{e.Name(), dir, units})
		case strings.HasSuffix(e.Name(), ".c"):
			progs = append(progs, conformanceProgram{strings.TrimSuffix(e.Name(), ".c"), root, []string{e.Name()}})
		}
	}
	return progs, nil
}

// buildNative compiles a C program with gcc as the emulator reads it:
// GNU C11, no optimisation.
func buildNative(t testing.TB, gcc, exe string, srcs ...string) string {
	t.Helper()
	args := append([]string{"-O0", "-w", "-std=gnu11", "-o", exe}, srcs...)
	if out, err := exec.Command(gcc, args...).CombinedOutput(); err != nil {
		t.Fatalf("gcc %s: %v\n%s", strings.Join(srcs, " "), err, out)
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
