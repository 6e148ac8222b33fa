package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/upsynth/upsynth/analyze/store"
	"github.com/upsynth/upsynth/report"
)

// commitFilterFlags select the commits `report commits` prints: the
// commits behind any cell of the coverage table.
type commitFilterFlags struct {
	filter       report.Filter
	since, until string
}

func (f *commitFilterFlags) add(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&f.filter.Class, "class", "", "only this class: none, code, state, interface, unsupported,\n"+
		"or source, updatable-original, updatable-with-adapters")
	fl.StringVar(&f.filter.Purpose, "purpose", "", "only this purpose: fix, perf, fix+perf, feature, cleanup, other, all")
	fl.StringVar(&f.filter.Hazard, "hazard", "", "only commits carrying this hazard")
	fl.StringVar(&f.filter.Path, "path", "", "only commits changing a file matching this glob (** matches directories)")
	fl.StringVar(&f.since, "since", "", "only commits authored on or after this date (YYYY-MM-DD or RFC 3339)")
	fl.StringVar(&f.until, "until", "", "only commits authored on or before this date")
	classChoice.complete(cmd, "class")
	purposeCh.complete(cmd, "purpose")
	hazardChoice.complete(cmd, "hazard")
}

// open validates the flags and the format, then opens the database.
func (f *commitFilterFlags) open(ctx context.Context, opts *reportOptions) (*store.Store, error) {
	if err := reportFormat.check("format", opts.format); err != nil {
		return nil, err
	}
	var err error
	if f.filter.Since, err = report.ParseDate(f.since, false); err != nil {
		return nil, fmt.Errorf("--since: %w", err)
	}
	if f.filter.Until, err = report.ParseDate(f.until, true); err != nil {
		return nil, fmt.Errorf("--until: %w", err)
	}
	if err := f.filter.Validate(); err != nil {
		return nil, err
	}
	// Merges are listed (as merges) unless a filter asks for a class or
	// purpose they do not have.
	f.filter.Merges = true
	return report.OpenStore(ctx, opts.db)
}
