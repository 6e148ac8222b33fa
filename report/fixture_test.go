package report

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/upsynth/upsynth/analyze/classify"
	"github.com/upsynth/upsynth/analyze/store"
)

// ch builds a change; hazards after the reason.
func ch(file, entity, name, change, class, reason string, hazards ...string) store.Change {
	list := []classify.Hazard{}
	for _, h := range hazards {
		list = append(list, classify.Hazard(h))
	}
	return store.Change{File: file, Entity: entity, Name: name, Change: change, Class: classify.Class(class), Reason: reason,
		Hazards: list, Engine: "precise"}
}

// commit builds a classified commit whose class and hazards follow from its
// changes, as the analyzer derives them.
func commit(n int, date, purpose, subject string, changes ...store.Change) *store.Commit {
	c := &store.Commit{
		Sha:        fmt.Sprintf("%02x%038x", n, n*7919),
		Author:     "Dev <dev@example.org>",
		AuthorTime: must(time.Parse(time.DateOnly, date)),
		Subject:    subject, Message: subject + "\n",
		Purpose: purpose, PurposeReason: "fixture",
		Class: "none", Hazards: []string{}, Reason: "no compiled source entity changed",
		Changes: changes,
	}
	if c.Changes == nil {
		c.Changes = []store.Change{}
	}
	var strongest *store.Change
	for i := range changes {
		x := &changes[i]
		if strongest == nil || classRank(string(x.Class)) > classRank(string(strongest.Class)) {
			strongest = x
		}
		for _, h := range x.Hazards {
			if !slices.Contains(c.Hazards, string(h)) {
				c.Hazards = append(c.Hazards, string(h))
			}
		}
	}
	if strongest != nil {
		c.Class = string(strongest.Class)
		c.Reason = fmt.Sprintf("%s %s %s in %s: %s", strongest.Entity, strongest.Name, strongest.Change, strongest.File, strongest.Reason)
	}
	slices.Sort(c.Hazards)
	return c
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// fixtureCommits is a small history whose table is derived by hand in
// TestFixtureNumbers.
func fixtureCommits() []*store.Commit {
	const body = "function body changed"
	cs := []*store.Commit{
		commit(1, "2021-01-10", "fix", "fix: leak in vfs_open", ch("kernel/fs/vfs.c", "function", "vfs_open", "body", "code", body)),
		commit(2, "2021-02-11", "fix", "Fix race in run queue", ch("kernel/sched.c", "type", "runq", "layout", "state", "type defined in a module changed layout: its instances need state transfer")),
		commit(3, "2021-03-12", "fix", "fix: wrong size in struct inode", ch("include/fs.h", "type", "inode", "layout", "interface", "header type used by several modules changed layout")),
		commit(4, "2021-04-13", "perf", "perf: faster lookup", ch("kernel/fs/namei.c", "function", "lookup", "body", "code", body)),
		commit(5, "2021-05-14", "feature", "Add pipe support", ch("kernel/fs/pipe.c", "function", "pipe_read", "added", "code", "function added")),
		commit(6, "2021-06-15", "cleanup", "docs: typo"),
		commit(7, "2021-07-16", "fix", "fix boot crash", ch("boot/start.c", "function", "start", "body", "unsupported", "in a non-updatable path: boot code; function body changed")),
		commit(8, "2022-01-10", "perf", "perf: bigger pool", ch("kernel/mm/alloc.c", "global", "pool_size", "init", "state", "static global initializer changed", "global-data")),
		commit(9, "2022-02-11", "fix", "fix list poisoning", ch("include/list.h", "macro", "LIST_POISON", "changed", "interface", "macro in a header changed", "header-inline")),
		commit(10, "2022-03-12", "fix", "fix: missing unlock in schedule", ch("kernel/sched.c", "function", "schedule", "body", "code", body)),
		commit(11, "2022-04-13", "perf", "perf: shorter syscall entry", ch("arch/entry.S", "asm", "entry.S", "changed", "unsupported", "assembly file changed; assembly", "asm")),
		commit(12, "2022-05-14", "feature", "vfs: add offsets to read",
			ch("kernel/fs/vfs.c", "function", "vfs_read", "signature", "interface", "exported function's signature changed and other modules call it"),
			ch("include/fs.h", "type", "file", "layout", "interface", "header type used by several modules changed layout")),
		commit(13, "2022-06-15", "other", "Update Makefile"),
		commit(14, "2022-07-16", "fix", "fix: double free in kalloc", ch("kernel/mm/alloc.c", "function", "kalloc", "body", "code", body)),
		commit(15, "2023-01-10", "fix", "fix mm_init ordering", ch("kernel/mm/alloc.c", "function", "mm_init", "body", "unsupported", "init function: it has already run on a live system", "init")),
		commit(16, "2023-02-11", "perf", "perf: cache next task", ch("kernel/sched.c", "function", "pick_next", "body", "code", body)),
		commit(17, "2023-03-12", "cleanup", "refactor: rename helper", ch("kernel/fs/vfs.c", "function", "vfs_helper", "signature", "code", "static function's signature changed: all its callers are in the same module")),
		commit(18, "2023-04-13", "fix", "fix lookup counter", ch("kernel/fs/namei.c", "function", "lookup", "body", "state", "static local variables changed: their values must be transferred", "static-local")),
		commit(19, "2023-05-14", "fix", "fix: inode refcount overflow", ch("include/fs.h", "type", "inode", "layout", "interface", "header type used by several modules changed layout")),
		commit(20, "2023-06-15", "perf", "perf: batch vfs ops", ch("kernel/fs/vfs.c", "global", "vfs_ops", "init", "state", "ops table initializer changed", "global-data", "ops-table")),
		commit(21, "2023-07-16", "other", "Misc", ch("kernel/misc.c", "function", "misc", "body", "code", body)),
		commit(23, "2023-09-18", "fix", "fix: blob", ch("kernel/blob.c", "file", "blob.c", "changed", "unsupported", "could not be analyzed: binary content")),
		commit(24, "2024-02-01", "feature", "Add pool statistics", ch("kernel/mm/alloc.c", "type", "pool", "layout", "state", "type defined in a module changed layout: its instances need state transfer")),
	}
	merge := commit(22, "2023-08-17", "", "Merge branch 'mm'")
	merge.Merge, merge.Class, merge.Reason = true, "", ""
	merge.Parents = []string{cs[19].Sha, cs[20].Sha}
	cs = slices.Insert(cs, 21, merge)
	for i := 1; i < len(cs); i++ {
		cs[i].Parent = cs[i-1].Sha
		if len(cs[i].Parents) == 0 {
			cs[i].Parents = []string{cs[i].Parent}
		}
	}
	cs[0].Parents = []string{}
	return cs
}

// writeDB writes commits into a new analysis database through the store
// API, as `upsynth analyze` does.
func writeDB(t testing.TB, path, repo string, cs []*store.Commit) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	id, err := st.Repo(ctx, repo)
	if err != nil {
		t.Fatal(err)
	}
	run, err := st.StartRun(ctx, id, "fixture")
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Write(ctx, &store.Batch{Repo: id, Run: run, Commits: cs}); err != nil {
		t.Fatal(err)
	}
	if err := st.FinishRun(run, store.RunStats{Commits: len(cs)}, nil); err != nil {
		t.Fatal(err)
	}
}

// fixtureDB writes the fixture history into a database named name.db.
func fixtureDB(t testing.TB, name string, cs []*store.Commit) string {
	path := filepath.Join(t.TempDir(), name+".db")
	writeDB(t, path, "/src/"+name, cs)
	return path
}

var (
	files    = []string{"kernel/sched.c", "kernel/fs/vfs.c", "kernel/mm/alloc.c", "include/fs.h", "include/list.h", "boot/start.c", "arch/entry.S", "drivers/net/e1000.c"}
	entities = []string{"function", "type", "global", "macro"}
)

// randomCommits is a random but well-formed history for property tests and
// benchmarks.
func randomCommits(rng *rand.Rand, n int) []*store.Commit {
	start := must(time.Parse(time.DateOnly, "2010-01-01"))
	out := make([]*store.Commit, 0, n)
	for i := 0; i < n; i++ {
		var changes []store.Change
		for range rng.IntN(4) {
			class := Classes[1+rng.IntN(len(Classes)-1)]
			var hz []string
			if rng.IntN(4) == 0 {
				hz = []string{Hazards[rng.IntN(len(Hazards))]}
			}
			changes = append(changes, ch(files[rng.IntN(len(files))], entities[rng.IntN(len(entities))],
				fmt.Sprintf("e%d", rng.IntN(30)), "body", class, fmt.Sprintf("reason %d; detail %d", rng.IntN(5), i), hz...))
		}
		date := start.Add(time.Duration(i) * 14 * time.Hour).Format(time.DateOnly)
		c := commit(i, date, Purposes[rng.IntN(len(Purposes))], fmt.Sprintf("change %d", i), changes...)
		c.Sha = fmt.Sprintf("%040x", uint64(i)*0x9e3779b97f4a7c15+1)
		if rng.IntN(40) == 0 {
			c.Merge, c.Class, c.Purpose = true, "", ""
		}
		out = append(out, c)
	}
	return out
}
