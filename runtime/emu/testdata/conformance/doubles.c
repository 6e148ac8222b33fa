/* Simple double and float arithmetic: exactly representable results,
 * comparisons, conversions, and printing with %f %e %g. */
#include <stdio.h>

static double horner(const double *c, int n, double x)
{
	double r = 0;
	for (int i = n - 1; i >= 0; i--)
		r = r * x + c[i];
	return r;
}

static double sqrt_newton(double v)
{
	double x = v > 1 ? v / 2 : 1;
	for (int i = 0; i < 40; i++)
		x = 0.5 * (x + v / x);
	return x;
}

int main(void)
{
	double a = 1.5, b = 0.25;
	printf("a+b=%f a-b=%f a*b=%f a/b=%f\n", a + b, a - b, a * b, a / b);
	printf("e: %e %E g: %g %g %g\n", 12345.678, 0.000123, 100000.0, 1000000.0, 0.0001);
	printf("precision: %.2f %.0f %.10f %8.3f|%-8.3f|\n", 3.14159, 2.5, 1.0 / 3, -2.5, 2.5);
	double c[] = {1, -3, 0.5, 2};
	printf("horner(2)=%.4f horner(-1.5)=%.4f\n", horner(c, 4, 2), horner(c, 4, -1.5));
	printf("sqrt(2)=%.12f sqrt(1e6)=%.6f\n", sqrt_newton(2), sqrt_newton(1e6));
	float f = 0.1f;
	double df = f;
	printf("float 0.1 as double=%.10f\n", df);
	float sum = 0;
	for (int i = 0; i < 10; i++)
		sum += 0.1f;
	printf("float sum=%.7f equal 1: %d\n", sum, sum == 1.0f);
	double dsum = 0;
	for (int i = 0; i < 10; i++)
		dsum += 0.1;
	printf("double sum=%.17f equal 1: %d\n", dsum, dsum == 1.0);
	printf("comparisons: %d %d %d %d\n", 0.1 + 0.2 == 0.3, 0.5 + 0.25 == 0.75, -0.0 == 0.0, 1.0 / 3 < 0.34);
	int i = 7;
	double mixed = i / 2 + i / 2.0;
	printf("mixed=%.2f\n", mixed);
	long big = 1L << 52;
	double db = (double)big + 0.5;
	printf("db=%.1f (long)db=%ld\n", db, (long)db);
	unsigned u = 3000000000u;
	printf("(double)u=%.1f (unsigned)(double)u=%u\n", (double)u, (unsigned)(double)u);
	double neg = -7.75;
	printf("(int)neg=%d (long)(neg*4)=%ld\n", (int)neg, (long)(neg * 4));
	double x = 1.0;
	int halvings = 0;
	while (x / 2 > 0) {
		x /= 2;
		halvings++;
	}
	printf("halvings to denormal limit=%d\n", halvings);
	double big_d = 1.0;
	int doublings = 0;
	while (big_d * 2 != big_d * 2 + 1) {
		big_d *= 2;
		doublings++;
	}
	printf("doublings until spacing>1=%d\n", doublings);
	printf("float sizes %zu %zu, float mult %.3f\n", sizeof(float), sizeof(double), (double)(1.5f * 2.25f));
	double zero = 0.0;
	printf("neg zero=%.1f %g\n", -zero, -zero);
	return 0;
}
