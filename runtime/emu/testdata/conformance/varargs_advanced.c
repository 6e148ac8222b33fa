/* Harder variadic cases: a va_list passed by pointer and consumed by
 * several helpers, many fixed parameters so variadic ones go on the
 * stack, pointers and doubles interleaved, va_copy, and a vprintf-style
 * wrapper. Structs through "..." are in varargs_structs.c. */
#include <stdio.h>
#include <stdarg.h>

static long take_int(va_list *ap) { return va_arg(*ap, int); }
static long take_long(va_list *ap) { return va_arg(*ap, long); }
static double take_double(va_list *ap) { return va_arg(*ap, double); }

static void by_pointer(const char *kinds, ...)
{
	va_list ap;
	va_start(ap, kinds);
	double total = 0;
	for (const char *k = kinds; *k; k++) {
		if (*k == 'i')
			total += take_int(&ap);
		else if (*k == 'l')
			total += take_long(&ap);
		else
			total += take_double(&ap);
	}
	va_end(ap);
	printf("by pointer total=%.3f\n", total);
}

static long many_fixed(int a, int b, int c, int d, int e, int f, int g, int n, ...)
{
	va_list ap;
	va_start(ap, n);
	long s = a + b + c + d + e + f + g;
	for (int i = 0; i < n; i++)
		s = s * 3 + va_arg(ap, long);
	va_end(ap);
	return s;
}

static double interleaved(int n, ...)
{
	va_list ap;
	va_start(ap, n);
	double acc = 0;
	for (int i = 0; i < n; i++) {
		const char *label = va_arg(ap, const char *);
		double w = va_arg(ap, double);
		int *counter = va_arg(ap, int *);
		(*counter)++;
		acc += w * (label[0] - 'a' + 1);
	}
	va_end(ap);
	return acc;
}

static int logf_wrapper(const char *prefix, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = printf("%s: ", prefix);
	n += vprintf(fmt, ap);
	va_end(ap);
	return n;
}

static int sum_until_zero(int first, ...)
{
	va_list ap, again;
	va_start(ap, first);
	va_copy(again, ap);
	int s = first, v;
	while ((v = va_arg(ap, int)) != 0)
		s += v;
	int count = 0;
	while (va_arg(again, int) != 0)
		count++;
	va_end(again);
	va_end(ap);
	return s * 100 + count;
}

int main(void)
{
	by_pointer("ildil", 1, 2L, 0.5, -4, 1000000000000L);
	printf("many_fixed=%ld\n", many_fixed(1, 2, 3, 4, 5, 6, 7, 5, 1L, 2L, 3L, 4L, 5L));
	int c1 = 0, c2 = 0;
	double r = interleaved(3, "alpha", 1.5, &c1, "beta", 2.25, &c2, "gamma", -0.5, &c1);
	printf("interleaved=%.3f counters=%d,%d\n", r, c1, c2);
	int n = logf_wrapper("wrap", "%d-%s-%.1f-%c\n", 42, "str", 2.5, 'q');
	printf("wrapper wrote %d\n", n);
	printf("sum_until_zero=%d\n", sum_until_zero(5, 6, 7, 8, 0, 99));
	return 0;
}
