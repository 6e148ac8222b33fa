package analyze

import (
	"context"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/upsynth/upsynth/analyze/internal/gittest"
	"github.com/upsynth/upsynth/analyze/store"
	"github.com/upsynth/upsynth/cparse"
)

// step is one commit of a fixture history and the classification the
// rulebook (CLASSIFY.md) demands for it.
type step struct {
	msg     string
	files   map[string]string // path -> new content; "" deletes
	class   string            // "" for merges
	hazards string            // comma-separated, sorted
	purpose string
	merge   bool // merge the previous side branch (files ignored)
	branch  bool // start a side branch from the commit before
}

const fsH = `#ifndef FS_H
#define FS_H
#define MAXFILE 10
struct inode {
	int size;
	int nlink;
};
struct file_ops {
	int (*read)(struct inode *ip, int n);
	int (*write)(struct inode *ip, int n);
};
int vfs_read(struct inode *ip, int n);
int vfs_write(struct inode *ip, int n);
#endif
`

const vfsC = `#include "fs.h"

struct cache_entry {
	int key;
	int value;
};

static int counter;
int exported_count = 0;

static int helper(int x)
{
	return x + 1;
}

int vfs_local(int x)
{
	return helper(x);
}

int vfs_read(struct inode *ip, int n)
{
	counter++;
	return ip->size + vfs_local(n);
}

int vfs_write(struct inode *ip, int n)
{
	ip->nlink = n;
	return 0;
}

static struct file_ops vfs_ops = { vfs_read, vfs_write };

void fs_init(void)
{
	exported_count = 0;
}
`

const pipeC = `#include "fs.h"

int pipe_read(struct inode *ip)
{
	return vfs_read(ip, 1) + ip->size;
}
`

const x86H = `static inline void cli(void)
{
	__asm__ volatile("cli");
}
`

// fixtureHistory exercises each rule of CLASSIFY.md once.
func fixtureHistory() []step {
	return []step{
		{msg: "Initial kernel", class: "unsupported", hazards: "asm,init", purpose: "other", files: map[string]string{
			"upsynth.yaml": "include: [include]\n",
			"include/fs.h": fsH, "fs/vfs.c": vfsC, "fs/pipe.c": pipeC, "include/x86.h": x86H,
			"arch/entry.S": "cli\n", "boot/start.c": "int start(void) { return 0; }\n",
			"Makefile": "all:\n", "README": "kernel\n", "tests/t.c": "int t(void) { return 0; }\n"}},
		{msg: "docs: explain the vfs", class: "none", purpose: "cleanup", files: map[string]string{
			"fs/vfs.c": strings.Replace(vfsC, "static int counter;", "/* counts reads */\nstatic int counter;", 1), "README": "kernel!\n"}},
		{msg: "Fix off-by-one in vfs_read", class: "code", purpose: "fix", files: map[string]string{
			"fs/vfs.c": strings.Replace(vfsC, "ip->size + vfs_local(n)", "ip->size + vfs_local(n) - 1", 1)}},
		{msg: "Make helper take a long", class: "code", purpose: "other", files: map[string]string{
			"fs/vfs.c": strings.NewReplacer("ip->size + vfs_local(n)", "ip->size + vfs_local(n) - 1", "helper(int x)", "helper(long x)").Replace(vfsC)}},
		{msg: "Change vfs_local to take a long", class: "code", purpose: "other", files: map[string]string{
			"fs/vfs.c": strings.NewReplacer("ip->size + vfs_local(n)", "ip->size + vfs_local(n) - 1", "helper(int x)", "helper(long x)", "vfs_local(int x)", "vfs_local(long x)").Replace(vfsC)}},
		{msg: "vfs_read: take a long count", class: "interface", purpose: "other", files: map[string]string{
			"include/fs.h": strings.Replace(fsH, "int vfs_read(struct inode *ip, int n);", "int vfs_read(struct inode *ip, long n);", 1),
			"fs/vfs.c":     strings.NewReplacer("ip->size + vfs_local(n)", "ip->size + vfs_local(n) - 1", "helper(int x)", "helper(long x)", "vfs_local(int x)", "vfs_local(long x)", "int vfs_read(struct inode *ip, int n)", "int vfs_read(struct inode *ip, long n)").Replace(vfsC)}},
		{msg: "Add a mode to inodes", class: "interface", purpose: "feature", files: map[string]string{
			"include/fs.h": strings.NewReplacer("int vfs_read(struct inode *ip, int n);", "int vfs_read(struct inode *ip, long n);", "\tint nlink;\n", "\tint nlink;\n\tint mode;\n").Replace(fsH)}},
		{msg: "Widen cache entries", class: "state", purpose: "perf", files: map[string]string{
			"fs/vfs.c": strings.NewReplacer("ip->size + vfs_local(n)", "ip->size + vfs_local(n) - 1", "helper(int x)", "helper(long x)", "vfs_local(int x)", "vfs_local(long x)", "int vfs_read(struct inode *ip, int n)", "int vfs_read(struct inode *ip, long n)", "\tint value;", "\tlong value;").Replace(vfsC)}},
	}
}

// applySteps builds the fixture repository; it returns the sha per message.
func applySteps(t testing.TB, dir string, steps []step) map[string]plumbing.Hash {
	t.Helper()
	g, err := gittest.Init(dir)
	if err != nil {
		t.Fatal(err)
	}
	shas := map[string]plumbing.Hash{}
	var branchPoint, sideTip plumbing.Hash
	for _, s := range steps {
		files := map[string][]byte{}
		for p, c := range s.files {
			if c == "" {
				files[p] = nil
			} else {
				files[p] = []byte(c)
			}
		}
		var h plumbing.Hash
		switch {
		case s.merge:
			h, err = g.Merge(s.msg, sideTip, files)
		case s.branch:
			main := g.Head
			if err = g.Checkout(branchPoint); err == nil {
				if sideTip, err = g.Commit(s.msg, files); err == nil {
					h = sideTip
					err = g.Checkout(main)
				}
			}
		default:
			branchPoint = g.Head
			h, err = g.Commit(s.msg, files)
		}
		if err != nil {
			t.Fatalf("%s: %v", s.msg, err)
		}
		shas[s.msg] = h
	}
	return shas
}

// countingParse wraps cparse.Parse and counts its calls.
func countingParse(n *atomic.Int64) ParseFunc {
	return func(ctx context.Context, path string, src []byte, cfg cparse.Config) *cparse.Summary {
		n.Add(1)
		return cparse.Parse(ctx, path, src, cfg)
	}
}

func TestFixtureClassification(t *testing.T) {
	steps := fixtureHistory()
	dir := t.TempDir()
	repo := filepath.Join(dir, "repo")
	shas := applySteps(t, repo, steps)
	db := filepath.Join(dir, "a.db")
	var parses atomic.Int64
	st, err := Run(context.Background(), Options{Repo: repo, DB: db, Jobs: 2, Parse: countingParse(&parses)})
	if err != nil {
		t.Fatal(err)
	}
	if st.Commits+st.Merges != len(steps) {
		t.Errorf("analyzed %d+%d commits, want %d", st.Commits, st.Merges, len(steps))
	}
	s, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, step := range steps {
		cs, err := s.FindCommits(context.Background(), shas[step.msg].String())
		if err != nil || len(cs) != 1 {
			t.Fatalf("%s: %v %v", step.msg, cs, err)
		}
		c := cs[0]
		var changes []string
		for _, ch := range c.Changes {
			changes = append(changes, ch.Class+" "+ch.File+" "+ch.Entity+" "+ch.Name+" "+ch.Change+": "+ch.Reason)
		}
		if step.merge != c.Merge || (!step.merge && c.Class != step.class) {
			t.Errorf("%q: class %s, want %s (%s)\n\t%s", step.msg, c.Class, step.class, c.Reason, strings.Join(changes, "\n\t"))
		}
		if got := strings.Join(c.Hazards, ","); !step.merge && got != step.hazards {
			t.Errorf("%q: hazards %q, want %q\n\t%s", step.msg, got, step.hazards, strings.Join(changes, "\n\t"))
		}
		if !step.merge && c.Purpose != step.purpose {
			t.Errorf("%q: purpose %s (%s), want %s", step.msg, c.Purpose, c.PurposeReason, step.purpose)
		}
	}
	if parses.Load() == 0 {
		t.Fatal("nothing parsed")
	}

	// A second run over the same history parses nothing and adds nothing.
	parses.Store(0)
	st, err = Run(context.Background(), Options{Repo: repo, DB: db, Parse: countingParse(&parses)})
	if err != nil {
		t.Fatal(err)
	}
	if parses.Load() != 0 || st.Commits != 0 || st.Skipped != len(steps) {
		t.Errorf("second run: %d parses, %d commits, %d skipped", parses.Load(), st.Commits, st.Skipped)
	}
}
