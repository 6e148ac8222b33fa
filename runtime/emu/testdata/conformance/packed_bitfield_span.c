/* 58- to 64-bit bitfields in packed structs that start mid-byte, so that
 * their bits span nine bytes, as gcc allows: loads, stores, compound
 * assignments, sign extension, initializers and the bytes they share with
 * their neighbours. */
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

struct __attribute__((packed)) wide {
	unsigned lo : 4;
	unsigned long long big : 64;
	unsigned hi : 4;
};

#define SIGNED_BITS 62

/* Two of them on one line, a width from a macro, a signed one. */
struct __attribute__((packed)) pair {
	unsigned char tag : 3;
	long long s : SIGNED_BITS, u : 60;
	unsigned char tail;
};

/* Packed only by #pragma pack, and as a member attribute. */
#pragma pack(push, 1)
struct pragma {
	_Bool flag : 1;
	unsigned long x : 63;
	unsigned short after;
};
#pragma pack(pop)

struct member {
	char c : 7;
	unsigned long long m : 58 __attribute__((packed));
	char d : 7;
};

/* An anonymous packed struct whose members the outer one promotes. */
struct outer {
	int head;
	struct __attribute__((packed)) {
		unsigned a : 5;
		unsigned long long w : 64;
	};
	int foot;
};

static struct wide gw = { 0x3, 0xfedcba9876543210ULL, 0xc };
static struct pair gp = { .u = 0xabcdef012345678ULL, .s = -5, .tag = 5, .tail = 0x77 };

int main(void)
{
	struct wide w;
	memset(&w, 0, sizeof w);
	w.lo = 0xa;
	w.big = 0x0123456789abcdefULL;
	w.hi = 0x5;
	dump("wide", &w, sizeof w);
	printf("wide lo=%x big=%llx hi=%x\n", w.lo, (unsigned long long)w.big, w.hi);
	w.big += 0x1111;
	w.big <<= 4;
	w.big |= 0xf;
	w.big++;
	printf("wide big=%llx lo=%x hi=%x\n", (unsigned long long)w.big, w.lo, w.hi);
	w.big = ~0ULL;
	w.lo = 0;
	w.hi = 0;
	dump("ones", &w, sizeof w);
	dump("gw", &gw, sizeof gw);
	printf("gw lo=%x big=%llx hi=%x\n", gw.lo, (unsigned long long)gw.big, gw.hi);

	struct pair p;
	memset(&p, 0xff, sizeof p);
	p.tag = 2;
	p.s = -1234567890123LL;
	p.u = 0x0fedcba987654321ULL;
	p.tail = 0x42;
	dump("pair", &p, sizeof p);
	printf("pair tag=%d s=%lld u=%llx tail=%x\n", p.tag, (long long)p.s, (unsigned long long)p.u, p.tail);
	p.s = (1LL << (SIGNED_BITS - 1)) - 1;
	p.s++;
	printf("pair s wraps to %lld\n", (long long)p.s);
	struct pair *pp = &p;
	pp->s /= 3;
	printf("pair s/3=%lld u>>8=%llx\n", (long long)pp->s, (unsigned long long)(pp->u >> 8));
	dump("gp", &gp, sizeof gp);
	printf("gp tag=%d s=%lld u=%llx tail=%x\n", gp.tag, (long long)gp.s, (unsigned long long)gp.u, gp.tail);

	struct pair local = { 1, -2, 3, 4 };
	dump("local", &local, sizeof local);

	struct pragma g;
	memset(&g, 0, sizeof g);
	g.flag = 1;
	g.x = 0x7123456789abcdefUL;
	g.after = 0xbeef;
	dump("pragma", &g, sizeof g);
	printf("pragma flag=%d x=%lx after=%x\n", g.flag, (unsigned long)g.x, g.after);

	struct member m;
	memset(&m, 0, sizeof m);
	m.c = -3;
	m.m = 0x3ffffffffffffffULL;
	m.d = 9;
	dump("member", &m, sizeof m);
	printf("member c=%d m=%llx d=%d\n", m.c, (unsigned long long)m.m, m.d);

	struct outer o;
	memset(&o, 0, sizeof o);
	o.head = -1;
	o.a = 0x15;
	o.w = 0x8000000000000001ULL;
	o.foot = 0x1234;
	dump("outer", &o, sizeof o);
	printf("outer a=%x w=%llx foot=%x\n", o.a, (unsigned long long)o.w, o.foot);
	return 0;
}
