// This file implements the purpose model: a multinomial logistic
// regression over the words of a commit message and the shape of its diff,
// trained on hand-labelled commits of real kernels. PurposeOf consults it
// when its rules find no evidence, and lets it overrule a rule that is not
// settled (settled) when it reads the commit confidently otherwise.

package classify

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/upsynth/upsynth/kernel"
)

// PurposeModel weighs, for each purpose, the features of a commit: a word
// of the subject (its "area: " prefixes left out), the subject's first
// such word, a word of the body, the rulebook's keyword lists the subject
// and the body hold, facts of the diff ("function body", "new files",
// "2-3 files"), and the first word over what the diff did ("add" over
// additions). A commit's score for a purpose is its bias
// plus the weights of its features; the highest score is its purpose, and
// each weight says how much a feature spoke for it, so a reason can name
// the features that decided. Only features seen in at least MinCommits
// training commits are kept, so the model is a table of common words and
// shapes, not of any one commit.
type PurposeModel struct {
	// Commits counts the training commits of each purpose.
	Commits map[Purpose]int `json:"commits"`
	// MinCommits is the fewest commits a feature was seen in to be kept.
	MinCommits int `json:"min_commits"`
	// Bias is each purpose's score before any feature, in the order fix,
	// feature, perf, cleanup, other (modelPurposes).
	Bias []float64 `json:"bias"`
	// Weights holds, per feature, its weight for each purpose in the same
	// order.
	Weights map[string][]float64 `json:"weights"`
}

// modelPurposes is the order of a PurposeModel's per-purpose values.
var modelPurposes = []Purpose{Fix, Feature, Perf, Cleanup, Other}

// LabelledCommit is a commit's features (PurposeFeatures) with the purpose
// a person gave it.
type LabelledCommit struct {
	Features []string
	Purpose  Purpose
}

// Training settings: stochastic gradient descent over the examples in one
// fixed shuffled order per epoch (so training is reproducible), a step
// that shrinks each epoch, and a small L2 penalty that keeps rare features'
// weights modest. Chosen by cross-validation over the label files
// (docs/real-kernels.md); the figures are flat around them.
const (
	trainingEpochs = 15
	trainingStep   = 0.1
	trainingDecay  = 0.3
	trainingL2     = 1e-4
	trainingSeed   = 1
	// weightDigits is how many decimals the encoded weights keep: enough
	// for every prediction, few enough that the file reads.
	weightDigits = 3
)

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
	// The rulebook's keyword lists, as one feature each: "leak", "leaked"
	// and "leaking" are one sign to the model, however rare each spelling.
	unprefixed := subjectAreaRe.ReplaceAllString(subject, "")
	for i, k := range keywords {
		for _, part := range []struct{ where, text string }{{"subject", unprefixed}, {"body", body}} {
			if k.find(part.text) != "" {
				features = append(features, "keyword "+keywordNames[i]+" in the "+part.where)
			}
		}
	}
	return features
}

// keywordNames name the rulebook's keyword lists (keywords), in order.
var keywordNames = []string{"fault", "performance", "weaker fault", "cleanup", "feature"}

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

// diffFeatures returns the facts of a commit's diff the model weighs:
// which kinds of entity changed and how, how many, and what kinds of file.
// None when the diff is unknown.
func diffFeatures(d diffFacts) []string {
	if !d.known {
		return nil
	}
	var features []string
	add := func(format string, args ...any) { features = append(features, "diff "+fmt.Sprintf(format, args...)) }
	changes := 0
	for change, n := range d.entityChanges {
		add("%s", change)
		changes += n
	}
	switch {
	case changes == 0:
		add("no entity changed")
	case d.entityChanges["function body"] == changes:
		add("only function bodies")
	}
	add("%s changed", countBucket(changes, "entity", "entities"))
	for _, kind := range []struct {
		n    int
		name string
	}{{d.docs, "docs"}, {d.tests, "tests"}, {d.ci, "CI files"}, {d.other, "other files"}, {d.build, "build files"},
		{d.asm, "assembly"}, {d.headers, "headers"}, {d.newFiles, "new files"}, {d.deletedFiles, "files deleted"}, {d.renamed, "files renamed"}} {
		if kind.n > 0 {
			add("%s", kind.name)
		}
	}
	add("%s", countBucket(d.docs+d.tests+d.ci+d.other+d.code, "file", "files"))
	if d.compiled == 0 {
		add("nothing compiled changed")
	}
	for _, fact := range []struct {
		set  bool
		name string
	}{{d.lock != "", "lock call gained"}, {d.check != "", "check call gained"}, {d.option != "", "option added"},
		{d.syscall != "", "system call added"}, {len(d.adopters) > 0, "new function put to use"}, {d.moved > 0, "entities moved"}} {
		if fact.set {
			add("%s", fact.name)
		}
	}
	return features
}

// countBucket names a count by its order of magnitude ("2-3 files"), so
// that one feature stands for many nearby counts.
func countBucket(n int, one, many string) string {
	switch {
	case n == 0:
		return "no " + many
	case n == 1:
		return "1 " + one
	case n <= 3:
		return "2-3 " + many
	case n <= 10:
		return "4-10 " + many
	case n <= 40:
		return "11-40 " + many
	default:
		return "over 40 " + many
	}
}

// PurposeFeatures returns the features of a commit the purpose model
// weighs: its message's and its diff's (files as PurposeOf takes them).
func PurposeFeatures(cfg *kernel.Config, msg string, files []File) []string {
	return commitFeatures(msg, readDiff(cfg, files))
}

// commitFeatures is PurposeFeatures over a diff already read, sorted.
func commitFeatures(msg string, d diffFacts) []string {
	features := append(messageFeatures(msg), diffFeatures(d)...)
	if shape := diffShape(d); shape != "" {
		for _, f := range features {
			if strings.HasPrefix(f, "first ") {
				features = append(features, f+" over "+shape)
			}
		}
	}
	sort.Strings(features)
	return features
}

// TrainPurposeModel fits a model to labelled commits, keeping the features
// seen in at least minCommits of them.
func TrainPurposeModel(examples []LabelledCommit, minCommits int) (*PurposeModel, error) {
	index := map[Purpose]int{}
	for i, p := range modelPurposes {
		index[p] = i
	}
	m := &PurposeModel{Commits: map[Purpose]int{}, MinCommits: minCommits, Bias: make([]float64, len(modelPurposes)), Weights: map[string][]float64{}}
	seen := map[string]int{}
	for _, e := range examples {
		if _, ok := index[e.Purpose]; !ok {
			return nil, fmt.Errorf("purpose model: unknown purpose %q", e.Purpose)
		}
		m.Commits[e.Purpose]++
		for _, f := range dedupe(e.Features) {
			seen[f]++
		}
	}
	for f, n := range seen {
		if n >= minCommits {
			m.Weights[f] = make([]float64, len(modelPurposes))
		}
	}
	// Each example's kept features, looked up once.
	kept := make([][][]float64, len(examples))
	for i, e := range examples {
		for _, f := range dedupe(e.Features) {
			if w := m.Weights[f]; w != nil {
				kept[i] = append(kept[i], w)
			}
		}
	}
	order := make([]int, len(examples))
	for i := range order {
		order[i] = i
	}
	random := rand.New(rand.NewPCG(trainingSeed, 0))
	probability := make([]float64, len(modelPurposes))
	for epoch := range trainingEpochs {
		random.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		step := trainingStep / (1 + trainingDecay*float64(epoch))
		for _, i := range order {
			m.softmax(kept[i], probability)
			want := index[examples[i].Purpose]
			for k := range modelPurposes {
				gradient := probability[k]
				if k == want {
					gradient--
				}
				m.Bias[k] -= step * gradient
				for _, w := range kept[i] {
					w[k] -= step * (gradient + trainingL2*w[k])
				}
			}
		}
	}
	round := func(x float64) float64 {
		scale := math.Pow(10, weightDigits)
		return math.Round(x*scale) / scale
	}
	for k := range m.Bias {
		m.Bias[k] = round(m.Bias[k])
	}
	for f, w := range m.Weights {
		zero := true
		for k := range w {
			w[k] = round(w[k])
			zero = zero && w[k] == 0
		}
		if zero {
			delete(m.Weights, f)
		}
	}
	return m, nil
}

// softmax writes into probability each purpose's probability given the
// weights of a commit's features.
func (m *PurposeModel) softmax(weights [][]float64, probability []float64) {
	max := math.Inf(-1)
	for k := range probability {
		probability[k] = m.Bias[k]
		for _, w := range weights {
			probability[k] += w[k]
		}
		max = math.Max(max, probability[k])
	}
	sum := 0.0
	for k := range probability {
		probability[k] = math.Exp(probability[k] - max)
		sum += probability[k]
	}
	for k := range probability {
		probability[k] /= sum
	}
}

// dedupe returns features without repeats, in their first order.
func dedupe(features []string) []string {
	seen := make(map[string]bool, len(features))
	out := features[:0:0]
	for _, f := range features {
		if !seen[f] {
			seen[f] = true
			out = append(out, f)
		}
	}
	return out
}

// ReadPurposeModel decodes a model written by PurposeModel.Encode.
func ReadPurposeModel(data []byte) (*PurposeModel, error) {
	var m PurposeModel
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("purpose model: %w", err)
	}
	if len(m.Bias) != len(modelPurposes) {
		return nil, fmt.Errorf("purpose model: %d biases, want %d", len(m.Bias), len(modelPurposes))
	}
	for f, w := range m.Weights {
		if len(w) != len(modelPurposes) {
			return nil, fmt.Errorf("purpose model: feature %q has %d weights, want %d", f, len(w), len(modelPurposes))
		}
	}
	return &m, nil
}

// Encode writes the model as JSON, a feature a line in sorted order, so
// that a retrained model's diff shows which features moved.
func (m *PurposeModel) Encode() ([]byte, error) {
	var b bytes.Buffer
	commits, err := json.Marshal(m.Commits)
	if err != nil {
		return nil, err
	}
	bias, err := json.Marshal(m.Bias)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(&b, "{\n\t\"min_commits\": %d,\n\t\"commits\": %s,\n\t\"bias\": %s,\n\t\"weights\": {", m.MinCommits, commits, bias)
	features := make([]string, 0, len(m.Weights))
	for f := range m.Weights {
		features = append(features, f)
	}
	sort.Strings(features)
	for i, f := range features {
		name, err := json.Marshal(f)
		if err != nil {
			return nil, err
		}
		weights, err := json.Marshal(m.Weights[f])
		if err != nil {
			return nil, err
		}
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "\n\t\t%s: %s", name, weights)
	}
	b.WriteString("\n\t}\n}\n")
	return b.Bytes(), nil
}

// Size is the number of labelled commits the model was trained on.
func (m *PurposeModel) Size() int {
	n := 0
	for _, c := range m.Commits {
		n += c
	}
	return n
}

// Evidence is a feature of a commit and how much more it spoke for the
// chosen purpose than for the runner-up (a difference of weights).
type Evidence struct {
	Feature string
	Weight  float64
}

// Predict returns the likeliest purpose of a commit with these features,
// the margin of its score over the runner-up's, and the features that
// favoured it most, strongest first. ok is false when no feature is in the
// model: then nothing tells.
func (m *PurposeModel) Predict(features []string) (p Purpose, margin float64, evidence []Evidence, ok bool) {
	var known []string
	for _, f := range dedupe(features) {
		if m.Weights[f] != nil {
			known = append(known, f)
		}
	}
	if len(known) == 0 || m.Size() == 0 {
		return Other, 0, nil, false
	}
	best, second := -1, -1
	scores := make([]float64, len(modelPurposes))
	for k, purpose := range modelPurposes {
		if m.Commits[purpose] == 0 {
			continue
		}
		scores[k] = m.Bias[k]
		for _, f := range known {
			scores[k] += m.Weights[f][k]
		}
		switch {
		case best < 0 || scores[k] > scores[best]:
			best, second = k, best
		case second < 0 || scores[k] > scores[second]:
			second = k
		}
	}
	if second < 0 {
		return modelPurposes[best], math.Inf(1), nil, true
	}
	for _, f := range known {
		if w := m.Weights[f][best] - m.Weights[f][second]; w > 0 {
			evidence = append(evidence, Evidence{f, w})
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

// purposeModelJSON is the model trained on this repository's hand labels
// (analyze/testdata/labels; retrained by `go test ./analyze -run
// TestPurposeModelTrained -update` with the kernels' clones named).
//
//go:embed purposemodel.json
var purposeModelJSON []byte

// builtinPurposeModel is the embedded model, decoded once.
var builtinPurposeModel = sync.OnceValues(func() (*PurposeModel, error) {
	return ReadPurposeModel(purposeModelJSON)
})

// BuiltinPurposeModel returns the model PurposeOf consults.
func BuiltinPurposeModel() (*PurposeModel, error) { return builtinPurposeModel() }

// modelReading is the embedded model's purpose for a commit, its margin
// over the runner-up, and the features that decided it as a reason quotes
// them; "" when the model knows none of the commit's features.
func modelReading(msg string, d diffFacts) (p Purpose, margin float64, words string) {
	m, err := builtinPurposeModel()
	if err != nil {
		// The embedded model is checked by the tests; a binary built with
		// a broken one still classifies by its rules.
		return "", 0, ""
	}
	p, margin, evidence, ok := m.Predict(commitFeatures(msg, d))
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
	return p, margin, fmt.Sprintf("purpose model of %d labelled commits: %s", m.Size(), strings.Join(decided, ", "))
}

// describeFeature spells a feature for a reason: `"race" in the body`,
// `diff: function body`.
func describeFeature(feature string) string {
	where, what, _ := strings.Cut(feature, " ")
	switch where {
	case "first":
		if word, shape, ok := strings.Cut(what, " over "); ok {
			return fmt.Sprintf("%q leading the subject over %s", word, shape)
		}
		return fmt.Sprintf("%q leading the subject", what)
	case "diff":
		return "diff: " + what
	case "keyword":
		return what
	default:
		return fmt.Sprintf("%q in the %s", what, where)
	}
}

// diffShape names what a diff did to entities, in a word: "additions",
// "bodies", "removals", "mixed" or "nothing"; "" when it is unknown.
func diffShape(d diffFacts) string {
	if !d.known {
		return ""
	}
	switch {
	case d.added+d.removed+d.body+d.changed == 0:
		return "nothing"
	case d.removed+d.body+d.changed == 0:
		return "additions"
	case d.added+d.removed+d.changed == 0:
		return "bodies"
	case d.added+d.body+d.changed == 0:
		return "removals"
	default:
		return "mixed"
	}
}
