/* Calls with more arguments than fit in registers on x86-64, mixing
 * integers of every width, doubles, pointers and structs by value. */
#include <stdio.h>

struct pt {
	int x, y;
};

struct big {
	long a, b, c;
};

static long ten(int a, long b, short c, char d, unsigned e, long f, int g, long h, unsigned char i, long j)
{
	return a + b * 2 + c * 3 + d * 4 + (long)e * 5 + f * 6 + g * 7 + h * 8 + i * 9 + j * 10;
}

static double mix(int a, double b, long c, double d, float e, int f, double g, double h, double i, double j, double k, int l)
{
	return a + b + c + d + e + f + g + h + i + j + k + l;
}

static long structs(struct pt a, struct big b, int n, struct pt c, struct big d, const char *s)
{
	long len = 0;
	while (s[len])
		len++;
	return a.x * 1000L + a.y * 100L + b.a + b.b + b.c + n + c.x - c.y + d.a * d.b - d.c + len;
}

static struct big make(long a, long b, long c, long d, long e, long f, long g)
{
	struct big r = {a + b, c + d + e, f * g};
	return r;
}

static int order_log[12];
static int order_n;
static int mark(int v)
{
	order_log[order_n++] = v;
	return v;
}

static int sum8(int a, int b, int c, int d, int e, int f, int g, int h)
{
	return a + b + c + d + e + f + g + h;
}

int main(void)
{
	printf("ten=%ld\n", ten(1, 2, 3, 4, 5, 6, 7, 8, 9, 10));
	printf("ten negative=%ld\n", ten(-1, -2, -3, -4, 5, -6, -7, -8, 200, -10));
	printf("mix=%.3f\n", mix(1, 2.5, 3, 4.25, 5.5f, 6, 7.125, 8, 9, 10, 11, 12));
	struct pt p = {3, 4}, q = {10, 20};
	struct big b = {1, 2, 3}, c = {4, 5, 6};
	printf("structs=%ld\n", structs(p, b, 7, q, c, "eleven chars"));
	struct big r = make(1, 2, 3, 4, 5, 6, 7);
	printf("make=%ld %ld %ld\n", r.a, r.b, r.c);
	int total = sum8(mark(1), mark(2), mark(3), mark(4), mark(5), mark(6), mark(7), mark(8));
	int seen = 0;
	for (int i = 0; i < order_n; i++)
		seen |= 1 << order_log[i];
	printf("sum8=%d all args evaluated=%d\n", total, seen == 0x1fe);
	long (*fp)(int, long, short, char, unsigned, long, int, long, unsigned char, long) = ten;
	printf("via pointer=%ld\n", fp(10, 9, 8, 7, 6, 5, 4, 3, 2, 1));
	return 0;
}
