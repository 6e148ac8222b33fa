package runtime_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/upsynth/upsynth/runtime"
	"github.com/upsynth/upsynth/runtime/emu"
)

// loadWorkload keeps both CPUs busy with adds and reads spread over the
// items while the update runs.
func loadWorkload(b *testing.B, items, rounds int) *emu.Workload {
	b.Helper()
	src := fmt.Sprintf("stream a\nrepeat %d\nsys %d $i 1 -> >=1\nend\nend\nstream b\nrepeat %d\nsys %d $i -> >=0\nend\nend\n",
		rounds, sysAdd, rounds, sysGet)
	w, err := emu.ParseWorkload("load.wl", []byte(src))
	if err != nil {
		b.Fatal(err)
	}
	_ = items
	return w
}

// benchUpdate applies u to a kernel with n live Items under load on 2 CPUs
// and reports the time to apply and the longest pause a call saw.
func benchUpdate(b *testing.B, n int, mk func(testing.TB) *runtime.Update) {
	var apply, maxPause, p99 time.Duration
	var converted int
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		k := bootItems(b, 2, uint64(i+1), n)
		a, err := runtime.Prepare(k.t, mk(b))
		if err != nil {
			b.Fatal(err)
		}
		k.t.At(5000, a.Start)
		b.StartTimer()
		if _, err := k.m.RunWorkload(loadWorkload(b, n, 40000)); err != nil {
			b.Fatal(err)
		}
		rep := a.Wait()
		b.StopTimer()
		if rep.Outcome != "applied" {
			b.Fatalf("%s: %s", rep.Outcome, rep.Err)
		}
		k.selfcheck(b)
		if testing.Verbose() {
			var sb strings.Builder
			rep.Print(&sb)
			b.Log(sb.String())
		}
		apply += rep.Apply
		maxPause = max(maxPause, rep.Pauses.Max)
		p99 = max(p99, rep.Pauses.P99)
		converted = rep.Transferred
	}
	b.ReportMetric(float64(apply.Microseconds())/float64(b.N)/1000, "apply-ms")
	b.ReportMetric(float64(maxPause.Microseconds()), "maxpause-µs")
	b.ReportMetric(float64(p99.Microseconds()), "p99pause-µs")
	b.ReportMetric(float64(converted), "converted")
}

const benchItems = 100_000

func BenchmarkUpdate100kEager(b *testing.B) {
	benchUpdate(b, benchItems, func(tb testing.TB) *runtime.Update { return stateUpdate(tb, runtime.Eager) })
}

func BenchmarkUpdate100kLazy(b *testing.B) {
	benchUpdate(b, benchItems, func(tb testing.TB) *runtime.Update { return stateUpdate(tb, runtime.Lazy) })
}

func BenchmarkUpdate100kStopTheWorld(b *testing.B) {
	benchUpdate(b, benchItems, func(tb testing.TB) *runtime.Update { return stateUpdate(tb, runtime.StopTheWorld) })
}

func BenchmarkUpdateCodeOnly(b *testing.B) {
	benchUpdate(b, 1000, codeUpdate)
}
