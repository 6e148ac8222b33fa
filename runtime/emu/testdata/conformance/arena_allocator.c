/* A kernel-style allocator over a static arena: alignment with
 * uintptr_t masks, size classes with intrusive free lists, headers found
 * by pointer arithmetic, and statistics checked after a random workload. */
#include <stdio.h>
#include <stdint.h>
#include <stddef.h>
#include <string.h>

#define ARENA_SIZE (64 * 1024)
#define ALIGN 16
#define NCLASSES 6

static unsigned char arena[ARENA_SIZE] __attribute__((aligned(ALIGN)));
static size_t arena_used;

struct block {
	unsigned size_class;
	unsigned magic;
	struct block *next_free;
};

static struct block *free_lists[NCLASSES];
static size_t class_sizes[NCLASSES] = {16, 32, 64, 128, 256, 512};
static unsigned long allocs, frees, reuses;

static uintptr_t align_up(uintptr_t v, uintptr_t a) { return (v + a - 1) & ~(a - 1); }

static int class_for(size_t n)
{
	for (int c = 0; c < NCLASSES; c++)
		if (n <= class_sizes[c])
			return c;
	return -1;
}

static void *kmalloc(size_t n)
{
	int c = class_for(n);
	if (c < 0)
		return NULL;
	struct block *b = free_lists[c];
	if (b) {
		free_lists[c] = b->next_free;
		reuses++;
	} else {
		uintptr_t start = align_up((uintptr_t)arena + arena_used, ALIGN);
		size_t total = align_up(sizeof(struct block), ALIGN) + class_sizes[c];
		if (start + total > (uintptr_t)arena + ARENA_SIZE)
			return NULL;
		b = (struct block *)start;
		arena_used = start + total - (uintptr_t)arena;
		b->size_class = (unsigned)c;
	}
	b->magic = 0xa110c8ed;
	b->next_free = NULL;
	allocs++;
	return (unsigned char *)b + align_up(sizeof(struct block), ALIGN);
}

static void kfree(void *p)
{
	if (!p)
		return;
	struct block *b = (struct block *)((unsigned char *)p - align_up(sizeof(struct block), ALIGN));
	if (b->magic != 0xa110c8ed) {
		printf("bad free\n");
		return;
	}
	b->magic = 0xdead;
	b->next_free = free_lists[b->size_class];
	free_lists[b->size_class] = b;
	frees++;
}

int main(void)
{
	void *live[64] = {0};
	unsigned seed = 12345;
	unsigned long checksum = 0;
	for (int step = 0; step < 2000; step++) {
		seed = seed * 1103515245u + 12345u;
		int slot = (seed >> 16) % 64;
		if (live[slot]) {
			unsigned char *p = live[slot];
			checksum += p[0];
			kfree(p);
			live[slot] = NULL;
		} else {
			size_t n = 1 + (seed >> 8) % 500;
			unsigned char *p = kmalloc(n);
			if (!p) {
				printf("out of arena at step %d\n", step);
				break;
			}
			if ((uintptr_t)p % ALIGN)
				printf("misaligned\n");
			memset(p, (int)(n & 0xff), n);
			live[slot] = p;
		}
	}
	size_t free_counts[NCLASSES] = {0};
	for (int c = 0; c < NCLASSES; c++)
		for (struct block *b = free_lists[c]; b; b = b->next_free)
			free_counts[c]++;
	printf("allocs=%lu frees=%lu reuses=%lu used=%zu checksum=%lu\n", allocs, frees, reuses, arena_used, checksum);
	for (int c = 0; c < NCLASSES; c++)
		printf("class %zu: %zu free\n", class_sizes[c], free_counts[c]);
	printf("align_up: %lu %lu %lu\n", (unsigned long)align_up(1, 16), (unsigned long)align_up(16, 16), (unsigned long)align_up(17, 8));
	return 0;
}
