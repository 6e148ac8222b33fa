package cparse

import (
	"context"
	"reflect"
	"strings"
	"testing"
)

func functionsOf(t *testing.T, path, src string) map[string]Function {
	t.Helper()
	s := Parse(context.Background(), path, []byte(src), Config{})
	out := map[string]Function{}
	for _, f := range s.Functions {
		out[f.Name] = f
	}
	return out
}

// TestMacroWrappedFunctions: a function whose result, name and body are a
// macro's arguments is a definition named as the compiler sees it, its
// signature without parameter names as a declaration's, its body hashed;
// the code around it is read as before.
func TestMacroWrappedFunctions(t *testing.T) {
	src := `namespace drm_core {
int before(int a) {
	return a;
}
}

COFIBER_ROUTINE(async::result<void>,
drm_core::File::ioctl(void *object, managarm::fs::CntRequest req,
		helix::UniqueLane conversation), ([object = std::move(object), req] {
	auto self = static_cast<drm_core::File *>(object);
	if(req.command() == 1) {
		self->reply(1);
	}else if(req.command() == 2) {
		self->reply(2);
	}
	COFIBER_RETURN();
}))

namespace thor {
COFIBER_ROUTINE(cofiber::no_future, serve(int lane), ([=] {
	handle(lane);
}))
}

COFIBER_ROUTINE(async::result<Entity>, Entity::bind() const, ([=] {
	return lookup();
}))

DEFINE_TEST(stat_pipe, ([] {
	check();
}))

int after(int y) {
	FOO(y, g(y), [&] { y++; });
	return y;
}
`
	fns := functionsOf(t, "core.cpp", src)
	io, ok := fns["drm_core::File::ioctl"]
	if !ok || !io.Definition || io.Signature != "async::result<void> (void *, managarm::fs::CntRequest, helix::UniqueLane)" {
		t.Fatalf("ioctl: %+v (all: %v)", io, fns)
	}
	if len(io.Calls) == 0 {
		t.Errorf("ioctl's body was not read: %+v", io)
	}
	if f, ok := fns["thor::serve"]; !ok || !f.Definition {
		t.Errorf("serve in namespace thor: %+v (all: %v)", f, fns)
	}
	for _, name := range []string{"drm_core::before", "after"} {
		if f, ok := fns[name]; !ok || !f.Definition {
			t.Errorf("%s: %+v", name, f)
		}
	}
	if f, ok := fns["Entity::bind"]; !ok || f.Signature != "async::result<Entity> () const" {
		t.Errorf("a const method: %+v", f)
	}
	if len(fns) != 5 {
		t.Errorf("functions: %v, want ioctl, serve, bind, before and after (a test macro with no header is none)", fns)
	}
	changed := functionsOf(t, "core.cpp", strings.Replace(src, "self->reply(2);", "self->reply(3);", 1))
	if changed["drm_core::File::ioctl"].BodyHash == io.BodyHash {
		t.Error("a change in the lambda's body left ioctl's body hash as it was")
	}
	if changed["thor::serve"].BodyHash != fns["thor::serve"].BodyHash {
		t.Error("serve's body hash changed with ioctl's")
	}
}

// TestStrayDefinitionSemicolon: "void f() {...};" is a definition, not a
// declaration whose signature holds the body.
func TestStrayDefinitionSemicolon(t *testing.T) {
	src := "struct A { void f(int); };\n\nvoid A::f(int x) {\n\tg(x);\n};\n\nA *make(int y) {\n\treturn nullptr;\n};\n\nint h(int y) {\n\treturn y;\n}\n\nauto l = [](int z) { return z; };\nint v{3};\n"
	fns := functionsOf(t, "a.cpp", src)
	for name, sig := range map[string]string{"A::f": "void (int)", "make": "A * (int)", "h": "int (int)"} {
		if f := fns[name]; !f.Definition || f.Signature != sig {
			t.Errorf("%s: %+v, want a definition of %q", name, f, sig)
		}
	}
	if _, ok := fns["l"]; ok {
		t.Errorf("a lambda variable became a function: %+v", fns["l"])
	}
	s := Parse(context.Background(), "a.cpp", []byte(src), Config{})
	for _, e := range s.Errors {
		t.Errorf("error %+v: a stray semicolon is nothing to report", e)
	}
}

// TestMacroWrappedMethods: a method written inside a macro invocation in a
// class body, indented as members are, is a definition named by the
// namespaces and the class around it; an anonymous namespace adds nothing.
func TestMacroWrappedMethods(t *testing.T) {
	src := `namespace inotify {
namespace {

struct OpenFile : File {
public:
	OpenFile()
	: File{StructName::get("inotify")} { }

	COFIBER_ROUTINE(expected<size_t>, readSome(void *data, size_t max_length) override, ([=] {
		throw std::runtime_error("read() from inotify is not implemented");
	}))

	COFIBER_ROUTINE(expected<PollResult>, poll(uint64_t sequence) override, ([=] {
		std::cout << "posix: Fix inotify::poll()" << std::endl;
	}))

	helix::BorrowedDescriptor getPassthroughLane() override {
		return _passthrough;
	}

private:
	helix::UniqueLane _passthrough;
};

} // anonymous namespace

void run() {
	ASSERT_NOT_A_METHOD(x, y, ([=] { go(); }));
}

} // namespace inotify
`
	fns := functionsOf(t, "inotify.cpp", src)
	for _, want := range []string{"inotify::OpenFile::readSome", "inotify::OpenFile::poll", "inotify::OpenFile::getPassthroughLane", "inotify::run"} {
		if f, ok := fns[want]; !ok || !f.Definition {
			t.Errorf("no definition named %q; functions: %v", want, keysOf(fns))
		}
	}
	if len(fns) != 5 {
		t.Errorf("functions %v, want the constructor, readSome, poll, getPassthroughLane and run", keysOf(fns))
	}
}

// TestMacroWrappedVirtualMethod: a method written inside a macro
// invocation after specifiers ("virtual COFIBER_ROUTINE(...)", managarm's
// drvcore.cpp) is recognized like any other, so the class closes where it
// ends and the namespace's later functions keep their names.
func TestMacroWrappedVirtualMethod(t *testing.T) {
	src := `namespace drvcore {

struct Card0UeventAttribute : sysfs::Attribute {
	static auto singleton() {
		static Card0UeventAttribute attr;
		return &attr;
	}

public:
	virtual COFIBER_ROUTINE(async::result<std::string>, show(sysfs::Object *object) override, ([=] {
		assert(object == cardObject.get());
		COFIBER_RETURN(std::string{"DEVNAME=dri/card0\n"});
	}))
};

void initialize() {
	cardObject->realizeAttribute(Card0UeventAttribute::singleton());
}

} // namespace drvcore
`
	fns := functionsOf(t, "drvcore.cpp", src)
	for _, want := range []string{"drvcore::Card0UeventAttribute::singleton", "drvcore::Card0UeventAttribute::show", "drvcore::initialize"} {
		if f, ok := fns[want]; !ok || !f.Definition {
			t.Errorf("no definition named %q; functions: %v", want, keysOf(fns))
		}
	}
	if len(fns) != 3 {
		t.Errorf("functions %v, want singleton, show and initialize", keysOf(fns))
	}
}

// TestMacroWrittenMethodsOfTheirClass: a method written inside a macro
// invocation in a class body is one of the class's methods, with the access
// the body gives it and virtual when it overrides, so a change of its
// parameters changes the class's methods as a plain method's would
// (managarm 46466de1 gave every File's poll a Process parameter; fifo's
// ReaderFile and WriterFile wrote theirs in COFIBER_ROUTINE).
func TestMacroWrittenMethodsOfTheirClass(t *testing.T) {
	version := func(params string) *Summary {
		return Parse(context.Background(), "fifo.cpp", []byte(`namespace fifo {
class ReaderFile : File {
	void connect(int lane);
public:
	COFIBER_ROUTINE(expected<PollResult>, poll(`+params+`) override, ([=] {
		COFIBER_RETURN(PollResult{});
	}))
private:
	static COFIBER_ROUTINE(async::result<void>, drain(int n), ([=] {
		COFIBER_RETURN();
	}))
};
}
`), Config{})
	}
	before := version("uint64_t sequence")
	var methods []Method
	for _, ty := range before.Types {
		if ty.Name == "fifo::ReaderFile" {
			methods = ty.Methods
		}
	}
	want := []Method{
		{Name: "connect", Signature: "void (int)", Access: "private"},
		{Name: "poll", Signature: "expected<PollResult> (uint64_t)", Virtual: true, Override: true, Access: "public"},
		{Name: "drain", Signature: "async::result<void> (int)", Static: true, Access: "private"},
	}
	if !reflect.DeepEqual(methods, want) {
		t.Errorf("methods of fifo::ReaderFile:\n got %+v\nwant %+v", methods, want)
	}
	var kinds []string
	for _, c := range Diff(before, version("Process *, uint64_t sequence")) {
		kinds = append(kinds, string(c.Entity)+" "+c.Name+" "+string(c.Change))
	}
	if want := []string{"function fifo::ReaderFile::poll signature", "type fifo::ReaderFile methods"}; !reflect.DeepEqual(kinds, want) {
		t.Errorf("poll given a parameter: %v, want %v", kinds, want)
	}
}

// TestStaticMacroWrappedFunction: a function defined through a macro with
// "static" before the invocation (managarm's "static
// COFIBER_ROUTINE(cofiber::no_future, createDevicePath(...), ...)") is
// that function, with internal linkage, not a function named after the
// macro.
func TestStaticMacroWrappedFunction(t *testing.T) {
	fns := functionsOf(t, "devices.cpp", `static COFIBER_ROUTINE(cofiber::no_future, createDevicePath(std::string path,
		VfsType type, DeviceId id), ([=] {
	size_t k = 0;
	while(true) { k++; }
}))
`)
	f, ok := fns["createDevicePath"]
	if !ok || !f.Static || len(fns) != 1 {
		t.Errorf("functions %v, want createDevicePath, static", fns)
	}
}
