// Command upsynth mines a kernel's revision history, classifies every change
// by the dynamic-update mechanism it would need, reports coverage, and emits
// and verifies dynamic-update packages on an emulated target.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"runtime/pprof"
	"sync/atomic"
	"syscall"
	"time"
)

func main() {
	os.Exit(runWithSignals(os.Args[1:], streams{In: os.Stdin, Out: os.Stdout, Err: os.Stderr}))
}

// stopGrace is how long a command has, after SIGINT or SIGTERM, to stop on
// its own (each long loop checks the context: the emulator, the parsers,
// the history walk). Work that cannot be interrupted — cc/v4 inside one
// file — is cut by exiting: everything written is in SQLite transactions,
// which a killed process leaves whole, and an analysis resumes.
const stopGrace = 500 * time.Millisecond

// runWithSignals runs the command line with a context that SIGINT and
// SIGTERM cancel, and exits the process stopGrace after the signal if the
// command has not returned by then: upsynth stops within a second.
func runWithSignals(args []string, io streams) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	done := make(chan struct{})
	defer close(done)
	go func() {
		select {
		case <-done:
			return
		case <-ctx.Done():
		}
		select {
		case <-done:
		case <-time.After(stopGrace):
			fmt.Fprintln(io.Err, interruptedMessage())
			// --cpuprofile of a run stopped this way is still wanted: it is
			// how a stall is found. Stopping writes what was sampled.
			pprof.StopCPUProfile()
			os.Exit(exitInterrupted)
		}
	}()
	return run(ctx, args, io)
}

// exitInterrupted is the exit status of a command stopped by a signal, as
// a shell reports SIGINT.
const exitInterrupted = 130

// interruptHint is what a command that a signal stops says a person can
// do about it (analyze: rerun to resume); empty for most commands.
var interruptHint atomic.Pointer[string]

// setInterruptHint sets what the message of an interrupted command adds.
func setInterruptHint(hint string) { interruptHint.Store(&hint) }

// interruptedMessage is what upsynth prints when a signal stopped it.
func interruptedMessage() string {
	if h := interruptHint.Load(); h != nil && *h != "" {
		return "upsynth: interrupted; " + *h
	}
	return "upsynth: interrupted"
}
