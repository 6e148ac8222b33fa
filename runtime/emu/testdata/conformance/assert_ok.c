/* assert.h: passing assertions do nothing; with NDEBUG defined before
 * including assert.h again, assert is disabled and does not evaluate its
 * argument. */
#include <stdio.h>
#include <assert.h>

static int evaluations;

static int check(int v)
{
	evaluations++;
	return v;
}

int main(void)
{
	assert(1);
	assert(check(1));
	assert(2 + 2 == 4 && "arithmetic works");
	int x = 5;
	assert(x > 0);
	printf("evaluations with asserts on: %d\n", evaluations);
#define NDEBUG
#include <assert.h>
	assert(check(0));
	assert(0);
	printf("evaluations with NDEBUG: %d\n", evaluations);
#undef NDEBUG
#include <assert.h>
	assert(check(1));
	printf("evaluations re-enabled: %d\n", evaluations);
	return 0;
}
