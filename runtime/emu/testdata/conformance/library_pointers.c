/* Library functions used as values: pointers to printf, puts, memcpy,
 * strlen, malloc and free stored in tables and called indirectly, and
 * compared with each other. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct allocator {
	void *(*alloc)(size_t);
	void (*release)(void *);
};

static const struct allocator heap = {malloc, free};

typedef size_t (*measure_fn)(const char *);

int main(void)
{
	int (*pf)(const char *, ...) = printf;
	int n = pf("via pointer %d %s\n", 42, "ok");
	pf("returned %d\n", n);
	int (*put)(const char *) = puts;
	put("puts via pointer");
	void *(*copy)(void *, const void *, size_t) = memcpy;
	char buf[16];
	copy(buf, "copied!", 8);
	printf("%s\n", buf);
	measure_fn measures[] = {strlen, strlen};
	printf("strlen via table=%zu\n", measures[1]("twelve chars"));
	char *p = heap.alloc(32);
	strcpy(p, "heap through struct");
	printf("%s\n", p);
	heap.release(p);
	printf("same function: %d %d\n", pf == printf, (void *)measures[0] == (void *)measures[1]);
	int (*cmp)(const char *, const char *) = strcmp;
	printf("strcmp via pointer: %d\n", cmp("a", "b") < 0);
	return 0;
}
