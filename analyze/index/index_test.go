package index

import (
	"testing"

	"github.com/upsynth/upsynth/cparse"
)

func TestIncrementalIndex(t *testing.T) {
	callerOf := func(fn string) *cparse.Summary {
		return &cparse.Summary{Functions: []cparse.Function{{Name: "user", Definition: true, Calls: []string{fn},
			Members: []cparse.MemberRef{{Struct: "inode", Member: "size"}}}}}
	}
	x := New()
	x.Set("fs/vfs.c", FactsOf("fs/vfs.c", &cparse.Summary{Functions: []cparse.Function{{Name: "vfs_read", Definition: true, Signature: "int (struct inode *)"}}}))
	x.Set("fs/pipe.c", FactsOf("fs/pipe.c", callerOf("vfs_read")))
	x.Set("include/fs.h", FactsOf("include/fs.h", &cparse.Summary{Types: []cparse.Type{{Kind: cparse.KindStruct, Name: "file_ops",
		Members: []cparse.Member{{Name: "read", Type: "int (*)(int)"}}}}}))
	o := Overlay{Base: x}
	if !o.CalledOutside("vfs_read", "fs/vfs.c") || o.CalledOutside("vfs_read", "fs/pipe.c") {
		t.Error("callers")
	}
	if n := o.TypeModules("inode"); n != 2 {
		t.Errorf("inode used by %d modules, want 2", n)
	}
	if !o.IsOpsTable("file_ops") || o.IsOpsTable("inode") {
		t.Error("ops tables")
	}
	// The caller goes away: the index forgets it, headers never count as modules.
	x.Set("fs/pipe.c", nil)
	if o.CalledOutside("vfs_read", "fs/vfs.c") {
		t.Error("removed caller still counted")
	}
	if n := o.TypeModules("inode"); n != 1 {
		t.Errorf("inode used by %d modules after removal, want 1", n)
	}
	// A commit adding a caller: the overlay sees it before the index does.
	o.Changed = map[string]*FileFacts{"fs/new.c": FactsOf("fs/new.c", callerOf("vfs_read"))}
	if !o.CalledOutside("vfs_read", "fs/vfs.c") || o.TypeModules("inode") != 2 {
		t.Error("overlay")
	}
	// A module that names the type only through a typedef uses it too.
	x.Set("include/vcpu.h", FactsOf("include/vcpu.h", &cparse.Summary{Typedefs: []cparse.Typedef{{Name: "vcpu_t", Type: "struct vcpu"}}}))
	x.Set("arch/vcpu.c", FactsOf("arch/vcpu.c", &cparse.Summary{Functions: []cparse.Function{{Name: "vcpu_init", Signature: "void (vcpu_t *)"}}}))
	x.Set("arch/gic.c", FactsOf("arch/gic.c", &cparse.Summary{Globals: []cparse.Global{{Name: "cur", Type: "vcpu_t *"}}}))
	if n := o.TypeModules("vcpu"); n != 2 {
		t.Errorf("vcpu used by %d modules through its typedef, want 2", n)
	}
	x.Set("include/vcpu.h", nil)
	x.Set("arch/vcpu.c", nil)
	x.Set("arch/gic.c", nil)
	x.Set("include/fs.h", nil)
	if o.IsOpsTable("file_ops") || x.Len() != 1 {
		t.Errorf("after removing header: ops=%v len=%d", o.IsOpsTable("file_ops"), x.Len())
	}
}
