#include "shared.h"

int shared_counter;
static int calls;

void bump_tentative(void) { tentative += 7; }

void increment(int by)
{
	calls++;
	shared_counter += by;
}

int increment_calls(void) { return calls; }

static int neg(int x) { return -x; }
static int dbl(int x) { return 2 * x; }
static int sq(int x) { return x * x; }

int (*const ops[3])(int) = {neg, dbl, sq};
