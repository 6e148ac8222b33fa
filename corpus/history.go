// Package corpus owns the bundled kernel: a small K42-style object kernel in
// C, its revision history of about a hundred commits, the labels that say
// what each commit is for and which update mechanism it needs, the
// workloads that exercise every commit, and the builder that turns the
// history into a real git repository with fixed hashes.
//
// The history is stored under history/NNNN-slug/: commit.yaml (author,
// date, message, the commit's workloads, deleted paths) and files/, the full
// new content of every file the commit adds or modifies. Commits apply in
// order onto the previous tree. The labels live in labels.yaml, apart from
// the commits, so that the analyzer can be tested against them.
package corpus

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
	"sync"
	"time"

	"gopkg.in/yaml.v3"
)

//go:embed all:history labels.yaml
var embedded embed.FS

// Commit is one entry of the history.
type Commit struct {
	// ID names the history entry: "0021-frame-alloc-zero". The number is
	// the commit's position, starting at 1.
	ID      string
	Author  string // name
	Email   string
	Date    time.Time
	Message string
	// Workloads are tree paths (workloads/*.wl) of the request scripts
	// that exercise what the commit changed.
	Workloads []string
	// Files holds the full new content of every file the commit adds or
	// modifies, by slash-separated tree path.
	Files map[string][]byte
	// Deletions are the tree paths the commit removes.
	Deletions []string
}

// Subject is the first line of the commit message.
func (c *Commit) Subject() string {
	s, _, _ := strings.Cut(c.Message, "\n")
	return s
}

type commitMeta struct {
	Author    string    `yaml:"author"`
	Date      time.Time `yaml:"date"`
	Workloads []string  `yaml:"workloads"`
	Deletions []string  `yaml:"deletions"`
	Message   string    `yaml:"message"`
}

var (
	historyOnce sync.Once
	historyVal  []Commit
	historyErr  error
)

// History returns the commits of the bundled history in order. The slice
// and its contents are shared: callers must not modify them.
func History() ([]Commit, error) {
	historyOnce.Do(func() {
		historyVal, historyErr = loadHistory(embedded, "history")
	})
	return historyVal, historyErr
}

// loadHistory reads every history entry under dir of fsys.
func loadHistory(fsys fs.FS, dir string) ([]Commit, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, err
	}
	var commits []Commit
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		c, err := loadCommit(fsys, path.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		c.ID = e.Name()
		if want := fmt.Sprintf("%04d-", len(commits)+1); !strings.HasPrefix(c.ID, want) {
			return nil, fmt.Errorf("history/%s: expected an entry numbered %s", c.ID, want)
		}
		commits = append(commits, c)
	}
	if len(commits) == 0 {
		return nil, fmt.Errorf("%s: no history entries", dir)
	}
	return commits, nil
}

func loadCommit(fsys fs.FS, dir string) (Commit, error) {
	var c Commit
	raw, err := fs.ReadFile(fsys, path.Join(dir, "commit.yaml"))
	if err != nil {
		return c, err
	}
	var meta commitMeta
	if err := yaml.Unmarshal(raw, &meta); err != nil {
		return c, fmt.Errorf("%s/commit.yaml: %w", dir, err)
	}
	name, email, ok := strings.Cut(meta.Author, " <")
	if !ok || !strings.HasSuffix(email, ">") {
		return c, fmt.Errorf("%s/commit.yaml: author %q is not \"Name <email>\"", dir, meta.Author)
	}
	if meta.Date.IsZero() || strings.TrimSpace(meta.Message) == "" {
		return c, fmt.Errorf("%s/commit.yaml: date and message are required", dir)
	}
	c.Author, c.Email = name, strings.TrimSuffix(email, ">")
	c.Date = meta.Date.UTC()
	c.Message = strings.TrimRight(meta.Message, "\n") + "\n"
	c.Workloads = meta.Workloads
	c.Deletions = meta.Deletions
	c.Files = map[string][]byte{}
	filesDir := path.Join(dir, "files")
	if _, err := fs.Stat(fsys, filesDir); err != nil {
		// a commit that only deletes files has no files/
		return c, nil
	}
	err = fs.WalkDir(fsys, filesDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		c.Files[strings.TrimPrefix(p, filesDir+"/")] = data
		return nil
	})
	if err != nil {
		return c, fmt.Errorf("%s: %w", dir, err)
	}
	return c, nil
}

// Tree is a kernel tree at one revision: slash-separated path -> content.
type Tree map[string][]byte

// Paths returns the tree's paths, sorted.
func (t Tree) Paths() []string {
	paths := make([]string, 0, len(t))
	for p := range t {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	return paths
}

// apply returns the tree after commit c.
func (t Tree) apply(c *Commit) (Tree, error) {
	next := make(Tree, len(t)+len(c.Files))
	for p, b := range t {
		next[p] = b
	}
	for _, p := range c.Deletions {
		if _, ok := next[p]; !ok {
			return nil, fmt.Errorf("%s deletes %s, which does not exist", c.ID, p)
		}
		delete(next, p)
	}
	for p, b := range c.Files {
		next[p] = b
	}
	return next, nil
}

// Trees returns the tree after every commit, in history order.
func Trees() ([]Tree, error) {
	commits, err := History()
	if err != nil {
		return nil, err
	}
	trees := make([]Tree, len(commits))
	var cur Tree
	for i := range commits {
		if cur, err = cur.apply(&commits[i]); err != nil {
			return nil, err
		}
		trees[i] = cur
	}
	return trees, nil
}

// TreeAt returns the tree after the commit with the given id.
func TreeAt(id string) (Tree, error) {
	commits, err := History()
	if err != nil {
		return nil, err
	}
	trees, err := Trees()
	if err != nil {
		return nil, err
	}
	for i := range commits {
		if commits[i].ID == id {
			return trees[i], nil
		}
	}
	return nil, fmt.Errorf("corpus: no commit %q", id)
}

// EmuSources returns the C files of a tree that make up the kernel on the
// emulated machine, sorted: every .c file except the hardware port under
// arch/ (which holds inline assembly and is built only for real CPUs).
func EmuSources(t Tree) []string {
	var srcs []string
	for _, p := range t.Paths() {
		if strings.HasSuffix(p, ".c") && !strings.HasPrefix(p, "arch/") {
			srcs = append(srcs, p)
		}
	}
	return srcs
}

// IncludePaths are the include directories (tree-relative) the kernel is
// compiled with; they match upsynth.yaml.
var IncludePaths = []string{"include"}

// MixedWorkload is the tree path of the long mixed workload used as load
// during updates.
const MixedWorkload = "workloads/mixed.wl"

// Workload is one request script.
type Workload struct {
	Name string // tree path, e.g. "workloads/fs.wl"
	Src  []byte
}

// Workloads returns the workloads of the commit with the given id, read
// from the tree at that commit.
func Workloads(id string) ([]Workload, error) {
	commits, err := History()
	if err != nil {
		return nil, err
	}
	tree, err := TreeAt(id)
	if err != nil {
		return nil, err
	}
	for i := range commits {
		if commits[i].ID != id {
			continue
		}
		var ws []Workload
		for _, name := range commits[i].Workloads {
			src, ok := tree[name]
			if !ok {
				return nil, fmt.Errorf("corpus: %s names workload %s, which is not in its tree", id, name)
			}
			ws = append(ws, Workload{Name: name, Src: src})
		}
		return ws, nil
	}
	return nil, fmt.Errorf("corpus: no commit %q", id)
}
