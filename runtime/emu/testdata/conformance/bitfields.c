/* Bitfields: signed and unsigned fields, truncation on store, sign
 * extension on load, packing into units, zero-width fields. */
#include <stdio.h>
#include <string.h>

struct flags {
	unsigned a : 1;
	unsigned b : 3;
	signed c : 4;
	unsigned d : 8;
	int e : 16;
};

struct packed {
	unsigned char x : 4;
	unsigned char y : 4;
};

struct split {
	unsigned lo : 20;
	unsigned hi : 20; /* does not fit after lo: starts a new unit */
};

struct zero {
	unsigned a : 3;
	unsigned : 0;
	unsigned b : 3;
};

struct wide {
	unsigned long v : 40;
	unsigned long w : 24;
	long s : 33;
};

struct mixed {
	char tag;
	unsigned f : 5;
	short n;
};

int main(void)
{
	struct flags f;
	memset(&f, 0, sizeof f);
	f.a = 3;       /* keeps 1 */
	f.b = 13;      /* keeps 5 */
	f.c = 7;
	f.d = 300;     /* keeps 44 */
	f.e = -1234;
	printf("a=%u b=%u c=%d d=%u e=%d\n", f.a, f.b, f.c, f.d, f.e);
	f.c = 8;       /* -8 in a signed 4-bit field */
	printf("c=%d\n", f.c);
	f.c = -3;
	f.c -= 6;      /* -9 wraps to 7 */
	printf("c=%d\n", f.c);
	f.b += 5;      /* 10 -> 2 */
	printf("b=%u\n", f.b);
	f.a++;
	printf("a=%u\n", f.a);
	printf("sizeof flags=%zu\n", sizeof(struct flags));
	unsigned char raw[sizeof f];
	memcpy(raw, &f, sizeof f);
	for (size_t i = 0; i < sizeof f; i++)
		printf("%02x", raw[i]);
	printf("\n");

	struct packed p = {.x = 0xa, .y = 0x5};
	unsigned char byte;
	memcpy(&byte, &p, 1);
	printf("packed sizeof=%zu byte=%02x\n", sizeof p, byte);

	struct split s = {0xfffff, 0xabcde};
	printf("split sizeof=%zu lo=%x hi=%x\n", sizeof s, s.lo, s.hi);
	struct zero z = {5, 6};
	printf("zero sizeof=%zu a=%u b=%u\n", sizeof z, z.a, z.b);
	struct wide w = {0};
	w.v = 0xffffffffffUL;
	w.w = 0x123456;
	w.s = -4294967296L;
	printf("wide sizeof=%zu v=%lx w=%lx s=%ld\n", sizeof w, (unsigned long)w.v, (unsigned long)w.w, (long)w.s);
	w.v += 1; /* wraps to 0 */
	printf("v+1=%lx\n", (unsigned long)w.v);
	struct mixed m = {'q', 31, -7};
	printf("mixed sizeof=%zu tag=%c f=%u n=%d\n", sizeof m, m.tag, m.f, m.n);
	/* Bitfields in expressions promote to int. */
	printf("f.b - 10 = %d\n", f.b - 10);
	printf("m.f * 1000 = %d\n", m.f * 1000);
	return 0;
}
