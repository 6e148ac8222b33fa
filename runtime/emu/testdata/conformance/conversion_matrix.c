/* Conversions between all arithmetic types over edge values: integer to
 * integer (truncation, sign extension), compound assignment into a
 * narrower left operand (computed in the common type, converted back),
 * integer to float and double (rounding), and floating to integer
 * (truncation toward zero, only where the value fits). One hash line per
 * pair of types. */
#include <stdio.h>
#include <string.h>

static const unsigned long long raw[] = {
	0, 1, 2, 7, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xffff, 0x10000, 0x7fffffff, 0x80000000,
	0xffffffff, 0x100000000, 0x7fffffffffffffff, 0x8000000000000000, 0xffffffffffffffff, -2ULL, -128ULL,
	-129ULL, -32768ULL, 0xdeadbeef, 0x123456789abcdef, 16777217, 9007199254740993ULL,
};
#define NRAW (sizeof raw / sizeof raw[0])

static const double reals[] = {
	0.0, -0.0, 0.5, -0.5, 0.999, 1.5, -1.5, 127.9, 128.0, -128.9, -129.0, 255.5, 256.0, 32767.5, -32768.7,
	65535.9, 65536.0, 2147483647.0, 2147483647.9, 2147483648.0, -2147483648.9, -2147483649.0,
	4294967295.5, 4294967296.0, 1e10, -1e10, 9.2e18, -9.2e18, 9.3e18, 1.8e19, 1.9e19, 16777217.0, 0.1,
};
#define NREALS (sizeof reals / sizeof reals[0])

static unsigned long long mix(unsigned long long h, unsigned long long v)
{
	return (h ^ v) * 0x100000001b3ULL + (h >> 29);
}

static unsigned long long dbits(double d)
{
	unsigned long long u;
	memcpy(&u, &d, sizeof u);
	return u;
}

static unsigned long long fbits(float f)
{
	unsigned u;
	memcpy(&u, &f, sizeof u);
	return u;
}

static double pow2(int n)
{
	double p = 1;
	while (n-- > 0)
		p *= 2;
	return p;
}

#define IS_SIGNED(T) ((T)-1 < 0)

/* in_range reports whether truncating v toward zero gives a value of an
 * integer type with the given size and signedness. */
static int in_range(double v, size_t size, int sig)
{
	double lim = pow2((int)(8 * size) - sig);
	return sig ? v > -lim - 1 && v < lim : v > -1 && v < lim;
}

#define CONV(T1, T2)                                                                                   \
	do {                                                                                           \
		unsigned long long direct = 0, compound = 0, viaptr = 0;                               \
		for (unsigned i = 0; i < NRAW; i++) {                                                  \
			T1 a = (T1)raw[i];                                                             \
			T2 b = (T2)a;                                                                  \
			direct = mix(direct, (unsigned long long)b);                                   \
			T1 src = a;                                                                    \
			T1 *p = &src;                                                                  \
			T2 c = *p;                                                                     \
			viaptr = mix(viaptr, (unsigned long long)c);                                   \
			for (unsigned j = 0; j < NRAW; j += 3) {                                       \
				T2 x = (T2)raw[j];                                                     \
				x ^= a;                                                                \
				x &= (T1)raw[(i + j) % NRAW];                                          \
				x |= a & 0x5a;                                                         \
				compound = mix(compound, (unsigned long long)x);                       \
			}                                                                              \
		}                                                                                      \
		printf("%-18s -> %-18s direct %016llx ptr %016llx compound %016llx\n", #T1, #T2, direct, viaptr, compound); \
	} while (0)

#define ROW(T1)                               \
	do {                                  \
		CONV(T1, _Bool);              \
		CONV(T1, char);               \
		CONV(T1, signed char);        \
		CONV(T1, unsigned char);      \
		CONV(T1, short);              \
		CONV(T1, unsigned short);     \
		CONV(T1, int);                \
		CONV(T1, unsigned int);       \
		CONV(T1, long);               \
		CONV(T1, unsigned long);      \
	} while (0)

/* Narrow compound assignment: x op= v computes in the common type and
 * converts back to x's type. Only for types narrower than int (computed
 * in int, which cannot overflow here) and unsigned types. */
#define NARROW(T)                                                                                      \
	do {                                                                                           \
		unsigned long long h = 0;                                                              \
		for (unsigned i = 0; i < NRAW; i++) {                                                  \
			T x = (T)raw[i];                                                               \
			x += 100;                                                                      \
			h = mix(h, (unsigned long long)x);                                             \
			x -= 300;                                                                      \
			h = mix(h, (unsigned long long)x);                                             \
			x *= 3;                                                                        \
			h = mix(h, (unsigned long long)x);                                             \
			x /= 7;                                                                        \
			h = mix(h, (unsigned long long)x);                                             \
			x %= 5;                                                                        \
			h = mix(h, (unsigned long long)x);                                             \
			x &= 0x3f;                                                                     \
			x <<= 2;                                                                       \
			h = mix(h, (unsigned long long)x);                                             \
			x >>= 1;                                                                       \
			h = mix(h, (unsigned long long)x);                                             \
			x += 0.75;                                                                     \
			h = mix(h, (unsigned long long)x);                                             \
			x++;                                                                           \
			h = mix(h, (unsigned long long)x);                                             \
			x--;                                                                           \
			x--;                                                                           \
			h = mix(h, (unsigned long long)x);                                             \
		}                                                                                      \
		printf("narrow %-18s %016llx\n", #T, h);                                               \
	} while (0)

#define TOFLOAT(T)                                                                                     \
	do {                                                                                           \
		unsigned long long hd = 0, hf = 0;                                                     \
		for (unsigned i = 0; i < NRAW; i++) {                                                  \
			T a = (T)raw[i];                                                               \
			hd = mix(hd, dbits((double)a));                                                \
			hf = mix(hf, fbits((float)a));                                                 \
		}                                                                                      \
		printf("%-18s -> double %016llx float %016llx\n", #T, hd, hf);                         \
	} while (0)

#define FROMFLOAT(T)                                                                                   \
	do {                                                                                           \
		unsigned long long hd = 0, hf = 0;                                                     \
		unsigned skipped = 0;                                                                  \
		for (unsigned i = 0; i < NREALS; i++) {                                                \
			double d = reals[i];                                                           \
			float f = (float)d;                                                            \
			if ((T)0.5 == 1 || in_range(d, sizeof(T), IS_SIGNED(T)))                       \
				hd = mix(hd, (unsigned long long)(T)d);                                \
			else                                                                           \
				skipped++;                                                             \
			if ((T)0.5 == 1 || in_range(f, sizeof(T), IS_SIGNED(T)))                       \
				hf = mix(hf, (unsigned long long)(T)f);                                \
			else                                                                           \
				skipped++;                                                             \
		}                                                                                      \
		printf("double,float -> %-18s %016llx %016llx skipped=%u\n", #T, hd, hf, skipped);     \
	} while (0)

int main(void)
{
	ROW(_Bool);
	ROW(char);
	ROW(signed char);
	ROW(unsigned char);
	ROW(short);
	ROW(unsigned short);
	ROW(int);
	ROW(unsigned int);
	ROW(long);
	ROW(unsigned long);
	NARROW(char);
	NARROW(signed char);
	NARROW(unsigned char);
	NARROW(short);
	NARROW(unsigned short);
	NARROW(unsigned int);
	NARROW(unsigned long);
	TOFLOAT(_Bool);
	TOFLOAT(char);
	TOFLOAT(unsigned char);
	TOFLOAT(short);
	TOFLOAT(unsigned short);
	TOFLOAT(int);
	TOFLOAT(unsigned int);
	TOFLOAT(long);
	TOFLOAT(unsigned long);
	FROMFLOAT(_Bool);
	FROMFLOAT(char);
	FROMFLOAT(unsigned char);
	FROMFLOAT(short);
	FROMFLOAT(unsigned short);
	FROMFLOAT(int);
	FROMFLOAT(unsigned int);
	FROMFLOAT(long);
	FROMFLOAT(unsigned long);
	float big = 3e38f;
	double dd = 1e300;
	printf("double->float overflow bits %016llx, float->double %016llx\n", fbits((float)dd), dbits((double)big));
	return 0;
}
