/* Conversions between integer types (truncation, sign extension) and to
 * and from floating point and _Bool. */
#include <stdio.h>
#include <stdint.h>

int main(void)
{
	long big = 0x1234567890abcdefL;
	printf("(int)big=%d (short)big=%d (char)big=%d\n", (int)big, (short)big, (char)big);
	printf("(unsigned)big=%u (unsigned short)big=%u (unsigned char)big=%u\n", (unsigned)big, (unsigned short)big, (unsigned char)big);
	int neg = -2;
	printf("(unsigned)-2=%u (unsigned long)-2=%lu (unsigned char)-2=%u\n", (unsigned)neg, (unsigned long)neg, (unsigned char)neg);
	printf("(long)(unsigned)-2=%ld\n", (long)(unsigned)neg);
	printf("(int)(short)40000=%d\n", (int)(short)40000);
	printf("(int)(signed char)200=%d\n", (int)(signed char)200);
	printf("(long)(int)0x80000000u=%ld\n", (long)(int)0x80000000u);
	unsigned char uc = 0x80;
	printf("(signed char)uc=%d (int)uc=%d\n", (signed char)uc, (int)uc);
	int8_t i8 = (int8_t)0x7f + 1;
	printf("i8=%d\n", i8);
	int16_t i16 = (int16_t)0xffff;
	printf("i16=%d\n", i16);
	uint64_t u64 = (uint64_t)(int32_t)-5;
	printf("u64=%llu\n", (unsigned long long)u64);
	uint32_t u32 = (uint32_t)(int64_t)-5;
	printf("u32=%u\n", u32);

	/* Floating point to integer truncates toward zero. */
	double d = 3.99, nd = -3.99;
	printf("(int)3.99=%d (int)-3.99=%d\n", (int)d, (int)nd);
	printf("(unsigned char)250.7=%d\n", (unsigned char)250.7);
	printf("(long)1e15=%ld\n", (long)1e15);
	printf("(unsigned long)1.8e19=%lu\n", (unsigned long)1.8e19);
	printf("(int)-0.5=%d\n", (int)-0.5);
	float f = 16777217;
	printf("(int)(float)16777217=%d\n", (int)f);
	printf("(double)(1L<<53)+1 = %.1f\n", (double)((1L << 53) + 1));
	printf("(double)UINT64=%.1f\n", (double)0xffffffffffffffffULL);
	printf("(double)-1=%.1f (double)(unsigned)-1=%.1f\n", (double)neg / 2, (double)(unsigned)neg);
	printf("7/2=%d 7/2.0=%.2f (double)(7/2)=%.2f\n", 7 / 2, 7 / 2.0, (double)(7 / 2));

	/* _Bool normalises every nonzero value to 1. */
	_Bool b1 = 256, b2 = 0.1, b3 = 0, b4 = -1;
	int *p = &neg;
	_Bool b5 = p;
	printf("bools %d %d %d %d %d\n", b1, b2, b3, b4, b5);
	_Bool bsum = b1 + b4;
	printf("b1+b4 as bool %d, as int %d\n", bsum, b1 + b4);

	/* Pointer <-> integer round trips. */
	uintptr_t addr = (uintptr_t)p;
	int *q = (int *)addr;
	printf("round trip ok %d, value %d\n", p == q, *q);
	return 0;
}
