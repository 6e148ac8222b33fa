package cparse

import "testing"

// TestUpperCaseFunctionWithParameters: a function whose name is all upper
// case ("SIG_OUTPUT_COMPARE1A", an AVR interrupt vector) and whose
// parentheses hold real parameters ("void", "int x", "struct s *p") is a
// function of that name, not a macro writing a function's header; a macro's
// arguments are bare names ("SYSCALL_DEFINE1(close, unsigned int, fd)").
func TestUpperCaseFunctionWithParameters(t *testing.T) {
	src := `void SIG_OUTPUT_COMPARE1A( void ) __attribute__ ( ( signal, naked ) );
void SIG_OUTPUT_COMPARE1A( void )
{
	tick();
}

int ISR_HANDLER(int vector)
{
	return vector + 1;
}

static void TIMER_CB(struct timer *t, unsigned long arg)
{
	run(t, arg);
}

SYSCALL_DEFINE1(close, unsigned int, fd)
{
	return do_close(fd);
}
`
	fns := functionsOf(t, "port.c", src)
	for _, want := range []string{"SIG_OUTPUT_COMPARE1A", "ISR_HANDLER", "TIMER_CB", "SYSCALL_DEFINE1(close)"} {
		if f, ok := fns[want]; !ok || !f.Definition {
			t.Errorf("no definition named %q; functions: %v", want, keysOf(fns))
		}
	}
	for name := range fns {
		if name == "SIG_OUTPUT_COMPARE1A(void)" || name == "ISR_HANDLER(int)" || name == "TIMER_CB(struct)" {
			t.Errorf("a parameter list read as a macro's arguments: %q", name)
		}
	}
}

func keysOf(m map[string]Function) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
