package store

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/upsynth/upsynth/cparse"
)

// testSummaries are cparse's own test files summarized by the tolerant
// engine: every kind of entity, C and C++.
func testSummaries(t *testing.T) []*cparse.Summary {
	t.Helper()
	paths, _ := filepath.Glob("../../cparse/testdata/src/*.[ch]*")
	if len(paths) < 5 {
		t.Fatalf("cparse's test files not found: %v", paths)
	}
	var out []*cparse.Summary
	for _, p := range paths {
		src, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, cparse.Parse(context.Background(), filepath.Base(p), src, cparse.Config{Engine: cparse.EngineChoiceTolerant}))
	}
	return out
}

// TestSummaryCodecKeepsEverything: a summary read back is the summary
// stored, field for field (its JSON, the form every report prints, is
// the same), from the stored form written now and from the gzip'd JSON
// of databases written before.
func TestSummaryCodecKeepsEverything(t *testing.T) {
	for _, sum := range testSummaries(t) {
		want, _ := json.Marshal(sum)
		data, err := EncodeSummary(sum)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(data, zstdMagic) {
			t.Fatalf("%s: stored form starts % x, want zstd's frame", sum.Path, data[:4])
		}
		var legacy bytes.Buffer
		zw := gzip.NewWriter(&legacy)
		json.NewEncoder(zw).Encode(sum)
		zw.Close()
		for name, stored := range map[string][]byte{"zstd CBOR": data, "gzip JSON": legacy.Bytes()} {
			got, err := DecodeSummary(stored)
			if err != nil {
				t.Fatalf("%s, %s: %v", sum.Path, name, err)
			}
			if g, _ := json.Marshal(got); !bytes.Equal(g, want) {
				t.Errorf("%s, %s: read back\n%s\nwant\n%s", sum.Path, name, g, want)
			}
		}
	}
}

// TestDamagedSummaryIsAnError: a stored summary with a flipped byte or cut
// short is an error (zstd's checksum, CBOR's structure), never a summary
// that differs or a panic.
func TestDamagedSummaryIsAnError(t *testing.T) {
	sum := testSummaries(t)[0]
	data, err := EncodeSummary(sum)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := json.Marshal(sum)
	for i := range data {
		damaged := bytes.Clone(data)
		damaged[i] ^= 0x40
		if got, err := DecodeSummary(damaged); err == nil {
			if g, _ := json.Marshal(got); !bytes.Equal(g, want) {
				t.Fatalf("byte %d flipped: decoded a different summary without an error", i)
			}
		}
	}
	if _, err := DecodeSummary(data[:len(data)/2]); err == nil {
		t.Error("a summary cut in half decoded")
	}
}

// FuzzDecodeSummary: whatever a summary column holds — damaged, cut,
// another program's bytes — DecodeSummary returns a summary or an error,
// never panics, and a summary it returns encodes and reads back the same.
func FuzzDecodeSummary(f *testing.F) {
	for _, sum := range []*cparse.Summary{{Path: "a.c", Lang: cparse.LangC}, {Path: "b.hpp", Lang: cparse.LangCPP, Macros: []cparse.Macro{{Name: "X", ValueHash: "1"}}}} {
		data, err := EncodeSummary(sum)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte{0x28, 0xb5, 0x2f, 0xfd})
	f.Add([]byte{0x1f, 0x8b})
	f.Fuzz(func(t *testing.T, data []byte) {
		sum, err := DecodeSummary(data)
		if err != nil {
			return
		}
		again, err := EncodeSummary(sum)
		if err != nil {
			t.Fatalf("a decoded summary does not encode: %v", err)
		}
		back, err := DecodeSummary(again)
		if err != nil {
			t.Fatalf("a summary encoded does not decode: %v", err)
		}
		if a, b := mustJSON(t, sum), mustJSON(t, back); !bytes.Equal(a, b) {
			t.Fatalf("read back differs:\n%s\n%s", a, b)
		}
	})
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return data
}
