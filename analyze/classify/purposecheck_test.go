package classify

// This file holds what the purpose tests of every round share.

import (
	"strings"
	"testing"

	"github.com/upsynth/upsynth/cparse"
	"github.com/upsynth/upsynth/kernel"
)

// purposeCase is a message, the purpose it should get, and a word of the
// evidence that should decide it.
type purposeCase struct {
	msg  string
	want Purpose
	why  string
}

// expectPurposes checks each message alone, no diff given.
func expectPurposes(t *testing.T, cfg *kernel.Config, cases []purposeCase) {
	t.Helper()
	for _, c := range cases {
		expectPurpose(t, cfg, c.msg, nil, c.want, c.why)
	}
}

// expectPurpose checks PurposeOf's purpose for a message over files, and
// that its evidence names why (in lower case).
func expectPurpose(t *testing.T, cfg *kernel.Config, msg string, files []File, want Purpose, why string) {
	t.Helper()
	got, evidence := purposeByRules(cfg, "1", msg, files)
	if got != want || !strings.Contains(strings.ToLower(evidence), why) {
		t.Errorf("purposeByRules(%q) = %s (%s), want %s (%s)", msg, got, evidence, want, why)
	}
}

// headerOf is a C header's version holding functions, moduleOf a C
// module's; fileOf a file of a commit changed from old to new, its changes
// compared.
func headerOf(hash string, fns ...cparse.Function) *Version {
	return &Version{Summary: &cparse.Summary{Lang: cparse.LangC, Header: true, TokenHash: hash, Functions: fns}}
}

func moduleOf(hash string, fns ...cparse.Function) *Version {
	return &Version{Summary: &cparse.Summary{Lang: cparse.LangC, TokenHash: hash, Functions: fns}}
}

// bodyChanged is a commit that only changes the body of one function of
// a module.
func bodyChanged(path, function string) []File {
	fn := func(body string) cparse.Function {
		return cparse.Function{Name: function, Signature: "void (void)", Definition: true, BodyHash: body}
	}
	return []File{fileOf(path, moduleOf("1", fn("a")), moduleOf("2", fn("b")))}
}

// changeLines is each change of files as "path change detail".
func changeLines(files []File) []string {
	var lines []string
	for _, f := range files {
		for _, c := range f.Changes {
			lines = append(lines, f.Path+" "+string(c.Change)+" "+c.Detail)
		}
	}
	return lines
}

func fileOf(path string, old, new *Version) File {
	return File{Path: path, Old: old, New: new, Changes: cparse.Diff(old.Summary, new.Summary)}
}

// purposeByRules is PurposeOf without the purpose model: the rules alone.
func purposeByRules(cfg *kernel.Config, sha, msg string, files []File) (Purpose, string) {
	return rulePurpose(cfg, sha, msg, files, readDiff(cfg, files))
}
