//go:build linux && cgo

package main

/*
#include <malloc.h>

// limit_malloc_arenas caps glibc's malloc arenas; 0 where the C library
// has no such setting (musl).
static int limit_malloc_arenas(int n) {
#ifdef M_ARENA_MAX
	return mallopt(M_ARENA_MAX, n);
#else
	return 0;
#endif
}
*/
import "C"

import "os"

// limitMallocArenas caps the C heap's arenas at two. tree-sitter and
// SQLite allocate through glibc from whichever threads the parse workers
// run on, and glibc gives each thread an arena of its own (up to eight per
// core) that keeps what was freed: FreeRTOS-Kernel's history peaked at
// 1,037,628 KiB with the default and 959,244-968,020 KiB with this cap,
// for the same CPU time (915,920 KiB with MALLOC_ARENA_MAX=2 set before
// the process starts, which caps the arenas made before this runs too).
// MALLOC_ARENA_MAX in the environment wins.
func limitMallocArenas() {
	if os.Getenv("MALLOC_ARENA_MAX") == "" {
		C.limit_malloc_arenas(2)
	}
}
