package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

var updateScripts = flag.Bool("update", false, "rewrite testscript golden files from actual output")

func TestMain(m *testing.M) {
	if os.Getenv(asMainEnv) == "1" {
		main() // the subprocess of a signal test: the real entry point
	}
	testscript.Main(m, map[string]func(){
		"upsynth": func() {
			// As main does: a signal stops the command (kill -INT in a script).
			os.Exit(runWithSignals(os.Args[1:], streams{In: os.Stdin, Out: os.Stdout, Err: os.Stderr}))
		},
	})
}

// TestScripts runs the end-to-end CLI scripts in testdata/script.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:           "testdata/script",
		UpdateScripts: *updateScripts,
		Cmds:          map[string]func(*testscript.TestScript, bool, []string){"status": cmdStatus, "samepackage": cmdSamePackage, "flipbyte": cmdFlipByte},
		Condition: func(cond string) (bool, error) {
			if cond == "root" { // permissions do not stop root
				return os.Geteuid() == 0, nil
			}
			return false, fmt.Errorf("unknown condition %q", cond)
		},
	})
}

// cmdStatus is the script command `status N PROG ARGS...`: it runs PROG as
// exec does and requires it to exit with status N, for commands whose status
// carries meaning (diff: 1 means changes, 2 trouble).
func cmdStatus(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: status N PROG [ARGS...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("status %q: not a number", args[0])
	}
	got := 0
	if err := ts.Exec(args[1], args[2:]...); err != nil {
		var exit *exec.ExitError
		if !errors.As(err, &exit) {
			ts.Fatalf("%s: %v", args[1], err)
		}
		got = exit.ExitCode()
	}
	if got != want {
		ts.Fatalf("%s exited with status %d, want %d", args[1], got, want)
	}
}

// cmdFlipByte is the script command `flipbyte FILE TEXT`: it flips a bit
// (the ASCII case) of the first byte of every occurrence of TEXT in FILE,
// as a damaged disk would, and fails when TEXT does not occur.
func cmdFlipByte(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 || args[1] == "" {
		ts.Fatalf("usage: flipbyte FILE TEXT")
	}
	path := ts.MkAbs(args[0])
	data, err := os.ReadFile(path)
	ts.Check(err)
	n := 0
	for i := bytes.Index(data, []byte(args[1])); i >= 0; {
		data[i] ^= 0x20
		n++
		j := bytes.Index(data[i+1:], []byte(args[1]))
		if j < 0 {
			break
		}
		i += 1 + j
	}
	if n == 0 {
		ts.Fatalf("flipbyte: %q does not occur in %s", args[1], args[0])
	}
	ts.Check(os.WriteFile(path, data, 0o644))
}

// cmdSamePackage is the script command `samepackage A B`: the update
// packages in directories A and B hold the same files, byte for byte, once
// the names that say where each came from — plan.json's name, old_rev and
// new_rev, also in their 12-digit forms — are A's in both.
func cmdSamePackage(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: samepackage A B")
	}
	a, b := ts.MkAbs(args[0]), ts.MkAbs(args[1])
	names := func(dir string) []string {
		var p struct {
			Name   string `json:"name"`
			OldRev string `json:"old_rev"`
			NewRev string `json:"new_rev"`
		}
		data, err := os.ReadFile(filepath.Join(dir, "plan.json"))
		ts.Check(err)
		ts.Check(json.Unmarshal(data, &p))
		short := func(s string) string { return s[:min(12, len(s))] }
		return []string{p.Name, p.NewRev, p.OldRev, short(p.NewRev), short(p.OldRev)}
	}
	na, nb := names(a), names(b)
	var pairs []string
	for i := range nb {
		if nb[i] != na[i] {
			pairs = append(pairs, nb[i], na[i])
		}
	}
	rename := strings.NewReplacer(pairs...)
	files := func(dir string) map[string][]byte {
		m := map[string][]byte{}
		ts.Check(filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			data, err := os.ReadFile(p)
			rel, _ := filepath.Rel(dir, p)
			m[filepath.ToSlash(rel)] = data
			return err
		}))
		return m
	}
	fa, fb := files(a), files(b)
	for name, da := range fa {
		db, ok := fb[name]
		if !ok {
			ts.Fatalf("%s has %s, %s does not", args[0], name, args[1])
		}
		db = []byte(rename.Replace(string(db)))
		if !bytes.Equal(da, db) {
			la, lb := strings.Split(string(da), "\n"), strings.Split(string(db), "\n")
			for i := 0; i < len(la) && i < len(lb); i++ {
				if la[i] != lb[i] {
					ts.Fatalf("%s differs at line %d:\n%s: %s\n%s: %s", name, i+1, args[0], la[i], args[1], lb[i])
				}
			}
			ts.Fatalf("%s differs in length: %d and %d lines", name, len(la), len(lb))
		}
	}
	for name := range fb {
		if _, ok := fa[name]; !ok {
			ts.Fatalf("%s has %s, %s does not", args[1], name, args[0])
		}
	}
}
