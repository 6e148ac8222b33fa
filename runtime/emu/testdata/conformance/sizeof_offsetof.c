/* sizeof and offsetof on the LP64 ABI: scalar sizes, padding, alignment
 * of nested aggregates, flexible array members, and arrays. */
#include <stdio.h>
#include <stddef.h>
#include <stdint.h>

struct a { char c; int i; };
struct b { char c; double d; char e; };
struct c { char c1; char c2; short s; };
struct d { int i; char c; };
struct e { struct d inner; char tail; };
struct f { long l; char c[3]; };
struct g { char c; struct { char x; long y; } nested; };
struct flex { int n; char data[]; };
struct flexl { char c; long data[]; };
union u { char c; int i; double d; char buf[13]; };
struct bits { char c; unsigned f : 3; };
struct ptrs { char c; void *p; void (*fn)(void); };

int main(void)
{
	printf("char=%zu short=%zu int=%zu long=%zu llong=%zu\n", sizeof(char), sizeof(short), sizeof(int), sizeof(long), sizeof(long long));
	printf("ptr=%zu size_t=%zu ptrdiff_t=%zu float=%zu double=%zu\n", sizeof(void *), sizeof(size_t), sizeof(ptrdiff_t), sizeof(float), sizeof(double));
	printf("_Bool=%zu intptr=%zu int64=%zu\n", sizeof(_Bool), sizeof(intptr_t), sizeof(int64_t));
	printf("a: size=%zu i@%zu\n", sizeof(struct a), offsetof(struct a, i));
	printf("b: size=%zu d@%zu e@%zu\n", sizeof(struct b), offsetof(struct b, d), offsetof(struct b, e));
	printf("c: size=%zu s@%zu\n", sizeof(struct c), offsetof(struct c, s));
	printf("d: size=%zu\n", sizeof(struct d));
	printf("e: size=%zu tail@%zu\n", sizeof(struct e), offsetof(struct e, tail));
	printf("f: size=%zu c@%zu\n", sizeof(struct f), offsetof(struct f, c));
	printf("g: size=%zu nested@%zu nested.y@%zu\n", sizeof(struct g), offsetof(struct g, nested), offsetof(struct g, nested.y));
	printf("flex: size=%zu data@%zu\n", sizeof(struct flex), offsetof(struct flex, data));
	printf("flexl: size=%zu data@%zu\n", sizeof(struct flexl), offsetof(struct flexl, data));
	printf("u: size=%zu\n", sizeof(union u));
	printf("bits: size=%zu\n", sizeof(struct bits));
	printf("ptrs: size=%zu p@%zu fn@%zu\n", sizeof(struct ptrs), offsetof(struct ptrs, p), offsetof(struct ptrs, fn));
	int arr[7][3];
	printf("arr=%zu arr[0]=%zu elems=%zu\n", sizeof arr, sizeof arr[0], sizeof arr / sizeof arr[0][0]);
	struct b bs[4];
	printf("bs=%zu\n", sizeof bs);
	int x = 5;
	size_t sz = sizeof x++; /* not evaluated */
	printf("sizeof x++=%zu x=%d\n", sz, x);
	printf("sizeof expr types: %zu %zu %zu\n", sizeof(x + 1L), sizeof(x * 1.0f), sizeof(&arr[0]));
	char *p = NULL;
	printf("sizeof *p=%zu sizeof p=%zu\n", sizeof *p, sizeof p);
	printf("offsetof arr elem=%zu\n", offsetof(struct f, c[2]));
	return 0;
}
