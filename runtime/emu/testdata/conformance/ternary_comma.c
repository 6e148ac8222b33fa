/* The conditional operator (evaluation of only one arm, nesting, lvalue
 * use via pointers, type of the result) and the comma operator. */
#include <stdio.h>

static int calls;
static int f(int v)
{
	calls++;
	return v;
}

int main(void)
{
	int a = 5, b = 10;
	int m = a > b ? a : b;
	printf("max=%d\n", m);
	calls = 0;
	int r = f(1) ? f(2) : f(3);
	printf("r=%d calls=%d\n", r, calls);
	calls = 0;
	r = f(0) ? f(2) : f(3);
	printf("r=%d calls=%d\n", r, calls);
	for (int i = -2; i <= 2; i++)
		printf("sign(%d)=%d ", i, i < 0 ? -1 : i > 0 ? 1 : 0);
	printf("\n");
	*(a < b ? &a : &b) = 99;
	printf("a=%d b=%d\n", a, b);
	const char *s = a > 50 ? "big" : "small";
	printf("s=%s\n", s);
	double d = a ? 1 : 2.5; /* result has type double */
	printf("d=%.1f sizeof=%zu\n", d, sizeof(a ? 1 : 2.5));
	long l = 0 ? 1L : -1; /* long */
	printf("l=%ld\n", l);
	void *vp = 0;
	int *ip = 1 ? vp : &a;
	printf("null ptr from ternary=%d\n", ip == 0);

	int x = (a = 1, b = 2, a + b);
	printf("comma x=%d a=%d b=%d\n", x, a, b);
	int i, j;
	for (i = 0, j = 10; i < j; i++, j--)
		;
	printf("i=%d j=%d\n", i, j);
	calls = 0;
	int y = (f(1), f(2), f(3));
	printf("y=%d calls=%d\n", y, calls);
	int k = 0;
	k = 5, k += 10;
	printf("k=%d\n", k);
	int arr[3] = {1, 2, 3};
	printf("arr[(1, 2)]=%d\n", arr[(1, 2)]);
	int z = 0, w;
	w = (z += 3, z * 2);
	printf("z=%d w=%d\n", z, w);
	return 0;
}
