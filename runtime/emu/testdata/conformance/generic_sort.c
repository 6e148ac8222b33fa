/* A qsort-like generic sort written in the program: void pointers,
 * byte-wise swaps of arbitrary element sizes, and comparator callbacks. */
#include <stdio.h>
#include <string.h>

typedef int (*cmp_fn)(const void *, const void *);

static void swap_bytes(void *a, void *b, size_t size)
{
	unsigned char *x = a, *y = b;
	while (size--) {
		unsigned char t = *x;
		*x++ = *y;
		*y++ = t;
	}
}

static void sort(void *base, size_t n, size_t size, cmp_fn cmp)
{
	unsigned char *b = base;
	if (n < 2)
		return;
	if (n < 6) {
		for (size_t i = 1; i < n; i++)
			for (size_t j = i; j > 0 && cmp(b + (j - 1) * size, b + j * size) > 0; j--)
				swap_bytes(b + (j - 1) * size, b + j * size, size);
		return;
	}
	swap_bytes(b, b + (n / 2) * size, size); /* pivot to the front */
	size_t last = 0;
	for (size_t i = 1; i < n; i++)
		if (cmp(b + i * size, b) < 0)
			swap_bytes(b + ++last * size, b + i * size, size);
	swap_bytes(b, b + last * size, size);
	sort(b, last, size, cmp);
	sort(b + (last + 1) * size, n - last - 1, size, cmp);
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

static int cmp_int_desc(const void *a, const void *b) { return cmp_int(b, a); }

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

struct person {
	char name[10];
	unsigned char age;
	long id;
};

static int cmp_person(const void *a, const void *b)
{
	const struct person *p = a, *q = b;
	if (p->age != q->age)
		return p->age - q->age;
	return strcmp(p->name, q->name);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

int main(void)
{
	int v[40];
	unsigned s = 1;
	for (int i = 0; i < 40; i++) {
		s = s * 1664525u + 1013904223u;
		v[i] = (int)(s % 200) - 100;
	}
	sort(v, 40, sizeof v[0], cmp_int);
	for (int i = 0; i < 40; i++)
		printf("%d%c", v[i], i % 20 == 19 ? '\n' : ' ');
	sort(v, 40, sizeof v[0], cmp_int_desc);
	printf("desc first=%d last=%d\n", v[0], v[39]);

	const char *words[] = {"pear", "apple", "fig", "banana", "cherry", "date", "elderberry", "grape", "apple"};
	size_t nw = sizeof words / sizeof words[0];
	sort(words, nw, sizeof words[0], cmp_str);
	for (size_t i = 0; i < nw; i++)
		printf("%s ", words[i]);
	printf("\n");

	struct person people[] = {
		{"zoe", 30, 1}, {"adam", 25, 2}, {"eve", 30, 3}, {"bob", 19, 4},
		{"carl", 25, 5}, {"dina", 41, 6}, {"fay", 19, 7},
	};
	size_t np = sizeof people / sizeof people[0];
	sort(people, np, sizeof people[0], cmp_person);
	for (size_t i = 0; i < np; i++)
		printf("%s/%d/%ld ", people[i].name, people[i].age, people[i].id);
	printf("\n");

	double d[] = {3.5, -1.25, 2.0, 1e10, -7.0, 0.5, 2.0};
	sort(d, 7, sizeof d[0], cmp_double);
	for (int i = 0; i < 7; i++)
		printf("%g ", d[i]);
	printf("\n");

	/* Sorting a big array and checking order and checksum. */
	static int big[2000];
	long before = 0, after = 0;
	for (int i = 0; i < 2000; i++) {
		s = s * 1664525u + 1013904223u;
		big[i] = (int)(s >> 8);
		before += big[i];
	}
	sort(big, 2000, sizeof big[0], cmp_int);
	int ordered = 1;
	for (int i = 0; i < 2000; i++) {
		after += big[i];
		if (i && big[i - 1] > big[i])
			ordered = 0;
	}
	printf("ordered=%d checksum same=%d min=%d max=%d\n", ordered, before == after, big[0], big[1999]);
	return 0;
}
