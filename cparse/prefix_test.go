package cparse

import (
	"context"
	"encoding/json"
	"testing"
	"testing/fstest"

	"github.com/upsynth/upsynth/internal/lru"
	"github.com/upsynth/upsynth/runtime/emu/abi"
)

// TestFailedPrefixMemo checks that a file whose first include fails cc/v4
// inside that header gets the same summary whether the failure is already
// memoized or not, and that the memo is used only where that holds.
func TestFailedPrefixMemo(t *testing.T) {
	fsys := fstest.MapFS{
		// A vendor header in a dialect cc/v4 rejects, near its end.
		"vendor.h": {Data: []byte("#ifndef VENDOR_H\n#define VENDOR_H\n#include \"regs.h\"\nextern volatile unsigned char IO_A;\n__interrupt void isr(void);\n#endif\n")},
		"regs.h":   {Data: []byte("typedef unsigned char REG;\n")},
		// A header whose failure is in a file it includes, not in itself.
		"outer.h": {Data: []byte("#include \"bad.h\"\nint outer;\n")},
		"bad.h":   {Data: []byte("__far int x;\n")},
	}
	configs := map[string]string{
		"config1.h": "#ifndef CONFIG_H\n#define CONFIG_H\n#include \"vendor.h\"\n#define configTICK 1000\n#endif\n",
		"config2.h": "/* another version */\n#ifndef CONFIG_H\n#define CONFIG_H\n#include \"vendor.h\"\n#define configTICK 100\n#define configHEAP 4096\n#endif\n",
	}
	cfg := Config{Predefined: abi.Predefined, FS: fsys}
	parse := func(name string) string {
		sum := Parse(context.Background(), name, []byte(configs[name]), cfg)
		b, _ := json.Marshal(sum)
		return string(b)
	}
	cold := func(name string) string {
		failedPrefixes = lru.New[[32]byte, string](16)
		return parse(name)
	}
	defer func() { failedPrefixes = lru.New[[32]byte, string](4096) }()

	want2 := cold("config2.h")
	cold("config1.h") // memoizes vendor.h's failure
	if failedPrefixes.Len() != 1 {
		t.Fatalf("memo holds %d entries after a failure inside the leading header, want 1", failedPrefixes.Len())
	}
	if got := parse("config2.h"); got != want2 {
		t.Errorf("summary with the memo warm differs from a cold one:\n got %s\nwant %s", got, want2)
	}

	// Where the memo must not apply.
	failedPrefixes = lru.New[[32]byte, string](16)
	walk := func(src string) *includeWalk { return walkIncludes(fsys, "f.h", []byte(src), []string{""}) }
	for _, src := range []string{
		"int before;\n#include \"vendor.h\"\n", // a declaration first
		"#include MACRO\n",
		"#include \"nothere.h\"\n",
	} {
		if _, ok := leadingIncludeOf(cfg, "f.h", []byte(src), walk(src), []string{""}); ok {
			t.Errorf("%q: a leading include was found", src)
		}
	}
	src := "#include \"outer.h\"\nint x;\n"
	Parse(context.Background(), "f.c", []byte(src), cfg)
	if failedPrefixes.Len() != 0 {
		t.Errorf("a failure in a file the leading header includes was memoized")
	}
	// Macros defined before the include are part of the key: the header
	// may test them.
	withX, withY := "#define X 1\n#include \"vendor.h\"\n", "#define Y 1\n#include \"vendor.h\"\n"
	leadX, okX := leadingIncludeOf(cfg, "f.h", []byte(withX), walk(withX), []string{""})
	leadY, okY := leadingIncludeOf(cfg, "f.h", []byte(withY), walk(withY), []string{""})
	if !okX || !okY || leadX.key == leadY.key {
		t.Errorf("different macros before the include: found %v %v, same key %v", okX, okY, leadX.key == leadY.key)
	}
	// The key follows the text of every file the header reaches.
	src = "#include \"vendor.h\"\n"
	lead1, _ := leadingIncludeOf(cfg, "f.h", []byte(src), walk(src), []string{""})
	fsys["regs.h"] = &fstest.MapFile{Data: []byte("typedef unsigned short REG;\n")}
	lead2, _ := leadingIncludeOf(cfg, "f.h", []byte(src), walk(src), []string{""})
	if lead1.key == lead2.key {
		t.Errorf("the prefix key did not change with a header the leading one includes")
	}
}

// TestFailedPrefixMemoPrelude checks the header retry's prelude: a header
// that fails alone is translated again after the includes a source file of
// its directory puts before it, and when the prelude's first include fails
// inside itself, the next version of the header does not translate the
// prelude again, and gets the summary a cold memo gives.
func TestFailedPrefixMemoPrelude(t *testing.T) {
	fsys := fstest.MapFS{
		"d/vendor.h": {Data: []byte("#ifndef VENDOR_H\n#define VENDOR_H\ntypedef unsigned char REG_T;\n__interrupt void isr(void);\n#endif\n")},
		"d/main.c":   {Data: []byte("#include \"vendor.h\"\n#include \"conf.h\"\nint main(void) { return 0; }\n")},
	}
	versions := []string{
		"#ifndef CONF_H\n#define CONF_H\nextern REG_T mirror;\n#define configTICK 1000\n#endif\n",
		"/* v2 */\n#ifndef CONF_H\n#define CONF_H\nextern REG_T mirror;\n#define configTICK 100\n#endif\n",
	}
	cfg := Config{Predefined: abi.Predefined, FS: fsys}
	parse := func(v int) string {
		sum := Parse(context.Background(), "d/conf.h", []byte(versions[v]), cfg)
		if sum.Engine != EngineTolerant {
			t.Fatalf("version %d: engine %s, want the tolerant engine after two failed translations", v, sum.Engine)
		}
		b, _ := json.Marshal(sum)
		return string(b)
	}
	defer func() { failedPrefixes = lru.New[[32]byte, string](4096) }()

	failedPrefixes = lru.New[[32]byte, string](16)
	want := parse(1) // cold
	failedPrefixes = lru.New[[32]byte, string](16)
	parse(0)
	if failedPrefixes.Len() != 1 {
		t.Fatalf("memo holds %d entries after the prelude failed inside its leading header, want 1", failedPrefixes.Len())
	}
	before := translations.Load()
	if got := parse(1); got != want {
		t.Errorf("summary with the memo warm differs from a cold one:\n got %s\nwant %s", got, want)
	}
	if n := translations.Load() - before; n != 1 {
		t.Errorf("the second version ran %d translations, want 1 (the header alone; the prelude's failure is memoized)", n)
	}
}
