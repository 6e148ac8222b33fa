package report

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files from actual output")

// golden compares got with testdata/golden/name, or rewrites it.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (go test -update rewrites it); got:\n%s", name, got)
	}
}

// stableFixture loads the fixture under a name that does not depend on
// the temporary directory.
func stableFixture(t *testing.T, name string, keep int) Dataset {
	t.Helper()
	cs := fixtureCommits()
	ds, err := Load(context.Background(), Source{DB: fixtureDB(t, name, cs[:keep])})
	if err != nil {
		t.Fatal(err)
	}
	ds.Source = name + ".db"
	return ds
}

var extensions = map[string]string{"text": "txt", "json": "json", "csv": "csv", "markdown": "md", "html": "html"}

func TestGoldenCoverage(t *testing.T) {
	full := stableFixture(t, "kernel", 24)
	early := stableFixture(t, "kernel-2022", 14)
	cases := []struct {
		name     string
		datasets []Dataset
		opts     Options
	}{
		{"purpose", []Dataset{full}, Options{}},
		{"year", []Dataset{full}, Options{By: ByYear}},
		{"path", []Dataset{full}, Options{By: ByPath, PathDepth: 2}},
		{"compare", []Dataset{full, early}, Options{}},
	}
	for _, tc := range cases {
		rep := Compute(tc.datasets, tc.opts)
		for _, format := range Formats {
			t.Run(tc.name+"/"+format, func(t *testing.T) {
				var buf bytes.Buffer
				if err := Write(&buf, rep, format, tc.datasets); err != nil {
					t.Fatal(err)
				}
				golden(t, "coverage-"+tc.name+"."+extensions[format], buf.Bytes())
			})
		}
	}
}

func TestGoldenCommits(t *testing.T) {
	ds := stableFixture(t, "kernel", 24)
	cs := Filter{Purpose: PurposeFixPerf, Class: "state"}.Select(ds.Commits)
	if len(cs) != 4 {
		t.Fatalf("fix+perf state: %d commits, want 4", len(cs))
	}
	for _, format := range Formats {
		t.Run(format, func(t *testing.T) {
			var buf bytes.Buffer
			if err := WriteCommits(&buf, cs, format, Filter{Purpose: PurposeFixPerf, Class: "state"}.Describe(), 0); err != nil {
				t.Fatal(err)
			}
			golden(t, "commits-fixperf-state."+extensions[format], buf.Bytes())
		})
	}
}

func TestUnknownFormat(t *testing.T) {
	rep := Compute(nil, Options{})
	if err := Write(&bytes.Buffer{}, rep, "pdf", nil); err == nil {
		t.Error("Write accepted pdf")
	}
	if err := WriteCommits(&bytes.Buffer{}, nil, "pdf", "", 0); err == nil {
		t.Error("WriteCommits accepted pdf")
	}
}
