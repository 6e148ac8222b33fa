package gittest

import (
	"fmt"
	"math/rand"
	"strings"
)

// Synthetic builds a kernel-like history for benchmarks: modules
// spread over directories, each including a shared header, and commits that
// change function bodies, add functions, touch the header and merge side
// branches — deterministic for a seed.
func Synthetic(dir string, commits, modules int, seed int64) (*Repo, error) {
	r, err := Init(dir)
	if err != nil {
		return nil, err
	}
	rng := rand.New(rand.NewSource(seed))
	type module struct {
		path  string
		funcs []string // bodies' constants
	}
	mods := make([]*module, modules)
	render := func(m *module) []byte {
		var b strings.Builder
		b.WriteString("#include \"kern.h\"\n\nstatic int calls;\n\n")
		for i, k := range m.funcs {
			fmt.Fprintf(&b, "int %s_f%d(struct obj *o, int n)\n{\n\tcalls++;\n\tif (n > %s)\n\t\treturn o->size + n;\n\treturn kern_helper(n) * 2;\n}\n\n",
				strings.NewReplacer("/", "_", ".c", "").Replace(m.path), i, k)
		}
		return []byte(b.String())
	}
	header := func(fields int) []byte {
		var b strings.Builder
		b.WriteString("#ifndef KERN_H\n#define KERN_H\nstruct obj {\n\tint size;\n")
		for i := 0; i < fields; i++ {
			fmt.Fprintf(&b, "\tint field%d;\n", i)
		}
		b.WriteString("};\nint kern_helper(int n);\n#endif\n")
		return []byte(b.String())
	}
	fields := 1
	files := map[string][]byte{"include/kern.h": header(fields), "upsynth.yaml": []byte("include: [include]\n"),
		"kernel/helper.c": []byte("#include \"kern.h\"\nint kern_helper(int n)\n{\n\treturn n;\n}\n")}
	for i := range mods {
		mods[i] = &module{path: fmt.Sprintf("sub%d/mod%d.c", i%16, i), funcs: []string{"1", "2", "3", "4"}}
		files[mods[i].path] = render(mods[i])
	}
	if _, err := r.Commit("Initial import", files); err != nil {
		return nil, err
	}
	for c := 1; c < commits; c++ {
		files := map[string][]byte{}
		var msg string
		switch k := rng.Intn(20); {
		case k == 0:
			fields++
			files["include/kern.h"] = header(fields)
			msg = "Add a field to obj"
		case k < 4:
			m := mods[rng.Intn(len(mods))]
			m.funcs = append(m.funcs, fmt.Sprint(rng.Intn(1000)))
			files[m.path] = render(m)
			msg = "Add a function to " + m.path
		default:
			for n := 1 + rng.Intn(3); n > 0; n-- {
				m := mods[rng.Intn(len(mods))]
				m.funcs[rng.Intn(len(m.funcs))] = fmt.Sprint(rng.Intn(1000))
				files[m.path] = render(m)
			}
			msg = fmt.Sprintf("Fix the bound in commit %d", c)
		}
		if _, err := r.Commit(msg, files); err != nil {
			return nil, err
		}
	}
	return r, nil
}
