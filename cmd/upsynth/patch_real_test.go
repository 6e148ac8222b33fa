package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"testing"
)

// TestCheckMatchesAnalyzeFreeRTOS: on a real kernel, `upsynth check` of
// `git format-patch -1 C` on C's parent gives the class, purpose, hazards,
// reason and changes `upsynth analyze` recorded for C, and exits 1 exactly
// for the unsupported ones — for the last UPSYNTH_PATCH_COMMITS (default
// 20) first-parent commits of UPSYNTH_FREERTOS, a clone of
// FreeRTOS-Kernel. docs/real-kernels.md has the figures over more commits.
func TestCheckMatchesAnalyzeFreeRTOS(t *testing.T) {
	repo := os.Getenv("UPSYNTH_FREERTOS")
	if repo == "" {
		t.Skip("UPSYNTH_FREERTOS is not set: it names a clone of github.com/FreeRTOS/FreeRTOS-Kernel")
	}
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("needs git")
	}
	n := 20
	if s := os.Getenv("UPSYNTH_PATCH_COMMITS"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil {
			t.Fatalf("UPSYNTH_PATCH_COMMITS=%q: %v", s, err)
		}
	}
	dir := t.TempDir()
	db := filepath.Join(dir, "a.db")
	upsynth := func(args ...string) (int, []byte, string) {
		var out, errb bytes.Buffer
		code := run(context.Background(), args, streams{In: os.Stdin, Out: &out, Err: &errb})
		return code, out.Bytes(), errb.String()
	}
	if code, _, e := upsynth("analyze", repo, "--db", db, "--rev", "HEAD~"+strconv.Itoa(n)+"..HEAD", "--first-parent", "--quiet"); code != 0 {
		t.Fatalf("analyze: %s", e)
	}
	_, out, _ := upsynth("report", "commits", "--db", db, "--format", "json")
	type record struct {
		Sha, Class, Purpose, Reason string
		Merge                       bool
		Hazards                     []string
		Changes                     []map[string]any
	}
	var commits []record
	if err := json.Unmarshal(out, &commits); err != nil {
		t.Fatal(err)
	}
	compared := 0
	for _, c := range commits {
		if c.Merge {
			continue
		}
		p, err := exec.Command("git", "-C", repo, "format-patch", "-1", "--stdout", c.Sha).Output()
		if err != nil {
			t.Fatalf("git format-patch %s: %v", c.Sha, err)
		}
		file := filepath.Join(dir, c.Sha[:12]+".patch")
		if err := os.WriteFile(file, p, 0o644); err != nil {
			t.Fatal(err)
		}
		code, out, e := upsynth("check", file, "--repo", repo, "--base", c.Sha+"~1", "--db", db, "--format", "json")
		want := 0
		if c.Class == "unsupported" {
			want = 1
		}
		if code != want {
			t.Errorf("%s: check exited %d, want %d: %s", c.Sha[:12], code, want, e)
			continue
		}
		var rep struct{ Patches []record }
		if err := json.Unmarshal(out, &rep); err != nil || len(rep.Patches) != 1 {
			t.Fatalf("%s: %v %s", c.Sha[:12], err, out)
		}
		got := rep.Patches[0]
		got.Sha, got.Merge = c.Sha, c.Merge
		if !reflect.DeepEqual(got, c) {
			t.Errorf("%s: check says\n%+v\nanalyze recorded\n%+v", c.Sha[:12], got, c)
		}
		compared++
	}
	t.Logf("%d commits: check of each one's format-patch agrees with analyze", compared)
	if compared == 0 {
		t.Error("no commit compared")
	}
}
