package analyze

import (
	"io/fs"
	"path"
	"regexp"
)

var includeRe = regexp.MustCompile(`(?m)^[ \t]*#[ \t]*include[ \t]*[<"]([^>"\n]+)[>"]`)

// missingInclude returns the first header file includes that cannot be
// found in fsys (in the file's directory or an include path), or "". The
// precise engine cannot succeed without it, so the analysis does not spend
// a preprocessor run finding that out; this matters on trees whose build
// generates headers (autoconf.h) or that have no upsynth.yaml yet.
func missingInclude(fsys fs.StatFS, file string, src []byte, includePaths []string) string {
	dirs := append([]string{path.Dir(file)}, includePaths...)
	for _, m := range includeRe.FindAllSubmatch(src, -1) {
		name := string(m[1])
		found := false
		for _, d := range dirs {
			p := path.Clean(path.Join(d, name))
			if !fs.ValidPath(p) {
				continue
			}
			if _, err := fsys.Stat(p); err == nil {
				found = true
				break
			}
		}
		if !found {
			return name
		}
	}
	return ""
}
