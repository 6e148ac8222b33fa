package report

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestLabel(t *testing.T) {
	for _, tc := range []struct {
		srcs []Source
		want []string
	}{
		{[]Source{{DB: "a.db"}}, []string{"a"}},
		{[]Source{{DB: "x/a.db"}, {DB: "y/b.db"}}, []string{"a", "b"}},
		{[]Source{{DB: "a.db", Rev: "v1..v2"}, {DB: "a.db", Rev: "v2..v3"}}, []string{"v1..v2", "v2..v3"}},
		{[]Source{{DB: "a.db", Rev: "v1"}, {DB: "b.db", Rev: "v2"}}, []string{"a v1", "b v2"}},
		{[]Source{{DB: "x/a.db"}, {DB: "y/a.db"}}, []string{"x/a.db", "y/a.db"}},
	} {
		if got := Label(tc.srcs); !slices.Equal(got, tc.want) {
			t.Errorf("%+v: %q, want %q", tc.srcs, got, tc.want)
		}
	}
}

func TestLoadErrors(t *testing.T) {
	ctx := context.Background()
	if _, err := Load(ctx, Source{DB: filepath.Join(t.TempDir(), "none.db")}); err == nil || !strings.Contains(err.Error(), "no analysis database") {
		t.Errorf("missing database: %v", err)
	}
	db := fixtureDB(t, "kernel", fixtureCommits())
	if _, err := Load(ctx, Source{DB: db, Repo: "/elsewhere"}); err == nil || !strings.Contains(err.Error(), "it holds: /src/kernel") {
		t.Errorf("unknown repository: %v", err)
	}
	// The fixture's repository does not exist on disk: --rev cannot resolve.
	if _, err := Load(ctx, Source{DB: db, Rev: "HEAD~1..HEAD"}); err == nil || !strings.Contains(err.Error(), "--rev HEAD~1..HEAD") {
		t.Errorf("unresolvable range: %v", err)
	}
	ds, err := Load(ctx, Source{DB: db, Repo: "/src/kernel"})
	if err != nil || len(ds.Commits) != 24 {
		t.Errorf("--repo /src/kernel: %d commits, %v", len(ds.Commits), err)
	}
}

// TestEmpty renders a database with no commits in every format.
func TestEmpty(t *testing.T) {
	ds, err := Load(context.Background(), Source{DB: fixtureDB(t, "empty", nil)})
	if err != nil {
		t.Fatal(err)
	}
	rep := Compute([]Dataset{ds}, Options{By: ByYear})
	for _, format := range Formats {
		var buf strings.Builder
		if err := Write(&buf, rep, format, []Dataset{ds}); err != nil {
			t.Errorf("%s: %v", format, err)
		}
	}
	if err := WriteCommits(&strings.Builder{}, nil, "html", "nothing", 0); err != nil {
		t.Error(err)
	}
}
