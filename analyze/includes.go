package analyze

import (
	"bytes"
	"io/fs"
	"path"
)

// missingInclude returns the first header file includes that cannot be
// found in fsys (in the file's directory or an include path), as written
// ("x.h" or <x.h>), or "". The
// precise engine cannot succeed without it, so the analysis does not spend
// a preprocessor run finding that out; this matters on trees whose build
// generates headers (autoconf.h) or that have no upsynth.yaml yet.
func missingInclude(fsys fs.FS, file string, src []byte, includePaths []string) string {
	dirs := append([]string{path.Dir(file)}, includePaths...)
	for _, written := range includes(src) {
		name := written[1 : len(written)-1]
		found := false
		for _, d := range dirs {
			p := path.Clean(path.Join(d, name))
			if !fs.ValidPath(p) {
				continue
			}
			if _, err := fs.Stat(fsys, p); err == nil {
				found = true
				break
			}
		}
		if !found {
			return written
		}
	}
	return ""
}

// includes lists the names of #include "x" and #include <x> lines as
// written, delimiters included. It is a plain scan (no regexp): it runs on
// every C file of a history.
func includes(src []byte) []string {
	var out []string
	for len(src) > 0 {
		line := src
		if i := bytes.IndexByte(src, '\n'); i >= 0 {
			line, src = src[:i], src[i+1:]
		} else {
			src = nil
		}
		line = bytes.TrimLeft(line, " \t")
		if len(line) == 0 || line[0] != '#' {
			continue
		}
		line = bytes.TrimLeft(line[1:], " \t")
		if !bytes.HasPrefix(line, []byte("include")) {
			continue
		}
		line = bytes.TrimLeft(line[len("include"):], " \t")
		if len(line) < 2 {
			continue
		}
		closer := byte('"')
		if line[0] == '<' {
			closer = '>'
		} else if line[0] != '"' {
			continue // a macro-named include: nothing to check
		}
		if end := bytes.IndexByte(line[1:], closer); end > 0 {
			out = append(out, string(line[:end+2]))
		}
	}
	return out
}
