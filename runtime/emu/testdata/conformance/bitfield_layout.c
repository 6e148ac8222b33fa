/* Bitfield layout as gcc does it on x86-64, seen through the raw bytes:
 * fields of different declared types sharing storage, long long fields
 * crossing 32-bit boundaries, unnamed padding fields, _Bool and enum
 * fields, and fields after arrays. */
#include <stdio.h>
#include <string.h>

static void dump(const char *label, const void *p, size_t n)
{
	const unsigned char *b = p;
	printf("%-8s size=%2zu:", label, n);
	for (size_t i = 0; i < n; i++)
		printf(" %02x", b[i]);
	printf("\n");
}

enum mode { M_OFF, M_ON, M_AUTO };

struct mixed {
	char a : 3;
	int b : 10;
	char c;
	short d : 5;
};

struct crossing {
	unsigned long long lo : 30;
	unsigned long long mid : 20;
	unsigned long long hi : 14;
	unsigned char tail : 4;
};

struct unnamed {
	unsigned a : 4;
	unsigned : 6;
	unsigned b : 4;
	unsigned : 0;
	unsigned char c : 2;
};

struct flags {
	_Bool on : 1;
	_Bool dirty : 1;
	enum mode mode : 2;
	unsigned level : 3;
};

struct after_array {
	char name[3];
	unsigned v : 12;
	unsigned w : 12;
};

struct signed_fields {
	int a : 5;
	long long b : 40;
	signed char c : 3;
};

int main(void)
{
	struct mixed m;
	memset(&m, 0, sizeof m);
	m.a = -1;
	m.b = 0x155;
	m.c = 0x7e;
	m.d = -5;
	dump("mixed", &m, sizeof m);
	printf("mixed values a=%d b=%d c=%d d=%d\n", m.a, m.b, m.c, m.d);

	struct crossing c;
	memset(&c, 0, sizeof c);
	c.lo = 0x3fffffff;
	c.mid = 0xabcde;
	c.hi = 0x2aaa;
	c.tail = 0xf;
	dump("crossing", &c, sizeof c);
	printf("crossing lo=%llx mid=%llx hi=%llx tail=%x\n", (unsigned long long)c.lo, (unsigned long long)c.mid, (unsigned long long)c.hi, c.tail);

	struct unnamed u;
	memset(&u, 0xff, sizeof u);
	u.a = 1;
	u.b = 2;
	u.c = 3;
	dump("unnamed", &u, sizeof u);

	struct flags f;
	memset(&f, 0, sizeof f);
	f.on = 1;
	f.mode = M_AUTO;
	f.level = 5;
	dump("flags", &f, sizeof f);
	f.dirty = 7; /* _Bool field: any nonzero value stores 1 */
	printf("flags on=%d dirty=%d mode=%d level=%u\n", f.on, f.dirty, f.mode, f.level);

	struct after_array a;
	memset(&a, 0, sizeof a);
	memcpy(a.name, "xyz", 3);
	a.v = 0xabc;
	a.w = 0x123;
	dump("array", &a, sizeof a);

	struct signed_fields s;
	memset(&s, 0, sizeof s);
	s.a = -16;
	s.b = -1099511627776LL / 2;
	s.c = -4;
	dump("signed", &s, sizeof s);
	printf("signed a=%d b=%lld c=%d\n", s.a, (long long)s.b, s.c);
	return 0;
}
