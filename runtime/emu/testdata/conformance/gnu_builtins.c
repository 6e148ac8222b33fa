/* GCC builtins and attributes common in kernel code: bit scanning and
 * counting, byte swaps, overflow-checking arithmetic, and attributes
 * that must be accepted (unused, noinline, always_inline, aligned,
 * section, weak). Type-level builtins are in gnu_type_builtins.c. */
#include <stdio.h>
#include <stdint.h>

static int __attribute__((noinline)) plain(int x) { return x + 1; }
static inline __attribute__((always_inline)) int forced(int x) { return x * 2; }
static int unused_helper(void) __attribute__((unused));
static int unused_helper(void) { return 0; }
int weak_value __attribute__((weak)) = 11;
static int in_section __attribute__((section(".data.custom"))) = 5;
static char aligned_buf[3] __attribute__((aligned(8)));

int main(void)
{
	unsigned vals[] = {1, 2, 0x80, 0x80000000u, 0x00f00000u, 0xffffffffu};
	for (int i = 0; i < 6; i++)
		printf("%08x: clz=%d ctz=%d popcount=%d parity=%d ffs=%d\n", vals[i], __builtin_clz(vals[i]), __builtin_ctz(vals[i]),
		       __builtin_popcount(vals[i]), __builtin_parity(vals[i]), __builtin_ffs((int)vals[i]));
	unsigned long long big = 0x0000100000000000ULL;
	printf("clzll=%d ctzll=%d popcountll=%d ffs(0)=%d\n", __builtin_clzll(big), __builtin_ctzll(big), __builtin_popcountll(~0ULL),
	       __builtin_ffs(0));
	printf("bswap16=%04x bswap32=%08x bswap64=%016llx\n", __builtin_bswap16(0x1234), __builtin_bswap32(0x12345678u),
	       (unsigned long long)__builtin_bswap64(0x0102030405060708ULL));
	int r;
	int of1 = __builtin_add_overflow(2147483647, 1, &r);
	printf("add overflow=%d result=%d\n", of1, r);
	unsigned ur;
	int of2 = __builtin_sub_overflow(0u, 1u, &ur);
	printf("sub overflow=%d result=%u\n", of2, ur);
	long lr;
	int of3 = __builtin_mul_overflow(3000000000L, 3, &lr);
	printf("mul overflow=%d result=%ld\n", of3, lr);
	printf("plain=%d forced=%d weak=%d section=%d aligned=%d\n", plain(1), forced(4), weak_value, in_section, (int)((uintptr_t)aligned_buf % 8));
	printf("expect=%ld\n", __builtin_expect(5L, 5L));
	return 0;
}
