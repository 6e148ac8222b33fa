/* The usual arithmetic conversions, especially signed against unsigned. */
#include <stdio.h>

static const char *yes(int b) { return b ? "true" : "false"; }

int main(void)
{
	int neg = -1;
	unsigned int one = 1;
	long lneg = -1;
	unsigned long ulone = 1;
	unsigned short us = 1;
	long long ll = -1;
	unsigned long long ull = 1;

	printf("-1 < 1u: %s\n", yes(neg < one));
	printf("-1L < 1u: %s\n", yes(lneg < one));
	printf("-1L < 1UL: %s\n", yes(lneg < ulone));
	printf("-1 < (unsigned short)1: %s\n", yes(neg < us));
	printf("-1LL < 1ULL: %s\n", yes(ll < ull));
	printf("-1 > 0u: %s\n", yes(-1 > 0u));
	printf("-1 == 0xffffffffu: %s\n", yes(neg == 0xffffffffu));
	printf("-1L == 0xffffffffu: %s\n", yes(lneg == 0xffffffffu));
	printf("(unsigned)-1 / 2 = %u\n", (unsigned)neg / 2);
	printf("-1 / 2u = %u\n", neg / 2u);
	printf("-1L / 2u = %ld\n", lneg / 2u);
	printf("-7 %% 3u = %u\n", -7 % 3u);
	printf("1u - 2 = %u\n", one - 2);
	printf("1u - 2 as long = %ld\n", (long)(one - 2));
	printf("1UL - 2 = %lu\n", ulone - 2);
	printf("(int)(1u - 2) = %d\n", (int)(one - 2));
	printf("neg + one = %u\n", neg + one);
	printf("sizeof(1 + 1u) = %zu, sizeof(1 + 1L) = %zu, sizeof(1u + 1L) = %zu\n", sizeof(1 + 1u), sizeof(1 + 1L), sizeof(1u + 1L));
	printf("sizeof('a') = %zu, sizeof(1.0f + 1) = %zu, sizeof(1.0 + 1) = %zu\n", sizeof('a'), sizeof(1.0f + 1), sizeof(1.0 + 1));
	printf("0x7fffffff + 1u = %u\n", 0x7fffffff + 1u);
	printf("-2147483647 - 1 < 0: %s\n", yes(-2147483647 - 1 < 0));
	printf("2147483648 is long: %zu\n", sizeof(2147483648));
	printf("0x80000000 is unsigned int: %zu, %s\n", sizeof(0x80000000), yes(0x80000000 > 0));
	printf("ternary mixes: %ld\n", (long)(1 ? -1 : 0u));
	printf("ternary mixes long: %ld\n", (long)(1 ? -1 : 0L));

	unsigned char a = 1, b = 2;
	printf("a - b = %d (int)\n", a - b);
	printf("a - b < 0: %s\n", yes(a - b < 0));
	unsigned int ua = 1, ub = 2;
	printf("ua - ub < 0: %s\n", yes(ua - ub < 0));
	printf("ua - ub > 0: %s\n", yes(ua - ub > 0));

	/* Mixed compound assignment. */
	int i = 10;
	i *= 2.5;
	printf("i *= 2.5 -> %d\n", i);
	unsigned u = 10;
	u -= 20;
	printf("u -= 20 -> %u\n", u);
	long l = 5;
	l += -10u;
	printf("l += -10u -> %ld\n", l);
	return 0;
}
