//go:build !(linux && cgo)

package main

// limitMallocArenas does nothing where glibc's arenas are not in use.
func limitMallocArenas() {}
