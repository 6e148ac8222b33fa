/* Large automatic arrays and structs on the stack, recursion with
 * sizeable frames, and locals whose address escapes into callees. */
#include <stdio.h>
#include <string.h>

struct frame_data {
	int values[256];
	char name[64];
};

static long fill_and_sum(int *a, int n, int seed)
{
	long s = 0;
	for (int i = 0; i < n; i++) {
		a[i] = (i * 31 + seed) % 1000;
		s += a[i];
	}
	return s;
}

static long recurse(int depth)
{
	struct frame_data fd;
	memset(&fd, 0, sizeof fd);
	for (int i = 0; i < 256; i++)
		fd.values[i] = depth + i;
	fd.name[0] = (char)('a' + depth % 26);
	long below = depth > 0 ? recurse(depth - 1) : 0;
	/* Our frame must be intact after the deeper calls returned. */
	long mine = 0;
	for (int i = 0; i < 256; i++)
		mine += fd.values[i];
	return below + mine + fd.name[0];
}

static void set_via(int *p, int v) { *p = v; }

int main(void)
{
	int big[200000];
	printf("sum=%ld\n", fill_and_sum(big, 200000, 7));
	printf("spot=%d %d %d\n", big[0], big[99999], big[199999]);
	char text[100000];
	memset(text, 'x', sizeof text - 1);
	text[sizeof text - 1] = 0;
	printf("strlen=%zu\n", strlen(text));
	printf("recurse=%ld\n", recurse(200));
	int local = 1;
	set_via(&local, 99);
	printf("local=%d\n", local);
	struct frame_data copy;
	struct frame_data orig = {{1, 2, 3}, "orig"};
	copy = orig;
	copy.values[0] = 100;
	printf("copy=%d orig=%d name=%s\n", copy.values[0], orig.values[0], copy.name);
	return 0;
}
