/* Designated initialisers: out of order, nested, arrays, mixed with
 * positional ones, overriding, and zero-filling of the rest. */
#include <stdio.h>

struct inner {
	int a, b;
	char s[4];
};

struct outer {
	int id;
	struct inner in;
	int arr[5];
	const char *name;
	double d;
};

enum color { RED, GREEN, BLUE, NCOLORS };

static const char *const color_names[NCOLORS] = {
	[BLUE] = "blue",
	[RED] = "red",
	[GREEN] = "green",
};

static void dump(const char *label, const struct outer *o)
{
	printf("%s: id=%d in={%d,%d,\"%s\"} arr={%d,%d,%d,%d,%d} name=%s d=%.1f\n", label, o->id, o->in.a, o->in.b, o->in.s,
	       o->arr[0], o->arr[1], o->arr[2], o->arr[3], o->arr[4], o->name ? o->name : "(none)", o->d);
}

int main(void)
{
	struct outer a = {.name = "a", .id = 1};
	struct outer b = {.in.b = 7, .in.a = 6, .arr[3] = 33, .arr[1] = 11};
	struct outer c = {.in = {.b = 1, "xy"}, .arr = {[4] = 4, [2] = 2}, .d = 2.5};
	struct outer d = {2, {3, 4, "ab"}, {1, 2}, "d", 1.5};
	struct outer e = {.arr = {1, 2, 3}, .arr[1] = 20, .id = 5, 6}; /* 6 goes to in.a after id */
	struct outer f = {.arr[2] = 9, 10, 11}; /* continues with arr[3], arr[4] */
	dump("a", &a);
	dump("b", &b);
	dump("c", &c);
	dump("d", &d);
	dump("e", &e);
	dump("f", &f);

	for (int i = 0; i < NCOLORS; i++)
		printf("color %d=%s\n", i, color_names[i]);

	int sparse[10] = {[9] = 9, [2] = 2, 3, [0] = 100};
	for (int i = 0; i < 10; i++)
		printf("%d%c", sparse[i], i == 9 ? '\n' : ' ');
	int sized[] = {[5] = 1};
	printf("sizeof sized=%zu\n", sizeof sized);

	struct inner grid[3] = {[2] = {.b = 22}, [0].a = 1, [0].s = "ok"};
	for (int i = 0; i < 3; i++)
		printf("grid[%d]={%d,%d,\"%s\"}\n", i, grid[i].a, grid[i].b, grid[i].s);

	int matrix[3][3] = {[1] = {[1] = 5}, [2][0] = 7, [0] = {1, 2, 3}};
	for (int i = 0; i < 3; i++)
		printf("%d %d %d\n", matrix[i][0], matrix[i][1], matrix[i][2]);

	union {
		int i;
		char c[4];
	} u = {.c = {1, 1}};
	printf("union=%d\n", u.i);
	return 0;
}
