/* cpubound: a CPU-bound workload for comparing the emulator with native
 * code. It mixes integer arithmetic in tight loops, pointer chasing
 * through a shuffled linked list, many small function calls, recursion,
 * and array work, and prints one checksum per phase so that both runs can
 * be checked for equal results.
 *
 * Usage: cpubound [SIZE]   (SIZE scales every phase linearly; default 100)
 */
#include <stdio.h>
#include <stdlib.h>

struct node {
	struct node *next;
	unsigned long value;
};

static unsigned long rng_state = 88172645463325252UL;

static unsigned long rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* Arithmetic: multiply, divide, modulo, shifts and xors in a loop. */
static unsigned long arith(long n)
{
	unsigned long acc = 1;
	for (long i = 1; i <= n; i++) {
		acc = acc * 6364136223846793005UL + (unsigned long)i;
		acc ^= acc >> 29;
		acc += (acc % 1000003) / 7;
		if (acc & 1)
			acc -= i;
	}
	return acc;
}

/* Pointer chasing through nodes linked in a random cyclic order. */
static unsigned long chase(int nnodes, long steps)
{
	struct node *nodes = malloc(nnodes * sizeof *nodes);
	int *order = malloc(nnodes * sizeof *order);
	for (int i = 0; i < nnodes; i++)
		order[i] = i;
	for (int i = nnodes - 1; i > 0; i--) {
		int j = (int)(rng() % (unsigned long)(i + 1));
		int t = order[i];
		order[i] = order[j];
		order[j] = t;
	}
	for (int i = 0; i < nnodes; i++) {
		nodes[order[i]].next = &nodes[order[(i + 1) % nnodes]];
		nodes[order[i]].value = rng() & 0xffff;
	}
	unsigned long sum = 0;
	struct node *p = &nodes[order[0]];
	for (long s = 0; s < steps; s++) {
		sum += p->value;
		p = p->next;
	}
	free(order);
	free(nodes);
	return sum;
}

/* Calls: a small leaf function called in a loop, and recursion. */
static int clamp(int v, int lo, int hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

static unsigned long calls(long n)
{
	unsigned long s = 0;
	for (long i = 0; i < n; i++)
		s += (unsigned long)clamp((int)(i % 1000) - 500, -100, 100);
	return s;
}

static int fib(int n)
{
	return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

/* Arrays: a sieve and an insertion sort. */
static long sieve(int n)
{
	char *composite = calloc((size_t)n + 1, 1);
	long count = 0;
	for (int i = 2; i <= n; i++) {
		if (composite[i])
			continue;
		count++;
		for (long j = (long)i * i; j <= n; j += i)
			composite[j] = 1;
	}
	free(composite);
	return count;
}

static unsigned long sort(int n)
{
	int *a = malloc(n * sizeof *a);
	for (int i = 0; i < n; i++)
		a[i] = (int)(rng() % 100000);
	for (int i = 1; i < n; i++) {
		int v = a[i], j = i - 1;
		while (j >= 0 && a[j] > v) {
			a[j + 1] = a[j];
			j--;
		}
		a[j + 1] = v;
	}
	unsigned long h = 0;
	for (int i = 0; i < n; i++)
		h = h * 31 + (unsigned long)a[i];
	free(a);
	return h;
}

int main(int argc, char **argv)
{
	long size = 100;
	if (argc > 1) {
		size = 0;
		for (const char *s = argv[1]; *s >= '0' && *s <= '9'; s++)
			size = size * 10 + (*s - '0');
	}
	if (size <= 0) {
		printf("usage: cpubound [SIZE]\n");
		return 2;
	}
	printf("arith %lu\n", arith(size * 100000));
	printf("chase %lu\n", chase(1 << 14, size * 100000));
	printf("calls %lu\n", calls(size * 100000));
	int depth = 16;
	for (long s = size; s > 1 && depth < 32; s /= 2)
		depth++;
	printf("fib(%d) %d\n", depth, fib(depth));
	printf("sieve %ld\n", sieve((int)(size * 50000)));
	printf("sort %lu\n", sort((int)(size * 40)));
	return 0;
}
