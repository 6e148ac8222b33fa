package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/upsynth/upsynth/analyze/store"
	"github.com/upsynth/upsynth/class"
	"github.com/upsynth/upsynth/report"
)

// checkReport is the JSON form of `upsynth check`.
type checkReport struct {
	Repo string `json:"repo"`
	Base string `json:"base"`
	// Class is the strongest class of the patches; Live says whether the
	// series can be applied to a running kernel (class none to interface).
	Class   string         `json:"class"`
	Live    bool           `json:"live"`
	Patches []checkedPatch `json:"patches"`
}

// checkedPatch is one patch's classification: the record the analysis
// would store for the commit it makes (sha and parent are that commit,
// made in memory on the base or the previous patch).
type checkedPatch struct {
	Patch    string   `json:"patch"`
	Problems []string `json:"problems,omitempty"`
	*store.Commit
	plain bool // a diff without a mail header: no author, no message
}

func newCheckCmd(io streams) *cobra.Command {
	o := &patchOptions{}
	var repo, db, format string
	cmd := &cobra.Command{
		Use:   "check PATCH... [--repo PATH] [--base REV] [--format text|json]",
		Short: "Say whether a patch keeps the kernel live-updatable: its class, hazards, reasons and purpose",
		Long: `check applies patch files — unified diffs (diff -u, git diff) or git
format-patch mails, one or a series — in memory to --base (HEAD by default)
of the repository, each patch on the one before, without touching the
repository or its work tree ("-" reads a patch from the standard input),
and classifies each as 'upsynth analyze' classifies the commit it would
make: the same class, hazards, reasons and purpose (the purpose from the
mail's subject and body, and the diff). It emits nothing; 'upsynth emit
PATCH' writes the update package.

Paths are read as git apply reads them (-p1: "a/kernel/x.c" is kernel/x.c);
a hunk whose lines moved is found at its offset, as git apply finds it; a
patch that does not apply is refused naming the file and the hunk.

With --db, summaries an analysis of the repository memoized are reused (the
database is only read); without it every source file of the base is
parsed, as analyze does for the first commit it meets.

The exit status is 0 when the patches can be applied to a running kernel
(class none, code, state or interface), 1 when one needs a reboot
(unsupported), 2 on error: a kernel's CI can run it on every patch.`,
		Example: `  upsynth check fix.patch --repo ~/src/kernel
  git format-patch -3 --stdout | upsynth check - --repo . --format json
  upsynth check 0001-*.patch 0002-*.patch --repo ~/src/kernel --base v6.1 --db k.db`,
		Args: failingWith(2, cobra.MinimumNArgs(1)),
		RunE: failingWith(2, func(cmd *cobra.Command, args []string) error {
			if format != "text" && format != "json" {
				return fmt.Errorf("--format %q: want text or json", format)
			}
			pk, err := applyPatches(cmd.Context(), io.In, repo, db, o, args)
			if err != nil {
				return err
			}
			defer pk.Close()
			rep := checkReport{Repo: repo, Base: pk.base.String(), Class: string(class.None), Live: true}
			for i, res := range pk.results {
				c := res.Commit
				cp := checkedPatch{Patch: pk.patches[i].Name, Commit: c, plain: pk.patches[i].Subject == ""}
				for _, p := range res.Problems {
					cp.Problems = append(cp.Problems, fmt.Sprintf("%s %s %s", p.Kind, p.Path, p.Message))
				}
				rep.Patches = append(rep.Patches, cp)
				if class.Class(c.Class).Stronger(class.Class(rep.Class)) {
					rep.Class = c.Class
				}
			}
			rep.Live = class.Class(rep.Class) != class.Unsupported
			if format == "json" {
				err = writeReportJSON(io.Out, rep)
			} else {
				err = printCheck(io.Out, &rep)
			}
			if err == nil && !rep.Live {
				return &exitError{code: 1}
			}
			return err
		}),
	}
	f := cmd.Flags()
	f.StringVar(&repo, "repo", ".", "git repository of the kernel")
	f.StringVar(&db, "db", "", "analysis database whose memoized summaries to reuse (read only)")
	f.StringVar(&format, "format", "text", "output format: text or json")
	f.StringVar(&o.config, "config", "", "settings file instead of the patched tree's upsynth.yaml (as analyze --config)")
	o.registerBase(f)
	return cmd
}

// verdicts say what each class means for a running kernel.
var verdicts = map[class.Class]string{
	class.None:        "live: nothing compiled changes",
	class.Code:        "live: swap code",
	class.State:       "live: swap code and transfer state",
	class.Interface:   "live: swap code, transfer state, adapt interfaces",
	class.Unsupported: "needs a reboot",
}

func printCheck(w io.Writer, rep *checkReport) error {
	P := report.Printable
	fmt.Fprintf(w, "base    %s\n", rep.Base)
	for _, p := range rep.Patches {
		c := p.Commit
		fmt.Fprintf(w, "\npatch   %s\n", P(p.Patch))
		if p.plain {
			fmt.Fprintf(w, "subject (none: a plain diff)\n")
		} else {
			fmt.Fprintf(w, "author  %s  %s\n", P(c.Author), c.AuthorTime.Format("2006-01-02"))
			fmt.Fprintf(w, "subject %s\n", P(c.Subject))
		}
		printClassification(w, c)
		if len(p.Problems) > 0 {
			fmt.Fprintf(w, "problems\n")
		}
		for _, pr := range p.Problems {
			fmt.Fprintf(w, "  %s\n", P(pr))
		}
		fmt.Fprintf(w, "verdict %s\n", verdicts[class.Class(c.Class)])
	}
	if len(rep.Patches) > 1 {
		var classes []string
		for _, p := range rep.Patches {
			classes = append(classes, p.Class)
		}
		fmt.Fprintf(w, "\nseries  %d patches (%s): class %s, %s\n", len(rep.Patches), strings.Join(classes, ", "), rep.Class, verdicts[class.Class(rep.Class)])
	}
	return nil
}
