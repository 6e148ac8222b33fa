/* The integer limits of limits.h and stdint.h on LP64, and arithmetic
 * right at the edges without overflow. */
#include <stdio.h>
#include <limits.h>
#include <stdint.h>

int main(void)
{
	printf("CHAR_BIT=%d SCHAR_MIN=%d SCHAR_MAX=%d UCHAR_MAX=%d CHAR_MIN=%d CHAR_MAX=%d\n", CHAR_BIT, SCHAR_MIN, SCHAR_MAX, UCHAR_MAX, CHAR_MIN, CHAR_MAX);
	printf("SHRT_MIN=%d SHRT_MAX=%d USHRT_MAX=%d\n", SHRT_MIN, SHRT_MAX, USHRT_MAX);
	printf("INT_MIN=%d INT_MAX=%d UINT_MAX=%u\n", INT_MIN, INT_MAX, UINT_MAX);
	printf("LONG_MIN=%ld LONG_MAX=%ld ULONG_MAX=%lu\n", LONG_MIN, LONG_MAX, ULONG_MAX);
	printf("LLONG_MIN=%lld LLONG_MAX=%lld ULLONG_MAX=%llu\n", LLONG_MIN, LLONG_MAX, ULLONG_MAX);
	printf("INT8 %d..%d UINT8 %d\n", INT8_MIN, INT8_MAX, UINT8_MAX);
	printf("INT16 %d..%d UINT16 %d\n", INT16_MIN, INT16_MAX, UINT16_MAX);
	printf("INT32 %d..%d UINT32 %u\n", INT32_MIN, INT32_MAX, UINT32_MAX);
	printf("INT64 %lld..%lld UINT64 %llu\n", (long long)INT64_MIN, (long long)INT64_MAX, (unsigned long long)UINT64_MAX);
	printf("INTPTR_MAX=%lld UINTPTR_MAX=%llu SIZE_MAX=%llu\n", (long long)INTPTR_MAX, (unsigned long long)UINTPTR_MAX, (unsigned long long)SIZE_MAX);
	printf("PTRDIFF_MIN=%lld\n", (long long)PTRDIFF_MIN);
	printf("INT_MAX+1L=%ld INT_MIN-1L=%ld\n", INT_MAX + 1L, INT_MIN - 1L);
	printf("UINT_MAX+1UL=%lu\n", UINT_MAX + 1UL);
	printf("-INT_MAX=%d INT_MIN+INT_MAX=%d\n", -INT_MAX, INT_MIN + INT_MAX);
	printf("LONG_MAX/2=%ld LONG_MIN/2=%ld\n", LONG_MAX / 2, LONG_MIN / 2);
	printf("(unsigned)INT_MIN=%u (long)UINT_MAX=%ld\n", (unsigned)INT_MIN, (long)UINT_MAX);
	printf("types: %zu %zu %zu\n", sizeof(INT_MAX), sizeof(LONG_MAX), sizeof(UINT64_MAX));
	printf("INT64_C=%lld UINT64_C=%llu INT32_C=%d\n", (long long)INT64_C(123), (unsigned long long)UINT64_C(456), INT32_C(789));
	printf("chars: %d %d\n", (char)CHAR_MAX + 1, (unsigned char)(UCHAR_MAX + 1));
	return 0;
}
