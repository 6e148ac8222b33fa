package analyze

import (
	"context"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/upsynth/upsynth/analyze/store"
	"github.com/upsynth/upsynth/cparse"
	"github.com/upsynth/upsynth/internal/gittest"
)

// step is one commit of a fixture history and the classification the
// rulebook (docs/classification.md) demands for it.
type step struct {
	msg     string
	files   map[string]string // path -> new content; "" deletes
	class   string            // "" for merges
	hazards string            // comma-separated, sorted
	purpose string
	why     string // a phrase the commit's reason must contain
	subs    []sub
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

static inline int min(int a, int b)
{
	return a < b ? a : b;
}
`

// sub replaces old with new in a file of the previous commit.
type sub struct{ path, old, new string }

// fixtureHistory exercises each rule of docs/classification.md at least once.
func fixtureHistory() []step {
	return []step{
		{msg: "Initial kernel", class: "unsupported", hazards: "asm,init", purpose: "other", files: map[string]string{
			"upsynth.yaml": "include: [include]\ninit: [\"*_init\"]\n",
			"include/fs.h": fsH, "fs/vfs.c": vfsC, "fs/pipe.c": pipeC, "include/x86.h": x86H, "include/obj.h": objH,
			"fs/file.c": fileC, "fs/lonely.h": lonelyH, "fs/lonely.c": lonelyC,
			"arch/entry.S": "cli\n", "boot/start.c": "int start(void) { return 0; }\n",
			"Makefile": "all:\n", "README": "kernel\n", "tests/t.c": "int t(void) { return 0; }\n"}},
		{msg: "docs: explain the vfs", class: "none", purpose: "cleanup", subs: []sub{
			{"fs/vfs.c", "static int counter;", "/* counts reads */\nstatic int   counter;"}}, files: map[string]string{"README": "kernel!\n"}},
		{msg: "Fix off-by-one in vfs_read", class: "code", purpose: "fix", subs: []sub{{"fs/vfs.c", "ip->size + vfs_local(n)", "ip->size + vfs_local(n) - 1"}}},
		{msg: "Make helper take a long", class: "code", purpose: "other", subs: []sub{{"fs/vfs.c", "helper(int x)", "helper(long x)"}}},
		{msg: "Change vfs_local to take a long", class: "code", purpose: "other", subs: []sub{{"fs/vfs.c", "vfs_local(int x)", "vfs_local(long x)"}}},
		{msg: "vfs_read: take a long count", class: "interface", purpose: "other", subs: []sub{
			{"include/fs.h", "int vfs_read(struct inode *ip, int n);", "int vfs_read(struct inode *ip, long n);"},
			{"fs/vfs.c", "int vfs_read(struct inode *ip, int n)", "int vfs_read(struct inode *ip, long n)"}}},
		{msg: "Add a mode to inodes", class: "interface", purpose: "feature", subs: []sub{{"include/fs.h", "\tint nlink;\n", "\tint nlink;\n\tint mode;\n"}}},
		{msg: "Widen cache entries", class: "state", purpose: "perf", subs: []sub{{"fs/vfs.c", "\tint value;", "\tlong value;"}}},
		{msg: "Lonely struct grows", class: "state", purpose: "other", subs: []sub{{"fs/lonely.h", "int a;", "int a;\n\tint b;"}}},
		{msg: "Count reads in a long", class: "state", hazards: "global-data", purpose: "other", subs: []sub{{"fs/vfs.c", "static int   counter;", "static long   counter;"}}},
		{msg: "Start counting at one", class: "state", hazards: "global-data", purpose: "other", subs: []sub{{"fs/vfs.c", "int exported_count = 0;", "int exported_count = 1;"}}},
		{msg: "Export the count as long", class: "interface", hazards: "global-data", purpose: "other", subs: []sub{{"fs/vfs.c", "int exported_count = 1;", "long exported_count = 1;"}}},
		{msg: "Swap the vfs operations", class: "state", hazards: "global-data,ops-table", purpose: "other", subs: []sub{{"fs/vfs.c", "{ vfs_read, vfs_write }", "{ vfs_read, 0 }"}}},
		{msg: "Remember the last read", class: "state", hazards: "static-local", purpose: "fix", subs: []sub{{"fs/vfs.c", "\tcounter++;", "\tstatic int last;\n\tlast = n;\n\tcounter++;"}}},
		{msg: "Reset the count at init", class: "unsupported", hazards: "init", purpose: "fix", subs: []sub{{"fs/vfs.c", "exported_count = 0;\n}", "exported_count = 2;\n}"}}},
		{msg: "Tweak the entry code", class: "unsupported", hazards: "asm", purpose: "other", files: map[string]string{"arch/entry.S": "cli\nhlt\n"}},
		{msg: "Boot faster", class: "unsupported", purpose: "perf", files: map[string]string{"boot/start.c": "int start(void) { return 1; }\n"}},
		{msg: "Use sti too", class: "unsupported", hazards: "asm", purpose: "fix", subs: []sub{{"include/x86.h", `__asm__ volatile("cli");`, `__asm__ volatile("cli; nop");`}}},
		{msg: "Raise MAXFILE", class: "interface", hazards: "header-inline", purpose: "other", subs: []sub{{"include/fs.h", "#define MAXFILE 10", "#define MAXFILE 20"}}},
		{msg: "Define MAXNAME", class: "code", purpose: "feature", subs: []sub{{"include/fs.h", "#define MAXFILE 20", "#define MAXFILE 20\n#define MAXNAME 14"}}},
		{msg: "Number the open system call", class: "interface", hazards: "syscall-abi", purpose: "feature", subs: []sub{{"include/fs.h", "#define MAXNAME 14", "#define MAXNAME 14\n#define SYS_open 1"}}},
		{msg: "Speed up min with a branch", class: "code", hazards: "header-inline", purpose: "perf", subs: []sub{{"include/x86.h", "return a < b ? a : b;", "if (a < b) return a; return b;"}}},
		{msg: "File_read takes a long", class: "interface", purpose: "other", subs: []sub{
			{"fs/file.c", "int File_read(FileRef self, int n)", "int File_read(FileRef self, long n)"},
			{"include/obj.h", "int File_read(FileRef self, int n);", "int File_read(FileRef self, long n);"}}},
		{msg: "File_close takes a long", class: "interface", why: "object method", purpose: "other", subs: []sub{
			{"fs/file.c", "int File_close(FileRef self, int how)", "int File_close(FileRef self, long how)"}}},
		{msg: "Add the tmp file system", class: "code", purpose: "feature", files: map[string]string{"fs/tmp.c": "int tmp_read(int n)\n{\n\treturn n;\n}\n"}},
		{msg: "Build with -O2", class: "none", hazards: "build-only", purpose: "perf", files: map[string]string{"Makefile": "CFLAGS=-O2\nall:\n"}},
		{msg: "Test more", class: "none", purpose: "cleanup", files: map[string]string{"tests/t.c": "int t(void) { return 1; }\n"}},
		{msg: "Check in a binary by mistake", class: "unsupported", purpose: "other", files: map[string]string{"fs/blob.c": "\x7fELF\x00\x00\x01binary"}},
		{msg: "side: tmp reads twice", class: "code", purpose: "fix", branch: true, files: map[string]string{"fs/tmp.c": "int tmp_read(int n)\n{\n\treturn 2 * n;\n}\n"}},
		{msg: "Merge the side branch", merge: true},
		{msg: "Remove the tmp file system", class: "code", purpose: "cleanup", files: map[string]string{"fs/tmp.c": ""}},
	}
}

const objH = `typedef unsigned long ref_t;
typedef ref_t FileRef;
struct File {
	int pos;
};
int File_read(FileRef self, int n);
`

const fileC = `#include "obj.h"

int File_read(FileRef self, int n)
{
	return n;
}

int File_close(FileRef self, int how)
{
	return how;
}
`

const lonelyH = `struct lonely {
	int a;
};
`

const lonelyC = `#include "lonely.h"

int lonely_get(struct lonely *l)
{
	return l->a;
}
`

// applySteps builds the fixture repository; it returns the sha per message.
func applySteps(t testing.TB, dir string, steps []step) map[string]plumbing.Hash {
	t.Helper()
	g, err := gittest.Init(dir)
	if err != nil {
		t.Fatal(err)
	}
	shas := map[string]plumbing.Hash{}
	var branchPoint, sideTip plumbing.Hash
	current := map[string]string{}
	for _, s := range steps {
		files := map[string][]byte{}
		for _, r := range s.subs {
			if !strings.Contains(current[r.path], r.old) {
				t.Fatalf("%s: %s does not contain %q", s.msg, r.path, r.old)
			}
			current[r.path] = strings.Replace(current[r.path], r.old, r.new, 1)
			files[r.path] = []byte(current[r.path])
		}
		for p, c := range s.files {
			if c == "" {
				files[p] = nil
			} else {
				files[p] = []byte(c)
			}
			if !s.branch {
				current[p] = c
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
			changes = append(changes, string(ch.Class)+" "+ch.File+" "+ch.Entity+" "+ch.Name+" "+ch.Change+": "+ch.Reason)
		}
		if step.merge != c.Merge || (!step.merge && c.Class != step.class) {
			t.Errorf("%q: class %s, want %s (%s)\n\t%s", step.msg, c.Class, step.class, c.Reason, strings.Join(changes, "\n\t"))
		}
		if got := strings.Join(c.Hazards, ","); !step.merge && got != step.hazards {
			t.Errorf("%q: hazards %q, want %q\n\t%s", step.msg, got, step.hazards, strings.Join(changes, "\n\t"))
		}
		if !strings.Contains(c.Reason, step.why) {
			t.Errorf("%q: reason %q does not say %q", step.msg, c.Reason, step.why)
		}
		// "other" here means the rules find nothing in the message or the
		// diff; the purpose model's guess then stands in for it.
		guessed := step.purpose == "other" && strings.Contains(c.PurposeReason, "; purpose model of ")
		if !step.merge && c.Purpose != step.purpose && !guessed {
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
