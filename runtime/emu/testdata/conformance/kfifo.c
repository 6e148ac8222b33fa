/* A kernel-style FIFO: power-of-two size, free-running unsigned in/out
 * counters that wrap around, masks for indexing, and memcpy of the two
 * pieces of a wrapped region. */
#include <stdio.h>
#include <string.h>

struct kfifo {
	unsigned in, out, mask;
	unsigned char buf[16];
};

static unsigned kfifo_len(const struct kfifo *f) { return f->in - f->out; }
static unsigned kfifo_avail(const struct kfifo *f) { return f->mask + 1 - kfifo_len(f); }

static unsigned min_u(unsigned a, unsigned b) { return a < b ? a : b; }

static unsigned kfifo_put(struct kfifo *f, const unsigned char *src, unsigned n)
{
	n = min_u(n, kfifo_avail(f));
	unsigned off = f->in & f->mask;
	unsigned first = min_u(n, f->mask + 1 - off);
	memcpy(f->buf + off, src, first);
	memcpy(f->buf, src + first, n - first);
	f->in += n;
	return n;
}

static unsigned kfifo_get(struct kfifo *f, unsigned char *dst, unsigned n)
{
	n = min_u(n, kfifo_len(f));
	unsigned off = f->out & f->mask;
	unsigned first = min_u(n, f->mask + 1 - off);
	memcpy(dst, f->buf + off, first);
	memcpy(dst + first, f->buf, n - first);
	f->out += n;
	return n;
}

int main(void)
{
	/* Start the counters near UINT_MAX so they wrap during the run. */
	struct kfifo f = {.in = 0xfffffff0u, .out = 0xfffffff0u, .mask = 15};
	unsigned char src[40], dst[40];
	for (int i = 0; i < 40; i++)
		src[i] = (unsigned char)('A' + i % 26);
	unsigned long total_in = 0, total_out = 0, sum = 0;
	for (int round = 0; round < 30; round++) {
		unsigned want_in = (unsigned)(round * 7 % 13) + 1;
		unsigned put = kfifo_put(&f, src + round % 20, want_in);
		unsigned want_out = (unsigned)(round * 5 % 11) + 1;
		unsigned got = kfifo_get(&f, dst, want_out);
		for (unsigned k = 0; k < got; k++)
			sum = sum * 7 + dst[k];
		total_in += put;
		total_out += got;
		printf("round %2d: put %2u/%2u got %2u/%2u len %2u in=%08x out=%08x first=%c\n", round, put, want_in, got, want_out, kfifo_len(&f), f.in,
		       f.out, got ? dst[0] : '-');
	}
	printf("total in=%lu out=%lu left=%u sum=%lu\n", total_in, total_out, kfifo_len(&f), sum);
	return 0;
}
