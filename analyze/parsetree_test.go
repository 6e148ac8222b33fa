package analyze

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/upsynth/upsynth/cparse"
	"github.com/upsynth/upsynth/kernel"
)

// TestParseRealTree parses the C and C++ files of one revision of a real
// kernel as analyze does (the same settings, the tree as the precise
// engine's file system, includes missing from the tree found first), with
// no database and no classification, and reports the parse CPU time by
// outcome: a profile of it (-cpuprofile) is a profile of parsing alone.
// UPSYNTH_PARSE_REPO is the clone, UPSYNTH_PARSE_REV the revision;
// UPSYNTH_PARSE_MATCH (a regular expression) narrows the paths, and
// UPSYNTH_PARSE_ENGINE chooses the engine (auto when unset). With
// UPSYNTH_PARSE_DIGEST set, a digest of each summary is written to that
// file, to compare two versions of cparse over the same tree. With
// UPSYNTH_PARSE_REPEAT=N the files are parsed N times and the figures are
// the last pass's: what a file costs once cparse's memos are warm, as in a
// history where each version of it is parsed after others.
func TestParseRealTree(t *testing.T) {
	repoPath, rev := os.Getenv("UPSYNTH_PARSE_REPO"), os.Getenv("UPSYNTH_PARSE_REV")
	if repoPath == "" || rev == "" {
		t.Skip("UPSYNTH_PARSE_REPO and UPSYNTH_PARSE_REV unset: set them to a kernel clone and a revision")
	}
	match := regexp.MustCompile(os.Getenv("UPSYNTH_PARSE_MATCH"))
	repo, err := kernel.Open(repoPath)
	if err != nil {
		t.Fatal(err)
	}
	defer repo.Close()
	tree, err := repo.At(rev)
	if err != nil {
		t.Fatal(err)
	}
	c, err := repo.Commit(mustResolve(t, repo, rev))
	if err != nil {
		t.Fatal(err)
	}
	files, err := repo.Files(c.TreeHash)
	if err != nil {
		t.Fatal(err)
	}
	engine := cparse.EngineChoice(os.Getenv("UPSYNTH_PARSE_ENGINE"))
	if engine == "" {
		engine = cparse.EngineAuto
	}
	pcfg := parseSettings(tree.Config, engine)
	m := &memo{ctx: context.Background(), repo: repo, parse: cparse.Parse, pcfg: pcfg, fp: pcfg.Fingerprint(), maxFile: cparse.MaxFileSize}
	type outcome struct {
		n     int
		bytes int64
		ms    float64
	}
	byOutcome := map[string]*outcome{}
	type slow struct {
		path string
		ms   float64
		size int64
		why  string
	}
	var slowest []slow
	var digests []string
	repeat := 1
	if v := os.Getenv("UPSYNTH_PARSE_REPEAT"); v != "" {
		if _, err := fmt.Sscan(v, &repeat); err != nil || repeat < 1 {
			t.Fatalf("UPSYNTH_PARSE_REPEAT=%q: want a count of passes", v)
		}
	}
	for pass := 1; pass < repeat; pass++ {
		for _, f := range files {
			if match.MatchString(f.Path) && kernel.IsSource(f.Path) {
				m.summarize(f.To, f.Path, c.TreeHash, nil)
			}
		}
	}
	for _, f := range files {
		if !match.MatchString(f.Path) || !kernel.IsSource(f.Path) {
			continue
		}
		b, _, _ := m.summarize(f.To, f.Path, c.TreeHash, nil)
		key := "unreadable"
		if b.Summary != nil {
			key = string(b.Summary.Engine)
			if strings.Contains(b.Reason, "precise engine failed") {
				key += " after a failed precise attempt"
			}
		}
		o := byOutcome[key]
		if o == nil {
			o = &outcome{}
			byOutcome[key] = o
		}
		o.n++
		o.bytes += b.Size
		o.ms += b.ParseMS
		slowest = append(slowest, slow{f.Path, b.ParseMS, b.Size, b.Reason})
		if b.Summary != nil {
			sum := *b.Summary
			data, err := json.Marshal(&sum)
			if err != nil {
				t.Fatal(err)
			}
			digests = append(digests, fmt.Sprintf("%x %s %s", sha256.Sum256(data), sum.Engine, f.Path))
		}
	}
	if out := os.Getenv("UPSYNTH_PARSE_DIGEST"); out != "" {
		sort.Strings(digests)
		if err := os.WriteFile(out, []byte(strings.Join(digests, "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	keys := make([]string, 0, len(byOutcome))
	for k := range byOutcome {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		o := byOutcome[k]
		t.Logf("%s: %d files, %.2f MB, %.2f CPU-s, %.2f MB/cpu-s", k, o.n, float64(o.bytes)/1e6, o.ms/1000, float64(o.bytes)/1e3/max(o.ms, 1e-9))
	}
	sort.Slice(slowest, func(i, j int) bool { return slowest[i].ms > slowest[j].ms })
	for _, s := range slowest[:min(len(slowest), 15)] {
		t.Logf("%8.1f ms %8d B %s %s", s.ms, s.size, s.path, firstN(s.why, 120))
	}
}

func mustResolve(t *testing.T, repo *kernel.Repo, rev string) plumbing.Hash {
	h, err := repo.Resolve(rev)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func firstN(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}
