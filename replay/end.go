package replay

import (
	"fmt"
	"io/fs"

	"github.com/upsynth/upsynth/runtime/emu"
)

// compareEnd compares the machine k, taken live to B (whose tree is tree),
// with a fresh boot of B given the loads k was given since it booted (the
// files, processes and memory they left are state the workloads observe):
// B's other workloads run on both, one after the other, and every request
// must hold or fail its expectation alike and give the same result and
// console output (all the state a workload can observe), and the
// self-checks must agree.
func compareEnd(k *machine, tree fs.FS, o Options) (*End, error) {
	fresh, err := boot(tree, o)
	if err != nil {
		return nil, fmt.Errorf("a fresh boot: %w", err)
	}
	for _, l := range k.ran {
		if _, err := fresh.m.RunWorkload(l.w); err != nil {
			return nil, fmt.Errorf("a fresh boot under %s: %w", l.w.Name, err)
		}
	}
	load, err := loadOf(tree)
	if err != nil {
		return nil, err
	}
	kt, err := kernelOf(tree, "the last revision")
	if err != nil {
		return nil, err
	}
	names, err := kt.Workloads()
	if err != nil {
		return nil, err
	}
	if len(names) == 1 {
		// The load is the only workload (a port's application): it is
		// what can be compared.
		load = ""
	}
	e := &End{}
	check := func(name string, ok bool, detail string) { e.Checks = append(e.Checks, Check{name, ok, detail}) }
	requests, checksDiffer := 0, 0
	for _, name := range names {
		if name == load {
			continue
		}
		w, err := workload(tree, name)
		if err != nil {
			return nil, err
		}
		want, werr := fresh.m.RunWorkload(w.w)
		got, gerr := k.m.RunWorkload(w.w)
		switch {
		case werr != nil && gerr != nil:
			e.Differences = append(e.Differences, fmt.Sprintf("%s: stops both machines (%v)", name, werr))
			continue
		case werr != nil || gerr != nil:
			e.Differences = append(e.Differences, fmt.Sprintf("%s: the replayed machine: %v; a fresh boot: %v", name, gerr, werr))
			checksDiffer++
			continue
		}
		diffs, checks, interleaved := compareRuns(got, want, len(w.w.Streams) > 1)
		requests += len(want.Requests)
		checksDiffer += checks
		e.Differences = append(e.Differences, diffs...)
		if interleaved > 0 {
			e.Interleaving = append(e.Interleaving, fmt.Sprintf("%s: %d results differ, each holding its expectation on both machines: its streams run concurrently, and the two machines interleave them differently", name, interleaved))
		}
	}
	check(fmt.Sprintf("the workloads' checks agree (%d requests)", requests), checksDiffer == 0, "")
	check("every result and console output agrees", len(e.Differences) == 0, fmt.Sprintf("%d differences", len(e.Differences)))
	gn, gerr := k.selfcheck()
	wn, werr := fresh.selfcheck()
	check("the self-check agrees", gn == wn && (gerr == nil) == (werr == nil),
		fmt.Sprintf("replayed %d, fresh boot %d", gn, wn))
	return e, nil
}

// compareRuns compares a workload's run on the replayed machine with its run
// on a fresh boot, request by request: the differences, how many requests
// hold their expectation on one and not the other, and, for a workload
// whose streams run concurrently, how many results differ while holding
// their expectation on both (the interleaving decides those, and the
// workload's expectations are written to tolerate it).
func compareRuns(got, want *emu.WorkloadResult, concurrent bool) (diffs []string, checks, interleaved int) {
	if len(got.Requests) != len(want.Requests) {
		return []string{fmt.Sprintf("%d requests ran, %d on a fresh boot", len(got.Requests), len(want.Requests))}, 1, 0
	}
	for i, w := range want.Requests {
		g := got.Requests[i]
		switch {
		case (g.Failed == "") != (w.Failed == ""):
			checks++
			diffs = append(diffs, fmt.Sprintf("%s: expectation %s here, %s on a fresh boot", w.Pos, holds(g.Failed), holds(w.Failed)))
		case g.Result == w.Result && g.Output == w.Output:
		case concurrent && g.Failed == "":
			interleaved++
		case g.Result != w.Result:
			diffs = append(diffs, fmt.Sprintf("%s: result %d, %d on a fresh boot", w.Pos, g.Result, w.Result))
		default:
			diffs = append(diffs, fmt.Sprintf("%s: console %q, %q on a fresh boot", w.Pos, clip(g.Output, 60), clip(w.Output, 60)))
		}
	}
	return diffs, checks, interleaved
}

func holds(failed string) string {
	if failed == "" {
		return "holds"
	}
	return "fails (" + failed + ")"
}
