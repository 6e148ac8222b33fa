package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/upsynth/upsynth/analyze"
	"github.com/upsynth/upsynth/analyze/store"
	"github.com/upsynth/upsynth/class"
	"github.com/upsynth/upsynth/cparse"
	"github.com/upsynth/upsynth/report"
)

func newAnalyzeCmd(io streams, global *globalOptions) *cobra.Command {
	var opts analyze.Options
	var engine, format string
	var dist distributeFlags
	cmd := &cobra.Command{
		Use:   "analyze REPO",
		Short: "Classify every commit of a repository's history into the analysis database",
		Long: `analyze walks the commits of REPO (all reachable from HEAD, or --rev), parses
the C and C++ each commit changed, and records in the database (--db) the
update class, purpose, hazards and changed entities of every non-merge commit.

Summaries are memoized per blob and per state of the headers its parse read
(a blob met where those headers differ is parsed again there): a second run
over the same history parses nothing, and only new commits are analyzed. An interrupted run loses at most
the batch in flight; run it again to resume. Settings (include paths, init
functions, non-updatable paths, purpose overrides) come from upsynth.yaml at
the tip of the range, or --config.

--db takes a SQLite file (the default, upsynth.db) or a PostgreSQL URL
(postgres://user@host/db), which a team and distributed workers share.
With --distribute the run is planned as jobs in that database's river
queue and done by upsynth worker processes on any number of machines
(docs/scale-out.md); analyze waits for them and shows their progress
unless --detach. --status shows the progress of the database's runs.`,
		Example: `  upsynth analyze ~/src/kernel
  upsynth analyze ~/src/kernel --rev v1.0..v2.0 --db k.db --exclude 'tools/**'
  upsynth analyze ~/src/linux --db postgres://upsynth@db/linux --distribute
  upsynth analyze --status --db postgres://upsynth@db/linux`,
		Args: func(cmd *cobra.Command, args []string) error {
			switch {
			case dist.status && len(args) == 0:
			case len(args) == 0:
				return errors.New("analyze needs the repository to analyze: upsynth analyze REPO " +
					"(for the bundled corpus: upsynth corpus build, then upsynth analyze upsynth-corpus)")
			case len(args) > 1:
				return fmt.Errorf("analyze takes one repository, not %d (analyze each into its own --db)", len(args))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Engine = cparse.EngineChoice(engine)
			if err := engineChoice.check("engine", engine); err != nil {
				return err
			}
			if err := textOrJSON.check("format", format); err != nil {
				return err
			}
			if dist.status {
				return printRunStatus(cmd.Context(), io.Out, opts.DB, format)
			}
			opts.Repo = args[0]
			if dist.distribute {
				return analyzeDistributed(cmd.Context(), io, opts, dist, format, global.quiet)
			}
			quiet := global.quiet
			var bar *progressbar.ProgressBar
			if !quiet && isTerminal(io.Err) {
				opts.Progress = func(done, total int) {
					if bar == nil {
						bar = progressbar.NewOptions(total, progressbar.OptionSetWriter(io.Err),
							progressbar.OptionSetDescription("analyzing"), progressbar.OptionShowCount(),
							progressbar.OptionShowIts(), progressbar.OptionSetItsString("commits"),
							progressbar.OptionSetPredictTime(true), progressbar.OptionThrottle(100*time.Millisecond),
							progressbar.OptionClearOnFinish())
					}
					bar.Set(done)
				}
			}
			if !quiet {
				opts.Waiting = func() {
					fmt.Fprintf(io.Err, "waiting for another analyze of %s to finish\n", store.Display(opts.DB))
				}
			}
			tuneMemory()
			// Every batch is committed as it is done: a rerun resumes.
			setInterruptHint("rerun the same command to resume (what was analyzed is kept)")
			st, err := analyze.Run(cmd.Context(), opts)
			if bar != nil {
				bar.Finish()
			}
			switch {
			case st == nil || quiet:
			case format == "json":
				if jerr := writeReportJSON(io.Out, analyzeSummary(opts, st)); err == nil {
					err = jerr
				}
			default:
				printAnalyzeSummary(io.Out, opts, st)
			}
			return err
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.DB, "db", "upsynth.db", "analysis database: a SQLite file or a postgres:// URL")
	f.BoolVar(&dist.distribute, "distribute", false, "plan the run as jobs for upsynth worker processes (needs a postgres:// --db)")
	f.BoolVar(&dist.detach, "detach", false, "with --distribute: return once the jobs are queued")
	f.BoolVar(&dist.status, "status", false, "show the progress of the database's runs and exit")
	f.IntVar(&dist.sizes.Blobs, "blobs-per-job", 64, "with --distribute: distinct blobs summarized per job")
	f.IntVar(&dist.sizes.Commits, "commits-per-job", 200, "with --distribute: consecutive commits classified per job")
	f.StringVar(&opts.Rev, "rev", "", "revision or range A..B to analyze (default: all commits reachable from HEAD)")
	f.BoolVar(&opts.FirstParent, "first-parent", false, "follow only the first parent of merges")
	f.StringArrayVar(&opts.Include, "include", nil, "analyze only paths matching this glob (repeatable; ** matches directories)")
	f.StringArrayVar(&opts.Exclude, "exclude", nil, "never analyze paths matching this glob (repeatable)")
	f.IntVarP(&opts.Jobs, "jobs", "j", 0, "parse workers (default: number of CPUs)")
	f.StringVar(&opts.ConfigFile, "config", "", "settings file to use instead of the repository's upsynth.yaml")
	f.StringVar(&format, "format", "text", "summary format: text or json")
	f.BoolVar(&opts.AddRepo, "add-repo", false, "add this repository to a database that already holds another one (reports then take --repo)")
	f.StringVar(&engine, "engine", string(cparse.EngineAuto), "C parser: auto (precise, tolerant on failure), precise or tolerant")
	engineChoice.complete(cmd, "engine")
	textOrJSON.complete(cmd, "format")
	return cmd
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

func printAnalyzeSummary(w io.Writer, opts analyze.Options, st *analyze.Stats) {
	fmt.Fprintf(w, "analyzed %s (%s recorded, %d already in %s) in %s\n",
		report.Counted(st.Commits, "commit"), report.Counted(st.Merges, "merge"), st.Skipped, store.Display(opts.DB), st.Elapsed.Round(time.Millisecond))
	again := ""
	if st.Reparsed > 0 {
		// Blobs summarized before, met in a tree whose headers differ.
		again = fmt.Sprintf(" (%d again: a header they read differs)", st.Reparsed)
	}
	respelled := ""
	if st.Respelled > 0 {
		// Versions differing from the one they replace only in comments.
		respelled = fmt.Sprintf(", %d respelled (comments only: summary moved, not parsed)", st.Respelled)
	}
	fmt.Fprintf(w, "files: %d parsed%s%s, %d summaries reused\n", st.Parsed, again, respelled, st.Reused)
	if st.Commits > 0 {
		var parts []string
		for _, c := range class.Names() {
			if n := st.Classes[c]; n > 0 {
				parts = append(parts, fmt.Sprintf("%s %d", c, n))
			}
		}
		fmt.Fprintf(w, "classes: %s\n", strings.Join(parts, ", "))
	}
	if st.Problems > 0 {
		query := fmt.Sprintf("sqlite3 %s 'SELECT * FROM problems'", opts.DB)
		if store.IsPostgres(opts.DB) {
			query = fmt.Sprintf("psql '%s' -c 'SELECT * FROM problems'", store.Display(opts.DB))
		}
		fmt.Fprintf(w, "problems: %d recorded (%s)\n", st.Problems, query)
	}
}

// tuneMemory trades memory for CPU in a long analysis: the garbage
// collector runs half as often, under a soft limit that keeps the process
// below 1 GiB. The limit counts only Go's memory (tree-sitter's and
// SQLite's take 60-160 MB more, less with limitMallocArenas); 640 MiB
// took FreeRTOS-Kernel's history 30 MB lower than 768 for 27% more CPU
// time. Settings in GOGC or GOMEMLIMIT win.
func tuneMemory() {
	limitMallocArenas()
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(200)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(768 << 20)
	}
}

// analyzeSummary is the end-of-run summary in its JSON form.
func analyzeSummary(opts analyze.Options, st *analyze.Stats) any {
	return struct {
		DB        string         `json:"db"`
		Commits   int            `json:"commits"`
		Merges    int            `json:"merges"`
		Skipped   int            `json:"already_analyzed"`
		Parsed    int            `json:"files_parsed"`
		Reparsed  int            `json:"files_parsed_again"`
		Respelled int            `json:"files_respelled"`
		Reused    int            `json:"summaries_reused"`
		Problems  int            `json:"problems"`
		Classes   map[string]int `json:"classes"`
		Seconds   float64        `json:"seconds"`
	}{store.Display(opts.DB), st.Commits, st.Merges, st.Skipped, st.Parsed, st.Reparsed, st.Respelled, st.Reused, st.Problems, st.Classes, st.Elapsed.Seconds()}
}
