/* Every binary operator on every pair of integer types, over values at
 * the edges of each type: the usual arithmetic conversions decide the
 * result type and value. One line per pair of types gives the result
 * type (u/s and size) and a hash of the results of each operator, so a
 * difference points at the pair and the operator. Operations whose
 * result would be undefined (signed overflow, division by zero, shifts
 * out of range) are skipped, and their count is printed. */
#include <stdio.h>
#include <limits.h>

static const unsigned long long raw[] = {
	0, 1, 2, 3, 7, 31, 63, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xffff, 0x10000,
	0x7fffffff, 0x80000000, 0xffffffff, 0x100000000, 0x7fffffffffffffff, 0x8000000000000000,
	0xffffffffffffffff, -2ULL, -7ULL, -128ULL, -129ULL, -32768ULL, 12345, 0xdeadbeef, 0x123456789abcdef,
};
#define NRAW (sizeof raw / sizeof raw[0])

enum { ADD, SUB, MUL, DIV, MOD, AND, OR, XOR, SHL, SHR, LT, LE, EQ, NE, NOPS };
static const char *const opnames[NOPS] = {"+", "-", "*", "/", "%", "&", "|", "^", "<<", ">>", "<", "<=", "==", "!="};

static unsigned long long mix(unsigned long long h, unsigned long long v)
{
	return (h ^ v) * 0x100000001b3ULL + (h >> 29);
}

#define IS_SIGNED(T) ((T)-1 < 0)
#define SMAX(size) ((size) == 4 ? (long long)INT_MAX : LLONG_MAX)
#define SMIN(size) ((size) == 4 ? (long long)INT_MIN : LLONG_MIN)

/* fits reports whether the signed operation x op y (computed exactly) is
 * representable in a signed type of the given size. Operands of a 64-bit
 * signed result are only used when small enough to compute exactly. */
static int fits(int op, long long x, long long y, size_t size)
{
	if (size == 8 && (x > 0x7fffffff || x < -0x7fffffff || y > 0x7fffffff || y < -0x7fffffff))
		return 0;
	long long r = op == ADD ? x + y : op == SUB ? x - y : x * y;
	return r >= SMIN(size) && r <= SMAX(size);
}

#define PAIR(T1, T2)                                                                                              \
	do {                                                                                                      \
		unsigned long long h[NOPS] = {0};                                                                 \
		unsigned long skipped = 0;                                                                        \
		typedef typeof((T1)0 + (T2)0) R;                                                                  \
		typedef typeof(+(T1)0) P;                                                                         \
		for (unsigned i = 0; i < NRAW; i++) {                                                             \
			for (unsigned j = 0; j < NRAW; j++) {                                                     \
				T1 a = (T1)raw[i];                                                                \
				T2 b = (T2)raw[j];                                                                \
				long long x = (long long)(R)a, y = (long long)(R)b;                               \
				int sig = IS_SIGNED(R);                                                           \
				if (!sig || fits(ADD, x, y, sizeof(R)))                                           \
					h[ADD] = mix(h[ADD], (unsigned long long)(R)(a + b));                     \
				else                                                                              \
					skipped++;                                                                \
				if (!sig || fits(SUB, x, y, sizeof(R)))                                           \
					h[SUB] = mix(h[SUB], (unsigned long long)(R)(a - b));                     \
				else                                                                              \
					skipped++;                                                                \
				if (!sig || fits(MUL, x, y, sizeof(R)))                                           \
					h[MUL] = mix(h[MUL], (unsigned long long)(R)(a * b));                     \
				else                                                                              \
					skipped++;                                                                \
				if ((R)b != 0 && !(sig && y == -1 && x == SMIN(sizeof(R)))) {                    \
					h[DIV] = mix(h[DIV], (unsigned long long)(R)(a / b));                     \
					h[MOD] = mix(h[MOD], (unsigned long long)(R)(a % b));                     \
				} else {                                                                          \
					skipped += 2;                                                             \
				}                                                                                 \
				h[AND] = mix(h[AND], (unsigned long long)(R)(a & b));                             \
				h[OR] = mix(h[OR], (unsigned long long)(R)(a | b));                               \
				h[XOR] = mix(h[XOR], (unsigned long long)(R)(a ^ b));                             \
				unsigned count = (unsigned)(raw[j] % 67);                                         \
				if (count < 8 * sizeof(P)) {                                                      \
					P pa = a;                                                                 \
					long long pmax = IS_SIGNED(P) ? SMAX(sizeof(P)) : 0;                      \
					if (!IS_SIGNED(P) || (pa >= 0 && (long long)pa <= (pmax >> count)))       \
						h[SHL] = mix(h[SHL], (unsigned long long)(P)(a << count));        \
					else                                                                      \
						skipped++;                                                        \
					h[SHR] = mix(h[SHR], (unsigned long long)(P)(a >> count));                \
				} else {                                                                          \
					skipped += 2;                                                             \
				}                                                                                 \
				h[LT] = mix(h[LT], a < b);                                                        \
				h[LE] = mix(h[LE], a <= b);                                                       \
				h[EQ] = mix(h[EQ], a == b);                                                       \
				h[NE] = mix(h[NE], a != b);                                                       \
			}                                                                                         \
		}                                                                                                 \
		printf("%-18s %-18s -> %c%zu skipped=%lu\n", #T1, #T2, IS_SIGNED(R) ? 's' : 'u', sizeof(R), skipped); \
		for (int k = 0; k < NOPS; k++)                                                                    \
			printf("  %-2s %016llx%s", opnames[k], h[k], k % 5 == 4 || k == NOPS - 1 ? "\n" : "");     \
	} while (0)

#define ROW(T1)                                      \
	do {                                         \
		PAIR(T1, _Bool);                     \
		PAIR(T1, char);                      \
		PAIR(T1, signed char);               \
		PAIR(T1, unsigned char);             \
		PAIR(T1, short);                     \
		PAIR(T1, unsigned short);            \
		PAIR(T1, int);                       \
		PAIR(T1, unsigned int);              \
		PAIR(T1, long);                      \
		PAIR(T1, unsigned long);             \
		PAIR(T1, long long);                 \
		PAIR(T1, unsigned long long);        \
	} while (0)

#define UNARY(T)                                                                                       \
	do {                                                                                           \
		unsigned long long neg = 0, cpl = 0, not = 0;                                          \
		typedef typeof(+(T)0) P;                                                               \
		for (unsigned i = 0; i < NRAW; i++) {                                                  \
			T a = (T)raw[i];                                                               \
			P p = a;                                                                       \
			if (!IS_SIGNED(P) || (long long)p != SMIN(sizeof(P)))                          \
				neg = mix(neg, (unsigned long long)(P)-a);                             \
			cpl = mix(cpl, (unsigned long long)(P)~a);                                     \
			not = mix(not, !a);                                                            \
		}                                                                                      \
		printf("unary %-18s -> %c%zu  - %016llx  ~ %016llx  ! %016llx\n", #T, IS_SIGNED(P) ? 's' : 'u', \
		       sizeof(P), neg, cpl, not);                                                      \
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
	ROW(long long);
	ROW(unsigned long long);
	UNARY(_Bool);
	UNARY(char);
	UNARY(signed char);
	UNARY(unsigned char);
	UNARY(short);
	UNARY(unsigned short);
	UNARY(int);
	UNARY(unsigned int);
	UNARY(long);
	UNARY(unsigned long);
	return 0;
}
