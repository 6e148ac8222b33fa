package verify

import (
	"fmt"
	"strconv"
	"strings"
)

// A package carries its new C sources under NewSourcesDir for go:embed,
// which refuses file names with " ' * < > ? ` | : \ and some others, and
// silently leaves out directories with such names or a go.mod. Any name git
// allows must work, so each path element that embed would refuse is stored
// percent-encoded (and '%' itself always is): StoredPath gives the name
// under NewSourcesDir, TreePath the tree path back.

// StoredPath is the slash-separated path under NewSourcesDir of the tree
// file at p.
func StoredPath(p string) string {
	elems := strings.Split(p, "/")
	for i, e := range elems {
		elems[i] = storedElem(e)
	}
	return strings.Join(elems, "/")
}

// TreePath is the tree path of the file stored at p under NewSourcesDir.
func TreePath(p string) (string, error) {
	elems := strings.Split(p, "/")
	for i, e := range elems {
		d, err := decodeElem(e)
		if err != nil {
			return "", fmt.Errorf("stored name %q: %w", p, err)
		}
		elems[i] = d
	}
	return strings.Join(elems, "/"), nil
}

// embedSafe are the ASCII punctuation characters embed accepts in a name
// (cmd/go's module.CheckFilePath), without '%', the escape.
const embedSafe = "!#$&()+,-.=@[]^_{}~ "

func safeByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte(embedSafe, c) >= 0
}

// windowsReserved are the names embed refuses whatever their extension.
var windowsReserved = map[string]bool{"CON": true, "PRN": true, "AUX": true, "NUL": true,
	"COM1": true, "COM2": true, "COM3": true, "COM4": true, "COM5": true, "COM6": true, "COM7": true, "COM8": true, "COM9": true,
	"LPT1": true, "LPT2": true, "LPT3": true, "LPT4": true, "LPT5": true, "LPT6": true, "LPT7": true, "LPT8": true, "LPT9": true}

func storedElem(e string) string {
	var b strings.Builder
	for i := 0; i < len(e); i++ {
		c := e[i]
		if safeByte(c) {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", c)
	}
	s := b.String()
	short, _, _ := strings.Cut(s, ".")
	switch {
	case s == "":
	case strings.HasSuffix(s, "."):
		// A trailing dot is refused (and "..." is all dots).
		s = s[:len(s)-1] + "%2E"
	case windowsReserved[strings.ToUpper(short)], s == "go.mod":
		// Reserved device names (they start with a letter); a go.mod
		// would make embed skip the directory as another module.
		s = fmt.Sprintf("%%%02X", s[0]) + s[1:]
	case tildeShortName(short):
		// An 8.3 short name ("PROGRA~1"): its last '~' is escaped.
		i := strings.LastIndexByte(short, '~')
		s = s[:i] + "%7E" + s[i+1:]
	}
	return s
}

// tildeShortName reports a Windows 8.3 short name ("PROGRA~1"), which
// embed refuses.
func tildeShortName(short string) bool {
	i := strings.LastIndexByte(short, '~')
	if i < 0 || i == len(short)-1 {
		return false
	}
	_, err := strconv.ParseUint(short[i+1:], 10, 64)
	return err == nil
}

func decodeElem(e string) (string, error) {
	if !strings.Contains(e, "%") {
		return e, nil
	}
	var b strings.Builder
	for i := 0; i < len(e); i++ {
		if e[i] != '%' {
			b.WriteByte(e[i])
			continue
		}
		if i+3 > len(e) {
			return "", fmt.Errorf("truncated escape at %d", i)
		}
		v, err := strconv.ParseUint(e[i+1:i+3], 16, 8)
		if err != nil {
			return "", fmt.Errorf("bad escape at %d", i)
		}
		b.WriteByte(byte(v))
		i += 2
	}
	return b.String(), nil
}
