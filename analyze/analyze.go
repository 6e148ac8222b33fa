package analyze

import (
	"context"
	"fmt"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/upsynth/upsynth/analyze/store"
	"github.com/upsynth/upsynth/cparse"
	"github.com/upsynth/upsynth/kernel"
)

// Options configure one analysis run.
type Options struct {
	Repo        string   // path of the repository (work tree or bare)
	DB          string   // database file
	Rev         string   // "", "REV" or "A..B"
	FirstParent bool     // follow first parents only
	Include     []string // when set, only paths matching one of these globs
	Exclude     []string // paths never analyzed (added to upsynth.yaml's)
	Jobs        int      // parse workers (0: number of CPUs)
	ConfigFile  string   // settings file instead of the repo's upsynth.yaml
	Engine      cparse.EngineChoice
	// AddRepo lets the run add its repository to a database that already
	// holds another one; without it that is refused (ErrOtherRepo), so two
	// kernels' histories never blend in reports by accident.
	AddRepo bool
	// MaxFileSize is the largest file parsed (0: 8 MiB); larger files are
	// recorded as unreadable.
	MaxFileSize int64
	// BatchSize is the number of commits written per transaction (0: 200).
	BatchSize int
	// Parse replaces cparse.Parse (nil: cparse.Parse).
	Parse ParseFunc
	// Progress, when set, is called after each commit with the number done
	// and the number this run will analyze.
	Progress func(done, total int)
	// Waiting, when set, is called once when another run holds the
	// database and this one waits for it to finish.
	Waiting func()

	// checkRespelled, set by tests, is given each summary derived from a
	// previous version with the one a parse gives (memo.checkRespelled).
	checkRespelled func(path string, derived, parsed *store.Blob)
	// observeFeatures, set by tests, is given each classified commit's
	// purpose model features (classify.PurposeFeatures): what the model is
	// trained on. It may be called from several goroutines.
	observeFeatures func(sha string, features []string)
}

// Stats summarize a run.
type Stats struct {
	Commits int // non-merge commits classified this run
	Merges  int // merge commits recorded this run
	Skipped int // commits of the range already in the database
	Parsed  int // blobs parsed this run
	Reused  int // blobs whose summary came from the database
	// Reparsed counts the blobs of Parsed memoized already (in this run
	// or an earlier one) but parsed again: none of their summaries holds
	// in the tree at hand, a header the parses read having changed.
	Reparsed int
	// Respelled counts the blobs summarized from the version they
	// replace, the two differing only in comments (not parsed, not in
	// Parsed).
	Respelled int
	Problems  int            // problems recorded this run
	Classes   map[string]int // classified commits per class
	Elapsed   time.Duration
}

// Parser limits per file. cc/v4 cannot be interrupted, so a translation
// that times out keeps running until its expansion limit: both are kept
// well below cparse's defaults so that an abandoned one costs little.
const (
	expansionLimit = 2_000_000
	parseTimeout   = 10 * time.Second
)

type run struct {
	opts   Options
	repo   *kernel.Repo
	st     *store.Store
	cfg    *kernel.Config
	memo   *memo
	repoID int64
	runID  int64
	stats  Stats
	// planning and probe set the memo's modes (distributed.go).
	planning, probe bool
}

// Run analyzes the commits of opts.Rev not yet in the database.
func Run(ctx context.Context, opts Options) (*Stats, error) {
	start := time.Now()
	r, rng, end, err := begin(ctx, opts, "")
	if err != nil {
		return nil, err
	}
	defer end()
	err = r.walk(ctx, rng)
	r.stats.Elapsed = time.Since(start)
	if r.memo != nil {
		r.stats.Parsed, r.stats.Reused, r.stats.Reparsed = int(r.memo.parsed.Load()), int(r.memo.reused.Load()), int(r.memo.reparsed.Load())
		r.stats.Respelled = int(r.memo.respelled.Load())
	}
	if ferr := r.st.FinishRun(r.runID, store.RunStats{Commits: r.stats.Commits, Merges: r.stats.Merges,
		Parsed: r.stats.Parsed, Reused: r.stats.Reused, Problems: r.stats.Problems}, err); ferr != nil && err == nil {
		err = ferr
	}
	return &r.stats, err
}

// begin starts a run of opts, its defaults applied, for Run and PlanRun
// alike: it opens the repository and its range opts.Rev, the settings at
// the range's tip and the database (locked for the run, holding no other
// repository unless opts.AddRepo), and records a run whose arguments start
// with kind. end releases what it opened.
func begin(ctx context.Context, opts Options, kind string) (r *run, rng *kernel.Range, end func(), err error) {
	opts.defaults()
	abs, err := filepath.Abs(opts.Repo)
	if err != nil {
		return nil, nil, nil, err
	}
	repo, err := kernel.Open(opts.Repo) // its errors name the path as given
	if err != nil {
		return nil, nil, nil, err
	}
	closers := []func(){func() { repo.Close() }}
	closeAll := func() {
		for i := len(closers) - 1; i >= 0; i-- {
			closers[i]()
		}
	}
	defer func() {
		if err != nil {
			closeAll()
		}
	}()
	if rng, err = repo.Commits(opts.Rev, opts.FirstParent); err != nil {
		return nil, nil, nil, err
	}
	tip, err := tipTree(repo, rng.Tip, opts.ConfigFile)
	if err != nil {
		return nil, nil, nil, err
	}
	st, release, err := openLocked(ctx, opts.DB, opts.Waiting)
	if err != nil {
		return nil, nil, nil, err
	}
	closers = append(closers, func() { st.Close() }, release)
	if !opts.AddRepo {
		if err = checkOtherRepo(ctx, st, store.Display(opts.DB), abs); err != nil {
			return nil, nil, nil, err
		}
	}
	r = &run{opts: opts, repo: repo, st: st, cfg: tip.Config, stats: Stats{Classes: map[string]int{}}}
	if r.repoID, err = st.Repo(ctx, abs); err != nil {
		return nil, nil, nil, err
	}
	args := fmt.Sprintf("%srev=%q first-parent=%v include=%q exclude=%q config=%q", kind, opts.Rev, opts.FirstParent, opts.Include, opts.Exclude, opts.ConfigFile)
	if r.runID, err = st.StartRun(ctx, r.repoID, args); err != nil {
		return nil, nil, nil, err
	}
	return r, rng, closeAll, nil
}

func (opts *Options) defaults() {
	if opts.Jobs <= 0 {
		opts.Jobs = runtime.NumCPU()
	}
	if opts.MaxFileSize <= 0 {
		opts.MaxFileSize = 8 << 20
	}
	if opts.BatchSize <= 0 {
		opts.BatchSize = 200
	}
	if opts.Parse == nil {
		opts.Parse = cparse.Parse
	}
	if opts.Engine == "" {
		opts.Engine = cparse.EngineAuto
	}
}

// OtherRepoError is returned when the database holds the analysis of
// other repositories and Options.AddRepo is not set.
type OtherRepoError struct {
	DB   string
	Repo string   // the repository this run was asked to analyze
	Held []string // the repositories the database holds
}

func (e *OtherRepoError) Error() string {
	return fmt.Sprintf("%s holds the analysis of %s, not of %s: analyze into another --db, or pass --add-repo to keep both in it (reports then take --repo)",
		e.DB, strings.Join(e.Held, ", "), e.Repo)
}

// checkOtherRepo refuses a database that holds repositories other than the
// one at abs (the same directory through a symbolic link is the same).
func checkOtherRepo(ctx context.Context, st *store.Store, db, abs string) error {
	repos, err := st.Repos(ctx)
	if err != nil {
		return err
	}
	if len(repos) == 0 {
		return nil
	}
	real, _ := filepath.EvalSymlinks(abs)
	var held []string
	for _, p := range repos {
		if p == abs {
			return nil
		}
		if r, _ := filepath.EvalSymlinks(p); r != "" && r == real {
			return nil
		}
		held = append(held, p)
	}
	slices.Sort(held)
	return &OtherRepoError{DB: db, Repo: abs, Held: held}
}

// tipTree is the kernel at the tip of the range, whose settings (its
// upsynth.yaml, or --config) the whole analysis uses.
func tipTree(repo *kernel.Repo, tip plumbing.Hash, file string) (*kernel.Tree, error) {
	t, err := repo.AtCommit(tip)
	if err != nil {
		return nil, err
	}
	if file != "" {
		if t.Config, err = kernel.Load(file); err != nil {
			return nil, err
		}
	}
	return t, nil
}

// parseSettings is the parse configuration of a run with settings cfg and
// engine, whose fingerprint keys the summaries it stores. FS is set per
// parse (the revision's tree), and here too because whether a tree is
// given is part of the fingerprint.
func parseSettings(cfg *kernel.Config, engine cparse.EngineChoice) cparse.Config {
	pc := ParseConfig(cfg)
	pc.Engine, pc.FS = engine, &kernel.TreeFS{}
	return pc
}

// ParseConfig is how the analysis parses a kernel with settings cfg: its
// include paths then the target's headers, its defines after the target's
// predefined macros (package kernel, one ABI for every command). FS is set
// per file: the revision's tree with the target's headers laid over it
// (kernel.WithABI).
func ParseConfig(cfg *kernel.Config) cparse.Config {
	return cparse.Config{IncludePaths: kernel.SearchPaths(cfg), Defines: cfg.Defines, Predefined: kernel.Predefined(),
		ExpansionLimit: expansionLimit, Timeout: parseTimeout}
}

// Wanted reports whether the analysis with opts and settings cfg reads path
// p at all.
func Wanted(opts Options, cfg *kernel.Config, p string) bool {
	if len(opts.Include) > 0 && !kernel.MatchAny(opts.Include, p) {
		return false
	}
	return !kernel.MatchAny(opts.Exclude, p) && !cfg.Excluded(p)
}

// wanted reports whether a path takes part in the analysis at all.
func (r *run) wanted(p string) bool { return Wanted(r.opts, r.cfg, p) }

// displayPath makes a path printable: invalid UTF-8 bytes become \xNN.
func displayPath(p string) string {
	if utf8.ValidString(p) {
		return p
	}
	var b strings.Builder
	for i := 0; i < len(p); {
		r, n := utf8.DecodeRuneInString(p[i:])
		if r == utf8.RuneError && n == 1 {
			fmt.Fprintf(&b, `\x%02x`, p[i])
		} else {
			b.WriteString(p[i : i+n])
		}
		i += n
	}
	return b.String()
}
