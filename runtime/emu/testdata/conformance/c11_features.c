/* C11 language features: _Static_assert, _Alignof and _Alignas,
 * _Generic selection, anonymous structs and unions, _Noreturn, and
 * unicode-free u8 string literals. */
#include <stdio.h>
#include <stddef.h>
#include <stdlib.h>

_Static_assert(sizeof(int) == 4, "int is 32 bits");
_Static_assert(sizeof(void *) == 8, "LP64");

#define type_name(x) _Generic((x), \
	char: "char", \
	signed char: "signed char", \
	unsigned char: "unsigned char", \
	short: "short", \
	int: "int", \
	unsigned: "unsigned", \
	long: "long", \
	unsigned long: "unsigned long", \
	long long: "long long", \
	float: "float", \
	double: "double", \
	char *: "char *", \
	const char *: "const char *", \
	default: "other")

struct packet {
	int kind;
	union {
		struct {
			short x, y;
		};
		long raw;
	};
	_Alignas(16) char payload[4];
};

static _Noreturn void finish(int code)
{
	printf("finishing with %d\n", code);
	exit(code);
}

int main(void)
{
	char c = 0;
	unsigned char uc = 0;
	short s = 0;
	const char *cs = "x";
	char *ms = 0;
	printf("types: %s %s %s %s %s %s\n", type_name(c), type_name(uc), type_name(s), type_name(c + 1), type_name(s * 2L), type_name(1u + 1));
	printf("types: %s %s %s %s %s %s\n", type_name(1.0f), type_name(1.0), type_name(cs), type_name(ms), type_name((long long)1), type_name(&s));
	printf("types: %s %s %s\n", type_name('a'), type_name(uc << 1), type_name(sizeof s));
	printf("alignof: char=%zu short=%zu int=%zu long=%zu double=%zu ptr=%zu packet=%zu\n", _Alignof(char), _Alignof(short), _Alignof(int),
	       _Alignof(long), _Alignof(double), _Alignof(void *), _Alignof(struct packet));
	struct packet p = {.kind = 1, .x = 3, .y = -4};
	printf("anon: x=%d y=%d raw&0xffffffff=%lx\n", p.x, p.y, p.raw & 0xffffffff);
	p.raw = 0x0000000500000006L;
	printf("anon after raw: x=%d y=%d\n", p.x, p.y);
	printf("packet size=%zu payload@%zu\n", sizeof p, offsetof(struct packet, payload));
	_Alignas(32) char buf[8];
	printf("aligned local: %d\n", (int)((size_t)buf % 32));
	const char *u8 = u8"plain";
	printf("u8=%s\n", u8);
	finish(3);
}
