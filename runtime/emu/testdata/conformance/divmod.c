/* Division truncates toward zero; the remainder takes the dividend's sign. */
#include <stdio.h>
#include <limits.h>

int main(void)
{
	int vals[] = {7, -7, 0, 1, -1, 13, -13, INT_MAX, INT_MIN};
	int divs[] = {2, -2, 3, -3, 1, 7};
	for (unsigned i = 0; i < sizeof vals / sizeof vals[0]; i++) {
		for (unsigned j = 0; j < sizeof divs / sizeof divs[0]; j++) {
			int a = vals[i], b = divs[j];
			printf("%d/%d=%d %d%%%d=%d\n", a, b, a / b, a, b, a % b);
		}
	}
	long la = -9000000000L;
	printf("%ld / 7 = %ld, %% = %ld\n", la, la / 7, la % 7);
	printf("%ld / -7 = %ld, %% = %ld\n", la, la / -7, la % -7);
	unsigned ua = 4000000000u;
	printf("%u / 3 = %u, %% = %u\n", ua, ua / 3, ua % 3);
	unsigned long ub = 18000000000000000000UL;
	printf("%lu / 7 = %lu, %% = %lu\n", ub, ub / 7, ub % 7);
	/* (a/b)*b + a%b == a for all of them. */
	int ok = 1;
	for (int a = -50; a <= 50; a++)
		for (int b = -7; b <= 7; b++)
			if (b != 0 && (a / b) * b + a % b != a)
				ok = 0;
	printf("identity holds: %d\n", ok);
	signed char sc = -128;
	printf("sc / -1 = %d (promoted, no overflow)\n", sc / -1);
	short s = -32768;
	printf("s %% 10 = %d\n", s % 10);
	int x = 100;
	x /= -3;
	printf("x /= -3 -> %d\n", x);
	x %= 7;
	printf("x %%= 7 -> %d\n", x);
	return 0;
}
