// This file holds the one glob dialect of upsynth: every path glob (the
// globs of upsynth.yaml, analyze's --include and --exclude, the module
// list's exclusions) is matched here.

package kernel

import (
	"fmt"
	"strings"

	"github.com/bmatcuk/doublestar/v4"
)

// Match reports whether a slash-separated repository path matches glob. The
// dialect is doublestar's (github.com/bmatcuk/doublestar/v4): "*", "?",
// "[...]" and "{a,b}" within a path element, "**" for any number of
// elements (none included, so "**/host/*.c" matches "host/x.c" and
// "docs/**" matches "docs"). One rule is added, as in .gitignore: a glob
// without "/" matches the path's last element anywhere in the tree
// ("*_test.c" matches "kernel/a_test.c"). A malformed glob matches nothing;
// CheckGlob says why.
func Match(glob, p string) bool {
	if !strings.Contains(glob, "/") {
		glob = "**/" + glob
	}
	ok, err := doublestar.Match(glob, p)
	return ok && err == nil
}

// MatchAny reports whether p matches any of globs.
func MatchAny(globs []string, p string) bool {
	for _, g := range globs {
		if Match(g, p) {
			return true
		}
	}
	return false
}

// CheckGlob reports a malformed glob.
func CheckGlob(glob string) error {
	if glob == "" {
		return fmt.Errorf("empty glob")
	}
	if !doublestar.ValidatePattern(glob) {
		return fmt.Errorf("bad glob %q", glob)
	}
	return nil
}
