// Command snapshot turns an edited kernel tree into the next history entry.
//
//	go run ./corpus/internal/snapshot -tree /tmp/k -slug fix-foo \
//	    -author "Marta Kriegel <marta@k42lab.example>" \
//	    -workloads workloads/fs.wl -message msg.txt
//
// It compares the tree with the tip of the embedded history and writes
// corpus/history/NNNN-slug/ (commit.yaml and files/ with every added or
// modified file; deleted files go to commit.yaml). The date is the previous
// commit's plus -after. Add the commit's label to labels.yaml by hand.
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/upsynth/upsynth/corpus"
)

func main() {
	tree := flag.String("tree", "", "the edited kernel tree (required)")
	slug := flag.String("slug", "", "short name of the commit, e.g. fix-seek-end (required)")
	author := flag.String("author", "", `"Name <email>" (required)`)
	workloads := flag.String("workloads", "", "comma-separated workload paths that exercise the change (required)")
	message := flag.String("message", "", "file holding the commit message (required)")
	after := flag.Duration("after", 26*time.Hour, "time since the previous commit")
	out := flag.String("history", "corpus/history", "the history directory to write to")
	flag.Parse()
	if err := run(*tree, *slug, *author, *workloads, *message, *out, *after); err != nil {
		fmt.Fprintln(os.Stderr, "snapshot:", err)
		os.Exit(1)
	}
}

func run(tree, slug, author, workloads, message, out string, after time.Duration) error {
	if tree == "" || slug == "" || author == "" || workloads == "" || message == "" {
		return errors.New("-tree, -slug, -author, -workloads and -message are required")
	}
	msg, err := os.ReadFile(message)
	if err != nil {
		return err
	}
	commits, err := corpus.History()
	if err != nil {
		return err
	}
	trees, err := corpus.Trees()
	if err != nil {
		return err
	}
	prev := trees[len(trees)-1]
	next, err := readTree(tree)
	if err != nil {
		return err
	}
	id := fmt.Sprintf("%04d-%s", len(commits)+1, slug)
	dir := filepath.Join(out, id)
	var changed, deleted []string
	for _, p := range next.Paths() {
		if old, ok := prev[p]; !ok || !bytes.Equal(old, next[p]) {
			changed = append(changed, p)
		}
	}
	for _, p := range prev.Paths() {
		if _, ok := next[p]; !ok {
			deleted = append(deleted, p)
		}
	}
	if len(changed) == 0 && len(deleted) == 0 {
		return errors.New("the tree is the same as the tip")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, p := range changed {
		fp := filepath.Join(dir, "files", filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(fp), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(fp, next[p], 0o644); err != nil {
			return err
		}
	}
	meta := struct {
		Author    string    `yaml:"author"`
		Date      time.Time `yaml:"date"`
		Workloads []string  `yaml:"workloads,flow"`
		Deletions []string  `yaml:"deletions,flow,omitempty"`
		Message   string    `yaml:"message"`
	}{
		Author:    author,
		Date:      commits[len(commits)-1].Date.Add(after).UTC(),
		Workloads: strings.Split(workloads, ","),
		Deletions: deleted,
		Message:   strings.TrimRight(string(msg), "\n") + "\n",
	}
	raw, err := yaml.Marshal(&meta)
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "commit.yaml"), raw, 0o644); err != nil {
		return err
	}
	sort.Strings(changed)
	fmt.Printf("%s: %d changed, %d deleted\n", dir, len(changed), len(deleted))
	return nil
}

// readTree reads every regular file under dir except .git.
func readTree(dir string) (corpus.Tree, error) {
	t := corpus.Tree{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == ".git" {
			return filepath.SkipDir
		}
		if !d.Type().IsRegular() {
			return nil
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		t[filepath.ToSlash(rel)] = data
		return nil
	})
	return t, err
}
