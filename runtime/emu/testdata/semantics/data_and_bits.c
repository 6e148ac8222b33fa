/* Bit-fields, unions, pointer casts, integer corner cases, function
 * pointer tables, static and global initializers with addresses. */
#include <stdio.h>
#include <stdint.h>
#include <limits.h>
struct flags { unsigned a : 1, b : 3; int c : 4; unsigned long d : 40; };
union pun { float f; uint32_t u; unsigned char b[4]; };
static int twice(int x) { return 2 * x; }
static int square(int x) { return x * x; }
static int (*const ops[])(int) = { twice, square, 0 };
struct node { const char *name; struct node *next; int (*op)(int); };
static struct node n2 = { "two", 0, square };
static struct node n1 = { .name = "one", .next = &n2, .op = twice };
static const char *names[] = { [2] = "c", [0] = "a", "b" };
static int arr[] = { 5, 4, 3, [6] = 9 };
static char *strp = "lit" + 1;
static int *mid = &arr[2];
int main(void) {
	struct flags fl = { 1, 7, -3, 0xffffffffffUL };
	fl.b += 2; fl.c -= 6;
	printf("%u %u %d %lx %zu\n", fl.a, fl.b, fl.c, (unsigned long)fl.d + 1, sizeof fl);
	union pun p = { .f = 1.5f };
	printf("%08x %u %g\n", p.u, p.b[3], (p.u = 0x40490fdb, p.f));
	for (int i = 0; ops[i]; i++) printf("op%d=%d ", i, ops[i](7));
	printf("\n");
	for (struct node *n = &n1; n; n = n->next) printf("%s:%d ", n->name, n->op(5));
	printf("\n%s%s%s %zu %d %d %s %d\n", names[0], names[1], names[2], sizeof arr / sizeof arr[0], arr[6], arr[4], strp, mid[-1]);
	int imin = INT_MIN; long lmin = LONG_MIN;
	printf("%d %ld %d %u\n", imin - 1 + 1, lmin / 2, (short)70000, (unsigned)-1 / 3);
	printf("%d %d %d\n", (-1 < 0u), (-1L < 0u), ((unsigned char)-1 > (signed char)-1));
	uint64_t h = 1469598103934665603ULL;
	for (const char *s = "hash me"; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	printf("%016llx\n", (unsigned long long)h);
	double d = -2.75; int di = (int)d; unsigned long ul = (unsigned long)1e19;
	printf("%d %lu %d %.2f\n", di, ul, (int)(float)16777217, (double)(1LL << 53) + 1);
	char c = 'A'; c += 200; printf("%d\n", c);
	int x = 0; int y = (x++, x++, x); printf("%d %d\n", x, y);
	int z = x > 1 ? x < 5 ? 10 : 20 : 30; printf("%d\n", z);
	return 0;
}
