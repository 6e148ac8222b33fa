/* Complex declarators: several declarators in one declaration, pointers
 * to arrays, functions returning pointers to arrays and to functions,
 * arrays of function pointers, typedef'd function types, and the
 * register and auto storage classes. */
#include <stdio.h>

static int row[3] = {7, 8, 9};
static int (*get_row(void))[3] { return &row; }

static int inc(int x) { return x + 1; }
static int dec(int x) { return x - 1; }
static int (*pick(int which))(int) { return which ? inc : dec; }
static int (*(*picker(void))(int))(int) { return pick; }

typedef int unary(int);
typedef unary *unary_ptr;
typedef unary_ptr table_t[2];

static const char *const *const names_ptr(void)
{
	static const char *const names[] = {"first", "second"};
	return names;
}

int main(void)
{
	int a = 1, *b = &a, c[3] = {1, 2, 3}, (*d)[3] = &c, (*e)(int) = inc;
	printf("a=%d *b=%d c[2]=%d (*d)[1]=%d e(1)=%d\n", a, *b, c[2], (*d)[1], e(1));
	int (*p)[3] = get_row();
	printf("(*p)[2]=%d sizeof *p=%zu\n", (*p)[2], sizeof *p);
	printf("pick(1)(5)=%d pick(0)(5)=%d picker()(1)(10)=%d\n", pick(1)(5), pick(0)(5), picker()(1)(10));
	int (*(*fns[2])(int))(int) = {pick, pick};
	printf("fns[1](0)(3)=%d\n", fns[1](0)(3));
	table_t t = {inc, dec};
	unary *u = t[1];
	printf("table: %d %d sizeof table_t=%zu\n", t[0](41), u(43), sizeof(table_t));
	char *argv_like[] = {"x", "y", 0};
	char **pp = argv_like;
	char *(*pa)[3] = &argv_like;
	printf("pp[1]=%s (*pa)[0]=%s\n", pp[1], (*pa)[0]);
	const char *const *n = names_ptr();
	printf("names=%s %s\n", n[0], n[1]);
	register int r = 5;
	auto int au = 6;
	printf("register+auto=%d\n", r + au);
	int x, *px = &x, **ppx = &px;
	**ppx = 9;
	printf("x=%d\n", x);
	void (*vfp)(void) = (void (*)(void))inc;
	int (*back)(int) = (int (*)(int))vfp;
	printf("cast round trip=%d\n", back(99));
	int m[2][3][4];
	printf("sizeof m=%zu m[1]=%zu m[1][2]=%zu\n", sizeof m, sizeof m[1], sizeof m[1][2]);
	int(*pm)[3][4] = m + 1;
	printf("pm-m=%td bytes=%td\n", pm - m, (char *)pm - (char *)m);
	return 0;
}
