/* Static locals keep their value across calls; each function has its
 * own; static arrays and pointers to statics; initialisation happens once. */
#include <stdio.h>

static int counter(void)
{
	static int n;
	return ++n;
}

static int other_counter(void)
{
	static int n = 100;
	return n++;
}

static const char *next_name(void)
{
	static const char *names[] = {"ada", "bob", "cy"};
	static int i = 0;
	const char *r = names[i];
	i = (i + 1) % 3;
	return r;
}

static int *cell(void)
{
	static int storage[4] = {1, 2, 3, 4};
	static int *cursor = storage;
	int *r = cursor;
	cursor = cursor == &storage[3] ? storage : cursor + 1;
	return r;
}

static long fib_memo(int n)
{
	static long memo[100];
	static int filled = 0;
	if (!filled) {
		memo[0] = 0;
		memo[1] = 1;
		filled = 2;
	}
	while (filled <= n) {
		memo[filled] = memo[filled - 1] + memo[filled - 2];
		filled++;
	}
	return memo[n];
}

static int recurse(int depth)
{
	static int max_depth;
	if (depth > max_depth)
		max_depth = depth;
	if (depth < 5)
		recurse(depth + 1);
	return max_depth;
}

int main(void)
{
	for (int i = 0; i < 3; i++)
		printf("counter=%d other=%d\n", counter(), other_counter());
	for (int i = 0; i < 5; i++)
		printf("%s ", next_name());
	printf("\n");
	for (int i = 0; i < 6; i++) {
		int *c = cell();
		*c *= 10;
		printf("%d ", *c);
	}
	printf("\n");
	printf("fib(50)=%ld fib(10)=%ld fib(90)=%ld\n", fib_memo(50), fib_memo(10), fib_memo(90));
	int depth = recurse(0);
	int again = recurse(3);
	printf("max depth=%d, again=%d\n", depth, again);
	{
		static int block_static = 7;
		block_static++;
		printf("block static=%d\n", block_static);
	}
	for (int i = 0; i < 3; i++) {
		static int loop_static = 0;
		int automatic = 0;
		loop_static++;
		automatic++;
		printf("loop static=%d automatic=%d\n", loop_static, automatic);
	}
	return 0;
}
