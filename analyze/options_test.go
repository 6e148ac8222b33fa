package analyze

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRangeAndPathOptions(t *testing.T) {
	repo, _ := fixtureRepo(t)

	// --first-parent leaves the side branch's commit out.
	st, cs, _ := analyzeAll(t, repo, Options{FirstParent: true})
	if _, ok := cs["side: tmp reads twice"]; ok {
		t.Error("--first-parent analyzed the side branch")
	}
	if c := cs["Merge the side branch"]; c == nil || !c.Merge || c.Class != "" {
		t.Errorf("merge: %+v", c)
	}
	if st.Merges != 1 {
		t.Errorf("merges = %d", st.Merges)
	}

	// --include keeps only matching paths; --exclude drops them.
	_, cs, _ = analyzeAll(t, repo, Options{Include: []string{"fs/**"}, Exclude: []string{"fs/pipe.c"}})
	for _, c := range cs {
		for _, ch := range c.Changes {
			if !strings.HasPrefix(ch.File, "fs/") || ch.File == "fs/pipe.c" {
				t.Errorf("%s: change in %s despite --include/--exclude", c.Subject, ch.File)
			}
		}
	}
	if c := cs["Tweak the entry code"]; c.Class != "none" {
		t.Errorf("excluded assembly still classified: %s (%s)", c.Class, c.Reason)
	}

	// --config replaces the repository's upsynth.yaml: with fs/vfs.c declared
	// non-updatable, its body fixes need a reboot.
	cfg := filepath.Join(t.TempDir(), "upsynth.yaml")
	if err := os.WriteFile(cfg, []byte("include: [include]\nnonupdatable: [{glob: fs/vfs.c, reason: frozen}]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, cs, _ = analyzeAll(t, repo, Options{ConfigFile: cfg})
	if c := cs["Fix off-by-one in vfs_read"]; c.Class != "unsupported" || !strings.Contains(c.Reason, "frozen") {
		t.Errorf("with --config: %s (%s)", c.Class, c.Reason)
	}

	// A bad settings file is an error naming it.
	if err := os.WriteFile(cfg, []byte("purpose: {abcd: bugfix}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Run(t.Context(), Options{Repo: repo, DB: filepath.Join(t.TempDir(), "x.db"), ConfigFile: cfg}); err == nil || !strings.Contains(err.Error(), cfg) {
		t.Errorf("bad config: %v", err)
	}
}
