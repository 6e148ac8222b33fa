package cparse

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"testing"
	"testing/fstest"
	"unsafe"
)

// TestSummaryKeepsNoSource checks that no string of a summary points into
// the source it was parsed from. A summary outlives its source: the
// analysis keeps thousands in memory while a commit is classified, and one
// name aliasing a 1 MB vendor header would keep the whole header alive
// (FreeRTOS's commit that deletes 13,731 files held 131 MB of blob
// contents that way).
func TestSummaryKeepsNoSource(t *testing.T) {
	files := realisticFiles()
	fsys := fstest.MapFS{}
	for name, text := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(text)}
	}
	for _, dir := range []string{"testdata/src", "testdata/bench"} {
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if e.IsDir() {
				continue
			}
			data, err := os.ReadFile(filepath.Join(dir, e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			files[e.Name()] = string(data)
		}
	}
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		for _, engine := range []EngineChoice{EngineChoiceTolerant, EngineChoicePrecise} {
			src := []byte(files[name])
			cfg := Config{Engine: engine, FS: fsys, IncludePaths: []string{"."}}
			sum := Parse(context.Background(), name, src, cfg)
			lo := uintptr(unsafe.Pointer(&src[0]))
			hi := lo + uintptr(len(src))
			walkStrings(reflect.ValueOf(sum), "Summary", func(path, s string) {
				if len(s) == 0 {
					return
				}
				p := uintptr(unsafe.Pointer(unsafe.StringData(s)))
				if p >= lo && p < hi {
					t.Errorf("%s (%s): %s = %.40q points into the source", name, engine, path, s)
				}
			})
		}
	}
}

// walkStrings calls f with every string reachable from v and its path.
func walkStrings(v reflect.Value, path string, f func(path, s string)) {
	switch v.Kind() {
	case reflect.String:
		f(path, v.String())
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			walkStrings(v.Elem(), path, f)
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				walkStrings(v.Field(i), path+"."+v.Type().Field(i).Name, f)
			}
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			walkStrings(v.Index(i), path+"[]", f)
		}
	case reflect.Map:
		it := v.MapRange()
		for it.Next() {
			walkStrings(it.Key(), path+"{key}", f)
			walkStrings(it.Value(), path+"{}", f)
		}
	}
}
