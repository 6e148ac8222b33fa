/* exit() from deep inside the call stack ends the program with that
 * status after the output already printed is flushed. */
#include <stdio.h>
#include <stdlib.h>

static void depth(int n)
{
	printf("depth %d\n", n);
	if (n == 3) {
		printf("exiting with 7\n");
		exit(7);
	}
	depth(n + 1);
	printf("never printed\n");
}

int main(void)
{
	printf("start\n");
	depth(0);
	printf("never printed either\n");
	return 0;
}
