package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
	"github.com/upsynth/upsynth/cparse"
	"github.com/upsynth/upsynth/kernel"
)

// parseOptions are the flags summarize and diff share: how to parse a file.
type parseOptions struct {
	lang     string
	includes []string
	defines  []string
	engine   string
	format   string
}

func (o *parseOptions) register(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringVar(&o.lang, "lang", "", "source language: c or cpp (default: by file extension)")
	f.StringArrayVarP(&o.includes, "include", "I", nil, "include directory for the precise engine (repeatable)")
	f.StringArrayVarP(&o.defines, "define", "D", nil, "predefined macro NAME or NAME=VALUE (repeatable)")
	f.StringVar(&o.engine, "engine", "auto", "parser engine: auto, precise or tolerant")
	f.StringVar(&o.format, "format", "text", "output format: text or json")
	langChoice.complete(cmd, "lang")
	engineChoice.complete(cmd, "engine")
	textOrJSON.complete(cmd, "format")
}

func (o *parseOptions) validate() error {
	if o.lang != "" {
		if err := langChoice.check("lang", o.lang); err != nil {
			return err
		}
	}
	if err := engineChoice.check("engine", o.engine); err != nil {
		return err
	}
	return textOrJSON.check("format", o.format)
}

// summarizeFile reads and summarizes one file on disk. The precise engine's
// tree is the directory holding the file or, with -I, the deepest directory
// holding the file and every include directory; the file and the include
// directories are named relative to it.
func (o *parseOptions) summarizeFile(cmd *cobra.Command, file string) (*cparse.Summary, error) {
	src, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	abs, err := filepath.Abs(file)
	if err != nil {
		return nil, err
	}
	root := filepath.Dir(abs)
	var incs []string
	for _, inc := range o.includes {
		a, err := filepath.Abs(inc)
		if err != nil {
			return nil, err
		}
		incs = append(incs, a)
		root = commonDir(root, a)
	}
	rel, err := filepath.Rel(root, abs)
	if err != nil {
		return nil, err
	}
	cfg := cparse.Config{
		FS:      os.DirFS(root),
		Defines: o.defines,
		// The target's compiler: the macros every kernel translation starts from.
		Predefined: kernel.Predefined(),
		Engine:     cparse.EngineChoice(o.engine),
		Lang:       cparse.Lang(o.lang),
	}
	for _, inc := range incs {
		r, err := filepath.Rel(root, inc)
		if err != nil {
			return nil, err
		}
		cfg.IncludePaths = append(cfg.IncludePaths, filepath.ToSlash(r))
	}
	sum := cparse.Parse(cmd.Context(), filepath.ToSlash(rel), src, cfg)
	// Report the path as the user gave it.
	sum.Path = file
	return sum, nil
}

// commonDir is the deepest directory containing both absolute paths.
func commonDir(a, b string) string {
	for {
		if rel, err := filepath.Rel(a, b); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return a
		}
		parent := filepath.Dir(a)
		if parent == a {
			return a
		}
		a = parent
	}
}

func newSummarizeCmd(io streams) *cobra.Command {
	opts := &parseOptions{}
	cmd := &cobra.Command{
		Use:   "summarize FILE...",
		Short: "Print what a C or C++ file defines: functions, types, globals, macros",
		Long: `summarize parses each file and prints its summary: the functions (with
normalized signatures and body hashes), types (members, sizes and offsets
when the precise engine computed them), typedefs, globals, macros and
file-scope asm it defines, which engine produced it, and any errors.

The precise engine (cc/v4) preprocesses the file in the directory tree that
holds it: the file's own directory, or with -I the deepest directory that
holds the file and every include directory. Host headers are never read; an
include that cannot be found makes auto fall back to the tolerant engine
(tree-sitter), and the summary says why. C++ always uses the tolerant engine.

A file that cannot be read is reported on stderr and the others are still
summarized; the exit status is then 1.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := opts.validate(); err != nil {
				return err
			}
			var sums []*cparse.Summary
			failed := 0
			for _, file := range args {
				sum, err := opts.summarizeFile(cmd, file)
				if err != nil {
					fmt.Fprintln(io.Err, "upsynth summarize:", err)
					failed++
					continue
				}
				sums = append(sums, sum)
			}
			var err error
			if opts.format == "json" {
				err = writeJSON(io.Out, sums)
			} else {
				for _, s := range sums {
					writeSummaryText(io.Out, s)
				}
			}
			if err != nil {
				return err
			}
			if failed > 0 {
				return fmt.Errorf("%d of %d files could not be read", failed, len(args))
			}
			return nil
		},
	}
	opts.register(cmd)
	return cmd
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// markers renders the names of the set flags among (name, bool) pairs as
// " [static inline]".
func markers(pairs ...any) string {
	var out []string
	for i := 0; i+1 < len(pairs); i += 2 {
		if on, _ := pairs[i+1].(bool); on {
			out = append(out, pairs[i].(string))
		}
	}
	if len(out) == 0 {
		return ""
	}
	return " [" + strings.Join(out, " ") + "]"
}

func sizeText(size, align int64) string {
	if size < 0 {
		return ""
	}
	return fmt.Sprintf(" size %d align %d", size, align)
}

// writeSummaryText prints a summary for a person, one entity a line.
func writeSummaryText(w io.Writer, s *cparse.Summary) {
	kind := "source"
	if s.Header {
		kind = "header"
	}
	fmt.Fprintf(w, "%s: %s %s, %s engine\n", s.Path, s.Lang, kind, s.Engine)
	for _, f := range s.Functions {
		what := "declaration"
		if f.Definition {
			what = "function"
		}
		fmt.Fprintf(w, "  %s %s: %s%s lines %d-%d\n", what, f.Name, f.Signature,
			markers("static", f.Static, "extern", f.Extern, "inline", f.Inline, "virtual", f.Virtual, "const", f.Const, "asm", f.HasAsm),
			f.Span.StartLine, f.Span.EndLine)
		if f.Access != "" {
			fmt.Fprintf(w, "    access %s\n", f.Access)
		}
		if len(f.Calls) > 0 {
			fmt.Fprintf(w, "    calls %s\n", strings.Join(f.Calls, ", "))
		}
		if len(f.Members) > 0 {
			var ms []string
			for _, m := range f.Members {
				s := m.Member
				if m.Struct != "" {
					s = m.Struct + "." + s
				}
				if m.Write {
					s += " (w)"
				}
				ms = append(ms, s)
			}
			fmt.Fprintf(w, "    members %s\n", strings.Join(ms, ", "))
		}
		for _, g := range f.StaticLocals {
			fmt.Fprintf(w, "    static local %s: %s\n", g.Name, g.Type)
		}
	}
	for _, t := range s.Types {
		fmt.Fprintf(w, "  %s %s:%s lines %d-%d\n", t.Kind, t.Name, sizeText(t.Size, t.Align), t.Span.StartLine, t.Span.EndLine)
		for _, b := range t.Bases {
			fmt.Fprintf(w, "    base %s %s%s\n", b.Access, b.Name, markers("virtual", b.Virtual))
		}
		for _, m := range t.Members {
			extra := ""
			if m.BitWidth >= 0 {
				extra += fmt.Sprintf(" :%d", m.BitWidth)
			}
			if m.Offset >= 0 {
				extra += fmt.Sprintf(" @%d", m.Offset)
			}
			if m.Size >= 0 {
				extra += fmt.Sprintf(" size %d", m.Size)
			}
			if m.Access != "" {
				extra += " " + m.Access
			}
			fmt.Fprintf(w, "    member %s: %s%s\n", m.Name, m.Type, extra)
		}
		for _, m := range t.Methods {
			fmt.Fprintf(w, "    method %s: %s%s %s\n", m.Name, m.Signature,
				markers("virtual", m.Virtual, "pure", m.Pure, "static", m.Static, "const", m.Const), m.Access)
		}
		for _, e := range t.Enumerators {
			if e.Value != "" {
				fmt.Fprintf(w, "    enumerator %s = %s\n", e.Name, e.Value)
			} else {
				fmt.Fprintf(w, "    enumerator %s\n", e.Name)
			}
		}
	}
	for _, t := range s.Typedefs {
		fmt.Fprintf(w, "  typedef %s: %s\n", t.Name, t.Type)
	}
	for _, g := range s.Globals {
		init := ""
		if g.InitHash != "" {
			init = " = ..."
		}
		fmt.Fprintf(w, "  global %s: %s%s%s\n", g.Name, g.Type, init, markers("static", g.Static, "extern", g.Extern))
	}
	for _, m := range s.Macros {
		params := ""
		if m.FunctionLike {
			params = "(" + strings.Join(m.Params, ", ") + ")"
		}
		fmt.Fprintf(w, "  macro %s%s\n", m.Name, params)
	}
	for _, a := range s.Asm {
		name := ""
		if a.Name != "" {
			name = " " + a.Name
		}
		fmt.Fprintf(w, "  asm%s lines %d-%d\n", name, a.Span.StartLine, a.Span.EndLine)
	}
	for _, inc := range s.Includes {
		fmt.Fprintf(w, "  include %s\n", inc)
	}
	for _, d := range s.DependsOn {
		fmt.Fprintf(w, "  depends on %s\n", d)
	}
	for _, e := range s.Errors {
		if e.Line > 0 {
			fmt.Fprintf(w, "  error %s:%d:%d: %s\n", s.Path, e.Line, e.Col, e.Msg)
		} else {
			fmt.Fprintf(w, "  error %s: %s\n", s.Path, e.Msg)
		}
	}
}
