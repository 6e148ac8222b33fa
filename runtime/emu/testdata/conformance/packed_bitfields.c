/* Bitfields in packed structs, as gcc lays them out: fields follow each
 * other bit by bit across byte and unit boundaries (a field spanning nine
 * bytes is in packed_bitfield_span.c). */
#include <stdio.h>
#include <string.h>

static void dump(const char *label, const void *p, size_t n)
{
	const unsigned char *b = p;
	printf("%-6s size=%zu:", label, n);
	for (size_t i = 0; i < n; i++)
		printf(" %02x", b[i]);
	printf("\n");
}

struct __attribute__((packed)) small {
	unsigned a : 3;
	unsigned b : 7;
	unsigned char c : 5;
	unsigned short d : 9;
};

struct __attribute__((packed)) mixed {
	char tag;
	int s : 13;
	long long l : 45;
	unsigned char u : 2;
	short after;
};

int main(void)
{
	struct small s;
	memset(&s, 0, sizeof s);
	s.a = 5;
	s.b = 0x55;
	s.c = 0x1f;
	s.d = 0x1a5;
	dump("small", &s, sizeof s);
	printf("small a=%u b=%u c=%u d=%u\n", s.a, s.b, s.c, s.d);

	struct mixed m;
	memset(&m, 0, sizeof m);
	m.tag = 'T';
	m.s = -1000;
	m.l = -12345678901LL;
	m.u = 3;
	m.after = -2;
	dump("mixed", &m, sizeof m);
	printf("mixed tag=%c s=%d l=%lld u=%u after=%d\n", m.tag, m.s, (long long)m.l, m.u, m.after);

	return 0;
}
