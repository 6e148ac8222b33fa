package main

import (
	"context"
	"flag"
	"os"
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
			os.Exit(run(context.Background(), os.Args[1:], streams{In: os.Stdin, Out: os.Stdout, Err: os.Stderr}))
		},
	})
}

// TestScripts runs the end-to-end CLI scripts in testdata/script.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:           "testdata/script",
		UpdateScripts: *updateScripts,
	})
}
