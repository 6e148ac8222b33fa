// This file implements the word model: a naive Bayes classifier over the
// words of a commit message, trained on hand-labelled commits of real
// kernels, that PurposeOf consults only when its rules find no evidence.

package classify

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"sort"
	"strings"
	"sync"
)

// WordModel counts, for each purpose, the labelled commits whose messages
// hold each feature: a word of the subject (its "area: " prefixes left
// out), the subject's first such word, a word of the body. A message's
// purpose is the one under which its features are likeliest
// (multinomial naive Bayes over the set of features, add-half smoothing).
// Only features seen in at least MinCommits commits are kept, so the
// model is a table of common words, not of any one commit's text.
type WordModel struct {
	// Commits counts the training commits of each purpose.
	Commits map[Purpose]int `json:"commits"`
	// Features counts, per feature, the training commits holding it, in
	// the order fix, feature, perf, cleanup, other (modelPurposes).
	Features map[string][]int `json:"features"`
	// MinCommits is the fewest commits a feature was seen in to be kept.
	MinCommits int `json:"min_commits"`

	totals map[Purpose]int // features counted per purpose
}

// modelPurposes is the order of a WordModel's per-feature counts.
var modelPurposes = []Purpose{Fix, Feature, Perf, Cleanup, Other}

// LabelledMessage is a commit message with the purpose a person gave it.
type LabelledMessage struct {
	Message string
	Purpose Purpose
}

var (
	modelWordRe = regexp.MustCompile(`[a-z]+`)
	// subjectAreaRe: the "area: " prefixes of a subject, which name where
	// a change was made, not why.
	subjectAreaRe = regexp.MustCompile(`^([\w/.,-]+: )+`)
	// trailerLineRe: a trailer of people ("Signed-off-by: wangfei_chen
	// <...@realsil.com.cn>", "Co-authored-by:") or a review tool's id,
	// whose names and addresses say who, never why.
	trailerLineRe = regexp.MustCompile(`(?mi)^[ \t]*([a-z][\w-]*-by|change-id|cc):.*$`)
)

// messageFeatures returns the distinct features of a commit message.
func messageFeatures(msg string) []string {
	subject := Subject(msg)
	body := msg
	if i := strings.Index(msg, subject); i >= 0 {
		body = msg[i+len(subject):]
	}
	seen := map[string]bool{}
	var features []string
	add := func(where, word string) {
		// A single letter is a file's extension or a variable ("memlayout.h"),
		// never a sign of a purpose.
		if f := where + " " + word; len(word) > 1 && !seen[f] && !functionWords[word] {
			seen[f] = true
			features = append(features, f)
		}
	}
	words := modelWordRe.FindAllString(strings.ToLower(subjectAreaRe.ReplaceAllString(subject, "")), -1)
	for _, w := range words {
		add("subject", w)
	}
	if len(words) > 0 {
		add("first", words[0])
	}
	for _, w := range modelWordRe.FindAllString(strings.ToLower(trailerLineRe.ReplaceAllString(body, "")), -1) {
		add("body", w)
	}
	return features
}

// functionWords are English words that say nothing of a purpose; left out,
// the model's evidence is words a reader can weigh. (Negations stay: "not"
// and "no" often say what went wrong.)
var functionWords = wordSet(`a an the to of in on for and or but is are was were be been being it its
this that these those with from by at as we i you he she they them our your their so if then than
there here have has had do does did can could will would should may might must just also into out up
down over about after before when while which who what where why how all any each some more most
other such very get got us one two`)

func wordSet(words string) map[string]bool {
	set := map[string]bool{}
	for _, w := range strings.Fields(words) {
		set[w] = true
	}
	return set
}

// TrainWordModel counts the features of labelled messages, keeping those
// seen in at least minCommits of them.
func TrainWordModel(examples []LabelledMessage, minCommits int) (*WordModel, error) {
	index := map[Purpose]int{}
	for i, p := range modelPurposes {
		index[p] = i
	}
	m := &WordModel{Commits: map[Purpose]int{}, Features: map[string][]int{}, MinCommits: minCommits}
	for _, e := range examples {
		i, ok := index[e.Purpose]
		if !ok {
			return nil, fmt.Errorf("word model: unknown purpose %q", e.Purpose)
		}
		m.Commits[e.Purpose]++
		for _, f := range messageFeatures(e.Message) {
			counts := m.Features[f]
			if counts == nil {
				counts = make([]int, len(modelPurposes))
				m.Features[f] = counts
			}
			counts[i]++
		}
	}
	for f, counts := range m.Features {
		if sumOf(counts) < minCommits {
			delete(m.Features, f)
		}
	}
	m.count()
	return m, nil
}

// ReadWordModel decodes a model written by WordModel.Encode.
func ReadWordModel(data []byte) (*WordModel, error) {
	var m WordModel
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("word model: %w", err)
	}
	for f, counts := range m.Features {
		if len(counts) != len(modelPurposes) {
			return nil, fmt.Errorf("word model: feature %q has %d counts, want %d", f, len(counts), len(modelPurposes))
		}
	}
	m.count()
	return &m, nil
}

// Encode writes the model as JSON, a feature a line in sorted order, so
// that a retrained model's diff shows which words moved.
func (m *WordModel) Encode() ([]byte, error) {
	var b bytes.Buffer
	commits, err := json.Marshal(m.Commits)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(&b, "{\n\t\"min_commits\": %d,\n\t\"commits\": %s,\n\t\"features\": {", m.MinCommits, commits)
	features := make([]string, 0, len(m.Features))
	for f := range m.Features {
		features = append(features, f)
	}
	sort.Strings(features)
	for i, f := range features {
		name, err := json.Marshal(f)
		if err != nil {
			return nil, err
		}
		counts, err := json.Marshal(m.Features[f])
		if err != nil {
			return nil, err
		}
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "\n\t\t%s: %s", name, counts)
	}
	b.WriteString("\n\t}\n}\n")
	return b.Bytes(), nil
}

func (m *WordModel) count() {
	m.totals = map[Purpose]int{}
	for _, counts := range m.Features {
		for i, n := range counts {
			m.totals[modelPurposes[i]] += n
		}
	}
}

// sumOf is the sum of counts.
func sumOf(counts []int) int {
	n := 0
	for _, c := range counts {
		n += c
	}
	return n
}

// Size is the number of labelled commits the model was trained on.
func (m *WordModel) Size() int {
	n := 0
	for _, c := range m.Commits {
		n += c
	}
	return n
}

// WordEvidence is a feature of a message and how much more likely it made
// the chosen purpose than the runner-up (a log-likelihood ratio).
type WordEvidence struct {
	Feature string
	Weight  float64
}

// Predict returns the likeliest purpose of a message, the margin of its
// log-likelihood over the runner-up's, and the features that favoured it
// most, strongest first. ok is false when no feature of the message is
// in the model: then nothing tells.
func (m *WordModel) Predict(msg string) (p Purpose, margin float64, evidence []WordEvidence, ok bool) {
	const smoothing = 0.5
	var features []string
	for _, f := range messageFeatures(msg) {
		if m.Features[f] != nil {
			features = append(features, f)
		}
	}
	if len(features) == 0 || m.Size() == 0 {
		return Other, 0, nil, false
	}
	vocabulary := float64(len(m.Features))
	total := float64(m.Size())
	likelihood := func(i int, f string) float64 {
		return math.Log((float64(m.Features[f][i]) + smoothing) / (float64(m.totals[modelPurposes[i]]) + smoothing*vocabulary))
	}
	best, second := -1, -1
	scores := make([]float64, len(modelPurposes))
	for i, purpose := range modelPurposes {
		if m.Commits[purpose] == 0 {
			continue
		}
		scores[i] = math.Log(float64(m.Commits[purpose]) / total)
		for _, f := range features {
			scores[i] += likelihood(i, f)
		}
		switch {
		case best < 0 || scores[i] > scores[best]:
			best, second = i, best
		case second < 0 || scores[i] > scores[second]:
			second = i
		}
	}
	if second < 0 {
		return modelPurposes[best], math.Inf(1), nil, true
	}
	for _, f := range features {
		if w := likelihood(best, f) - likelihood(second, f); w > 0 {
			evidence = append(evidence, WordEvidence{f, w})
		}
	}
	sort.SliceStable(evidence, func(i, j int) bool {
		if evidence[i].Weight != evidence[j].Weight {
			return evidence[i].Weight > evidence[j].Weight
		}
		return evidence[i].Feature < evidence[j].Feature
	})
	return modelPurposes[best], scores[best] - scores[second], evidence, true
}

// wordModelJSON is the model trained on this repository's hand labels
// (analyze/testdata/labels; retrained by `go test ./analyze -run
// TestWordModelTrained -update` with the kernels' clones named).
//
//go:embed wordmodel.json
var wordModelJSON []byte

// builtinWordModel is the embedded model, decoded once.
var builtinWordModel = sync.OnceValues(func() (*WordModel, error) {
	return ReadWordModel(wordModelJSON)
})

// BuiltinWordModel returns the model PurposeOf consults.
func BuiltinWordModel() (*WordModel, error) { return builtinWordModel() }

// wordModelPurpose is PurposeOf's last resort: the word model's purpose
// for a message the rules found no evidence in, and the words that
// decided it; "" when the model knows none of its words.
func wordModelPurpose(msg string) (Purpose, string) {
	p, _, words := wordModelReading(msg)
	return p, words
}

// wordModelReading is the embedded word model's purpose for msg, its
// margin over the runner-up, and the words that decided it as a reason
// quotes them; "" when the model knows none of the message's words.
func wordModelReading(msg string) (p Purpose, margin float64, words string) {
	m, err := builtinWordModel()
	if err != nil {
		// The embedded model is checked by the tests; a binary built with
		// a broken one still classifies by its rules.
		return "", 0, ""
	}
	p, margin, evidence, ok := m.Predict(msg)
	if !ok || len(evidence) == 0 {
		return "", 0, ""
	}
	const shown = 3
	var decided []string
	for i, e := range evidence {
		if i == shown {
			break
		}
		decided = append(decided, fmt.Sprintf("%s (%+.1f)", describeFeature(e.Feature), e.Weight))
	}
	return p, margin, fmt.Sprintf("word model of %d labelled commits: %s", m.Size(), strings.Join(decided, ", "))
}

// describeFeature spells a feature for a reason: `"race" in the body`.
func describeFeature(feature string) string {
	where, word, _ := strings.Cut(feature, " ")
	switch where {
	case "first":
		return fmt.Sprintf("%q leading the subject", word)
	default:
		return fmt.Sprintf("%q in the %s", word, where)
	}
}
