package cparse

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

// NOVA's accessor families: a class-local macro (cr.hpp's DEFINE_CR) and
// nested macros from an included header (sysreg.hpp's DEFINE_SYSREG*_RW,
// which expand to _RO and _WO) define the class's methods.
func TestFunctionsDefinedByMacros(t *testing.T) {
	const sysreg = "#define DEFINE_SYSREG32_RO(REG, ENC) \\\nALWAYS_INLINE \\\nstatic inline auto get_##REG() \\\n{ uint32_t val; asm volatile (\"mrs %x0, \" EXPAND (ENC) : \"=r\" (val)); return val; }\n" +
		"#define DEFINE_SYSREG32_WO(REG, ENC) \\\nALWAYS_INLINE \\\nstatic inline void set_##REG (uint32_t val) \\\n{ asm volatile (\"msr \" EXPAND (ENC) \", %x0\" : : \"rZ\" (val)); }\n" +
		"#define DEFINE_SYSREG32_RW(REG, ENC) DEFINE_SYSREG32_RO(REG, ENC) DEFINE_SYSREG32_WO(REG, ENC)\n"
	const cr = "#include \"sysreg.hpp\"\nclass Cr final\n{\n    public:\n        #define DEFINE_CR(X) \\\n        ALWAYS_INLINE static auto get_cr##X() { uintptr_t val; asm volatile (\"mov %%cr\" #X \", %0\" : \"=r\" (val)); return val; }\n\n" +
		"        DEFINE_CR (0);\n        DEFINE_CR (4);\n    private:\n        DEFINE_SYSREG32_RW (el2_hcr, S3_4_C12_C11_0);\n        DEFINE_SYSREG32_RO (el2_vtr, S3_4_C12_C11_1);\n};\n"
	fsys := fstest.MapFS{"inc/sysreg.hpp": {Data: []byte(sysreg)}}
	parse := func(src string) *Summary {
		return Parse(context.Background(), "inc/cr.hpp", []byte(src), Config{Engine: EngineChoiceTolerant, FS: fsys, Lang: LangCPP})
	}
	s := parse(cr)
	var functions, methods []string
	for _, f := range s.Functions {
		functions = append(functions, f.Name+" "+f.Signature)
		if f.Span.StartLine != f.Span.EndLine {
			t.Errorf("%s spans lines %d-%d, want its invocation's line", f.Name, f.Span.StartLine, f.Span.EndLine)
		}
	}
	for _, ty := range s.Types {
		for _, m := range ty.Methods {
			methods = append(methods, ty.Name+"::"+m.Name+" "+m.Access)
		}
	}
	wantFunctions := []string{"Cr::get_cr0 ()", "Cr::get_cr4 ()", "Cr::get_el2_hcr ()", "Cr::set_el2_hcr void (uint32_t)", "Cr::get_el2_vtr ()"}
	if !slices.Equal(functions, wantFunctions) {
		t.Errorf("functions %q, want %q", functions, wantFunctions)
	}
	wantMethods := []string{"Cr::get_cr0 public", "Cr::get_cr4 public", "Cr::get_el2_hcr private", "Cr::set_el2_hcr private", "Cr::get_el2_vtr private"}
	if !slices.Equal(methods, wantMethods) {
		t.Errorf("methods %q, want %q", methods, wantMethods)
	}
	if !slices.Contains(s.DependsOn, "inc/sysreg.hpp") {
		t.Errorf("depends on %q, want the header defining DEFINE_SYSREG32_RW", s.DependsOn)
	}

	// The macro's body changed: every function it defines changed.
	changed := parse(strings.Replace(cr, `"mov %%cr" #X ", %0"`, `"movq %%cr" #X ", %0"`, 1))
	var bodies []string
	for _, c := range Diff(s, changed) {
		if c.Entity == EntityFunction {
			bodies = append(bodies, c.Name+" "+string(c.Change))
		}
	}
	if want := []string{"Cr::get_cr0 body", "Cr::get_cr4 body"}; !slices.Equal(bodies, want) {
		t.Errorf("DEFINE_CR's asm changed: %q, want %q", bodies, want)
	}
}

// A macro that expands to itself, or deeper than maxExpansionDepth, defines
// nothing and takes the parse down neither; nor does a macro bomb, each
// level invoking the next a hundred times (a hundred to the eighth tokens),
// whose expansion stops at the work budget instead of running for hours.
func TestFunctionsDefinedByMacrosBounded(t *testing.T) {
	const src = "#define A(x) B(x) B(x)\n#define B(x) A(x) { }\nclass C {\n  A (1);\n};\n"
	s := Parse(context.Background(), "c.hpp", []byte(src), Config{Engine: EngineChoiceTolerant, Lang: LangCPP})
	if len(s.Functions) != 0 {
		t.Errorf("functions %+v, want none from a recursive macro", s.Functions)
	}
	var bomb strings.Builder
	bomb.WriteString("#define L1(x) void f() { }\n")
	for level := 2; level <= 8; level++ {
		fmt.Fprintf(&bomb, "#define L%d(x)", level)
		for range 100 {
			fmt.Fprintf(&bomb, " L%d(x)", level-1)
		}
		bomb.WriteString("\n")
	}
	bomb.WriteString("class C {\n  L8 (1);\n  int member;\n};\n")
	s = Parse(context.Background(), "bomb.hpp", []byte(bomb.String()), Config{Engine: EngineChoiceTolerant, Lang: LangCPP})
	if len(s.Functions) != 0 {
		t.Errorf("%d functions from a macro bomb, want none", len(s.Functions))
	}
	if len(s.Types) != 1 || len(s.Types[0].Members) != 1 {
		t.Errorf("types %+v, want class C with its member: the rest of the file still read", s.Types)
	}
}
