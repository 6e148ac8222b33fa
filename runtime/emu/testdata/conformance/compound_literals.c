/* Compound literals: structs, arrays, passed to functions, as lvalues,
 * at file scope and in loops. */
#include <stdio.h>

struct point {
	int x, y;
};

struct rect {
	struct point min, max;
};

static int area(struct rect r)
{
	return (r.max.x - r.min.x) * (r.max.y - r.min.y);
}

static int sum(const int *v, int n)
{
	int s = 0;
	for (int i = 0; i < n; i++)
		s += v[i];
	return s;
}

static int *global_arr = (int[]){10, 20, 30};
static struct point *origin = &(struct point){0, 0};

int main(void)
{
	printf("area=%d\n", area((struct rect){{1, 2}, {4, 6}}));
	printf("area designated=%d\n", area((struct rect){.max = {.y = 3, .x = 5}}));
	printf("sum=%d\n", sum((int[]){1, 2, 3, 4, 5}, 5));
	printf("sum sized=%d\n", sum((int[8]){[7] = 8, [0] = 1}, 8));
	struct point *p = &(struct point){3, 4};
	p->x *= 10;
	printf("p=(%d,%d)\n", p->x, p->y);
	int *a = (int[]){5, 6, 7};
	a[1] = 60;
	printf("a=%d %d %d\n", a[0], a[1], a[2]);
	printf("global=%d %d %d origin=(%d,%d)\n", global_arr[0], global_arr[1], global_arr[2], origin->x, origin->y);
	global_arr[2]++;
	printf("global[2]=%d\n", global_arr[2]);
	struct point pts[3];
	for (int i = 0; i < 3; i++)
		pts[i] = (struct point){i, i * i};
	for (int i = 0; i < 3; i++)
		printf("(%d,%d)", pts[i].x, pts[i].y);
	printf("\n");
	const char *names = ((const char *[]){"zero", "one", "two"})[2];
	printf("name=%s\n", names);
	printf("sizeof=%zu\n", sizeof((char[]){"abcdef"}));
	int x = ((struct point){7, 8}).y;
	printf("member=%d\n", x);
	/* A compound literal in a loop body is a fresh object each iteration. */
	int total = 0;
	for (int i = 0; i < 4; i++) {
		int *q = (int[2]){i, i + 1};
		total += q[0] * q[1];
	}
	printf("total=%d\n", total);
	return 0;
}
