package main

import (
	"os"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestFreeRTOSScripts runs the scripts of testdata/freertos against a
// clone of FreeRTOS-Kernel (UPSYNTH_FREERTOS, a git directory, bare or
// not; $FREERTOS in the scripts): emit --target freertos and verify on
// real commits of its history.
func TestFreeRTOSScripts(t *testing.T) {
	repo := os.Getenv("UPSYNTH_FREERTOS")
	if repo == "" {
		t.Skip("UPSYNTH_FREERTOS is not set: it names a clone of github.com/FreeRTOS/FreeRTOS-Kernel")
	}
	testscript.Run(t, testscript.Params{
		Dir: "testdata/freertos",
		Setup: func(e *testscript.Env) error {
			e.Setenv("FREERTOS", repo)
			return nil
		},
	})
}
