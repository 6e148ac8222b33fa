package emu

import (
	"errors"
	"strings"
	"testing"
)

func TestPrintfRefusesAndReports(t *testing.T) {
	tests := []struct {
		format  string
		args    []uint64
		wantErr string
		wantOut string // output produced before the error
	}{
		{"a%nb", []uint64{0x1000}, "%n is not supported", "a"},
		{"%d %d", []uint64{1}, "missing argument 2", "1 "},
		{"%*d", nil, "width argument", ""},
		{"%.*d", nil, "precision argument", ""},
		{"x%y", []uint64{1}, `unknown conversion 'y'`, "x"},
		{"abc%", nil, "incomplete conversion", "abc"},
		{"%-08.3l", nil, "incomplete conversion", ""},
		{"%99999999999d", []uint64{1}, "width: exceeds", ""},
		{"%.99999999999d", []uint64{1}, "precision: exceeds", ""},
		{"%*d", []uint64{1 << 20, 1}, "width 1048576 exceeds", ""},
		{"%ls", []uint64{0x10000}, "wide strings", ""},
		{"%lc", []uint64{0xe9}, "not representable", ""},
		{"%s", []uint64{0x999}, "no string at 0x999", ""},
		{"%1$d", []uint64{1}, "unknown conversion '$'", ""},
	}
	for _, tc := range tests {
		out, err := Printf([]byte(tc.format), &sliceArgs{vals: tc.args}, readPrintfString)
		if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
			t.Errorf("Printf(%q) error = %v, want one containing %q", tc.format, err, tc.wantErr)
		}
		if string(out) != tc.wantOut {
			t.Errorf("Printf(%q) partial output = %q, want %q", tc.format, out, tc.wantOut)
		}
	}
	if _, err := Printf([]byte("%n"), &sliceArgs{vals: []uint64{1}}, readPrintfString); !errors.Is(err, ErrPrintfN) {
		t.Errorf("%%n error %v is not ErrPrintfN", err)
	}
}

func TestPrintfStringPrecisionBoundsRead(t *testing.T) {
	// An unterminated buffer must be read no further than the precision.
	var asked []int
	read := func(addr uint64, max int) ([]byte, error) {
		asked = append(asked, max)
		return []byte("abcdef")[:min(max, 6)], nil
	}
	out, err := Printf([]byte("%.3s|%.0s"), &sliceArgs{vals: []uint64{1, 1}}, read)
	if err != nil || string(out) != "abc|" {
		t.Fatalf("got %q, %v", out, err)
	}
	if len(asked) != 2 || asked[0] != 3 || asked[1] != 0 {
		t.Errorf("readString limits = %v, want [3 0]", asked)
	}
}

func TestPrintfOutputCap(t *testing.T) {
	format := []byte(strings.Repeat("%65536d", 300))
	vals := make([]uint64, 300)
	out, err := Printf(format, &sliceArgs{vals: vals}, readPrintfString)
	if err == nil || len(out) > maxPrintfOutput {
		t.Fatalf("got %d bytes, err %v; want an error and at most %d bytes", len(out), err, maxPrintfOutput)
	}
}

// cyclingArgs never runs out: it replays vals.
type cyclingArgs struct {
	vals []uint64
	next int
}

func (a *cyclingArgs) Next() (uint64, error) {
	v := a.vals[a.next%len(a.vals)]
	a.next++
	return v, nil
}

// FuzzPrintf checks that no format panics and that the output stays
// within what the format can ask for: its own bytes plus, per conversion,
// one field of the largest width or precision and a double's digits.
func FuzzPrintf(f *testing.F) {
	for _, seed := range []string{"%d", "%-+ #012.5lld|%s|%p", "%*.*f", "%.0La%#g%10.3e", "%hhx%zu%c%%", "%.65536f", "%s%.3s%ls%n"} {
		f.Add([]byte(seed), uint64(0x10000), uint64(0x7fefffffffffffff))
	}
	f.Fuzz(func(t *testing.T, format []byte, a, b uint64) {
		args := &cyclingArgs{vals: []uint64{a, b, 0x10100, 0, 1<<64 - 1, 7}}
		out, _ := Printf(format, args, readPrintfString)
		const perConversion = 2*maxPrintfField + 400
		if bound := len(format) + (len(format)/2+1)*perConversion; len(out) > bound || len(out) > maxPrintfOutput {
			t.Fatalf("%d bytes of output from a %d-byte format", len(out), len(format))
		}
	})
}
