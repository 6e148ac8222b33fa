package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/upsynth/upsynth/corpus"
)

// TestSnapshot edits the tip tree and checks the history entry written for
// it: the changed file in files/, the removed one in deletions, a date
// after the tip's.
func TestSnapshot(t *testing.T) {
	trees, err := corpus.Trees()
	if err != nil {
		t.Fatal(err)
	}
	tree := t.TempDir()
	for p, data := range trees[len(trees)-1] {
		if p == "README" {
			continue
		}
		if p == "kernel/console.c" {
			data = append(append([]byte{}, data...), "/* trailing note */\n"...)
		}
		fp := filepath.Join(tree, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(fp), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(fp, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	msg := filepath.Join(t.TempDir(), "msg")
	if err := os.WriteFile(msg, []byte("console: a note\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	hist := t.TempDir()
	if err := run(tree, "note", "A B <a@b>", "workloads/console.wl", msg, hist, time.Hour); err != nil {
		t.Fatal(err)
	}
	commits, _ := corpus.History()
	entries, err := os.ReadDir(hist)
	if err != nil || len(entries) != 1 || !strings.HasSuffix(entries[0].Name(), "-note") {
		t.Fatalf("history dir holds %v (%v)", entries, err)
	}
	dir := filepath.Join(hist, entries[0].Name())
	if _, err := os.Stat(filepath.Join(dir, "files", "kernel", "console.c")); err != nil {
		t.Error(err)
	}
	raw, err := os.ReadFile(filepath.Join(dir, "commit.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var meta struct {
		Date      time.Time `yaml:"date"`
		Deletions []string  `yaml:"deletions"`
		Message   string    `yaml:"message"`
	}
	if err := yaml.Unmarshal(raw, &meta); err != nil {
		t.Fatal(err)
	}
	if !meta.Date.After(commits[len(commits)-1].Date) || len(meta.Deletions) != 1 || meta.Deletions[0] != "README" || meta.Message != "console: a note\n" {
		t.Errorf("commit.yaml = %+v", meta)
	}
	if err := run(tree, "", "", "", "", hist, time.Hour); err == nil {
		t.Error("run without arguments succeeded")
	}
}
