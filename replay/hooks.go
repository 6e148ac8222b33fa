package replay

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/upsynth/upsynth/corpus"
	"github.com/upsynth/upsynth/runtime"
	"github.com/upsynth/upsynth/synth"
	"github.com/upsynth/upsynth/targets"
)

// Hooks a person wrote are Go code (a package's hooks.go): no interpreter
// runs them, so a replay with hooks runs in a program compiled for it, the
// hook host. The host is an ordinary Go module that imports this package
// and, for each commit with hooks, the update package emitted for it with
// the person's hooks.go put in (the package's own Update, hooks compiled
// in); it runs the same Run, in one process, on one machine, with those
// updates in Options.Compiled and the interpreter's for every other
// commit. It builds offline against the upsynth source this binary was
// built from (synth.SourceRoot) and the module cache `make build` filled;
// Go's build cache makes a rebuild with the same hooks quick.

// FindHooks matches the directories of hooksDir to the commits of h: a
// directory named by a hash prefix (at least 7 hex digits), or by a corpus
// history id ("0014-dir-hash-table", for the bundled corpus: the commit
// with that id's subject), holding hooks.go. It returns the hooks.go path
// per full commit hash; a directory that matches no commit of the range is
// skipped (hooks for other ranges), one that matches several is an error.
func FindHooks(hooksDir string, h *History) (map[string]string, error) {
	ents, err := os.ReadDir(hooksDir)
	if err != nil {
		return nil, fmt.Errorf("--hooks: %w", err)
	}
	hexRE := regexp.MustCompile(`^[0-9a-f]{7,40}$`)
	var ids map[string]string // corpus id -> subject
	out := map[string]string{}
	for _, e := range ents {
		file := filepath.Join(hooksDir, e.Name(), "hooks.go")
		if !e.IsDir() {
			continue
		}
		if _, err := os.Stat(file); err != nil {
			continue
		}
		var match []string
		if hexRE.MatchString(e.Name()) {
			for _, c := range h.Commits {
				if strings.HasPrefix(c.Hash, e.Name()) {
					match = append(match, c.Hash)
				}
			}
		} else {
			if ids == nil {
				ids = map[string]string{}
				hist, err := corpus.History()
				if err != nil {
					return nil, err
				}
				for _, c := range hist {
					ids[c.ID] = c.Subject()
				}
			}
			subject, ok := ids[e.Name()]
			if !ok {
				return nil, fmt.Errorf("%s: name a commit by a hash prefix (7 hex digits or more) or a corpus id", filepath.Join(hooksDir, e.Name()))
			}
			for _, c := range h.Commits {
				if c.Subject == subject {
					match = append(match, c.Hash)
				}
			}
		}
		switch {
		case len(match) > 1:
			return nil, fmt.Errorf("%s matches %d commits of the range", filepath.Join(hooksDir, e.Name()), len(match))
		case len(match) == 1:
			out[match[0]] = file
		}
	}
	return out, nil
}

// HostRequest is what the hook host is asked to replay.
type HostRequest struct {
	Repo, DB, Range string
	// Target is the port's name or directory ("" for none).
	Target       string
	Mode         string
	CPUs         int
	Seed         uint64
	Journal, Key string
}

// hostLine is one line the host writes: a row as it is made, then the
// result or an error.
type hostLine struct {
	I, N   int
	Row    *Row    `json:",omitempty"`
	Result *Result `json:",omitempty"`
	Error  string  `json:",omitempty"`
	// Interrupted says the error is an interruption (the progress is in
	// the journal).
	Interrupted bool `json:",omitempty"`
}

// HostMain is the hook host's main: it reads a HostRequest from standard
// input and replays it with the compiled updates, writing JSON lines to
// standard output. It returns the exit status.
func HostMain(compiled map[string]UpdateFunc) int {
	enc := json.NewEncoder(os.Stdout)
	fail := func(err error) int {
		_ = enc.Encode(hostLine{Error: err.Error()})
		return 1
	}
	var req HostRequest
	if err := json.NewDecoder(os.Stdin).Decode(&req); err != nil {
		return fail(err)
	}
	mode, err := runtime.ParseMode(req.Mode)
	if err != nil {
		return fail(err)
	}
	ctx := context.Background()
	port, err := targets.Lookup(req.Target)
	if err != nil {
		return fail(err)
	}
	h, err := Open(ctx, req.Repo, req.DB, req.Range, port)
	if err != nil {
		return fail(err)
	}
	o := Options{Mode: mode, CPUs: req.CPUs, Seed: req.Seed, Compiled: compiled,
		Progress: func(i, n int, r Row) { _ = enc.Encode(hostLine{I: i, N: n, Row: &r}) }}
	if req.Journal != "" {
		if o.Journal, err = OpenJournal(req.Journal, req.Key); err != nil {
			return fail(err)
		}
	}
	res, err := Run(ctx, h, o)
	if err != nil {
		_ = enc.Encode(hostLine{Error: err.Error()})
		return 1
	}
	if err := enc.Encode(hostLine{Result: res}); err != nil {
		return 1
	}
	return 0
}

// BuildHost emits, into workDir, the update package of each commit with
// hooks (the person's hooks.go put in) and the hook host importing them,
// and builds the host. It returns the host's path.
func BuildHost(ctx context.Context, workDir string, h *History, hooks map[string]string, mode runtime.Mode, goLog io.Writer) (string, error) {
	srcRoot, err := synth.SourceRoot()
	if err != nil {
		return "", err
	}
	if workDir, err = filepath.Abs(workDir); err != nil {
		return "", err
	}
	if err := os.MkdirAll(workDir, 0o755); err != nil {
		return "", err
	}
	var shas []string
	for sha := range hooks {
		shas = append(shas, sha)
	}
	sort.Strings(shas)
	prev := map[string]Revision{}
	last := h.Base
	for _, c := range h.Commits {
		prev[c.Hash] = last
		last = c.Revision
	}
	rootMod, err := os.ReadFile(filepath.Join(srcRoot, "go.mod"))
	if err != nil {
		return "", err
	}
	goLine := regexp.MustCompile(`(?m)^go [0-9.]+$`).Find(rootMod)
	var mod, imports, entries strings.Builder
	fmt.Fprintf(&mod, "module upsynth.local/replayhost\n\n%s\n\nrequire github.com/upsynth/upsynth v0.0.0-00010101000000-000000000000\n\n", goLine)
	fmt.Fprintf(&mod, "replace github.com/upsynth/upsynth => %s\n\nreplace %s => %s\n", srcRoot, synth.RuntimeModule, filepath.Join(srcRoot, synth.RuntimeDir))
	for i, sha := range shas {
		var c Commit
		for _, x := range h.Commits {
			if x.Hash == sha {
				c = x
			}
		}
		old, err := prev[sha].Tree()
		if err != nil {
			return "", err
		}
		next, err := c.Tree()
		if err != nil {
			return "", err
		}
		oldK, err := kernelOf(old, "the parent of "+c.Short())
		if err != nil {
			return "", err
		}
		newK, err := kernelOf(next, c.Short())
		if err != nil {
			return "", err
		}
		p, err := synth.MakePlan(synth.Input{Name: c.Short() + " " + c.Subject, NewRev: c.Hash, Old: oldK, New: newK,
			Changes: synth.ChangeSet{Class: c.Class, Reason: c.Reason, Hazards: c.Hazards, Changes: c.Changes},
			Mode:    mode})
		if err != nil {
			return "", fmt.Errorf("commit %s: %w", c.Short(), err)
		}
		files, err := synth.Generate(p)
		if err != nil {
			return "", fmt.Errorf("commit %s: %w", c.Short(), err)
		}
		dir := filepath.Join(workDir, "u"+c.Short())
		person, err := os.ReadFile(hooks[sha])
		if err != nil {
			return "", err
		}
		if _, err := synth.Write(synth.Output{Dir: dir, Plan: p, Files: files, Old: oldK, New: newK, SrcRoot: srcRoot}); err != nil {
			return "", fmt.Errorf("commit %s: %w", c.Short(), err)
		}
		// The person's hooks replace the generated ones (a later emit
		// keeps them, as it keeps any edited hooks.go).
		if err := os.WriteFile(filepath.Join(dir, "hooks.go"), person, 0o644); err != nil {
			return "", err
		}
		modPath := synth.ModulePath + "/u" + c.Short()
		fmt.Fprintf(&mod, "\nrequire %s v0.0.0-00010101000000-000000000000\n\nreplace %s => %s\n", modPath, modPath, dir)
		fmt.Fprintf(&imports, "\tu%d %q\n", i, modPath)
		fmt.Fprintf(&entries, "\t\t%q: u%d.Update,\n", sha, i)
	}
	host := filepath.Join(workDir, "host")
	if err := os.MkdirAll(host, 0o755); err != nil {
		return "", err
	}
	main := fmt.Sprintf(`// Code generated by upsynth replay. DO NOT EDIT.

// The hook host: upsynth replay with the updates whose hooks a person wrote
// compiled in.
package main

import (
	"os"

	"github.com/upsynth/upsynth/replay"
%s)

func main() {
	os.Exit(replay.HostMain(map[string]replay.UpdateFunc{
%s	}))
}
`, imports.String(), entries.String())
	sum, err := os.ReadFile(filepath.Join(srcRoot, "go.sum"))
	if err != nil {
		return "", err
	}
	for name, data := range map[string][]byte{"go.mod": []byte(mod.String()), "main.go": []byte(main), "go.sum": sum} {
		if err := os.WriteFile(filepath.Join(host, name), data, 0o644); err != nil {
			return "", err
		}
	}
	bin := filepath.Join(host, "replayhost")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, ".")
	cmd.Dir = host
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod", "GOPROXY=off")
	cmd.Stdout, cmd.Stderr = goLog, goLog
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("building the hook host in %s: %w", host, err)
	}
	return bin, nil
}

// RunHost runs the hook host built by BuildHost on req, calling progress
// for each row, and returns its result.
func RunHost(ctx context.Context, bin string, req HostRequest, progress func(i, n int, r Row), stderr io.Writer) (*Result, error) {
	in, err := json.Marshal(req)
	if err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, bin)
	dieWithParent(cmd)
	cmd.Stdin = strings.NewReader(string(in))
	cmd.Stderr = stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	var res *Result
	var hostErr error
	sc := bufio.NewScanner(out)
	sc.Buffer(nil, 64<<20)
	for sc.Scan() {
		var l hostLine
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			hostErr = fmt.Errorf("the hook host: %w", err)
			continue
		}
		switch {
		case l.Row != nil && progress != nil:
			progress(l.I, l.N, *l.Row)
		case l.Result != nil:
			res = l.Result
		case l.Error != "":
			hostErr = fmt.Errorf("%s", l.Error)
		}
	}
	werr := cmd.Wait()
	switch {
	case hostErr != nil:
		return nil, hostErr
	case ctx.Err() != nil:
		return nil, fmt.Errorf("%w: %v", ErrInterrupted, ctx.Err())
	case werr != nil:
		return nil, fmt.Errorf("the hook host: %w", werr)
	case res == nil:
		return nil, fmt.Errorf("the hook host gave no result")
	}
	return res, nil
}
