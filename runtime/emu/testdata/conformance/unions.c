/* Unions: shared storage, byte views on a little-endian machine, unions
 * by value, and unions inside structs (a tagged variant). */
#include <stdio.h>
#include <stdint.h>

union word {
	uint32_t u;
	int32_t i;
	uint16_t h[2];
	uint8_t b[4];
	float f;
};

enum kind { K_INT, K_DBL, K_STR };

struct value {
	enum kind kind;
	union {
		long i;
		double d;
		const char *s;
	} as;
};

static void show(struct value v)
{
	switch (v.kind) {
	case K_INT:
		printf("int %ld\n", v.as.i);
		break;
	case K_DBL:
		printf("double %.3f\n", v.as.d);
		break;
	case K_STR:
		printf("string %s\n", v.as.s);
		break;
	}
}

static union word flip(union word w)
{
	uint8_t t = w.b[0];
	w.b[0] = w.b[3];
	w.b[3] = t;
	t = w.b[1];
	w.b[1] = w.b[2];
	w.b[2] = t;
	return w;
}

int main(void)
{
	union word w;
	w.u = 0x11223344;
	printf("bytes %02x %02x %02x %02x\n", w.b[0], w.b[1], w.b[2], w.b[3]);
	printf("halves %04x %04x\n", w.h[0], w.h[1]);
	w.i = -2;
	printf("u=%u\n", w.u);
	w.f = 1.0f;
	printf("float 1.0 bits=%08x\n", w.u);
	w.f = -0.15625f;
	printf("float -0.15625 bits=%08x\n", w.u);
	w.u = 0x40490fdb;
	printf("pi-ish %.5f\n", (double)w.f);
	union word v = flip(w);
	printf("flipped %08x orig %08x\n", v.u, w.u);
	printf("sizeof word=%zu sizeof value=%zu\n", sizeof(union word), sizeof(struct value));

	struct value vals[3] = {{K_INT, {.i = -42}}, {K_DBL, {.d = 2.5}}, {K_STR, {.s = "hi"}}};
	for (int i = 0; i < 3; i++)
		show(vals[i]);
	struct value copy = vals[1];
	copy.as.d *= 4;
	show(copy);
	show(vals[1]);

	union {
		double d;
		uint64_t bits;
	} dbl = {.d = 1.0};
	printf("double 1.0 bits=%016llx\n", (unsigned long long)dbl.bits);
	dbl.bits = 0xc000000000000000ull;
	printf("bits -> %.1f\n", dbl.d);

	union word arr[2] = {{.u = 1}, {.b = {1, 2, 3, 4}}};
	printf("arr %08x %08x\n", arr[0].u, arr[1].u);
	return 0;
}
