package cparse

import (
	"context"
	"strings"
	"testing"
)

func tolerant(t *testing.T, name, src string) *Summary {
	t.Helper()
	return Parse(context.Background(), name, []byte(src), Config{Engine: EngineChoiceTolerant})
}

func functionNames(s *Summary) []string {
	var out []string
	for _, f := range s.Functions {
		out = append(out, f.Name)
	}
	return out
}

// FreeRTOS's tasks.c indents functions inside "#if" blocks and opens the
// body's block after conditional statement heads
// ("#if A\n if (x)\n#else\n if (y)\n#endif\n {"), which tree-sitter cannot
// parse: the body must be blanked before it sees it. Until it was, the
// function vanished and its locals became globals (2da35deb).
func TestIndentedBodyWithConditionalHeads(t *testing.T) {
	src := `#if ( configNUMBER_OF_CORES > 1 )
    static void prvYieldForTask( const TCB_t * pxTCB )
    {
        const BaseType_t xCurrentCoreID = portGET_CORE_ID();

        #if ( configRUN_MULTIPLE_PRIORITIES == 0 )
            if( pxTCB->uxPriority >= uxTopReadyPriority )
        #else
            if( taskTASK_IS_RUNNING( pxTCB ) == pdFALSE )
        #endif
        {
            prvYieldCore( xCurrentCoreID );
        }
    }
#endif

static void prvNext( void )
{
    f();
}
`
	s := tolerant(t, "tasks.c", src)
	if got := strings.Join(functionNames(s), " "); got != "prvYieldForTask prvNext" {
		t.Errorf("functions %q, want prvYieldForTask prvNext; errors %v", got, s.Errors)
	}
	if len(s.Globals) != 0 {
		t.Errorf("locals read as globals: %+v", s.Globals)
	}
	if len(s.Errors) != 0 {
		t.Errorf("errors: %v", s.Errors)
	}
	changed := strings.Replace(src, "= portGET_CORE_ID()", "= ( BaseType_t ) portGET_CORE_ID()", 1)
	ch := Diff(s, tolerant(t, "tasks.c", changed))
	if len(ch) != 1 || ch[0].Entity != EntityFunction || ch[0].Name != "prvYieldForTask" || ch[0].Change != ChangeBody {
		t.Errorf("changes %+v, want prvYieldForTask's body", ch)
	}
}

// A body whose last brace is misindented closes where the braces balance,
// not at the first brace of its indentation.
func TestMisindentedLastBrace(t *testing.T) {
	src := `#if X
    void f( void )
    {
        #if defined( A )
            a();
        #endif
        for( ;; )
        {
            b();
    }
}
#endif
int g( void ) { return 0; }
`
	s := tolerant(t, "port.c", src)
	if got := strings.Join(functionNames(s), " "); got != "f g" || len(s.Errors) != 0 {
		t.Errorf("functions %q, errors %v; want f g and none", got, s.Errors)
	}
	if len(s.Functions) == 2 && s.Functions[0].Span.EndLine != 11 {
		t.Errorf("f ends on line %d, want 11", s.Functions[0].Span.EndLine)
	}
}

// A macro that writes a function's header is a definition, named by the
// macro and its first argument, whatever the macro's case, with or without
// a storage class before it.
func TestMacroHeaderFunctions(t *testing.T) {
	src := `static portTASK_FUNCTION( prvIdleTask, pvParameters )
{
    ( void ) pvParameters;
    idle();
}

portTASK_FUNCTION( prvTimerTask, pvParameters )
{
    timers();
}
`
	s := tolerant(t, "tasks.c", src)
	if got := strings.Join(functionNames(s), " "); got != "portTASK_FUNCTION(prvIdleTask) portTASK_FUNCTION(prvTimerTask)" || len(s.Errors) != 0 {
		t.Fatalf("functions %q, errors %v", got, s.Errors)
	}
	if !s.Functions[0].Static || s.Functions[1].Static {
		t.Errorf("static %v, %v; want true, false", s.Functions[0].Static, s.Functions[1].Static)
	}
	if c := s.Functions[0].Calls; len(c) != 1 || c[0] != "idle" {
		t.Errorf("prvIdleTask calls %v, want idle", c)
	}
	changed := strings.Replace(src, "timers();", "timers(); more();", 1)
	ch := Diff(s, tolerant(t, "tasks.c", changed))
	if len(ch) != 1 || ch[0].Name != "portTASK_FUNCTION(prvTimerTask)" || ch[0].Change != ChangeBody {
		t.Errorf("changes %+v, want prvTimerTask's body", ch)
	}
}

// Code under "#if 0" is never compiled: deleting it changes nothing, and
// what it defines is no entity; "#else" and "#elif" branches stay.
func TestDisabledGroups(t *testing.T) {
	src := `int sys_block(void)
{
  brelse(b);
#if 0
  cprintf("overwrite fs.img!\n");
#ifdef X
  x();
#endif
#endif
  return 0;
}
#if 0
int dead(void) { return 0; }
#elif BAR
int bar(void) { return 2; }
#else
int notbar(void) { return 3; }
#endif
#if (0)
#define GONE 1
int dead2(void);
#else
int live(void) { return 4; }
#endif
`
	// The precise engine's preprocessor drops such code itself.
	for _, engine := range []EngineChoice{EngineChoiceTolerant} {
		s := Parse(context.Background(), "syscall.c", []byte(src), Config{Engine: engine})
		if got := strings.Join(functionNames(s), " "); got != "sys_block bar notbar live" {
			t.Errorf("%s: functions %q, want sys_block bar notbar live; errors %v", engine, got, s.Errors)
		}
		if len(s.Macros) != 0 {
			t.Errorf("%s: macros %+v under #if 0", engine, s.Macros)
		}
		if len(s.Functions) == 0 || strings.Join(s.Functions[0].Calls, " ") != "brelse" {
			t.Errorf("%s: first function %+v, want sys_block calling brelse only", engine, s.Functions)
		}
		i, j := strings.Index(src, "#if 0\n  cprintf"), strings.Index(src, "  return 0;")
		without := src[:i] + src[j:]
		n := Parse(context.Background(), "syscall.c", []byte(without), Config{Engine: engine})
		if ch := Diff(s, n); len(ch) != 0 {
			t.Errorf("%s: deleting an #if 0 block changed %+v", engine, ch)
		}
		if s.TokenHash != n.TokenHash {
			t.Errorf("%s: deleting an #if 0 block changed the file's tokens", engine)
		}
	}
}

// C kernels put attribute macros before a declaration and between its type
// and its name (seL4: BOOT_CODE, VISIBLE, NORETURN, FORCE_INLINE, CONST;
// FreeRTOS: PRIVILEGED_DATA, STATIC). Tree-sitter took them for types and
// names: "global NORETURN", "global List_t: PRIVILEGED_DATA".
// Upper-case declared names and types stay.
func TestCAttributeMacros(t *testing.T) {
	src := `BOOT_CODE static bool_t provide(cap_t c)
{
    return 1;
}
bool_t CONST isVTableRoot(cap_t cap)
{
    return 0;
}
static inline void NORETURN FORCE_INLINE fastpath_restore(word_t badge)
{
    x();
}
VISIBLE NORETURN void restore_user_context(void)
{
    y();
}
static inline word_t PURE pageBitsForSize(vm_page_size_t s);
unsigned long NUM;
static Foo MAX;
PRIVILEGED_DATA static List_t xList;
PRIVILEGED_DATA STATIC List_t pxReadyTasksLists[ 5 ];
UINT32 counter;
`
	s := tolerant(t, "boot.c", src)
	var got []string
	for _, f := range s.Functions {
		got = append(got, "function "+f.Name)
	}
	for _, g := range s.Globals {
		got = append(got, "global "+g.Name+": "+g.Type)
	}
	want := "function provide|function isVTableRoot|function fastpath_restore|function restore_user_context|function pageBitsForSize|" +
		"global NUM: unsigned long|global MAX: Foo|global xList: List_t|global pxReadyTasksLists: List_t[5]|global counter: UINT32"
	if g := strings.Join(got, "|"); g != want {
		t.Errorf("got  %s\nwant %s", g, want)
	}
	if len(s.Errors) != 0 {
		t.Errorf("errors: %v", s.Errors)
	}
}

// One body under alternative headers, one per configuration, is one
// function with the first header (seL4's c_handle_syscall).
func TestAlternativeHeaders(t *testing.T) {
	src := `#ifdef CONFIG_KERNEL_MCS
void VISIBLE c_handle_syscall(word_t cptr, word_t msgInfo, word_t reply)
#else
void VISIBLE c_handle_syscall(word_t cptr, word_t msgInfo)
#endif
{
    handle(cptr);
}
#if X
int a(void) { return 1; }
#else
int a(void) { return 2; }
#endif
`
	s := tolerant(t, "c_traps.c", src)
	if got := strings.Join(functionNames(s), " "); got != "c_handle_syscall a a" || len(s.Errors) != 0 {
		t.Fatalf("functions %q, errors %v; want c_handle_syscall a a and none", got, s.Errors)
	}
	if f := s.Functions[0]; !f.Definition || f.Signature != "void (word_t, word_t, word_t)" || strings.Join(f.Calls, " ") != "handle" {
		t.Errorf("c_handle_syscall %+v", f)
	}
}

// A conditional that puts one function's body and another's header between
// a header and the body they share (FreeRTOS's xTaskCreate and
// xTaskCreateAffinitySet) defines both functions; a conditional statement
// at the head of a body is left alone.
func TestInterposedDefinition(t *testing.T) {
	src := `#if ( configSUPPORT_DYNAMIC_ALLOCATION == 1 )

    BaseType_t xTaskCreate( TaskFunction_t pxTaskCode,
                            const char * const pcName, /*lint !e971 Unqualified char types. */
                            TaskHandle_t * const pxCreatedTask )
    #if ( ( configNUMBER_OF_CORES > 1 ) && ( configUSE_CORE_AFFINITY == 1 ) )
    {
        return xTaskCreateAffinitySet( pxTaskCode, pcName, tskNO_AFFINITY, pxCreatedTask );
    }

    BaseType_t xTaskCreateAffinitySet( TaskFunction_t pxTaskCode,
                                       const char * const pcName,
                                       UBaseType_t uxCoreAffinityMask,
                                       TaskHandle_t * const pxCreatedTask )
    #endif /* #if ( ( configNUMBER_OF_CORES > 1 ) && ( configUSE_CORE_AFFINITY == 1 ) ) */
    {
        TCB_t * pxNewTCB = prvCreateTask( pxTaskCode, pcName );
        return pdPASS;
    }

#endif
void vTaskSuspendAll( void )
{
    #if ( configNUMBER_OF_CORES > 1 )
    {
        portGET_TASK_LOCK();
    }
    #endif
    {
        ++uxSchedulerSuspended;
    }
}
`
	s := tolerant(t, "tasks.c", src)
	if got := strings.Join(functionNames(s), " "); got != "xTaskCreate xTaskCreateAffinitySet vTaskSuspendAll" || len(s.Errors) != 0 {
		t.Fatalf("functions %q, errors %v; want xTaskCreate xTaskCreateAffinitySet vTaskSuspendAll and none", got, s.Errors)
	}
	for _, f := range s.Functions {
		if !f.Definition {
			t.Errorf("%s is only declared, want defined", f.Name)
		}
	}
	if f := s.Functions[0]; strings.Join(f.Calls, " ") != "xTaskCreateAffinitySet" {
		t.Errorf("xTaskCreate calls %q, want xTaskCreateAffinitySet", f.Calls)
	}
	if f := s.Functions[1]; f.Signature != "BaseType_t (TaskFunction_t, const char *const, UBaseType_t, TaskHandle_t *const)" || strings.Join(f.Calls, " ") != "prvCreateTask" {
		t.Errorf("xTaskCreateAffinitySet %+v", f)
	}
	if f := s.Functions[2]; strings.Join(f.Calls, " ") != "portGET_TASK_LOCK" {
		t.Errorf("vTaskSuspendAll calls %q, want portGET_TASK_LOCK", f.Calls)
	}
}

// Attribute-like macros of one configuration in the middle of a function's
// header leave it its name (seL4's fastpath_call), and a name is never
// taken for a variable.
func TestConditionalAttributeWords(t *testing.T) {
	src := `#define FOO 1
void
#ifdef ARCH_IA32
FASTCALL NORETURN
#endif
fastpath_call(word_t cptr, word_t msgInfo)
{
    lookup(cptr);
}

static inline
#if defined(A) /* the platform's */
SECTION_TEXT
#else
BOOT_CODE
#endif
word_t *boot_page(void)
{
    return 0;
}

#ifdef X
int x;
#endif
int y;
`
	s := tolerant(t, "fastpath.c", src)
	if got := strings.Join(functionNames(s), " "); got != "fastpath_call boot_page" || len(s.Errors) != 0 {
		t.Fatalf("functions %q, errors %v; want fastpath_call boot_page and none", got, s.Errors)
	}
	var globals []string
	for _, g := range s.Globals {
		globals = append(globals, g.Name)
	}
	if got := strings.Join(globals, " "); got != "x y" {
		t.Errorf("globals %q, want x y", got)
	}
	if f := s.Functions[0]; f.Signature != "void (word_t, word_t)" || strings.Join(f.Calls, " ") != "lookup" {
		t.Errorf("fastpath_call %+v", f)
	}
}
