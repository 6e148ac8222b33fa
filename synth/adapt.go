package synth

import (
	"fmt"

	"github.com/upsynth/upsynth/runtime"
)

// AdapterPlan translates calls between two signatures of a function.
type AdapterPlan struct {
	Func string `json:"func"`
	// To is the new name of method Func when the update renames it (calls
	// bound to Func reach To); empty when Func only changes its signature.
	To      string `json:"to,omitempty"`
	Method  bool   `json:"method"` // a method of a type with a new version
	OldDecl string `json:"old_decl"`
	NewDecl string `json:"new_decl"`
	OldSig  string `json:"old_sig"`
	NewSig  string `json:"new_sig"`
	// Forward builds the new arguments from an old call; Reverse the old
	// arguments from a new call (methods only: a lazy update's new code
	// reaching an instance not converted yet).
	Forward []ArgMap `json:"forward"`
	Reverse []ArgMap `json:"reverse,omitempty"`
	// ForwardResult converts the new result for an old caller;
	// ReverseResult the old result for a new caller. Nil: identity.
	ForwardResult *Conv    `json:"forward_result,omitempty"`
	ReverseResult *Conv    `json:"reverse_result,omitempty"`
	Notes         []string `json:"notes,omitempty"`
}

// ArgMap says where one argument of the target signature comes from.
type ArgMap struct {
	Param string `json:"param"`
	Type  string `json:"type"`
	// From is the index of the source argument, -1 for a defaulted one.
	From     int    `json:"from"`
	FromName string `json:"from_name,omitempty"`
	Conv     *Conv  `json:"conv,omitempty"`
	Guess    bool   `json:"guess,omitempty"`
	Note     string `json:"note"`
}

// Conv converts a 64-bit argument slot between integer types: the value is
// truncated to DstSize bytes and extended by DstSigned; when it does not fit
// (narrowing) the call fails.
type Conv struct {
	SrcSize   uint64 `json:"src_size"`
	SrcSigned bool   `json:"src_signed"`
	DstSize   uint64 `json:"dst_size"`
	DstSigned bool   `json:"dst_signed"`
}

// convFor returns the conversion between two parameter types, nil when the
// slot passes unchanged.
func convFor(src, dst Param) (*Conv, string) {
	if !isInt(src.Kind) || !isInt(dst.Kind) {
		if src.Kind != dst.Kind || src.Size != dst.Size {
			return nil, fmt.Sprintf("%s -> %s passed as raw bits: check it", src.Type, dst.Type)
		}
		return nil, ""
	}
	ss, ds := src.Kind == runtime.Int, dst.Kind == runtime.Int
	if src.Size == dst.Size && ss == ds || src.Size < dst.Size && (ss == ds || !ss) {
		return nil, "" // the slot already holds the value extended right
	}
	return &Conv{SrcSize: src.Size, SrcSigned: ss, DstSize: dst.Size, DstSigned: ds}, fmt.Sprintf("%s -> %s (checked)", src.Type, dst.Type)
}

// mapArgs matches the parameters of the target signature to those of the
// source: by name and type, then by name, then by position and type (a
// guess); the rest default to zero.
func mapArgs(src, dst []Param) ([]ArgMap, []string) {
	var out []ArgMap
	var notes []string
	used := map[int]bool{}
	for i, d := range dst {
		am := ArgMap{Param: d.Name, Type: d.Type, From: -1}
		for j, s := range src {
			if !used[j] && s.Name == d.Name && s.Type == d.Type {
				am.From = j
				break
			}
		}
		if am.From < 0 {
			for j, s := range src {
				if !used[j] && s.Name == d.Name && s.Name != "" {
					am.From = j
					break
				}
			}
		}
		if am.From < 0 && i < len(src) && !used[i] && src[i].Type == d.Type {
			am.From, am.Guess = i, true
		}
		if am.From >= 0 {
			used[am.From] = true
			s := src[am.From]
			am.FromName = s.Name
			var why string
			am.Conv, why = convFor(s, d)
			switch {
			case am.Guess:
				am.Note = fmt.Sprintf("%s <- %s by position and type (a guess: confirm)", d.Name, s.Name)
			case why != "":
				am.Note = fmt.Sprintf("%s <- %s: %s", d.Name, s.Name, why)
			default:
				am.Note = fmt.Sprintf("%s <- %s", d.Name, s.Name)
			}
		} else {
			am.Note = fmt.Sprintf("%s %s has no counterpart: its value comes from hooks.go (default 0)", d.Type, d.Name)
			notes = append(notes, fmt.Sprintf("parameter %s %s has no counterpart: hooks.go gives its value (default 0)", d.Type, d.Name))
		}
		out = append(out, am)
	}
	for j, s := range src {
		if !used[j] {
			notes = append(notes, fmt.Sprintf("parameter %s %s is dropped", s.Type, s.Name))
		}
	}
	return out, notes
}

// planRename adapts a renamed method: old callers of old.Name reach new.
func planRename(old, new *Func) AdapterPlan {
	a := planAdapter(old, new, true)
	a.Func, a.To = old.Name, new.Name
	return a
}

func planAdapter(old, new *Func, method bool) AdapterPlan {
	a := AdapterPlan{Func: new.Name, Method: method, OldDecl: old.Decl(), NewDecl: new.Decl(), OldSig: old.Sig, NewSig: new.Sig}
	var notes []string
	a.Forward, notes = mapArgs(old.Params, new.Params)
	for _, n := range notes {
		a.Notes = append(a.Notes, "old -> new: "+n)
	}
	if method {
		a.Reverse, notes = mapArgs(new.Params, old.Params)
		for _, n := range notes {
			a.Notes = append(a.Notes, "new -> old: "+n)
		}
	}
	if old.Result.Size > 0 && new.Result.Size > 0 {
		a.ForwardResult, _ = convFor(new.Result, old.Result)
		a.ReverseResult, _ = convFor(old.Result, new.Result)
	}
	if old.Result.Type != new.Result.Type {
		a.Notes = append(a.Notes, fmt.Sprintf("result %s -> %s", old.Result.Type, new.Result.Type))
	}
	return a
}
