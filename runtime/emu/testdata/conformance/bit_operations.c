/* Bit manipulation: population count, rotations, bit reversal, masks,
 * lowest set bit tricks, and a bitmap allocator. */
#include <stdio.h>
#include <stdint.h>

static int popcount(uint64_t v)
{
	int n = 0;
	while (v) {
		v &= v - 1;
		n++;
	}
	return n;
}

static uint32_t rotl32(uint32_t v, int r) { return (v << r) | (v >> ((32 - r) & 31)); }
static uint64_t rotr64(uint64_t v, int r) { return (v >> r) | (v << ((64 - r) & 63)); }

static uint32_t reverse_bits(uint32_t v)
{
	v = ((v >> 1) & 0x55555555u) | ((v & 0x55555555u) << 1);
	v = ((v >> 2) & 0x33333333u) | ((v & 0x33333333u) << 2);
	v = ((v >> 4) & 0x0f0f0f0fu) | ((v & 0x0f0f0f0fu) << 4);
	v = ((v >> 8) & 0x00ff00ffu) | ((v & 0x00ff00ffu) << 8);
	return (v >> 16) | (v << 16);
}

static uint64_t bitmap[2];

static int bit_alloc(void)
{
	for (int w = 0; w < 2; w++) {
		if (~bitmap[w] == 0)
			continue;
		uint64_t free_bits = ~bitmap[w];
		uint64_t lowest = free_bits & -free_bits;
		int bit = 0;
		while (!(lowest & 1)) {
			lowest >>= 1;
			bit++;
		}
		bitmap[w] |= 1ULL << bit;
		return w * 64 + bit;
	}
	return -1;
}

static void bit_free(int n) { bitmap[n / 64] &= ~(1ULL << (n % 64)); }

int main(void)
{
	uint64_t samples[] = {0, 1, 0xff, 0x8000000000000000ULL, 0xffffffffffffffffULL, 0x5555555555555555ULL};
	for (int i = 0; i < 6; i++)
		printf("popcount(%llx)=%d\n", (unsigned long long)samples[i], popcount(samples[i]));
	printf("rotl32: %08x %08x %08x\n", rotl32(0x80000001u, 1), rotl32(0x12345678u, 8), rotl32(0xdeadbeefu, 0));
	printf("rotr64: %016llx\n", (unsigned long long)rotr64(0x0123456789abcdefULL, 12));
	printf("reverse: %08x %08x\n", reverse_bits(1), reverse_bits(0x12345678u));
	unsigned x = 0xb4; /* 10110100 */
	printf("lowest set=%x clear lowest=%x isolate zero=%x\n", x & -x, x & (x - 1), ~x & (x + 1));
	printf("power of two: %d %d %d\n", (64 & 63) == 0, (96 & 95) == 0, (1u << 31 & ((1u << 31) - 1)) == 0);
	printf("xor swap: ");
	int a = 12, b = 34;
	a ^= b;
	b ^= a;
	a ^= b;
	printf("%d %d\n", a, b);
	printf("~0=%d ~0u=%u ~(uint8_t)0=%d\n", ~0, ~0u, ~(uint8_t)0);
	printf("masks: %x %x %x\n", 0xf0 & 0x3c, 0xf0 | 0x3c, 0xf0 ^ 0x3c);
	for (int i = 0; i < 70; i++)
		bit_alloc();
	bit_free(5);
	bit_free(64);
	bit_free(69);
	int got1 = bit_alloc(), got2 = bit_alloc(), got3 = bit_alloc(), got4 = bit_alloc();
	printf("realloc order: %d %d %d %d\n", got1, got2, got3, got4);
	printf("bitmap=%016llx %016llx\n", (unsigned long long)bitmap[0], (unsigned long long)bitmap[1]);
	unsigned flags = 0;
	flags |= 1u << 3;
	flags |= 1u << 7;
	flags &= ~(1u << 3);
	flags ^= 1u << 0;
	printf("flags=%#x test7=%d test3=%d\n", flags, !!(flags & 1u << 7), !!(flags & 1u << 3));
	return 0;
}
