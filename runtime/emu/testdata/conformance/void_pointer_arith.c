/* GNU C arithmetic on void pointers (as if on char pointers, sizeof(void)
 * is 1), which kernel code uses for buffers and allocators. */
#include <stdio.h>
#include <string.h>

struct hdr {
	int len;
	int type;
};

static void *advance(void *p, size_t n) { return p + n; }

int main(void)
{
	char storage[64];
	memset(storage, 0, sizeof storage);
	void *base = storage;
	void *p = base + 8;
	printf("offset=%td sizeof(void)=%zu\n", p - base, sizeof(void));
	struct hdr *h = advance(base, 16);
	h->len = 7;
	h->type = 3;
	printf("hdr at %td len=%d\n", (void *)h - base, ((struct hdr *)(storage + 16))->len);
	p = base;
	p += sizeof(struct hdr);
	p++;
	p -= 2;
	printf("after += ++ -= : %td\n", p - base);
	void *end = base + sizeof storage;
	int n = 0;
	for (void *it = base; it < end; it += sizeof(struct hdr))
		n++;
	printf("steps=%d\n", n);
	const void *cp = "abcdef";
	printf("char at +3: %c\n", *(const char *)(cp + 3));
	return 0;
}
