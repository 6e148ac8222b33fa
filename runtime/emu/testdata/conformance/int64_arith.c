/* 64-bit integer arithmetic: products that need 64 bits, mixing 32- and
 * 64-bit operands, unsigned 64-bit overflow, and multi-word arithmetic. */
#include <stdio.h>
#include <stdint.h>

static uint64_t mulmod(uint64_t a, uint64_t b, uint64_t m)
{
	uint64_t r = 0;
	a %= m;
	while (b) {
		if (b & 1)
			r = (r + a) % m;
		a = (a * 2) % m;
		b >>= 1;
	}
	return r;
}

static uint64_t powmod(uint64_t b, uint64_t e, uint64_t m)
{
	uint64_t r = 1;
	while (e) {
		if (e & 1)
			r = mulmod(r, b, m);
		b = mulmod(b, b, m);
		e >>= 1;
	}
	return r;
}

/* 64x64 -> 128-bit product from 32-bit halves. */
static void mul128(uint64_t a, uint64_t b, uint64_t *hi, uint64_t *lo)
{
	uint64_t al = (uint32_t)a, ah = a >> 32, bl = (uint32_t)b, bh = b >> 32;
	uint64_t ll = al * bl, lh = al * bh, hl = ah * bl, hh = ah * bh;
	uint64_t mid = (ll >> 32) + (uint32_t)lh + (uint32_t)hl;
	*lo = (mid << 32) | (uint32_t)ll;
	*hi = hh + (lh >> 32) + (hl >> 32) + (mid >> 32);
}

int main(void)
{
	int a = 100000;
	long wrong_free = (long)a * a;
	printf("(long)a*a=%ld\n", wrong_free);
	long long f = 1;
	for (int i = 1; i <= 20; i++)
		f *= i;
	printf("20!=%lld\n", f);
	unsigned long long uf = 1;
	for (int i = 1; i <= 25; i++)
		uf *= i;
	printf("25! mod 2^64=%llu\n", uf);
	printf("powmod(2,1000,1e9+7)=%llu\n", (unsigned long long)powmod(2, 1000, 1000000007ULL));
	printf("powmod(3,2^40,2^61-1)=%llu\n", (unsigned long long)powmod(3, 1ULL << 40, (1ULL << 61) - 1));
	uint64_t hi, lo;
	mul128(0xffffffffffffffffULL, 0xffffffffffffffffULL, &hi, &lo);
	printf("max*max=%016llx%016llx\n", (unsigned long long)hi, (unsigned long long)lo);
	mul128(0x123456789abcdef0ULL, 0x0fedcba987654321ULL, &hi, &lo);
	printf("mul128=%016llx%016llx\n", (unsigned long long)hi, (unsigned long long)lo);
	int64_t s = INT64_MIN;
	printf("INT64_MIN=%lld /2=%lld %%7=%lld\n", (long long)s, (long long)(s / 2), (long long)(s % 7));
	int64_t t = -5000000000LL;
	int32_t small = 3;
	printf("t*small=%lld t/small=%lld t%%small=%lld\n", (long long)(t * small), (long long)(t / small), (long long)(t % small));
	uint32_t u32 = 0xffffffffu;
	uint64_t widened = u32 + 1ULL;
	uint64_t not_widened = u32 + 1u;
	printf("widened=%llu not_widened=%llu\n", (unsigned long long)widened, (unsigned long long)not_widened);
	int64_t neg = -1;
	uint32_t big32 = 4000000000u;
	printf("neg < big32: %d\n", neg < big32);
	printf("big32 * 2 (u32)=%u (u64)=%llu\n", big32 * 2, (unsigned long long)big32 * 2);
	unsigned long long bits = 0x8000000000000000ULL;
	int pos = 0;
	while (!(bits & 1)) {
		bits >>= 1;
		pos++;
	}
	printf("top bit pos=%d\n", pos);
	unsigned long long acc = 0;
	for (long long k = -1000000; k <= 1000000; k += 999)
		acc = acc * 31 + (unsigned long long)(k * k * k);
	printf("acc=%llu\n", acc);
	return 0;
}
