// Package targets finds the port a command runs a kernel with: one of the
// ports of real kernels to the emulated target bundled with upsynth (by
// name), or a port directory of the user's (by path). A port is a
// kernel.Target: its files, laid over the kernel's tree under
// kernel.TargetDir, and the upsynth.yaml that says how the kernel builds
// with them.
package targets

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sort"
	"strings"

	"github.com/upsynth/upsynth/kernel"
	"github.com/upsynth/upsynth/targets/freertos"
)

// bundled are the ports shipped with upsynth, by name.
var bundled = map[string]func() fs.FS{
	freertos.Name: freertos.Files,
}

// Names lists the bundled ports.
func Names() []string {
	var out []string
	for n := range bundled {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// UnknownError is a target that is neither a bundled port nor a directory.
type UnknownError struct{ Name string }

func (e *UnknownError) Error() string {
	return fmt.Sprintf("unknown target %q: the bundled ports are %s, or give a port directory (a path holding upsynth.yaml)", e.Name, strings.Join(Names(), ", "))
}

// Lookup finds a port: a bundled port's name, or the path of a directory
// holding a port (with a path separator or a leading dot, so a directory
// named like a bundled port is reached as ./name).
func Lookup(name string) (*kernel.Target, error) {
	if name == "" {
		return nil, nil
	}
	if files, ok := bundled[name]; ok && !strings.ContainsAny(name, `/\.`) {
		return kernel.LoadTarget(name, files())
	}
	fi, err := os.Stat(name)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, &UnknownError{Name: name}
	case err != nil:
		return nil, err
	case !fi.IsDir():
		return nil, fmt.Errorf("target %s: not a directory (a port is a directory holding upsynth.yaml)", name)
	}
	return kernel.LoadTarget(name, os.DirFS(name))
}
