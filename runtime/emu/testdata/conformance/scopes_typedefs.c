/* Block scopes and shadowing, typedefs of structs, arrays, pointers and
 * function types, const and volatile qualifiers, and forward declarations. */
#include <stdio.h>

typedef struct node node_t;
struct node {
	int v;
	node_t *next;
};
typedef int vec3[3];
typedef const char *cstr;
typedef int handler(int);
typedef handler *handler_ptr;
typedef unsigned long ulong_t;

static int negate(int x) { return -x; }
static handler triple;
static int triple(int x) { return 3 * x; }

static int x = 1;

static int read_global(void) { return x; }

int main(void)
{
	printf("global x=%d\n", x);
	int x = 2;
	printf("local x=%d global via fn=%d\n", x, read_global());
	{
		int x = 3;
		printf("inner x=%d\n", x);
		{
			x++;
			int x = 10;
			printf("innermost x=%d\n", x);
		}
		printf("inner x after=%d\n", x);
	}
	printf("local x after=%d\n", x);

	node_t b = {2, NULL}, a = {1, &b};
	printf("list %d %d\n", a.v, a.next->v);
	vec3 v = {1, 2, 3};
	printf("vec3 sizeof=%zu sum=%d\n", sizeof(vec3), v[0] + v[1] + v[2]);
	cstr s = "typedef string";
	printf("%s\n", s);
	handler_ptr hs[] = {negate, triple};
	printf("handlers %d %d\n", hs[0](5), hs[1](5));
	ulong_t big = (ulong_t)-1;
	printf("ulong_t max=%lu\n", big);

	const int ci = 40;
	const int *pci = &ci;
	int mutable_v = 1;
	int *const cpi = &mutable_v;
	*cpi = 41;
	printf("const %d %d\n", *pci, mutable_v);
	volatile int vol = 0;
	for (int i = 0; i < 5; i++)
		vol += i;
	printf("volatile=%d\n", vol);
	const struct node cn = {9, NULL};
	printf("const struct %d\n", cn.v);

	int shadow = 1;
	for (int shadow = 5; shadow < 7; shadow++)
		printf("loop shadow=%d ", shadow);
	printf("outer shadow=%d\n", shadow);
	if (shadow) {
		int shadow = -1;
		printf("if shadow=%d\n", shadow);
	}
	extern int later;
	printf("later=%d\n", later);
	return 0;
}

int later = 77;
