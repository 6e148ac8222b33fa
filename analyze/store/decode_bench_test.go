package store

import (
	"fmt"
	"testing"

	"github.com/upsynth/upsynth/cparse"
)

// BenchmarkDecodeSummary reads back a vendor header's summary (2,000
// macros), as analyze does for every summary it released or finds in the
// database: the allocation per summary read.
func BenchmarkDecodeSummary(b *testing.B) {
	s := &cparse.Summary{Path: "Demo/vendor/regs.h", Lang: cparse.LangC, Engine: cparse.EngineTolerant}
	for i := range 2000 {
		s.Macros = append(s.Macros, cparse.Macro{Name: fmt.Sprintf("REG_%d", i), ValueHash: fmt.Sprintf("%016x", i)})
	}
	data, err := EncodeSummary(s)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		got, err := DecodeSummary(data)
		if err != nil || len(got.Macros) != 2000 {
			b.Fatalf("decoded %d macros, %v", len(got.Macros), err)
		}
	}
}
