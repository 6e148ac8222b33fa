package cparse

// This file implements the memo of translations that fail inside the
// header a file includes first. A vendor register header in a compiler's
// own dialect (Softune's mb96348hs.h, 640 KB) fails cc/v4 at its line
// 14,271, and every version of the FreeRTOSConfig.h that includes it first
// paid up to a second of preprocessing and parsing again: 123 versions, 44 CPU
// seconds of FreeRTOS-Kernel's history.
//
// The memo is exact, so whether it is warm never changes a summary: when a
// file's first tokens are its include guard and an #include of H, cc/v4
// sees the same tokens up to the end of H whatever follows, so an error it
// reports inside H itself is the same for every such file, given the same
// settings and the same text of H and of every file H can include. The
// error recorded is the first one only, memo or not.

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/upsynth/upsynth/internal/lru"
	"modernc.org/cc/v4"
)

// failedPrefixes maps a prefix key to the first error cc/v4 reported
// inside the first included header. The failures of one history are few
// headers; the bound keeps a long-running process small.
var failedPrefixes = lru.New[[32]byte, string](4096)

// leadingInclude is a file's first include, when nothing but an include
// guard precedes it.
type leadingInclude struct {
	header string   // the included file's path in the tree
	key    [32]byte // failedPrefixes key
}

// leadingIncludeOf finds the header file includes first, and the key of
// the prefix it makes, or reports false when something else comes first
// or the header cannot be resolved.
func leadingIncludeOf(cfg Config, file string, src []byte, walk *includeWalk, incs []string) (leadingInclude, bool) {
	var before []string // the directives before the include, as text
	for i, lineStart := 0, true; i < len(src); {
		if next, ok := skipTrivia(src, i, &lineStart); ok {
			i = next
			continue
		}
		if src[i] != '#' || !lineStart {
			return leadingInclude{}, false // a declaration comes first
		}
		end := directiveEnd(src, i)
		text := strings.Join(strings.Fields(string(src[i:end])), " ")
		if d := strings.TrimSpace(strings.TrimPrefix(text, "#")); strings.HasPrefix(d, "include ") {
			header, named := walk.resolve(file, strings.TrimSpace(strings.TrimPrefix(d, "include ")))
			if header == "" || !named || header == file {
				return leadingInclude{}, false
			}
			return leadingInclude{header: header, key: prefixKey(cfg, incs, before, header, walk)}, true
		} else if !strings.HasPrefix(d, "ifndef ") && !strings.HasPrefix(d, "define ") && d != "pragma once" {
			return leadingInclude{}, false
		}
		before = append(before, text)
		i, lineStart = end, false
	}
	return leadingInclude{}, false
}

// prefixKey hashes everything the translation of the prefix depends on:
// the settings, the directives before the include, and the path and text
// of the header and of every file it can reach.
func prefixKey(cfg Config, incs, before []string, header string, walk *includeWalk) [32]byte {
	h := sha256.New()
	fmt.Fprintf(h, "%q\x00%q\x00%q\x00%q\x00", cfg.Predefined, cfg.Defines, incs, before)
	for _, name := range walk.reachable(header) {
		f := walk.files[name]
		fmt.Fprintf(h, "%s\x00%x\x00", name, f.sum)
	}
	var key [32]byte
	h.Sum(key[:0])
	return key
}

// reachable lists the files the walk can reach from name, name included,
// sorted: through every #include, conditional or not.
func (w *includeWalk) reachable(name string) []string {
	seen := map[string]bool{}
	var visit func(string)
	visit = func(n string) {
		f := w.files[n]
		if seen[n] || f == nil {
			return
		}
		seen[n] = true
		for _, inc := range f.includes {
			if p, _ := w.resolve(n, inc.raw); p != "" {
				visit(p)
			}
		}
	}
	visit(name)
	out := make([]string, 0, len(seen))
	for n := range seen {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// translateRemembering runs translate unless the memo knows it fails
// inside lead's header (when hasLead), and memoizes such a failure. The
// error is cut to its first line either way, so a warm memo and a cold one
// give the same summary.
func translateRemembering(lead leadingInclude, hasLead bool, translate func() (*cc.AST, error)) (*cc.AST, error) {
	if hasLead {
		if first, ok := failedPrefixes.Get(lead.key); ok {
			return nil, errors.New(first)
		}
	}
	ast, err := translate()
	if err != nil && hasLead {
		if first := failureInside(err, lead.header); first != "" {
			failedPrefixes.Add(lead.key, first)
			return nil, errors.New(first)
		}
	}
	return ast, err
}

// failureInside returns the first line of a cc/v4 error when it lies in
// header itself ("header:line:col: ..."), or "".
func failureInside(err error, header string) string {
	first, _, _ := strings.Cut(err.Error(), "\n")
	first, _, _ = strings.Cut(first, "; ")
	if strings.HasPrefix(first, header+":") {
		return first
	}
	return ""
}
