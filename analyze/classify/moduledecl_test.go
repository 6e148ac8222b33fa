package classify

import (
	"testing"

	"github.com/upsynth/upsynth/cparse"
	"github.com/upsynth/upsynth/kernel"
)

// TestModuleDeclarationOfExternalFunction: a C++ module that declares a
// function it does not define (managarm's extern "C" fault stubs, defined
// in assembly) shows the declaration's change, of class none: it is the
// module's whole view of the routine. A forward declaration of a function
// the module defines is its definition's business, and so is a C
// module's local declaration of another module's function.
func TestModuleDeclarationOfExternalFunction(t *testing.T) {
	cfg, _ := kernel.Parse("upsynth.yaml", nil)
	decl := cparse.Function{Name: "faultStubFpuException", Signature: "void ()"}
	def := cparse.Function{Name: "setupIdt", Signature: "void (int *)", Definition: true, BodyHash: "1"}
	old := &Version{Summary: &cparse.Summary{Lang: cparse.LangCPP, TokenHash: "a", Functions: []cparse.Function{def}}}
	fwd := def
	fwd.Definition, fwd.BodyHash = false, ""
	new := &Version{Summary: &cparse.Summary{Lang: cparse.LangCPP, TokenHash: "b", Functions: []cparse.Function{decl, fwd, def}}}
	r := Commit(cfg, []File{{Path: "ints.cpp", Old: old, New: new, DeriveChanges: true}}, facts{})
	if len(r.Changes) != 1 || r.Changes[0].Name != "faultStubFpuException" || r.Changes[0].Change != "added" || r.Changes[0].Class != None || r.Changes[0].Reason == "" {
		t.Errorf("changes %+v, want faultStubFpuException added, class none, with a reason", r.Changes)
	}
	if r.Class != None {
		t.Errorf("class %s, want none", r.Class)
	}
	oldC, newC := *old.Summary, *new.Summary
	oldC.Lang, newC.Lang = cparse.LangC, cparse.LangC
	r = Commit(cfg, []File{{Path: "c_traps.c", Old: &Version{Summary: &oldC}, New: &Version{Summary: &newC}, DeriveChanges: true}}, facts{})
	if len(r.Changes) != 0 {
		t.Errorf("C module: changes %+v, want none", r.Changes)
	}
}
