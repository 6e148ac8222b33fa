// Command upsynth mines a kernel's revision history, classifies every change
// by the dynamic-update mechanism it would need, reports coverage, and emits
// and verifies dynamic-update packages on an emulated target.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], streams{In: os.Stdin, Out: os.Stdout, Err: os.Stderr}))
}
