package emu

import (
	"context"
	"os"
	"testing"
	"fmt"
)

func TestDbg(t *testing.T) {
	var out = os.Stdout
	st, err := RunProgram(context.Background(), os.DirFS("/tmp/t"), []string{os.Getenv("F")}, nil, out, ProgramOptions{})
	fmt.Println(st, err)
}
