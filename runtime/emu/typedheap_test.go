package emu

import (
	"strings"
	"testing"
	"testing/fstest"

	upd "github.com/upsynth/upsynth/runtime"
)

const sitesKernel = `#include <kernel.h>
struct node { long key; struct node *next; };
struct pair { long a, b; };
union cell { long n; struct node *p; };
struct holder { union cell c; long hidden; struct node *ptr; };
void *blocks[8];
static struct node *make(void) { return kalloc(sizeof(struct node)); }
static void *my_alloc(unsigned long n) { return kalloc(n); }
struct holder h;
void kernel_boot(void) {
	blocks[0] = (struct node *)kalloc(sizeof(struct node));    /* cast */
	struct node *p = kalloc(sizeof *p);                        /* initializer */
	blocks[1] = p;
	blocks[2] = kalloc(4 * sizeof(struct pair));               /* n * sizeof(T): an array */
	blocks[3] = make();                                        /* return */
	blocks[4] = kalloc(sizeof(struct node) + 32);              /* T and untyped bytes */
	blocks[5] = kalloc(64);                                    /* nothing says */
	blocks[6] = my_alloc(sizeof(struct pair));                 /* sizeof through a wrapper the machine does not know */
	p->next = (struct node *)blocks[0];
	h.c.p = p;
	h.hidden = (long)blocks[3];
	h.ptr = p;
}
long kernel_syscall(long nr, long a0, long a1, long a2, long a3, long a4, long a5) { return 0; }
`

// TestAllocationSites: a heap block's type comes from its allocation site
// — the conversion of the result, else the sizeof of the size.
func TestAllocationSites(t *testing.T) {
	tree := fstest.MapFS{"k.c": {Data: []byte(sitesKernel)}}
	img, err := Load(tree, []string{"k.c"}, LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	m, err := NewMachine(img, MachineConfig{})
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Boot(); err != nil {
		t.Fatal(err)
	}
	tg, _ := NewTarget(m, tree)
	base, _ := tg.Global("blocks")
	want := []string{"struct node", "struct node", "struct pair[4]", "struct node", "struct node + 32 bytes", "", ""}
	var addrs []uint64
	for i, w := range want {
		b, _ := m.Read(base+uint64(8*i), 8)
		a := le64(b)
		addrs = append(addrs, a)
		if got := m.BlockType(a); got != w {
			t.Errorf("block %d: typed %q, want %q", i, got, w)
		}
	}
	ins, err := tg.HeapInstances("node")
	if err == nil || !strings.Contains(err.Error(), "has no type") {
		t.Errorf("instances of node: %v, %v; want a refusal for the untyped 64-byte block", ins, err)
	}
	// What the words say: h.c is a union of a number and a pointer, h.hidden
	// an integer, h.ptr and p->next pointers.
	kinds := map[string]upd.WordKind{}
	err = tg.HeapWords(func(w *upd.HeapWord) error {
		if w.Value == addrs[1] || w.Value == addrs[3] || w.Value == addrs[0] {
			kinds[w.Where()] = w.Kind
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for where, k := range map[string]upd.WordKind{
		"global h.c (union)": upd.UnknownWord,
		"global h.hidden":    upd.IntegerWord,
		"global h.ptr":       upd.PointerWord,
	} {
		if got, ok := kinds[where]; !ok || got != k {
			t.Errorf("%s: %v (seen %v), want %v", where, got, ok, k)
		}
	}
	var next bool
	for where, k := range kinds {
		if strings.HasSuffix(where, ".next") && k == upd.PointerWord {
			next = true
		}
	}
	if !next {
		t.Errorf("p->next not seen as a pointer: %v", kinds)
	}
}
