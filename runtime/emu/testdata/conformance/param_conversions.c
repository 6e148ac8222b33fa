/* Conversions at calls and returns: arguments are converted to the
 * parameter types of the prototype, return values to the return type;
 * also element sizes that are not powers of two in pointer arithmetic. */
#include <stdio.h>
#include <stddef.h>

static unsigned char as_uchar(int v) { return v; }
static signed char as_schar(long v) { return v; }
static short as_short(unsigned v) { return v; }
static unsigned as_unsigned(long v) { return v; }
static int as_int(double v) { return v; }
static double as_double(long v) { return v; }
static long widen(int v) { return v; }
static unsigned long widen_u(int v) { return v; }
static _Bool as_bool(long v) { return v; }
static float as_float(double v) { return v; }

static long take_char(char c) { return c; }
static long take_uchar(unsigned char c) { return c; }
static long take_ushort(unsigned short s) { return s; }
static long take_int(int i) { return i; }
static double take_double(double d) { return d; }

struct three {
	char c[3];
};

struct twelve {
	int a, b, c;
};

int main(void)
{
	printf("as_uchar(-1)=%d as_uchar(511)=%d\n", as_uchar(-1), as_uchar(511));
	printf("as_schar(200)=%d as_schar(-129)=%d\n", as_schar(200), as_schar(-129));
	printf("as_short(40000)=%d as_short(0xffffffff)=%d\n", as_short(40000), as_short(0xffffffffu));
	printf("as_unsigned(-1)=%u as_unsigned(1L<<32|5)=%u\n", as_unsigned(-1), as_unsigned(1L << 32 | 5));
	printf("as_int(-2.9)=%d as_int(1e9)=%d\n", as_int(-2.9), as_int(1e9));
	printf("as_double(1L<<60)=%.1f\n", as_double(1L << 60));
	printf("widen(-5)=%ld widen_u(-5)=%lu\n", widen(-5), widen_u(-5));
	printf("as_bool(256)=%d as_bool(0)=%d as_bool(-(1L<<40))=%d\n", as_bool(256), as_bool(0), as_bool(-(1L << 40)));
	printf("as_float(0.1)=%.9f\n", (double)as_float(0.1));
	printf("take_char(300)=%ld take_uchar(-1)=%ld take_ushort(-1)=%ld\n", take_char(300), take_uchar(-1), take_ushort(-1));
	printf("take_int(3000000000u)=%ld take_int(-(1L<<33) | 7)=%ld\n", take_int(3000000000u), take_int(-(1L << 33) | 7));
	printf("take_double(7)=%.1f take_double('a')=%.1f\n", take_double(7), take_double('a'));
	unsigned char (*fp)(int) = as_uchar;
	printf("through pointer=%d\n", fp(1000));

	struct three t[10];
	struct twelve w[10];
	struct three *tp = &t[9];
	struct twelve *wp = &w[7];
	printf("sizes %zu %zu\n", sizeof(struct three), sizeof(struct twelve));
	printf("three: %td %td bytes=%td\n", tp - t, t - tp, (char *)tp - (char *)t);
	printf("twelve: %td bytes=%td\n", wp - w, (char *)wp - (char *)w);
	wp -= 3;
	wp->b = 42;
	printf("w[4].b=%d index=%td\n", w[4].b, wp - w);
	int *ip = &w[2].c;
	struct twelve *back = (struct twelve *)((char *)ip - offsetof(struct twelve, c));
	printf("back to w[2]: %d\n", back == &w[2]);
	printf("member order: %d %d\n", &w[0].a < &w[0].c, (char *)&w[1].a - (char *)&w[0].c);
	return 0;
}
