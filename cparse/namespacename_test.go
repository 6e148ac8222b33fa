package cparse

import (
	"slices"
	"testing"
)

// A macro between a namespace's name and its body is an attribute
// (managarm's "namespace frigg FRIGG_VISIBILITY {"), not the name: the
// namespace is frigg. Nested and plain names keep their spelling.
func TestNamespaceNameBeforeAttributeMacro(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{"namespace frigg FRIGG_VISIBILITY {\nvoid f() { }\n}\n", "frigg::f"},
		{"namespace frigg FRIGG_VISIBILITY EXPORTED {\nvoid f() { }\n}\n", "frigg::f"},
		{"namespace frigg {\nvoid f() { }\n}\n", "frigg::f"},
		{"namespace thor::arch {\nvoid f() { }\n}\n", "thor::arch::f"},
		{"inline namespace v1 {\nvoid f() { }\n}\n", "v1::f"},
		{"namespace IO {\nvoid f() { }\n}\n", "IO::f"},
	} {
		sum := tolerant(t, "ns.hpp", tc.src)
		var names []string
		for _, f := range sum.Functions {
			names = append(names, f.Name)
		}
		if !slices.Contains(names, tc.want) {
			t.Errorf("%q: functions %q, want %s", tc.src, names, tc.want)
		}
	}
}
