/* Initialisers without all the braces (brace elision), strings inside
 * partially braced aggregates, static objects pointing into themselves,
 * and statics initialised with addresses of other statics. */
#include <stdio.h>

struct rec {
	int a[2];
	char s[4];
	struct {
		short x, y;
	} pt;
};

struct self {
	int *pb;
	int b;
	struct self *me;
	const char *label;
};

static struct self selfref = {&selfref.b, 42, &selfref, "self"};

static int matrix[2][3] = {1, 2, 3, 4, 5};
static struct rec flat[] = {1, 2, "ab", 3, 4, 5, 6, "cd", 7, 8};

int main(void)
{
	for (unsigned i = 0; i < sizeof flat / sizeof flat[0]; i++)
		printf("flat[%u]={%d,%d,\"%s\",{%d,%d}}\n", i, flat[i].a[0], flat[i].a[1], flat[i].s, flat[i].pt.x, flat[i].pt.y);
	printf("count=%zu\n", sizeof flat / sizeof flat[0]);
	for (int i = 0; i < 2; i++)
		printf("%d %d %d\n", matrix[i][0], matrix[i][1], matrix[i][2]);
	struct rec mixed[2] = {{{9}, "x", 1}, [1].pt.x = 5, 6};
	printf("mixed0={%d,%d,\"%s\",{%d,%d}} mixed1={%d,%d,\"%s\",{%d,%d}}\n", mixed[0].a[0], mixed[0].a[1], mixed[0].s, mixed[0].pt.x,
	       mixed[0].pt.y, mixed[1].a[0], mixed[1].a[1], mixed[1].s, mixed[1].pt.x, mixed[1].pt.y);
	printf("selfref b via pb=%d me==&selfref %d label=%s\n", *selfref.pb, selfref.me == &selfref, selfref.me->me->label);
	*selfref.pb = 43;
	printf("b=%d\n", selfref.b);
	static int target = 5;
	static int *ptr = &target;
	static int **pptr = &ptr;
	**pptr += 1;
	printf("target=%d\n", target);
	int local3[3][2] = {{1}, 2, 3, 4};
	printf("local3=%d %d %d %d %d %d\n", local3[0][0], local3[0][1], local3[1][0], local3[1][1], local3[2][0], local3[2][1]);
	char names[][8] = {"one", "two", "three"};
	printf("names=%zu %s %s %s\n", sizeof names, names[0], names[1], names[2]);
	struct {
		int n;
		const char *words[3];
	} w = {2, "alpha", "beta"};
	printf("w=%d %s %s %d\n", w.n, w.words[0], w.words[1], w.words[2] == 0);
	int scalar = {7};
	printf("scalar=%d\n", scalar);
	return 0;
}
