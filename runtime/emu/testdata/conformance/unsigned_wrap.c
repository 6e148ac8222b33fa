/* Unsigned arithmetic wraps modulo 2^N at every width. */
#include <stdio.h>
#include <stdint.h>
#include <limits.h>

static unsigned hash(const char *s)
{
	unsigned h = 2166136261u;
	while (*s) {
		h ^= (unsigned char)*s++;
		h *= 16777619u;
	}
	return h;
}

int main(void)
{
	unsigned u = UINT_MAX;
	printf("UINT_MAX + 1 = %u\n", u + 1);
	printf("0u - 1 = %u\n", 0u - 1);
	printf("UINT_MAX * UINT_MAX = %u\n", u * u);
	unsigned long ul = ULONG_MAX;
	printf("ULONG_MAX + 1 = %lu\n", ul + 1);
	printf("ULONG_MAX * 3 = %lu\n", ul * 3);
	uint8_t b = 255;
	b++;
	printf("uint8 255+1 = %u\n", b);
	b = 0;
	b--;
	printf("uint8 0-1 = %u\n", b);
	uint16_t h = 65535;
	h += 2;
	printf("uint16 65535+2 = %u\n", h);
	uint32_t w = 0x80000000u;
	w *= 2;
	printf("uint32 0x80000000*2 = %u\n", w);
	uint64_t q = 0xffffffffffffffffull;
	q += 5;
	printf("uint64 max+5 = %llu\n", (unsigned long long)q);
	printf("-(unsigned)5 = %u\n", -(unsigned)5);
	printf("-(uint64_t)1 = %llx\n", (unsigned long long)-(uint64_t)1);
	printf("fnv(hello) = %08x\n", hash("hello"));
	printf("fnv(emulator) = %08x\n", hash("emulator"));

	/* A linear congruential generator relies on wraparound. */
	uint32_t x = 12345;
	for (int i = 0; i < 5; i++) {
		x = x * 1103515245u + 12345u;
		printf("lcg %d: %u\n", i, x);
	}
	uint64_t y = 88172645463325252ull;
	for (int i = 0; i < 5; i++) {
		y ^= y << 13;
		y ^= y >> 7;
		y ^= y << 17;
		printf("xorshift %d: %llu\n", i, (unsigned long long)y);
	}
	/* Counting down with an unsigned index. */
	unsigned n = 0;
	for (unsigned i = 5; i-- > 0;)
		n = n * 10 + i;
	printf("countdown %u\n", n);
	return 0;
}
