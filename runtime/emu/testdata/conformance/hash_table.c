/* A chained hash table with string keys: calloc'd buckets, growth with
 * rehashing, lookups, updates, deletion, and realloc'd key storage. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct entry {
	char *key;
	long value;
	struct entry *next;
};

struct table {
	struct entry **buckets;
	size_t nbuckets, count;
};

static unsigned long hash(const char *s)
{
	unsigned long h = 5381;
	while (*s)
		h = h * 33 + (unsigned char)*s++;
	return h;
}

static void grow(struct table *t)
{
	size_t n = t->nbuckets * 2;
	struct entry **b = calloc(n, sizeof *b);
	for (size_t i = 0; i < t->nbuckets; i++) {
		struct entry *e = t->buckets[i];
		while (e) {
			struct entry *next = e->next;
			size_t h = hash(e->key) % n;
			e->next = b[h];
			b[h] = e;
			e = next;
		}
	}
	free(t->buckets);
	t->buckets = b;
	t->nbuckets = n;
}

static struct entry *find(struct table *t, const char *key)
{
	for (struct entry *e = t->buckets[hash(key) % t->nbuckets]; e; e = e->next)
		if (strcmp(e->key, key) == 0)
			return e;
	return NULL;
}

static void put(struct table *t, const char *key, long value)
{
	struct entry *e = find(t, key);
	if (e) {
		e->value = value;
		return;
	}
	if (t->count + 1 > t->nbuckets * 3 / 4)
		grow(t);
	e = malloc(sizeof *e);
	size_t len = strlen(key);
	e->key = malloc(1);
	e->key = realloc(e->key, len + 1);
	memcpy(e->key, key, len + 1);
	e->value = value;
	size_t h = hash(key) % t->nbuckets;
	e->next = t->buckets[h];
	t->buckets[h] = e;
	t->count++;
}

static int del(struct table *t, const char *key)
{
	struct entry **pp = &t->buckets[hash(key) % t->nbuckets];
	for (; *pp; pp = &(*pp)->next) {
		if (strcmp((*pp)->key, key) == 0) {
			struct entry *e = *pp;
			*pp = e->next;
			free(e->key);
			free(e);
			t->count--;
			return 1;
		}
	}
	return 0;
}

static void keyname(char *buf, int i)
{
	const char *syll[] = {"ka", "lo", "mi", "nu", "pe", "ro", "su", "ti"};
	buf[0] = 0;
	do {
		strcpy(buf + strlen(buf), syll[i % 8]);
		i /= 8;
	} while (i);
}

int main(void)
{
	struct table t = {calloc(4, sizeof(struct entry *)), 4, 0};
	char key[32];
	for (int i = 0; i < 500; i++) {
		keyname(key, i);
		put(&t, key, i * 3);
	}
	printf("count=%zu buckets=%zu\n", t.count, t.nbuckets);
	for (int i = 0; i < 500; i += 97) {
		keyname(key, i);
		struct entry *e = find(&t, key);
		printf("%s -> %ld\n", key, e ? e->value : -1);
	}
	put(&t, "ka", -1);
	printf("ka updated -> %ld, count=%zu\n", find(&t, "ka")->value, t.count);
	int deleted = 0;
	for (int i = 0; i < 500; i += 2) {
		keyname(key, i);
		deleted += del(&t, key);
	}
	int missing = find(&t, "ka") == NULL;
	int again = del(&t, "ka");
	printf("deleted=%d count=%zu missing=%d again=%d\n", deleted, t.count, missing, again);
	long sum = 0;
	size_t longest = 0;
	for (size_t i = 0; i < t.nbuckets; i++) {
		size_t chain = 0;
		for (struct entry *e = t.buckets[i]; e; e = e->next) {
			sum += e->value;
			chain++;
		}
		if (chain > longest)
			longest = chain;
	}
	printf("sum=%ld longest chain=%zu\n", sum, longest);
	for (size_t i = 0; i < t.nbuckets; i++) {
		struct entry *e = t.buckets[i];
		while (e) {
			struct entry *next = e->next;
			free(e->key);
			free(e);
			e = next;
		}
	}
	free(t.buckets);
	return 0;
}
