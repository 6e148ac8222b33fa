package classify

import (
	"slices"
	"testing"

	"github.com/upsynth/upsynth/cparse"
	"github.com/upsynth/upsynth/kernel"
)

// allChanges is each change of files, derived where left to derive, as
// "path entity change" lines.
func allChanges(t *testing.T, files []File) []string {
	t.Helper()
	var lines []string
	for _, f := range files {
		changes, err := f.changes()
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range changes {
			lines = append(lines, f.Path+" "+c.Name+" "+string(c.Change))
		}
	}
	return lines
}

// TestFollowRenames: a file git shows renamed is compared with its old
// self: what it kept is no change, what it changed is changed in place,
// not moved (xv6's "fd.* -> file.*", seL4's allwinner timer header).
func TestFollowRenames(t *testing.T) {
	cfg, _ := kernel.Parse("upsynth.yaml", nil)
	fn := func(name, body string) cparse.Function {
		return cparse.Function{Name: name, Signature: "int (void)", Definition: true, BodyHash: body}
	}
	renamed := func(newClose string) []File {
		return []File{
			{Path: "fd.c", Old: moduleOf("1", fn("fd_alloc", "a"), fn("fd_close", "c")), DeriveChanges: true},
			{Path: "file.c", New: moduleOf("2", fn("fd_alloc", "a"), fn("fd_close", newClose)), DeriveChanges: true, RenamedFrom: "fd.c"},
			fileOf("proc.c", moduleOf("3"), moduleOf("4")),
			{Path: "Makefile", Old: &Version{}, New: &Version{}},
		}
	}
	if got, want := allChanges(t, MatchMoves(renamed("c2"))), []string{"file.c fd_close body"}; !slices.Equal(got, want) {
		t.Errorf("renamed with one body changed: %q, want %q", got, want)
	}
	if got := allChanges(t, MatchMoves(renamed("c"))); len(got) != 0 {
		t.Errorf("renamed with its entities kept: %q, want no change", got)
	}
	expectPurpose(t, cfg, "the file table, elsewhere", renamed("c"), Cleanup, "only renames files")
	expectPurpose(t, cfg, "fd.* -> file.*", renamed("c"), Cleanup, "subject renames fd* to file*")
	got := Commit(cfg, renamed("c2"), nil)
	if len(got.Changes) != 1 || got.Changes[0].File != "file.c" || got.Changes[0].Name != "fd_close" {
		t.Errorf("Commit of a rename with one body changed: %+v, want fd_close's body in file.c", got.Changes)
	}
	// Without git's pairing the same files are moves.
	unpaired := renamed("c2")
	unpaired[1].RenamedFrom = ""
	if got, want := allChanges(t, MatchMoves(unpaired)), []string{"file.c fd_alloc moved", "file.c fd_close moved", "file.c fd_close body"}; !slices.Equal(got, want) {
		t.Errorf("deleted and added, not renamed: %q, want %q", got, want)
	}
}

// TestRenameOfOneCopy: seL4's ARM and ia32 fastpath.c both deleted for a
// common src/fastpath/fastpath.c, which git shows renamed from ARM's: every
// copy went into the new file, so the rename is not followed and the copies
// fold into one move.
func TestRenameOfOneCopy(t *testing.T) {
	call := func(body string) cparse.Function {
		return cparse.Function{Name: "fastpath_call", Signature: "void (word_t, word_t)", Definition: true, BodyHash: body}
	}
	files := []File{
		{Path: "src/arch/arm/fastpath/fastpath.c", Old: moduleOf("1", call("arm")), DeriveChanges: true},
		{Path: "src/arch/x86/fastpath/fastpath.c", Old: moduleOf("2", call("x86")), DeriveChanges: true},
		{Path: "src/fastpath/fastpath.c", New: moduleOf("3", call("common")), DeriveChanges: true, RenamedFrom: "src/arch/arm/fastpath/fastpath.c"},
	}
	got := allChanges(t, MatchMoves(files))
	if !slices.Contains(got, "src/fastpath/fastpath.c fastpath_call moved") || slices.ContainsFunc(got, func(l string) bool {
		return l != "src/fastpath/fastpath.c fastpath_call moved" && l != "src/fastpath/fastpath.c fastpath_call body"
	}) {
		t.Errorf("copies folded into a common file: %q, want fastpath_call moved (and its body) only", got)
	}
}

// TestAnonymousNamespaceNamed: an anonymous namespace made a named one
// (managarm's socket.cpp into un_socket) gives its entities another
// linkage with their names: each is the old removed and a new one added.
// A global entity wrapped in a namespace (extern_fs) is its old self.
func TestAnonymousNamespaceNamed(t *testing.T) {
	poll := func(name string, local bool) cparse.Function {
		return cparse.Function{Name: name, Signature: "int (void)", Definition: true, BodyHash: "p", Static: local}
	}
	module := func(hash string, fns ...cparse.Function) *Version {
		return &Version{Summary: &cparse.Summary{Lang: cparse.LangCPP, TokenHash: hash, Functions: fns}}
	}
	anonymous := MatchMoves([]File{fileOf("un-socket.cpp", module("1", poll("OpenFile::poll", true)), module("2", poll("un_socket::OpenFile::poll", false)))})
	if got, want := allChanges(t, anonymous), []string{"un-socket.cpp OpenFile::poll removed", "un-socket.cpp un_socket::OpenFile::poll added"}; !slices.Equal(got, want) {
		t.Errorf("anonymous namespace named: %q, want %q", got, want)
	}
	wrapped := MatchMoves([]File{fileOf("entry.cpp", module("1", poll("Entry::getName", false)), module("2", poll("extern_fs::Entry::getName", false)))})
	if got := allChanges(t, wrapped); len(got) != 0 {
		t.Errorf("a global entity wrapped in a namespace: %q, want no change", got)
	}
}
