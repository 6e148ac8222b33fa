/* Flexible array members: structs allocated with room for their trailing
 * array, copying and resizing them with realloc, and arrays of pointers
 * to such objects. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct vec {
	size_t len;
	long items[];
};

struct str {
	unsigned short len;
	char text[];
};

static struct vec *vec_new(size_t n)
{
	struct vec *v = malloc(sizeof *v + n * sizeof v->items[0]);
	v->len = n;
	for (size_t i = 0; i < n; i++)
		v->items[i] = (long)(i * i);
	return v;
}

static struct str *str_new(const char *s)
{
	size_t n = strlen(s);
	struct str *p = malloc(sizeof *p + n + 1);
	p->len = (unsigned short)n;
	memcpy(p->text, s, n + 1);
	return p;
}

int main(void)
{
	printf("sizeof vec=%zu str=%zu\n", sizeof(struct vec), sizeof(struct str));
	struct vec *v = vec_new(10);
	long s = 0;
	for (size_t i = 0; i < v->len; i++)
		s += v->items[i];
	printf("len=%zu sum=%ld last=%ld\n", v->len, s, v->items[v->len - 1]);
	v = realloc(v, sizeof *v + 20 * sizeof v->items[0]);
	for (size_t i = v->len; i < 20; i++)
		v->items[i] = -(long)i;
	v->len = 20;
	s = 0;
	for (size_t i = 0; i < v->len; i++)
		s += v->items[i];
	printf("grown len=%zu sum=%ld kept=%ld\n", v->len, s, v->items[9]);
	free(v);
	const char *words[] = {"flexible", "array", "members", ""};
	struct str *strs[4];
	for (int i = 0; i < 4; i++)
		strs[i] = str_new(words[i]);
	for (int i = 0; i < 4; i++) {
		printf("%u:[%s] ", strs[i]->len, strs[i]->text);
		free(strs[i]);
	}
	printf("\n");
	return 0;
}
