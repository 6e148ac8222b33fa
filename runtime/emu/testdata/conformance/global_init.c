/* Global initialisers: pointers to globals and into arrays and structs,
 * arrays of strings, function pointers, self-references, constant
 * expressions, and zero-initialised globals. */
#include <stdio.h>
#include <stddef.h>

struct node {
	int value;
	struct node *next;
};

int counter = 42;
int *counter_ptr = &counter;
int **counter_pp = &counter_ptr;
int table[5] = {1, 2, 3, 4, 5};
int *middle = &table[2];
int *past_end = table + 5;
long zeroed[4];
struct node *none;
static struct node n3 = {3, NULL};
static struct node n2 = {2, &n3};
static struct node n1 = {1, &n2};
struct node *head = &n1;
struct node ring = {7, &ring};

const char *words[] = {"first", "second", "third"};
const char *second_word = "second" + 3;
char text[] = "mutable";
char *text_tail = text + 4;
const char *const *word_ptr = &words[1];
const int nwords = sizeof words / sizeof words[0];

static int twice(int x) { return 2 * x; }
static int square(int x) { return x * x; }
int (*const transforms[])(int) = {twice, square, twice};

struct config {
	const char *name;
	int flags;
	int *limit;
	struct {
		short lo, hi;
	} range;
} configs[] = {
	{"alpha", 1 << 3, &table[4], {-1, 1}},
	{"beta", 0x10 | 0x01, &counter, {.hi = 100}},
	{0},
};

size_t off = offsetof(struct config, range);
unsigned long computed = (1UL << 40) + sizeof(struct node) * 3 - 1;
double ratio = 1.0 / 4;
char letter = 'A' + 2;
int negative = -(3 * 7) % 5;

int main(void)
{
	printf("counter=%d via ptr=%d via pp=%d\n", counter, *counter_ptr, **counter_pp);
	*counter_ptr = 43;
	printf("counter now=%d\n", counter);
	printf("middle=%d past_end-table=%td\n", *middle, past_end - table);
	printf("zeroed=%ld %ld none=%d\n", zeroed[0], zeroed[3], none == NULL);
	for (struct node *n = head; n; n = n->next)
		printf("node %d\n", n->value);
	printf("ring self=%d value=%d\n", ring.next == &ring, ring.next->next->value);
	for (int i = 0; i < nwords; i++)
		printf("word %d=%s\n", i, words[i]);
	printf("second_word=%s word_ptr=%s\n", second_word, *word_ptr);
	printf("text_tail=%s\n", text_tail);
	text[0] = 'M';
	printf("text=%s\n", text);
	for (int i = 0; i < 3; i++)
		printf("transform %d(7)=%d\n", i, transforms[i](7));
	for (struct config *c = configs; c->name; c++)
		printf("config %s flags=%#x limit=%d range=%d..%d\n", c->name, c->flags, *c->limit, c->range.lo, c->range.hi);
	printf("sentinel name null=%d limit null=%d\n", configs[2].name == NULL, configs[2].limit == NULL);
	printf("off=%zu computed=%lu ratio=%.2f letter=%c negative=%d\n", off, computed, ratio, letter, negative);
	return 0;
}
