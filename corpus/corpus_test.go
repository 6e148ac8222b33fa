package corpus

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing/object"
)

var update = flag.Bool("update", false, "rewrite golden files")

// TestHistoryWellFormed checks what the builder and the other tests rely on:
// dates move forward, every commit changes something, names the workloads
// that exist in its tree, and deletes only what exists.
func TestHistoryWellFormed(t *testing.T) {
	commits, err := History()
	if err != nil {
		t.Fatal(err)
	}
	if len(commits) < 80 {
		t.Errorf("history has %d commits, want at least 80", len(commits))
	}
	trees, err := Trees()
	if err != nil {
		t.Fatal(err)
	}
	authors := map[string]bool{}
	for i, c := range commits {
		authors[c.Author] = true
		if i > 0 && !c.Date.After(commits[i-1].Date) {
			t.Errorf("%s: date %v is not after %v", c.ID, c.Date, commits[i-1].Date)
		}
		if len(c.Files) == 0 && len(c.Deletions) == 0 {
			t.Errorf("%s: changes nothing", c.ID)
		}
		if len(c.Workloads) == 0 {
			t.Errorf("%s: names no workload", c.ID)
		}
		for _, w := range c.Workloads {
			if _, ok := trees[i][w]; !ok {
				t.Errorf("%s: workload %s is not in the tree", c.ID, w)
			}
		}
		if _, ok := trees[i][MixedWorkload]; !ok {
			t.Errorf("%s: no %s", c.ID, MixedWorkload)
		}
		if i > 0 {
			for p, data := range c.Files {
				if old, ok := trees[i-1][p]; ok && bytes.Equal(old, data) {
					t.Errorf("%s: stores %s unchanged", c.ID, p)
				}
			}
		}
		if strings.Contains(strings.ToLower(c.Message), "class:") {
			t.Errorf("%s: the message carries a label", c.ID)
		}
	}
	if len(authors) < 3 {
		t.Errorf("only %d authors", len(authors))
	}
}

// TestLabels checks labels.yaml against the history: one label per commit
// in the same order, every class and purpose used several times, and
// every change naming a file the commit touched.
func TestLabels(t *testing.T) {
	commits, err := History()
	if err != nil {
		t.Fatal(err)
	}
	labels, err := Labels()
	if err != nil {
		t.Fatal(err)
	}
	if len(labels) != len(commits) {
		t.Fatalf("%d labels for %d commits", len(labels), len(commits))
	}
	classes, purposes := map[string]int{}, map[string]int{}
	fixPerf := map[string]int{}
	for i, l := range labels {
		c := commits[i]
		if l.ID != c.ID {
			t.Fatalf("label %d is for %s, commit is %s", i+1, l.ID, c.ID)
		}
		classes[l.Class]++
		purposes[l.Purpose]++
		if l.Purpose == "fix" || l.Purpose == "perf" {
			fixPerf[l.Class]++
		}
		if l.Class == "none" && len(l.Changes) > 0 {
			t.Errorf("%s: class none with %d changes", l.ID, len(l.Changes))
		}
		if l.Class != "none" && len(l.Changes) == 0 {
			t.Errorf("%s: class %s without changes", l.ID, l.Class)
		}
		for _, ch := range l.Changes {
			if _, ok := c.Files[ch.File]; !ok && !contains(c.Deletions, ch.File) {
				t.Errorf("%s: change in %s, which the commit does not touch", l.ID, ch.File)
			}
		}
	}
	for _, k := range Classes {
		if classes[k] < 3 {
			t.Errorf("class %s used %d times, want several", k, classes[k])
		}
	}
	for _, k := range Purposes {
		if purposes[k] < 3 {
			t.Errorf("purpose %s used %d times, want several", k, purposes[k])
		}
	}
	// the K42 shape: among fixes and performance changes, roughly half
	// apply by code swap and state transfer, a good share needs interface
	// support, and some need a reboot
	total := 0
	for _, n := range fixPerf {
		total += n
	}
	share := func(classes ...string) float64 {
		n := 0
		for _, c := range classes {
			n += fixPerf[c]
		}
		return float64(n) / float64(total)
	}
	if s := share("none", "code", "state"); s < 0.4 || s > 0.7 {
		t.Errorf("fix+perf applicable by code/state: %.0f%%, want about half", 100*s)
	}
	if s := share("interface"); s < 0.15 {
		t.Errorf("fix+perf needing interfaces: %.0f%%, want a good share", 100*s)
	}
	if s := share("unsupported"); s < 0.05 {
		t.Errorf("fix+perf needing a reboot: %.0f%%, want some", 100*s)
	}
	t.Logf("fix+perf by class: %v (n=%d)", fixPerf, total)
}

// TestVendoredKernelHeader: the tip's include/kernel.h is the target ABI
// header of runtime/emu. (Older revisions keep the copy they were written
// against; when the machine's header grows, the history gets a commit that
// syncs the copy.)
func TestVendoredKernelHeader(t *testing.T) {
	want, err := os.ReadFile(filepath.Join("..", "runtime", "emu", "abi", "include", "kernel.h"))
	if err != nil {
		t.Fatal(err)
	}
	trees, err := Trees()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(trees[len(trees)-1]["include/kernel.h"], want) {
		t.Error("include/kernel.h at the tip differs from runtime/emu/abi/include/kernel.h: add a commit that syncs it")
	}
}

// TestTipSize: the kernel at the tip is as big as the corpus promises.
func TestTipSize(t *testing.T) {
	trees, err := Trees()
	if err != nil {
		t.Fatal(err)
	}
	tip := trees[len(trees)-1]
	lines, files := 0, 0
	types := map[string]bool{}
	objType := regexp.MustCompile(`(?m)^OBJECT_TYPE\((\w+)\)`)
	for _, p := range tip.Paths() {
		if !strings.HasSuffix(p, ".c") {
			continue
		}
		files++
		lines += bytes.Count(tip[p], []byte("\n"))
		for _, m := range objType.FindAllSubmatch(tip[p], -1) {
			types[string(m[1])] = true
		}
	}
	if lines < 2500 || files < 15 || len(types) < 8 {
		t.Errorf("tip: %d lines of C in %d files, %d object types; want >= 2500, 15, 8", lines, files, len(types))
	}
	if _, ok := tip["upsynth.yaml"]; !ok {
		t.Error("tip has no upsynth.yaml")
	}
	t.Logf("tip: %d lines of C in %d files, %d object types", lines, files, len(types))
}

// TestBuildDeterministic builds the history twice in memory and compares
// the hashes with the golden file: identical on every machine.
func TestBuildDeterministic(t *testing.T) {
	_, a, err := BuildMemory()
	if err != nil {
		t.Fatal(err)
	}
	_, b, err := BuildMemory()
	if err != nil {
		t.Fatal(err)
	}
	var got strings.Builder
	for i, c := range a.Commits {
		if b.Commits[i] != c {
			t.Fatalf("%s: %s then %s", c.ID, c.Hash, b.Commits[i].Hash)
		}
		fmt.Fprintf(&got, "%s %s\n", c.Hash, c.ID)
	}
	golden := filepath.Join("testdata", "hashes.golden")
	if *update {
		if err := os.WriteFile(golden, []byte(got.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if got.String() != string(want) {
		t.Errorf("hashes differ from %s (run with -update after an intended change):\n%s", golden, got.String())
	}
}

// TestBuildOnDisk materializes the repository and reads it back with go-git:
// the log has every commit, and the checked-out files are the tip tree.
func TestBuildOnDisk(t *testing.T) {
	dir := t.TempDir()
	built, err := Build(dir)
	if err != nil {
		t.Fatal(err)
	}
	repo, err := git.PlainOpen(dir)
	if err != nil {
		t.Fatal(err)
	}
	head, err := repo.Head()
	if err != nil {
		t.Fatal(err)
	}
	if head.Hash() != built.Head() || head.Name().Short() != Branch {
		t.Fatalf("HEAD is %s at %s, want %s at %s", head.Name(), head.Hash(), Branch, built.Head())
	}
	iter, err := repo.Log(&git.LogOptions{From: head.Hash()})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	if err := iter.ForEach(func(*object.Commit) error { n++; return nil }); err != nil {
		t.Fatal(err)
	}
	if n != len(built.Commits) {
		t.Errorf("log has %d commits, want %d", n, len(built.Commits))
	}
	trees, err := Trees()
	if err != nil {
		t.Fatal(err)
	}
	for p, want := range trees[len(trees)-1] {
		got, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(p)))
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s: checked-out file differs from the tip tree (%v)", p, err)
		}
	}
	if _, err := Build(dir); err == nil {
		t.Error("building into an existing repository succeeded")
	}
}

func TestWorkloads(t *testing.T) {
	commits, err := History()
	if err != nil {
		t.Fatal(err)
	}
	ws, err := Workloads(commits[len(commits)-1].ID)
	if err != nil || len(ws) == 0 || !bytes.Contains(ws[0].Src, []byte("sys ")) {
		t.Fatalf("Workloads(tip) = %d workloads, %v", len(ws), err)
	}
	if _, err := Workloads("9999-nope"); err == nil {
		t.Error("Workloads of an unknown commit succeeded")
	}
	tip, err := TreeAt(commits[len(commits)-1].ID)
	if err != nil {
		t.Fatal(err)
	}
	srcs := EmuSources(tip)
	for _, s := range srcs {
		if strings.HasPrefix(s, "arch/") || !strings.HasSuffix(s, ".c") {
			t.Errorf("EmuSources lists %s", s)
		}
	}
	if len(srcs) < 15 {
		t.Errorf("EmuSources lists %d files", len(srcs))
	}
}

func TestLoadHistoryErrors(t *testing.T) {
	for name, files := range map[string]map[string]string{
		"no author": {
			"h/0001-a/commit.yaml": "date: 2024-01-01T00:00:00Z\nmessage: x\n",
		},
		"bad number": {
			"h/0002-a/commit.yaml": "author: A <a@b>\ndate: 2024-01-01T00:00:00Z\nmessage: x\n",
		},
		"bad yaml": {
			"h/0001-a/commit.yaml": "author: [\n",
		},
	} {
		fsys := mapFS(files)
		if _, err := loadHistory(fsys, "h"); err == nil {
			t.Errorf("%s: loadHistory succeeded", name)
		}
	}
	if _, err := parseLabels([]byte("- {id: x, purpose: fix, class: maybe}\n")); err == nil {
		t.Error("parseLabels accepted an unknown class")
	}
	if _, err := parseLabels([]byte("- {id: x, purpose: fix, class: code, hazards: [smoke]}\n")); err == nil {
		t.Error("parseLabels accepted an unknown hazard")
	}
}

func mapFS(files map[string]string) fstest.MapFS {
	m := fstest.MapFS{}
	for p, s := range files {
		m[p] = &fstest.MapFile{Data: []byte(s)}
	}
	return m
}

// TestWorkloadStrings: the string a write or poke passes must hold at least
// the length it names, or the kernel reads past the end of the string the
// runner copied into emulated memory (a fault there, silent natively).
func TestWorkloadStrings(t *testing.T) {
	trees, err := Trees()
	if err != nil {
		t.Fatal(err)
	}
	commits, _ := History()
	strArg := regexp.MustCompile(`"((?:[^"\\]|\\.)*)" (\d+)\b`)
	for i, tree := range trees {
		for _, p := range tree.Paths() {
			if !strings.HasPrefix(p, "workloads/") {
				continue
			}
			for n, line := range strings.Split(string(tree[p]), "\n") {
				if !strings.Contains(line, "sys SYS_WRITE ") && !strings.Contains(line, "sys SYS_POKE ") {
					continue
				}
				for _, m := range strArg.FindAllStringSubmatch(line, -1) {
					s, err := strconv.Unquote(`"` + m[1] + `"`)
					if err != nil {
						t.Errorf("%s: %s:%d: bad string %q", commits[i].ID, p, n+1, m[1])
						continue
					}
					want, _ := strconv.Atoi(m[2])
					if len(s)+1 < want {
						t.Errorf("%s: %s:%d: %d-byte string passed with length %d", commits[i].ID, p, n+1, len(s), want)
					}
				}
			}
		}
	}
}

// FuzzParseLabels: bad labels files are errors, never crashes.
func FuzzParseLabels(f *testing.F) {
	raw, err := embedded.ReadFile("labels.yaml")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(raw[:2000])
	f.Add([]byte("- {id: x, purpose: fix, class: code, hazards: [asm]}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		labels, err := parseLabels(data)
		if err != nil {
			return
		}
		for _, l := range labels {
			if !contains(Classes, l.Class) || !contains(Purposes, l.Purpose) {
				t.Fatalf("accepted %+v", l)
			}
		}
	})
}

// FuzzLoadHistory: a malformed history entry is an error, never a crash.
func FuzzLoadHistory(f *testing.F) {
	f.Add([]byte("author: A <a@b>\ndate: 2024-01-01T00:00:00Z\nmessage: x\n"), []byte("int x;\n"))
	f.Add([]byte("author: [\n"), []byte{})
	f.Fuzz(func(t *testing.T, meta, file []byte) {
		fsys := fstest.MapFS{
			"h/0001-a/commit.yaml":     &fstest.MapFile{Data: meta},
			"h/0001-a/files/kernel.c":  &fstest.MapFile{Data: file},
			"h/0002-b/commit.yaml":     &fstest.MapFile{Data: meta},
			"h/0002-b/files/include/x": &fstest.MapFile{Data: file},
		}
		commits, err := loadHistory(fsys, "h")
		if err == nil && len(commits) != 2 {
			t.Fatalf("%d commits", len(commits))
		}
	})
}

func BenchmarkBuildMemory(b *testing.B) {
	for i := 0; i < b.N; i++ {
		if _, _, err := BuildMemory(); err != nil {
			b.Fatal(err)
		}
	}
}
