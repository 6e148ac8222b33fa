package cparse

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// A class's data member initialized with zero ("static unsigned const ord
// = 0;" in NOVA's Dmar) is data, though tree-sitter reads "= 0" as a
// pure-virtual clause: a static one is the global Dmar::ord, its value
// hashed as any initializer; a plain one is a member. A pure virtual
// method stays a method.
func TestZeroInitializedMemberIsData(t *testing.T) {
	sum := tolerant(t, "dmar.hpp", "class Dmar\n{\n    private:\n        static unsigned const ord = 0;\n        static unsigned const one = 1;\n        int count = 0;\n        virtual void f() = 0;\n};\n")
	if len(sum.Errors) > 0 {
		t.Errorf("errors %+v, want none", sum.Errors)
	}
	globals := map[string]string{}
	for _, g := range sum.Globals {
		globals[g.Name] = g.InitHash
	}
	if globals["Dmar::ord"] == "" || globals["Dmar::ord"] == globals["Dmar::one"] {
		t.Errorf("globals %v, want Dmar::ord and Dmar::one with their own initializers", globals)
	}
	again := tolerant(t, "dmar.hpp", "class Dmar\n{\n        static unsigned const ord = 0 ;\n};\n")
	if len(again.Globals) != 1 || again.Globals[0].InitHash != globals["Dmar::ord"] {
		t.Errorf("the same member respaced: %+v, want init hash %s", again.Globals, globals["Dmar::ord"])
	}
	var members, methods []string
	for _, ty := range sum.Types {
		for _, m := range ty.Members {
			members = append(members, m.Name)
		}
		for _, m := range ty.Methods {
			methods = append(methods, m.Name)
		}
	}
	if !slices.Equal(members, []string{"count"}) || !slices.Equal(methods, []string{"f"}) {
		t.Errorf("members %q, methods %q: want [count] and [f]", members, methods)
	}
}

// A method defined in its class and followed by a stray semicolon
// ("inline void qi_submit(...) {...};" in NOVA's Dmar) is the same
// definition as without it: tree-sitter reads the blanked body as a brace
// initializer of the declarator.
func TestMethodWithStraySemicolon(t *testing.T) {
	with := tolerant(t, "dmar.hpp", "class Dmar\n{\n        inline void qi_submit (Dmar_qi const &qi)\n        {\n            invq[invq_idx] = qi;\n        };\n};\n")
	without := tolerant(t, "dmar.hpp", "class Dmar\n{\n        inline void qi_submit (Dmar_qi const &qi)\n        {\n            invq[invq_idx] = qi;\n        }\n};\n")
	if len(with.Functions) != 1 || len(without.Functions) != 1 {
		t.Fatalf("functions %+v and %+v, want Dmar::qi_submit in both", with.Functions, without.Functions)
	}
	a, b := with.Functions[0], without.Functions[0]
	if a.Name != "Dmar::qi_submit" || a.Name != b.Name || a.Signature != b.Signature || a.BodyHash != b.BodyHash || !a.Definition {
		t.Errorf("with the semicolon %+v, without %+v: want the same definition", a, b)
	}
}

// An asm label after an anonymous struct's declarator ("static inline
// struct {...} mle_join asm ("mle_join") {...};" in NOVA's Smx) names the
// symbol, not a function: the member is the global Smx::mle_join, as
// without the label.
func TestAsmLabelAfterStructBody(t *testing.T) {
	with := tolerant(t, "smx.hpp", "class Smx\n{\n    public:\n        static inline struct { uint32_t gdt_limit, gdt_base, seg, eip; } mle_join asm (\"mle_join\") { 0, 0, 0, 0 };\n};\n")
	without := tolerant(t, "smx.hpp", "class Smx\n{\n    public:\n        static inline struct { uint32_t gdt_limit, gdt_base, seg, eip; } mle_join { 0, 0, 0, 0 };\n};\n")
	if len(with.Functions) > 0 || len(with.Globals) != 1 || len(without.Globals) != 1 {
		t.Fatalf("functions %+v, globals %+v: want only the global Smx::mle_join", with.Functions, with.Globals)
	}
	if a, b := with.Globals[0], without.Globals[0]; a.Name != "Smx::mle_join" || a.Type != b.Type || a.InitHash != b.InitHash {
		t.Errorf("with the label %+v, without %+v: want the same global", a, b)
	}
}

// An attribute macro after a template's parameter list ("template
// <typename T> ALWAYS_INLINE static inline unsigned in (unsigned port)" in
// NOVA's Io) is blanked as before any declaration: the method is Io::in,
// not Io::unsigned with the macro in its signature.
func TestAttributeMacroAfterTemplateHeader(t *testing.T) {
	sum := tolerant(t, "io.hpp", "class Io\n{\n    public:\n        template <typename T>\n        ALWAYS_INLINE\n        static inline unsigned in (unsigned port)\n        {\n            T val;\n            return val;\n        }\n};\ntemplate <typename T, typename U = X<T>> NOINLINE void f(T t) { }\n")
	var got []string
	for _, f := range sum.Functions {
		got = append(got, f.Name+" "+f.Signature)
	}
	if want := []string{"Io::in unsigned int (unsigned int)", "f void (T)"}; !slices.Equal(got, want) {
		t.Errorf("functions %q, want %q", got, want)
	}
}

// Marking a method override or final ("void putc (int) override;" in
// NOVA's Console_serial, where "void putc (int c);" was) changes nothing:
// it overrides a base class's virtual method either way, and takes no
// vtable slot of its own. A virtual method added still changes the class's
// methods and its vtable, and declares the function Class::method.
func TestOverrideMarkChangesNothing(t *testing.T) {
	old := tolerant(t, "console.hpp", "class Console_serial : public Console\n{\n    public:\n        void putc (int c);\n        void trigger();\n        void flush() { out(); }\n        virtual void g();\n};\n")
	marked := tolerant(t, "console.hpp", "class Console_serial : public Console\n{\n    public:\n        void putc (int) override;\n        void trigger() final;\n        void flush() override { out(); }\n        virtual void g();\n};\n")
	if changes := Diff(old, marked); len(changes) != 0 {
		t.Errorf("override and final marked: %+v, want no change", changes)
	}
	if changes := Diff(marked, old); len(changes) != 0 {
		t.Errorf("the marks taken off: %+v, want no change", changes)
	}
	added := tolerant(t, "console.hpp", "class Console_serial : public Console\n{\n    public:\n        void putc (int) override;\n        void trigger() final;\n        void flush() override { out(); }\n        virtual void g();\n        virtual void h();\n};\n")
	var got []string
	for _, c := range Diff(marked, added) {
		got = append(got, fmt.Sprintf("%s %s %s virtual=%v", c.Entity, c.Name, c.Change, c.Virtual))
	}
	if want := []string{"function Console_serial::h added virtual=true", "type Console_serial methods virtual=true"}; !slices.Equal(got, want) {
		t.Errorf("a virtual method added: %q, want %q", got, want)
	}
}

// One declaration of several static data members ("static Paddr dmar,
// fadt, madt;" in NOVA's Acpi) is one global each, so a member added
// between them is the one change.
func TestStaticMembersDeclaredTogether(t *testing.T) {
	sum := tolerant(t, "acpi.hpp", "class Acpi\n{\n    public:\n        static Paddr dmar, fadt, madt;\n};\n")
	var names []string
	for _, g := range sum.Globals {
		names = append(names, g.Name)
	}
	if want := []string{"Acpi::dmar", "Acpi::fadt", "Acpi::madt"}; !slices.Equal(names, want) {
		t.Errorf("globals %q, want %q", names, want)
	}
}

// A static member typed by a union defined in place and followed by an
// attribute macro ("} basic CPULOCAL;" in NOVA's Vmcs) is named by its
// declarator, never by the macro.
func TestMemberAfterBodyWithAttributeMacro(t *testing.T) {
	sum := tolerant(t, "vmx.hpp", "class Vmcs\n{\n        static union vmx_basic {\n            uint64 val;\n        } basic CPULOCAL;\n        static union vmx_ept {\n            uint64 val;\n        } ept_vpid CPULOCAL;\n};\nstruct s { int a; } one PACKED ALIGNED(8), two;\n")
	var names []string
	for _, g := range sum.Globals {
		names = append(names, g.Name+": "+g.Type)
	}
	if want := []string{"Vmcs::basic: union vmx_basic {...}", "Vmcs::ept_vpid: union vmx_ept {...}", "one: struct s {...}", "two: struct s {...}"}; !slices.Equal(names, want) {
		t.Errorf("globals %q, want %q", names, want)
	}
}

// A C++ namespace-scope variable that is const itself (constexpr, or const
// not behind a pointer) has internal linkage, as if static: managarm moved
// "constexpr bool logScheduling = false;" into an anonymous namespace, and
// nothing changed. A pointer to const, an inline, extern or out-of-line
// member definition, and C's const keep external linkage.
func TestConstNamespaceGlobalsInternal(t *testing.T) {
	src := `namespace thor {
constexpr bool logScheduling = false;
const int limit = 3;
const int table[2] = {1, 2};
const char *name = "x";
inline constexpr int shared = 4;
extern const int declared;
int plain = 1;
}
const int Foo::bar = 2;
`
	sum := tolerant(t, "schedule.cpp", src)
	got := map[string]bool{}
	for _, g := range sum.Globals {
		got[g.Name] = g.Static
	}
	want := map[string]bool{"thor::logScheduling": true, "thor::limit": true, "thor::table": true,
		"thor::name": false, "thor::shared": false, "thor::declared": false, "thor::plain": false, "Foo::bar": false}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("static by name %v, want %v", got, want)
	}
	c := tolerant(t, "limits.c", "const int limit = 3;\n")
	if len(c.Globals) != 1 || c.Globals[0].Static {
		t.Errorf("C's const global: %+v, want external linkage", c.Globals)
	}
}

// A friend function defined in a class body is a function named as a
// member of the class (frigg's Optional::swap; the labels of managarm-s17
// name it so), its body hashed like any other, but no method of the class:
// managarm 2e5161a3 changed the body of every friend swap, which upsynth
// did not see. A friend only declared is no entity.
func TestFriendDefinedInClass(t *testing.T) {
	version := func(body string) *Summary {
		return tolerant(t, "optional.hpp", "namespace frigg {\ntemplate<typename T>\nstruct Optional {\n"+
			"  friend void swap(Optional &a, Optional &b) {\n"+body+"  }\n"+
			"  template<typename U> friend bool operator==(const Optional<U> &a, const Optional<U> &b) { return a.v == b.v; }\n"+
			"  friend class Expected;\n  friend void reset(Optional &o);\n  T v;\n};\n}\n")
	}
	before := version("    using util::swap;\n    swap(a.v, b.v);\n")
	var names []string
	for _, f := range before.Functions {
		names = append(names, f.Name)
	}
	if want := []string{"frigg::Optional::swap", "frigg::Optional::operator=="}; !slices.Equal(names, want) {
		t.Errorf("functions %v, want %v", names, want)
	}
	if len(before.Types) != 1 || len(before.Types[0].Methods) != 0 {
		t.Errorf("types %+v, want Optional without methods", before.Types)
	}
	got := Diff(before, version("    swap(a.v, b.v);\n"))
	if len(got) != 1 || got[0].Name != "frigg::Optional::swap" || got[0].Change != ChangeBody {
		t.Errorf("the friend's body changed: %+v, want frigg::Optional::swap body", got)
	}
}

// TestMethodMadeStatic: a method made static takes no object, a
// signature change of the function as well as of the class's methods,
// found among overloads a header only declares (NOVA's Space_io::insert
// (Vma *) made static beside insert(mword), which turned private: access
// alone changes no function).
func TestMethodMadeStatic(t *testing.T) {
	old := Parse(context.Background(), "space_io.hpp", []byte("class Space_io {\n  public:\n    bool insert (unsigned long);\n    bool remove (unsigned long);\n    bool insert (void *);\n};\n"), Config{Engine: EngineChoiceTolerant})
	new := Parse(context.Background(), "space_io.hpp", []byte("class Space_io {\n  private:\n    bool insert (unsigned long);\n    bool remove (unsigned long);\n  public:\n    static bool insert (void *);\n};\n"), Config{Engine: EngineChoiceTolerant})
	var got []string
	for _, c := range Diff(old, new) {
		got = append(got, string(c.Entity)+" "+c.Name+" "+string(c.Change)+": "+c.Detail)
	}
	want := []string{"function Space_io::insert signature: now a static member", "type Space_io methods: method insert: static false -> true"}
	if !slices.Equal(got, want) {
		t.Errorf("changes:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestAutoGlobalTakesBracedType: a namespace-scope "auto" variable whose
// initializer constructs a named type with braces has that type, so that
// managarm's positional FileOperations initializers rewritten with a
// builder change the initializer only; one initialized otherwise keeps
// the empty type it had.
func TestAutoGlobalTakesBracedType(t *testing.T) {
	sum := tolerant(t, "ops.cpp", "constexpr auto ops = protocols::fs::FileOperations{}.withRead(&read);\n"+
		"constexpr protocols::fs::FileOperations old{&seek, nullptr};\nauto n = count(3);\nconst auto c = Pair{1, 2};\n")
	got := map[string]string{}
	for _, g := range sum.Globals {
		got[g.Name] = g.Type
	}
	want := map[string]string{"ops": "protocols::fs::FileOperations", "old": "protocols::fs::FileOperations", "n": "", "c": "const Pair"}
	for name, typ := range want {
		if got[name] != typ {
			t.Errorf("%s: type %q, want %q", name, got[name], typ)
		}
	}
}

// TestConversionToTemplateInstance: a conversion operator to an instance
// of a template is named by the template ("operator UnsafePtr"), as the
// labels name it and as an out-of-line definition's name reads; one to a
// plain type keeps its spelling.
func TestConversionToTemplateInstance(t *testing.T) {
	sum := tolerant(t, "shared.hpp", "namespace frigg {\ntemplate<typename T, typename A>\nstruct SharedPtr {\n"+
		"  explicit operator UnsafePtr<T, A> () { return UnsafePtr<T, A>(p); }\n"+
		"  operator unsigned long () const { return 0; }\n  T *p;\n};\n}\n")
	var names []string
	for _, f := range sum.Functions {
		names = append(names, f.Name)
	}
	if want := []string{"frigg::SharedPtr::operator UnsafePtr", "frigg::SharedPtr::operator unsigned long"}; !slices.Equal(names, want) {
		t.Errorf("functions %q, want %q", names, want)
	}
}
