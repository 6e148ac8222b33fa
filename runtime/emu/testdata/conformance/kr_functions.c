/* Old-style (K&R) function definitions and calls through unprototyped
 * declarations, which apply the default argument promotions; and main
 * without a return statement, which returns 0. */
#include <stdio.h>

static long oldsum(a, b, c)
	int a;
	long b;
	char *c;
{
	return a + b + (c ? c[0] : 0);
}

static double halve(x)
	double x;
{
	return x / 2;
}

static int count_args();

static int noproto(n)
	int n;
{
	return n * 3;
}

int main()
{
	printf("oldsum=%ld\n", oldsum(1, 2L, "A"));
	printf("halve=%.2f\n", halve(5.0));
	float f = 3.0f;
	printf("halve(float)=%.2f\n", halve(f));
	char ch = 7;
	printf("noproto(char)=%d\n", noproto(ch));
	printf("count_args=%d\n", count_args(1, 2));
}

static int count_args(a, b)
	int a, b;
{
	return a + b;
}
