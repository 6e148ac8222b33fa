package classify

import (
	"reflect"
	"strings"
	"testing"

	"github.com/upsynth/upsynth/cparse"
	"github.com/upsynth/upsynth/kernel"
)

// facts is a fixed cross-module oracle for rule tests.
type facts struct {
	calledOutside map[string]bool
	typeModules   map[string]int
	ops           map[string]bool
}

func (f facts) CalledOutside(fn, file string) bool { return f.calledOutside[fn] }
func (f facts) TypeModules(name string) int        { return f.typeModules[name] }
func (f facts) IsOpsTable(name string) bool        { return f.ops[name] }

func sum(path string, engine cparse.Engine) *cparse.Summary {
	return &cparse.Summary{Path: path, Lang: cparse.LangC, Engine: engine, Header: kernel.KindOf(path) == kernel.KindHeader}
}

func withFns(s *cparse.Summary, fns ...cparse.Function) *cparse.Summary {
	s.Functions = fns
	return s
}

func ver(s *cparse.Summary) *Version { return &Version{Blob: "b", Summary: s} }

func change(e cparse.EntityKind, name string, k cparse.ChangeKind) cparse.Change {
	return cparse.Change{Entity: e, Name: name, Change: k}
}

func def(name, sig string) cparse.Function {
	return cparse.Function{Name: name, Signature: sig, BodyHash: "h", Definition: true}
}

func static(f cparse.Function) cparse.Function  { f.Static = true; return f }
func inline(f cparse.Function) cparse.Function  { f.Inline = true; f.Static = true; return f }
func withAsm(f cparse.Function) cparse.Function { f.HasAsm = true; return f }

const P = cparse.EnginePrecise

func TestRules(t *testing.T) {
	cfg, err := kernel.Parse("upsynth.yaml", []byte(`nonupdatable: [{glob: "kernel/obj.c", reason: "the object system itself"}]`))
	if err != nil {
		t.Fatal(err)
	}
	world := facts{
		calledOutside: map[string]bool{"vfs_read": true},
		typeModules:   map[string]int{"inode": 3, "lonely": 1},
		ops:           map[string]bool{"file_ops": true},
	}
	fnFile := func(path string, old, new cparse.Function, k cparse.ChangeKind) File {
		return File{Path: path, Old: ver(withFns(sum(path, P), old)), New: ver(withFns(sum(path, P), new)),
			Changes: []cparse.Change{change(cparse.EntityFunction, new.Name, k)}}
	}
	typeFile := func(path string, old, new cparse.Type, k cparse.ChangeKind) File {
		o, n := sum(path, P), sum(path, P)
		o.Types, n.Types = []cparse.Type{old}, []cparse.Type{new}
		return File{Path: path, Old: ver(o), New: ver(n), Changes: []cparse.Change{change(cparse.EntityType, new.Name, k)}}
	}
	globalFile := func(path string, old, new cparse.Global, k cparse.ChangeKind, types ...cparse.Type) File {
		o, n := sum(path, P), sum(path, P)
		o.Globals, n.Globals = []cparse.Global{old}, []cparse.Global{new}
		n.Types = types
		return File{Path: path, Old: ver(o), New: ver(n), Changes: []cparse.Change{change(cparse.EntityGlobal, new.Name, k)}}
	}
	macroFile := func(path, name string, k cparse.ChangeKind) File {
		return File{Path: path, Old: ver(sum(path, P)), New: ver(sum(path, P)), Changes: []cparse.Change{change(cparse.EntityMacro, name, k)}}
	}
	cls := func(name string, members ...cparse.Member) cparse.Type {
		return cparse.Type{Kind: cparse.KindClass, Name: name, Members: members}
	}
	priv := func(n, ty string) cparse.Member {
		return cparse.Member{Name: n, Type: ty, Access: "private", BitWidth: -1}
	}
	pub := func(n, ty string) cparse.Member {
		return cparse.Member{Name: n, Type: ty, Access: "public", BitWidth: -1}
	}
	mem := func(n, ty string) cparse.Member { return cparse.Member{Name: n, Type: ty, BitWidth: -1} }
	fnptr := cparse.Type{Kind: cparse.KindStruct, Name: "dev_ops", Members: []cparse.Member{mem("read", "int (*)(int)"), mem("write", "int (*)(int)")}}

	cases := []struct {
		name    string
		files   []File
		class   Class
		hazards []Hazard
	}{
		{"body change in module", []File{fnFile("kernel/a.c", def("f", "int (int)"), def("f", "int (int)"), cparse.ChangeBody)}, Code, nil},
		{"function added", []File{fnFile("kernel/a.c", def("g", "int (void)"), def("g", "int (void)"), cparse.ChangeAdded)}, Code, nil},
		{"function removed", []File{fnFile("kernel/a.c", def("g", "int (void)"), def("g", "int (void)"), cparse.ChangeRemoved)}, Code, nil},
		// A C++ overload added beside others changes the name's signatures,
		// not any caller's: its code is loaded as a function's.
		{"public C++ overload added", []File{{Path: "src/vmx.cpp", Old: ver(withFns(sum("src/vmx.cpp", P), def("Vmcs::init", "void ()"))),
			New:     ver(withFns(sum("src/vmx.cpp", P), def("Vmcs::init", "void ()"), def("Vmcs::init", "void (int)"))),
			Changes: []cparse.Change{{Entity: cparse.EntityFunction, Name: "Vmcs::init", Change: cparse.ChangeSignature, Detail: cparse.DetailOverloadAdded, Access: "public"}}}}, Code, nil},
		{"static signature", []File{fnFile("kernel/a.c", static(def("h", "int (int)")), static(def("h", "int (long)")), cparse.ChangeSignature)}, Code, nil},
		{"exported signature called outside", []File{fnFile("fs/vfs.c", def("vfs_read", "int (int)"), def("vfs_read", "int (long)"), cparse.ChangeSignature)}, Interface, nil},
		{"exported signature called only inside", []File{fnFile("fs/vfs.c", def("vfs_local", "int (int)"), def("vfs_local", "int (long)"), cparse.ChangeSignature)}, Code, nil},
		{"object method signature", []File{fnFile("fs/file.c", def("File_read", "int (FileRef, int)"), def("File_read", "int (FileRef, long)"), cparse.ChangeSignature)}, Interface, nil},
		{"init function body", []File{fnFile("fs/vfs.c", def("vfs_init", "void (void)"), def("vfs_init", "void (void)"), cparse.ChangeBody)}, Unsupported, []Hazard{HazardInit}},
		{"kernel_boot added", []File{fnFile("kernel/main.c", def("kernel_boot", "void (void)"), def("kernel_boot", "void (void)"), cparse.ChangeAdded)}, Unsupported, []Hazard{HazardInit}},
		{"inline asm function", []File{fnFile("kernel/a.c", withAsm(def("cli", "void (void)")), withAsm(def("cli", "void (void)")), cparse.ChangeBody)}, Unsupported, []Hazard{HazardAsm}},
		{"header inline body", []File{fnFile("include/a.h", inline(def("min", "int (int, int)")), inline(def("min", "int (int, int)")), cparse.ChangeBody)}, Code, []Hazard{HazardHeaderInline}},
		{"header inline signature", []File{fnFile("include/a.h", inline(def("min", "int (int, int)")), inline(def("min", "long (long, long)")), cparse.ChangeSignature)}, Interface, []Hazard{HazardHeaderInline}},
		{"header prototype signature", []File{fnFile("include/a.h", cparse.Function{Name: "p", Signature: "int (int)"}, cparse.Function{Name: "p", Signature: "int (long)"}, cparse.ChangeSignature)}, Interface, nil},
		{"header prototype added", []File{fnFile("include/a.h", cparse.Function{Name: "p", Signature: "int (int)"}, cparse.Function{Name: "p", Signature: "int (int)"}, cparse.ChangeAdded)}, None, nil},
		{"syscall entry signature", []File{fnFile("kernel/sys.c", def("kernel_syscall", "long (long, long)"), def("kernel_syscall", "long (long, long, long)"), cparse.ChangeSignature)}, Interface, []Hazard{HazardSyscallABI}},
		{"module type layout", []File{typeFile("fs/vfs.c", cparse.Type{Kind: cparse.KindStruct, Name: "priv"}, cparse.Type{Kind: cparse.KindStruct, Name: "priv"}, cparse.ChangeLayout)}, State, nil},
		{"module enum", []File{typeFile("fs/vfs.c", cparse.Type{Kind: cparse.KindEnum, Name: "st"}, cparse.Type{Kind: cparse.KindEnum, Name: "st"}, cparse.ChangeEnum)}, State, nil},
		{"header type used by 3 modules", []File{typeFile("include/fs.h", cparse.Type{Kind: cparse.KindStruct, Name: "inode"}, cparse.Type{Kind: cparse.KindStruct, Name: "inode"}, cparse.ChangeLayout)}, Interface, nil},
		{"header type used by 1 module", []File{typeFile("include/fs.h", cparse.Type{Kind: cparse.KindStruct, Name: "lonely"}, cparse.Type{Kind: cparse.KindStruct, Name: "lonely"}, cparse.ChangeLayout)}, State, nil},
		{"type added", []File{typeFile("include/fs.h", cparse.Type{Kind: cparse.KindStruct, Name: "inode"}, cparse.Type{Kind: cparse.KindStruct, Name: "inode"}, cparse.ChangeAdded)}, Code, nil},
		{"syscall enum", []File{typeFile("include/sys.h",
			cparse.Type{Kind: cparse.KindEnum, Name: "sysno", Enumerators: []cparse.Enumerator{{Name: "SYS_OPEN"}}},
			cparse.Type{Kind: cparse.KindEnum, Name: "sysno", Enumerators: []cparse.Enumerator{{Name: "SYS_OPEN"}, {Name: "SYS_CLOSE"}}}, cparse.ChangeEnum)}, Interface, []Hazard{HazardSyscallABI}},
		{"C++ private members", []File{typeFile("include/obj.hh", cls("Obj", priv("a", "int")), cls("Obj", priv("a", "long")), cparse.ChangeLayout)}, State, nil},
		{"C++ public members", []File{typeFile("include/obj.hh", cls("Obj", pub("a", "int")), cls("Obj", pub("a", "long")), cparse.ChangeLayout)}, Interface, nil},
		{"C++ virtual order", []File{typeFile("include/obj.hh",
			cparse.Type{Kind: cparse.KindClass, Name: "V", Methods: []cparse.Method{{Name: "a", Virtual: true, Access: "public"}, {Name: "b", Virtual: true, Access: "public"}}},
			cparse.Type{Kind: cparse.KindClass, Name: "V", Methods: []cparse.Method{{Name: "b", Virtual: true, Access: "public"}, {Name: "a", Virtual: true, Access: "public"}}}, cparse.ChangeMethods)}, Interface, []Hazard{HazardVtable}},
		{"C++ public method signature", []File{typeFile("include/obj.hh",
			cparse.Type{Kind: cparse.KindClass, Name: "V", Methods: []cparse.Method{{Name: "a", Signature: "int (int)", Access: "public"}}},
			cparse.Type{Kind: cparse.KindClass, Name: "V", Methods: []cparse.Method{{Name: "a", Signature: "int (long)", Access: "public"}}}, cparse.ChangeMethods)}, Interface, nil},
		{"C++ private method added", []File{typeFile("include/obj.hh",
			cparse.Type{Kind: cparse.KindClass, Name: "V", Methods: []cparse.Method{{Name: "a", Access: "public"}}},
			cparse.Type{Kind: cparse.KindClass, Name: "V", Methods: []cparse.Method{{Name: "a", Access: "public"}, {Name: "h", Access: "private"}}}, cparse.ChangeMethods)}, Code, nil},
		{"C++ virtual method signature", []File{func() File {
			f := fnFile("src/v.cc", def("V::f", "int (int)"), def("V::f", "int (long)"), cparse.ChangeSignature)
			f.Changes[0].Virtual, f.Changes[0].Access = true, "public"
			return f
		}()}, Interface, []Hazard{HazardVtable}},
		{"C++ private method signature", []File{func() File {
			f := fnFile("src/v.cc", def("V::g", "int (int)"), def("V::g", "int (long)"), cparse.ChangeSignature)
			f.Changes[0].Access = "private"
			return f
		}()}, Code, nil},
		{"static global type", []File{globalFile("kernel/a.c", cparse.Global{Name: "n", Type: "int", Static: true}, cparse.Global{Name: "n", Type: "long", Static: true}, cparse.ChangeType)}, State, []Hazard{HazardGlobalData}},
		{"static global init", []File{globalFile("kernel/a.c", cparse.Global{Name: "n", Type: "int", Static: true, InitHash: "1"}, cparse.Global{Name: "n", Type: "int", Static: true, InitHash: "2"}, cparse.ChangeInit)}, State, []Hazard{HazardGlobalData}},
		{"exported global type", []File{globalFile("kernel/a.c", cparse.Global{Name: "n", Type: "int"}, cparse.Global{Name: "n", Type: "long"}, cparse.ChangeType)}, Interface, []Hazard{HazardGlobalData}},
		{"exported global init", []File{globalFile("kernel/a.c", cparse.Global{Name: "n", Type: "int", InitHash: "1"}, cparse.Global{Name: "n", Type: "int", InitHash: "2"}, cparse.ChangeInit)}, State, []Hazard{HazardGlobalData}},
		{"global added", []File{globalFile("kernel/a.c", cparse.Global{Name: "n", Type: "int"}, cparse.Global{Name: "n", Type: "int"}, cparse.ChangeAdded)}, Code, nil},
		{"ops table init (index)", []File{globalFile("fs/a.c", cparse.Global{Name: "fops", Type: "const struct file_ops", InitHash: "1"}, cparse.Global{Name: "fops", Type: "const struct file_ops", InitHash: "2"}, cparse.ChangeInit)}, State, []Hazard{HazardGlobalData, HazardOpsTable}},
		{"ops table init (same file)", []File{globalFile("dev/a.c", cparse.Global{Name: "dops", Type: "struct dev_ops", InitHash: "1", Static: true}, cparse.Global{Name: "dops", Type: "struct dev_ops", InitHash: "2", Static: true}, cparse.ChangeInit, fnptr)}, State, []Hazard{HazardGlobalData, HazardOpsTable}},
		{"sys_call_table", []File{globalFile("kernel/sys.c", cparse.Global{Name: "sys_call_table", Type: "int (*[4])(void)", InitHash: "1"}, cparse.Global{Name: "sys_call_table", Type: "int (*[4])(void)", InitHash: "2"}, cparse.ChangeInit)}, Interface, []Hazard{HazardSyscallABI}},
		{"static local", []File{func() File {
			o, n := def("f", "int (void)"), def("f", "int (void)")
			o.StaticLocals = []cparse.Global{{Name: "c", Type: "int", Static: true}}
			return fnFile("kernel/a.c", o, n, cparse.ChangeBody)
		}()}, State, []Hazard{HazardStaticLocal}},
		{"module macro", []File{macroFile("kernel/a.c", "MAX", cparse.ChangeChanged)}, Code, nil},
		{"header macro changed", []File{macroFile("include/a.h", "MAX", cparse.ChangeChanged)}, Interface, []Hazard{HazardHeaderInline}},
		{"header macro removed", []File{macroFile("include/a.h", "MAX", cparse.ChangeRemoved)}, Interface, []Hazard{HazardHeaderInline}},
		{"include guard removed", []File{macroFile("include/a.h", "KERNEL_A_H", cparse.ChangeRemoved)}, None, nil},
		{"header macro added", []File{macroFile("include/a.h", "MAX", cparse.ChangeAdded)}, Code, nil},
		{"syscall number macro", []File{macroFile("include/sys.h", "SYS_OPEN", cparse.ChangeAdded)}, Interface, []Hazard{HazardSyscallABI}},
		{"asm entity", []File{{Path: "kernel/a.c", Old: ver(sum("kernel/a.c", P)), New: ver(sum("kernel/a.c", P)), Changes: []cparse.Change{change(cparse.EntityAsm, "asm@1", cparse.ChangeChanged)}}}, Unsupported, []Hazard{HazardAsm}},
		{"assembly file", []File{{Path: "arch/entry.S", Old: &Version{}, New: &Version{}}}, Unsupported, []Hazard{HazardAsm}},
		{"non-updatable path", []File{fnFile("kernel/obj.c", def("obj_new", "int (void)"), def("obj_new", "int (void)"), cparse.ChangeBody)}, Unsupported, nil},
		{"boot code", []File{fnFile("boot/start.c", def("s", "int (void)"), def("s", "int (void)"), cparse.ChangeBody)}, Unsupported, nil},
		{"unreadable file", []File{{Path: "kernel/blob.c", Old: ver(sum("kernel/blob.c", P)), New: &Version{Unreadable: "binary content"}}}, Unsupported, nil},
		{"tolerant engine", []File{func() File {
			f := fnFile("kernel/a.c", def("f", "int (void)"), def("f", "int (void)"), cparse.ChangeBody)
			f.New.Summary.Engine = cparse.EngineTolerant
			return f
		}()}, Code, []Hazard{HazardImprecise}},
		{"build only", []File{{Path: "Makefile", Old: &Version{}, New: &Version{}}, {Path: "kernel/Kconfig", Old: &Version{}, New: &Version{}}}, None, []Hazard{HazardBuildOnly}},
		{"docs only", []File{{Path: "README.md", Old: &Version{}, New: &Version{}}}, None, nil},
		{"tests only", []File{fnFile("tests/t.c", def("f", "int (void)"), def("f", "int (void)"), cparse.ChangeBody)}, None, nil},
		{"comment only (no entity changes)", []File{{Path: "kernel/a.c", Old: ver(sum("kernel/a.c", P)), New: ver(sum("kernel/a.c", P))}}, None, nil},
		{"strongest wins", []File{
			fnFile("kernel/a.c", def("f", "int (int)"), def("f", "int (int)"), cparse.ChangeBody),
			macroFile("include/a.h", "MAX", cparse.ChangeChanged),
			typeFile("fs/vfs.c", cparse.Type{Kind: cparse.KindStruct, Name: "priv"}, cparse.Type{Kind: cparse.KindStruct, Name: "priv"}, cparse.ChangeLayout),
		}, Interface, []Hazard{HazardHeaderInline}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := Commit(cfg, c.files, world)
			if r.Class != c.class {
				t.Errorf("class = %s, want %s (reason: %s)", r.Class, c.class, r.Reason)
			}
			want := c.hazards
			if want == nil {
				want = []Hazard{}
			}
			if !reflect.DeepEqual(r.Hazards, want) {
				t.Errorf("hazards = %v, want %v", r.Hazards, want)
			}
			if r.Reason == "" {
				t.Error("no reason")
			}
			for _, ch := range r.Changes {
				if ch.Reason == "" || ch.File == "" || ch.Entity == "" {
					t.Errorf("incomplete change %+v", ch)
				}
			}
		})
	}
}

func TestPurpose(t *testing.T) {
	cfg, _ := kernel.Parse("upsynth.yaml", []byte(`purpose: {"abcdef1": perf}`))
	cases := []struct {
		sha, msg string
		want     Purpose
	}{
		{"abcdef1234", "fix: whatever", Perf},
		{"1", "fix(vfs): off by one", Fix},
		{"1", "bugfix: x", Fix},
		{"1", "perf: x", Perf},
		{"1", "feat: add y", Feature},
		{"1", "refactor: add y", Cleanup},
		{"1", "docs: fix typo", Cleanup},
		{"1", "vfs: something\n\nFixes: 1234abcd (\"vfs: x\")", Fix},
		{"1", "Fix a leak in the pipe code", Fix},
		{"1", "pipe: use-after-free on close", Fix},
		{"1", "Speed up lookup", Perf},
		{"1", "Optimise the scheduler queue", Perf},
		{"1", "Avoid an extra copy on read", Perf},
		{"1", "Make lookup O(1)", Perf},
		{"1", "Add pipes", Feature},
		{"1", "Implement mmap", Feature},
		{"1", "Rename foo to bar", Cleanup},
		{"1", "Tidy up the allocator", Cleanup},
		{"1", "vfs: adjust things\n\nThis fixes a deadlock seen in testing.", Fix},
		{"1", "Update version", Other},
		{"1", "Update things", Other},
		{"1", "x: reads raced\n", Fix},
		{"1", "x: y\n\nWhile here, catch double frees.", Fix},
		{"1", "x: avoid zeroing pages", Perf},
		{"1", "x: y\n\nThroughput is up by 4x.", Perf},
		{"1", "address handling in pmap", Other},
		// Rules added for issue 17 after measuring held-back samples.
		{"1", "Oops (thanks David Lawrence)", Fix},
		{"1", "tasks.c:2067:11: warning: this condition has identical branches [-Wduplicated-branches] (#482)", Cleanup},
		{"1", "pipe: crash seen as warning: array subscript is above array bounds", Fix},
		{"1", "Update community supported ports submodulees (#1218)", Other},
		{"1", "Bump the lwip submodule", Other},
		{"1", "Merged MDB branch.", Feature},
		{"1", "ARM: Added Cache class.", Feature},
		{"1", "Cache lookups in the page walker", Perf},
		{"1", "x86: Modernized HPET.", Cleanup},
		{"1", "ARM: Unified ACPI class.", Cleanup},
		{"1", "Make idle capabilities available to the user.", Feature},
		{"1", "Improved allocation of page tables and I/O bitmap.", Perf},
		{"1", "avoid hardcoding init as pid 1 proc[0]", Cleanup},
		{"1", "Add check for if the scheduler is running to MPU ports (#954)", Fix},
		{"1", "mkdir check error from mknod", Fix},
		{"1", "A few missed xv6.pdf dependencies", Fix},
		{"1", "quiet", Cleanup},
		{"1", "modernize ARM assembler syntax (#1148)", Cleanup},
		{"1", "move the prototype for vApplicationIdleHook to task.h.", Cleanup},
		{"1", "Move the lock release before the wakeup to fix a lost wakeup", Fix},
		{"1", "Cmake: Create a single static library including port", Feature},
		// ... and after measuring the fresh held-back samples.
		{"1", "Remove support for tmrCOMMAND_START_DONT_TRACE\n\nThe timer unexpectedly restarted when the task processed it.", Fix},
		{"1", "Add the ring buffer\n\nIt replaces the list.", Feature},
		{"1", "Smarter vTLB fills.", Perf},
		{"1", "New headers, approved by the legal experts.", Cleanup},
		{"1", "Add SPDX license identifiers", Cleanup},
	}
	for _, c := range cases {
		if got, why := purposeByRules(cfg, c.sha, c.msg, nil); got != c.want {
			t.Errorf("purposeByRules(%q) = %s (%s), want %s", c.msg, got, why, c.want)
		}
	}
}

// TestPurposeFromDiff: what the diff changed decides when the message does
// not, and overrides a message that calls a cosmetic edit a fix.
func TestPurposeFromDiff(t *testing.T) {
	cfg, _ := kernel.Parse("upsynth.yaml", nil)
	fn := func(name, body string, calls ...string) cparse.Function {
		return cparse.Function{Name: name, Signature: "void (void)", BodyHash: body, Definition: true, Calls: calls}
	}
	sum := func(fns ...cparse.Function) *Version {
		h := "t"
		for _, f := range fns {
			h += f.BodyHash
		}
		return &Version{Summary: &cparse.Summary{Lang: cparse.LangC, Functions: fns, TokenHash: h}}
	}
	changed := func(p string, old, new *Version, ch ...cparse.Change) File {
		return File{Path: p, Old: old, New: new, Changes: ch}
	}
	body := func(n string) cparse.Change {
		return cparse.Change{Entity: cparse.EntityFunction, Name: n, Change: cparse.ChangeBody}
	}
	added := func(n string) cparse.Change {
		return cparse.Change{Entity: cparse.EntityFunction, Name: n, Change: cparse.ChangeAdded}
	}
	removed := func(n string) cparse.Change {
		return cparse.Change{Entity: cparse.EntityFunction, Name: n, Change: cparse.ChangeRemoved}
	}
	cases := []struct {
		msg   string
		files []File
		want  Purpose
		why   string
	}{
		{"Fix the scheduler", []File{changed("kernel/sched.c", sum(fn("f", "1")), sum(fn("f", "1")))}, Cleanup, "only comments or whitespace"},
		{"Fix the scheduler", []File{changed("README.md", nil, nil), changed("tests/t.c", nil, nil)}, Cleanup, "only docs or tests"},
		{"Fix MISRA violation", []File{changed("tasks.c", sum(fn("f", "1")), sum(fn("f", "2")), body("f"))}, Cleanup, "misra"},
		{"fix typo in tasks.c", []File{changed("tasks.c", sum(fn("f", "1")), sum(fn("f", "2")), body("f"))}, Cleanup, "typo"},
		{"Fix compiler warning", []File{changed("tasks.c", sum(fn("f", "1")), sum(fn("f", "2")), body("f"))}, Cleanup, "compiler warning"},
		{"Fix the wrong compiler warning check", nil, Fix, "fix"},
		{"more proc work", []File{changed("proc.c", sum(fn("f", "1")), sum(fn("f", "2")), body("f"))}, Fix, "terse message"},
		{"Fix multiple definitions", []File{changed("ev.c", &Version{Summary: &cparse.Summary{TokenHash: "1"}}, &Version{Summary: &cparse.Summary{TokenHash: "2"}})}, Fix, "subject says fix"},
		{"nits", []File{changed("proc.c", sum(fn("f", "1")), sum(fn("f", "1")))}, Cleanup, "only comments"},
		{"a start at concurrent FS system calls", []File{changed("sysfile.c", sum(fn("f", "1")), sum(fn("f", "1"), fn("sys_link", "3")), added("sys_link"))}, Feature, "adds system call sys_link"},
		{"more pipe work", []File{changed("pipe.c", sum(fn("f", "1")), sum(fn("f", "1"), fn("pipe_peek", "3")), added("pipe_peek"))}, Feature, "adds pipe_peek"},
		{"remove dead code", []File{changed("pipe.c", sum(fn("f", "1"), fn("g", "2")), sum(fn("f", "1")), removed("g"))}, Cleanup, "remove"},
		{"pipe: readers and writers", []File{changed("pipe.c", sum(fn("f", "1"), fn("g", "2")), sum(fn("f", "1")), removed("g"))}, Cleanup, "only removes code"},
		{"clear np->mem after freeing", nil, Fix, "clear np->mem after"},
		{"fork: ordering of np->state", []File{changed("proc.c", sum(fn("f", "1", "kfree")), sum(fn("f", "2", "kfree", "acquire")), body("f"))}, Fix, "f now calls acquire"},
		{"x: y\n\nCVE-2024-12345", nil, Fix, "CVE-2024-12345"},
		{"x: y\n\nReported-by: A <a@b>", nil, Fix, "Reported-by"},
		{"[Fix] Reset priority", nil, Fix, "prefix Fix"},
		{"fix[RL78 Port] register image", nil, Fix, "prefix fix"},
		{"Add missing cast to BaseType_t", nil, Fix, "missing"},
		{"Add uxTaskCallForEachTask, and refactor uxTaskGetSystemState to use it.", nil, Feature, "add"},
		{"Remove unused variable", nil, Cleanup, "remov"},
		{"clean up stale error checks and panics", nil, Cleanup, "starts with clean up"},
		{"Initial import", []File{changed("sysfile.c", nil, sum(fn("sys_open", "1")))}, Other, "initial import"},
		{"x: y\n\nNo functional change.", nil, Cleanup, "no functional change"},
		{"Update things", []File{changed("proc.c", sum(fn("f", "1"), fn("g", "1")), sum(fn("f", "2")), body("f"), removed("g"))}, Other, "nothing"},
		{"Update things", []File{changed("proc.c", sum(fn("f", "1"), fn("g", "1")), sum(fn("f", "2"), fn("h", "3")), body("f"), removed("g"), added("h"))}, Feature, "adds h among other changes"},
		// Rules added for issue 17 after measuring held-back samples.
		{"Fix long path errors on Windows demos", []File{changed(".github/workflows/kernel-demos.yml", nil, nil)}, Cleanup, "only CI"},
		{"bug reported by nelson", []File{changed("BUGS", nil, nil)}, Cleanup, "only docs"},
		{"namei", []File{changed("fs.c", sum(fn("iput", "1")), sum(fn("iput", "2", "panic"), fn("ilock", "3"), fn("namei", "4")), body("iput"), added("ilock"), added("namei"), cparse.Change{Entity: cparse.EntityMacro, Name: "NINODE", Change: cparse.ChangeChanged})}, Feature, "adds functions ilock, namei"},
		{"Update CMakeLists.txt for two ports\n\n* Add Cortex-M55 and Cortex-M85 ports", []File{changed("portable/CMakeLists.txt", nil, nil)}, Feature, "only build files changed, and the body says add"},
		{"Update CMakeLists.txt", []File{changed("portable/CMakeLists.txt", nil, nil)}, Cleanup, "nothing compiled"},
		{"Fix: missing V prefix in release_tag", []File{changed(".github/workflows/auto-release.yml", nil, nil)}, Cleanup, "only CI"}, // a prefix does not make a CI fix a kernel fix
		{"Detection of helping livelocks.", []File{changed("sc.cpp", sum(fn("f", "1")), sum(fn("f", "2")), body("f"))}, Fix, "subject says livelocks"},
		{"CHANGES: Add missing word", []File{changed("CHANGES", nil, nil)}, Cleanup, "only docs"},
		{"gen: Remove build path from output file\n\nThis was causing errors with a reproducible build check.", []File{changed("tools/gen.py", nil, nil)}, Fix, "body says causing errors"},
		{"Pick up the next thread", []File{changed("proc.c", sum(fn("f", "1")), sum(fn("f", "2")), body("f"))}, Fix, "the message names no purpose; the diff only changes the body of f"},
		{"keep interrupts off under the kernel lock", []File{changed("spinlock.c", sum(fn("acquire", "1")), sum(fn("acquire", "2", "lapic_disableintr")), body("acquire"))}, Fix, "acquire now calls lapic_disableintr"},
		{"free the indirect block", []File{changed("fs.c", sum(fn("itrunc", "1", "bfree")), sum(fn("itrunc", "2", "bfree")), body("itrunc"))}, Fix, "subject says free the"},
		{"Initial kernel", []File{changed("fs.c", nil, sum(fn("ilock", "3"), fn("namei", "4")), added("ilock"), added("namei"))}, Other, "no purpose keyword"},
		{"Heap protect", []File{
			changed("include/FreeRTOS.h", sum(), sum(), cparse.Change{Entity: cparse.EntityMacro, Name: "configENABLE_HEAP_PROTECTOR", Change: cparse.ChangeAdded}),
			changed("portable/MemMang/heap_4.c", sum(fn("prvHeapInit", "1"), fn("prvOld", "9")), sum(fn("prvHeapInit", "2", "heapPROTECT_BLOCK_POINTER", "configASSERT")), body("prvHeapInit"), removed("prvOld")),
		}, Feature, "adds configuration option configENABLE_HEAP_PROTECTOR"},
	}
	for _, c := range cases {
		got, why := purposeByRules(cfg, "1", c.msg, c.files)
		if got != c.want || !strings.Contains(strings.ToLower(why), strings.ToLower(c.why)) {
			t.Errorf("purposeByRules(%q) = %s (%s), want %s (%s)", c.msg, got, why, c.want, c.why)
		}
	}
}

// TestAsmSymbolChanges: an assembly file's changes are its routines when
// its summaries name them, the file's own (entity file) otherwise.
func TestAsmSymbolChanges(t *testing.T) {
	cfg, _ := kernel.Parse("upsynth.yaml", nil)
	asm := func(h string) *Version {
		return &Version{Summary: &cparse.Summary{Lang: cparse.LangAsm, Engine: cparse.EngineAsm, TokenHash: h}}
	}
	r := Commit(cfg, []File{{Path: "swtch.S", Old: asm("1"), New: asm("2"),
		Changes: []cparse.Change{{Entity: cparse.EntityAsm, Name: "swtch", Change: cparse.ChangeChanged}}}}, facts{})
	if len(r.Changes) != 1 || r.Changes[0].Name != "swtch" || r.Changes[0].Entity != string(cparse.EntityAsm) || r.Class != Unsupported || r.Changes[0].Hazards[0] != HazardAsm {
		t.Errorf("routine change: %+v", r)
	}
	// No routine changed: the file did, and an update still carries it.
	r = Commit(cfg, []File{{Path: "swtch.S", Old: asm("1"), New: asm("2")}}, facts{})
	if len(r.Changes) != 1 || r.Changes[0].Name != "swtch.S" || r.Changes[0].Entity != EntityFile || r.Class != Unsupported || r.Changes[0].Hazards[0] != HazardAsm {
		t.Errorf("lines outside every routine: %+v", r)
	}
	r = Commit(cfg, []File{{Path: "swtch.S", Old: asm("1"), New: asm("1")}}, facts{})
	if len(r.Changes) != 0 || r.Class != None {
		t.Errorf("comments only: %+v", r)
	}
	r = Commit(cfg, []File{{Path: "swtch.S", Old: &Version{Blob: "a"}, New: &Version{Blob: "b"}}}, facts{})
	if len(r.Changes) != 1 || r.Changes[0].Name != "swtch.S" {
		t.Errorf("not summarized: %+v", r)
	}
}

// TestMoves: an entity removed from one file and added to another is
// moved, with what else changed in it; a function moved unchanged is code.
func TestMoves(t *testing.T) {
	cfg, _ := kernel.Parse("upsynth.yaml", nil)
	fn := func(body string) cparse.Function {
		return cparse.Function{Name: "growproc", Signature: "int (int)", BodyHash: body, Definition: true}
	}
	v := func(fs ...cparse.Function) *Version {
		return &Version{Summary: &cparse.Summary{Lang: cparse.LangC, Engine: cparse.EnginePrecise, Functions: fs, TokenHash: "x"}}
	}
	rm := cparse.Change{Entity: cparse.EntityFunction, Name: "growproc", Change: cparse.ChangeRemoved}
	ad := cparse.Change{Entity: cparse.EntityFunction, Name: "growproc", Change: cparse.ChangeAdded}
	for _, c := range []struct {
		name    string
		newBody string
		want    []string
		class   Class
		purpose Purpose
	}{
		{"unchanged", "1", []string{"kernel/vm.c function growproc moved code"}, Code, Cleanup},
		{"body changed too", "2", []string{"kernel/vm.c function growproc moved code", "kernel/vm.c function growproc body code"}, Code, Other},
	} {
		files := []File{
			{Path: "kernel/proc.c", Old: v(fn("1")), New: v(), Changes: []cparse.Change{rm}},
			{Path: "kernel/vm.c", Old: v(), New: v(fn(c.newBody)), Changes: []cparse.Change{ad}},
		}
		r := Commit(cfg, files, facts{})
		var got []string
		for _, ch := range r.Changes {
			got = append(got, ch.File+" "+ch.Entity+" "+ch.Name+" "+ch.Change+" "+string(ch.Class))
		}
		if !reflect.DeepEqual(got, c.want) || r.Class != c.class {
			t.Errorf("%s: %s %v, want %s %v", c.name, r.Class, got, c.class, c.want)
		}
		if r.Changes[0].Reason != "function moved from kernel/proc.c: its code is loaded from the new place" {
			t.Errorf("%s: reason %q", c.name, r.Changes[0].Reason)
		}
		if p, why := purposeByRules(cfg, "1", "proc: growproc goes next to the vm code", files); p != c.purpose {
			t.Errorf("%s: purpose %s (%s), want %s", c.name, p, why, c.purpose)
		}
		if len(files[0].Changes) != 1 || files[0].Changes[0].Change != cparse.ChangeRemoved ||
			len(files[1].Changes) != 1 || files[1].Changes[0].Change != cparse.ChangeAdded {
			t.Errorf("%s: the caller's files were changed: %+v, %+v", c.name, files[0].Changes, files[1].Changes)
		}
	}
}

// TestMovesRenamedFile: a file renamed with the same bytes, or with the
// same entities but for an include guard, changes none of its entities; an entity removed from one module and added to a module
// and a header moved to the module, and is added to the header.
func TestMovesRenamedFile(t *testing.T) {
	cfg, _ := kernel.Parse("upsynth.yaml", nil)
	g := cparse.Global{Name: "Cache::line_size", Type: "unsigned int"}
	sum := &cparse.Summary{Lang: cparse.LangCPP, Engine: cparse.EngineTolerant, Globals: []cparse.Global{g}, TokenHash: "x"}
	rm := cparse.Change{Entity: cparse.EntityGlobal, Name: g.Name, Change: cparse.ChangeRemoved}
	ad := cparse.Change{Entity: cparse.EntityGlobal, Name: g.Name, Change: cparse.ChangeAdded}
	changes := func(files []File) []string {
		var got []string
		for _, ch := range Commit(cfg, files, facts{}).Changes {
			got = append(got, ch.File+" "+ch.Entity+" "+ch.Name+" "+ch.Change)
		}
		return got
	}
	renamed := []File{
		{Path: "src/x86_64/cache.cpp", Old: &Version{Blob: "b1", Summary: sum}, Changes: []cparse.Change{rm}},
		{Path: "src/cache.cpp", New: &Version{Blob: "b1", Summary: sum}, Changes: []cparse.Change{ad}},
		{Path: "inc/aarch64/cache.hpp", New: &Version{Blob: "b2", Summary: sum}, Changes: []cparse.Change{ad}},
	}
	if got, want := changes(renamed), []string{"inc/aarch64/cache.hpp global Cache::line_size added"}; !reflect.DeepEqual(got, want) {
		t.Errorf("renamed unchanged: %v, want %v", got, want)
	}
	// Other bytes, the same entities but for an include guard: the same
	// code under another path.
	guarded := &cparse.Summary{Lang: cparse.LangCPP, Engine: cparse.EngineTolerant, Globals: []cparse.Global{g}, TokenHash: "y",
		Macros: []cparse.Macro{{Name: "CACHE_HPP", ValueHash: "0"}}}
	reguarded := append([]File(nil), renamed...)
	reguarded[1].New = &Version{Blob: "b3", Summary: guarded}
	if got, want := changes(reguarded), []string{"inc/aarch64/cache.hpp global Cache::line_size added"}; !reflect.DeepEqual(got, want) {
		t.Errorf("renamed with an include guard added: %v, want %v", got, want)
	}
	// A header renamed from .h to .hpp, its #include lines with it.
	hpp := []File{
		{Path: "include/cache.h", Old: &Version{Blob: "b1", Summary: sum}, Changes: []cparse.Change{rm}},
		{Path: "include/cache.hpp", New: &Version{Blob: "b4", Summary: guarded}, Changes: []cparse.Change{ad}},
	}
	if got := changes(hpp); len(got) != 0 {
		t.Errorf("a header's extension changed: %v, want no change", got)
	}
	edited := append([]File(nil), renamed...)
	widened := g
	widened.Type = "unsigned long"
	edited[1].New = &Version{Blob: "b3", Summary: &cparse.Summary{Lang: cparse.LangCPP, Engine: cparse.EngineTolerant, Globals: []cparse.Global{widened}, TokenHash: "z"}}
	want := []string{"src/cache.cpp global Cache::line_size moved", "src/cache.cpp global Cache::line_size type", "inc/aarch64/cache.hpp global Cache::line_size added"}
	if got := changes(edited); !reflect.DeepEqual(got, want) {
		t.Errorf("renamed and edited: %v, want %v", got, want)
	}
}

// TestParametersRenamedOnly: a header inline function and a header macro
// whose only difference is their parameters' names are listed, cosmetic,
// and need no update; the purpose reads the commit as one that changed
// no code.
func TestParametersRenamedOnly(t *testing.T) {
	cfg, _ := kernel.Parse("upsynth.yaml", nil)
	header := func(hash, param string) *Version {
		return &Version{Summary: &cparse.Summary{Lang: cparse.LangC, Header: true, TokenHash: hash,
			Functions: []cparse.Function{{Name: "page_of", Signature: "int (int)", Definition: true, Inline: true, Static: true, BodyHash: "positional", NamedBodyHash: "named-" + param}},
			Macros:    []cparse.Macro{{Name: "TRACE", FunctionLike: true, Params: []string{param}, ValueHash: "empty"}}}}
	}
	files := []File{fileOf("include/mm.h", header("1", "addr"), header("2", "address"))}
	r := Commit(cfg, files, facts{})
	if r.Class != None || len(r.Changes) != 2 {
		t.Fatalf("class %s, changes %+v; want none with two cosmetic changes", r.Class, r.Changes)
	}
	for _, c := range r.Changes {
		if c.Class != None || !strings.Contains(c.Reason, "parameters renamed") {
			t.Errorf("%s %s: %s (%s), want none for parameters renamed only", c.Entity, c.Name, c.Class, c.Reason)
		}
	}
	expectPurpose(t, cfg, "mm.h: rename addr to address", files, Cleanup, "rename")
	// A terse message over a small body change reads as a fix; over
	// renamed parameters alone there is no body change to read.
	if got, why := purposeByRules(cfg, "1", "page_of", files); got == Fix {
		t.Errorf("terse message over renamed parameters: %s (%s), want no fix from a body change", got, why)
	}
}
