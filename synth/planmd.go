package synth

import (
	"fmt"
	"github.com/upsynth/upsynth/class"
	"strings"
)

// PlanMarkdown renders a plan for a person: what the update does and why,
// what was guessed, what needs a person, what cannot work.
func PlanMarkdown(p *Plan) string {
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	w("<!-- %s -->\n# Update plan: %s\n\n", Generated, p.Name)
	w("- revisions: %s -> %s\n- class: **%s**", short(p.OldRev), short(p.NewRev), p.Class)
	if len(p.Hazards) > 0 {
		w(" (hazards: %s)", strings.Join(p.Hazards, ", "))
	}
	w("\n- default mode: %s (the package works in eager and lazy mode)\n\n", p.Mode)
	if p.Unverifiable != "" {
		w("## Verification\n\n**Cannot be verified on the emulated target**: %s. The package builds and vets; its test skips with this reason and `upsynth verify` refuses it.\n\n", p.Unverifiable)
	}
	if len(p.Imprecise) > 0 {
		w("## Planned without the C front end\n\nThese sources were planned from the tolerant parser's summaries: no struct layouts, no typed signatures (so no adapters), function changes by their text.\n\n")
		for _, f := range p.Imprecise {
			w("- `%s`: %s\n", f.File, f.Why)
		}
		w("\n")
	}
	if len(p.Cannot) > 0 {
		w("## What cannot work\n\n")
		if p.Class == string(class.Unsupported) {
			w("This plan was forced (the commit is classified unsupported). ")
		}
		w("These parts of the change are not applied by the update:\n\n")
		for _, c := range p.Cannot {
			w("- %s\n", c)
		}
		w("\n")
	}
	if len(p.Notes) > 0 {
		w("## Notes\n\n")
		for _, n := range p.Notes {
			w("- %s\n", n)
		}
		w("\n")
	}
	w("## New code\n\n")
	for _, m := range p.Modules {
		w("- module `%s` is compiled anew and loaded into the running kernel\n", m)
	}
	for _, h := range p.Headers {
		w("- header `%s` changed: the modules including it are recompiled\n", h)
	}
	if len(p.Functions) > 0 {
		w("\nFunctions replaced at a safe point (no CPU executing them):\n\n")
		for _, f := range p.Functions {
			w("- `%s` (%s): %s\n", f.Name, f.Module, f.Why)
		}
	}
	if len(p.Added) > 0 {
		w("\nFunctions added: %s\n", code(p.Added))
	}
	if len(p.Removed) > 0 {
		w("\nFunctions removed from the source (their old code stays loaded): %s\n", code(p.Removed))
	}
	if len(p.Types) > 0 {
		w("\n## State transfer\n\n")
		for _, t := range p.Types {
			if t.ByName {
				w("### %s (%s)\n\nLayouts taken from the running kernel and the new code when the update is applied; same-named fields are copied (`runtime.CopyFields`), then `hooks.go` runs. Nothing was checked against a layout at emit time.\n\n", t.Name, t.Why)
				if len(t.Added) > 0 {
					w("- new fields, zero unless a hook sets them: %s\n", code(t.Added))
				}
				if len(t.Removed) > 0 {
					w("- removed: %s\n", code(t.Removed))
				}
				w("\n")
				continue
			}
			if t.LayoutSame {
				w("### %s (layout unchanged; a new version: %s)\n\n", t.Name, t.Why)
			} else {
				w("### %s: %d -> %d bytes\n\n", t.Name, t.Old.Size, t.New.Size)
			}
			w("Fingerprints: old %s, new %s (checked before anything runs).\n\n", t.OldFingerprint, t.NewFingerprint)
			for _, op := range t.Forward {
				g := ""
				if op.Guess {
					g = " **(guess)**"
				}
				w("- %s%s\n", op.Note, g)
			}
			if len(t.Removed) > 0 {
				w("- removed: %s\n", code(t.Removed))
			}
			for _, pr := range t.Problems {
				w("- **needs a person**: %s\n", pr)
			}
			w("\n")
		}
	}
	if len(p.Adapters) > 0 {
		w("## Interface adapters\n\n")
		for _, a := range p.Adapters {
			if a.To != "" {
				w("### %s, renamed %s\n\n- old: `%s`\n- new: `%s`\n", a.Func, a.To, a.OldDecl, a.NewDecl)
			} else {
				w("### %s\n\n- old: `%s`\n- new: `%s`\n", a.Func, a.OldDecl, a.NewDecl)
			}
			for _, m := range a.Forward {
				w("- old -> new: %s\n", m.Note)
			}
			for _, m := range a.Reverse {
				w("- new -> old: %s\n", m.Note)
			}
			for _, n := range a.Notes {
				w("- %s\n", n)
			}
			w("\n")
		}
	}
	if len(p.Globals) > 0 {
		w("## Globals\n\n")
		for _, g := range p.Globals {
			w("- `%s` (%s), %s: %s\n", g.Name, g.Module, g.Change, g.Note)
			for _, pt := range g.Patches {
				w("  - bytes %d..%d: %d -> %d, written before the new code is visible (back if the update rolls back)\n", pt.Offset, pt.Offset+pt.Size-1, pt.Old, pt.New)
			}
		}
		w("\n")
	}
	w("## Needs a person\n\n")
	if len(p.Needs) == 0 {
		w("Nothing: every step was derived from the code.\n")
	}
	for _, n := range p.Needs {
		w("- %s\n", n)
	}
	w("\nHooks live in `hooks.go` (generated once, kept when the package is emitted again); what a hook builds, its undo hook (`undoBefore`, `undoT`) takes apart when the update rolls back. Verify with `upsynth verify DIR`; once `hooks.go` is edited, with `upsynth verify --go DIR` or `go test` here (only the compiled package runs a person's hooks; `go test` also verifies the rollback).\n")
	if len(p.Reasons) > 0 {
		w("\n## Analysis\n\n")
		for _, r := range p.Reasons {
			w("- %s\n", r)
		}
	}
	return b.String()
}

func code(xs []string) string {
	var out []string
	for _, x := range xs {
		out = append(out, "`"+x+"`")
	}
	return strings.Join(out, ", ")
}
