/* long double with values whose results are exact in every precision
 * (so x87 extended and narrower implementations agree): its size and
 * alignment on x86-64, arithmetic, conversions, printing with L, and
 * passing through varargs. */
#include <stdio.h>
#include <stdarg.h>

struct holder {
	char c;
	long double v;
};

static long double sum(int n, ...)
{
	va_list ap;
	va_start(ap, n);
	long double s = 0;
	for (int i = 0; i < n; i++)
		s += va_arg(ap, long double);
	va_end(ap);
	return s;
}

static long double scale(long double x, int k) { return x * k; }

int main(void)
{
	printf("sizeof=%zu alignof=%zu holder=%zu\n", sizeof(long double), _Alignof(long double), sizeof(struct holder));
	long double a = 1.5L, b = 0.25L;
	printf("a+b=%Lf a*b=%Lf a/b=%Lg a-b=%Le\n", a + b, a * b, a / b, a - b);
	printf("scale=%Lf sum=%Lf\n", scale(a, 6), sum(4, 1.0L, 2.5L, -0.75L, 1024.0L));
	long l = (long)(a * 1000);
	double d = (double)(b * 8);
	long double from_int = 123456789;
	printf("to long=%ld to double=%f from int=%Lf\n", l, d, from_int);
	printf("compare: %d %d %d\n", a > b, a == 1.5, (long double)(float)0.5f == 0.5L);
	struct holder h = {'x', 3.0L};
	struct holder h2 = h;
	h2.v *= 2;
	printf("holder %c %Lf %Lf\n", h2.c, h.v, h2.v);
	printf("%.3Lf %10.2Lf|%-10.1Lf|\n", 2.5L, -0.5L, 8.0L);
	return 0;
}
