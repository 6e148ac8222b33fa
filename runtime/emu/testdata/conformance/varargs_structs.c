/* Structs passed by value through "..." and read back with va_arg, small
 * (in registers on x86-64) and large (in memory). */
#include <stdio.h>
#include <stdarg.h>

struct pt {
	int x, y;
};

struct big {
	long a, b, c;
	char tag;
};

static void structs(int n, ...)
{
	va_list ap;
	va_start(ap, n);
	for (int i = 0; i < n; i++) {
		struct pt p = va_arg(ap, struct pt);
		struct big b = va_arg(ap, struct big);
		printf("pt=(%d,%d) big=(%ld,%ld,%ld,%c)\n", p.x, p.y, b.a, b.b, b.c, b.tag);
	}
	va_end(ap);
}

int main(void)
{
	struct pt p1 = {1, 2}, p2 = {-3, 4};
	struct big b1 = {10, 20, 30, 'x'}, b2 = {-1, -2, -3, 'y'};
	structs(2, p1, b1, p2, b2);
	return 0;
}
