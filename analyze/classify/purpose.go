package classify

import (
	"regexp"
	"strings"

	"github.com/upsynth/upsynth/kernel"
)

// Purpose is why a commit was made, from its message.
type Purpose string

const (
	Fix     Purpose = "fix"
	Perf    Purpose = "perf"
	Feature Purpose = "feature"
	Cleanup Purpose = "cleanup"
	Other   Purpose = "other"
)

var (
	prefixRe  = regexp.MustCompile(`^\s*([A-Za-z]+)(\([^)]*\))?!?:`)
	fixesRe   = regexp.MustCompile(`(?mi)^\s*Fixes:\s*\S`)
	prefixMap = map[string]Purpose{
		"fix": Fix, "bugfix": Fix, "hotfix": Fix,
		"perf": Perf,
		"feat": Feature, "feature": Feature,
		"refactor": Cleanup, "cleanup": Cleanup, "style": Cleanup, "docs": Cleanup, "chore": Cleanup,
	}
	// keywords, in the order the rulebook checks them.
	keywords = []struct {
		purpose Purpose
		re      *regexp.Regexp
	}{
		{Fix, regexp.MustCompile(`(?i)\b(fix(es|ed|ing)?|bugs?|leak(s|ed|ing|y)?|rac(e|es|ed|y|ing)|deadlock(s|ed|ing)?|crash(es|ed|ing)?|overflow(s|ed|ing)?|off-by-one|wrong(ly)?|incorrect(ly)?|missing unlock|double[- ]frees?|use-after-free|null (pointer )?deref(erence)?s?|lost|corrupt(s|ed|ion)?|damaged?)\b`)},
		{Perf, regexp.MustCompile(`(?i)\b(faster|speed(s|ing)? ?up|optimi[sz](e|es|ed|ing|ation|ations)|performance|throughput|quadratic|cach(e|es|ed|ing)|hash(es|ed|ing)?|latency|contention|batch(es|ed|ing)?|avoid\w*\b.*\b(cop(y|ies|ying)|scan(s|ning)?)|avoid(s|ed|ing)? (\w+ing|extra|unneeded|unnecessary|redundant|needless))\b|O\([a-z0-9 ^*log]+\)`)},
		{Feature, regexp.MustCompile(`(?i)\b(add(s|ed|ing)?|support(s|ed|ing)?|implement(s|ed|ing)?|introduc(e|es|ed|ing)|new)\b`)},
		{Cleanup, regexp.MustCompile(`(?i)\b(clean(s|ed|ing)?[- ]?ups?|refactor(s|ed|ing)?|renam(e|es|ed|ing)|tid(y|ies|ied)|comments?|whitespace|typos?|style|simplif(y|ies|ied|ication))\b`)},
	}
)

// Subject is a commit message's first line.
func Subject(msg string) string {
	msg = strings.TrimLeft(msg, "\n")
	if i := strings.IndexByte(msg, '\n'); i >= 0 {
		msg = msg[:i]
	}
	return strings.TrimSpace(msg)
}

// PurposeOf decides a commit's purpose: an upsynth.yaml override, then a
// conventional prefix, a Fixes: trailer, keywords in the subject, keywords
// in the body. It returns the purpose and what decided it.
func PurposeOf(cfg *kernel.Config, sha, msg string) (Purpose, string) {
	if p := cfg.PurposeOverride(sha); p != "" {
		return Purpose(p), "upsynth.yaml override"
	}
	subject := Subject(msg)
	if m := prefixRe.FindStringSubmatch(subject); m != nil {
		if p, ok := prefixMap[strings.ToLower(m[1])]; ok {
			return p, "prefix " + m[1] + ":"
		}
	}
	if fixesRe.MatchString(msg) {
		return Fix, "Fixes: trailer"
	}
	body := strings.TrimSpace(strings.TrimPrefix(strings.TrimLeft(msg, "\n"), subject))
	for _, part := range []struct{ where, text string }{{"subject", subject}, {"body", body}} {
		for _, k := range keywords {
			if w := k.re.FindString(part.text); w != "" {
				return k.purpose, part.where + " says " + strings.ToLower(w)
			}
		}
	}
	return Other, "no purpose keyword"
}
