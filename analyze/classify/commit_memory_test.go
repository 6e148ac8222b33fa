package classify

import (
	"runtime"
	"testing"
	"weak"

	"github.com/upsynth/upsynth/cparse"
	"github.com/upsynth/upsynth/kernel"
)

// probeFacts runs probe whenever the classifier asks a cross-module
// question, that is, in the middle of classifying a file.
type probeFacts struct {
	facts
	probe func()
}

func (p probeFacts) CalledOutside(fn, file string) bool {
	p.probe()
	return false
}

// A commit of thousands of files must not hold every file's summary until
// its last file is classified (issue 20: FreeRTOS's vendor-tree deletion):
// once the caller has let go of its files, the summaries of the files
// already classified can be collected while the rest are.
func TestCommitFreesClassifiedFiles(t *testing.T) {
	cfg, err := kernel.Parse("upsynth.yaml", nil)
	if err != nil {
		t.Fatal(err)
	}
	files, first := twoFiles()
	collected, probed := false, false
	facts := probeFacts{probe: func() {
		probed = true
		runtime.GC()
		collected = first.Value() == nil
	}}
	res := Commit(cfg, files, facts) // the test does not use files again
	if !probed {
		t.Fatal("the classifier asked no cross-module question: the probe never ran")
	}
	if !collected {
		t.Error("the first file's summary was still reachable while the second file was classified")
	}
	if len(res.Changes) != 2 {
		t.Errorf("changes = %+v, want the removal and the signature change", res.Changes)
	}
}

// twoFiles is a file whose function is removed and a file whose function's
// signature changes, and a weak pointer to the first file's summary.
func twoFiles() ([]File, weak.Pointer[cparse.Summary]) {
	removed := withFns(sum("kernel/a.c", cparse.EnginePrecise), def("gone", "int (void)"))
	return []File{
		{Path: "kernel/a.c", Old: ver(removed), Changes: []cparse.Change{change(cparse.EntityFunction, "gone", cparse.ChangeRemoved)}},
		{Path: "kernel/b.c", Old: ver(withFns(sum("kernel/b.c", cparse.EnginePrecise), def("f", "int (void)"))),
			New:     ver(withFns(sum("kernel/b.c", cparse.EnginePrecise), def("f", "long (void)"))),
			Changes: []cparse.Change{change(cparse.EntityFunction, "f", cparse.ChangeSignature)}},
	}, weak.Make(removed)
}
