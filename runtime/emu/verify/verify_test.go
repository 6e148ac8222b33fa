package verify

import (
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/upsynth/upsynth/runtime"

	"github.com/upsynth/upsynth/runtime/plan"
)

// TestDependsOnlyOnRuntime: the harness, and so every emitted package that
// verifies itself with it, depends on nothing of upsynth but runtime (with
// runtime/cputime, which times its pauses), runtime/emu (with the target's
// ABI, runtime/emu/abi) and runtime/plan (transitively).
func TestDependsOnlyOnRuntime(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command")
	}
	out, err := exec.Command("go", "list", "-deps", ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	const mod = "github.com/upsynth/upsynth"
	seen := 0
	for _, dep := range strings.Fields(string(out)) {
		if !strings.HasPrefix(dep, mod+"/") {
			continue
		}
		seen++
		switch dep {
		case mod + "/runtime", mod + "/runtime/cputime", mod + "/runtime/emu", mod + "/runtime/emu/abi", mod + "/runtime/plan", mod + "/runtime/emu/verify":
		default:
			t.Errorf("the harness depends on %s", dep)
		}
	}
	if seen != 6 {
		t.Errorf("%d upsynth packages in the harness's dependencies, want runtime, runtime/cputime, runtime/emu, runtime/emu/abi, runtime/plan and itself:\n%s", seen, out)
	}
}

func writeFile(t *testing.T, path, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestTrees: the new tree is the old one with the new sources laid over it
// and the deleted paths gone.
func TestTrees(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, plan.OldTreeDir, "kernel/a.c"), "old a")
	writeFile(t, filepath.Join(dir, plan.OldTreeDir, "kernel/b.c"), "old b")
	writeFile(t, filepath.Join(dir, plan.OldTreeDir, "kernel/gone.c"), "gone")
	writeFile(t, filepath.Join(dir, plan.NewSourcesDir, "kernel/a.c"), "new a")
	writeFile(t, filepath.Join(dir, plan.NewSourcesDir, "kernel/added.c"), "added")
	old, nw, err := Trees(dir, &plan.Plan{Deleted: []string{"kernel/gone.c"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		tree fs.FS
		path string
		want string // "" means absent
	}{
		{old, "kernel/a.c", "old a"}, {old, "kernel/gone.c", "gone"}, {old, "kernel/added.c", ""},
		{nw, "kernel/a.c", "new a"}, {nw, "kernel/b.c", "old b"}, {nw, "kernel/added.c", "added"}, {nw, "kernel/gone.c", ""},
	} {
		b, err := fs.ReadFile(c.tree, c.path)
		switch {
		case c.want == "" && !errors.Is(err, fs.ErrNotExist):
			t.Errorf("%s: %q, %v; want it absent", c.path, b, err)
		case c.want != "" && string(b) != c.want:
			t.Errorf("%s: %q, %v; want %q", c.path, b, err, c.want)
		}
	}
}

// TestInject: the fault fails exactly the k-th transfer over all types
// (the others run the update's own transfer), and After before the
// update's own After runs.
func TestInject(t *testing.T) {
	var calls []string
	tr := func(name string) runtime.TransferFunc {
		return func(old, new runtime.State) error { calls = append(calls, name); return nil }
	}
	ownAfter := false
	u := &runtime.Update{Types: []runtime.TypeUpdate{{Name: "A", Transfer: tr("A")}, {Name: "B", Transfer: tr("B")}},
		After: func(*runtime.Env) error { ownAfter = true; return nil }}
	fired, late := inject(u, &Fault{Transfer: 3, After: true})
	l := &runtime.Layout{Name: "A", Size: 8}
	st := func() runtime.State { return runtime.NewState(l, make([]byte, 8)) }
	var errs []error
	for _, i := range []int{0, 1, 0, 1} {
		errs = append(errs, u.Types[i].Transfer(st(), st()))
	}
	if strings.Join(calls, "") != "ABB" || errs[0] != nil || errs[1] != nil || !errors.Is(errs[2], ErrInjected) || errs[3] != nil {
		t.Errorf("transfers ran %q with errors %v; want A, B, the third failing, then B", calls, errs)
	}
	if !*fired {
		t.Error("the transfer fault did not report it fired")
	}
	if err := u.After(nil); !errors.Is(err, ErrInjected) || ownAfter {
		t.Errorf("After: %v (own After ran: %v)", err, ownAfter)
	}
	if *late {
		t.Error("the transfer fault fired in time, not late")
	}
	if f, _ := inject(&runtime.Update{}, nil); *f {
		t.Error("no fault: none fired")
	}
	// Fewer instances than the fault counts: After fails instead.
	u = &runtime.Update{Types: []runtime.TypeUpdate{{Name: "A"}}}
	fired, late = inject(u, &Fault{Transfer: 5})
	if err := u.Types[0].Transfer(st(), st()); err != nil {
		t.Fatal(err)
	}
	if err := u.After(nil); !errors.Is(err, ErrInjected) || !*fired || !*late {
		t.Errorf("After with the transfer fault unfired: %v (fired %v, late %v)", err, *fired, *late)
	}
}
