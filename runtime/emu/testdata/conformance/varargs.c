/* Variadic functions with stdarg.h: promotions of narrow arguments,
 * mixed types, va_copy, and passing a va_list on. */
#include <stdio.h>
#include <stdarg.h>

static long sum(int n, ...)
{
	va_list ap;
	long s = 0;
	va_start(ap, n);
	for (int i = 0; i < n; i++)
		s += va_arg(ap, int);
	va_end(ap);
	return s;
}

/* A tiny formatter: i int, l long, u unsigned, d double, s string, c char. */
static void describe(const char *types, ...)
{
	va_list ap;
	va_start(ap, types);
	for (const char *t = types; *t; t++) {
		switch (*t) {
		case 'i':
			printf("int=%d ", va_arg(ap, int));
			break;
		case 'l':
			printf("long=%ld ", va_arg(ap, long));
			break;
		case 'u':
			printf("unsigned=%u ", va_arg(ap, unsigned));
			break;
		case 'd':
			printf("double=%.2f ", va_arg(ap, double));
			break;
		case 's':
			printf("str=%s ", va_arg(ap, const char *));
			break;
		case 'c':
			printf("char=%c ", (char)va_arg(ap, int));
			break;
		}
	}
	va_end(ap);
	printf("\n");
}

static int vcount(const char *label, va_list ap)
{
	int n = 0, v;
	while ((v = va_arg(ap, int)) != 0)
		n += v;
	printf("%s: %d\n", label, n);
	return n;
}

static int twice(const char *label, ...)
{
	va_list ap, ap2;
	va_start(ap, label);
	va_copy(ap2, ap);
	int a = vcount(label, ap);
	int b = vcount(label, ap2);
	va_end(ap2);
	va_end(ap);
	return a + b;
}

static void my_printf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	printf("[");
	vcount("inner", ap);
	va_end(ap);
	(void)fmt;
}

static double avg(int n, ...)
{
	va_list ap;
	double s = 0;
	va_start(ap, n);
	for (int i = 0; i < n; i++)
		s += va_arg(ap, double);
	va_end(ap);
	return s / n;
}

int main(void)
{
	char c = -3;
	short s = -300;
	unsigned char uc = 250;
	printf("sum=%ld\n", sum(5, 1, 2, 3, 4, 5));
	printf("sum promoted=%ld\n", sum(3, c, s, uc));
	printf("sum none=%ld\n", sum(0));
	long many = sum(12, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
	printf("sum many=%ld\n", many);
	describe("ilud", 7, -8L, 4000000000u, 3.14159);
	describe("scci", "text", 'x', c + 100, 42);
	float f = 1.25f;
	describe("dd", f, 2.0);
	printf("twice=%d\n", twice("copy", 1, 2, 3, 0));
	my_printf("x", 5, 6, 0);
	printf("avg=%.3f\n", avg(4, 1.0, 2.0, 3.5, 10.0));
	printf("avg mixed many=%.3f\n", avg(10, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.5));
	return 0;
}
