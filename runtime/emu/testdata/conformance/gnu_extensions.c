/* GNU C extensions that kernel code relies on (the suite compiles with
 * -std=gnu11): statement expressions, typeof, case ranges, the ?:
 * shorthand, zero-length arrays, packed and aligned structs,
 * __builtin_expect, __builtin_offsetof and __builtin_constant_p. */
#include <stdio.h>
#include <stddef.h>
#include <string.h>

#define max_t(a, b) ({ typeof(a) _a = (a); typeof(b) _b = (b); _a > _b ? _a : _b; })
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

struct __attribute__((packed)) hdr {
	char kind;
	int len;
	short flags;
};

struct aligned_thing {
	char c;
	int x __attribute__((aligned(16)));
};

struct msg {
	int n;
	char data[0];
};

static const char *grade(int score)
{
	switch (score) {
	case 90 ... 100:
		return "A";
	case 80 ... 89:
		return "B";
	case 0 ... 79:
		return "C";
	default:
		return "?";
	}
}

static int counter;
static int next(void) { return ++counter; }

int main(void)
{
	int calls = 0;
	int m = max_t(++calls, 0);
	printf("max_t=%d calls=%d\n", m, calls);
	long lm = max_t(3L, 7L);
	printf("long max_t=%ld\n", lm);
	typeof(lm) copy = lm * 2;
	printf("typeof sizeof=%zu value=%ld\n", sizeof copy, copy);
	int blockval = ({ int t = 5; t * t; });
	printf("statement expression=%d\n", blockval);
	int scores[] = {100, 95, 89, 80, 50, 0, 101};
	for (size_t i = 0; i < ARRAY_SIZE(scores); i++)
		printf("%d:%s ", scores[i], grade(scores[i]));
	printf("\n");
	int zero = 0;
	int elvis1 = zero ?: 7, elvis2 = next() ?: 9;
	printf("elvis: %d %d calls=%d\n", elvis1, elvis2, counter);
	printf("packed size=%zu len@%zu flags@%zu\n", sizeof(struct hdr), offsetof(struct hdr, len), offsetof(struct hdr, flags));
	struct hdr h;
	memset(&h, 0, sizeof h);
	h.len = 0x11223344;
	unsigned char raw[sizeof h];
	memcpy(raw, &h, sizeof h);
	printf("packed bytes: %02x %02x %02x %02x %02x\n", raw[0], raw[1], raw[2], raw[3], raw[4]);
	printf("aligned size=%zu x@%zu\n", sizeof(struct aligned_thing), offsetof(struct aligned_thing, x));
	printf("zero-length: sizeof=%zu data@%zu\n", sizeof(struct msg), __builtin_offsetof(struct msg, data));
	int hits = 0;
	for (int i = 0; i < 100; i++) {
		if (likely(i % 10))
			hits++;
		if (unlikely(i == 50))
			hits += 100;
	}
	printf("hits=%d\n", hits);
	printf("constant_p: %d\n", __builtin_constant_p(42));
	return 0;
}
