package synth

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/upsynth/upsynth/kernel"
	"github.com/upsynth/upsynth/runtime"
)

// TestReemitKeepsOldHooks: a package emitted before the undo hooks existed
// has a hooks.go (edited by a person) without undoBefore and undoT. Emitting
// it again keeps that hooks.go as it is and writes the fresh one beside it
// as hooks.go.new, which has the undo hooks to merge; once the person has
// added them, emitting again is quiet and removes hooks.go.new.
func TestReemitKeepsOldHooks(t *testing.T) {
	old, new := itemsTrees(t)
	p, err := MakePlan(Input{Name: "count adds", Old: kernel.TreeOf(old, "old", kernel.Config{Include: []string{"include"}}), New: kernel.TreeOf(new, "new", kernel.Config{Include: []string{"include"}}), Changes: ChangeSet{Class: "state"}, Mode: runtime.Lazy})
	if err != nil {
		t.Fatal(err)
	}
	files, err := Generate(p)
	if err != nil {
		t.Fatal(err)
	}
	fresh := files["hooks.go"]
	for _, hook := range []string{"func undoBefore(env *runtime.Env) error", "func undoItem(new, old runtime.State) error"} {
		if !bytes.Contains(fresh, []byte(hook)) {
			t.Fatalf("the generated hooks.go lacks %s:\n%s", hook, fresh)
		}
	}
	dir := filepath.Join(t.TempDir(), "pkg")
	out := Output{Dir: dir, Plan: p, Files: files, Old: kernel.TreeOf(old, "old", kernel.Config{}), New: kernel.TreeOf(new, "new", kernel.Config{}), SrcRoot: ".."}
	if _, err := Write(out); err != nil {
		t.Fatal(err)
	}
	// The hooks.go of the older generator, a person's edit in before.
	undoFunc := regexp.MustCompile(`(?s)\n(// [^\n]*\n)*func undo\w+\([^)]*\) error \{\n\treturn nil\n\}\n`)
	oldHooks := undoFunc.ReplaceAll(fresh, nil)
	oldHooks = bytes.Replace(oldHooks, []byte("func before(env *runtime.Env) error {\n\treturn nil"),
		[]byte("func before(env *runtime.Env) error {\n\t_ = env.OTT() // a person's work\n\treturn nil"), 1)
	if bytes.Contains(oldHooks, []byte("func undo")) || !bytes.Contains(oldHooks, []byte("a person's work")) {
		t.Fatalf("could not make the old hooks.go:\n%s", oldHooks)
	}
	path := filepath.Join(dir, "hooks.go")
	if err := os.WriteFile(path, oldHooks, 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := Write(out)
	if err != nil {
		t.Fatal(err)
	}
	kept, _ := os.ReadFile(path)
	next, _ := os.ReadFile(path + ".new")
	if !res.KeptHooks || !res.HooksStale || !bytes.Equal(kept, oldHooks) || !bytes.Equal(next, fresh) {
		t.Fatalf("emit again: kept %v, stale %v, hooks.go kept as it was %v, hooks.go.new the fresh hooks %v",
			res.KeptHooks, res.HooksStale, bytes.Equal(kept, oldHooks), bytes.Equal(next, fresh))
	}
	// The person merges the undo hooks (a real undo in one of them).
	merged := append(append([]byte(nil), oldHooks...), []byte("\nfunc undoBefore(env *runtime.Env) error {\n\treturn nil\n}\n\nfunc undoItem(new, old runtime.State) error {\n\treturn nil\n}\n")...)
	if err := os.WriteFile(path, merged, 0o644); err != nil {
		t.Fatal(err)
	}
	if res, err = Write(out); err != nil {
		t.Fatal(err)
	}
	kept, _ = os.ReadFile(path)
	if _, err := os.Stat(path + ".new"); !res.KeptHooks || res.HooksStale || !bytes.Equal(kept, merged) || err == nil {
		t.Errorf("after the merge: kept %v, stale %v, hooks.go kept %v, hooks.go.new still there: %v",
			res.KeptHooks, res.HooksStale, bytes.Equal(kept, merged), err == nil)
	}
	if !strings.Contains(string(files["transfer.go"]), "return undoItem(new, old)") {
		t.Errorf("the reverse transfer does not call undoItem:\n%s", files["transfer.go"])
	}
}
