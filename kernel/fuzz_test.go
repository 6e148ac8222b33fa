package kernel

import "testing"

// FuzzParse: any bytes give a config or an error, never a panic, and a
// parsed config answers every question.
func FuzzParse(f *testing.F) {
	f.Add([]byte("include: [include]\ndefines: [\"A=1\"]\nnonupdatable: [{glob: \"a/**\", reason: r}, \"b/*.c\"]\npurpose: {\"abcd\": fix}\n"))
	f.Add([]byte("init: [\"*_init\"]\nexclude: [\"docs/**\"]\n"))
	f.Add([]byte("nonupdatable: {glob: 1}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse("upsynth.yaml", data)
		if err != nil {
			return
		}
		c.IsInit("fs_init")
		c.NonUpdatableReason("boot/x.c")
		c.Excluded("docs/a.md")
		c.IsTest("tests/t.c")
		c.PurposeOverride("abcdef")
	})
}

// FuzzMatch: globs never panic and "**" matches everything below a directory.
func FuzzMatch(f *testing.F) {
	f.Add("src/**/x.c", "src/a/b/x.c")
	f.Add("[", "a")
	f.Fuzz(func(t *testing.T, glob, p string) {
		Match(glob, p)
		if p != "" && !Match("**", p) {
			t.Errorf("** does not match %q", p)
		}
	})
}
