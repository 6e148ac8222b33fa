package main

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"

	"github.com/spf13/pflag"
)

// register adds emit's flags for patch files: --base and --each.
func (o *patchOptions) register(f *pflag.FlagSet) {
	o.registerBase(f)
	f.BoolVar(&o.each, "each", false, "a series of patches: one package per patch (default: the series as one update)")
}

// runEmitPatch emits the update of patch files applied in memory to
// --base: the series as one update (as emit A..B does for commits), or
// with --each one package per patch. Each patch is classified as the
// analysis classifies a commit, then planned and written exactly as a
// commit is.
func runEmitPatch(ctx context.Context, io streams, o *emitOptions, files []string) error {
	mode, err := emitMode(o.mode)
	if err != nil {
		return err
	}
	pk, err := applyPatches(ctx, io.In, o.repo, o.db, &o.patch, files)
	if err != nil {
		return err
	}
	defer pk.Close()
	type unit struct{ from, to int } // the patches [from, to) as one update
	units := []unit{{0, len(pk.patches)}}
	if o.patch.each {
		units = units[:0]
		for i := range pk.patches {
			units = append(units, unit{i, i + 1})
		}
	}
	var errs []error
	for _, u := range units {
		first, last := pk.patches[u.from], pk.patches[u.to-1]
		name := first.Name
		if first.Subject != "" {
			name += " " + first.Subject
		}
		out := "update-" + stem(first)
		if u.to-u.from > 1 {
			name = fmt.Sprintf("%s..%s (%d patches on %s)", first.Name, last.Name, u.to-u.from, pk.base.String()[:12])
			out = "update-" + stem(first) + "-series"
		}
		uo := *o
		if o.out != "" && len(units) > 1 {
			uo.out = filepath.Join(o.out, stem(first))
		}
		cs := changeSetOf(pk.records(u.from, u.to))
		req := &emitRequest{repo: pk.repo}
		err := req.build(&uo, pk.parent(u.from), pk.commits[u.to-1], name, out, cs, mode)
		if err == nil {
			err = writePackage(io, req, o.force)
		}
		if err != nil {
			if len(units) == 1 {
				return err
			}
			// One package per patch: the others are still written.
			errs = append(errs, fmt.Errorf("%s: %w", first.Name, err))
		}
	}
	return errors.Join(errs...)
}
