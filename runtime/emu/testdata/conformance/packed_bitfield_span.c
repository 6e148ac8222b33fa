/* A 64-bit bitfield in a packed struct that starts mid-byte, so that its
 * bits span nine bytes, as gcc allows. */
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

int main(void)
{
	struct wide w;
	memset(&w, 0, sizeof w);
	w.lo = 0xa;
	w.big = 0x0123456789abcdefULL;
	w.hi = 0x5;
	dump("wide", &w, sizeof w);
	printf("wide lo=%x big=%llx hi=%x\n", w.lo, (unsigned long long)w.big, w.hi);
	return 0;
}
