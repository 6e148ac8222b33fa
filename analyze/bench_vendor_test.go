//go:build unix

package analyze

import (
	"context"
	"fmt"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"sync/atomic"
	"testing"
	"time"

	"github.com/upsynth/upsynth/analyze/store"
	"github.com/upsynth/upsynth/internal/gittest"
	"github.com/upsynth/upsynth/runtime/cputime"
)

// vendorTreeRepo is a history of three commits in the shape that dominated
// FreeRTOS-Kernel's analysis: a kernel file, then a vendor demo tree of
// register headers (headers of macroCount macros each) added in one
// commit and deleted in the next, as FreeRTOS's 210b1ffcc87b deleted
// 13,731 files and a million entities.
func vendorTreeRepo(b *testing.B, headers, macroCount int) string {
	b.Helper()
	dir := filepath.Join(b.TempDir(), "repo")
	r, err := gittest.Init(dir)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := r.Commit("kernel", map[string][]byte{"kernel/sched.c": []byte("int ticks;\nvoid tick(void) { ticks++; }\n")}); err != nil {
		b.Fatal(err)
	}
	tree := map[string][]byte{}
	deleted := map[string][]byte{}
	for h := 0; h < headers; h++ {
		var text []byte
		text = fmt.Appendf(text, "#ifndef REGS%d_H\n#define REGS%d_H\n", h, h)
		for m := 0; m < macroCount; m++ {
			text = fmt.Appendf(text, "#define PORT%d_PIN%d_MASK (1u << %d) /* pin %d of port %d */\n", h, m, m%32, m, h)
		}
		text = fmt.Appendf(text, "typedef struct { volatile unsigned CTRL%d, STAT%d; } port%d_t;\n#endif\n", h, h, h)
		path := fmt.Sprintf("Demo/vendor/board%d/include/regs%d.h", h%10, h)
		tree[path], deleted[path] = text, nil
	}
	if _, err := r.Commit("add a vendor demo", tree); err != nil {
		b.Fatal(err)
	}
	if _, err := r.Commit("strip the demos", deleted); err != nil {
		b.Fatal(err)
	}
	return dir
}

func changeRows(b *testing.B, db string) int {
	s, err := store.OpenReader(context.Background(), db)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	var n int
	if err := s.DB().QueryRow(`SELECT count(*) FROM changes`).Scan(&n); err != nil {
		b.Fatal(err)
	}
	return n
}

// BenchmarkVendorTree analyzes the history of vendorTreeRepo: 100 headers
// of 1,000 macros, so 100,000 entities added and then removed. It reports
// the change rows written per second and the largest live heap seen (the
// memory a commit of many files needs, which once took FreeRTOS's analysis
// past 1.6 GB).
func BenchmarkVendorTree(b *testing.B) {
	const headers, macros = 100, 1000
	repo := vendorTreeRepo(b, headers, macros)
	var peak atomic.Uint64
	stop := make(chan struct{})
	go func() {
		sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		for {
			select {
			case <-stop:
				return
			case <-time.After(20 * time.Millisecond):
			}
			metrics.Read(sample)
			if v := sample[0].Value.Uint64(); v > peak.Load() {
				peak.Store(v)
			}
		}
	}()
	defer close(stop)
	runtime.GC()
	b.ResetTimer()
	cpu := cputime.Process()
	rows := 0
	for i := 0; i < b.N; i++ {
		db := filepath.Join(b.TempDir(), "vendor.db")
		st, err := Run(context.Background(), Options{Repo: repo, DB: db})
		if err != nil {
			b.Fatal(err)
		}
		if st.Commits != 3 {
			b.Fatalf("%d commits analyzed, want 3", st.Commits)
		}
		b.StopTimer()
		rows += changeRows(b, db)
		b.StartTimer()
	}
	// CPU time, not wall time: this machine's other work would be counted.
	used := cputime.Process() - cpu
	b.ReportMetric(used.Seconds()/float64(b.N), "cpu-s/op")
	b.ReportMetric(float64(rows)/used.Seconds(), "rows/cpu-s")
	b.ReportMetric(float64(peak.Load())/(1<<20), "peak-live-MiB")
}
