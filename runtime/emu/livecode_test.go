package emu

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"

	upd "github.com/upsynth/upsynth/runtime"
)

const fileV2 = `#include <fs.h>
static long reads; /* new state, allocated in the running machine */
long File_read(FileRef self, char *buf, long n)
{
	struct File *st = DREF(File, self);
	reads++;
	if (n > st->len)
		n = st->len;
	for (long i = 0; i < n; i++)
		buf[i] = st->data[st->len - 1 - i]; /* v2 reads backwards */
	return n + 1000 * reads;
}
long kernel_selfcheck(void) { return 42; }
`

func TestLoadCodeIntoRunningMachine(t *testing.T) {
	m, _ := bootKernel(t, 2, 9)
	w, err := ParseWorkload("a.wl", []byte("fd = sys 1 \"/f\" -> 0\nsys 2 $fd \"abc\" 3 -> 3\nsys 3 $fd buf:8 8 -> 3 buf \"abc\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	if res, err := m.RunWorkload(w); err != nil || res.Failures != 0 {
		t.Fatalf("%v %+v", err, res)
	}
	src := fstest.MapFS{"include/fs.h": {Data: mustRead(t, "testdata/kernel/include/fs.h")}, "v2.c": {Data: []byte(fileV2)}}
	cu, err := m.LoadCode(src, []string{"v2.c"}, LoadOptions{IncludePaths: []string{"include"}})
	if err != nil {
		t.Fatal(err)
	}
	if cu.Methods["File"]["read"] == nil || cu.Funcs["kernel_selfcheck"] == nil {
		t.Fatalf("loaded %+v", cu)
	}
	// Installing a type version changes nothing until an instance moves.
	if err := m.SetTypeVersion("File", 2, cu.Methods["File"]); err != nil {
		t.Fatal(err)
	}
	read := func(want string) {
		t.Helper()
		w, _ := ParseWorkload("r.wl", []byte("sys 3 0 buf:8 8 -> "+want+"\n"))
		res, err := m.RunWorkload(w)
		if err != nil || res.Failures != 0 {
			t.Fatalf("%v %+v", err, res.Requests)
		}
	}
	read("3 buf \"abc\"")
	ref := m.OTT().Factory("File").Instances()[0]
	e, _ := m.OTT().Get(ref)
	e.Version = 2
	read("1003 buf \"cba\"")
	if cu.Methods["File"]["read"].version != 2 {
		t.Error("the new implementation does not know its version")
	}
	read("2003 buf \"cba\"")
	if got := m.OTT().CountByVersion("File"); got[2] != 1 {
		t.Errorf("versions %v", got)
	}
	// A plain function swapped on the machine runs for every caller.
	if v, _ := m.Call("kernel_selfcheck"); v != 0 {
		t.Fatalf("selfcheck before the swap: %d", v)
	}
	old, err := m.ReplaceFunction("kernel_selfcheck", cu.Funcs["kernel_selfcheck"])
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := m.Call("kernel_selfcheck"); v != 42 {
		t.Errorf("selfcheck after the swap: %d", v)
	}
	if _, err := m.ReplaceFunction("kernel_selfcheck", old); err != nil {
		t.Fatal(err)
	}
	if v, _ := m.Call("kernel_selfcheck"); v != 0 {
		t.Errorf("selfcheck after rollback: %d", v)
	}
	if _, err := m.ReplaceFunction("File_read", cu.Methods["File"]["read"]); err == nil || !strings.Contains(err.Error(), "SetTypeVersion") {
		t.Errorf("replacing a method as a function: %v", err)
	}
	// Bad code does not load and changes nothing.
	_, err = m.LoadCode(fstest.MapFS{"bad.c": {Data: []byte("long f(void){ return nosuch(); }")}}, []string{"bad.c"}, LoadOptions{})
	if err == nil || !strings.Contains(err.Error(), "undefined reference to nosuch") {
		t.Errorf("bad code: %v", err)
	}
	// Lazy update: a stale instance is converted on its next method call.
	e.Version = 1
	e.Stale = true
	converted := 0
	m.SetStaleHook(func(r upd.Ref) error {
		e, _ := m.OTT().Get(r)
		e.Version, e.Stale = 2, false
		converted++
		return nil
	})
	read("3003 buf \"cba\"")
	if converted != 1 {
		t.Errorf("stale hook ran %d times", converted)
	}
	e.Stale = true
	m.SetStaleHook(func(r upd.Ref) error { return errors.New("no transfer") })
	w2, _ := ParseWorkload("r.wl", []byte("sys 3 0 buf:8 8\n"))
	if _, err := m.RunWorkload(w2); err == nil || !strings.Contains(err.Error(), "no transfer") {
		t.Errorf("failing transfer: %v", err)
	}
}

// TestHostTasksRunBetweenSlices posts a host task during a multi-CPU run: it
// must run while requests are in flight, with the CPUs stopped.
func TestHostTasksRunBetweenSlices(t *testing.T) {
	m, _ := bootKernel(t, 3, 4)
	var sawStacks, sawMethod int
	var post func()
	posts := 0
	post = func() {
		for _, st := range m.Stacks() {
			if len(st) > 0 {
				sawStacks++
			}
			for _, fr := range st {
				if fr.Version == 1 && (fr.Func == "Counter_add" || fr.Func == "File_write") && strings.Contains(fr.Pos, ".c:") {
					sawMethod++
				}
			}
		}
		if posts++; posts < 50 {
			m.Post(post)
		}
	}
	m.Post(post)
	res, err := m.RunWorkload(readWorkload(t, "basic.wl"))
	if err != nil || res.Failures != 0 {
		t.Fatal(err, res.Failures)
	}
	if posts < 2 || sawStacks == 0 || sawMethod == 0 {
		t.Errorf("host task ran %d times, saw %d busy stacks, %d method frames", posts, sawStacks, sawMethod)
	}
}

func mustRead(t *testing.T, name string) []byte {
	t.Helper()
	b, err := fsReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestPostRepeat waits, as a host task, until no CPU is inside File_write.
func TestPostRepeat(t *testing.T) {
	m, _ := bootKernel(t, 3, 11)
	runs, quiet := 0, 0
	m.PostRepeat(func() bool {
		runs++
		if !m.ExecutingFunction("File_write") && !m.ExecutingFunction("Counter_add") {
			quiet++
		}
		return runs >= 30
	})
	res, err := m.RunWorkload(readWorkload(t, "basic.wl"))
	if err != nil || res.Failures != 0 {
		t.Fatal(err)
	}
	if runs < 2 || quiet == runs {
		t.Errorf("task ran %d times, %d of them with no CPU in the methods", runs, quiet)
	}
}
