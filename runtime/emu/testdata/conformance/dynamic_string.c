/* A growable string buffer with realloc: appending characters, strings
 * and formatted numbers, and checking content after many reallocations. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct sbuf {
	char *data;
	size_t len, cap;
	int grows;
};

static void reserve(struct sbuf *b, size_t extra)
{
	if (b->len + extra + 1 <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 8;
	while (cap < b->len + extra + 1)
		cap *= 2;
	b->data = realloc(b->data, cap);
	b->cap = cap;
	b->grows++;
}

static void add_char(struct sbuf *b, char c)
{
	reserve(b, 1);
	b->data[b->len++] = c;
	b->data[b->len] = 0;
}

static void add_str(struct sbuf *b, const char *s)
{
	size_t n = strlen(s);
	reserve(b, n);
	memcpy(b->data + b->len, s, n + 1);
	b->len += n;
}

static void add_num(struct sbuf *b, long v)
{
	char tmp[24];
	int n = 0;
	unsigned long u = v < 0 ? -(unsigned long)v : (unsigned long)v;
	do
		tmp[n++] = (char)('0' + u % 10);
	while (u /= 10);
	if (v < 0)
		add_char(b, '-');
	while (n)
		add_char(b, tmp[--n]);
}

int main(void)
{
	struct sbuf b = {0};
	for (int i = 0; i < 200; i++) {
		add_num(&b, (long)i * i * (i % 3 == 0 ? -1 : 1));
		add_str(&b, i % 10 == 9 ? ";\n" : ", ");
	}
	printf("len=%zu cap=%zu grows=%d\n", b.len, b.cap, b.grows);
	printf("head=%.40s\n", b.data);
	printf("tail=%s", b.data + b.len - 40);
	unsigned long h = 0;
	for (size_t i = 0; i < b.len; i++)
		h = h * 131 + (unsigned char)b.data[i];
	printf("hash=%lu\n", h);
	char *copy = malloc(b.len + 1);
	strcpy(copy, b.data);
	printf("copy equal=%d\n", strcmp(copy, b.data) == 0);
	b.data = realloc(b.data, 16);
	b.data[15] = 0;
	printf("shrunk=%s\n", b.data);
	free(copy);
	free(b.data);
	return 0;
}
