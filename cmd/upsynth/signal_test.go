package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// asMainEnv makes the test binary run main() instead of the tests.
const asMainEnv = "UPSYNTH_TEST_AS_MAIN"

// stopDeadline guards against a hang: upsynth must stop within a second of
// SIGTERM (stopGrace exits the process at 0.5 s); the guard leaves a
// loaded CI machine room. The measured figure is logged.
const stopDeadline = 5 * time.Second

// maxHostRSS is the most memory any input may make the host process use
// (issue 21): peak resident set, as getrusage reports it.
const maxHostRSS = 2 << 30

// TestSIGTERMStops runs upsynth on issue 21's hostile inputs as a
// subprocess, sends SIGTERM while it works and checks how soon it exits.
func TestSIGTERMStops(t *testing.T) {
	if testing.Short() {
		t.Skip("starts subprocesses that run for seconds")
	}
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	var big strings.Builder
	for i := 0; big.Len() < 8<<20-4096; i++ {
		big.WriteString("int f(int a, int b) { return a * 3 + b; }\n")
	}
	bigC := write("big.c", big.String())
	memsetLoop := write("memset.c", `#include <stdlib.h>
#include <string.h>
int main(void) { char *p = malloc(256 << 20); for (;;) memset(p, 1, 256 << 20); }
`)
	printfLoop := write("printf.c", `#include <stdio.h>
int main(void) { for (;;) printf("%65536d", 1); }
`)
	strlenLoop := write("strlen.c", `#include <stdlib.h>
#include <string.h>
int main(void) { char *p = malloc(128 << 20); memset(p, 'x', 128 << 20); p[(128 << 20) - 1] = 0;
	unsigned long n = 0; for (;;) n += strlen(p); }
`)
	selfInclude := write("self.c", "int x;\n#include __FILE__\n")
	var params strings.Builder
	params.WriteString("int f(int a0")
	for i := 1; i < 100_000; i++ {
		params.WriteString(", int a")
		params.WriteString(strconv.Itoa(i))
	}
	params.WriteString(");\n")
	paramsC := write("params.c", params.String())
	paramsOld := write("params-old.c", strings.ReplaceAll(params.String(), "int a", "long a"))
	type hostile struct {
		name string
		args []string
		// mayFinish: the bounded work (about 2 s on a loaded 2-core
		// machine) may end before the signal, or as it comes, with its
		// own status; its memory is checked all the same.
		mayFinish bool
	}
	cases := []hostile{
		{"summarize #include __FILE__", []string{"summarize", selfInclude}, true},
		{"summarize 100,000 parameters", []string{"summarize", paramsC}, true},
		{"diff 100,000 parameters", []string{"diff", paramsOld, paramsC}, true},
		{"summarize 8 MB", []string{"summarize", bigC}, true},
		{"summarize 8 MB tolerant", []string{"summarize", "--engine", "tolerant", bigC}, true},
		{"target exec memset loop", []string{"target", "exec", memsetLoop}, false},
		{"target exec printf loop", []string{"target", "exec", printfLoop}, false},
		{"target exec strlen loop", []string{"target", "exec", strlenLoop}, false},
	}
	if git, err := exec.LookPath("git"); err == nil {
		// A history whose commits add the 8 MB file and files of 100,000
		// parameters.
		repo := filepath.Join(dir, "repo")
		steps := [][]string{{"init", "-q", repo}}
		for i, f := range []string{bigC, paramsC} {
			dst := filepath.Join(repo, "f"+strconv.Itoa(i)+".c")
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			steps = append(steps, []string{"write", dst, string(b)}, []string{"-C", repo, "add", "-A"},
				[]string{"-C", repo, "-c", "user.name=k", "-c", "user.email=k@e", "commit", "-q", "-m", "c" + strconv.Itoa(i)})
		}
		for _, s := range steps {
			if s[0] == "write" {
				if err := os.WriteFile(s[1], []byte(s[2]), 0o644); err != nil {
					t.Fatal(err)
				}
				continue
			}
			if out, err := exec.Command(git, s...).CombinedOutput(); err != nil {
				t.Fatalf("git %v: %v\n%s", s, err, out)
			}
		}
		cases = append(cases, hostile{"analyze", []string{"analyze", repo, "--db", filepath.Join(dir, "a.db"), "-q"}, false})
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], tc.args...)
			cmd.Env = append(os.Environ(), asMainEnv+"=1")
			var stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = nil, &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			defer func() {
				// No input drives the host process over 2 GB.
				if ps := cmd.ProcessState; ps != nil {
					if ru, ok := ps.SysUsage().(*syscall.Rusage); ok {
						t.Logf("peak RSS %d MiB", ru.Maxrss>>10)
						if ru.Maxrss > maxHostRSS>>10 {
							t.Errorf("peak RSS %d MiB, over %d MiB", ru.Maxrss>>10, maxHostRSS>>20)
						}
					}
				}
			}()
			select {
			case err := <-done:
				if !tc.mayFinish {
					t.Fatalf("finished before the signal: %v\n%s", err, stderr.String())
				}
				t.Logf("finished before the signal: %v; stderr: %.200s", err, stderr.String())
				return
			case <-time.After(1500 * time.Millisecond):
			}
			sent := time.Now()
			if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
				t.Fatal(err)
			}
			select {
			case err := <-done:
				t.Logf("stopped %v after SIGTERM; stderr: %.200s", time.Since(sent).Round(time.Millisecond), stderr.String())
				// Stopped by the signal, whether it returned on its own or
				// the grace period ran out: the status a shell gives Ctrl-C
				// and, for analyze, the word that a rerun resumes.
				var exit *exec.ExitError
				if tc.mayFinish && !strings.Contains(stderr.String(), "interrupted") && (err == nil || errors.As(err, &exit) && exit.ExitCode() == 1) {
					// The bounded work ended as the signal came, with its
					// own status (diff: 1, there are changes).
				} else if !errors.As(err, &exit) || exit.ExitCode() != exitInterrupted {
					t.Errorf("exit: %v, want status %d", err, exitInterrupted)
				}
				if strings.Contains(stderr.String(), "context canceled") {
					t.Errorf("stderr says context canceled: %s", stderr.String())
				}
				if tc.name == "analyze" && !strings.Contains(stderr.String(), "upsynth: interrupted; rerun the same command to resume") {
					t.Errorf("analyze interrupted: stderr %q, want the rerun hint", stderr.String())
				}
			case <-time.After(stopDeadline):
				cmd.Process.Kill()
				<-done
				t.Fatalf("still running %v after SIGTERM", stopDeadline)
			}
		})
	}
}
