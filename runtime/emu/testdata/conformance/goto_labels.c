/* goto: forward and backward jumps, breaking out of nested loops, and
 * the cleanup-on-error pattern. */
#include <stdio.h>
#include <stdlib.h>

static int setup(int fail_at)
{
	int ret = -1;
	char *a = malloc(16), *b = NULL, *c = NULL;
	if (!a)
		goto out;
	if (fail_at == 1)
		goto free_a;
	b = malloc(32);
	if (fail_at == 2)
		goto free_b;
	c = malloc(64);
	if (fail_at == 3)
		goto free_c;
	ret = 0;
	printf("all allocated\n");
free_c:
	free(c);
	printf("freed c\n");
free_b:
	free(b);
	printf("freed b\n");
free_a:
	free(a);
	printf("freed a\n");
out:
	return ret;
}

int main(void)
{
	for (int i = 0; i <= 3; i++)
		printf("setup(%d)=%d\n", i, setup(i));

	int i = 0, total = 0;
again:
	total += i;
	if (++i < 10)
		goto again;
	printf("total=%d\n", total);

	int found_r = -1, found_c = -1;
	for (int r = 0; r < 10; r++)
		for (int c = 0; c < 10; c++)
			if (r * c == 42) {
				found_r = r;
				found_c = c;
				goto done;
			}
done:
	printf("found %d*%d\n", found_r, found_c);

	int n = 27, steps = 0;
loop:
	if (n == 1)
		goto end;
	n = n % 2 ? 3 * n + 1 : n / 2;
	steps++;
	goto loop;
end:
	printf("collatz steps=%d\n", steps);

	int k = 0;
	goto skip;
	k = 100;
skip:
	k++;
	printf("k=%d\n", k);

	/* Jumping into a block with a (non-VLA) declaration skips its initializer. */
	int x = 5;
	goto inside;
	{
		int y;
inside:
		y = x * 2;
		printf("y=%d\n", y);
	}
	return 0;
}
