package synth

import (
	"bytes"
	"io"
	"io/fs"
	"regexp"
	"time"
)

// gnuDesignators rewrites GNU's obsolete array designators "[INDEX] value"
// into "[INDEX]=value", which cc/v4 knows (older kernels such as xv6 write
// their syscall and name tables this way). The '=' replaces the blank after
// ']', so offsets and line numbers stay the same. (cparse does the same
// rewrite for its summaries; it does not export it.)
func gnuDesignators(src []byte) []byte {
	var out []byte
	prev := byte(0) // the last significant character outside strings and comments
	for i := 0; i < len(src); i++ {
		c := src[i]
		switch {
		case c == '/' && i+1 < len(src) && src[i+1] == '*':
			if e := bytes.Index(src[i+2:], []byte("*/")); e >= 0 {
				i += e + 3
			} else {
				i = len(src)
			}
			continue
		case c == '/' && i+1 < len(src) && src[i+1] == '/':
			if e := bytes.IndexByte(src[i:], '\n'); e >= 0 {
				i += e
			} else {
				i = len(src)
			}
			continue
		case c == '"' || c == '\'':
			for i++; i < len(src) && src[i] != c; i++ {
				if src[i] == '\\' {
					i++
				}
			}
			prev = c
			continue
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			continue
		case c == '[' && (prev == '{' || prev == ','):
			depth, j := 0, i
			for ; j < len(src); j++ {
				if src[j] == '[' {
					depth++
				} else if src[j] == ']' {
					if depth--; depth == 0 {
						break
					}
				}
			}
			if j+2 >= len(src) || !isBlank(src[j+1]) {
				break
			}
			k := j + 1
			for k < len(src) && isBlank(src[k]) {
				k++
			}
			if k < len(src) && bytes.IndexByte([]byte("=[.,};()"), src[k]) < 0 {
				if out == nil {
					out = append([]byte(nil), src...)
				}
				out[j+1] = '='
			}
			i = j
			prev = ']'
			continue
		}
		prev = c
	}
	if out == nil {
		return src
	}
	return out
}

func isBlank(b byte) bool { return b == ' ' || b == '\t' || b == '\n' || b == '\r' }

// compatFS serves a tree's files with gnuDesignators applied.
type compatFS struct{ fs.FS }

func (c compatFS) Open(name string) (fs.File, error) {
	f, err := c.FS.Open(name)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil || st.IsDir() {
		return f, err
	}
	b, err := io.ReadAll(f)
	f.Close()
	if err != nil {
		return nil, err
	}
	return &memFile{Reader: bytes.NewReader(gnuDesignators(b)), name: st.Name(), size: int64(len(b))}, nil
}

type memFile struct {
	*bytes.Reader
	name string
	size int64
}

func (m *memFile) Stat() (fs.FileInfo, error) { return m, nil }
func (m *memFile) Close() error               { return nil }
func (m *memFile) Name() string               { return m.name }
func (m *memFile) Size() int64                { return m.size }
func (m *memFile) Mode() fs.FileMode          { return 0o444 }
func (m *memFile) ModTime() time.Time         { return time.Time{} }
func (m *memFile) IsDir() bool                { return false }
func (m *memFile) Sys() any                   { return nil }

// hostedRE finds includes of a hosted C library: such a file is a host tool
// built next to the kernel (mkfs), not part of the kernel image.
var hostedRE = regexp.MustCompile(`(?m)^\s*#\s*include\s*<(stdio|stdlib|unistd|fcntl|assert|errno|sys/[a-z]+)\.h>`)
