// This file implements how commands print counts: "1 change", "2 changes".
package main

import "fmt"

// counted is n followed by noun, in the plural unless n is 1. Every noun the
// commands count takes a plain -s.
func counted(n int, noun string) string {
	if n == 1 {
		return fmt.Sprintf("1 %s", noun)
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
