package deps

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/upsynth/upsynth/kernel"
)

// State is what one tree held at the paths a parse looked up: one line per
// path, and one per directory on the way to them, whose tree hash lets
// Holds skip every path below a directory another tree has unchanged.
type State struct {
	lines []line // sorted by path, then tag

	// The lines arranged for Holds, on first use: a state is checked
	// from the producer and from parse workers alike.
	once  sync.Once
	trie  *node
	links []line // reached through a symlink
}

// line tags.
const (
	tagDir      = 'd' // a directory on the way: its tree hash
	tagContent  = 'c' // a path opened: its blob or tree hash
	tagPresence = 'p' // a path tested: the mode of what is there
	tagAbsent   = '-' // a path looked up where nothing is
	tagSymlink  = 'l' // a path reached through a symlink: its final entry's hash (zero: none)
)

type line struct {
	tag  byte
	path string
	hash plumbing.Hash
	mode filemode.FileMode
}

// Len is the number of paths looked up (directories on the way not
// counted).
func (s *State) Len() int {
	n := 0
	for _, l := range s.lines {
		if l.tag != tagDir {
			n++
		}
	}
	return n
}

// Key identifies the state among the states of one file's parses: a
// digest of what was found at each path looked up ("" when the parse
// looked nothing up). The directories on the way are left out: two trees
// that differ elsewhere give the same key.
func (s *State) Key() string {
	if s.Len() == 0 {
		return ""
	}
	h := sha256.New()
	for _, l := range s.lines {
		if l.tag != tagDir {
			h.Write(l.appendTo(nil))
		}
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// Capture is what the tree root of objs holds at the paths looked up.
func Capture(objs kernel.Objects, root plumbing.Hash, looked map[string]Kind) (*State, error) {
	c := &capturer{objs: objs, root: root, dirs: map[string]dirAt{}}
	names := make([]string, 0, len(looked))
	for name := range looked {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		if err := c.add(name, looked[name]); err != nil {
			return nil, err
		}
	}
	slices.SortFunc(c.lines, func(a, b line) int {
		if c := strings.Compare(a.path, b.path); c != 0 {
			return c
		}
		return int(a.tag) - int(b.tag)
	})
	return &State{lines: c.lines}, nil
}

// capturer walks the paths of one Capture, each directory once.
type capturer struct {
	objs  kernel.Objects
	root  plumbing.Hash
	dirs  map[string]dirAt
	lines []line
}

// dirAt is what is at a directory's path: a tree, nothing (or not a
// directory), or a symlink somewhere on the way.
type dirAt struct {
	tree    *object.Tree
	symlink bool
}

func (c *capturer) dir(p string) (dirAt, error) {
	if d, ok := c.dirs[p]; ok {
		return d, nil
	}
	var d dirAt
	if p == "." {
		t, err := c.objs.Tree(c.root)
		if err != nil {
			return d, fmt.Errorf("tree %s: %w", c.root, err)
		}
		d.tree = t
		c.lines = append(c.lines, line{tag: tagDir, path: ".", hash: c.root})
	} else {
		parent, err := c.dir(path.Dir(p))
		if err != nil {
			return d, err
		}
		switch e, ok := child(parent.tree, path.Base(p)); {
		case parent.symlink || ok && e.Mode == filemode.Symlink:
			d.symlink = true
		case ok && e.Mode == filemode.Dir:
			if d.tree, err = c.objs.Tree(e.Hash); err != nil {
				return d, fmt.Errorf("tree %s at %s: %w", e.Hash, p, err)
			}
			c.lines = append(c.lines, line{tag: tagDir, path: p, hash: e.Hash})
		}
	}
	c.dirs[p] = d
	return d, nil
}

func (c *capturer) add(name string, k Kind) error {
	if name == "." {
		l := line{tag: tagContent, path: name, hash: c.root}
		if k == Presence {
			l = line{tag: tagPresence, path: name, mode: filemode.Dir}
		}
		c.lines = append(c.lines, l)
		return nil
	}
	d, err := c.dir(path.Dir(name))
	if err != nil {
		return err
	}
	e, ok := child(d.tree, path.Base(name))
	switch {
	case d.symlink || ok && e.Mode == filemode.Symlink:
		c.lines = append(c.lines, line{tag: tagSymlink, path: name, hash: resolved(c.objs, c.root, name)})
	case !ok:
		c.lines = append(c.lines, line{tag: tagAbsent, path: name})
	case k == Content:
		c.lines = append(c.lines, line{tag: tagContent, path: name, hash: e.Hash})
	default:
		c.lines = append(c.lines, line{tag: tagPresence, path: name, mode: e.Mode})
	}
	return nil
}

// resolved is the hash of the entry name leads to in the tree root,
// symlinks followed as a reader follows them; zero when it leads nowhere.
func resolved(objs kernel.Objects, root plumbing.Hash, name string) plumbing.Hash {
	e, err := kernel.NewTreeFS(objs, root).Entry(name)
	if err != nil {
		return plumbing.ZeroHash
	}
	return e.Hash
}

// child finds a tree entry by name (t nil: none). Trees are shared across
// goroutines, so this never uses Tree.FindEntry, which builds a map
// lazily without a lock.
func child(t *object.Tree, name string) (object.TreeEntry, bool) {
	if t == nil {
		return object.TreeEntry{}, false
	}
	for _, e := range t.Entries {
		if e.Name == name {
			return e, true
		}
	}
	return object.TreeEntry{}, false
}

// appendTo appends the line's text: "tag value path\n", the path quoted
// when it could be misread (a newline in it, or a leading quote).
func (l line) appendTo(b []byte) []byte {
	b = append(b, l.tag, ' ')
	switch l.tag {
	case tagAbsent:
		b = append(b, '-')
	case tagPresence:
		b = strconv.AppendUint(b, uint64(l.mode), 8)
	default:
		b = append(b, l.hash.String()...)
	}
	b = append(b, ' ')
	if strings.ContainsAny(l.path, "\n\r") || strings.HasPrefix(l.path, `"`) {
		b = strconv.AppendQuote(b, l.path)
	} else {
		b = append(b, l.path...)
	}
	return append(b, '\n')
}

// Encode is the stored form of the state: its lines as text, one per
// path, readable as they are (a few hundred bytes to a few kilobytes: not
// worth a compressor's time once per parse); nil when the parse looked
// nothing up.
func (s *State) Encode() []byte {
	if s.Len() == 0 {
		return nil
	}
	var b []byte
	for _, l := range s.lines {
		b = l.appendTo(b)
	}
	return b
}

// Decode reads a state Encode wrote (nil or empty: a parse that looked
// nothing up).
func Decode(data []byte) (*State, error) {
	s := &State{}
	for n := 1; len(data) > 0; n++ {
		text, rest, ok := bytes.Cut(data, []byte{'\n'})
		if !ok {
			return nil, fmt.Errorf("dependency line %d: not ended", n)
		}
		l, err := parseLine(string(text))
		if err != nil {
			return nil, fmt.Errorf("dependency line %d: %w", n, err)
		}
		s.lines = append(s.lines, l)
		data = rest
	}
	return s, nil
}

func parseLine(text string) (line, error) {
	tag, rest, ok1 := strings.Cut(text, " ")
	value, p, ok2 := strings.Cut(rest, " ")
	if !ok1 || !ok2 || len(tag) != 1 || p == "" {
		return line{}, fmt.Errorf("malformed: %q", text)
	}
	if strings.HasPrefix(p, `"`) {
		var err error
		if p, err = strconv.Unquote(p); err != nil {
			return line{}, fmt.Errorf("path %s: %w", rest, err)
		}
	}
	l := line{tag: tag[0], path: p}
	switch l.tag {
	case tagAbsent:
	case tagPresence:
		m, err := strconv.ParseUint(value, 8, 32)
		if err != nil {
			return line{}, fmt.Errorf("mode %q: %w", value, err)
		}
		l.mode = filemode.FileMode(m)
	case tagDir, tagContent, tagSymlink:
		if len(value) != 40 {
			return line{}, fmt.Errorf("hash %q", value)
		}
		if _, err := hex.DecodeString(value); err != nil {
			return line{}, fmt.Errorf("hash %q: %w", value, err)
		}
		l.hash = plumbing.NewHash(value)
	default:
		return line{}, fmt.Errorf("unknown tag %q", tag)
	}
	return l, nil
}
