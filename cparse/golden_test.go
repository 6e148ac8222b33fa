package cparse

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/upsynth/upsynth/runtime/emu/abi"
)

var update = flag.Bool("update", false, "rewrite golden files from actual output")

// checkGolden compares got with the golden file, or rewrites it with -update.
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	file := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(file, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from golden file; got:\n%s", file, got)
	}
}

// sourceFixtures lists the C and C++ files under testdata/src.
func sourceFixtures(t testing.TB) []string {
	var files []string
	err := fs.WalkDir(os.DirFS("testdata/src"), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		switch path.Ext(p) {
		case ".c", ".h", ".cc", ".hpp":
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(files)
	return files
}

func summarizeFixture(t testing.TB, root, file string, engine EngineChoice) *Summary {
	src, err := os.ReadFile(filepath.Join(root, file))
	if err != nil {
		t.Fatal(err)
	}
	return Parse(context.Background(), file, src, Config{Predefined: abi.Predefined, FS: os.DirFS(root), Engine: engine})
}

func enginesFor(file string) []EngineChoice {
	if lang, _ := LangOf(file); lang == LangCPP {
		return []EngineChoice{EngineChoiceTolerant}
	}
	return []EngineChoice{EngineChoicePrecise, EngineChoiceTolerant}
}

func TestSummaryGolden(t *testing.T) {
	for _, file := range sourceFixtures(t) {
		for _, engine := range enginesFor(file) {
			t.Run(file+"/"+string(engine), func(t *testing.T) {
				sum := summarizeFixture(t, "testdata/src", file, engine)
				if string(sum.Engine) != string(engine) {
					t.Fatalf("engine %s answered, want %s; errors: %v", sum.Engine, engine, sum.Errors)
				}
				got, err := json.MarshalIndent(sum, "", "  ")
				if err != nil {
					t.Fatal(err)
				}
				checkGolden(t, "summary/"+strings.ReplaceAll(file, "/", "_")+"."+string(engine)+".json", append(got, '\n'))
			})
		}
	}
}

// formatChanges renders changes one a line, as the golden diff files hold
// them.
func formatChanges(changes []Change) []byte {
	var b bytes.Buffer
	for _, c := range changes {
		fmt.Fprintf(&b, "%s %s %s", c.Entity, c.Name, c.Change)
		if c.Access != "" {
			fmt.Fprintf(&b, " [%s]", c.Access)
		}
		if c.Virtual {
			b.WriteString(" [virtual]")
		}
		if c.Detail != "" {
			fmt.Fprintf(&b, ": %s", c.Detail)
		}
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// diffPair summarizes <dir>/old/<file> and <dir>/new/<file>, each in its
// own tree, and diffs them.
func diffPair(t testing.TB, dir, file string, engine EngineChoice) ([]Change, *Summary, *Summary) {
	old := summarizeFixture(t, filepath.Join("testdata/diff", dir, "old"), file, engine)
	new := summarizeFixture(t, filepath.Join("testdata/diff", dir, "new"), file, engine)
	return Diff(old, new), old, new
}

func TestDiffGolden(t *testing.T) {
	dirs, err := os.ReadDir("testdata/diff")
	if err != nil {
		t.Fatal(err)
	}
	for _, dir := range dirs {
		files, err := os.ReadDir(filepath.Join("testdata/diff", dir.Name(), "new"))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			if f.IsDir() {
				continue
			}
			for _, engine := range enginesFor(f.Name()) {
				t.Run(dir.Name()+"/"+f.Name()+"/"+string(engine), func(t *testing.T) {
					changes, old, new := diffPair(t, dir.Name(), f.Name(), engine)
					for _, s := range []*Summary{old, new} {
						if string(s.Engine) != string(engine) {
							t.Fatalf("%s: engine %s answered, want %s; errors: %v", s.Path, s.Engine, engine, s.Errors)
						}
					}
					checkGolden(t, "diff/"+dir.Name()+"_"+f.Name()+"."+string(engine)+".txt", formatChanges(changes))
				})
			}
		}
	}
}
