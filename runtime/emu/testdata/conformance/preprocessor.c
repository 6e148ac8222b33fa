/* The preprocessor: object and function-like macros, # and ##, variadic
 * macros, conditional compilation with arithmetic and defined(), X-macros,
 * macros expanding to statements, __LINE__, and static inline functions. */
#include <stdio.h>

#define SQUARE(x) ((x) * (x))
#define BAD_SQUARE(x) x * x
#define STR(x) #x
#define XSTR(x) STR(x)
#define CAT(a, b) a##b
#define MAKE_FN(name, val) static int CAT(get_, name)(void) { return val; }
#define COUNT_ARGS(...) COUNT_ARGS_(__VA_ARGS__, 5, 4, 3, 2, 1, 0)
#define COUNT_ARGS_(a, b, c, d, e, n, ...) n
#define LOG(fmt, ...) printf("[log] " fmt "\n", __VA_ARGS__)
#define SWAP(t, a, b) do { t tmp_ = (a); (a) = (b); (b) = tmp_; } while (0)
#define MAX(a, b) ((a) > (b) ? (a) : (b))
#define VERSION 3
#define NAME upsynth
#define EMPTY

#define COLORS(X) \
	X(RED, 0xff0000) \
	X(GREEN, 0x00ff00) \
	X(BLUE, 0x0000ff)

#define AS_ENUM(name, value) C_##name,
#define AS_NAME(name, value) #name,
#define AS_VALUE(name, value) value,

enum color { COLORS(AS_ENUM) C_COUNT };
static const char *const color_names[] = {COLORS(AS_NAME)};
static const int color_values[] = {COLORS(AS_VALUE)};

MAKE_FN(answer, 42)
MAKE_FN(zero, 0)

static inline int twice(int x) { return 2 * x; }

#if VERSION >= 3 && defined(NAME)
#define FEATURE "new"
#elif VERSION == 2
#define FEATURE "old"
#else
#define FEATURE "ancient"
#endif

#ifdef UNDEFINED_THING
#error "should not be defined"
#endif

#if (1 << 4) + 0x10 == 32 && !defined(UNDEFINED_THING) && -1 < 0
#define ARITH_OK 1
#else
#define ARITH_OK 0
#endif

#define SELF SELF
#undef VERSION
#define VERSION 4

int main(void)
{
	int i = 3;
	printf("SQUARE(i+1)=%d BAD_SQUARE(i+1)=%d\n", SQUARE(i + 1), BAD_SQUARE(i + 1));
	printf("STR=%s XSTR=%s XSTR(NAME)=%s\n", STR(VERSION), XSTR(VERSION), XSTR(NAME));
	printf("STR spaces=[%s] quotes=[%s]\n", STR(  a   +   b  ), STR("q" '\n'));
	printf("get_answer=%d get_zero=%d\n", get_answer(), get_zero());
	printf("COUNT_ARGS: %d %d %d\n", COUNT_ARGS(a), COUNT_ARGS(a, b, c), COUNT_ARGS(1, 2, 3, 4, 5));
	LOG("%d + %d = %d", 1, 2, 3);
	int a = 1, b = 2;
	if (a < b)
		SWAP(int, a, b);
	else
		printf("not reached\n");
	printf("swapped a=%d b=%d\n", a, b);
	int calls = 0;
	int m = MAX(a, ++calls);
	printf("MAX=%d calls=%d\n", m, calls);
	for (int c = 0; c < C_COUNT; c++)
		printf("%s=%06x\n", color_names[c], color_values[c]);
	printf("feature=%s arith=%d version=%d\n", FEATURE, ARITH_OK, VERSION);
	printf("line=%d\n", __LINE__);
#line 1000
	printf("line after #line=%d\n", __LINE__);
	printf("twice=%d EMPTY=[" STR(EMPTY) "]\n", twice(21) EMPTY);
	int SELF = 5;
	printf("self-referential macro=%d\n", SELF);
	printf("stdc=%d\n", __STDC__);
	return 0;
}
