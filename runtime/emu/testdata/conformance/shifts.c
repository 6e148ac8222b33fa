/* Shifts: logical on unsigned, arithmetic right shift of negative
 * signed values (gcc defines it), counts up to width-1, promotion first. */
#include <stdio.h>

int main(void)
{
	unsigned u = 0x80000001u;
	int i = -16;
	long l = -1L;
	unsigned long ul = 1;
	unsigned char uc = 0xff;

	for (int n = 0; n < 32; n += 5)
		printf("u>>%d=%08x u<<%d=%08x\n", n, u >> n, n, u << n);
	printf("-16>>1=%d -16>>4=%d -16>>31=%d\n", i >> 1, i >> 4, i >> 31);
	printf("-1L>>63=%ld\n", l >> 63);
	printf("1UL<<63=%lu\n", ul << 63);
	printf("1L<<40=%ld\n", 1L << 40);
	printf("uc<<8=%d (promoted)\n", uc << 8);
	printf("uc<<24=%d\n", uc << 23);
	printf("(unsigned)uc<<24=%u\n", (unsigned)uc << 24);
	int cnt = 33;
	printf("1L<<cnt=%ld\n", 1L << cnt);
	printf("1u<<31=%u\n", 1u << 31);
	printf("0x7fffffff<<0=%d\n", 0x7fffffff << 0);
	long long big = 0x123456789abcdefLL;
	printf("big>>12=%llx big<<4=%llx\n", big >> 12, big << 4);
	/* Shift count is converted independently of the left operand. */
	unsigned long long one = 1;
	char sh = 62;
	printf("one<<sh=%llu\n", one << sh);
	/* Compound shifts. */
	int x = 1;
	x <<= 10;
	x >>= 3;
	printf("x=%d\n", x);
	short s = -32768;
	s >>= 15;
	printf("s=%d\n", s);
	unsigned short us = 0x8000;
	us >>= 15;
	printf("us=%d\n", us);
	/* Build masks. */
	for (int b = 1; b <= 64; b += 21) {
		unsigned long mask = b == 64 ? ~0UL : (1UL << b) - 1;
		printf("mask(%d)=%lx\n", b, mask);
	}
	return 0;
}
