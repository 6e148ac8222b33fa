package corpus

import (
	"fmt"
	"sync"

	"github.com/upsynth/upsynth/class"
	"gopkg.in/yaml.v3"
)

// Label is the ground truth for one commit (see labels.yaml).
type Label struct {
	ID      string   `yaml:"id" json:"id"`
	Purpose string   `yaml:"purpose" json:"purpose"` // fix | perf | feature | cleanup | other
	Class   string   `yaml:"class" json:"class"`     // none | code | state | interface | unsupported
	Hazards []string `yaml:"hazards" json:"hazards"`
	Changes []Change `yaml:"changes" json:"changes"`
}

// Change is one changed entity, in cparse's vocabulary.
type Change struct {
	File   string `yaml:"file" json:"file"`
	Entity string `yaml:"entity" json:"entity"` // function | type | global | macro | asm | file
	Name   string `yaml:"name" json:"name"`
	Change string `yaml:"change" json:"change"` // body | signature | added | removed | layout | enum | type | init | changed
}

// The vocabularies labels.yaml may use.
var (
	Purposes = []string{"fix", "perf", "feature", "cleanup", "other"}
	Classes  = class.Names()
	Hazards  = []string{"asm", "init", "header-inline", "static-local", "vtable",
		"ops-table", "global-data", "syscall-abi", "build-only", "imprecise"}
)

var (
	labelsOnce sync.Once
	labelsVal  []Label
	labelsErr  error
)

// Labels returns the labels of every commit, in history order. The slice is
// shared: callers must not modify it.
func Labels() ([]Label, error) {
	labelsOnce.Do(func() {
		raw, err := embedded.ReadFile("labels.yaml")
		if err != nil {
			labelsErr = err
			return
		}
		labelsVal, labelsErr = parseLabels(raw)
	})
	return labelsVal, labelsErr
}

func parseLabels(raw []byte) ([]Label, error) {
	var labels []Label
	if err := yaml.Unmarshal(raw, &labels); err != nil {
		return nil, fmt.Errorf("labels.yaml: %w", err)
	}
	for i, l := range labels {
		if !contains(Purposes, l.Purpose) {
			return nil, fmt.Errorf("labels.yaml: %s: unknown purpose %q", l.ID, l.Purpose)
		}
		if !contains(Classes, l.Class) {
			return nil, fmt.Errorf("labels.yaml: %s: unknown class %q", l.ID, l.Class)
		}
		for _, h := range l.Hazards {
			if !contains(Hazards, h) {
				return nil, fmt.Errorf("labels.yaml: %s: unknown hazard %q", l.ID, h)
			}
		}
		if l.ID == "" {
			return nil, fmt.Errorf("labels.yaml: entry %d has no id", i+1)
		}
	}
	return labels, nil
}

// LabelFor returns the label of the commit with the given id.
func LabelFor(id string) (Label, error) {
	labels, err := Labels()
	if err != nil {
		return Label{}, err
	}
	for _, l := range labels {
		if l.ID == id {
			return l, nil
		}
	}
	return Label{}, fmt.Errorf("corpus: no label for %q", id)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
