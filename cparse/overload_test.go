package cparse

import "testing"

// An overload added before an existing one (managarm's helx::Pipe gains an
// awaitable recvString above the callback one) is an overload added, a
// signature change of the name: the existing definition is compared with
// itself, not with the newcomer, so it shows no body change of its own.
// One definition whose signature changes is a signature change too.
func TestOverloadAddedBeforeExisting(t *testing.T) {
	old := tolerant(t, "helx.hpp", "class Pipe {\npublic:\n\tinline int recvString(void *buffer, Callback cb) {\n\t\treturn submit(buffer, cb);\n\t}\n};\n")
	new := tolerant(t, "helx.hpp", "class Pipe {\npublic:\n\tinline auto recvString(void *buffer) {\n\t\treturn await(buffer);\n\t}\n\t[[deprecated]] inline int recvString(void *buffer, Callback cb) {\n\t\treturn submit(buffer, cb);\n\t}\n};\n")
	var got []string
	for _, c := range Diff(old, new) {
		if c.Entity == EntityFunction {
			got = append(got, c.Name+" "+string(c.Change)+" ("+c.Detail+")")
		}
	}
	if len(got) != 1 || got[0] != "Pipe::recvString signature (overload added)" {
		t.Errorf("function changes %q, want only Pipe::recvString signature (overload added)", got)
	}
	changed := tolerant(t, "helx.hpp", "class Pipe {\npublic:\n\tinline int recvString(void *buffer, long cb) {\n\t\treturn submit(buffer, cb);\n\t}\n};\n")
	got = nil
	for _, c := range Diff(old, changed) {
		if c.Entity == EntityFunction {
			got = append(got, c.Name+" "+string(c.Change))
		}
	}
	if len(got) != 1 || got[0] != "Pipe::recvString signature" {
		t.Errorf("function changes %q, want only Pipe::recvString signature", got)
	}
}
