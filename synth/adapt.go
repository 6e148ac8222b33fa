package synth

import (
	"fmt"

	"github.com/upsynth/upsynth/runtime"
)

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
